/**
 * The lint rules that keep nodes/ layered (scripts/eslint/layers.js, run by `npm run lint`): an upward or
 * sideways import in nodes/shared, an import of a provider folder from nodes/shared, and an import cycle
 * anywhere in nodes/ are errors. Checked on a small tree written to a temporary folder, and on the real one.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Linter } from 'eslint';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const layers = require('../../scripts/eslint/layers.js') as { LAYERS: string[][]; rules: Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsParser = require('@typescript-eslint/parser');

let root: string;

function write(file: string, text: string): string {
	const at = join(root, file);
	mkdirSync(resolve(at, '..'), { recursive: true });
	writeFileSync(at, text);
	return at;
}

/** The layer rules' messages for one file of the temporary tree. */
function problemsOf(file: string): string[] {
	const linter = new Linter({ configType: 'flat', cwd: root });
	const config = [
		{
			files: ['**/*.ts'],
			languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
			plugins: { layers },
			rules: { 'layers/downward-imports': 'error', 'layers/no-cycles': 'error' },
		},
	] as Linter.Config[];
	const path = join(root, file);
	return linter.verify(readFileSync(path, 'utf8'), config, { filename: path }).map((message) => `${message.ruleId}: ${message.message}`);
}

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'layers-'));
	write('nodes/shared/util/clock.ts', 'export const now = () => 0;\n');
	write('nodes/shared/model/operation.ts', "import type { now } from '../util/clock';\nexport type Op = { at: typeof now };\n");
	write('nodes/shared/http/transport.ts', "import type { Op } from '../model/operation';\nexport const send = (op: Op) => op;\n");
	write('nodes/shared/input/fields.ts', "import type { Op } from '../model/operation';\nexport const read = (op: Op) => op;\n");
	write('nodes/shared/execution/execute.ts', "import { send } from '../http/transport';\nimport { read } from '../input/fields';\nexport const run = [send, read];\n");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

it('accepts imports from lower layers and from the same folder', () => {
	write('nodes/shared/execution/batching.ts', "import { run } from './execute';\nexport const batch = run;\n");
	expect(problemsOf('nodes/shared/execution/execute.ts')).toEqual([]);
	expect(problemsOf('nodes/shared/execution/batching.ts')).toEqual([]);
});

it('refuses an upward import', () => {
	write('nodes/shared/util/path.ts', "import type { Op } from '../model/operation';\nexport type P = Op;\n");
	expect(problemsOf('nodes/shared/util/path.ts')).toEqual([expect.stringMatching(/^layers\/downward-imports: 'util' must not import from 'model'/)]);
});

it('refuses a sideways import between folders of one layer', () => {
	write('nodes/shared/input/binary.ts', "import { send } from '../http/transport';\nexport const b = send;\n");
	expect(problemsOf('nodes/shared/input/binary.ts')).toEqual([expect.stringMatching(/'input' must not import from 'http'/)]);
});

it('refuses an import of a provider folder from the core', () => {
	write('nodes/Acme/operations.ts', 'export const acme = 1;\n');
	write('nodes/shared/execution/acme.ts', "import { acme } from '../../Acme/operations';\nexport const a = acme;\n");
	expect(problemsOf('nodes/shared/execution/acme.ts')).toEqual([expect.stringMatching(/nodes\/shared must not import from outside it/)]);
});

it('refuses an import cycle, type-only imports included, and names its files', () => {
	write('nodes/Acme/transport.ts', "import { acmeOperations } from './operations';\nexport const call = () => acmeOperations;\n");
	write('nodes/Acme/operations.ts', "import type { call } from './transport';\nexport const acmeOperations: Array<typeof call> = [];\n");
	const problems = problemsOf('nodes/Acme/transport.ts');
	expect(problems).toHaveLength(1);
	expect(problems[0]).toMatch(/^layers\/no-cycles: Import cycle: .*nodes\/Acme\/transport\.ts → .*nodes\/Acme\/operations\.ts → .*nodes\/Acme\/transport\.ts/);
});

it('lists every folder of nodes/shared in a layer, and nodes/shared has no loose files', () => {
	const shared = resolve(__dirname, '..', '..', 'nodes', 'shared');
	const entries = readdirSync(shared);
	expect(entries.filter((entry) => !statSync(join(shared, entry)).isDirectory())).toEqual([]);
	expect(entries.sort()).toEqual(layers.LAYERS.flat().sort());
});
