#!/usr/bin/env node
'use strict';
/**
 * End-to-end test of the CleverReach nodes in a REAL n8n 2.40.7 with the BUILT package loaded the way users
 * install it, against the fake CleverReach (test/fake/cleverreach-server.js) running inside this process.
 *
 *   npm run build && node test/e2e/cleverreach.e2e.js [--keep]   (--keep: keep the temp folder)
 *
 * Checks:
 *   - `n8n export:nodes` lists cleverReach and cleverReachTrigger with the cleverReachOAuth2Api credential
 *   - OAuth2 "Connect" through n8n's own endpoints: GET /rest/oauth2-credential/auth gives the fake's
 *     authorize.php URL (grant=basic, client_id, n8n's callback); the fake redirects straight back with a
 *     code; n8n's callback exchanges it at token.php and stores the token
 *   - the example workflow, run as the editor's Execute workflow button runs it (POST /rest/workflows/:id/run
 *     from its Manual Trigger) → 2,500 receivers → Upsert → Get Receivers with Return All:
 *     3 upsert requests (1,000 + 1,000 + 500), 2,500 receivers read back, every request with the stored token
 *   - the stored token expires: the next run refreshes it once (refresh_token with the client's Basic auth)
 *     and succeeds
 *   - the example trigger workflow activated: hooks registered at /hooks/eventhook after the GET check;
 *     a receiver.subscribed delivery with the call token → an execution with the receiver's email; a wrong
 *     call token → 401 and no execution; deactivation → no hook of ours left
 * Prints one PASS/FAIL line per check; exit code 1 on any failure. Always stops n8n and the fake.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('../../scripts/n8n/n8n-env');
const cr = require('../../scripts/sandbox/cleverreach-examples');

const KEEP = process.argv.includes('--keep');
const PKG_DIR = path.resolve(__dirname, '..', '..');
const { IDS, NODE_TYPES } = cr;

const { results, secs, Fatal, check, assert, cliOk } = require('./checks');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};

/** Cookies a response sets, as one Cookie header (name=value pairs). */
function cookiesOf(res) {
	return (res.headers['set-cookie'] || []).map((c) => c.split(';')[0]);
}


/** A copy of the example trigger workflow (its own id, webhook and node ids): another workflow on the same event and group. */
const SECOND_TRIGGER = { id: 'CrExampleTrigger02', webhookId: 'cr-second-trigger-hook' };
function secondTrigger(workflows) {
	const first = workflows.find((workflow) => workflow.nodes.some((node) => node.webhookId));
	const copy = JSON.parse(JSON.stringify(first));
	copy.id = SECOND_TRIGGER.id;
	copy.name = 'CleverReach Trigger, second workflow on the same event and group';
	for (const node of copy.nodes) {
		node.id = `${node.id.slice(0, -2)}${node.webhookId ? '91' : '92'}`;
		if (node.webhookId) node.webhookId = SECOND_TRIGGER.webhookId;
	}
	return copy;
}

async function main() {
	const t0 = Date.now();
	const distNode = path.join(PKG_DIR, 'dist', 'nodes', 'CleverReach', 'CleverReach.node.js');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-cr-'));
	const userFolder = path.join(tmp, 'user');
	const { fake, groupId } = await cr.startFake();
	const log = (m) => console.log(`  ${m}`);
	let instance;
	console.log(`CleverReach e2e: package ${PKG_DIR}, temp ${tmp}, fake CleverReach ${fake.url} (group ${groupId})`);

	try {
		await check('package is built (dist/ present)', async () => assert(fs.existsSync(distNode), `${distNode} missing: run \`npm run build\` first`), { fatal: true });
		await check('ensureN8n (n8n 2.40.7 + Node 24)', async () => (await n8n.ensureN8n({ log })).dir, { fatal: true });

		await check('n8n export:nodes lists cleverReach and cleverReachTrigger with the OAuth2 credential', async () => {
			const out = path.join(tmp, 'nodes.json');
			cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: [PKG_DIR] }), 'export:nodes');
			const byName = new Map(JSON.parse(fs.readFileSync(out, 'utf8')).map((node) => [node.name, node]));
			assert(byName.has(NODE_TYPES.node) && byName.has(NODE_TYPES.trigger), 'node types missing');
			const creds = (byName.get(NODE_TYPES.node).credentials || []).map((c) => c.name);
			assert(creds.includes('cleverReachOAuth2Api'), `credentials ${creds}`);
			return `${NODE_TYPES.node} (${creds.join(', ')}) + ${NODE_TYPES.trigger}`;
		});

		await check(
			'import:credentials (not yet connected) + import:workflow (the examples)',
			async () => {
				const credFile = path.join(tmp, 'credentials.json');
				const wfFile = path.join(tmp, 'workflows.json');
				fs.writeFileSync(credFile, JSON.stringify(cr.credentials({ restUrl: fake.url }), null, 2));
				fs.writeFileSync(wfFile, JSON.stringify([...cr.workflows({ groupId }), secondTrigger(cr.workflows({ groupId }))], null, 2));
				cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
				cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder }), 'import:workflow');
			},
			{ fatal: true },
		);

		await check('n8n start with the package', async () => {
			instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log });
			return `${instance.url}, startup ${secs(instance.startupMs)}`;
		}, { fatal: true });
		const { url } = instance;

		let cookie;
		let apiKey;
		await check('owner setup + API key', async () => {
			cookie = await n8n.ownerSession(url);
			apiKey = await n8n.createApiKey(url, cookie);
		}, { fatal: true });

		await check(
			'OAuth2 Connect through n8n: authorize.php (grant=basic) → fake redirects with a code → n8n callback → token stored',
			async () => {
				const auth = await n8n.request(`${url}/rest/oauth2-credential/auth?id=${IDS.credential}`, { headers: { cookie, 'browser-id': 'n8n-e2e' } });
				assert(auth.status === 200 && typeof auth.json?.data === 'string', `auth answered ${auth.status}: ${short(auth.text)}`);
				const authorizeUrl = new URL(auth.json.data);
				assert(authorizeUrl.origin === fake.url && authorizeUrl.pathname === '/oauth/authorize.php', `authorize URL ${authorizeUrl}`);
				const q = authorizeUrl.searchParams;
				assert(q.get('grant') === 'basic' && q.get('response_type') === 'code' && q.get('client_id') === cr.CLIENT.clientId, `authorize query ${q}`);
				assert(q.get('redirect_uri') === `${url}/rest/oauth2-credential/callback`, `redirect_uri ${q.get('redirect_uri')}`);
				// The browser: the fake's authorize page redirects at once (the user "allows").
				const authorized = await n8n.request(authorizeUrl.toString());
				assert(authorized.status === 302, `authorize answered ${authorized.status}: ${short(authorized.text)}`);
				const callback = new URL(authorized.headers.location);
				const browserCookies = [cookie, ...cookiesOf(auth)].filter(Boolean).join('; ');
				const done = await n8n.request(callback.toString(), { headers: { cookie: browserCookies, 'browser-id': 'n8n-e2e', accept: 'text/html' } });
				assert(done.status === 200, `callback answered ${done.status}: ${short(done.text, 600)}`);
				const exchange = fake.tokenCalls.filter((call) => call.grantType === 'authorization_code');
				assert(exchange.length === 1 && exchange[0].ok, `token calls ${short(fake.tokenCalls)}`);
				return `code exchanged (client auth ${exchange[0].clientAuth}); callback ${done.status}`;
			},
			{ fatal: true },
		);

		let lastNodeExec = '0';
		const runNodeWorkflow = async () => {
			// What the editor's Execute workflow button sends for a workflow whose one trigger is the Manual Trigger.
			const run = await n8n.rest(url, cookie, 'POST', `/workflows/${IDS.nodeWorkflow}/run`, { triggerToStartFrom: { name: 'Manual Trigger' } });
			assert(run && run.executionId, `run answered ${short(run)}`);
			const exec = await n8n.waitForExecution(url, apiKey, IDS.nodeWorkflow, { includeData: true, after: lastNodeExec, timeoutMs: 120_000 });
			lastNodeExec = exec.id;
			return exec;
		};

		await check('upsert 2,500 receivers in 3 requests, read them back with Return All, with the token from Connect', async () => {
			fake.reset();
			const exec = await runNodeWorkflow();
			assert(exec.status === 'success', `execution ${exec.id} ${exec.status}: ${short(exec.data.resultData.error, 800)}`);
			const runData = exec.data.resultData.runData;
			const upserted = runData['Upsert Receivers'][0].data.main[0];
			const read = runData['Get Receivers'][0].data.main[0];
			const upserts = fake.requests.filter((q) => q.method === 'POST' && q.path === `/v3/groups/${groupId}/receivers/upsert`);
			// Chunks go out in parallel: they may arrive in any order.
			assert(JSON.stringify(upserts.map((q) => q.body.length).sort((a, b) => b - a)) === JSON.stringify([1000, 1000, 500]), `upsert sizes ${upserts.map((q) => q.body.length)}`);
			assert(upserts.every((q) => q.rawPath === `/v3/groups.json/${groupId}/receivers/upsert`), `paths ${upserts.map((q) => q.rawPath)}`);
			assert(upserted.length === 2500 && upserted[2499].json.email === 'receiver2499@example.org', `${upserted.length} upserted`);
			assert(upserted[7].json.global_attributes.firstname === 'Receiver 7', `attributes ${short(upserted[7].json)}`);
			assert(read.length === fake.state.groups.get(groupId).receivers.size && read.length >= 2500, `read back ${read.length}`);
			const reads = fake.requests.filter((q) => q.method === 'GET' && q.path === `/v3/groups/${groupId}/receivers`);
			// CleverReach gives no total: the list ends at the first empty page (nodes/shared/execution/pagination.ts).
			assert(
				reads.length === 2 && reads.every((q, page) => q.query.pagesize === '5000' && q.query.page === String(page)),
				`reads ${short(reads.map((q) => q.query))}`,
			);
			assert(fake.requests.every((q) => q.authorized), 'every request carried the stored token');
			return `execution ${exec.id}: 3 upserts (${upserts.map((q) => q.body.length).join(' + ')}), ${read.length} read back (${reads.length} pages, the last one empty)`;
		});

		await check('the stored token has expired: the next run refreshes it once (client Basic auth) and succeeds', async () => {
			fake.expireTokens();
			fake.reset();
			const exec = await runNodeWorkflow();
			assert(exec.status === 'success', `execution ${exec.id} ${exec.status}: ${short(exec.data.resultData.error, 800)}`);
			const refreshes = fake.tokenCalls.filter((call) => call.grantType === 'refresh_token');
			assert(refreshes.length === 1 && refreshes[0].ok && refreshes[0].clientAuth === 'basic', `token calls ${short(fake.tokenCalls)}`);
			// The 3 chunks go out together (up to 4 at once): each may meet the expired token; one refresh serves them all.
			const refused = fake.requests.filter((q) => !q.authorized);
			const upserts = fake.requests.filter((q) => q.authorized && q.path.endsWith('/receivers/upsert')).length;
			assert(refused.length >= 1 && refused.length <= 3 && refused.every((q) => q.path.endsWith('/receivers/upsert')) && upserts === 3, `refused ${refused.length}, accepted upserts ${upserts}`);
			assert(fake.state.groups.get(groupId).receivers.size >= cr.RECEIVERS, `receivers in the group: ${fake.state.groups.get(groupId).receivers.size}`);
			return `${refused.length} refusal(s), 1 refresh, then 3 upserts; execution ${exec.id}`;
		});

		const hooksOfUs = () => fake.state.hooks.filter((hook) => hook.url === cr.webhookPath(url));
		const triggerRuns = async () => (await n8n.listExecutions(url, apiKey, IDS.triggerWorkflow)).length;
		const activated = await check('activate the trigger: hooks at /hooks/eventhook after the GET ?secret= check', async () => {
			fake.reset();
			await n8n.activateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			const hooks = hooksOfUs();
			assert(JSON.stringify(hooks.map((h) => h.event)) === JSON.stringify(['receiver.subscribed', 'receiver.unsubscribed']), `hooks ${short(hooks)}`);
			assert(hooks.every((h) => h.condition === groupId), `conditions ${hooks.map((h) => h.condition)}`);
			return `${hooks.length} hooks → ${cr.webhookPath(url)}`;
		});

		if (activated) {
			await check('a receiver.subscribed delivery with the call token → execution with the receiver\'s email', async () => {
				const receiver = fake.addReceiver(groupId, { email: 'subscribed.e2e@example.org', activated: Math.floor(Date.now() / 1000) });
				const [res] = await fake.fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(receiver.id) });
				assert(res && res.status === 200 && res.body === '{"received":true}', `delivery answered ${res && res.status}: ${res && res.body}`);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true });
				const out = exec.data.resultData.runData['CleverReach Trigger'][0].data.main[0][0].json;
				assert(out.event === 'subscribed' && out.email === 'subscribed.e2e@example.org' && out.provider === 'cleverReach', short(out));
				return `execution ${exec.id}: ${out.event} ${out.email}`;
			});

			await check('a delivery with a wrong call token → 401, no execution', async () => {
				const before = await triggerRuns();
				const [res] = await fake.fire('receiver.unsubscribed', { group_id: Number(groupId), pool_id: 1 }, { callToken: 'f'.repeat(64) });
				assert(res.status === 401 && res.body === '{"error":"invalid signature"}', `answered ${res.status}: ${res.body}`);
				await sleep(1500);
				const after = await triggerRuns();
				assert(after === before, `executions ${before} → ${after}`);
				return `401; executions stay ${after}`;
			});
		}

		await check('a second workflow\'s trigger on the same event and group: its activation is refused with what to do, the first keeps its hooks and keeps receiving', async () => {
			let refusal;
			await n8n.activateWorkflow(url, apiKey, cookie, SECOND_TRIGGER.id).catch((error) => (refusal = error));
			assert(refusal && /CleverReach already sends receiver\.subscribed of group \d+ to another URL/.test(refusal.message), `activation: ${refusal ? refusal.message : 'published'}`);
			await n8n.deactivateWorkflow(url, apiKey, cookie, SECOND_TRIGGER.id).catch(() => {});
			assert(hooksOfUs().length === 2 && fake.state.hooks.length === 2, `hooks ${short(fake.state.hooks.map((h) => [h.event, h.url]))}`);
			const before = await triggerRuns();
			const receiver = fake.addReceiver(groupId, { email: 'still.heard.e2e@example.org' });
			const [res] = await fake.fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(receiver.id) });
			assert(res && res.status === 200, `delivery answered ${res && res.status}`);
			await n8n.waitFor(async () => (await triggerRuns()) > before, { timeoutMs: 60_000, what: 'the first workflow\'s execution' });
			return refusal.message.slice(0, 160);
		});

		await check('deactivate the trigger: no hook of ours left', async () => {
			await n8n.deactivateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			assert(hooksOfUs().length === 0, `hooks left ${short(hooksOfUs())}`);
			const deletes = fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/hooks/eventhook/'));
			return `${deletes.length} DELETE /hooks/eventhook/{event}`;
		});
	} catch (e) {
		if (!(e instanceof Fatal)) {
			results.push({ name: 'unexpected error', ok: false });
			console.log(`FAIL unexpected error: ${e && e.stack ? e.stack : e}`);
		}
	} finally {
		if (instance) await instance.stop();
		await fake.close();
		const failed = results.filter((r) => !r.ok).length;
		if (KEEP || failed) console.log(`  temp folder kept: ${tmp}${instance ? ` (n8n log: ${instance.logFile})` : ''}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
		console.log(`  cleverreach e2e: ${results.length - failed} passed, ${failed} failed in ${secs(Date.now() - t0)}`);
		process.exitCode = failed ? 1 : 0;
	}
}

main().catch((e) => {
	console.log(`FAIL cleverreach e2e crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
