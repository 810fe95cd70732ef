#!/usr/bin/env node
/**
 * n8n's own package scanner, @n8n/scan-community-package (the analysis n8n runs on a community package
 * before it verifies it), on what this package ships and on its source, as `npm test` runs it:
 *
 *   npm run scan                          both (after `npm run build`: the tarball is packed from dist/ as it is)
 *   node scripts/scan-package.mjs --source    only the source (part of `npm run lint`, needs no build)
 *   node scripts/scan-package.mjs --tarball   only the tarball (`npm test` runs it right after the build)
 *   --root <folder>                           another package folder instead of this repository (its test)
 *
 * 1. `npm pack` into a temp folder, unpacked: every .js/.ts/.json file of the tarball, the scanner's
 *    default patterns (its own check of a published package).
 * 2. The source: package.json, nodes/ and credentials/ (the scanner's SOURCE_FILE_PATTERNS, what it
 *    lints in the repository a package's provenance points at).
 * The scanner ignores eslint-disable comments, so a finding here cannot be waved away in the code.
 * Exit code 1 when either fails; the findings are printed as ESLint shows them.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const ROOT = rootArg >= 0 ? path.resolve(args[rootArg + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';

const require = createRequire(import.meta.url);
// The scanner makes a temp folder when it loads; without graceful cleanup it would stay behind.
require(createRequire(require.resolve(SCANNER)).resolve('tmp')).setGracefulCleanup();
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(require.resolve(SCANNER)).href);

const say = (line) => console.log(`[scan] ${line}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/** The files package.json's n8n section lists that dist/ lacks (the tarball is packed from dist/ as it is). */
function missingBuildOutput() {
	const { n8n } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return [...n8n.nodes, ...n8n.credentials].filter((file) => !fs.existsSync(path.join(ROOT, file)));
}

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
	return result.stdout;
}

/** `npm pack` into `folder`, unpacked into `folder/package`; returns that folder and the file count. */
function packInto(folder) {
	const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], ROOT));
	run('tar', ['-xzf', packed.filename, '-C', folder], folder);
	return { dir: path.join(folder, 'package'), files: packed.files.length, name: packed.filename };
}

async function scan(what, dir, patterns) {
	const started = Date.now();
	say(`${what}: scanning (about half a minute)`);
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		say(`${what}: passed (${seconds(started)})`);
		return true;
	}
	say(`${what}: FAILED, ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

async function scanSource() {
	return await scan(`source (${SOURCE_FILE_PATTERNS.join(', ')})`, ROOT, SOURCE_FILE_PATTERNS);
}

async function scanTarball() {
	const missing = missingBuildOutput();
	if (missing.length) {
		say(`dist/ lacks ${missing.join(', ')}: build first (npm run build)`);
		return false;
	}
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-package-'));
	try {
		const tarball = packInto(folder);
		return await scan(`tarball ${tarball.name} (${tarball.files} files)`, tarball.dir);
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

const only = args.filter((arg) => arg === '--source' || arg === '--tarball');
const passed = [
	only.includes('--source') || !only.length ? await scanSource() : true,
	only.includes('--tarball') || !only.length ? await scanTarball() : true,
];
process.exitCode = passed.every(Boolean) ? 0 : 1;
