#!/usr/bin/env node
'use strict';
/**
 * End-to-end test of the Email Gateway nodes in a REAL n8n 2.40.7 with the BUILT package loaded
 * the way users install it (copied to <userFolder>/.n8n/nodes/node_modules/n8n-nodes-email-marketing).
 *
 *   npm run build && node test/e2e/email-gateway.e2e.js [--keep]   (--keep: keep the temp folder)
 *
 * The fake Email Gateway (test/fake/email-gateway-server.js) runs inside this process on 127.0.0.1;
 * the credentials point at it. Checks:
 *   - `n8n export:nodes` lists n8n-nodes-email-marketing.emailGateway and .emailGatewayTrigger
 *   - POST /rest/credentials/test (the editor's "Test" button): OK for good keys, Error for a wrong
 *     key, for both credential types
 *   - the example workflow (Manual Trigger → Get Domains + Send Email) run with `n8n execute --id`
 *     returns the fake's domains and a MessageID; the fake saw the right auth on each request
 *   - the example trigger workflow (domain 123, bounced + opened) activated in the running n8n:
 *     2 webhooks at the fake pointing at n8n; a signed delivery → 200 + an execution with the
 *     normalized event, answered {"received":true}; bad signature / unsigned → 401 with a short fixed
 *     reason and no execution; a delivery, then n8n restarted, then the byte-identical delivery again →
 *     200 {"received":true,"duplicate":true} and no second execution (the duplicate memory is kept in the
 *     workflow's static data); deactivation → no webhooks
 * Prints one PASS/FAIL line per check; exit code 1 on any failure. Always stops n8n and the fake.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('../../scripts/n8n/n8n-env');
const examples = require('../../scripts/sandbox/examples');
const { startEmailGatewayServer } = require('../fake/email-gateway-server');

const KEEP = process.argv.includes('--keep');
const PKG_DIR = path.resolve(__dirname, '..', '..');
const ACCOUNT_KEY = 'e2e-account-key';
const { IDS, NODE_TYPES } = examples;

// ---------------------------------------------------------------------------
// reporting: one PASS/FAIL line per check; a failed `fatal` check ends the run

const { results, secs, Fatal, check, assert, cliOk } = require('./checks');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};

// ---------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const distNode = path.join(PKG_DIR, 'dist', 'nodes', 'EmailGateway', 'EmailGateway.node.js');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-eg-'));
	const userFolder = path.join(tmp, 'user');
	const fake = await startEmailGatewayServer({ accountApiKey: ACCOUNT_KEY });
	const senderKey = fake.senderKeyFor(examples.DOMAIN_ID);
	const log = (m) => console.log(`  ${m}`);
	let instance;
	console.log(`Email Gateway e2e: package ${PKG_DIR}, temp ${tmp}, fake Email Gateway ${fake.url}`);

	try {
		await check(
			'package is built (dist/ present)',
			async () => {
				assert(fs.existsSync(distNode), `${distNode} missing: run \`npm run build\` first`);
				const srcNewest = newestMtime(path.join(PKG_DIR, 'nodes'), '.ts');
				const distTime = fs.statSync(distNode).mtimeMs;
				return srcNewest > distTime + 1000 ? 'WARNING: nodes/*.ts changed after the last build' : 'ok';
			},
			{ fatal: true },
		);

		await check('ensureN8n (install/verify n8n 2.40.7 + Node 24)', async () => (await n8n.ensureN8n({ log })).dir, {
			fatal: true,
		});

		await check('n8n export:nodes lists emailGateway and emailGatewayTrigger', async () => {
			const out = path.join(tmp, 'nodes.json');
			const r = cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: [PKG_DIR] }), 'export:nodes');
			const nodes = JSON.parse(fs.readFileSync(out, 'utf8'));
			const byName = new Map(nodes.map((n) => [n.name, n]));
			assert(byName.has(NODE_TYPES.node), `${NODE_TYPES.node} not exported`);
			assert(byName.has(NODE_TYPES.trigger), `${NODE_TYPES.trigger} not exported`);
			const creds = (byName.get(NODE_TYPES.node).credentials || []).map((c) => c.name).sort();
			assert(
				creds.includes('emailGatewayApi') && creds.includes('emailGatewaySenderApi'),
				`node credentials ${creds}`,
			);
			return `${nodes.length} node types; ${NODE_TYPES.node} (credentials ${creds.join(', ')}) + ${NODE_TYPES.trigger}; cli ${secs(r.ms)}`;
		});

		await check(
			'import:credentials + import:workflow (example credentials/workflows, pointing at the fake)',
			async () => {
				const credFile = path.join(tmp, 'credentials.json');
				const wfFile = path.join(tmp, 'workflows.json');
				fs.writeFileSync(
					credFile,
					JSON.stringify(examples.credentials({ baseUrl: fake.url, accountApiKey: ACCOUNT_KEY, senderApiKey: senderKey }), null, 2),
				);
				fs.writeFileSync(wfFile, JSON.stringify(examples.workflows(), null, 2));
				const a = cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
				const b = cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder }), 'import:workflow');
				return `credentials ${secs(a.ms)}, workflows ${secs(b.ms)}`;
			},
			{ fatal: true },
		);

		await check('execute --id: Manual Trigger → Get Domains + Send Email returns domains and a MessageID', async () => {
			fake.clearRequests();
			const r = cliOk(
				await n8n.runCli(['execute', `--id=${IDS.nodeWorkflow}`, '--rawOutput'], { userFolder }),
				'execute',
			);
			const run = n8n.parseExecuteOutput(r.stdout);
			const runData = run.data.resultData.runData;
			const err = run.data.resultData.error;
			assert(!err, `execution error: ${short(err, 800)}`);
			const domains = runData['Get Domains'][0].data.main[0].map((i) => i.json);
			const want = fake.state.domains.map((d) => d.id).sort();
			assert(
				JSON.stringify(domains.map((d) => String(d.DomainID)).sort()) === JSON.stringify(want),
				`domains ${short(domains)} vs fake ${want}`,
			);
			assert(domains.some((d) => d.DomainName === 'example.com'), `example.com missing: ${short(domains)}`);
			const sent = runData['Send Email'][0].data.main[0].map((i) => i.json);
			assert(sent.length === 1 && typeof sent[0].MessageID === 'string', `send output ${short(sent)}`);
			const stored = fake.state.sentEmails.find((m) => m.messageId === sent[0].MessageID);
			assert(stored, `fake has no email ${sent[0].MessageID}`);
			assert(stored.domainId === '123' && stored.to[0].email === 'jane@example.org', `stored ${short(stored)}`);
			return `status ${run.status}; ${domains.length} domains (${domains.map((d) => d.DomainName).join(', ')}); MessageID ${sent[0].MessageID}; cli ${secs(r.ms)}`;
		});

		await check('the fake saw the right auth: APIKey body field on /api.php, Bearer sender key on /api/v1/email', async () => {
			const cmds = fake.requests.filter((q) => q.path === '/api.php');
			const sends = fake.requests.filter((q) => q.path === '/api/v1/email');
			assert(cmds.length === 1 && cmds[0].command === 'EmailGateway.GetDomains', `commands ${short(cmds.map((q) => q.command))}`);
			assert(cmds[0].method === 'POST' && cmds[0].body.APIKey === ACCOUNT_KEY, `APIKey ${cmds[0].body.APIKey}`);
			assert(!cmds[0].headers.authorization, `unexpected Authorization on /api.php: ${cmds[0].headers.authorization}`);
			assert(sends.length === 1 && sends[0].method === 'POST', `${sends.length} sends`);
			assert(sends[0].headers.authorization === `Bearer ${senderKey}`, `Authorization ${sends[0].headers.authorization}`);
			assert(!('APIKey' in sends[0].body), 'account APIKey leaked into /api/v1/email');
			const b = sends[0].body;
			assert(
				b.From && b.From.email === 'sender@example.com' && b.From.name === 'Example Sender' && b.Subject === 'Hello from n8n',
				`body ${short(b)}`,
			);
			// One HTML key (HTMLContent, Octeth's reference), never both: the fake reads either, so no resend.
			assert(b.ContentType === 'html' && /Hello/.test(b.HTMLContent) && !('HtmlContent' in b), `content ${short(b)}`);
			assert(JSON.stringify(b.Tags) === JSON.stringify(['sandbox', 'example']), `tags ${short(b.Tags)}`);
			return `${fake.requests.length} requests: ${fake.requests.map((q) => `${q.method} ${q.path}${q.command ? ` ${q.command}` : ''}`).join(', ')}`;
		});

		await check(
			'n8n start with the package (until /healthz/readiness = 200)',
			async () => {
				instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log });
				return `${instance.url}, startup ${secs(instance.startupMs)}, log ${instance.logFile}`;
			},
			{ fatal: true },
		);
		const { url } = instance;

		let cookie;
		let apiKey;
		await check(
			'owner setup + API key; imported workflows listed by the public API',
			async () => {
				cookie = await n8n.ownerSession(url);
				apiKey = await n8n.createApiKey(url, cookie);
				const ids = (await n8n.api(url, apiKey, 'GET', '/workflows')).data.map((w) => w.id);
				assert(ids.includes(IDS.nodeWorkflow) && ids.includes(IDS.triggerWorkflow), `workflows ${ids}`);
				return `${ids.length} workflows`;
			},
			{ fatal: true },
		);

		const credCases = [
			{ type: 'emailGatewayApi', id: IDS.accountCredential, name: examples.CREDENTIAL_NAMES.account, good: ACCOUNT_KEY },
			{ type: 'emailGatewaySenderApi', id: IDS.senderCredential, name: examples.CREDENTIAL_NAMES.sender, good: senderKey },
		];
		for (const c of credCases) {
			await check(`credential Test button (POST /rest/credentials/test), ${c.type}: good key OK, wrong key Error`, async () => {
				const base = { id: c.id, name: c.name, type: c.type };
				const good = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, apiKey: c.good } });
				assert(good && good.status === 'OK', `good key -> ${short(good)}`);
				const bad = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, apiKey: 'wrong-key-1234' } });
				assert(bad && bad.status === 'Error', `wrong key -> ${short(bad)}`);
				const unsaved = await n8n.testCredential(url, cookie, { id: '', name: 'unsaved', type: c.type, data: { baseUrl: fake.url, apiKey: c.good } });
				assert(unsaved && unsaved.status === 'OK', `unsaved credential with good key -> ${short(unsaved)}`);
				return `good: ${short(good)}; wrong: ${short(bad)}; unsaved good: ${unsaved.status}`;
			});
		}

		await check('credential Test button, emailGatewaySenderApi: a refusal answered with HTTP 200 + Errors is an Error', async () => {
			// Octeth answers many v1 errors with HTTP 200 and an Errors list; the credential's rules must catch it.
			fake.failNext({ path: '/api/v1/webhooks', status: 200, body: { Errors: [{ Code: 13, Message: 'Invalid SenderAPIKey' }] } });
			const base = { id: IDS.senderCredential, name: examples.CREDENTIAL_NAMES.sender, type: 'emailGatewaySenderApi' };
			const refused = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, apiKey: senderKey } });
			assert(refused && refused.status === 'Error' && /Invalid SenderAPIKey/.test(refused.message), `HTTP 200 refusal -> ${short(refused)}`);
			return short(refused);
		});

		// ------------------------------------------------------------------ trigger
		const hookUrl = examples.webhookPath(url);
		const hooksOf123 = () => fake.state.webhooks.filter((w) => w.domainId === examples.DOMAIN_ID);
		let activated = false;
		activated = await check('activate trigger workflow → 2 webhooks (bounce, open) at the fake pointing at n8n', async () => {
			fake.clearRequests();
			const status = await n8n.activateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			const hooks = hooksOf123();
			assert(hooks.length === 2, `fake has ${hooks.length} webhooks: ${short(hooks)}`);
			assert(
				JSON.stringify(hooks.map((h) => h.event).sort()) === JSON.stringify(['bounce', 'open']),
				`events ${hooks.map((h) => h.event)}`,
			);
			assert(hooks.every((h) => h.url === hookUrl && h.source === 'command'), `urls ${hooks.map((h) => h.url)} (want ${hookUrl})`);
			const adds = fake.requests.filter((q) => q.command === 'EmailGateway.AddWebhook');
			assert(adds.length === 2 && adds.every((q) => q.body.APIKey === ACCOUNT_KEY), `AddWebhook calls ${adds.length}`);
			return `publication ${status.status}; ${hooks.map((h) => `${h.id}:${h.event}`).join(', ')} → ${hookUrl}`;
		});

		if (activated) {
			let lastExecId = '0';
			await check("server.fire('123','bounce') → n8n answers 200, execution output is the normalized event", async () => {
				const email = 'bounced.user@example.org';
				const messageId = 'msg-e2e-bounce-1';
				const [res, ...more] = await fake.fire(examples.DOMAIN_ID, 'bounce', { email, messageId });
				assert(res && more.length === 0, 'one delivery');
				assert(res.status === 200, `webhook answered ${res.status}: ${res.body || res.error}`);
				// What the README promises (n8n's on-received answer would otherwise be the text "firstEntryJson").
				assert(res.body === '{"received":true}', `webhook body ${short(res.body)}`);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true });
				lastExecId = exec.id;
				assert(exec.status === 'success' && exec.mode === 'webhook', `execution ${exec.id} ${exec.status} ${exec.mode}`);
				const items = exec.data.resultData.runData['Email Gateway Trigger'][0].data.main[0];
				assert(items.length === 1, `${items.length} items`);
				const out = items[0].json;
				const payload = JSON.parse(res.payload);
				assert(
					JSON.stringify(Object.keys(out).sort()) === JSON.stringify(['email', 'event', 'messageId', 'provider', 'raw', 'timestamp']),
					`keys ${Object.keys(out)}`,
				);
				assert(out.event === 'bounced' && out.email === email && out.messageId === messageId, short(out));
				assert(out.provider === 'emailGateway', `provider ${out.provider}`);
				assert(out.timestamp === new Date(payload.Timestamp * 1000).toISOString(), `timestamp ${out.timestamp}`);
				assert(JSON.stringify(out.raw) === JSON.stringify(payload), `raw ${short(out.raw)}`);
				const noOp = exec.data.resultData.runData['No Op'][0].data.main[0][0].json;
				assert(noOp.event === 'bounced', 'No Op got the event');
				return `webhook ${res.status}; execution ${exec.id} (${exec.mode}, ${exec.status}); output ${short({ ...out, raw: '…' })}`;
			});

			const countExecs = async () => (await n8n.listExecutions(url, apiKey, IDS.triggerWorkflow)).length;

			await check('delivery with a bad signature → 401 {"error":"invalid signature"} and no new execution', async () => {
				const before = await countExecs();
				const [res] = await fake.fire(examples.DOMAIN_ID, 'bounce', { email: 'x@example.org', style: 'bad-signature' });
				assert(res.status === 401, `webhook answered ${res.status}: ${res.body}`);
				assert(res.body === '{"error":"invalid signature"}', `body ${short(res.body)}`);
				await sleep(1500);
				const after = await countExecs();
				assert(after === before, `executions ${before} → ${after}`);
				return `401 ${short(res.body, 120)}; executions stay ${after}`;
			});

			await check('unsigned delivery → 401 and no new execution (Accept Unsigned is off)', async () => {
				const before = await countExecs();
				const [res] = await fake.fire(examples.DOMAIN_ID, 'open', { style: 'unsigned' });
				assert(res.status === 401, `webhook answered ${res.status}: ${res.body}`);
				assert(res.body === '{"error":"unsigned delivery"}', `body ${short(res.body)}`);
				await sleep(1000);
				const after = await countExecs();
				assert(after === before, `executions ${before} → ${after}`);
				return `401; executions stay ${after}`;
			});

			await check("server.fire('123','open') (second subscribed event) → execution with event 'opened'", async () => {
				const [res] = await fake.fire(examples.DOMAIN_ID, 'open', { email: 'reader@example.org', messageId: 'msg-e2e-open-1' });
				assert(res.status === 200, `webhook answered ${res.status}: ${res.body}`);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true, after: lastExecId });
				const out = exec.data.resultData.runData['Email Gateway Trigger'][0].data.main[0][0].json;
				assert(out.event === 'opened' && out.email === 'reader@example.org', short(out));
				lastExecId = exec.id;
				return `execution ${exec.id}: ${out.event} ${out.email}`;
			});

			await check('a delivery, n8n restarted, the identical delivery again → 200 duplicate, no second execution', async () => {
				// Fixed id and time: fire() then sends the same bytes under the same signature.
				const delivery = { email: 'restart@example.org', messageId: 'msg-e2e-restart', eventId: 'evt-e2e-restart', timestamp: Math.floor(Date.now() / 1000) };
				const [first] = await fake.fire(examples.DOMAIN_ID, 'bounce', delivery);
				assert(first.status === 200 && first.body === '{"received":true}', `first delivery answered ${first.status}: ${short(first.body)}`);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { after: lastExecId });
				lastExecId = exec.id;
				const before = await countExecs();

				const restartStart = Date.now();
				await instance.stop();
				instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log, port: instance.port });
				const restartedIn = secs(Date.now() - restartStart);

				// n8n takes its active workflows' webhooks up again shortly after it is ready.
				let again;
				for (const deadline = Date.now() + 30_000; ; await sleep(500)) {
					[again] = await fake.fire(examples.DOMAIN_ID, 'bounce', delivery);
					if (![0, 404].includes(again.status) || Date.now() > deadline) break;
				}
				assert(again.payload === first.payload && again.signature === first.signature, 'the second delivery is byte-identical');
				assert(again.status === 200, `after the restart the repeat answered ${again.status}: ${short(again.body)}`);
				assert(again.body === '{"received":true,"duplicate":true}', `after the restart the repeat answered ${short(again.body)}`);
				await sleep(2000);
				const after = await countExecs();
				assert(after === before, `executions ${before} → ${after}`);
				return `first: execution ${exec.id}; restarted in ${restartedIn}; repeat: ${again.status} ${again.body}; executions stay ${after}`;
			});
		}

		await check('deactivate trigger workflow → the fake has no webhooks left, n8n webhook answers 404', async () => {
			await n8n.deactivateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			const hooks = hooksOf123();
			assert(hooks.length === 0, `fake still has ${short(hooks)}`);
			const res = await n8n.request(hookUrl, { method: 'POST', body: {} });
			assert(res.status === 404, `webhook after deactivation answered ${res.status}`);
			const deletes = fake.requests.filter((q) => q.command === 'EmailGateway.DeleteWebhook');
			return `${deletes.length} DeleteWebhook calls; webhook URL now ${res.status}`;
		});
	} catch (e) {
		if (!(e instanceof Fatal)) {
			results.push({ name: 'unexpected error', ok: false });
			console.log(`FAIL unexpected error: ${e && e.stack ? e.stack : e}`);
		}
	} finally {
		if (instance) {
			const s = Date.now();
			await instance.stop();
			console.log(`  n8n stopped (${secs(Date.now() - s)})`);
		}
		await fake.close();
		console.log('  fake Email Gateway stopped');
		const failed = results.filter((r) => !r.ok).length;
		if (KEEP || failed) console.log(`  temp folder kept: ${tmp}${instance ? ` (n8n log: ${instance.logFile})` : ''}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
		console.log(`  email-gateway e2e: ${results.length - failed} passed, ${failed} failed in ${secs(Date.now() - t0)}`);
		process.exitCode = failed ? 1 : 0;
	}
}

function newestMtime(dir, ext) {
	let newest = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
		else if (e.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
	}
	return newest;
}

main().catch((e) => {
	console.log(`FAIL email-gateway e2e crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
