#!/usr/bin/env node
'use strict';
/**
 * n8n 2.40.7 in queue mode on this machine (CommonJS, built-ins only), for test/e2e/queue-mode.e2e.js:
 * Postgres 15 and Redis from Debian's packages on loopback ports under a temp folder, then one main
 * (`n8n start`), workers (`n8n worker`) and webhook processors (`n8n webhook`) with the built package
 * installed in each one's user folder, started one after another (2 cores), and a round-robin load balancer
 * in front of main and the webhook processors (N8N_WEBHOOK_URL points at it, as in a real installation).
 *
 *   const cluster = await startQueueCluster({ root, packages: [pkgDir], log })
 *     cluster.main / cluster.workers / cluster.webhooks   n8n processes ({ url, port, stop() })
 *     cluster.balancer.url                                  what providers call
 *     cluster.targets()                                     [main url, webhook processor url, ...]
 *     cluster.runCli(args)                                  n8n CLI against the same database
 *     cluster.sql(query)                                    rows of a query on that database (psql, tab-separated)
 *     cluster.restartN8n()                                  stop every n8n process, start them again (same ports)
 *     cluster.stop()                                        everything, Postgres and Redis included
 *
 * `node scripts/n8n/queue.js` starts a cluster with the package of this folder (built) and keeps it running.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const n8n = require('./n8n-env');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;

/** Postgres binaries: /usr/lib/postgresql/<newest>/bin, or whatever is on PATH. */
function pgBin(name) {
	const base = '/usr/lib/postgresql';
	if (fs.existsSync(base)) {
		const versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
		for (const v of versions) {
			const p = path.join(base, v, 'bin', name);
			if (fs.existsSync(p)) return p;
		}
	}
	return name;
}

/** Postgres refuses to run as root: run its tools as the `postgres` user then. */
function asPostgres(cmd, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function runSync(cmd, args, what) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
	if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${`${r.stdout || ''}${r.stderr || ''}`.trim().slice(-2000)}`);
	return r.stdout;
}

/** A Debian package installed when `present()` says it is missing (root only: CI machines are new). */
function ensureDebianPackage(pkg, present, log) {
	if (present()) return;
	if (!isRoot()) throw new Error(`${pkg} is not installed: apt-get install -y ${pkg}`);
	log(`queue: installing ${pkg} (apt-get)`);
	const install = () => spawnSync('apt-get', ['install', '-y', '-qq', pkg], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	let r = install();
	if (r.status !== 0) {
		spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8', timeout: 300_000 });
		r = install();
	}
	if (r.status !== 0 || !present()) throw new Error(`apt-get install ${pkg} failed: ${(r.stderr || '').slice(-1000)}`);
}

const ensureRedis = (log) => ensureDebianPackage('redis-server', () => has('redis-server'), log);
const ensurePostgres = (log) => ensureDebianPackage('postgresql', () => fs.existsSync(pgBin('initdb')) || has('initdb'), log);

async function startRedis(dir, log) {
	ensureRedis(log);
	fs.mkdirSync(dir, { recursive: true });
	const port = await n8n.freePort();
	const logFile = path.join(dir, 'redis.log');
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ stdio: ['ignore', fd, fd], detached: true },
	);
	fs.closeSync(fd);
	let exited = false;
	child.on('exit', () => (exited = true));
	for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
		if (exited) throw new Error(`redis-server exited: ${fs.readFileSync(logFile, 'utf8').slice(-1000)}`);
		if (/Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8'))) break;
		if (Date.now() > deadline) throw new Error('redis-server not ready in 30 s');
	}
	const stop = async () => {
		if (exited) return;
		const done = new Promise((r) => child.once('exit', r));
		try {
			process.kill(child.pid, 'SIGTERM');
		} catch {}
		await Promise.race([done, sleep(5000)]);
		try {
			process.kill(child.pid, 'SIGKILL');
		} catch {}
	};
	process.on('exit', () => {
		try {
			process.kill(child.pid, 'SIGKILL');
		} catch {}
	});
	return { port, stop, logFile };
}

/** A throwaway Postgres cluster (trust auth, loopback only, no fsync) with database and user `n8n`. */
async function startPostgres(dir, log) {
	ensurePostgres(log);
	const initdb = pgBin('initdb');
	const pgCtl = pgBin('pg_ctl');
	// As root the cluster belongs to `postgres`, which cannot enter the caller's private temp folder: its own folder then.
	if (isRoot()) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	fs.mkdirSync(dir, { recursive: true });
	const data = path.join(dir, 'data');
	if (isRoot()) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	const port = await n8n.freePort();
	const [c1, a1] = asPostgres(initdb, ['-D', data, '-U', 'n8n', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
	runSync(c1, a1, 'initdb');
	const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	const logFile = path.join(dir, 'postgres.log');
	const [c2, a2] = asPostgres(pgCtl, ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
	runSync(c2, a2, 'pg_ctl start');
	log(`queue: Postgres on 127.0.0.1:${port}`);
	const [c3, a3] = asPostgres(pgBin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
	runSync(c3, a3, 'createdb');
	let stopped = false;
	const stopSync = () => {
		if (stopped) return;
		stopped = true;
		const [c, a] = asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
		spawnSync(c, a, { timeout: 30_000 });
		if (isRoot()) fs.rmSync(dir, { recursive: true, force: true });
	};
	process.on('exit', stopSync);
	/**
	 * Rows of one query (psql -At, fields split on tabs), for what n8n's APIs do not show as stored. Async: the
	 * fake providers live in the caller's process and must keep answering meanwhile.
	 */
	const sql = (query) =>
		new Promise((resolve, reject) => {
			const child = spawn(pgBin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query]);
			let out = '';
			let err = '';
			child.stdout.on('data', (d) => (out += d));
			child.stderr.on('data', (d) => (err += d));
			child.on('error', reject);
			child.on('close', (code) => {
				if (code !== 0) return reject(new Error(`psql ${code}: ${err.trim().slice(-1000)} (query: ${query})`));
				resolve(out.split('\n').filter(Boolean).map((line) => line.split('\t')));
			});
		});
	return { port, stop: async () => stopSync(), logFile, sql };
}

/**
 * Round-robin HTTP proxy on 127.0.0.1 in front of the processes that take webhooks (main and webhook
 * processors), as a load balancer would be. `counts[i]` is how many requests went to target i.
 */
async function startBalancer(targets) {
	let next = 0;
	const counts = targets.map(() => 0);
	const server = http.createServer((req, res) => {
		const index = next++ % targets.length;
		counts[index]++;
		const target = new URL(req.url, targets[index]);
		const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', (e) => {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`balancer: ${e.message}`);
		});
		req.pipe(upstream);
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${server.address().port}`;
	return { url, counts, targets, close: () => new Promise((r) => server.close(() => r())) };
}

/** The settings every process of the cluster shares (n8n's own queue-mode settings; nothing package-specific). */
function queueEnv({ redisPort, postgresPort, encryptionKey, webhookUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: 'n8n',
		// n8n's default pool of 2 connections per process: with 50 deliveries at once main's database ping timed
		// out and every process answered 503 "Database is not ready!" for a while (queue-mode e2e, burst check).
		DB_POSTGRESDB_POOL_SIZE: '10',
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_WEBHOOK_URL: `${webhookUrl}/`,
		WEBHOOK_URL: `${webhookUrl}/`,
		// workers report their health on their own port (readiness = DB + Redis connected)
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_RUNNERS_ENABLED: 'true',
	};
}

async function startQueueCluster({ root, packages = [], log = console.log, workers = 2, webhookProcessors = 1, env = {}, timeoutMs = 240_000 } = {}) {
	root = root || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	fs.mkdirSync(root, { recursive: true });
	await n8n.ensureN8n({ log });
	const redis = await startRedis(path.join(root, 'redis'), log);
	log(`queue: Redis on 127.0.0.1:${redis.port}`);
	const postgres = await startPostgres(path.join(root, 'postgres'), log).catch(async (e) => {
		await redis.stop();
		throw e;
	});

	// Ports fixed up front: the balancer needs the targets, and a restart keeps them.
	const mainPort = await n8n.freePort();
	const webhookPorts = [];
	for (let i = 0; i < webhookProcessors; i++) webhookPorts.push(await n8n.freePort());
	const workerPorts = [];
	for (let i = 0; i < workers; i++) workerPorts.push(await n8n.freePort());
	const targetUrls = [mainPort, ...webhookPorts].map((p) => `http://127.0.0.1:${p}`);
	const balancer = await startBalancer(targetUrls);
	const shared = { ...queueEnv({ redisPort: redis.port, postgresPort: postgres.port, encryptionKey: crypto.randomBytes(24).toString('hex'), webhookUrl: balancer.url }), ...env };

	const folder = (name) => path.join(root, name);
	const cluster = { root, redis, postgres, balancer, env: shared, main: undefined, workers: [], webhooks: [] };

	async function startAll() {
		const t = Date.now();
		cluster.main = await n8n.startN8n({ userFolder: folder('main'), port: mainPort, packages, env: shared, log, timeoutMs });
		log(`queue: main ${cluster.main.url} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
		cluster.workers = [];
		for (let i = 0; i < workers; i++) {
			const t1 = Date.now();
			const port = await n8n.freePort();
			const worker = await n8n.startN8n({
				userFolder: folder(`worker-${i + 1}`),
				port,
				packages,
				command: ['worker', '--concurrency=5'],
				env: { ...shared, QUEUE_HEALTH_CHECK_PORT: String(workerPorts[i]) },
				readyUrl: `http://127.0.0.1:${workerPorts[i]}/healthz/readiness`,
				log,
				timeoutMs,
			});
			cluster.workers.push(worker);
			log(`queue: worker ${i + 1} ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
		}
		cluster.webhooks = [];
		for (let i = 0; i < webhookProcessors; i++) {
			const t1 = Date.now();
			const processor = await n8n.startN8n({
				userFolder: folder(`webhook-${i + 1}`),
				port: webhookPorts[i],
				packages,
				command: ['webhook'],
				env: shared,
				log,
				timeoutMs,
			});
			cluster.webhooks.push(processor);
			log(`queue: webhook processor ${i + 1} ${processor.url} ready in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
		}
	}

	async function stopN8n() {
		// Webhook processors and main first (no new executions), workers last (they finish what they took).
		for (const p of [...cluster.webhooks, cluster.main].filter(Boolean)) await p.stop();
		for (const p of cluster.workers) await p.stop();
	}

	cluster.targets = () => [cluster.main.url, ...cluster.webhooks.map((w) => w.url)];
	cluster.processes = () => [cluster.main, ...cluster.workers, ...cluster.webhooks].filter(Boolean);
	cluster.sql = postgres.sql;
	cluster.runCli = (args, opts = {}) => n8n.runCli(args, { userFolder: folder('main'), env: shared, ...opts });
	cluster.restartN8n = async () => {
		await stopN8n();
		await startAll();
	};
	cluster.stopN8n = stopN8n;
	cluster.stop = async () => {
		await stopN8n().catch(() => {});
		await balancer.close().catch(() => {});
		await redis.stop().catch(() => {});
		await postgres.stop().catch(() => {});
	};
	try {
		await startAll();
	} catch (e) {
		await cluster.stop();
		throw e;
	}
	return cluster;
}

module.exports = { startQueueCluster, startRedis, startPostgres, startBalancer, queueEnv };

if (require.main === module) {
	(async () => {
		const pkgDir = path.resolve(__dirname, '..', '..');
		const cluster = await startQueueCluster({ packages: [pkgDir] });
		console.log(`queue mode up: main ${cluster.main.url}, webhooks via ${cluster.balancer.url}, folder ${cluster.root}; Ctrl-C stops`);
		n8n.setExitOnSignal(false);
		const stop = async () => {
			await cluster.stop();
			process.exit(0);
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
