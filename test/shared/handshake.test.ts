/**
 * The GET handshake webhook (nodes/shared/trigger/handshake.ts) through n8n-core's HookContext and
 * WebhookContext, with a test-only trigger (test/harness/test-triggers.ts) and a fake provider that
 * verifies hook URLs the way CleverReach documents it (research/providers.md section A): on
 * `POST /hooks {url, event, verify}` it calls `GET <url>?secret=<s>` and registers the hook only if the
 * answer is HTTP 200, `text/plain`, body exactly `"<verify> <s>"`; then it answers `{success, call_token}`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { HANDSHAKE_WEBHOOK_NAME, handshakeWebhook } from '../../nodes/shared/trigger/handshake';
import { runHookMethod, savedStaticData, startWebhookServer, testTriggerWorkflow } from '../harness/trigger-runners';

interface Registration {
	url: string;
	verify: string;
	secret: string;
	answer: { status: number; contentType: string; body: string };
	accepted: boolean;
}

/** The provider: checks every hook URL with a GET before it registers the hook. */
async function startFakeProvider() {
	const registrations: Registration[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			void (async () => {
				if (request.method !== 'POST' || request.url !== '/hooks') {
					response.writeHead(404).end();
					return;
				}
				const { url, verify } = JSON.parse(Buffer.concat(chunks).toString()) as { url: string; verify: string };
				const secret = randomBytes(16).toString('hex');
				const check = await fetch(`${url}?secret=${secret}`);
				const answer = { status: check.status, contentType: check.headers.get('content-type') ?? '', body: await check.text() };
				const accepted =
					typeof verify === 'string' &&
					verify.length >= 10 &&
					verify.length <= 50 &&
					answer.status === 200 &&
					answer.contentType.startsWith('text/plain') &&
					answer.body === `${verify} ${secret}`;
				registrations.push({ url, verify, secret, answer, accepted });
				response.setHeader('Content-Type', 'application/json');
				if (!accepted) {
					response.statusCode = 400;
					response.end(JSON.stringify({ error: { code: 400, message: 'hook url could not be verified' } }));
					return;
				}
				response.end(JSON.stringify({ success: true, call_token: randomBytes(32).toString('hex'), secret: randomBytes(16).toString('hex') }));
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		registrations,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('GET handshake webhook', () => {
	let provider: Awaited<ReturnType<typeof startFakeProvider>>;
	let n8n: Awaited<ReturnType<typeof startWebhookServer>>;
	const parameters = (signingSecret = 'client-secret-1') => ({ providerUrl: provider.url, signingSecret });
	// What n8n's database holds for the node; the webhook server loads it per request, as n8n does.
	let database: IDataObject = {};
	let currentParameters = {};

	beforeEach(async () => {
		provider = await startFakeProvider();
		database = {};
		currentParameters = parameters();
		n8n = await startWebhookServer(() => testTriggerWorkflow('test.handshakeTrigger', currentParameters, database));
	});

	afterEach(async () => {
		await n8n.close();
		await provider.close();
	});

	test('the description entry is a GET on the POST webhook’s path, answered by the node itself', () => {
		expect(handshakeWebhook()).toEqual({ name: HANDSHAKE_WEBHOOK_NAME, httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' });
		const { type } = testTriggerWorkflow('test.handshakeTrigger', {});
		// Listed before the POST webhook: n8n registers them in this order, and the check arrives during create().
		expect(type.description.webhooks!.map((webhook) => `${webhook.httpMethod} ${webhook.path}`)).toEqual(['GET webhook', 'POST webhook']);
	});

	test('activation passes the provider’s check during create(), before n8n has saved anything of it', async () => {
		const trigger = testTriggerWorkflow('test.handshakeTrigger', currentParameters, database);
		await expect(runHookMethod(trigger, 'create', n8n.baseUrl)).resolves.toBe(true);

		expect(provider.registrations).toHaveLength(1);
		const [registration] = provider.registrations;
		expect(registration.url).toBe(`${n8n.baseUrl}/test-trigger-hook/webhook`);
		expect(registration.answer).toEqual({
			status: 200,
			contentType: 'text/plain; charset=utf-8',
			body: `${registration.verify} ${registration.secret}`,
		});
		expect(registration.accepted).toBe(true);
		expect(registration.verify).toMatch(/^[0-9a-f]{40}$/);
		// The check was answered by the GET webhook and started no execution.
		expect(n8n.calls).toEqual([
			expect.objectContaining({ method: 'GET', webhookName: 'setup', status: 200, startedExecution: false }),
		]);
		expect(n8n.calls[0].headers['x-content-type-options']).toBe('nosniff');
		// The node keeps the provider's call token from the registration's answer.
		expect(savedStaticData(trigger).callToken).toMatch(/^[0-9a-f]{64}$/);
	});

	test('the token depends on the credential secret and the node, so another secret gives another answer', async () => {
		await runHookMethod(testTriggerWorkflow('test.handshakeTrigger', currentParameters, database), 'create', n8n.baseUrl);
		currentParameters = parameters('client-secret-2');
		await runHookMethod(testTriggerWorkflow('test.handshakeTrigger', currentParameters, database), 'create', n8n.baseUrl);
		const [first, second] = provider.registrations;
		expect(first.verify).not.toBe(second.verify);
		expect(second.accepted).toBe(true);

		// A registration made with a token this node would not compute fails the provider's check.
		const forged = await fetch(`${provider.url}/hooks`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ url: `${n8n.baseUrl}/test-trigger-hook/webhook`, event: 'receiver', verify: 'someone-elses-token' }),
		});
		expect(forged.status).toBe(400);
		expect(provider.registrations[2]).toEqual(expect.objectContaining({ accepted: false }));
		expect(provider.registrations[2].answer.body).toBe(`${second.verify} ${provider.registrations[2].secret}`);
	});

	test('CleverReach’s documented example: verify "damnSecretBatTokenForVerify", ?secret=1029384756', async () => {
		currentParameters = { ...parameters(), fixedVerifyToken: 'damnSecretBatTokenForVerify' };
		const answer = await fetch(`${n8n.baseUrl}/test-trigger-hook/webhook?secret=1029384756`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		// rest.cleverreach.com/howto/webhooks.php: "we would return this string".
		expect(await answer.text()).toBe('damnSecretBatTokenForVerify 1029384756');
	});

	test('a GET without (or with a malformed) check value gets 400 in plain text and starts nothing', async () => {
		const hookUrl = `${n8n.baseUrl}/test-trigger-hook/webhook`;
		for (const query of ['', '?other=1', '?secret=', `?secret=${'x'.repeat(201)}`, '?secret=a%20b', '?secret=a&secret=b']) {
			const answer = await fetch(`${hookUrl}${query}`);
			expect({ query, status: answer.status, type: answer.headers.get('content-type'), body: await answer.text() }).toEqual({
				query,
				status: 400,
				type: 'text/plain; charset=utf-8',
				body: 'missing or invalid "secret" parameter',
			});
		}
		expect(n8n.calls.every((call) => call.webhookName === 'setup' && !call.startedExecution)).toBe(true);
	});

	test('a POST to the same URL is a delivery: it reaches the default webhook and starts an execution', async () => {
		const answer = await fetch(`${n8n.baseUrl}/test-trigger-hook/webhook`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ event: 'receiver.subscribed', payload: { group_id: 1, pool_id: 2 } }),
		});
		expect(answer.status).toBe(200);
		expect(n8n.calls).toEqual([expect.objectContaining({ method: 'POST', webhookName: 'default', startedExecution: true })]);
	});
});
