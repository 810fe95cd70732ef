#!/usr/bin/env node
'use strict';
/**
 * Installs the dev dependencies (`npm ci`) when node_modules/ does not match package-lock.json, so that
 * `npm start`, `npm test` and the other scripts work as the first thing typed in a fresh clone. The
 * repo's .npmrc turns npm's lifecycle hooks off (ignore-scripts), so a `pre*` script would not run:
 * every script in package.json calls this first. Uses only Node's own modules (nothing is installed yet).
 *
 *   node scripts/ensure-deps.js           install if needed, silent when nothing is missing
 *   node scripts/ensure-deps.js --check   only report; exit code 1 when an install is needed
 *
 * Fast path: npm's own record of the last install (node_modules/.package-lock.json) is newer than
 * package-lock.json. Otherwise every package the lock file lists is compared with the installed version,
 * so a lock file that only got a new timestamp (git checkout) installs nothing.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const LOCK_FILE = path.join(ROOT, 'package-lock.json');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const INSTALLED_RECORD = path.join(NODE_MODULES, '.package-lock.json');
// `npm start` and `npm test` started together in a fresh clone must not run two `npm ci` into one
// node_modules/. The lock lives outside the clone (npm ci empties node_modules/; nothing to git-ignore).
const INSTALL_LOCK = path.join(os.tmpdir(), `ensure-deps-${crypto.createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);

const mtime = (file) => {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return undefined;
	}
};

const readJson = (file) => {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
};

function readText(file) {
	try {
		return fs.readFileSync(file, 'utf8').trim();
	} catch {
		return '';
	}
}

/** Why node_modules/ does not match package-lock.json, or undefined when it does. */
function whyInstall() {
	if (!fs.existsSync(NODE_MODULES)) return 'node_modules/ is missing';
	const recorded = mtime(INSTALLED_RECORD);
	if (recorded === undefined) return 'node_modules/ was not installed by npm from package-lock.json';
	if (recorded >= mtime(LOCK_FILE)) return undefined;
	const lock = readJson(LOCK_FILE);
	if (!lock || !lock.packages) return undefined; // npm ci would fail on it too; let the real command say so
	for (const [location, entry] of Object.entries(lock.packages)) {
		if (!location || entry.link) continue;
		const installed = readJson(path.join(ROOT, location, 'package.json'));
		// Optional packages for other platforms (e.g. another OS's esbuild) are never installed.
		if (!installed && entry.optional) continue;
		if (!installed) return `${location} is missing`;
		if (entry.version && installed.version !== entry.version) {
			return `${location} is ${installed.version}, package-lock.json wants ${entry.version}`;
		}
	}
	return undefined;
}

const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Takes the install lock, first waiting while another live process holds it. Returns its release. */
function takeInstallLock() {
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(INSTALL_LOCK);
			fs.writeFileSync(path.join(INSTALL_LOCK, 'pid'), String(process.pid));
			return () => fs.rmSync(INSTALL_LOCK, { recursive: true, force: true });
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const holder = Number(readText(path.join(INSTALL_LOCK, 'pid')));
		const age = Date.now() - (mtime(INSTALL_LOCK) ?? Date.now());
		if ((holder && !pidAlive(holder)) || (!holder && age > 10_000)) {
			fs.rmSync(INSTALL_LOCK, { recursive: true, force: true });
			continue;
		}
		if (!announced) console.log(`[deps] another process (pid ${holder || '?'}) is installing the dev dependencies; waiting for it`);
		announced = true;
		pause(1000);
	}
}

function main() {
	let reason = whyInstall();
	if (!reason) return 0;
	if (process.argv.includes('--check')) {
		console.log(`[deps] an install is needed: ${reason}`);
		return 1;
	}
	const release = takeInstallLock();
	try {
		reason = whyInstall(); // the process we waited for may have installed everything
		return reason ? install(reason) : 0;
	} finally {
		release();
	}
}

function install(reason) {
	console.log(`[deps] ${reason}: installing the dev dependencies (npm ci, about a minute the first time)`);
	const started = Date.now();
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
		cwd: ROOT,
		stdio: 'inherit',
		shell: process.platform === 'win32',
	});
	if (result.status !== 0) {
		console.error(`[deps] npm ci failed (${result.error ? result.error.message : `exit code ${result.status}`}); see its output above`);
		return 1;
	}
	console.log(`[deps] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return 0;
}

process.exitCode = main();
