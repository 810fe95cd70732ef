import type { INode } from 'n8n-workflow';

import type { JsonShape } from '../model/operation';
import { emailProblem, headerTextProblem, inputError, urlProblem } from './validation';


const TYPE_WORDS: Record<NonNullable<JsonShape['type']>, string> = {
	object: 'an object',
	array: 'a list',
	string: 'a text',
	integer: 'a whole number',
	number: 'a number',
	boolean: 'true or false',
};

function typeOf(value: unknown): NonNullable<JsonShape['type']> | 'null' {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value as 'object' | 'string' | 'boolean';
}

function fitsType(value: unknown, type: JsonShape['type']): boolean {
	const actual = typeOf(value);
	return type === undefined || actual === type || (type === 'number' && actual === 'integer');
}

const quoted = (value: unknown) => JSON.stringify(value)?.slice(0, 60) ?? String(value);

function textProblem(text: string, shape: JsonShape): string | undefined {
	const length = [...text].length;
	if (shape.minLength !== undefined && length < shape.minLength) return length === 0 ? 'must not be empty' : `must have at least ${shape.minLength} characters`;
	if (shape.maxLength !== undefined && length > shape.maxLength) return `must have at most ${shape.maxLength} characters (has ${length})`;
	if (shape.pattern !== undefined && !new RegExp(`^(?:${shape.pattern})$`).test(text)) return `${quoted(text)} does not have the expected form (${shape.pattern})`;
	if (shape.format === 'email') return emailProblem(text);
	if (shape.format === 'uri') return urlProblem(text);
	if (shape.format === 'headerText') {
		const problem = headerTextProblem(text);
		return problem ? `${quoted(text)} ${problem}` : undefined;
	}
	return undefined;
}

function numberProblem(value: number, shape: JsonShape): string | undefined {
	if (shape.minimum !== undefined && value < shape.minimum) return `must be at least ${shape.minimum}`;
	if (shape.maximum !== undefined && value > shape.maximum) return `must be at most ${shape.maximum}`;
	return undefined;
}

function listProblem(list: unknown[], shape: JsonShape, at: string): string | undefined {
	if (shape.minItems !== undefined && list.length < shape.minItems) return `${at}must have at least ${shape.minItems} entr${shape.minItems === 1 ? 'y' : 'ies'}`;
	if (shape.maxItems !== undefined && list.length > shape.maxItems) return `${at}must have at most ${shape.maxItems} entries (has ${list.length})`;
	if (!shape.items) return undefined;
	for (const [index, entry] of list.entries()) {
		const problem = shapeProblem(entry, shape.items, `${at.replace(/: $/, '')}[${index}]: `);
		if (problem) return problem;
	}
	return undefined;
}

function objectProblem(object: Record<string, unknown>, shape: JsonShape, at: string): string | undefined {
	const prefix = at.replace(/: $/, '');
	for (const key of shape.required ?? []) {
		if (object[key] === undefined) return `${at}needs the key "${key}"`;
	}
	for (const [key, inner] of Object.entries(shape.properties ?? {})) {
		if (object[key] === undefined) continue;
		const problem = shapeProblem(object[key], inner, `${prefix ? `${prefix}.` : ''}${key}: `);
		if (problem) return problem;
	}
	return undefined;
}

/**
 * What is wrong with a value for a shape, or undefined when it fits. `at` names where in the value the
 * problem is ("content.subject: ").
 */
export function shapeProblem(value: unknown, shape: JsonShape, at = ''): string | undefined {
	if (value === null) return shape.nullable ? undefined : `${at}must not be null`;
	if (shape.anyOf) {
		const problems = shape.anyOf.map((candidate) => shapeProblem(value, candidate, at));
		return problems.includes(undefined) ? undefined : problems[0];
	}
	if (!fitsType(value, shape.type)) return `${at}must be ${TYPE_WORDS[shape.type!]}, not ${quoted(value)}`;
	if (shape.enum && !shape.enum.includes(value as string | number | boolean)) {
		return `${at}${quoted(value)} is not one of ${shape.enum.map(quoted).join(', ')}`;
	}
	let problem: string | undefined;
	if (typeof value === 'string') problem = textProblem(value, shape);
	else if (typeof value === 'number') problem = numberProblem(value, shape);
	if (problem) return `${at}${problem}`;
	if (Array.isArray(value)) return listProblem(value, shape, at);
	if (typeof value === 'object') return objectProblem(value as Record<string, unknown>, shape, at);
	return undefined;
}

/** Refuses a raw JSON field's value (parsed) that does not have its field's shape; fields without one pass. */
export function checkJsonShape(node: INode, itemIndex: number, field: { displayName: string; jsonShape?: JsonShape }, value: unknown): void {
	if (!field.jsonShape) return;
	const problem = shapeProblem(value, field.jsonShape);
	if (problem) throw inputError(node, itemIndex, field.displayName, problem, `See the field's description for the expected shape.`);
}
