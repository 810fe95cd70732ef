'use strict';
/**
 * The CleverReach row of `npm run bench` (bench/run.js): 10,000 receivers upserted into one group by our
 * CleverReach node (batch mode: 1,000 receivers per POST /v3/groups.json/{id}/receivers/upsert → 10 requests)
 * next to n8n's HTTP Request node making the same upsert one receiver per request (10,000 requests, the
 * body `[{"email": …}]`, Batching 100 at a time), both in the running bench n8n against the fake CleverReach
 * (test/fake/cleverreach-server.js) in the bench process, with a token the fake accepts from the start.
 */
const n8n = require('../scripts/n8n/n8n-env');
const { startCleverReachServer } = require('../test/fake/cleverreach-server');

const PACKAGE = 'n8n-nodes-email-marketing';
const RECEIVERS = 10_000;
const TOKEN = { access_token: 'bench-cleverreach-access-token', refresh_token: 'bench-cleverreach-refresh-token', token_type: 'bearer', expires_in: 31536000 };
const CLIENT = { clientId: 'bench-cleverreach-client', clientSecret: 'bench-cleverreach-secret' };
const CREDENTIALS = {
	ours: { id: 'BenchCrOauth00001', name: 'Bench CleverReach', type: 'cleverReachOAuth2Api' },
	header: { id: 'BenchCrHeader0001', name: 'Bench CleverReach Bearer', type: 'httpHeaderAuth' },
};
const VARIANTS = [
	{ key: 'cr-upsert-ours', impl: 'CleverReach node' },
	{ key: 'cr-upsert-http', impl: 'HTTP Request 4.5' },
];
const workflowId = (variant) => `Bench-${variant}`.slice(0, 21);

function upsertNode(variant, fakeUrl, groupId) {
	const base = { id: 'b0000000-0000-4000-8000-000000000023', name: 'Under Test', position: [440, 0] };
	if (variant === 'cr-upsert-ours') {
		return {
			...base,
			type: `${PACKAGE}.cleverReach`,
			typeVersion: 1,
			parameters: { resource: 'receiver', operation: 'upsert', groupId: { __rl: true, mode: 'id', value: groupId }, email: '={{ $json.email }}', additionalFields: {} },
			credentials: { cleverReachOAuth2Api: { id: CREDENTIALS.ours.id, name: CREDENTIALS.ours.name } },
		};
	}
	return {
		...base,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		parameters: {
			method: 'POST',
			url: `${fakeUrl}/v3/groups.json/${groupId}/receivers/upsert`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify([{ email: $json.email }]) }}',
			// Like the SMS.by row: without Batching HTTP Request sends all 10,000 requests at once.
			options: { batching: { batch: { batchSize: 100, batchInterval: 0 } } },
		},
		credentials: { httpHeaderAuth: { id: CREDENTIALS.header.id, name: CREDENTIALS.header.name } },
	};
}

function workflowJson(variant, fakeUrl, groupId, index) {
	return {
		id: workflowId(variant),
		name: `Bench ${variant}`,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000021',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `b0000000-0000-4000-8000-0000000003${String(index).padStart(2, '0')}`,
				parameters: { httpMethod: 'POST', path: `bench-${variant}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000022',
				name: 'Make Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: 'const n = Number($input.first().json.body.n);\nreturn Array.from({ length: n }, (_, i) => ({ json: { i, email: `receiver${i}@example.org` } }));' },
			},
			upsertNode(variant, fakeUrl, groupId),
		],
		connections: {
			Webhook: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
			'Make Items': { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
	};
}

/** Starts the fake CleverReach; returns what bench/run.js imports before n8n starts, and the runner for later. */
async function prepareCleverReachBench() {
	const fake = await startCleverReachServer({ ...CLIENT, presetTokens: [TOKEN] });
	const groupFor = {};
	for (const variant of VARIANTS) groupFor[variant.key] = fake.addGroup(`Bench ${variant.key}`).id;
	return {
		fake,
		credentials: [
			{ ...CREDENTIALS.ours, data: { grantType: 'authorizationCode', restUrl: fake.url, ...CLIENT, oauthTokenData: TOKEN } },
			{ ...CREDENTIALS.header, data: { name: 'Authorization', value: `Bearer ${TOKEN.access_token}` } },
		],
		workflows: VARIANTS.map((variant, index) => workflowJson(variant.key, fake.url, groupFor[variant.key], index)),
		workflowIds: VARIANTS.map((variant) => workflowId(variant.key)),
		/** Runs both variants once with 10,000 receivers; returns one result per variant. */
		async run({ url, apiKey }) {
			const results = [];
			for (const variant of VARIANTS) {
				fake.reset();
				const id = workflowId(variant.key);
				const listed = await n8n.listExecutions(url, apiKey, id, { limit: 5 });
				const before = listed.length ? Math.max(...listed.map((e) => Number(e.id))) : 0;
				const res = await n8n.request(`${url}/webhook/bench-${variant.key}`, { method: 'POST', body: { n: RECEIVERS } });
				if (res.status !== 200) throw new Error(`${variant.key}: webhook answered ${res.status}`);
				const done = await n8n.waitFor(
					async () => (await n8n.listExecutions(url, apiKey, id, { limit: 5 })).find((e) => Number(e.id) > before && !['new', 'running', 'waiting'].includes(e.status)),
					{ timeoutMs: 30 * 60_000, intervalMs: 500, what: `execution of ${variant.key}` },
				);
				const exec = await n8n.api(url, apiKey, 'GET', `/executions/${done.id}?includeData=true`);
				const error = exec.data && exec.data.resultData && exec.data.resultData.error;
				if (exec.status !== 'success') throw new Error(`${variant.key}: execution ${exec.id} ${exec.status}: ${error ? error.message || JSON.stringify(error).slice(0, 500) : ''}`);
				const task = exec.data.resultData.runData['Under Test'][0];
				const items = task.data.main[0].length;
				const stored = fake.state.groups.get(groupFor[variant.key]).receivers.size;
				if (items !== RECEIVERS || stored !== RECEIVERS) throw new Error(`${variant.key}: ${items} items, ${stored} receivers in the group`);
				results.push({ ...variant, nodeMs: task.executionTime, requests: fake.requests.length, stored });
				fake.state.groups.get(groupFor[variant.key]).receivers.clear();
			}
			return results;
		},
		close: () => fake.close(),
	};
}

/** The result as markdown lines for bench/results.md. */
function cleverReachBenchSection(results) {
	if (!results.length) return [];
	const [ours, http] = results;
	const fmt = (x, d = 3) => x.toFixed(d);
	return [
		`## CleverReach: upsert ${RECEIVERS.toLocaleString('en-US')} receivers (one run)`,
		'',
		'Webhook → Code (N receivers) → Upsert into one group. Ours: the CleverReach node in batch mode (1,000 receivers per `POST /v3/groups.json/{id}/receivers/upsert`, HTTP 413 would halve it). HTTP Request 4.5: the same endpoint with one receiver per request (body `[{"email": …}]`, Bearer token in a Header Auth credential), Batching 100 items at a time.',
		'',
		'| receivers | implementation | node ms | ms/receiver | requests | receivers in the group |',
		'|---:|---|---:|---:|---:|---:|',
		...[ours, http].map((r) => `| ${RECEIVERS} | ${r.impl} | ${r.nodeMs} | ${fmt(r.nodeMs / RECEIVERS)} | ${r.requests} | ${r.stored} |`),
		'',
		`Ratio ours / HTTP Request: ${fmt(ours.nodeMs / http.nodeMs, 2)}.`,
		'',
	];
}

module.exports = { prepareCleverReachBench, cleverReachBenchSection };
