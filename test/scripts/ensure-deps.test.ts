/**
 * scripts/ensure-deps.js, the first step of every npm script: in a throw-away project (the script copied
 * into it, one local tarball dependency, so npm needs no registry) it runs the real `npm ci` only when
 * node_modules/ does not match package-lock.json, and a second copy started meanwhile waits for the first.
 * Waits report progress (every 15 s; ENSURE_DEPS_PROGRESS_MS shortens it here), and npm's EBADENGINE
 * warnings (the local dependency wants a Node that does not exist yet) become one explaining line.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '../../scripts/ensure-deps.js');

let root: string;
const installed = () => path.join(root, 'node_modules', 'local-dep', 'package.json');
const lockPath = () => path.join(os.tmpdir(), `ensure-deps-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.lock`);

function npm(args: string[], cwd: string) {
	const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--ignore-scripts', '--offline'], { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')}: ${result.stderr}`);
	return result.stdout.trim();
}

const PROGRESS_ENV = { ...process.env, ENSURE_DEPS_PROGRESS_MS: '100' };

function ensureDeps(...args: string[]) {
	const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-deps.js'), ...args], { cwd: root, encoding: 'utf8', env: PROGRESS_ENV });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Makes package-lock.json newer than npm's record of the last install, as a git checkout does. */
function touchLockFile() {
	const later = new Date(Date.now() + 5000);
	fs.utimesSync(path.join(root, 'package-lock.json'), later, later);
}

beforeAll(() => {
	root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-deps-')));
	const dep = path.join(root, 'dep');
	fs.mkdirSync(dep);
	fs.writeFileSync(path.join(dep, 'package.json'), JSON.stringify({ name: 'local-dep', version: '1.0.0', engines: { node: '>=999' } }));
	const tarball = npm(['pack', '--silent'], dep).split('\n').pop()!;
	fs.renameSync(path.join(dep, tarball), path.join(root, tarball));
	fs.writeFileSync(
		path.join(root, 'package.json'),
		JSON.stringify({ name: 'ensure-deps-fixture', version: '0.0.0', private: true, devDependencies: { 'local-dep': `file:${tarball}` } }),
	);
	npm(['install', '--package-lock-only'], root);
	fs.mkdirSync(path.join(root, 'scripts'));
	fs.copyFileSync(SCRIPT, path.join(root, 'scripts', 'ensure-deps.js'));
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('a fresh clone: --check reports that node_modules/ is missing and installs nothing', () => {
	const { status, output } = ensureDeps('--check');
	expect(status).toBe(1);
	expect(output).toContain('node_modules/ is missing');
	expect(fs.existsSync(path.join(root, 'node_modules'))).toBe(false);
});

test('a fresh clone: runs npm ci, after which nothing is missing and a second run is silent', () => {
	const first = ensureDeps();
	expect(first.status).toBe(0);
	expect(first.output).toContain('node_modules/ is missing: installing the dev dependencies (npm ci');
	expect(JSON.parse(fs.readFileSync(installed(), 'utf8')).version).toBe('1.0.0');
	expect(first.output).toMatch(/\[deps\] still installing the dev dependencies \(npm ci\), \d+ s so far/);
	expect(first.output).toMatch(/\[deps\] installed in \d+ s/);

	const second = ensureDeps();
	expect(second).toEqual({ status: 0, output: '' });
}, 60_000);

test("npm's EBADENGINE warnings are one line that says why they are harmless", () => {
	fs.rmSync(path.join(root, 'node_modules'), { recursive: true, force: true });
	const { status, output } = ensureDeps();
	expect(status).toBe(0);
	expect(output).not.toMatch(/npm warn EBADENGINE/i);
	const explanations = output.split('\n').filter((line) => line.includes('EBADENGINE'));
	expect(explanations).toEqual([expect.stringMatching(/^\[deps\] npm warned \(EBADENGINE\) that local-dep@1\.0\.0 wants a newer Node than v\d+.*: harmless\. /)]);
}, 60_000);

test('a lock file that only got a newer time installs nothing', () => {
	touchLockFile();
	expect(ensureDeps('--check')).toEqual({ status: 0, output: '' });
});

test('a package that is not the locked version is named, and npm ci puts the locked one back', () => {
	fs.writeFileSync(installed(), JSON.stringify({ name: 'local-dep', version: '0.9.0' }));
	touchLockFile();
	const check = ensureDeps('--check');
	expect(check.status).toBe(1);
	expect(check.output).toContain('node_modules/local-dep is 0.9.0, package-lock.json wants 1.0.0');

	expect(ensureDeps().status).toBe(0);
	expect(JSON.parse(fs.readFileSync(installed(), 'utf8')).version).toBe('1.0.0');
}, 60_000);

test('node_modules/ not written by npm (no .package-lock.json) is installed anew', () => {
	fs.rmSync(path.join(root, 'node_modules', '.package-lock.json'));
	const check = ensureDeps('--check');
	expect(check.status).toBe(1);
	expect(check.output).toContain('was not installed by npm');
});

test('while another process installs, it waits for it and then installs nothing more', async () => {
	fs.rmSync(path.join(root, 'node_modules'), { recursive: true, force: true });
	// This test process plays the other installer: it holds the lock while it is alive.
	fs.mkdirSync(lockPath());
	fs.writeFileSync(path.join(lockPath(), 'pid'), String(process.pid));
	let output = '';
	const waiting = spawn(process.execPath, [path.join(root, 'scripts', 'ensure-deps.js')], { cwd: root, env: PROGRESS_ENV });
	waiting.stdout.on('data', (chunk) => (output += chunk));
	waiting.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => waiting.on('exit', resolve));
	try {
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(output).toContain(`another process (pid ${process.pid}) is installing the dev dependencies; waiting for it`);
		expect(output).toMatch(
			new RegExp(`still waiting for another process \\(pid ${process.pid}\\) to finish installing the dev dependencies \\(npm ci\\), \\d+ s so far`),
		);
		expect(waiting.exitCode).toBeNull();
		expect(fs.existsSync(path.join(root, 'node_modules'))).toBe(false);
		npm(['ci'], root); // the other installer's work
	} finally {
		fs.rmSync(lockPath(), { recursive: true, force: true });
	}
	expect(await exited).toBe(0);
	expect(output).not.toContain(': installing the dev dependencies (npm ci');
	expect(fs.existsSync(installed())).toBe(true);
}, 60_000);

test('a lock left by a process that died is taken over', () => {
	fs.mkdirSync(lockPath());
	const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
	fs.writeFileSync(path.join(lockPath(), 'pid'), dead);
	fs.rmSync(path.join(root, 'node_modules', '.package-lock.json'));
	const run = ensureDeps();
	expect(run.status).toBe(0);
	expect(run.output).not.toContain('waiting');
	expect(run.output).toContain('installing the dev dependencies');
	expect(fs.existsSync(lockPath())).toBe(false);
}, 60_000);
