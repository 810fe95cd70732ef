#!/usr/bin/env node
'use strict';
/**
 * Smoke test of the real-n8n harness (scripts/n8n/n8n-env.js).
 *
 *   node test/e2e/n8n-smoke.e2e.js [--keep]      (--keep: leave the temp folder)
 *
 * Writes a throwaway community package (n8n-nodes-e2e-smoke: a programmatic node,
 * a webhook trigger with webhookMethods, a credential with a test request) into a
 * temp dir and proves against a real n8n (2.40.7; another release with N8N_E2E_VERSION=<version>) that:
 *   - both loading layouts work (export:nodes): installed package -> `<pkg>.<node>`,
 *     N8N_CUSTOM_EXTENSIONS -> `CUSTOM.<node>`
 *   - import:credentials / import:workflow / execute --id work (node output checked,
 *     including an authenticated HTTP call to a local mock API)
 *   - owner setup + API key headlessly; credential test endpoints
 *   - activation through the public API registers the webhook (webhookMethods.create),
 *     a POST to /webhook/<path> runs the workflow, the execution is listed by
 *     GET /api/v1/executions, deactivation calls webhookMethods.delete
 * Prints PASS/FAIL per step with timings; exits 1 on any failure; always stops n8n.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const n8n = require('../../scripts/n8n/n8n-env');

const KEEP = process.argv.includes('--keep');
const PKG_NAME = 'n8n-nodes-e2e-smoke';
const CRED_ID = 'SmokeCred0000001';
const WF_MANUAL_ID = 'SmokeManual00001';
const WF_HOOK_ID = 'SmokeWebhook0001';
const CRED_BAD_ID = 'SmokeCredBad0001';
const WF_HOOK_BAD_ID = 'SmokeWebhookBad1';
const HOOK_PATH = 'smoke-hook';
const GOOD_KEY = 'good-key';

// ---------------------------------------------------------------------------
// reporting

const results = [];
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function step(name, fn) {
	const start = Date.now();
	try {
		const detail = await fn();
		const ms = Date.now() - start;
		results.push({ name, ok: true, ms });
		console.log(`PASS ${name} (${secs(ms)})${detail ? ` - ${detail}` : ''}`);
		return detail;
	} catch (e) {
		const ms = Date.now() - start;
		results.push({ name, ok: false, ms });
		console.log(`FAIL ${name} (${secs(ms)}): ${e && e.stack ? e.stack : e}`);
		throw e;
	}
}

function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

// ---------------------------------------------------------------------------
// the throwaway community package

const PKG_FILES = {
	'package.json': JSON.stringify(
		{
			name: PKG_NAME,
			version: '0.0.1',
			description: 'throwaway package for the n8n e2e smoke test',
			keywords: ['n8n-community-node-package'],
			files: ['dist'],
			n8n: {
				n8nNodesApiVersion: 1,
				strict: true,
				credentials: ['dist/credentials/SmokeApi.credentials.js'],
				nodes: ['dist/nodes/SmokeEcho/SmokeEcho.node.js', 'dist/nodes/SmokeTrigger/SmokeTrigger.node.js'],
			},
			peerDependencies: { 'n8n-workflow': '*' },
		},
		null,
		2,
	),
	'dist/credentials/SmokeApi.credentials.js': `'use strict';
class SmokeApi {
	constructor() {
		this.name = 'smokeApi';
		this.displayName = 'Smoke API';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = { type: 'generic', properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } } };
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/check', method: 'GET' } };
	}
}
exports.SmokeApi = SmokeApi;
`,
	'dist/nodes/SmokeEcho/SmokeEcho.node.js': `'use strict';
// require('n8n-workflow') resolves to n8n's own copy (NODE_PATH) as in a real install
const { NodeConnectionTypes } = require('n8n-workflow');
class SmokeEcho {
	constructor() {
		this.description = {
			displayName: 'Smoke Echo',
			name: 'smokeEcho',
			icon: 'fa:flask',
			group: ['transform'],
			version: 1,
			description: 'Echoes its input (e2e smoke test)',
			defaults: { name: 'Smoke Echo' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'smokeApi', required: false }],
			properties: [
				{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' },
				{ displayName: 'Call API', name: 'callApi', type: 'boolean', default: false },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const text = this.getNodeParameter('text', i);
			const json = { ...items[i].json, echoed: text, nodeVersion: process.version };
			if (this.getNodeParameter('callApi', i)) {
				const creds = await this.getCredentials('smokeApi');
				json.api = await this.helpers.httpRequestWithAuthentication.call(this, 'smokeApi', {
					method: 'POST',
					url: creds.baseUrl + '/echo',
					body: { text },
					json: true,
				});
			}
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}
exports.SmokeEcho = SmokeEcho;
`,
	'dist/nodes/SmokeTrigger/SmokeTrigger.node.js': `'use strict';
const { NodeConnectionTypes } = require('n8n-workflow');
class SmokeTrigger {
	constructor() {
		this.description = {
			displayName: 'Smoke Trigger',
			name: 'smokeTrigger',
			icon: 'fa:bolt',
			group: ['trigger'],
			version: 1,
			description: 'Registers a webhook at the mock API (e2e smoke test)',
			defaults: { name: 'Smoke Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'smokeApi', required: true }],
			webhooks: [
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{$parameter["path"]}}', isFullPath: true },
			],
			properties: [
				{ displayName: 'Path', name: 'path', type: 'string', default: 'smoke' },
				{ displayName: 'Event', name: 'event', type: 'string', default: 'subscribe' },
			],
		};
		this.webhookMethods = {
			default: {
				async checkExists() {
					const data = this.getWorkflowStaticData('node');
					if (!data.remoteId) return false;
					const creds = await this.getCredentials('smokeApi');
					const res = await this.helpers.httpRequestWithAuthentication.call(this, 'smokeApi', {
						method: 'GET', url: creds.baseUrl + '/hooks', json: true,
					});
					return res.some((h) => h.id === data.remoteId);
				},
				async create() {
					const creds = await this.getCredentials('smokeApi');
					const res = await this.helpers.httpRequestWithAuthentication.call(this, 'smokeApi', {
						method: 'POST',
						url: creds.baseUrl + '/hooks',
						body: { url: this.getNodeWebhookUrl('default'), event: this.getNodeParameter('event') },
						json: true,
					});
					this.getWorkflowStaticData('node').remoteId = res.id;
					return true;
				},
				async delete() {
					const data = this.getWorkflowStaticData('node');
					if (!data.remoteId) return true;
					const creds = await this.getCredentials('smokeApi');
					await this.helpers.httpRequestWithAuthentication.call(this, 'smokeApi', {
						method: 'DELETE', url: creds.baseUrl + '/hooks/' + data.remoteId, json: true,
					});
					delete data.remoteId;
					return true;
				},
			},
		};
	}
	async webhook() {
		const body = this.getBodyData();
		return { workflowData: [this.helpers.returnJsonArray([{ ...body, receivedBy: 'smokeTrigger' }])] };
	}
}
exports.SmokeTrigger = SmokeTrigger;
`,
};

function writePackage(dir) {
	for (const [rel, content] of Object.entries(PKG_FILES)) {
		const f = path.join(dir, rel);
		fs.mkdirSync(path.dirname(f), { recursive: true });
		fs.writeFileSync(f, content);
	}
	return dir;
}

// ---------------------------------------------------------------------------
// mock "provider" API the nodes talk to

function startMockApi() {
	const log = [];
	const hooks = new Map();
	let next = 1;
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			let json;
			try {
				json = body ? JSON.parse(body) : undefined;
			} catch {}
			log.push({ t: Date.now(), method: req.method, url: req.url, headers: req.headers, body: json });
			const send = (status, obj) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(obj));
			};
			if (req.headers['x-api-key'] !== GOOD_KEY) return send(401, { error: 'bad api key' });
			if (req.method === 'GET' && req.url === '/check') return send(200, { ok: true });
			if (req.method === 'POST' && req.url === '/echo') return send(200, { youSent: json });
			if (req.method === 'GET' && req.url === '/hooks') return send(200, [...hooks.values()]);
			if (req.method === 'POST' && req.url === '/hooks') {
				const hook = { id: `hook-${next++}`, ...json };
				hooks.set(hook.id, hook);
				return send(201, hook);
			}
			const m = /^\/hooks\/(.+)$/.exec(req.url);
			if (req.method === 'DELETE' && m) {
				const existed = hooks.delete(m[1]);
				return send(existed ? 200 : 404, { deleted: existed });
			}
			send(404, { error: 'not found' });
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, server, log, hooks })),
	);
}

// ---------------------------------------------------------------------------
// workflows / credentials

function credentialsJson(mockUrl) {
	return [
		{ id: CRED_ID, name: 'Smoke API account', type: 'smokeApi', data: { baseUrl: mockUrl, apiKey: GOOD_KEY } },
		{ id: CRED_BAD_ID, name: 'Smoke API wrong key', type: 'smokeApi', data: { baseUrl: mockUrl, apiKey: 'wrong' } },
	];
}

function workflowsJson(nodePrefix) {
	const cred = { smokeApi: { id: CRED_ID, name: 'Smoke API account' } };
	return [
		{
			id: WF_MANUAL_ID,
			name: 'Smoke manual',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: '6f0b1a38-0000-4000-8000-000000000001',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: '6f0b1a38-0000-4000-8000-000000000002',
					name: 'Smoke Echo',
					type: `${nodePrefix}.smokeEcho`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { text: 'hello from cli', callApi: true },
					credentials: cred,
				},
			],
			connections: { Manual: { main: [[{ node: 'Smoke Echo', type: 'main', index: 0 }]] } },
		},
		{
			id: WF_HOOK_ID,
			name: 'Smoke webhook',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: '6f0b1a38-0000-4000-8000-000000000003',
					name: 'Smoke Trigger',
					type: `${nodePrefix}.smokeTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId: '0b0c3f4e-0000-4000-8000-000000000003',
					parameters: { path: HOOK_PATH, event: 'subscribe' },
					credentials: cred,
				},
				{
					id: '6f0b1a38-0000-4000-8000-000000000004',
					name: 'Smoke Echo',
					type: `${nodePrefix}.smokeEcho`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { text: 'hello from webhook' },
				},
			],
			connections: { 'Smoke Trigger': { main: [[{ node: 'Smoke Echo', type: 'main', index: 0 }]] } },
		},
		{
			id: WF_HOOK_BAD_ID,
			name: 'Smoke webhook, wrong API key',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: '6f0b1a38-0000-4000-8000-000000000005',
					name: 'Smoke Trigger',
					type: `${nodePrefix}.smokeTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId: '0b0c3f4e-0000-4000-8000-000000000005',
					parameters: { path: `${HOOK_PATH}-bad`, event: 'subscribe' },
					credentials: { smokeApi: { id: CRED_BAD_ID, name: 'Smoke API wrong key' } },
				},
			],
			connections: {},
		},
	];
}

function cliOk(r, what) {
	if (r.code !== 0) {
		throw new Error(`${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
	}
	return r;
}

function nodeNamesFromExport(file) {
	const nodes = JSON.parse(fs.readFileSync(file, 'utf8'));
	return new Set(nodes.map((n) => n.name));
}

// ---------------------------------------------------------------------------

async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-'));
	const userFolder = path.join(tmp, 'user');
	const pkgDir = writePackage(path.join(tmp, 'pkg', PKG_NAME));
	const mock = await startMockApi();
	const log = (m) => console.log(`  ${m}`);
	let instance;
	console.log(`n8n smoke test: temp ${tmp}, mock API ${mock.url}`);

	try {
		await step('ensureN8n (install/verify cache)', async () => {
			const r = await n8n.ensureN8n({ log });
			return `${r.dir}`;
		});

		await step('layout A: N8N_CUSTOM_EXTENSIONS=<package dir> -> CUSTOM.* types (export:nodes)', async () => {
			const out = path.join(tmp, 'nodes-custom.json');
			const r = cliOk(
				await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder: path.join(tmp, 'user-custom'), customExtensions: pkgDir }),
				'export:nodes',
			);
			const names = nodeNamesFromExport(out);
			assert(names.has('CUSTOM.smokeEcho') && names.has('CUSTOM.smokeTrigger'), 'CUSTOM.smokeEcho/smokeTrigger exported');
			assert(!names.has(`${PKG_NAME}.smokeEcho`), 'no package-named type in layout A');
			return `${names.size} node types, CUSTOM.smokeEcho + CUSTOM.smokeTrigger present, cli ${secs(r.ms)}`;
		});

		await step(`layout B: package in <userFolder>/.n8n/nodes/node_modules -> ${PKG_NAME}.* types (export:nodes)`, async () => {
			const out = path.join(tmp, 'nodes-pkg.json');
			const r = cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: pkgDir }), 'export:nodes');
			const names = nodeNamesFromExport(out);
			assert(names.has(`${PKG_NAME}.smokeEcho`) && names.has(`${PKG_NAME}.smokeTrigger`), 'package-named types exported');
			return `${names.size} node types, ${PKG_NAME}.smokeEcho + .smokeTrigger present, cli ${secs(r.ms)}`;
		});

		await step('import:credentials + import:workflow (CLI)', async () => {
			const credFile = path.join(tmp, 'creds.json');
			const wfFile = path.join(tmp, 'workflows.json');
			fs.writeFileSync(credFile, JSON.stringify(credentialsJson(mock.url), null, 2));
			fs.writeFileSync(wfFile, JSON.stringify(workflowsJson(PKG_NAME), null, 2));
			const a = cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
			const b = cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder }), 'import:workflow');
			return `credentials ${secs(a.ms)}, workflows ${secs(b.ms)}`;
		});

		await step('execute --id (CLI, n8n not running): Manual Trigger -> Smoke Echo with credential + HTTP', async () => {
			const before = mock.log.length;
			const r = cliOk(await n8n.runCli(['execute', `--id=${WF_MANUAL_ID}`, '--rawOutput'], { userFolder }), 'execute');
			const run = n8n.parseExecuteOutput(r.stdout);
			const out = run.data.resultData.runData['Smoke Echo'][0].data.main[0][0].json;
			assert(out.echoed === 'hello from cli', `echoed = ${out.echoed}`);
			assert(out.api && out.api.youSent && out.api.youSent.text === 'hello from cli', `api echo ${JSON.stringify(out.api)}`);
			assert(/^v24\./.test(out.nodeVersion), `node ran on ${out.nodeVersion}`);
			const call = mock.log.slice(before).find((c) => c.url === '/echo');
			assert(call && call.headers['x-api-key'] === GOOD_KEY, 'mock API got the credential header');
			return `status ${run.status}, output ${JSON.stringify(out)}, cli ${secs(r.ms)}`;
		});

		await step('n8n start (until /healthz/readiness = 200)', async () => {
			instance = await n8n.startN8n({ userFolder, packages: pkgDir, log });
			return `${instance.url}, startup ${secs(instance.startupMs)}, log ${instance.logFile}`;
		});
		const { url } = instance;

		let cookie;
		let apiKey;
		await step('owner setup + API key (POST /rest/owner/setup, POST /rest/api-keys)', async () => {
			cookie = await n8n.ownerSession(url);
			apiKey = await n8n.createApiKey(url, cookie);
			const wfs = await n8n.api(url, apiKey, 'GET', '/workflows');
			const ids = wfs.data.map((w) => w.id);
			assert(ids.includes(WF_MANUAL_ID) && ids.includes(WF_HOOK_ID), `imported workflows listed: ${ids}`);
			return `key ${apiKey.slice(0, 12)}..., GET /api/v1/workflows lists ${ids.length}`;
		});

		await step('credential test: POST /rest/credentials/test (cookie) good + bad key, unsaved', async () => {
			const base = { id: CRED_ID, name: 'Smoke API account', type: 'smokeApi' };
			const good = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: mock.url, apiKey: GOOD_KEY } });
			assert(good.status === 'OK', `good key -> ${JSON.stringify(good)}`);
			const bad = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: mock.url, apiKey: 'wrong' } });
			assert(bad.status === 'Error', `bad key -> ${JSON.stringify(bad)}`);
			let unsaved;
			try {
				unsaved = await n8n.testCredential(url, cookie, { id: '', name: 'x', type: 'smokeApi', data: { baseUrl: mock.url, apiKey: GOOD_KEY } });
			} catch (e) {
				unsaved = { httpError: e.status, message: e.message.slice(0, 120) };
			}
			return `good: ${JSON.stringify(good)}, bad: ${JSON.stringify(bad)}, unsaved (id ''): ${JSON.stringify(unsaved)}`;
		});

		await step('credential test: POST /api/v1/credentials/{id}/test (API key)', async () => {
			const r = await n8n.api(url, apiKey, 'POST', `/credentials/${CRED_ID}/test`);
			assert(r && r.status === 'OK', JSON.stringify(r));
			return JSON.stringify(r);
		});

		let hookUrl;
		await step('activate: POST /api/v1/workflows/{id}/activate, wait for publication -> webhookMethods.create', async () => {
			const r = await n8n.api(url, apiKey, 'POST', `/workflows/${WF_HOOK_ID}/activate`);
			assert(r.active === true, `active = ${r.active}`);
			const immediately = mock.hooks.size;
			const status = await n8n.waitForPublication(url, cookie, WF_HOOK_ID);
			const hook = [...mock.hooks.values()][0];
			assert(hook, 'mock API got a webhook registration');
			hookUrl = hook.url;
			assert(hookUrl === `${url}/webhook/${HOOK_PATH}`, `registered URL ${hookUrl}`);
			return `hooks right after the API call: ${immediately}; publication ${JSON.stringify(status)}; registered ${hookUrl}`;
		});

		await step('activation failure surfaces in publication-status (webhookMethods.create gets 401)', async () => {
			const t = Date.now();
			const before = mock.log.length;
			const r = await n8n.api(url, apiKey, 'POST', `/workflows/${WF_HOOK_BAD_ID}/activate`);
			const status = await n8n.waitForPublication(url, cookie, WF_HOOK_BAD_ID, { want: 'settled' });
			const settledMs = Date.now() - t;
			const creates = mock.log.slice(before).filter((c) => c.method === 'POST' && c.url === '/hooks');
			const attempts = `${creates.length}x at +${creates.map((c) => ((c.t - t) / 1000).toFixed(1)).join('/')} s`;
			assert(status.status === 'failed', JSON.stringify(status));
			const wf = await n8n.api(url, apiKey, 'GET', `/workflows/${WF_HOOK_BAD_ID}`);
			const res = await n8n.request(`${url}/webhook/${HOOK_PATH}-bad`, { method: 'POST', body: {} });
			const t2 = Date.now();
			await n8n.deactivateWorkflow(url, apiKey, cookie, WF_HOOK_BAD_ID);
			return `settled after ${secs(settledMs)} (webhookMethods.create called ${attempts}), deactivated in ${secs(Date.now() - t2)}; activate answered active=${r.active}; status ${status.status}: ${status.triggers.map((t) => t.errorMessage).join('; ')}; GET workflow active=${wf.active}; its webhook answers ${res.status}`;
		});

		let execution;
		await step('POST /webhook/<path> -> execution listed by GET /api/v1/executions?workflowId=', async () => {
			const res = await n8n.request(hookUrl, { method: 'POST', body: { email: 'a@example.com', event: 'subscribe' } });
			assert(res.status === 200, `webhook answered ${res.status}: ${res.text}`);
			execution = await n8n.waitForExecution(url, apiKey, WF_HOOK_ID, { includeData: true });
			assert(execution.status === 'success', `execution status ${execution.status}`);
			const out = execution.data.resultData.runData['Smoke Echo'][0].data.main[0][0].json;
			assert(out.email === 'a@example.com' && out.receivedBy === 'smokeTrigger' && out.echoed === 'hello from webhook', JSON.stringify(out));
			return `webhook ${res.status} ${res.text}; execution ${execution.id} mode ${execution.mode} status ${execution.status}; output ${JSON.stringify(out)}`;
		});

		await step('GET /api/v1/executions/{id}', async () => {
			const e = await n8n.api(url, apiKey, 'GET', `/executions/${execution.id}`);
			assert(String(e.id) === String(execution.id) && e.workflowId === WF_HOOK_ID, JSON.stringify(e).slice(0, 300));
			return `status ${e.status}`;
		});

		await step('execute --id (CLI) while n8n start is running on the same folder', async () => {
			const r = cliOk(await n8n.runCli(['execute', `--id=${WF_MANUAL_ID}`, '--rawOutput'], { userFolder }), 'execute');
			const run = n8n.parseExecuteOutput(r.stdout);
			const out = run.data.resultData.runData['Smoke Echo'][0].data.main[0][0].json;
			assert(out.echoed === 'hello from cli', JSON.stringify(out));
			return `ok, cli ${secs(r.ms)}`;
		});

		await step('deactivate: POST /api/v1/workflows/{id}/deactivate -> webhookMethods.delete, webhook gone', async () => {
			const r = await n8n.api(url, apiKey, 'POST', `/workflows/${WF_HOOK_ID}/deactivate`);
			assert(r.active === false, `active = ${r.active}`);
			const status = await n8n.waitForPublication(url, cookie, WF_HOOK_ID, { want: 'not_published' });
			assert(mock.hooks.size === 0, `mock still has hooks: ${JSON.stringify([...mock.hooks.values()])}`);
			const res = await n8n.request(hookUrl, { method: 'POST', body: {} });
			assert(res.status === 404, `webhook after deactivation answered ${res.status}`);
			return `publication ${status.status}; webhook now answers ${res.status}`;
		});
	} catch {
		// already reported by step()
	} finally {
		if (instance) {
			const s = Date.now();
			await instance.stop();
			console.log(`  n8n stopped (${secs(Date.now() - s)})`);
		}
		mock.server.close();
		if (KEEP || results.some((r) => !r.ok)) console.log(`  temp folder kept: ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}

	const failed = results.filter((r) => !r.ok);
	console.log('\nTimings:');
	for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'} ${secs(r.ms).padStart(7)}  ${r.name}`);
	console.log(`  total ${secs(Date.now() - t0)}`);
	console.log(failed.length ? `\nFAIL: ${failed.length} step(s) failed` : `\nPASS: all ${results.length} steps passed`);
	process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
});
