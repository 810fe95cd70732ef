#!/usr/bin/env node
'use strict';
/**
 * End-to-end test of the Especial nodes in a REAL n8n 2.40.7 with the BUILT package loaded the way users
 * install it, against the fake Especial (test/fake/especial-server.js) in this process.
 *
 *   npm run build && node test/e2e/especial.e2e.js [--keep]
 *
 * Checks (the example workflows of scripts/sandbox/especial-examples.js):
 *   - `n8n export:nodes` lists especial and especialTrigger with the especialApi credential
 *   - `n8n execute`, one workflow per main resource family: contacts (three imported in ONE request,
 *     then listed), lists, campaigns (schedule, get), transactional email (send), reports; each logs in
 *     with the password grant once and sends the token as Bearer
 *   - the credential Test button: OK for the right password, Error for a wrong one
 *   - the trigger workflow activated: one webhook per event at the fake calling n8n; a signed delivery
 *     starts one execution with the package event shape; a forged one gets 401 and starts none;
 *     deactivation archives the webhooks
 * One PASS/FAIL line per check; exit code 1 on any failure. Always stops n8n and the fake.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('../../scripts/n8n/n8n-env');
const examples = require('../../scripts/sandbox/especial-examples');
const { startEspecialServer } = require('../fake/especial-server');

const KEEP = process.argv.includes('--keep');
const PKG_DIR = path.resolve(__dirname, '..', '..');
const { IDS, NODE_TYPES } = examples;

const { results, secs, Fatal, check, assert, cliOk } = require('./checks');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};

async function main() {
	const t0 = Date.now();
	const distNode = path.join(PKG_DIR, 'dist', 'nodes', 'Especial', 'Especial.node.js');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-especial-'));
	const userFolder = path.join(tmp, 'user');
	const fake = await startEspecialServer({ username: examples.USERNAME, password: examples.PASSWORD });
	examples.seedFake(fake);
	const log = (m) => console.log(`  ${m}`);
	let instance;
	console.log(`Especial e2e: package ${PKG_DIR}, temp ${tmp}, fake Especial ${fake.url}`);

	const execute = async (workflowId) => {
		const r = cliOk(await n8n.runCli(['execute', `--id=${workflowId}`, '--rawOutput'], { userFolder }), 'execute');
		const run = n8n.parseExecuteOutput(r.stdout);
		assert(!run.data.resultData.error, `execution error: ${short(run.data.resultData.error, 800)}`);
		const output = (node) => run.data.resultData.runData[node][0].data.main[0].map((item) => item.json);
		return { run, output, ms: r.ms };
	};
	const api = () => fake.requests.filter((request) => request.path !== '/token');
	const logins = () => fake.requests.filter((request) => request.path === '/token');
	const bearerOnly = () => api().every((request) => /^Bearer esp_at_/.test(request.headers.authorization || ''));

	try {
		await check('package is built (dist/ present)', async () => assert(fs.existsSync(distNode), `${distNode} missing: run \`npm run build\` first`), { fatal: true });
		await check('ensureN8n (n8n 2.40.7 + Node 24)', async () => (await n8n.ensureN8n({ log })).dir, { fatal: true });

		await check('n8n export:nodes lists especial and especialTrigger with the especialApi credential', async () => {
			const out = path.join(tmp, 'nodes.json');
			cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: [PKG_DIR] }), 'export:nodes');
			const byName = new Map(JSON.parse(fs.readFileSync(out, 'utf8')).map((node) => [node.name, node]));
			for (const type of [NODE_TYPES.node, NODE_TYPES.trigger]) {
				assert(byName.has(type), `${type} not exported`);
				assert((byName.get(type).credentials || []).some((c) => c.name === 'especialApi'), `${type} credentials`);
			}
			return 'ok';
		});

		await check('import:credentials + import:workflow (the Especial examples, pointing at the fake)', async () => {
			const credFile = path.join(tmp, 'credentials.json');
			const wfFile = path.join(tmp, 'workflows.json');
			fs.writeFileSync(credFile, JSON.stringify(examples.credentials({ baseUrl: fake.url }), null, 2));
			fs.writeFileSync(wfFile, JSON.stringify(examples.workflows(), null, 2));
			cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
			cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder }), 'import:workflow');
		}, { fatal: true });

		await check('contacts: three contacts imported in ONE request (batch mode), then listed; one login, Bearer token', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.contactsWorkflow);
			const imports = api().filter((request) => request.path === `/lists/${examples.LIST_ID}/import-contacts`);
			assert(imports.length === 1, `${imports.length} import requests`);
			assert(JSON.stringify(imports[0].body.contacts) === JSON.stringify([
				{ email: 'ann@example.org', custom_attributes: [{ name: 'city', value: 'Oslo' }] },
				{ email: 'bob@example.org', custom_attributes: [{ name: 'city', value: 'Lima' }] },
				{ email: 'cid@example.org', custom_attributes: [{ name: 'city', value: 'Pune' }] },
			]), `contacts ${short(imports[0].body)}`);
			assert(output('Import Contacts').length === 3, 'one output item per contact');
			const listed = output('Get Contacts').map((contact) => contact.email);
			assert(['ann@example.org', 'bob@example.org', 'cid@example.org'].every((email) => listed.includes(email)), `listed ${short(listed)}`);
			assert(logins().length === 1 && logins()[0].body.grant_type === 'password', `${logins().length} logins`);
			assert(bearerOnly(), 'every call with the Bearer token');
			return `${listed.length} contacts listed; cli ${secs(ms)}`;
		});

		await check('lists: Get Many returns the account\'s lists', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.listsWorkflow);
			const lists = output('Get Lists');
			assert(lists.some((list) => String(list.id) === examples.LIST_ID && list.name === 'Newsletter'), `lists ${short(lists)}`);
			const [request] = api();
			assert(request.method === 'GET' && request.path === '/lists' && request.query.page === '1', `request ${short({ path: request.path, query: request.query })}`);
			return `${lists.length} list(s); cli ${secs(ms)}`;
		});

		await check('campaigns: schedule, then get (status scheduled)', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.campaignsWorkflow);
			const schedule = api().find((request) => request.path === `/campaigns/${examples.CAMPAIGN_ID}/schedule`);
			assert(schedule && schedule.method === 'POST' && schedule.body.date === 1893456000, `schedule ${short(schedule && schedule.body)}`);
			const [campaign] = output('Get Campaign');
			assert(campaign.data.status === 'scheduled', `campaign ${short(campaign)}`);
			return `cli ${secs(ms)}`;
		});

		await check('transactional email: POST /emails with the sender and content', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.transactionalWorkflow);
			const [request] = api();
			assert(request.method === 'POST' && request.path === '/emails', `request ${request.method} ${request.path}`);
			assert(request.body.email === 'jane@example.org' && request.body.sender.id === examples.SENDER_ID && request.body.content.subject === 'Your order has shipped', `body ${short(request.body)}`);
			const [sent] = output('Send Email');
			assert(sent.sent === true && sent.email === 'jane@example.org', `output ${short(sent)}`);
			return `cli ${secs(ms)}`;
		});

		await check('reports: the campaign report and my account report', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.reportsWorkflow);
			assert(api().map((request) => `${request.method} ${request.path}`).join(', ') === `GET /reports/campaigns/${examples.CAMPAIGN_ID}, GET /reports/accounts/self`, short(api().map((request) => request.path)));
			assert(output('Campaign Report')[0].data && output('Account Report')[0].data, 'report data');
			return `cli ${secs(ms)}`;
		});

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

		await check('credential Test button: the right password OK, a wrong password Error', async () => {
			const base = { id: IDS.credential, name: examples.CREDENTIAL_NAME, type: 'especialApi' };
			fake.reset();
			const good = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, username: examples.USERNAME, password: examples.PASSWORD, accountId: '' } });
			assert(good && good.status === 'OK', `right password -> ${short(good)}`);
			assert(api().some((request) => request.path === '/accounts/self' && /^Bearer /.test(request.headers.authorization || '')), 'GET /accounts/self with the token');
			const bad = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, username: examples.USERNAME, password: 'wrong-Passw0rd', accountId: '' } });
			assert(bad && bad.status === 'Error', `wrong password -> ${short(bad)}`);
			return `right: ${good.status}; wrong: ${short(bad)}`;
		});

		const hookUrl = `${url}/webhook/${examples.workflows().find((workflow) => workflow.id === IDS.triggerWorkflow).nodes[0].webhookId}/webhook`;
		const hooks = () => [...fake.collection('/webhooks').values()].filter((hook) => hook.url === hookUrl);
		const countExecs = async () => (await n8n.listExecutions(url, apiKey, IDS.triggerWorkflow)).length;
		const activated = await check('activate the trigger → one webhook per event (bounced, spam) at the fake calling n8n', async () => {
			fake.reset();
			await n8n.activateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			const registered = hooks();
			assert(JSON.stringify(registered.map((hook) => [hook.event, hook.status])) === JSON.stringify([['Email.Bounced', 'active'], ['Email.ReportedAsSpam', 'active']]), `webhooks ${short(registered)}`);
			return registered.map((hook) => `${hook.id}:${hook.event}`).join(', ');
		});

		if (activated) {
			await check('a signed Email.Bounced delivery → 200 {"received":true}, one execution with the package event shape', async () => {
				const [delivery, ...more] = await fake.fire('Email.Bounced', { email: 'bounced@example.org', email_id: 'em-e2e-1' });
				assert(delivery && more.length === 0, 'one delivery');
				assert(delivery.status === 200 && delivery.answer === '{"received":true}', `answered ${delivery.status}: ${short(delivery.answer)}`);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true });
				const [event] = exec.data.resultData.runData['Especial Trigger'][0].data.main[0].map((item) => item.json);
				assert(JSON.stringify(Object.keys(event).sort()) === JSON.stringify(['email', 'event', 'messageId', 'provider', 'raw', 'timestamp']), `keys ${Object.keys(event)}`);
				assert(event.event === 'bounced' && event.email === 'bounced@example.org' && event.messageId === 'em-e2e-1' && event.provider === 'especial', short(event));
				return `execution ${exec.id}`;
			});

			await check('a forged delivery → 401 {"error":"invalid signature"}, no execution', async () => {
				const before = await countExecs();
				const [delivery] = await fake.fire('Email.ReportedAsSpam', { email: 'x@example.org' }, { style: 'bad-signature' });
				assert(delivery.status === 401 && delivery.answer === '{"error":"invalid signature"}', `answered ${delivery.status}: ${short(delivery.answer)}`);
				await sleep(1500);
				assert((await countExecs()) === before, 'no new execution');
				return `401; executions stay ${before}`;
			});

			await check('deactivate → the webhooks are archived at the fake (Especial has no delete)', async () => {
				await n8n.deactivateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
				const registered = hooks();
				assert(registered.length === 2 && registered.every((hook) => hook.status === 'archived'), `webhooks ${short(registered)}`);
				return registered.map((hook) => `${hook.id}:${hook.status}`).join(', ');
			});
		}
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
		console.log(`  especial e2e: ${results.length - failed} passed, ${failed} failed in ${secs(Date.now() - t0)}`);
		process.exitCode = failed ? 1 : 0;
	}
}

main().catch((e) => {
	console.log(`FAIL especial e2e crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
