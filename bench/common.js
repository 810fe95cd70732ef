'use strict';
/**
 * What every row of `npm run bench` shares (bench/run.js and the provider files next to it):
 *
 * - `startInstrumented(start)`: starts a fake from test/fake inside this process with node:http's
 *   createServer patched for the duration, so that every fake gets the same two things without an option
 *   of its own: the added latency (`setLatency(ms)`: each request waits that long before the fake's
 *   handler sees it, like a provider that far away) and the meter below.
 * - `meter`: what the fakes saw since `resetMeter()`: requests (by path and status), TCP connections, the
 *   most connections open at once, the most requests in flight at once (arrived at the fake and not yet
 *   answered, the added latency included) and when the first request arrived. One execution runs at a time, so one meter serves every fake.
 * - `benchWorkflow(...)`: Webhook → Code ("Make Items": N items) → the node under test ("Under Test").
 * - `runExecution(ctx, workflowId, hookPath, n)`: POSTs the webhook, waits for the execution, returns it
 *   with the run data, or throws when it failed.
 */
const http = require('http');
const n8n = require('../scripts/n8n/n8n-env');

const PACKAGE = 'n8n-nodes-email-marketing';
/** HTTP Request as the bench's credential-based set-ups use it (n8n 2.40's newest 4.x at the time). */
const HTTP_VERSION = 4.5;
/** HTTP Request of the lean set-ups: no credential, the key written into a header or the body (issue 18's independent bench). */
const LEAN_HTTP_VERSION = 4.2;

const meter = { requests: 0, byPath: {}, byStatus: {}, connections: 0, open: 0, maxOpen: 0, inFlight: 0, maxInFlight: 0, firstAt: undefined };
let latencyMs = 0;

/** Counters back to zero; what is open or in flight now stays counted (and is the new maximum). */
function resetMeter() {
	Object.assign(meter, { requests: 0, byPath: {}, byStatus: {}, connections: 0, maxOpen: meter.open, maxInFlight: meter.inFlight, firstAt: undefined });
}

function setLatency(ms) {
	latencyMs = ms;
}
const currentLatency = () => latencyMs;

/** Runs `start()` (a fake's start function) with node:http's createServer instrumented; returns what it returns. */
async function startInstrumented(start) {
	const original = http.createServer;
	http.createServer = function patched(...args) {
		if (typeof args[args.length - 1] === 'function') {
			const handler = args[args.length - 1];
			args[args.length - 1] = (req, res) => (latencyMs > 0 ? setTimeout(() => handler(req, res), latencyMs) : handler(req, res));
		}
		const server = original.apply(this, args);
		server.on('connection', (socket) => {
			meter.connections++;
			meter.open++;
			meter.maxOpen = Math.max(meter.maxOpen, meter.open);
			socket.on('close', () => meter.open--);
		});
		server.on('request', (req, res) => {
			if (meter.firstAt === undefined) meter.firstAt = Date.now();
			meter.requests++;
			meter.inFlight++;
			meter.maxInFlight = Math.max(meter.maxInFlight, meter.inFlight);
			let done = false;
			const finished = () => {
				if (done) return;
				done = true;
				meter.inFlight--;
			};
			res.on('finish', () => {
				meter.byStatus[res.statusCode] = (meter.byStatus[res.statusCode] || 0) + 1;
				finished();
			});
			res.on('close', finished);
			const p = req.url.split('?')[0];
			meter.byPath[p] = (meter.byPath[p] || 0) + 1;
		});
		return server;
	};
	try {
		return await start();
	} finally {
		http.createServer = original;
	}
}

/** A copy of the meter, for a result row. */
const meterSnapshot = () => ({
	requests: meter.requests,
	byPath: { ...meter.byPath },
	byStatus: { ...meter.byStatus },
	connections: meter.connections,
	maxOpen: meter.maxOpen,
	maxInFlight: meter.maxInFlight,
	firstAt: meter.firstAt,
});

const workflowId = (variant) => `Bench-${variant}`.slice(0, 21);
const hookPath = (variant) => `bench-${variant}`;

/**
 * Webhook → Code ("Make Items": N items `{ i, email: <prefix><i>@example.org }`) → `underTest`.
 * `index` makes the webhook id unique across every workflow of the bench.
 */
function benchWorkflow(variant, underTest, index, emailPrefix = 'user') {
	return {
		id: workflowId(variant),
		name: `Bench ${variant}`,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `b0000000-0000-4000-8000-000000000${String(index).padStart(3, '0')}`,
				parameters: { httpMethod: 'POST', path: hookPath(variant), responseMode: 'onReceived', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'Make Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode:
						'const n = Number($input.first().json.body.n);\n' +
						`return Array.from({ length: n }, (_, i) => ({ json: { i, email: \`${emailPrefix}\${i}@example.org\` } }));`,
				},
			},
			{ id: 'b0000000-0000-4000-8000-000000000003', name: 'Under Test', position: [440, 0], ...underTest },
		],
		connections: {
			Webhook: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
			'Make Items': { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
	};
}

async function latestExecutionId(url, apiKey, id) {
	const list = await n8n.listExecutions(url, apiKey, id, { limit: 5 });
	return list.length ? Math.max(...list.map((e) => Number(e.id))) : 0;
}

/**
 * POSTs `{ n }` to the variant's webhook and waits for the execution it starts; the meter is reset just
 * before. Returns { exec, runData, task (the node under test's run), items, wallMs, ...meterSnapshot() }.
 */
async function runExecution({ url, apiKey }, variant, n) {
	const id = workflowId(variant);
	const before = await latestExecutionId(url, apiKey, id);
	resetMeter();
	const t = Date.now();
	const res = await n8n.request(`${url}/webhook/${hookPath(variant)}`, { method: 'POST', body: { n } });
	if (res.status !== 200) throw new Error(`${variant}: webhook answered ${res.status}: ${res.text.slice(0, 300)}`);
	const done = await n8n.waitFor(
		async () => (await n8n.listExecutions(url, apiKey, id, { limit: 5 })).find((e) => Number(e.id) > before && !['new', 'running', 'waiting'].includes(e.status)),
		{ timeoutMs: 30 * 60_000, intervalMs: 250, what: `execution of ${variant} (${n} items)` },
	);
	const wallMs = Date.now() - t;
	const seen = meterSnapshot();
	const exec = await n8n.api(url, apiKey, 'GET', `/executions/${done.id}?includeData=true`);
	const resultData = exec.data && exec.data.resultData;
	const error = resultData && resultData.error;
	if (exec.status !== 'success' || error) {
		throw new Error(`${variant} (${n} items): execution ${exec.id} ${exec.status}: ${error ? error.message || JSON.stringify(error).slice(0, 500) : ''}`);
	}
	const task = resultData.runData['Under Test'][0];
	const items = task.data.main[0];
	if (items.length !== n) throw new Error(`${variant}: ${items.length} output items, expected ${n}`);
	return { exec, runData: resultData.runData, task, items, wallMs, ...seen };
}

module.exports = {
	PACKAGE,
	HTTP_VERSION,
	LEAN_HTTP_VERSION,
	meter,
	resetMeter,
	setLatency,
	currentLatency,
	startInstrumented,
	meterSnapshot,
	workflowId,
	hookPath,
	benchWorkflow,
	runExecution,
};
