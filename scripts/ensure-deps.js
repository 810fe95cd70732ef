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
 *
 * Waiting never looks like hanging: while npm ci runs, or while another process holds the install lock,
 * a line with the elapsed time is printed every 15 s. npm's EBADENGINE warnings (isolated-vm, pulled in by
 * n8n-workflow/n8n-core, wants a newer Node) are replaced by one line saying why they are harmless.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const LOCK_FILE = path.join(ROOT, 'package-lock.json');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const INSTALLED_RECORD = path.join(NODE_MODULES, '.package-lock.json');
// `npm start` and `npm test` started together in a fresh clone must not run two `npm ci` into one
// node_modules/. The lock lives outside the clone (npm ci empties node_modules/; nothing to git-ignore).
const INSTALL_LOCK = path.join(os.tmpdir(), `ensure-deps-${crypto.createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);
/** How often a wait reports that it is still waiting (ENSURE_DEPS_PROGRESS_MS lets the test see it sooner). */
const PROGRESS_MS = Number(process.env.ENSURE_DEPS_PROGRESS_MS) || 15_000;

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

/** Prints `message(elapsed)` every PROGRESS_MS until the returned stop function is called. */
function reportProgress(message) {
	const started = Date.now();
	const timer = setInterval(() => console.log(`[deps] ${message(seconds(started))}`), PROGRESS_MS);
	return () => clearInterval(timer);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Takes the install lock, first waiting while another live process holds it. Returns its release. */
async function takeInstallLock() {
	let stopProgress;
	try {
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
			if (!stopProgress) {
				const who = `another process (pid ${holder || '?'})`;
				console.log(`[deps] ${who} is installing the dev dependencies; waiting for it`);
				stopProgress = reportProgress((elapsed) => `still waiting for ${who} to finish installing the dev dependencies (npm ci), ${elapsed} so far`);
			}
			await sleep(1000);
		}
	} finally {
		if (stopProgress) stopProgress();
	}
}

async function main() {
	let reason = whyInstall();
	if (!reason) return 0;
	if (process.argv.includes('--check')) {
		console.log(`[deps] an install is needed: ${reason}`);
		return 1;
	}
	const release = await takeInstallLock();
	try {
		reason = whyInstall(); // the process we waited for may have installed everything
		return reason ? await install(reason) : 0;
	} finally {
		release();
	}
}

/**
 * Passes npm's error output through, except the EBADENGINE warnings, which it counts by package.
 * Returns the packages npm warned about.
 */
function filterEngineWarnings(stream) {
	const packages = new Set();
	let rest = '';
	const pass = (line) => {
		const warning = /^npm warn EBADENGINE\b(.*)$/i.exec(line);
		if (!warning) return process.stderr.write(`${line}\n`);
		const pkg = /package: '([^']+)'/.exec(warning[1]);
		if (pkg) packages.add(pkg[1]);
	};
	stream.on('data', (chunk) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop();
		lines.forEach(pass);
	});
	stream.on('end', () => rest && pass(rest));
	return packages;
}

/** One line instead of npm's five-line EBADENGINE blocks: they look like errors and are not. */
function explainEngineWarnings(packages) {
	if (!packages.size) return;
	console.log(
		`[deps] npm warned (EBADENGINE) that ${[...packages].join(', ')} ${packages.size === 1 ? 'wants' : 'want'} a newer Node than ${process.version}: harmless. ` +
			'They come with n8n-workflow/n8n-core, their native parts are never built here (.npmrc: ignore-scripts), ' +
			'and the real n8n the tests start runs on its own Node 24 (scripts/n8n).',
	);
}

function runNpmCi() {
	return new Promise((resolve) => {
		const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], {
			cwd: ROOT,
			stdio: ['ignore', 'inherit', 'pipe'],
			shell: process.platform === 'win32',
		});
		const warned = filterEngineWarnings(child.stderr);
		child.on('error', (error) => resolve({ error: error.message, warned }));
		child.on('close', (code, signal) => resolve({ error: code === 0 ? undefined : signal || `exit code ${code}`, warned }));
	});
}

async function install(reason) {
	console.log(`[deps] ${reason}: installing the dev dependencies (npm ci, about a minute the first time)`);
	const started = Date.now();
	const stopProgress = reportProgress((elapsed) => `still installing the dev dependencies (npm ci), ${elapsed} so far`);
	const { error, warned } = await runNpmCi();
	stopProgress();
	explainEngineWarnings(warned);
	if (error) {
		console.error(`[deps] npm ci failed (${error}); see its output above`);
		return 1;
	}
	console.log(`[deps] installed in ${seconds(started)}`);
	return 0;
}

main().then((code) => (process.exitCode = code));

