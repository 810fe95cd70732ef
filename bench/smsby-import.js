'use strict';
/**
 * The SMS.by row of `npm run bench` (bench/run.js): 10,000 contacts imported into a mailing list by our
 * SMS.by node (batch mode: 500 contacts per importContacts request → 20 requests) next to n8n's HTTP
 * Request node making the same import one contact per request (10,000 requests, the token and the
 * documented field_names[0] / data[0][0] form fields, Batching 100 at a time), both in the running bench n8n against the fake
 * SMS.by (test/fake/smsby-server.js) in the bench process.
 */
const n8n = require('../scripts/n8n/n8n-env');
const { startSmsByServer } = require('../test/fake/smsby-server');

const PACKAGE = 'n8n-nodes-email-marketing';
const TOKEN = 'bench-smsby-token';
const LIST_ID = '3434';
const CONTACTS = 10_000;
const CREDENTIAL = { id: 'BenchSmsByApi001', name: 'Bench SMS.by', type: 'smsByApi' };
const VARIANTS = [
	{ key: 'smsby-import-ours', impl: 'SMS.by node' },
	{ key: 'smsby-import-http', impl: 'HTTP Request 4.5' },
];

function importNode(variant, fakeUrl) {
	const base = { id: 'b0000000-0000-4000-8000-000000000013', name: 'Under Test', position: [440, 0] };
	if (variant === 'smsby-import-ours') {
		return {
			...base,
			type: `${PACKAGE}.smsBy`,
			typeVersion: 1,
			parameters: { resource: 'mailingList', operation: 'importContacts', listId: { __rl: true, mode: 'id', value: LIST_ID }, email: '={{ $json.email }}' },
			credentials: { smsByApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		};
	}
	const field = (name, value) => ({ name, value });
	return {
		...base,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		parameters: {
			method: 'POST',
			url: `${fakeUrl}/api/v2/importContacts`,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: { parameters: [field('token', TOKEN), field('list_id', LIST_ID), field('field_names[0]', 'email'), field('data[0][0]', '={{ $json.email }}')] },
			// Without Batching, HTTP Request sends all 10,000 requests at once and the execution failed here.
			options: { batching: { batch: { batchSize: 100, batchInterval: 0 } } },
		},
	};
}

function workflowJson(variant, fakeUrl, index) {
	return {
		id: `Bench-${variant}`.slice(0, 21),
		name: `Bench ${variant}`,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000011',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `b0000000-0000-4000-8000-0000000002${String(index).padStart(2, '0')}`,
				parameters: { httpMethod: 'POST', path: `bench-${variant}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000012',
				name: 'Make Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: 'const n = Number($input.first().json.body.n);\nreturn Array.from({ length: n }, (_, i) => ({ json: { i, email: `contact${i}@example.org` } }));' },
			},
			importNode(variant, fakeUrl),
		],
		connections: {
			Webhook: { main: [[{ node: 'Make Items', type: 'main', index: 0 }]] },
			'Make Items': { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
	};
}

/** Starts the fake SMS.by; returns what bench/run.js imports before n8n starts, and the runner for later. */
async function prepareSmsByBench() {
	const fake = await startSmsByServer({ token: TOKEN });
	return {
		fake,
		credentials: [{ ...CREDENTIAL, data: { baseUrl: fake.url, token: TOKEN } }],
		workflows: VARIANTS.map((variant, index) => workflowJson(variant.key, fake.url, index)),
		workflowIds: VARIANTS.map((variant) => `Bench-${variant.key}`.slice(0, 21)),
		/** Runs both variants once with 10,000 contacts; returns one result per variant. */
		async run({ url, apiKey }) {
			const results = [];
			for (const variant of VARIANTS) {
				fake.reset({ state: true });
				const workflowId = `Bench-${variant.key}`.slice(0, 21);
				const listed = await n8n.listExecutions(url, apiKey, workflowId, { limit: 5 });
				const before = listed.length ? Math.max(...listed.map((e) => Number(e.id))) : 0;
				const res = await n8n.request(`${url}/webhook/bench-${variant.key}`, { method: 'POST', body: { n: CONTACTS } });
				if (res.status !== 200) throw new Error(`${variant.key}: webhook answered ${res.status}`);
				const done = await n8n.waitFor(
					async () => (await n8n.listExecutions(url, apiKey, workflowId, { limit: 5 })).find((e) => Number(e.id) > before && !['new', 'running', 'waiting'].includes(e.status)),
					{ timeoutMs: 30 * 60_000, intervalMs: 500, what: `execution of ${variant.key}` },
				);
				const exec = await n8n.api(url, apiKey, 'GET', `/executions/${done.id}?includeData=true`);
				const error = exec.data && exec.data.resultData && exec.data.resultData.error;
				if (exec.status !== 'success') throw new Error(`${variant.key}: execution ${exec.id} ${exec.status}: ${error ? error.message || JSON.stringify(error).slice(0, 500) : ''}`);
				const task = exec.data.resultData.runData['Under Test'][0];
				const items = task.data.main[0].length;
				const imported = fake.state.lists[0].contacts.length;
				if (items !== CONTACTS || imported !== CONTACTS) throw new Error(`${variant.key}: ${items} items, ${imported} contacts in the list`);
				results.push({ ...variant, nodeMs: task.executionTime, requests: fake.requests.length, imported });
				fake.requests.length = 0;
			}
			return results;
		},
		close: () => fake.close(),
	};
}

/** The result as markdown lines for bench/results.md. */
function smsByBenchSection(results) {
	if (!results.length) return [];
	const [ours, http] = results;
	const fmt = (x, d = 3) => x.toFixed(d);
	return [
		`## SMS.by: import ${CONTACTS.toLocaleString('en-US')} contacts (one run)`,
		'',
		'Webhook → Code (N contacts) → Import Contacts into one mailing list. Ours: the SMS.by node in batch mode (500 contacts per `POST /api/v2/importContacts`, the documented maximum). HTTP Request 4.5: the same method with one contact per request (`token`, `list_id`, `field_names[0]`, `data[0][0]` form fields), Batching 100 items at a time (without Batching the 10,000 requests go out at once and the execution failed in this bench).',
		'',
		'| contacts | implementation | node ms | ms/contact | requests | contacts in the list |',
		'|---:|---|---:|---:|---:|---:|',
		...[ours, http].map((r) => `| ${CONTACTS} | ${r.impl} | ${r.nodeMs} | ${fmt(r.nodeMs / CONTACTS)} | ${r.requests} | ${r.imported} |`),
		'',
		`Ratio ours / HTTP Request: ${fmt(ours.nodeMs / http.nodeMs, 2)}.`,
		'',
	];
}

module.exports = { prepareSmsByBench, smsByBenchSection };
