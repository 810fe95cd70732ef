/**
 * A guard on what users save: every node and credential the package declares (package.json `n8n.nodes` /
 * `n8n.credentials`) keeps its parameter names, types, defaults, option values and displayOptions, as
 * recorded in test/compat/*.txt (see test/compat/manifest.ts). Wording is not recorded and can change freely.
 * A renamed parameter or a removed option fails: it belongs in a new node version. After an intended change
 * (a new parameter, or a new version): `npm run compat:update`, and review the diff of test/compat/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { manifestsOf, missingLines } from '../compat/manifest';

const root = join(__dirname, '..', '..');
const manifestDir = join(root, 'test', 'compat');
const update = process.env.UPDATE_COMPAT === '1';
const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } }).n8n;

/** The source file of a built path: dist/nodes/X/Y.node.js → nodes/X/Y.node.ts. */
const sourceOf = (built: string) => built.replace(/^dist\//, '').replace(/\.js$/, '.ts');

function instanceOf<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exports = require(join(root, file)) as Record<string, unknown>;
	const classes = Object.values(exports).filter((value): value is new () => T => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value)));
	expect(classes).toHaveLength(1);
	return new classes[0]();
}

function credentialManifest(credential: ICredentialType): string {
	const line = (property: INodeProperties) => `${property.name} [${property.type}] default=${JSON.stringify(property.default ?? null)}`;
	return `name ${credential.name}\nextends ${JSON.stringify(credential.extends ?? [])}\n${credential.properties.map(line).sort().join('\n')}\n`;
}

/** Compares one manifest with its recorded file (or records it with UPDATE_COMPAT=1). */
function checkManifest(fileName: string, current: string) {
	const file = join(manifestDir, fileName);
	if (update) {
		writeFileSync(file, current);
		return;
	}
	expect(existsSync(file) ? '' : `${fileName} is not recorded: run npm run compat:update`).toBe('');
	const saved = readFileSync(file, 'utf8');
	const lost = missingLines(saved, current);
	const unrecorded = missingLines(current, saved);
	expect({ lostBySavedWorkflows: lost, notYetRecorded: unrecorded }).toEqual({ lostBySavedWorkflows: [], notYetRecorded: [] });
}

describe('what saved workflows depend on', () => {
	test.each(declared.nodes.map(sourceOf))('node %s', (file) => {
		const node = instanceOf<INodeType | IVersionedNodeType>(file);
		const name = file.split('/').pop()!.replace(/\.node\.ts$/, '');
		for (const [version, manifest] of Object.entries(manifestsOf(node))) checkManifest(`${name}.v${version}.txt`, manifest);
	});

	test.each(declared.credentials.map(sourceOf))('credential %s', (file) => {
		const credential = instanceOf<ICredentialType>(file);
		checkManifest(`${credential.name}.credential.txt`, credentialManifest(credential));
	});

	test('a removed option is caught', () => {
		const saved = 'operation [options] default="send" options="send","get" show{resource=["email"]}\n';
		const current = 'operation [options] default="send" options="send" show{resource=["email"]}\n';
		expect(missingLines(saved, current)).toEqual([saved.trim()]);
	});
});
