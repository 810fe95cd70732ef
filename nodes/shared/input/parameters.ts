import type { IExecuteFunctions, INode, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { perRun } from '../util/run';

/**
 * Parameter reads of one run. A parameter whose saved value holds no expression is the same for every
 * item, so it is read from n8n once per run and reused: n8n copies and resolves the node's parameters
 * on every read, which for a thousand items costs more than our own work on them. Expressions are read
 * for each item, as before.
 */
interface RunParameters {
	node: INode;
	values: Map<string, unknown>;
}

const runOf = perRun((context: IExecuteFunctions): RunParameters => ({ node: context.getNode(), values: new Map() }));

/** The node as n8n gives it, once per run (n8n copies it on every getNode()). */
export function runNode(context: IExecuteFunctions): INode {
	return runOf(context).node;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The saved value at a dotted parameter path ("additionalFields.cc"); undefined when not saved. */
function savedValue(parameters: INodeParameters, name: string): unknown {
	let value: unknown = parameters;
	for (const key of name.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** getNodeParameter for one item, from the run's copy when the saved value holds no expression. */
export function itemParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	const run = runOf(context);
	const key = `${name}\u0000${typeof fallback}\u0000${JSON.stringify(fallback) ?? ''}`;
	if (run.values.has(key)) return copyOf(run.values.get(key));
	const value = context.getNodeParameter(name, itemIndex, fallback);
	// Not saved: its default (or the fallback), never an expression in this package's descriptions
	// (test/repo/static-defaults.test.ts), so the same for every item too.
	if (!holdsExpression(savedValue(run.node.parameters, name))) run.values.set(key, copyOf(value));
	return value;
}

/** Callers may change an object they read; each gets its own copy. */
function copyOf(value: unknown): unknown {
	return value !== null && typeof value === 'object' ? deepCopy(value as NodeParameterValueType) : value;
}
