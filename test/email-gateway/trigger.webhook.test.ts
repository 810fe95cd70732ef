/**
 * Email Gateway Trigger deliveries: the fake Email Gateway server POSTs real signed deliveries to a local
 * HTTP endpoint, which hands the raw request to the node's webhook() inside n8n-core's WebhookContext
 * (deliverWebhook) and answers the fake the way n8n would. Status codes are what the fake saw.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { deliverWebhook, runWebhookMethod, triggerWorkflow } from '../harness/engine';
import type { FakeResponse } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'webhook-account-key';
const DOMAIN = '123';
const EVENTS = ['bounced', 'opened'];

type Trigger = ReturnType<typeof triggerWorkflow>;

interface Delivery {
	path: string;
	headers: Record<string, string>;
	rawBody: string;
	result: IWebhookResponseData;
	response: FakeResponse;
}

/**
 * Stands in for n8n's webhook endpoint: passes each raw request to deliverWebhook for the current
 * trigger and answers like n8n's "respond immediately" mode (the node's own response when it set one).
 */
async function startN8nEndpoint() {
	const deliveries: Delivery[] = [];
	const endpoint = {
		/** The trigger currently activated behind each webhook path (n8n routes by path). */
		triggers: new Map<string, Trigger>(),
		credentials: {} as Record<string, IDataObject>,
		deliveries,
		origin: '',
		urlFor: (webhookId: string) => `${endpoint.origin}/webhook/${webhookId}/webhook`,
		url: '',
		close: async () => {},
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
			);
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const trigger = endpoint.triggers.get(req.url ?? '');
			if (!trigger) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				res.end('{"message":"webhook not registered"}');
				return;
			}
			try {
				const { result, response } = await deliverWebhook(trigger, endpoint.credentials as never, { headers, rawBody });
				deliveries.push({ path: req.url ?? '', headers, rawBody, result, response });
				const [status, body] = result.noWebhookResponse
					? [response.statusCode, response.body]
					: [200, result.webhookResponse ?? { message: 'Workflow was started' }];
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(body ?? {}));
			} catch (error) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ message: (error as Error).message }));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	endpoint.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	endpoint.url = endpoint.urlFor('test-webhook-id');
	endpoint.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return endpoint;
}

let serverCount = 0;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');

describe('Email Gateway Trigger webhook deliveries (fake server → n8n WebhookContext)', () => {
	// The fake derives ids, tokens and keys from idSeed: a new seed per test keeps deliveries of one test
	// from looking like replays of another's to the (process-wide) replay guard.
	const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY, perTest: true, idSeed: () => `trigger-webhook-${++serverCount}` });
	const { server } = fake;
	let endpoint: Awaited<ReturnType<typeof startN8nEndpoint>>;

	beforeAll(async () => {
		endpoint = await startN8nEndpoint();
	});

	afterAll(async () => {
		await endpoint.close();
	});

	beforeEach(() => {
		endpoint.credentials = fake.accountCredentials();
		endpoint.deliveries.length = 0;
		endpoint.triggers.clear();
	});

	/** Activates a trigger the way n8n does (checkExists, then create) and routes deliveries to it. */
	async function activate(options: IDataObject = {}, webhookId = 'test-webhook-id') {
		const trigger = triggerWorkflow({ domainId: DOMAIN, events: EVENTS, options });
		trigger.node.webhookId = webhookId;
		const url = endpoint.urlFor(webhookId);
		if (!(await runWebhookMethod('checkExists', trigger, fake.accountCredentials(), url))) {
			await runWebhookMethod('create', trigger, fake.accountCredentials(), url);
		}
		endpoint.triggers.set(new URL(url).pathname, trigger);
		return trigger;
	}

	const getWebhooksCalls = () =>
		server().requests.filter((request: { command?: string }) => request.command === 'EmailGateway.GetWebhooks').length;

	/** POSTs a captured delivery to the endpoint again, byte for byte. */
	async function resend(delivery: Delivery) {
		const response = await fetch(`${endpoint.origin}${delivery.path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...pick(delivery.headers, ['x-octeth-signature', 'user-agent']) },
			body: delivery.rawBody,
		});
		return response.status;
	}

	const pick = (headers: Record<string, string>, names: string[]) =>
		Object.fromEntries(names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]));

	test('a delivery signed with X-Octeth-Signature starts the workflow with one normalized item', async () => {
		await activate();
		const timestamp = nowSeconds() - 5;
		const results = await server().fire(DOMAIN, 'bounce', { email: 'bounce@example.org', messageId: 'msg-42', timestamp });

		expect(results).toHaveLength(1);
		expect(results[0].status).toBe(200);
		expect(endpoint.deliveries).toHaveLength(1);
		const [delivery] = endpoint.deliveries;
		// What arrived really is a header-signed delivery under the domain's key.
		expect(delivery.headers['x-octeth-signature']).toBe(hmac(fake.signingKey(DOMAIN), delivery.rawBody));

		const items = delivery.result.workflowData;
		expect(items).toHaveLength(1);
		expect(items![0]).toHaveLength(1);
		expect(items![0][0].json).toEqual({
			event: 'bounced',
			email: 'bounce@example.org',
			messageId: 'msg-42',
			timestamp: new Date(timestamp * 1000).toISOString(),
			provider: 'emailGateway',
			raw: JSON.parse(results[0].payload),
		});
	});

	test('a Mailgun-style delivery (signature in the body) is accepted', async () => {
		await activate();
		const timestamp = nowSeconds() - 5;
		const results = await server().fire(DOMAIN, 'open', {
			style: 'mailgun',
			email: 'reader@example.org',
			messageId: 'msg-open-1',
			timestamp,
		});

		expect(results[0].status).toBe(200);
		const payload = JSON.parse(results[0].payload);
		expect(payload.signature.signature).toBe(hmac(fake.signingKey(DOMAIN), payload.signature.timestamp + payload.signature.token));
		const [delivery] = endpoint.deliveries;
		expect(delivery.headers['x-octeth-signature']).toBeUndefined();
		expect(delivery.result.workflowData![0]).toHaveLength(1);
		expect(delivery.result.workflowData![0][0].json).toEqual({
			event: 'opened',
			email: 'reader@example.org',
			messageId: 'msg-open-1',
			timestamp: new Date(timestamp * 1000).toISOString(),
			provider: 'emailGateway',
			raw: payload,
		});
	});

	test("Octeth's timestamped scheme (t=<unix>,v1=HMAC of \"<t>.<body>\") is accepted", async () => {
		await activate();
		const timestamp = nowSeconds() - 5;
		const results = await server().fire(DOMAIN, 'bounce', { style: 'timestamped', email: 'ts@example.org', messageId: 'msg-ts', timestamp });

		expect(results[0].status).toBe(200);
		const [delivery] = endpoint.deliveries;
		const header = delivery.headers['x-octeth-signature'];
		expect(header).toBe(`t=${timestamp},v1=${hmac(fake.signingKey(DOMAIN), `${timestamp}.${delivery.rawBody}`)}`);
		expect(delivery.result.workflowData![0][0].json).toMatchObject({ event: 'bounced', email: 'ts@example.org', messageId: 'msg-ts' });
		// The same bytes again are a replay.
		expect(await resend(delivery)).toBe(401);
	});

	test('the timestamped scheme refuses a stale t and a body changed after signing', async () => {
		await activate();
		const stale = await server().fire(DOMAIN, 'bounce', { style: 'timestamped', timestamp: nowSeconds() - 3600 });
		expect(stale[0].status).toBe(401);
		expect(endpoint.deliveries[0].response.body).toEqual({ error: expect.stringContaining('stale') });

		const fresh = await server().fire(DOMAIN, 'bounce', { style: 'timestamped', url: 'http://127.0.0.1:9/unused' });
		const tampered = fresh[0].payload.replace('"bounce"', '"click"');
		const response = await fetch(endpoint.urlFor('test-webhook-id'), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': fresh[0].signature as string },
			body: tampered,
		});
		expect(response.status).toBe(401);
		expect(endpoint.deliveries.at(-1)!.result.workflowData).toBeUndefined();
	});

	test('a wrong signature is refused with 401 and starts nothing', async () => {
		const trigger = await activate();
		const keyBefore = (trigger.workflow.staticData[`node:${trigger.node.name}`] as IDataObject).signingKey;
		const results = await server().fire(DOMAIN, 'bounce', { style: 'bad-signature' });

		expect(results[0].status).toBe(401);
		const [delivery] = endpoint.deliveries;
		expect(delivery.result.noWebhookResponse).toBe(true);
		expect(delivery.result.workflowData).toBeUndefined();
		expect((trigger.workflow.staticData[`node:${trigger.node.name}`] as IDataObject).signingKey).toBe(keyBefore);
	});

	test('a Mailgun-style delivery with a tampered signature is refused', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'bounce', { style: 'mailgun', url: 'http://127.0.0.1:9/unused' });
		const payload = JSON.parse(results[0].payload);
		payload.signature.signature = hmac('not-the-key', payload.signature.timestamp + payload.signature.token);
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(payload),
		});
		expect(response.status).toBe(401);
		expect(endpoint.deliveries[0].result.workflowData).toBeUndefined();
	});

	test('an unsigned delivery is refused unless "Accept Unsigned Deliveries" is on', async () => {
		await activate();
		const refused = await server().fire(DOMAIN, 'bounce', { style: 'unsigned' });
		expect(refused[0].status).toBe(401);
		expect(endpoint.deliveries[0].result.workflowData).toBeUndefined();

		await activate({ allowUnsigned: true });
		const accepted = await server().fire(DOMAIN, 'bounce', { style: 'unsigned', email: 'unsigned@example.org' });
		expect(accepted[0].status).toBe(200);
		const items = endpoint.deliveries[1].result.workflowData!;
		expect(items[0]).toHaveLength(1);
		expect(items[0][0].json.email).toBe('unsigned@example.org');
		expect(items[0][0].json.event).toBe('bounced');
	});

	test('"Accept Unsigned Deliveries" still refuses a wrong signature', async () => {
		await activate({ allowUnsigned: true });
		const results = await server().fire(DOMAIN, 'bounce', { style: 'bad-signature' });
		expect(results[0].status).toBe(401);
	});

	test('the same signed delivery twice: the replay is refused with 401', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'bounce');
		expect(results[0].status).toBe(200);

		expect(await resend(endpoint.deliveries[0])).toBe(401);
		expect(endpoint.deliveries[1].result.workflowData).toBeUndefined();
		expect(endpoint.deliveries[1].result.noWebhookResponse).toBe(true);
	});

	test('a replay cannot slip past by rewriting the signature (upper case, "sha256=" prefix)', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'bounce');
		expect(results[0].status).toBe(200);
		const [original] = endpoint.deliveries;
		const signature = original.headers['x-octeth-signature'];
		for (const variant of [signature.toUpperCase(), `sha256=${signature}`]) {
			const response = await fetch(`${endpoint.origin}${original.path}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': variant },
				body: original.rawBody,
			});
			expect(response.status).toBe(401);
		}
		expect(endpoint.deliveries.filter((delivery) => delivery.result.workflowData)).toHaveLength(1);
	});

	test('a Mailgun-style replay cannot slip past by upper-casing the signature', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'open', { style: 'mailgun' });
		expect(results[0].status).toBe(200);
		const payload = JSON.parse(results[0].payload);
		payload.signature.signature = String(payload.signature.signature).toUpperCase();
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(payload),
		});
		expect(response.status).toBe(401);
	});

	test('the same Mailgun-style delivery twice: the replay is refused with 401', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'open', { style: 'mailgun' });
		expect(results[0].status).toBe(200);
		expect(await resend(endpoint.deliveries[0])).toBe(401);
	});

	test('a delivery older than the maximum age is refused; a larger maximum age accepts it', async () => {
		await activate();
		const hourAgo = nowSeconds() - 3600;
		const stale = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo });
		expect(stale[0].status).toBe(401);
		const staleMailgun = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo, style: 'mailgun' });
		expect(staleMailgun[0].status).toBe(401);
		expect(endpoint.deliveries.every((delivery) => delivery.result.workflowData === undefined)).toBe(true);

		await activate({ maxAgeSeconds: 7200 });
		const accepted = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo });
		expect(accepted[0].status).toBe(200);
	});

	test('a key regenerated on the provider after activation: the node refetches it once and accepts', async () => {
		const trigger = await activate();
		const oldKey = fake.signingKey(DOMAIN);
		const regenerate = await fake.accountCommand('EmailGateway.RegenerateSigningKey', { DomainID: DOMAIN });
		expect(regenerate.Success).toBe(true);
		const newKey = server().signingKeyFor(DOMAIN);
		expect(newKey).not.toBe(oldKey);
		server().clearRequests();

		const first = await server().fire(DOMAIN, 'bounce', { email: 'after-rotation@example.org' });
		expect(first[0].status).toBe(200);
		expect(endpoint.deliveries[0].result.workflowData![0][0].json.email).toBe('after-rotation@example.org');
		expect(getWebhooksCalls()).toBe(1);
		expect((trigger.workflow.staticData[`node:${trigger.node.name}`] as IDataObject).signingKey).toBe(newKey);

		// The new key is kept: later deliveries need no further look-up.
		const second = await server().fire(DOMAIN, 'open', { style: 'mailgun' });
		expect(second[0].status).toBe(200);
		expect(getWebhooksCalls()).toBe(1);

		// A delivery still signed with the old key is refused.
		const oldSigned = JSON.stringify({ Event: 'bounce', Timestamp: nowSeconds(), Recipient: 'old@example.org', MessageId: 'm' });
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': hmac(oldKey, oldSigned) },
			body: oldSigned,
		});
		expect(response.status).toBe(401);
	});

	test('forged deliveries cannot make the node look the key up more than once a minute', async () => {
		await activate();
		server().clearRequests();
		for (let attempt = 0; attempt < 5; attempt++) {
			const forged = await server().fire(DOMAIN, 'bounce', { style: 'bad-signature' });
			expect(forged[0].status).toBe(401);
		}
		expect(getWebhooksCalls()).toBe(1);
		// A genuine delivery is still accepted with the key the node has.
		const genuine = await server().fire(DOMAIN, 'bounce');
		expect(genuine[0].status).toBe(200);
	});

	test('an event that is not selected is acknowledged but starts no execution', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'click', { url: endpoint.url });
		expect(results[0].status).toBe(200);
		expect(endpoint.deliveries).toHaveLength(1);
		expect(endpoint.deliveries[0].result.workflowData).toBeUndefined();
		expect(endpoint.deliveries[0].result.noWebhookResponse).toBeFalsy();
	});

	test('an event of the provider goes only to the webhook registered for it', async () => {
		await activate();
		// No webhook for "click" was registered, so the provider sends nothing.
		expect(await server().fire(DOMAIN, 'click')).toHaveLength(0);
		expect(await server().fire(DOMAIN, 'open')).toHaveLength(1);
		expect(endpoint.deliveries).toHaveLength(1);
	});

	test('two workflows on the same domain both receive the same delivery (not a replay)', async () => {
		await activate({}, 'first-workflow-hook');
		await activate({}, 'second-workflow-hook');
		const results = await server().fire(DOMAIN, 'bounce', { email: 'shared@example.org' });

		// The provider sends the identical signed payload to each registered URL.
		expect(results).toHaveLength(2);
		expect(results[0].signature).toBe(results[1].signature);
		expect(results.map((result: { status: number }) => result.status)).toEqual([200, 200]);
		expect(endpoint.deliveries.map((delivery) => delivery.result.workflowData?.[0]?.[0]?.json.email)).toEqual([
			'shared@example.org',
			'shared@example.org',
		]);

		// A real replay to either workflow is still refused.
		expect(await resend(endpoint.deliveries[0])).toBe(401);
	});
});
