#!/usr/bin/env node
'use strict';
/**
 * Cuts a release: `npm run release [-- patch|minor|major|<x.y.z>]` (default patch).
 *
 *   1. refuses unless the working tree is clean and the branch is pushed to its upstream
 *   2. runs the fast checks: lint (with n8n's package scanner on the source), build, the scanner on the
 *      packed tarball, type check, unit tests (the end-to-end tests run in CI before the publish)
 *   3. `npm version <bump>`: package.json and package-lock.json get the new version, in a commit
 *      "Release x.y.z" tagged vx.y.z
 *   4. pushes the commit and the tag; .github/workflows/publish.yml sees the tag, runs `npm test` and
 *      publishes from CI with `npm publish --provenance` (n8n's verification of community packages asks
 *      for npm provenance, which only a CI publish gives)
 *
 *   --no-checks   skip step 2 (its test uses it)        --no-push   stop after step 3
 */

const { spawnSync } = require('child_process');
const path = require('path');

const ROOT = process.cwd();
const args = process.argv.slice(2);
const BUMPS = ['patch', 'minor', 'major'];
const CHECKS = [
	['npm', ['run', 'lint']],
	['npm', ['run', 'build']],
	['node', [path.join('scripts', 'scan-package.mjs'), '--tarball']],
	['npm', ['run', 'typecheck']],
	['npm', ['run', 'test:unit']],
];

const say = (line) => console.log(`[release] ${line}`);

class Refusal extends Error {}

function run(command, commandArgs, { capture = false } = {}) {
	const result = spawnSync(command, commandArgs, {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: capture ? 'pipe' : 'inherit',
		shell: process.platform === 'win32',
	});
	if (result.status !== 0) {
		const output = capture ? `: ${`${result.stderr || ''}${result.stdout || ''}`.trim()}` : ' (see above)';
		throw new Refusal(`${command} ${commandArgs.join(' ')} failed${output}`);
	}
	return capture ? result.stdout.trim() : '';
}

const git = (...gitArgs) => run('git', gitArgs, { capture: true });

function bumpOf(list) {
	const bump = list.find((arg) => !arg.startsWith('--')) ?? 'patch';
	if (BUMPS.includes(bump) || /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(bump)) return bump;
	throw new Refusal(`"${bump}" is not a version bump: use patch, minor, major or a version like 1.2.3`);
}

function checkTree() {
	const changes = git('status', '--porcelain');
	if (changes) throw new Refusal(`the working tree has changes; commit or remove them first:\n${changes}`);
	const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
	if (branch === 'HEAD') throw new Refusal('no branch is checked out (detached HEAD)');
	const upstream = spawnSync('git', ['rev-parse', '--abbrev-ref', '@{upstream}'], { cwd: ROOT, encoding: 'utf8' });
	if (upstream.status !== 0) throw new Refusal(`branch ${branch} has no upstream: git push -u origin ${branch} first`);
	git('fetch', '--quiet');
	const [behind, ahead] = git('rev-list', '--left-right', '--count', '@{upstream}...HEAD').split(/\s+/).map(Number);
	if (behind) throw new Refusal(`branch ${branch} is ${behind} commit(s) behind ${upstream.stdout.trim()}: pull first`);
	return { branch, ahead };
}

function main() {
	const bump = bumpOf(args);
	const { branch } = checkTree();
	if (!args.includes('--no-checks')) {
		for (const [command, commandArgs] of CHECKS) {
			say(`${command} ${commandArgs.join(' ')}`);
			run(command, commandArgs);
		}
		checkTree(); // the checks must not have changed a committed file
	}
	const tag = run('npm', ['version', bump, '--message', 'Release %s'], { capture: true }).split('\n').pop();
	say(`${tag}: version commit and tag made`);
	if (args.includes('--no-push')) {
		say(`not pushed (--no-push): git push --atomic ${git('config', `branch.${branch}.remote`)} ${branch} ${tag}`);
		return;
	}
	const remote = git('config', `branch.${branch}.remote`);
	git('push', '--atomic', remote, branch, tag);
	say(`pushed ${branch} and ${tag}: the publish workflow (.github/workflows/publish.yml) tests and publishes it`);
}

try {
	main();
} catch (error) {
	if (!(error instanceof Refusal)) throw error;
	console.error(`[release] refused: ${error.message}`);
	process.exitCode = 1;
}
