/**
 * The Especial tables are reproducible: `npm run generate` (scripts/generate/especial.js) writes, from the
 * files in the repo, exactly the committed nodes/Especial/descriptions/generated (same files, same bytes).
 * And every hand-written override in nodes/Especial/descriptions/overrides.ts still meets an operation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generatedOperations } from '../../nodes/Especial/descriptions/generated';
import { overrideKeys } from '../../nodes/Especial/descriptions/overrides';

const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'nodes', 'Especial', 'descriptions', 'generated');

describe('Especial generator', () => {
	let out: string;

	beforeAll(() => {
		out = mkdtempSync(join(tmpdir(), 'especial-generated-'));
		execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate', 'especial.js'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
	}, 180_000);

	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('writes the same files as the committed ones, none missing and none extra', () => {
		expect(readdirSync(out).sort()).toEqual(readdirSync(COMMITTED).sort());
	});

	it('writes every file byte for byte as committed', () => {
		const differing = readdirSync(COMMITTED).filter((name) => !readFileSync(join(out, name)).equals(readFileSync(join(COMMITTED, name))));
		expect(differing).toEqual([]);
	});
});

describe('Especial overrides', () => {
	it('keys every per-title change on a title the generated operations have', () => {
		const titles = new Set(generatedOperations.map((operation) => operation.title));
		expect(overrideKeys.titles.length).toBeGreaterThan(0);
		expect(overrideKeys.titles.filter((title) => !titles.has(title))).toEqual([]);
	});

	it('keys every dropdown on a path parameter some operation has', () => {
		const pathParameters = new Set(generatedOperations.flatMap((operation) => operation.fields.filter((field) => field.location === 'path').map((field) => field.apiName)));
		expect(overrideKeys.pickers.filter((apiName) => !pathParameters.has(apiName))).toEqual([]);
	});
});
