#!/usr/bin/env node
'use strict';
/**
 * Benchmark (`npm run bench` = build + this): our nodes next to n8n's HTTP Request node doing the same
 * job, in one real n8n 2.40.7 process with the built package loaded, against the fakes of test/fake
 * started in this process. HTTP Request runs with its default settings, in two set-ups for the Email
 * Gateway rows: 4.5 with a credential (Header Auth / Custom Auth), and the lean one (4.2, no credential,
 * the key written into a header parameter or the body); each row compares against the faster of them.
 *
 *   node bench/run.js [--sizes 100,300,1000] [--runs 3] [--latencies 0,20,100] [--only send,domain,cleverreach,smsby,especial]
 *                     [--ceiling N] [--profile DIR] [--no-floor] [--rl-limit 20 --rl-window-ms 5000 --rl-items 200] [--note "..."] [--out bench/results.md] [--keep]
 *
 * Headline: per added latency (the fake waits that long before handling each request, like a provider
 * that far away; bench/common.js) and size, one pair of workflows per job, each Webhook → Code ("Make
 * Items": N items) → node under test:
 *   - Email Gateway Send Email (a send) and Get Domain (a read): one request per item on both sides;
 *   - one batched operation per provider (bench/cleverreach-upsert.js, bench/smsby-import.js,
 *     bench/especial-import.js): ours in batch mode, HTTP Request once per item, as a workflow without
 *     our node would do it.
 * Every (latency, size, run) executes ours and each HTTP Request set-up of each job, rotating which goes first;
 * the time is the node's own `executionTime` from the execution's run data; the median run counts, and the baseline is
 * the faster (by median) of the HTTP Request set-ups of the job (Email Gateway: credential-based 4.5 and lean 4.2).
 * Requests, connections and the most requests in flight at once are counted at the fake (bench/common.js).
 * Each run checks its output (item count, and what the fake stored: every mail sent, every contact there).
 *
 * Then, with --ceiling N, a ceiling pass (skipped by default): the Email Gateway rows again at the highest added
 * latency with our Max Requests at Once set (its default is DEFAULT_MAX_CONCURRENCY), next to HTTP Request again, to show
 * how much of our time there is the ceiling. And a rate-limited pass: RL_ITEMS sends against a fake
 * Email Gateway allowing RL_LIMIT per window, with the limit declared and without.
 *
 * Prints the tables and writes bench/results.md. Exit code 1 only when an execution fails or its output
 * or the fake's state is wrong.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const n8n = require('../scripts/n8n/n8n-env');
const { startEmailGatewayServer } = require('../test/fake/email-gateway-server');
const { PACKAGE, HTTP_VERSION, LEAN_HTTP_VERSION, setLatency, currentLatency, startInstrumented, benchWorkflow, runExecution, workflowId } = require('./common');
const { prepareSmsByBench } = require('./smsby-import');
const { prepareCleverReachBench } = require('./cleverreach-upsert');
const { prepareEspecialBench } = require('./especial-import');

const args = process.argv.slice(2);
const opt = (name, def) => {
	const i = args.indexOf(name);
	return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const SIZES = String(opt('--sizes', '100,300,1000')).split(',').map(Number).filter((n) => n > 0);
/** Added latency of the headline passes: the fake waits this long before handling each request, like a provider that far away. */
const LATENCIES = String(opt('--latencies', '0,20,100')).split(',').map(Number).filter((n) => n >= 0);
/** Jobs of the headline (all by default). */
const ONLY = opt('--only', '') ? String(opt('--only', '')).split(',') : undefined;
/** Rate-limited pass: the fake enforces RL_LIMIT requests per RL_WINDOW_MS per sender key; RL_ITEMS sends (0 skips it). */
const RL_LIMIT = Number(opt('--rl-limit', 20));
const RL_WINDOW_MS = Number(opt('--rl-window-ms', 5000));
const RL_ITEMS = Number(opt('--rl-items', 200));
const RUNS = Math.max(1, Number(opt('--runs', 3)));
const KEEP = args.includes('--keep');
const OUT = path.resolve(opt('--out', path.join(__dirname, 'results.md')));
/** A sentence on what else ran on the machine meanwhile, written into results.md. */
const NOTE = opt('--note', '');
const TARGET = 0.8;
/** The ceiling pass (at the highest added latency): our node with Max Requests at Once set to this; 0 (the default) skips it. */
const CEILING_WIDE = Number(opt('--ceiling', 0));
/** --profile DIR: n8n runs with --cpu-prof and writes its CPU profile there when the bench stops it (for finding where time goes). */
const PROFILE_DIR = opt('--profile', '') ? path.resolve(opt('--profile', '')) : '';
/**
 * The Email Gateway rows also run (unless --no-floor) bench/floor (CUSTOM.floorRequest): one request per item through n8n's
 * authenticated request helper and nothing else (no checks, no pacing, all items at once). It shows the least
 * any node bound to that helper, as ours is, can take per item.
 */
const FLOOR = !args.includes('--no-floor');
/** Our node's default Max Requests at Once and the window a run starts with, from the built package. */
const { DEFAULT_MAX_CONCURRENCY: DEFAULT_CEILING, INITIAL_CONCURRENCY: INITIAL_WINDOW } = (() => {
	try {
		return require('../dist/nodes/shared/http/pacing');
	} catch {
		console.error('dist/ missing: run `npm run bench` (builds first) or `npm run build`');
		process.exit(1);
	}
})();
const ACCOUNT_KEY = 'bench-account-key';

const startFake = (rateLimit = false) => startInstrumented(() => startEmailGatewayServer({ accountApiKey: ACCOUNT_KEY, rateLimit, recordRequests: false }));

// ---------------------------------------------------------------------------
// Email Gateway: credentials + nodes under test

const CRED = {
	account: { id: 'BenchEgAccount01', name: 'Bench EG account', type: 'emailGatewayApi' },
	sender: { id: 'BenchEgSender001', name: 'Bench EG sender', type: 'emailGatewaySenderApi' },
	header: { id: 'BenchHttpHeader1', name: 'Bench Bearer header', type: 'httpHeaderAuth' },
	custom: { id: 'BenchHttpCustom1', name: 'Bench APIKey body', type: 'httpCustomAuth' },
	limited: { id: 'BenchEgLimited01', name: 'Bench EG sender (rate limited)', type: 'emailGatewaySenderApi' },
};

function credentialsJson(fakeUrl, senderKey, limited) {
	return [
		{ ...CRED.limited, data: { baseUrl: limited.url, apiKey: limited.senderKey } },
		{ ...CRED.account, data: { baseUrl: fakeUrl, apiKey: ACCOUNT_KEY } },
		{ ...CRED.sender, data: { baseUrl: fakeUrl, apiKey: senderKey } },
		{ ...CRED.header, data: { name: 'Authorization', value: `Bearer ${senderKey}` } },
		{ ...CRED.custom, data: { json: JSON.stringify({ body: { APIKey: ACCOUNT_KEY } }) } },
	];
}
const ref = (c) => ({ [c.type]: { id: c.id, name: c.name } });

const SEND = { from: 'sender@example.com', fromName: 'Bench', subject: 'Bench', html: '<p>Hello from the benchmark</p>' };

/** node under test per variant (named "Under Test" in every workflow); `senderKey` for the lean send, which has no credential */
function nodeUnderTest(variant, fakeUrl, senderKey) {
	const base = { id: 'b0000000-0000-4000-8000-000000000003', name: 'Under Test', position: [440, 0] };
	switch (variant) {
		case 'rl-paced':
		case 'rl-unpaced': {
			const ours = nodeUnderTest('send-ours', fakeUrl);
			// rl-paced: the fake's limit declared as the provider's (Pacing: Custom Limit); rl-unpaced: nothing declared, 429s only.
			const requestOptions =
				variant === 'rl-paced' ? { pacing: 'custom', rateLimitRequests: RL_LIMIT, rateLimitSeconds: RL_WINDOW_MS / 1000 } : { pacing: 'none' };
			return { ...ours, parameters: { ...ours.parameters, requestOptions }, credentials: ref(CRED.limited) };
		}
		case 'send-ours-wide':
		case 'domain-ours-wide': {
			// The ceiling pass: the same node with Max Requests at Once raised to CEILING_WIDE.
			const ours = nodeUnderTest(variant.replace('-wide', ''), fakeUrl);
			return { ...ours, parameters: { ...ours.parameters, requestOptions: { ...(ours.parameters.requestOptions || {}), maxConcurrency: CEILING_WIDE } } };
		}
		case 'send-ours':
			return {
				...base,
				type: `${PACKAGE}.emailGateway`,
				typeVersion: 1,
				parameters: {
					authentication: 'emailGatewaySenderApi',
					resource: 'email',
					operation: 'send',
					fromEmail: SEND.from,
					fromName: SEND.fromName,
					to: '={{ $json.email }}',
					subject: SEND.subject,
					contentType: 'html',
					content: SEND.html,
					// The bench's fake enforces no limit (an account whose limit is raised): no pacing to keep.
					requestOptions: { pacing: 'none' },
				},
				credentials: ref(CRED.sender),
			};
		case 'send-http':
			return {
				...base,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_VERSION,
				parameters: {
					method: 'POST',
					url: `${fakeUrl}/api/v1/email`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ From: { email: ${JSON.stringify(SEND.from)}, name: ${JSON.stringify(SEND.fromName)} }, To: [{ email: $json.email, name: $json.email }], Subject: ${JSON.stringify(SEND.subject)}, ContentType: "html", HtmlContent: ${JSON.stringify(SEND.html)} }) }}`,
					options: {},
				},
				credentials: ref(CRED.header),
			};
		case 'send-http-lean':
			// The lean set-up: HTTP Request 4.2, no credential, the Bearer header as a plain header parameter.
			return {
				...base,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: LEAN_HTTP_VERSION,
				parameters: {
					method: 'POST',
					url: `${fakeUrl}/api/v1/email`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${senderKey}` }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: nodeUnderTest('send-http', fakeUrl).parameters.jsonBody,
					options: {},
				},
			};
		case 'domain-ours':
			return {
				...base,
				type: `${PACKAGE}.emailGateway`,
				typeVersion: 1,
				parameters: { resource: 'domain', operation: 'get', domainId: '123' },
				credentials: ref(CRED.account),
			};
		case 'domain-http':
			return {
				...base,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_VERSION,
				parameters: {
					method: 'POST',
					url: `${fakeUrl}/api.php`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpCustomAuth',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ Command: 'EmailGateway.GetDomain', ResponseFormat: 'JSON', DomainID: '123' }),
					options: {},
				},
				credentials: ref(CRED.custom),
			};
		case 'send-floor':
		case 'domain-floor':
			return {
				...base,
				type: 'CUSTOM.floorRequest',
				typeVersion: 1,
				parameters: variant === 'send-floor' ? { job: 'send', to: '={{ $json.email }}' } : { job: 'domain' },
				credentials: ref(variant === 'send-floor' ? CRED.sender : CRED.account),
			};
		case 'domain-http-lean':
			// The lean set-up: HTTP Request 4.2, no credential, the API key written into the JSON body.
			return {
				...base,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: LEAN_HTTP_VERSION,
				parameters: {
					method: 'POST',
					url: `${fakeUrl}/api.php`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ Command: 'EmailGateway.GetDomain', ResponseFormat: 'JSON', DomainID: '123', APIKey: ACCOUNT_KEY }),
					options: {},
				},
			};
		default:
			throw new Error(variant);
	}
}

const RL_VARIANTS = ['rl-paced', 'rl-unpaced'];

/** The Email Gateway jobs of the headline: a send and a read, one request per item on both sides. */
function emailGatewayJobs(fake) {
	const sentBefore = {};
	return [
		{
			id: 'send',
			op: 'Email Gateway: Send Email',
			kind: 'send',
			ours: { key: 'send-ours', impl: 'Email Gateway node' },
			http: { key: 'send-http', impl: `HTTP Request ${HTTP_VERSION} + Header Auth credential` },
			lean: { key: 'send-http-lean', impl: `HTTP Request ${LEAN_HTTP_VERSION} + Bearer header parameter` },
			floor: { key: 'send-floor', impl: 'floor: one authenticated request per item, nothing else' },
			before(variant) {
				sentBefore[variant] = fake.state.sentEmails.length;
			},
			/** Every item came back with a MessageID and the fake stored one mail per item. */
			verify(variant, result, n) {
				const first = result.items[0].json;
				if (typeof first.MessageID !== 'string') throw new Error(`${variant}: output ${JSON.stringify(first).slice(0, 200)}`);
				const stored = fake.state.sentEmails.length - sentBefore[variant];
				if (stored !== n) throw new Error(`${variant}: the fake stored ${stored} mails, expected ${n}`);
				fake.state.sentEmails.length = 0;
				return { stored };
			},
		},
		{
			id: 'domain',
			op: 'Email Gateway: Get Domain',
			kind: 'read',
			ours: { key: 'domain-ours', impl: 'Email Gateway node' },
			http: { key: 'domain-http', impl: `HTTP Request ${HTTP_VERSION} + Custom Auth credential` },
			lean: { key: 'domain-http-lean', impl: `HTTP Request ${LEAN_HTTP_VERSION} + APIKey in the body` },
			floor: { key: 'domain-floor', impl: 'floor: one authenticated request per item, nothing else' },
			before() {},
			verify(variant, result) {
				const first = result.items[0].json;
				if (!(first.Domain && String(first.Domain.DomainID) === '123')) throw new Error(`${variant}: output ${JSON.stringify(first).slice(0, 200)}`);
				return {};
			},
		},
	];
}

// ---------------------------------------------------------------------------

function cliOk(r, what) {
	if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
	return r;
}

/** One execution of one side of a job: the job resets the fake's state, runs, checks what came out. */
async function runOnce(ctx, job, side, n) {
	const variant = job[side].key;
	job.before(variant);
	const result = await runExecution(ctx, variant, n);
	const extra = job.verify(variant, result, n);
	return {
		job: job.id,
		op: job.op,
		side,
		variant,
		impl: job[side].impl,
		n,
		latency: currentLatency(),
		nodeMs: result.task.executionTime,
		makeItemsMs: result.runData['Make Items'][0].executionTime,
		wallMs: result.wallMs,
		executionId: result.exec.id,
		requests: result.requests,
		byPath: result.byPath,
		byStatus: result.byStatus,
		connections: result.connections,
		maxOpen: result.maxOpen,
		maxInFlight: result.maxInFlight,
		// From the node's start to the first request at the fake: the node's work before it sends anything.
		firstRequestMs: result.firstAt === undefined ? undefined : result.firstAt - result.task.startTime,
		...extra,
	};
}

/** The sides a job runs: ours, HTTP Request as the job sets it up, and the lean HTTP Request set-up where the job has one. */
const sidesOf = (job) => ['ours', 'http', ...(job.lean ? ['lean'] : []), ...(FLOOR && job.floor ? ['floor'] : [])];
/** `sides` rotated by `r` places: which goes first changes from run to run. */
const rotate = (sides, r) => sides.map((_, i) => sides[(i + r) % sides.length]);

/** The median run (for an even count the lower of the two middle ones). */
function medianRun(runs) {
	const sorted = [...runs].sort((a, b) => a.nodeMs - b.nodeMs);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The median run of each HTTP Request set-up of a row, fastest first: the first is the baseline. */
function baselines(runsBySide) {
	return Object.entries(runsBySide)
		.filter(([side, runs]) => side !== 'ours' && side !== 'floor' && runs.length)
		.map(([, runs]) => medianRun(runs))
		.sort((a, b) => a.nodeMs - b.nodeMs);
}

const fmt = (x, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

/** 1-minute load average now, for results.md. */
const loadNow = () => os.loadavg()[0];

async function main() {
	const t0 = Date.now();
	const dist = path.join(ROOT, 'dist', 'nodes', 'EmailGateway', 'EmailGateway.node.js');
	if (!fs.existsSync(dist)) throw new Error('dist/ missing: run `npm run bench` (builds first) or `npm run build`');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	const userFolder = path.join(tmp, 'user');
	const fake = await startFake();
	const senderKey = fake.senderKeyFor('123');
	// A second fake that enforces a rate limit per sender key, for the rate-limited pass.
	const limitedFake = await startFake({ limit: RL_LIMIT, windowMs: RL_WINDOW_MS });
	const limited = { url: limitedFake.url, senderKey: limitedFake.senderKeyFor('123') };
	const rlResults = [];
	const log = (m) => console.log(`  ${m}`);
	const loads = [loadNow()];
	const loadSamples = [];
	const sampler = setInterval(() => loadSamples.push(loadNow()), 5000);
	sampler.unref();
	/** latency → [1-min load average when its pass started, when it ended] */
	const loadDuring = {};
	let instance;
	let failed = false;
	const results = [];
	const wideResults = [];
	const providers = [];
	console.log(`bench: sizes ${SIZES.join(', ')}, ${RUNS} run(s) each, added latency ${LATENCIES.join(' / ')} ms; fake Email Gateway ${fake.url} (rate limit off); temp ${tmp}`);
	try {
		await n8n.ensureN8n({ log });
		// Webhook ids: the Email Gateway workflows take 0-9, each provider two more from 10 on.
		providers.push({ id: 'cleverreach', ...(await prepareCleverReachBench({ webhookIndex: 10 })) });
		providers.push({ id: 'smsby', ...(await prepareSmsByBench({ webhookIndex: 20 })) });
		providers.push({ id: 'especial', ...(await prepareEspecialBench({ webhookIndex: 30 })) });
		const jobs = [...emailGatewayJobs(fake), ...providers.map((p) => ({ ...p.job, id: p.id }))].filter((job) => !ONLY || ONLY.includes(job.id));
		const egWorkflows = [
			...['send-ours', 'send-http', 'domain-ours', 'domain-http'].map((v, i) => benchWorkflow(v, nodeUnderTest(v, fake.url), i)),
			...['send-http-lean', 'domain-http-lean'].map((v, i) => benchWorkflow(v, nodeUnderTest(v, fake.url, senderKey), 8 + i)),
			...(FLOOR ? ['send-floor', 'domain-floor'].map((v, i) => benchWorkflow(v, nodeUnderTest(v, fake.url), 40 + i)) : []),
			...RL_VARIANTS.map((v, i) => benchWorkflow(v, nodeUnderTest(v, limitedFake.url), 4 + i)),
			...['send-ours-wide', 'domain-ours-wide'].map((v, i) => benchWorkflow(v, nodeUnderTest(v, fake.url), 6 + i)),
		];
		fs.writeFileSync(path.join(tmp, 'creds.json'), JSON.stringify([...credentialsJson(fake.url, senderKey, limited), ...providers.flatMap((p) => p.credentials)]));
		fs.writeFileSync(path.join(tmp, 'wfs.json'), JSON.stringify([...egWorkflows, ...providers.flatMap((p) => p.workflows)]));
		cliOk(await n8n.runCli(['import:credentials', `--input=${path.join(tmp, 'creds.json')}`], { userFolder, packages: [ROOT] }), 'import:credentials');
		cliOk(await n8n.runCli(['import:workflow', `--input=${path.join(tmp, 'wfs.json')}`], { userFolder }), 'import:workflow');
		const profileEnv = PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } : {};
		const customExtensions = FLOOR ? path.join(__dirname, 'floor') : undefined;
		instance = await n8n.startN8n({ userFolder, packages: [ROOT], customExtensions, log, env: profileEnv });
		const url = instance.url;
		const cookie = await n8n.ownerSession(url);
		const apiKey = await n8n.createApiKey(url, cookie);
		for (const job of jobs) for (const side of sidesOf(job)) await n8n.activateWorkflow(url, apiKey, cookie, workflowId(job[side].key));
		if (RL_ITEMS > 0) for (const v of RL_VARIANTS) await n8n.activateWorkflow(url, apiKey, cookie, workflowId(v));
		// The ceiling pass: the Email Gateway jobs again, ours with Max Requests at Once = CEILING_WIDE.
		const wideJobs = CEILING_WIDE > 0 ? jobs.filter((job) => job.id === 'send' || job.id === 'domain').map((job) => ({ ...job, ours: { key: `${job.ours.key}-wide`, impl: `${job.ours.impl}, Max Requests at Once ${CEILING_WIDE}` } })) : [];
		for (const job of wideJobs) await n8n.activateWorkflow(url, apiKey, cookie, workflowId(job.ours.key));
		const ctx = { url, apiKey };
		console.log(`n8n ${n8n.N8N_VERSION} at ${url} (startup ${(instance.startupMs / 1000).toFixed(1)} s); warming up`);
		for (const job of jobs) for (const side of sidesOf(job)) await runOnce(ctx, job, side, 20);
		loads.push(loadNow());

		for (const latency of LATENCIES) {
			setLatency(latency);
			loadDuring[latency] = [loadNow()];
			for (const n of SIZES) {
				for (let r = 0; r < RUNS; r++) {
					for (const job of jobs) {
						for (const side of rotate(sidesOf(job), r)) {
							const res = await runOnce(ctx, job, side, n);
							res.run = r + 1;
							results.push(res);
							console.log(
								`  +${String(latency).padStart(3)} ms ${String(n).padStart(5)} items  ${res.variant.padEnd(17)} run ${r + 1}: node ${String(res.nodeMs).padStart(6)} ms = ${fmt(res.nodeMs / n)} ms/item; fake saw ${res.requests} requests on ${res.connections} connections, at most ${res.maxInFlight} in flight`,
							);
						}
					}
				}
			}
			loads.push(loadNow());
			loadDuring[latency].push(loadNow());
		}
		if (wideJobs.length) {
			const latency = Math.max(...LATENCIES);
			setLatency(latency);
			const n = Math.max(...SIZES);
			console.log(`ceiling pass: +${latency} ms, ${n} items, ours with Max Requests at Once ${CEILING_WIDE}`);
			for (const job of wideJobs) await runOnce(ctx, job, 'ours', 20);
			for (let r = 0; r < RUNS; r++) {
				for (const job of wideJobs) {
					for (const side of rotate(sidesOf(job), r)) {
						const res = await runOnce(ctx, job, side, n);
						res.run = r + 1;
						res.wide = true;
						wideResults.push(res);
						console.log(`  +${latency} ms ${n} items  ${res.variant.padEnd(17)} run ${r + 1}: node ${res.nodeMs} ms = ${fmt(res.nodeMs / n)} ms/item; at most ${res.maxInFlight} in flight`);
					}
				}
			}
			loads.push(loadNow());
		}
		setLatency(0);
		if (RL_ITEMS > 0) {
			console.log(`rate-limited pass: the fake allows ${RL_LIMIT} sends per ${RL_WINDOW_MS / 1000} s per sender key; ${RL_ITEMS} sends`);
			const rlJob = {
				before() {},
				verify(variant, result) {
					if (typeof result.items[0].json.MessageID !== 'string') throw new Error(`${variant}: output ${JSON.stringify(result.items[0].json).slice(0, 200)}`);
					return {};
				},
			};
			for (const variant of RL_VARIANTS) {
				limitedFake.resetRateLimits();
				const before = limitedFake.state.sentEmails.length;
				const res = await runOnce(ctx, { ...rlJob, id: variant, op: variant, ours: { key: variant } }, 'ours', RL_ITEMS);
				const sent = limitedFake.state.sentEmails.slice(before).map((email) => email.to[0].email);
				res.sentOnce = sent.length === RL_ITEMS && new Set(sent).size === RL_ITEMS;
				res.tooMany = res.byStatus[429] || 0;
				rlResults.push(res);
				console.log(`  ${variant}: node ${res.nodeMs} ms; ${res.requests} requests, ${res.tooMany} answered 429; each item sent once: ${res.sentOnce}`);
			}
			loads.push(loadNow());
		}
	} catch (e) {
		failed = true;
		console.error(`bench failed: ${e && e.stack ? e.stack : e}`);
	} finally {
		if (instance) await instance.stop();
		await fake.close();
		await limitedFake.close();
		for (const p of providers) await p.close();
		if (KEEP || failed) console.log(`  temp folder kept: ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
	if (failed) {
		process.exitCode = 1;
		return;
	}

	// ------------------------------------------------------------- report
	// Each side's median run; the baseline is the faster of the HTTP Request set-ups (by their medians).
	const rowOf = (runs) => {
		const bySide = {};
		for (const r of runs) (bySide[r.side] = bySide[r.side] || []).push(r);
		const a = medianRun(bySide.ours);
		const [b, other] = baselines(bySide);
		const floor = bySide.floor ? medianRun(bySide.floor) : undefined;
		return { latency: a.latency, n: a.n, job: a.job, op: a.op, a, b, other, floor, ratio: a.nodeMs / b.nodeMs };
	};
	const jobIds = [...new Set(results.map((r) => r.job))];
	const rows = [];
	for (const latency of LATENCIES) {
		for (const n of SIZES) {
			for (const job of jobIds) rows.push(rowOf(results.filter((r) => r.job === job && r.n === n && r.latency === latency)));
		}
	}
	const table = headlineTable(rows);
	const wideRows = [...new Set(wideResults.map((r) => r.job))].map((job) => rowOf(wideResults.filter((r) => r.job === job)));
	const wideTable = wideRows.length ? headlineTable(wideRows) : [];
	const allRuns = [
		'| added latency | items | variant | run | node executionTime ms | ms/item | first request after ms | Make Items ms | webhook→done ms | requests | connections | most in flight | most connections open |',
		'|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		...[...results, ...wideResults].map(
			(r) =>
				`| ${r.latency} ms | ${r.n} | ${r.variant} | ${r.run} | ${r.nodeMs} | ${fmt(r.nodeMs / r.n)} | ${r.firstRequestMs ?? '-'} | ${r.makeItemsMs} | ${r.wallMs} | ${r.requests} | ${r.connections} | ${r.maxInFlight} | ${r.maxOpen} |`,
		),
	];
	// The fastest any client can go: the last window opens (items / limit - 1) windows after the first.
	const rlMinimumMs = (Math.ceil(RL_ITEMS / RL_LIMIT) - 1) * RL_WINDOW_MS;
	const rlTable = [
		`| run | node executionTime | × window minimum (${rlMinimumMs / 1000} s; target ≤ 1.15) | requests | answered 429 | each item sent exactly once | failed items |`,
		'|---|---:|---:|---:|---:|---|---:|',
		...rlResults.map((r) => {
			const label = r.variant === 'rl-paced' ? `Email Gateway node, limit declared (Pacing: Custom Limit ${RL_LIMIT} per ${RL_WINDOW_MS / 1000} s, as a documented limit)` : 'Email Gateway node, no limit declared (Pacing: None: only 429 + Retry-After, run-wide)';
			const factor = r.nodeMs / rlMinimumMs;
			return `| ${label} | ${(r.nodeMs / 1000).toFixed(1)} s | ${fmt(factor, 2)} ${factor <= 1.15 ? '✅' : '❌'} | ${r.requests} | ${r.tooMany} | ${r.sentOnce ? 'yes' : 'NO'} | 0 |`;
		}),
	];
	console.log(`\n${table.join('\n')}\n`);
	if (rlResults.length) console.log(`${rlTable.join('\n')}\n`);
	const misses = rows.filter((r) => r.ratio > TARGET);
	console.log(
		misses.length
			? `Target ratio ≤ ${TARGET} missed for: ${misses.map((r) => `${r.op} × ${r.n} at +${r.latency} ms (${fmt(r.ratio, 2)})`).join(', ')} — see ${path.relative(process.cwd(), OUT)} "Where the time goes".`
			: `All ratios ≤ ${TARGET}.`,
	);
	if (wideTable.length) console.log(`ceiling pass (ours with Max Requests at Once ${CEILING_WIDE}):\n${wideTable.join('\n')}\n`);
	clearInterval(sampler);
	const sorted = [...loadSamples].sort((x, y) => x - y);
	const sampled = sorted.length ? `; sampled every 5 s: min ${sorted[0].toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)}` : '';
	const loadText = `load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' → ')} (start, after warm-up, after each latency${wideRows.length ? ', after the ceiling pass' : ''}${rlResults.length ? ', after the rate-limited pass' : ''}${sampled})`;

	const md = [
		'# Benchmark: our nodes vs the HTTP Request node',
		'',
		`Latest run: ${new Date().toISOString()} · \`npm run bench\` (\`node bench/run.js --sizes ${SIZES.join(',')} --runs ${RUNS} --latencies ${LATENCIES.join(',')}${ONLY ? ` --only ${ONLY.join(',')}` : ''}\`) · total ${((Date.now() - t0) / 1000).toFixed(0)} s`,
		'',
		...(NOTE ? [NOTE, ''] : []),
		`Machine: ${os.cpus().length} × ${os.cpus()[0] ? os.cpus()[0].model : '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GB; ${loadText} · n8n ${n8n.N8N_VERSION} on Node 24 (one \`n8n start\` process, SQLite, regular mode) · the fakes of test/fake in the bench process on 127.0.0.1 (Email Gateway with rate limit and request recording off); "added latency" = the fake waits that long before handling each request, like a provider that far away (bench/common.js, the same for every fake).`,
		'',
		'Each variant is a workflow Webhook → Code ("Make Items", N items) → node under test, triggered by a POST and',
		'read back with `GET /api/v1/executions/{id}?includeData=true`; the time is the node\'s own `executionTime`.',
		`Median of ${RUNS} run(s) per side and row; the baseline is the faster of the row's HTTP Request set-ups (by median); which side goes first rotates from run to run; one warm-up execution (20 items) per variant first.`,
		'Every run is checked: N output items, and at the fake one stored mail per send, every receiver / contact in its group / list.',
		'"requests" = requests the fake received during the execution (logins and token refreshes included); "most in flight" = most requests that had arrived at the fake and were not yet answered, at the same time (the added latency included); "connections" = TCP connections the fake accepted (n8n does not reuse connections).',
		`Ours runs with its defaults (Max Requests at Once ${DEFAULT_CEILING}, adaptive from ${INITIAL_WINDOW}) except Send Email's Pacing: None, because this fake enforces no limit (an account whose limit is raised); with the documented 100 per 60 s the node keeps to it (see the rate-limited pass). HTTP Request runs with its default settings (no Batching option) everywhere: ${HTTP_VERSION} with a credential for every job, and for the Email Gateway rows also the lean ${LEAN_HTTP_VERSION} set-up without one.`,
		'',
		'What each row does:',
		'',
		`- **Email Gateway: Send Email** (a send): \`POST /api/v1/email\` with \`Authorization: Bearer <sender key>\`, one per item (ours: Email Gateway Sender API credential, To = \`{{ $json.email }}\`, HTML content, Pacing None; HTTP Request ${HTTP_VERSION}: Header Auth credential; HTTP Request ${LEAN_HTTP_VERSION} (lean): no credential, the header as a plain header parameter; both POST the same JSON body, built per item from \`$json.email\` by one expression).`,
		`- **Email Gateway: Get Domain** (a read): \`POST /api.php\` \`{"Command":"EmailGateway.GetDomain","ResponseFormat":"JSON","DomainID":"123"}\` + \`APIKey\` body field, one per item (ours: Email Gateway API credential; HTTP Request ${HTTP_VERSION}: Custom Auth credential \`{"body":{"APIKey":…}}\`; HTTP Request ${LEAN_HTTP_VERSION} (lean): no credential, the key written into the JSON body).`,
		...providers.flatMap((p) => p.describe),
		'',
		...(FLOOR
			? [
					'**The floor** (column "floor ms/item", Email Gateway rows): bench/floor/FloorRequest.node.js, loaded as a custom node, makes the same request per item through `httpRequestWithAuthentication` with the same credential, as every node of this package must, and nothing else: no input checks, no pacing or window, no retries, no answer reading, every item at once (Send Email reads `To` per item with the same expression). It is the least any node bound to that helper can take per item; its ratio to HTTP Request is the best ratio such a node can reach. It is not a baseline.',
					'',
				]
			: []),
		'For the batched rows, HTTP Request does what a workflow without our node does with one HTTP Request node after the items: one call per item (the API accepts a list, but filling it needs extra nodes, Aggregate + a body expression, and then no longer maps errors or answers back to items).',
		'',
		'## Result (median run; baseline = the faster HTTP Request set-up)',
		'',
		...table,
		'',
		...(wideTable.length
			? [
					`## Ceiling pass: +${wideRows[0].latency} ms with Max Requests at Once ${CEILING_WIDE} ${CEILING_WIDE === DEFAULT_CEILING ? ' (the default, run again)' : ' (not the default)'}`,
					'',
					`The Email Gateway rows again at the highest added latency, in the same n8n, with our node's Request Options → Max Requests at Once set from its default ${DEFAULT_CEILING} to ${CEILING_WIDE} (HTTP Request unchanged, run again alongside). It shows how much of our time at that latency is the ceiling: with ${DEFAULT_CEILING} in flight and ${wideRows[0].latency} ms per answer no run can go below ${fmt(wideRows[0].latency / DEFAULT_CEILING)} ms/item.`,
					'',
					...wideTable,
					'',
				]
			: []),
		...(rlResults.length
			? [
					`## Rate-limited pass: ${RL_ITEMS} sends, the fake allows ${RL_LIMIT} per ${RL_WINDOW_MS / 1000} s`,
					'',
					`A second fake Email Gateway enforces ${RL_LIMIT} requests per ${RL_WINDOW_MS / 1000} s per sender key (fixed window from its first request; beyond it HTTP 429 with Retry-After and "Wait for X seconds for another ${RL_LIMIT} attempts."). No added latency. HTTP Request with its defaults is not shown: it fails at the first 429.`,
					'',
					...rlTable,
					'',
				]
			: []),
		'## All runs',
		'',
		...allRuns,
		'',
		'## Where the time goes',
		'',
		...analysis(rows, results, loadDuring, wideRows),
		'',
	];
	fs.writeFileSync(OUT, md.join('\n'));
	console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

/** The headline table (also what the README's Speed section shows). */
function headlineTable(rows) {
	const withFloor = rows.some((row) => row.floor);
	const floorCell = (row) => (withFloor ? ` ${row.floor ? `${fmt(row.floor.nodeMs / row.n)} (${fmt(row.floor.nodeMs / row.b.nodeMs, 2)})` : '-'} |` : '');
	return [
		`| added latency | items | operation | ours ms/item | HTTP Request ms/item | ratio ours/HTTP (target ≤ 0.8) | baseline (the faster HTTP Request set-up) | other set-up ms/item |${withFloor ? ' floor ms/item (floor/HTTP) |' : ''} requests ours / HTTP | most in flight ours / HTTP |`,
		`|---:|---:|---|---:|---:|---:|---|---:|${withFloor ? '---:|' : ''}---:|---:|`,
		...rows.map(
			(row) =>
				`| ${row.latency} ms | ${row.n} | ${row.op} | ${fmt(row.a.nodeMs / row.n)} | ${fmt(row.b.nodeMs / row.n)} | ${fmt(row.ratio, 2)} ${row.ratio <= TARGET ? '✅' : '❌'} | ${row.b.impl} | ${row.other ? fmt(row.other.nodeMs / row.n) : '-'} |${floorCell(row)} ${row.a.requests} / ${row.b.requests} | ${row.a.maxInFlight} / ${row.b.maxInFlight} |`,
		),
	];
}

/** Round trips our window needs for n requests: it starts at INITIAL_WINDOW and doubles per round trip (one more per answer) up to the ceiling. */
function roundTrips(n) {
	let trips = 0;
	for (let sent = 0, window = INITIAL_WINDOW; sent < n; trips++) {
		sent += window;
		window = Math.min(DEFAULT_CEILING, window * 2);
	}
	return trips;
}

/** Plain-language notes derived from the measurements. */
function analysis(rows, results, loadDuring, wideRows = []) {
	const out = [];
	const runsOf = (row, side) => results.filter((r) => r.job === row.job && r.side === side && r.n === row.n && r.latency === row.latency);
	const misses = rows.filter((r) => r.ratio > TARGET);
	for (const row of misses) {
		const { latency, n, op, a, b, ratio } = row;
		const ours = runsOf(row, 'ours');
		// The runs of the baseline: the HTTP Request set-up this row compares against.
		const theirs = runsOf(row, b.side);
		const load = loadDuring[latency] ? ` (1-min load average ${loadDuring[latency].map((l) => l.toFixed(1)).join(' → ')} during this latency's pass)` : '';
		const parts = [
			`- **Missed: ${op} at +${latency} ms, ratio ${fmt(ratio, 2)}.** Every run: ours ${ours.map((r) => r.nodeMs).join(' / ')} ms, ${b.impl} ${theirs.map((r) => r.nodeMs).join(' / ')} ms${load}.`,
		];
		if (a.requests >= n && latency > 0) {
			parts.push(
				`Our window starts at ${INITIAL_WINDOW} requests in flight and grows by one per answer up to Max Requests at Once (${DEFAULT_CEILING}); it reached ${a.maxInFlight} here, so ${n} items took at least ${roundTrips(n)} round trips of ${latency} ms (${roundTrips(n) * latency} ms), while HTTP Request had up to ${b.maxInFlight} in flight and sent them all in one. The rest is n8n's own work per request on the shared cores, which the machine's load inflates for both sides but not by the same amount in every run.`,
			);
		}
		const wide = wideRows.find((w) => w.job === row.job && w.latency === latency);
		if (wide) {
			parts.push(
				`With Max Requests at Once ${CEILING_WIDE} (ceiling pass) ours took ${fmt(wide.a.nodeMs / n)} ms/item with up to ${wide.a.maxInFlight} in flight, against ${fmt(wide.b.nodeMs / n)} for HTTP Request in that pass: ratio ${fmt(wide.ratio, 2)}` +
					(wide.ratio <= TARGET ? `, within the target: this miss is the default ceiling of ${DEFAULT_CEILING} requests in flight, not our node's work per request.` : ', still a miss.'),
			);
		}
		const first = ours.map((r) => r.firstRequestMs).filter((x) => x !== undefined);
		if (first.length) parts.push(`Our node's first request reached the fake ${first.join(' / ')} ms after it started: the check of every item before the first send (${b.impl}: first request after ${theirs.map((r) => r.firstRequestMs ?? '-').join(' / ')} ms).`);
		out.push(parts.join(' '));
	}
	if (wideRows.length) {
		const latency = wideRows[0].latency;
		const pairs = wideRows.map((wide) => {
			const row = rows.find((r) => r.job === wide.job && r.latency === latency && r.n === wide.n);
			return row
				? `${wide.op}: ours ${fmt(row.a.nodeMs / row.n)} → ${fmt(wide.a.nodeMs / wide.n)} ms/item (HTTP Request ${fmt(row.b.nodeMs / row.n)} / ${fmt(wide.b.nodeMs / wide.n)}), ratio ${fmt(row.ratio, 2)} → ${fmt(wide.ratio, 2)}`
				: `${wide.op}: ratio ${fmt(wide.ratio, 2)}`;
		});
		out.push(
			`- **Ceiling at +${latency} ms.** With one request per item, our node had at most ${Math.max(...wideRows.map((w) => (rows.find((r) => r.job === w.job && r.latency === latency && r.n === w.n) || { a: { maxInFlight: 0 } }).a.maxInFlight))} requests in flight with its default ceiling of ${DEFAULT_CEILING}, which alone allows no less than ${fmt(latency / DEFAULT_CEILING)} ms/item at ${latency} ms per answer; HTTP Request has no ceiling. Default ceiling → Max Requests at Once ${CEILING_WIDE} (ceiling pass, HTTP Request run again alongside, so its time differs too): ${pairs.join('; ')}. The drop in our ms/item is what the default ceiling costs at this latency.`,
		);
	}
	if (misses.length || wideRows.length) out.push('');
	for (const { latency, n, op, a, b, ratio } of rows) {
		out.push(
			`- ${op} × ${n} at +${latency} ms: ours ${fmt(a.nodeMs / n)} ms/item, ${a.requests} request(s), at most ${a.maxInFlight} in flight; ` +
				`HTTP Request ${fmt(b.nodeMs / n)} ms/item, ${b.requests} requests, up to ${b.maxInFlight} in flight → ratio ${fmt(ratio, 2)}${ratio <= TARGET ? ' (meets the target)' : ' (misses the target)'}.`,
		);
	}
	const last = rows.filter((r) => r.latency === Math.max(...rows.map((x) => x.latency)));
	const sample = last.find((r) => r.job === 'send') || last[0];
	if (sample) {
		const perConn = sample.a.requests / Math.max(1, sample.a.connections);
		const perConnHttp = sample.b.requests / Math.max(1, sample.b.connections);
		out.push(
			'',
			perConn < 1.5
				? `- Connections: ${fmt(perConn, 2)} requests per TCP connection for our node and ${fmt(perConnHttp, 2)} for HTTP Request (${sample.op}): n8n's request helpers (\`httpRequestWithAuthentication\` / \`requestWithAuthentication\` → @n8n/backend-network, a fresh agent per request) do not keep connections alive, so every request pays a TCP connect + close on both sides. Same cost for both variants; nothing our node can change short of bypassing n8n's helpers.`
				: `- Connections: our requests reuse connections (~${fmt(perConn, 1)} requests per TCP connection; HTTP Request ${fmt(perConnHttp, 1)}).`,
			`- Concurrency (one request per item): our node had at most ${last.filter((r) => r.a.requests >= r.n).map((r) => `${r.a.maxInFlight} (${r.op})`).join(' / ')} requests in flight at +${sample.latency} ms (nodes/shared/http/pacing.ts: ${INITIAL_WINDOW} in flight at first, one more per healthy answer, halved on 429/503/timeouts, at most Max Requests at Once = ${DEFAULT_CEILING}). HTTP Request 4.x prepares the requests in an item loop and awaits them all at the end (Promise.allSettled, no limit unless "Batching" is set), so its requests leave once the loop is done (see "first request after ms" in All runs), all together: at +${sample.latency} ms it had up to ${sample.b.maxInFlight} in flight (${sample.op}). At 0 ms both sides show 1 in flight because the fake answers at once, so n8n's work per request is all there is (connections linger a little longer, see "most connections open" in All runs). With ${DEFAULT_CEILING} in flight at most and ${sample.latency} ms per answer, our node cannot go below ${fmt(sample.latency / DEFAULT_CEILING)} ms/item plus the round trips of the ramp from ${INITIAL_WINDOW}; HTTP Request has neither a ceiling nor a ramp.`,
			'- Baselines: HTTP Request 4.5 with a credential (Header Auth / Custom Auth) has n8n fetch and decrypt the credential and apply it for every item; the lean 4.2 set-up (the key typed into a header parameter or the body, no credential) skips that and is the faster one wherever the table says so. Which set-up each row compares against is in its "baseline" column; the other set-up\'s median is next to it.',
			'- Our node\'s time is n8n-side work per item (the fakes answer at once, after the added latency): parameter and expression resolution, building the requests, parsing the answers. With added latency, per item about (latency + n8n\'s own work per request) / requests in flight, so the adaptive window grows until n8n\'s own work per request is the bound again. The node reads its credentials once per execution instead of once per item (getCachedCredentials in nodes/shared/http/transport.ts).',
			'- Batched rows: ours sends one request per chunk (CleverReach and Especial 1,000 items, SMS.by 500), so its time is almost all per-item work in n8n (reading the item\'s parameters, building the chunk, mapping the answer back to the items) and the added latency is paid once or twice per run, not per item; HTTP Request pays a request per item. Chunks of an operation that is not safe to repeat (all three here) go one at a time without Continue On Fail (nodes/shared/execution/execute.ts), so SMS.by\'s two chunks show 1 in flight and pay the added latency twice.',
		);
	}
	return out;
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
});
