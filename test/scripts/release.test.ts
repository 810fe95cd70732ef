/**
 * scripts/release.js (`npm run release`) in a throw-away repository with a local bare repository as its
 * remote: it refuses a tree with changes and a bump that is no version, and otherwise makes the version
 * commit and tag with npm and pushes both, which is what starts the publish workflow. The checks it runs
 * first (lint, build, scanner, type check, unit tests) are skipped here with --no-checks: `npm test` runs them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '../../scripts/release.js');

let root: string;
const work = () => path.join(root, 'work');
const remote = () => path.join(root, 'remote.git');

function git(cwd: string, ...args: string[]) {
	const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
	return result.stdout.trim();
}

function release(...args: string[]) {
	const result = spawnSync(process.execPath, [SCRIPT, '--no-checks', ...args], { cwd: work(), encoding: 'utf8' });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const version = () => JSON.parse(fs.readFileSync(path.join(work(), 'package.json'), 'utf8')).version;

beforeAll(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
	git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote());
	git(root, 'clone', '--quiet', remote(), work());
	git(work(), 'config', 'user.email', 'release-test@example.com');
	git(work(), 'config', 'user.name', 'Release Test');
	git(work(), 'checkout', '--quiet', '-b', 'main');
	const pkg = { name: 'release-fixture', version: '0.1.0', private: true };
	fs.writeFileSync(path.join(work(), 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
	const lock = { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: { '': { name: pkg.name, version: pkg.version } } };
	fs.writeFileSync(path.join(work(), 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
	git(work(), 'add', 'package.json', 'package-lock.json');
	git(work(), 'commit', '--quiet', '-m', 'Start');
	git(work(), 'push', '--quiet', '-u', 'origin', 'main');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('a working tree with changes is refused, and nothing is tagged', () => {
	fs.writeFileSync(path.join(work(), 'notes.txt'), 'not committed');
	try {
		const { status, output } = release();
		expect(status).toBe(1);
		expect(output).toContain('[release] refused: the working tree has changes; commit or remove them first');
		expect(output).toContain('notes.txt');
		expect(git(work(), 'tag')).toBe('');
	} finally {
		fs.rmSync(path.join(work(), 'notes.txt'));
	}
});

test('a bump that is no version is refused', () => {
	const { status, output } = release('huge');
	expect(status).toBe(1);
	expect(output).toContain('"huge" is not a version bump: use patch, minor, major or a version like 1.2.3');
	expect(version()).toBe('0.1.0');
});

test('a clean tree: the version commit and its tag are made and pushed', () => {
	const { status, output } = release('minor');
	expect(output).toContain('[release] v0.2.0: version commit and tag made');
	expect(status).toBe(0);
	expect(version()).toBe('0.2.0');
	expect(JSON.parse(fs.readFileSync(path.join(work(), 'package-lock.json'), 'utf8')).version).toBe('0.2.0');
	expect(git(remote(), 'log', '-1', '--format=%s', 'main')).toBe('Release 0.2.0');
	expect(git(remote(), 'tag')).toBe('v0.2.0');
}, 60_000);

test('--no-push tags locally and says how to push', () => {
	const { status, output } = release('--no-push');
	expect(status).toBe(0);
	expect(output).toContain('[release] not pushed (--no-push): git push --atomic origin main v0.2.1');
	expect(git(work(), 'tag', '--list', 'v0.2.1')).toBe('v0.2.1');
	expect(git(remote(), 'tag')).toBe('v0.2.0');
}, 60_000);
