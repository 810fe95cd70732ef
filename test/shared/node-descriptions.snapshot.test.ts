/**
 * A guard on what users save: every node and credential the package declares (package.json
 * `n8n.nodes` / `n8n.credentials`), loaded from source, with its whole description as n8n reads it.
 * A change to a description or to the shared generator shows here as a snapshot diff to review: a
 * renamed parameter, value or option breaks saved workflows and belongs in a new node version.
 * After a reviewed, intended change: `npx jest test/shared/node-descriptions.snapshot.test.ts -u`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } }).n8n;

/** The source file of a built path: dist/nodes/X/Y.node.js → nodes/X/Y.node.ts. */
const sourceOf = (built: string) => built.replace(/^dist\//, '').replace(/\.js$/, '.ts');

function instancesOf<T>(file: string): T[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exports = require(join(root, sourceOf(file))) as Record<string, unknown>;
	return Object.values(exports)
		.filter((value): value is new () => T => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value)))
		.map((Class) => new Class());
}

/** A node as n8n sees it: one description, or a versioned node's base description and each version's. */
function nodeDescription(node: INodeType | IVersionedNodeType) {
	if ('nodeVersions' in node) {
		return {
			description: node.description,
			versions: Object.fromEntries(Object.entries(node.nodeVersions).map(([version, type]) => [version, type.description])),
			methods: Object.fromEntries(
				Object.entries(node.nodeVersions).map(([version, type]) => [version, Object.fromEntries(Object.entries(type.methods ?? {}).map(([kind, fns]) => [kind, Object.keys(fns as object)]))]),
			),
		};
	}
	return {
		description: node.description,
		methods: Object.fromEntries(Object.entries(node.methods ?? {}).map(([kind, fns]) => [kind, Object.keys(fns as object)])),
	};
}

function credentialDescription(credential: ICredentialType) {
	return Object.fromEntries(Object.entries(credential).map(([key, value]) => [key, typeof value === 'function' ? '[function]' : value]));
}

describe('descriptions users save workflows against', () => {
	test('package.json declares the nodes and credentials this guard covers', () => {
		expect({ nodes: declared.nodes.map(sourceOf), credentials: declared.credentials.map(sourceOf) }).toMatchSnapshot();
	});

	test.each(declared.nodes.map(sourceOf))('node %s', (file) => {
		const nodes = instancesOf<INodeType | IVersionedNodeType>(`dist/${file.replace(/\.ts$/, '.js')}`);
		expect(nodes).toHaveLength(1);
		expect(nodeDescription(nodes[0])).toMatchSnapshot();
	});

	test.each(declared.credentials.map(sourceOf))('credential %s', (file) => {
		const credentials = instancesOf<ICredentialType>(`dist/${file.replace(/\.ts$/, '.js')}`);
		expect(credentials).toHaveLength(1);
		expect(credentialDescription(credentials[0])).toMatchSnapshot();
	});
});
