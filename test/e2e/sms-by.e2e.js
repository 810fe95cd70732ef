#!/usr/bin/env node
'use strict';
/**
 * End-to-end test of the SMS.by nodes in a REAL n8n 2.40.7 with the BUILT package loaded the way users
 * install it, against the fake SMS.by (test/fake/smsby-server.js) in this process.
 *
 *   npm run build && node test/e2e/sms-by.e2e.js [--keep]
 *
 * Checks (the example workflows of scripts/sandbox/smsby-examples.js):
 *   - `n8n export:nodes` lists smsBy and smsByTrigger with the smsByApi credential
 *   - `n8n execute`: a letter with a PDF from binary data (multipart, token as a form field, nothing in
 *     the URL, d_schedule 'YYYY-MM-DD HH:MM'); three personal letters as ONE personal mailing (batch
 *     mode), each item with its uuid, then the mailing's status per recipient; 1,200 contacts imported
 *     in 3 requests (500, 500, 200)
 *   - the credential Test button: OK for the key, Error for a wrong key
 *   - the trigger workflow activated in the running n8n: the activation poll records the baseline, a
 *     status change starts exactly one execution with one event per recipient, the next poll and a
 *     poll after restarting n8n start none, and the next change after the restart starts one again
 *   - a mailing sent from the same workflow (Webhook → SMS.by Bulk Send, beside the trigger) is watched
 *     without typing its ID: its statuses come from the next poll, and its next change after a restart
 *   - the credential test: a wrong key (421 Data not verified) and {"status":"ERROR"} at HTTP 200 are
 *     errors that name the API key
 * One PASS/FAIL line per check; exit code 1 on any failure. Always stops n8n and the fake.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('../../scripts/n8n/n8n-env');
const examples = require('../../scripts/sandbox/smsby-examples');
const { startSmsByServer } = require('../fake/smsby-server');

const KEEP = process.argv.includes('--keep');
const PKG_DIR = path.resolve(__dirname, '..', '..');
const TOKEN = 'e2e-smsby-token-4f1a';
const { IDS, NODE_TYPES } = examples;
/** n8n polls at most once a minute (and at a random second of it). */
const POLL_WAIT_MS = 75_000;

const { results, secs, Fatal, check, assert, cliOk } = require('./checks');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};

async function direct(fake, pathName, fields) {
	const response = await fetch(`${fake.url}${pathName}`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, ...fields }) });
	const answer = await response.json();
	if (answer.status !== 'OK') throw new Error(`setup ${pathName}: ${JSON.stringify(answer)}`);
	return answer.result;
}

const SEND_WEBHOOK_PATH = 'smsby-e2e-send';
const SENT_TO = ['sent1@example.org', 'sent2@example.org'];

/** The trigger workflow gets a Webhook → SMS.by Bulk Send beside the trigger: mailings sent by the same workflow. */
function withSendInTriggerWorkflow(workflows) {
	const workflow = workflows.find((candidate) => candidate.id === IDS.triggerWorkflow);
	workflow.nodes.push(
		{
			id: 'e2e-send-webhook',
			name: 'Send Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 300],
			webhookId: '5b0d2c1e-7f3a-4e8b-9a61-2f4c8d9e0a17',
			parameters: { httpMethod: 'POST', path: SEND_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'e2e-send-bulk',
			name: 'Send Bulk',
			type: NODE_TYPES.node,
			typeVersion: 1,
			position: [220, 300],
			parameters: { resource: 'bulk', operation: 'send', senderEmail: 'shop@example.com', subject: 's', message: 'm', recipients: SENT_TO.join(', ') },
			credentials: { smsByApi: { id: IDS.credential, name: examples.CREDENTIAL_NAME } },
		},
	);
	workflow.connections['Send Webhook'] = { main: [[{ node: 'Send Bulk', type: 'main', index: 0 }]] };
	return workflows;
}

async function main() {
	const t0 = Date.now();
	const distNode = path.join(PKG_DIR, 'dist', 'nodes', 'SmsBy', 'SmsBy.node.js');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-smsby-'));
	const userFolder = path.join(tmp, 'user');
	const fake = await startSmsByServer({ token: TOKEN });
	const log = (m) => console.log(`  ${m}`);
	let instance;
	console.log(`SMS.by e2e: package ${PKG_DIR}, temp ${tmp}, fake SMS.by ${fake.url}`);

	const execute = async (workflowId) => {
		const r = cliOk(await n8n.runCli(['execute', `--id=${workflowId}`, '--rawOutput'], { userFolder }), 'execute');
		const run = n8n.parseExecuteOutput(r.stdout);
		assert(!run.data.resultData.error, `execution error: ${short(run.data.resultData.error, 800)}`);
		const output = (node) => run.data.resultData.runData[node][0].data.main[0].map((item) => item.json);
		return { run, output, ms: r.ms };
	};
	const requestsTo = (pathName) => fake.requests.filter((request) => request.path === pathName);

	try {
		await check('package is built (dist/ present)', async () => assert(fs.existsSync(distNode), `${distNode} missing: run \`npm run build\` first`), { fatal: true });
		await check('ensureN8n (n8n 2.40.7 + Node 24)', async () => (await n8n.ensureN8n({ log })).dir, { fatal: true });

		await check('n8n export:nodes lists smsBy and smsByTrigger with the smsByApi credential', async () => {
			const out = path.join(tmp, 'nodes.json');
			cliOk(await n8n.runCli(['export:nodes', `--output=${out}`], { userFolder, packages: [PKG_DIR] }), 'export:nodes');
			const byName = new Map(JSON.parse(fs.readFileSync(out, 'utf8')).map((node) => [node.name, node]));
			for (const type of [NODE_TYPES.node, NODE_TYPES.trigger]) {
				assert(byName.has(type), `${type} not exported`);
				assert((byName.get(type).credentials || []).some((c) => c.name === 'smsByApi'), `${type} credentials`);
			}
			assert(byName.get(NODE_TYPES.trigger).polling === true, 'the trigger polls');
			return 'ok';
		});

		// A mailing to the list's two contacts for the trigger to watch.
		await direct(fake, '/api/v2/importContacts', { list_id: examples.LIST_ID, 'field_names[0]': 'email', 'data[0][0]': 'watch1@example.org', 'data[1][0]': 'watch2@example.org' });
		const { message_id: watchedMailing } = await direct(fake, '/api/v2/sendEmailByList', { list_id: examples.LIST_ID, sender_email: 'shop@example.com', subject: 's', message: 'm' });

		await check('import:credentials + import:workflow (the SMS.by examples, pointing at the fake)', async () => {
			const credFile = path.join(tmp, 'credentials.json');
			const wfFile = path.join(tmp, 'workflows.json');
			fs.writeFileSync(credFile, JSON.stringify(examples.credentials({ baseUrl: fake.url, token: TOKEN }), null, 2));
			fs.writeFileSync(wfFile, JSON.stringify(withSendInTriggerWorkflow(examples.workflows({ mailingIds: String(watchedMailing) })), null, 2));
			cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
			cliOk(await n8n.runCli(['import:workflow', `--input=${wfFile}`], { userFolder }), 'import:workflow');
			return `watched mailing ${watchedMailing}`;
		}, { fatal: true });

		await check('execute: a letter with a PDF attachment goes out as multipart, the token a form field, nothing in the URL', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.sendWorkflow);
			const [sent] = output('Send Letter');
			const requests = requestsTo('/api/v2/sendEmail');
			assert(requests.length === 1, `${requests.length} sendEmail requests`);
			const [request] = requests;
			assert(request.encoding === 'multipart' && Object.keys(request.query).length === 0, `encoding ${request.encoding}, query ${short(request.query)}`);
			assert(request.body.token === TOKEN, 'token form field');
			assert(request.body.email === 'jane@example.org' && request.body.d_schedule === '2030-12-31 12:00', `body ${short(request.body)}`);
			const [file] = request.files;
			assert(file && file.field === 'attachment' && file.filename === 'invoice.pdf' && file.data.toString().startsWith('%PDF-1.4'), `files ${short(request.files.map((f) => f.filename))}`);
			const letter = fake.state.letters[0];
			assert(sent.result.email_id === letter.email_id, `output ${short(sent)}`);
			return `email_id ${letter.email_id}; cli ${secs(ms)}`;
		});

		await check('execute: 3 personal letters are ONE personal mailing (batch mode); each item has the uuid; Get Status lists 3 recipients', async () => {
			fake.reset();
			const { output, ms } = await execute(IDS.personalWorkflow);
			const requests = requestsTo('/api/v2/sendBulkEmail');
			assert(requests.length === 1, `${requests.length} sendBulkEmail requests`);
			const body = requests[0].body;
			assert(body.message_type === 'personal' && body.delivery_list.length === 3, `body ${short(body)}`);
			assert(body.delivery_list[1].email === 'bob@example.org' && body.delivery_list[1].subject === 'A note for Bob', `letter 2 ${short(body.delivery_list[1])}`);
			const mailing = fake.state.mailings[fake.state.mailings.length - 1];
			const letters = output('Send Personal');
			assert(letters.length === 3 && letters.every((letter) => letter.uuid === mailing.uuid), `items ${short(letters)}`);
			const statuses = output('Get Status');
			assert(requestsTo('/api/v2/statusBulkEmail').length === 1, 'one status request (Execute Once)');
			assert(JSON.stringify(statuses.map((row) => [row.email, row.status])) === JSON.stringify([['ann@example.org', 'SENT'], ['bob@example.org', 'SENT'], ['cid@example.org', 'SENT']]), `statuses ${short(statuses)}`);
			return `uuid ${mailing.uuid}; cli ${secs(ms)}`;
		});

		await check('execute: 1,200 contacts are imported in 3 requests (500, 500, 200)', async () => {
			fake.reset();
			const before = fake.state.lists[0].contacts.length;
			const { output, ms } = await execute(IDS.importWorkflow);
			// Chunks go out in parallel: they may arrive in any order.
			const sizes = requestsTo('/api/v2/importContacts').map((request) => request.body.data.length).sort((a, b) => b - a);
			assert(JSON.stringify(sizes) === JSON.stringify([500, 500, 200]), `chunks ${sizes}`);
			assert(fake.state.lists[0].contacts.length === before + 1200, `list has ${fake.state.lists[0].contacts.length}`);
			assert(output('Import Contacts').length === 1200, 'one output item per contact');
			return `chunks ${sizes.join(' + ')}; cli ${secs(ms)}`;
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

		await check('credential Test button: the key OK, a wrong key Error', async () => {
			const base = { id: IDS.credential, name: examples.CREDENTIAL_NAME, type: 'smsByApi' };
			fake.reset();
			const good = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, token: TOKEN } });
			assert(good && good.status === 'OK', `good key -> ${short(good)}`);
			const [request] = requestsTo('/api/v2/getEmailTemplates');
			assert(request && request.encoding === 'urlencoded' && Object.keys(request.query).length === 0, `test request ${short(request && { encoding: request.encoding, query: request.query })}`);
			const bad = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, token: 'wrong-token-1234' } });
			assert(bad && bad.status === 'Error' && /API key/.test(bad.message) && /421/.test(bad.message), `wrong key -> ${short(bad)}`);
			fake.failNext({ path: '/api/v2/getEmailTemplates', status: 200, body: { status: 'ERROR', message: 'Token is not valid' } });
			const refusedAt200 = await n8n.testCredential(url, cookie, { ...base, data: { baseUrl: fake.url, token: TOKEN } });
			assert(refusedAt200 && refusedAt200.status === 'Error' && /API key/.test(refusedAt200.message), `{"status":"ERROR"} at 200 -> ${short(refusedAt200)}`);
			return `good: ${good.status}; wrong: ${short(bad)}; ERROR at 200: ${short(refusedAt200)}`;
		});

		const countExecs = async () => (await n8n.listExecutions(url, apiKey, IDS.triggerWorkflow)).length;
		const deliveryPolls = () => requestsTo('/api/v2/getEmailDeliveryList').length;
		const waitForPoll = async (after, what) =>
			n8n.waitFor(async () => deliveryPolls() > after, { timeoutMs: POLL_WAIT_MS, intervalMs: 500, what });

		let activated = await check('activate the trigger workflow → the activation poll reads the watched mailing (baseline, no execution)', async () => {
			fake.reset();
			await n8n.activateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
			await waitForPoll(0, 'the activation poll');
			await sleep(1500);
			assert((await countExecs()) === 0, 'no execution for the baseline');
			return `${deliveryPolls()} poll(s)`;
		});

		if (activated) {
			let lastExecId = '0';
			activated = await check('a status change → exactly one execution with one event per recipient', async () => {
				fake.advance(watchedMailing);
				const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true, timeoutMs: POLL_WAIT_MS });
				lastExecId = exec.id;
				const items = exec.data.resultData.runData['SMS.by Trigger'][0].data.main[0].map((item) => item.json);
				assert(JSON.stringify(items.map((event) => [event.event, event.email])) === JSON.stringify([['delivered', 'watch1@example.org'], ['delivered', 'watch2@example.org']]), `events ${short(items)}`);
				assert(JSON.stringify(Object.keys(items[0]).sort()) === JSON.stringify(['email', 'event', 'messageId', 'provider', 'raw', 'timestamp']), `keys ${Object.keys(items[0])}`);
				assert(items[0].provider === 'smsBy' && items[0].messageId === fake.state.mailings[0].recipients[0].email_id, short(items[0]));
				return `execution ${exec.id} (${exec.mode}): ${items.length} events`;
			});

			if (activated) {
				await check('the next poll, and a poll after restarting n8n, start no execution; the next change after the restart starts one', async () => {
					await waitForPoll(deliveryPolls(), 'the next poll');
					await sleep(1500);
					assert((await countExecs()) === 1, 'still one execution after the next poll');

					await instance.stop();
					instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log, port: instance.port });
					const pollsBefore = deliveryPolls();
					await waitForPoll(pollsBefore, 'a poll after the restart');
					await sleep(1500);
					assert((await countExecs()) === 1, `executions after the restart: ${await countExecs()}`);

					fake.advance(watchedMailing);
					const exec = await n8n.waitForExecution(url, apiKey, IDS.triggerWorkflow, { includeData: true, timeoutMs: POLL_WAIT_MS, after: lastExecId });
					const items = exec.data.resultData.runData['SMS.by Trigger'][0].data.main[0].map((item) => item.json);
					assert(JSON.stringify(items.map((event) => event.event)) === JSON.stringify(['opened', 'opened']), `events ${short(items)}`);
					await sleep(1000);
					assert((await countExecs()) === 2, 'two executions in all');
					return `after the restart: execution ${exec.id} with ${items.length} opened`;
				});
			}
			if (activated) {
				await check('a mailing sent by the same workflow (Webhook → SMS.by Bulk Send) is watched without typing its ID, also after a restart', async () => {
					const triggerEvents = async (mailing, wanted) =>
						n8n.waitFor(
							async () => {
								const list = await n8n.listExecutions(url, apiKey, IDS.triggerWorkflow, { includeData: true });
								for (const exec of list) {
									const run = exec.data && exec.data.resultData.runData['SMS.by Trigger'];
									const events = run ? run[0].data.main[0].map((item) => item.json).filter((event) => event.raw.mailing === mailing) : [];
									if (events.length && events.every((event) => event.event === wanted)) return { exec, events };
								}
								return undefined;
							},
							{ timeoutMs: POLL_WAIT_MS * 2, intervalMs: 1000, what: `trigger events "${wanted}" for mailing ${mailing}` },
						);
					const response = await n8n.request(`${url}/webhook/${SEND_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					assert(response.status === 200, `webhook answered ${response.status}: ${short(response.text)}`);
					const mailing = await n8n.waitFor(async () => fake.state.mailings.find((candidate) => candidate.recipients.some((row) => row.email === SENT_TO[0])), {
						timeoutMs: 30_000,
						what: 'the bulk mailing sent by the webhook execution',
					});
					const sent = await triggerEvents(mailing.uuid, 'sent');
					assert(JSON.stringify(sent.events.map((event) => event.email)) === JSON.stringify(SENT_TO), `events ${short(sent.events)}`);
					const statusReads = requestsTo('/api/v2/statusBulkEmail').filter((request) => request.body.uuid === mailing.uuid).length;

					await instance.stop();
					instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log, port: instance.port });
					fake.advance(mailing.uuid);
					const delivered = await triggerEvents(mailing.uuid, 'delivered');
					assert(JSON.stringify(delivered.events.map((event) => event.email)) === JSON.stringify(SENT_TO), `events ${short(delivered.events)}`);
					return `mailing ${mailing.uuid}: execution ${sent.exec.id} (sent, ${statusReads} status read(s) before the restart), after the restart execution ${delivered.exec.id} (delivered)`;
				});
			}
			await check('deactivate the trigger workflow', async () => {
				await n8n.deactivateWorkflow(url, apiKey, cookie, IDS.triggerWorkflow);
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
		console.log(`  sms-by e2e: ${results.length - failed} passed, ${failed} failed in ${secs(Date.now() - t0)}`);
		process.exitCode = failed ? 1 : 0;
	}
}

main().catch((e) => {
	console.log(`FAIL sms-by e2e crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
