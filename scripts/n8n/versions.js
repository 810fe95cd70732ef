#!/usr/bin/env node
'use strict';
/**
 * The n8n version matrix (`npm run test:versions`): for each n8n release, install it (cached per version by
 * n8n-env.js, ~5 min and 2.8 GB the first time, one install at a time), load the BUILT package the way users
 * install it, and run a smoke test against the fake providers of test/fake:
 *   - `n8n export:nodes` lists the package's 8 node types (and the Tool variants the release adds);
 *   - one action per provider in one workflow run with `n8n execute`: Email Gateway Send Email, CleverReach
 *     Upsert Receiver, Especial Create Contact, SMS.by Send Email; each fake got the request, each node its answer;
 *   - one trigger: the Email Gateway Trigger workflow activated in a running n8n registers its webhooks at the
 *     fake, a signed delivery runs an execution with the normalized event, deactivation removes the webhooks;
 *   - the nodes as AI-agent tools: test/e2e/agent-tools.e2e.js with N8N_E2E_VERSION set to the release (an AI
 *     Agent with a fake model calls each provider's tool; a bad value comes back to the model as the node's message).
 *
 *   npm run build && node scripts/n8n/versions.js [version...] [--keep]
 *
 * Without versions it runs MATRIX. Prints PASS/FAIL per check and a Markdown table of the results at the end
 * (the README's). Exit code 1 when a release the package claims to support fails (all of MATRIX; a version given
 * on the command line that is not in MATRIX is only reported).
 */

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('./n8n-env');
const egExamples = require('../sandbox/examples');
const crExamples = require('../sandbox/cleverreach-examples');
const esExamples = require('../sandbox/especial-examples');
const sbExamples = require('../sandbox/smsby-examples');
const { startEmailGatewayServer } = require('../../test/fake/email-gateway-server');
const { startEspecialServer } = require('../../test/fake/especial-server');
const { startSmsByServer } = require('../../test/fake/smsby-server');

const PKG_DIR = path.resolve(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-email-marketing';
/** `claimed`: the package says it runs there (a failure fails the run). */
const MATRIX = [
	{ version: n8n.DEFAULT_N8N_VERSION, why: 'newest 2.x that installs (2.41.3 needs @n8n/agents@0.26.2, which the registry does not serve)', claimed: true },
	{ version: '2.0.3', why: 'oldest 2.x the package claims (the last 2.0 patch)', claimed: true },
	// Installs here only with the xlsx override (n8n-env.js); with it, the smoke passes unchanged.
	{ version: '1.123.81', why: 'newest 1.x (still patched)', claimed: true },
];
const NODE_TYPES = ['cleverReach', 'cleverReachTrigger', 'emailGateway', 'emailGatewayTrigger', 'especial', 'especialTrigger', 'smsBy', 'smsByTrigger'];
const ACCOUNT_KEY = 'versions-account-key';
const SMSBY_TOKEN = 'versions-smsby-token';
const CR_TOKEN = { access_token: 'versions-cleverreach-access', refresh_token: 'versions-cleverreach-refresh', token_type: 'bearer', expires_in: 31536000 };
const SMOKE_WORKFLOW = 'VersionSmokeAct01';

const KEEP = process.argv.includes('--keep');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

function cliOk(r, what) {
	if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
	return r;
}

/** One PASS/FAIL line per check; the row of the results table records the outcome under `column`. */
async function check(row, column, name, fn) {
	const start = Date.now();
	try {
		const detail = await fn();
		console.log(`PASS [n8n ${row.version}] ${name} (${secs(Date.now() - start)})${detail ? ` - ${detail}` : ''}`);
		row[column] = 'yes';
		return true;
	} catch (e) {
		console.log(`FAIL [n8n ${row.version}] ${name} (${secs(Date.now() - start)}): ${e && e.stack ? e.stack : e}`);
		row[column] = 'no';
		row.failures.push(`${name}: ${firstLine(e)}`);
		return false;
	}
}

const firstLine = (e) => String((e && e.message) || e).split('\n').find((line) => line.trim()) || '';

// ---------------------------------------------------------------------------
// the fakes, the credentials and the smoke workflows

async function startFakes() {
	const eg = await startEmailGatewayServer({ accountApiKey: ACCOUNT_KEY });
	const { fake: cr, groupId } = await crExamples.startFake({ presetTokens: [CR_TOKEN] });
	const es = await startEspecialServer({ username: esExamples.USERNAME, password: esExamples.PASSWORD });
	esExamples.seedFake(es);
	const sb = await startSmsByServer({ token: SMSBY_TOKEN });
	return { eg, cr, groupId, es, sb, close: () => Promise.all([eg.close(), cr.close(), es.close(), sb.close()]) };
}

function credentials({ eg, cr, es, sb }) {
	return [
		...egExamples.credentials({ baseUrl: eg.url, accountApiKey: ACCOUNT_KEY, senderApiKey: eg.senderKeyFor(egExamples.DOMAIN_ID) }),
		...crExamples.credentials({ restUrl: cr.url, oauthTokenData: CR_TOKEN }),
		...esExamples.credentials({ baseUrl: es.url }),
		...sbExamples.credentials({ baseUrl: sb.url, token: SMSBY_TOKEN }),
	];
}

/** Manual Trigger → one action per provider, side by side. */
function actionWorkflow({ groupId }) {
	const action = (index, name, node, credential, parameters) => ({
		id: `5e0e0000-0000-4000-8000-00000000000${index}`,
		name,
		type: `${PACKAGE}.${node}`,
		typeVersion: 1,
		position: [260, 200 * index],
		parameters,
		credentials: credential,
	});
	const actions = [
		action(1, 'Email Gateway Send Email', 'emailGateway', { emailGatewaySenderApi: { id: egExamples.IDS.senderCredential, name: egExamples.CREDENTIAL_NAMES.sender } }, {
			authentication: 'emailGatewaySenderApi',
			resource: 'email',
			operation: 'send',
			fromEmail: 'sender@example.com',
			fromName: 'Example Sender',
			to: 'jane@example.org',
			subject: 'Version smoke',
			contentType: 'html',
			content: '<p>Hello</p>',
			additionalFields: {},
		}),
		action(2, 'CleverReach Upsert Receiver', 'cleverReach', { cleverReachOAuth2Api: { id: crExamples.IDS.credential, name: crExamples.CREDENTIAL_NAME } }, {
			resource: 'receiver',
			operation: 'upsert',
			groupId: { __rl: true, mode: 'id', value: String(groupId) },
			email: 'ann@example.org',
			additionalFields: {},
		}),
		action(3, 'Especial Create Contact', 'especial', { especialApi: { id: esExamples.IDS.credential, name: esExamples.CREDENTIAL_NAME } }, {
			resource: 'contact',
			operation: 'create',
			listId: esExamples.LIST_ID,
			email: 'bob@example.org',
			additionalFields: {},
		}),
		action(4, 'SMS.by Send Email', 'smsBy', { smsByApi: { id: sbExamples.IDS.credential, name: sbExamples.CREDENTIAL_NAME } }, {
			resource: 'email',
			operation: 'send',
			senderEmail: 'shop@example.com',
			email: 'cid@example.org',
			subject: 'Version smoke',
			message: '<p>Hello</p>',
			additionalFields: {},
		}),
	];
	return {
		id: SMOKE_WORKFLOW,
		name: 'Version smoke: one action per provider',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [{ id: '5e0e0000-0000-4000-8000-000000000000', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, ...actions],
		connections: { 'Manual Trigger': { main: [actions.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
	};
}

/** What each action's output and its fake must show. */
function actionChecks({ eg, cr, groupId, es, sb }) {
	return {
		'Email Gateway Send Email': (out) => {
			const sent = eg.state.sentEmails.find((mail) => mail.messageId === out.MessageID);
			assert(sent && JSON.stringify(sent.to).includes('jane@example.org'), `MessageID ${out.MessageID} not at the fake`);
		},
		'CleverReach Upsert Receiver': () => {
			const upserts = cr.requests.filter((q) => q.path === `/v3/groups/${groupId}/receivers/upsert`);
			assert(upserts.length === 1 && JSON.stringify(upserts[0].body).includes('ann@example.org'), `${upserts.length} upserts`);
		},
		'Especial Create Contact': (out) => {
			const creates = es.requests.filter((q) => q.method === 'POST' && q.path === `/lists/${esExamples.LIST_ID}/contacts`);
			assert(creates.length === 1 && creates[0].body.email === 'bob@example.org', `${creates.length} creates`);
			assert(JSON.stringify(out).includes('bob@example.org') || out.id !== undefined, `output ${short(out)}`);
		},
		'SMS.by Send Email': (out) => {
			const id = out.result && out.result.email_id;
			const letter = sb.state.letters.find((l) => String(l.email_id) === String(id));
			assert(letter && letter.email === 'cid@example.org', `email_id ${id} not at the fake: ${short(out)}`);
		},
	};
}

// ---------------------------------------------------------------------------
// one release

async function smoke(entry) {
	const row = { ...entry, install: '-', loads: '-', actions: '-', trigger: '-', tools: '-', failures: [], started: Date.now() };
	const { version } = row;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-versions-${version}-`));
	const userFolder = path.join(tmp, 'user');
	const log = (m) => console.log(`  ${m}`);
	const fakes = await startFakes();
	let instance;
	console.log(`\n=== n8n ${version}: ${row.why} (temp ${tmp})`);
	try {
		const installed = await check(row, 'install', `install (cached in ${n8n.cacheDir(version)})`, async () => {
			const { dir } = await n8n.ensureN8n({ log, version });
			const { overrides } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			row.overrides = overrides;
			return overrides ? `with npm overrides ${JSON.stringify(overrides)}` : dir;
		});
		if (!installed) return row;
		if (row.overrides && row.overrides.xlsx) row.install = 'yes (xlsx from the registry)';

		const loaded = await check(row, 'loads', 'the package loads: export:nodes lists its 8 node types', async () => {
			const out = path.join(tmp, 'nodes.json');
			cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: [PKG_DIR], version }), 'export:nodes');
			const ours = JSON.parse(fs.readFileSync(out, 'utf8')).map((node) => node.name).filter((name) => name.startsWith(`${PACKAGE}.`));
			const names = [...new Set(ours.map((name) => name.slice(PACKAGE.length + 1)))].sort();
			const missing = NODE_TYPES.filter((name) => !names.includes(name));
			assert(!missing.length, `missing ${missing}; listed ${names}`);
			const tools = names.filter((name) => name.endsWith('Tool'));
			return `${names.length} types: the 8 nodes${tools.length ? ` + ${tools.join(', ')}` : ''}`;
		});
		if (!loaded) return row;

		await check(row, 'actions', 'one action per provider (n8n execute): each fake got the request, each node its answer', async () => {
			const credFile = path.join(tmp, 'credentials.json');
			const wfFile = path.join(tmp, 'workflows.json');
			fs.writeFileSync(credFile, JSON.stringify(credentials(fakes), null, 2));
			// n8n 2.0.x's import:workflow needs a versionId (2.40 makes one up).
			fs.writeFileSync(wfFile, JSON.stringify([{ versionId: crypto.randomUUID(), ...actionWorkflow(fakes) }], null, 2));
			cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder, version }), 'import:credentials');
			cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder, version }), 'import:workflow');
			const r = cliOk(await n8n.runCli(['execute', `--id=${SMOKE_WORKFLOW}`, '--rawOutput'], { userFolder, version }), 'execute');
			const run = n8n.parseExecuteOutput(r.stdout);
			assert(!run.data.resultData.error, `execution error: ${short(run.data.resultData.error, 800)}`);
			const runData = run.data.resultData.runData;
			for (const [node, expect] of Object.entries(actionChecks(fakes))) {
				assert(runData[node], `${node} did not run`);
				const [item] = runData[node][0].data.main[0];
				expect(item.json);
			}
			return `cli ${secs(r.ms)}`;
		});

		await check(row, 'trigger', 'Email Gateway Trigger: activation registers its webhooks, a signed delivery runs an execution, deactivation removes them', async () => {
			const { eg } = fakes;
			const hooks = () => eg.state.webhooks.filter((w) => w.domainId === egExamples.DOMAIN_ID);
			instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log, version });
			const cookie = await n8n.ownerSession(instance.url);
			const apiKey = await n8n.createApiKey(instance.url, cookie);
			// Created through the public API: n8n 2.0.x activates a version of the workflow's history, which its
			// import:workflow does not write ("Version not found"); the API's create does, in every release.
			const { name, nodes, connections, settings } = egExamples.workflows().find((w) => w.id === egExamples.IDS.triggerWorkflow);
			const { id: triggerWorkflow } = await n8n.api(instance.url, apiKey, 'POST', '/workflows', { name, nodes, connections, settings });
			await n8n.activateWorkflow(instance.url, apiKey, cookie, triggerWorkflow);
			assert(hooks().length === 2 && hooks().every((h) => h.url === egExamples.webhookPath(instance.url)), `webhooks at the fake ${short(hooks())}`);
			const [delivery] = await eg.fire(egExamples.DOMAIN_ID, 'bounce', { email: 'bounced@example.org', messageId: 'msg-version-smoke' });
			assert(delivery.status === 200, `delivery answered ${delivery.status}: ${delivery.body}`);
			const exec = await n8n.waitForExecution(instance.url, apiKey, triggerWorkflow, { includeData: true });
			const [event] = exec.data.resultData.runData['Email Gateway Trigger'][0].data.main[0];
			assert(exec.status === 'success' && event.json.event === 'bounced' && event.json.email === 'bounced@example.org', `execution ${exec.id} ${exec.status}: ${short(event && event.json)}`);
			await n8n.deactivateWorkflow(instance.url, apiKey, cookie, triggerWorkflow);
			for (let i = 0; i < 20 && hooks().length; i++) await sleep(250);
			assert(hooks().length === 0, `webhooks left after deactivation: ${short(hooks())}`);
			return `startup ${secs(instance.startupMs)}; execution ${exec.id}: ${event.json.event} ${event.json.email}`;
		});
	} finally {
		if (instance) await instance.stop();
		await fakes.close();
		if (row.install.startsWith('yes')) await check(row, 'tools', 'the nodes as AI-agent tools (test/e2e/agent-tools.e2e.js on this release)', async () => await agentTools(version));
		row.ms = Date.now() - row.started;
		if (KEEP || row.failures.length) console.log(`  temp folder kept: ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
	return row;
}

/** The agent-tools e2e (its own n8n, fakes and fake model) against this release; its summary line, or its failures. */
async function agentTools(version) {
	const script = path.join(PKG_DIR, 'test', 'e2e', 'agent-tools.e2e.js');
	const child = spawn(process.execPath, [script], { env: { ...process.env, N8N_E2E_VERSION: version }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const code = await new Promise((resolve) => child.on('close', resolve));
	const summary = output.split('\n').filter((line) => line.includes('agent-tools e2e:')).pop() || '';
	assert(code === 0, `exit ${code}: ${output.split('\n').filter((line) => line.startsWith('FAIL')).join(' | ').slice(0, 1500) || output.slice(-1500)}`);
	return summary.trim();
}

function table(rows) {
	const lines = [
		'| n8n | installs here | package loads | one action per provider | trigger activation + delivery | AI-agent tools |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows.map((r) => `| ${r.version} | ${r.install} | ${r.loads} | ${r.actions} | ${r.trigger} | ${r.tools} |`),
	];
	const notes = rows.filter((r) => r.failures.length).map((r) => `- n8n ${r.version}: ${r.failures.join('; ')}`);
	return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

async function main() {
	const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
	const entries = asked.length
		? asked.map((version) => MATRIX.find((e) => e.version === version) || { version, why: 'asked for', claimed: false })
		: MATRIX;
	assert(fs.existsSync(path.join(PKG_DIR, 'dist', 'nodes', 'SmsBy', 'SmsBy.node.js')), 'dist/ missing: run `npm run build` first');
	const rows = [];
	for (const entry of entries) rows.push(await smoke(entry)); // one install at a time: each is ~2.8 GB and CPU-heavy
	console.log(`\n=== results\n${table(rows)}`);
	const failedClaims = rows.filter((r) => r.claimed && r.failures.length);
	console.log(`\n${rows.length - rows.filter((r) => r.failures.length).length} of ${rows.length} releases passed${failedClaims.length ? `; FAILED on claimed ${failedClaims.map((r) => r.version).join(', ')}` : ''}`);
	process.exitCode = failedClaims.length ? 1 : 0;
}

main().catch((e) => {
	console.log(`FAIL versions.js crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
