/**
 * Runs shipped helpers in a plain Node process set to another time zone (jest gives each test file its
 * own copy of process.env, so setting TZ inside a test changes nothing). The whole nodes/shared folder
 * is transpiled into a temporary folder, so modules that import each other load as they do in dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SHARED = join(ROOT, 'nodes', 'shared');

/** Transpiles every .ts file of `from` and its subfolders into `to`, keeping the layout. */
function transpileFolder(from: string, to: string): void {
	mkdirSync(to, { recursive: true });
	for (const entry of readdirSync(from, { withFileTypes: true })) {
		if (entry.isDirectory()) transpileFolder(join(from, entry.name), join(to, entry.name));
		else if (entry.name.endsWith('.ts')) {
			const output = ts.transpileModule(readFileSync(join(from, entry.name), 'utf8'), {
				compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			}).outputText;
			writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), output);
		}
	}
}

/**
 * Evaluates `expression` in `timeZone` and returns its value (as JSON). In the expression, `shared(name)`
 * is the module nodes/shared/<name>.ts, e.g. `shared('input/validation').parseDateInput('2026-01-31')`.
 */
export function evaluateInTimeZone(timeZone: string, expression: string): unknown {
	const dir = mkdtempSync(join(tmpdir(), 'shared-tz-'));
	try {
		transpileFolder(SHARED, dir);
		const script = `const shared = (name) => require(${JSON.stringify(dir)} + '/' + name + '.js');
			if (${JSON.stringify(timeZone)} !== 'UTC' && new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset() === 0 && new Date(Date.UTC(2024, 6, 15)).getTimezoneOffset() === 0) throw new Error('TZ not applied');
			process.stdout.write(JSON.stringify(${expression}));`;
		const output = execFileSync(process.execPath, ['-e', script], {
			env: { ...process.env, TZ: timeZone, NODE_PATH: join(ROOT, 'node_modules') },
			encoding: 'utf8',
		});
		return JSON.parse(output);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
