/**
 * Email Gateway Trigger deliveries: the fake Email Gateway server POSTs real signed deliveries to a local
 * HTTP endpoint, which hands the raw request to the node's webhook() inside n8n-core's WebhookContext
 * (deliverWebhook) and answers the fake the way n8n would. Status codes are what the fake saw.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { deliverWebhook, nodeTypes, runWebhookMethod, triggerWorkflow } from '../harness/engine';
import type { FakeResponse } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';
import type { FireOptions } from './fake-gateway';

const ACCOUNT_KEY = 'webhook-account-key';
const DOMAIN = '123';
const EVENTS = ['bounced', 'opened'];

type Trigger = ReturnType<typeof triggerWorkflow>;

/** fire() options the fake has beyond those fake-gateway.ts declares (see fire()'s JSDoc). */
type MoreFireOptions = FireOptions & {
	signedAt?: number;
	envelope?: 'email-gateway' | 'octeth';
	eventName?: string;
	payload?: IDataObject | IDataObject[];
	alsoSignWith?: string[];
	repeatSignatureHeader?: boolean;
	headers?: Record<string, string>;
};

interface Delivery {
	path: string;
	headers: Record<string, string>;
	rawBody: string;
	result: IWebhookResponseData;
	response: FakeResponse;
}

/**
 * The body n8n's webhook server answers a delivery with when the trigger's webhook is `responseMode:
 * 'onReceived'` (n8n's executeWebhook): without an execution, the node's webhookResponse; with one, the
 * webhook description's `responseData` evaluated with n8n's default "firstEntryJson" (taken as a literal
 * body), and the node's webhookResponse only when that is empty. A node answering itself is not covered.
 */
function onReceivedAnswer(trigger: ReturnType<typeof triggerWorkflow>, result: IWebhookResponseData): unknown {
	if (result.workflowData === undefined) return result.webhookResponse ?? { message: 'Webhook call received' };
	const type = nodeTypes.getByNameAndVersion(trigger.node.type, trigger.node.typeVersion);
	const description = type.description.webhooks?.find((webhook) => webhook.name === 'default');
	const responseData = trigger.workflow.expression.getComplexParameterValue(
		trigger.node,
		description?.responseData,
		'webhook',
		{},
		undefined,
		'firstEntryJson',
	);
	if (responseData === 'noData') return undefined;
	return responseData || (result.webhookResponse ?? { message: 'Workflow was started' });
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
		/** n8n's production URL (base "webhook") or test URL (base "webhook-test") of a node. */
		urlFor: (webhookId: string, base = 'webhook') => `${endpoint.origin}/${base}/${webhookId}/webhook`,
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
				const { result, response } = await deliverWebhook(trigger, endpoint.credentials as never, { headers, rawBody, path: req.url ?? '' });
				deliveries.push({ path: req.url ?? '', headers, rawBody, result, response });
				const [status, body] = result.noWebhookResponse ? [response.statusCode, response.body] : [200, onReceivedAnswer(trigger, result)];
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

/** Messages written to n8n's logger (a node's this.logger) at that level from now on, until the test ends. */
function logged(level: 'warn' | 'info' | 'debug') {
	const spy = jest.spyOn(Container.get(Logger), level);
	return () => spy.mock.calls.map(([message]) => String(message));
}
afterEach(() => jest.restoreAllMocks());
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
	async function activate(options: IDataObject = {}, webhookId = 'test-webhook-id', base = 'webhook') {
		const trigger = triggerWorkflow({ domainId: DOMAIN, events: EVENTS, options });
		trigger.node.webhookId = webhookId;
		const url = endpoint.urlFor(webhookId, base);
		if (!(await runWebhookMethod('checkExists', trigger, fake.accountCredentials(), url))) {
			await runWebhookMethod('create', trigger, fake.accountCredentials(), url);
		}
		endpoint.triggers.set(new URL(url).pathname, trigger);
		return trigger;
	}

	const getWebhooksCalls = () =>
		server().requests.filter((request: { command?: string }) => request.command === 'EmailGateway.GetWebhooks').length;

	/** POSTs a captured delivery to the endpoint again, byte for byte; its status and JSON answer. */
	async function resend(delivery: Delivery) {
		const response = await fetch(`${endpoint.origin}${delivery.path}`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...pick(delivery.headers, ['x-octeth-signature', 'x-octeth-event', 'x-octeth-delivery', 'user-agent']),
			},
			body: delivery.rawBody,
		});
		return { status: response.status, body: (await response.json()) as IDataObject };
	}

	/** fire() with the options fake-gateway.ts does not declare yet. */
	const fire = (event: string, options: MoreFireOptions = {}) => server().fire(DOMAIN, event, options);

	const DUPLICATE = { received: true, duplicate: true };
	const executions = () => endpoint.deliveries.filter((delivery) => delivery.result.workflowData);

	const pick = (headers: Record<string, string>, names: string[]) =>
		Object.fromEntries(names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]));

	test('a delivery signed with X-Octeth-Signature starts the workflow with one normalized item', async () => {
		await activate();
		const timestamp = nowSeconds() - 5;
		const results = await server().fire(DOMAIN, 'bounce', { email: 'bounce@example.org', messageId: 'msg-42', timestamp });

		expect(results).toHaveLength(1);
		expect(results[0].status).toBe(200);
		// What the README promises, as n8n answers for a delivery that starts an execution (not "firstEntryJson").
		expect(JSON.parse(results[0].body)).toEqual({ received: true });
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
		// The same bytes again are a repeat: acknowledged, nothing runs twice.
		expect(await resend(delivery)).toEqual({ status: 200, body: DUPLICATE });
		expect(endpoint.deliveries).toHaveLength(2);
		expect(endpoint.deliveries[1].result.workflowData).toBeUndefined();
	});

	test('the timestamped scheme refuses a stale t and a body changed after signing', async () => {
		await activate();
		const stale = await server().fire(DOMAIN, 'bounce', { style: 'timestamped', timestamp: nowSeconds() - 3600 });
		expect(stale[0].status).toBe(401);
		expect(endpoint.deliveries[0].response.body).toEqual({ error: 'stale delivery' });

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
		// A short fixed reason: which check failed how stays in n8n's log.
		expect(JSON.parse(results[0].body)).toEqual({ error: 'invalid signature' });
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
		expect(JSON.parse(refused[0].body)).toEqual({ error: 'unsigned delivery' });
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

	test('the same signed delivery twice: the repeat is acknowledged (200, duplicate) and starts nothing', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'bounce');
		expect(results[0].status).toBe(200);

		expect(await resend(endpoint.deliveries[0])).toEqual({ status: 200, body: DUPLICATE });
		expect(endpoint.deliveries[1].result.workflowData).toBeUndefined();
		expect(endpoint.deliveries[1].result.noWebhookResponse).toBeFalsy();
		expect(executions()).toHaveLength(1);
	});

	test('a repeat cannot slip past by rewriting the signature (upper case, "sha256=" prefix)', async () => {
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
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual(DUPLICATE);
		}
		expect(endpoint.deliveries).toHaveLength(3);
		expect(executions()).toHaveLength(1);
	});

	test('a Mailgun-style repeat cannot slip past by upper-casing the signature or changing the event', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'open', { style: 'mailgun' });
		expect(results[0].status).toBe(200);
		const payload = JSON.parse(results[0].payload);
		payload.signature.signature = String(payload.signature.signature).toUpperCase();
		// The Mailgun-style signature does not cover event-data: a captured one with another event id is
		// still the same signature, so it still is a repeat.
		payload['event-data'].id = 'another-event-id';
		payload['event-data'].recipient = 'forged@example.org';
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(payload),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual(DUPLICATE);
		expect(executions()).toHaveLength(1);
	});

	test('the same Mailgun-style delivery twice: the repeat is acknowledged and starts nothing', async () => {
		await activate();
		const results = await server().fire(DOMAIN, 'open', { style: 'mailgun' });
		expect(results[0].status).toBe(200);
		expect(await resend(endpoint.deliveries[0])).toEqual({ status: 200, body: DUPLICATE });
		expect(executions()).toHaveLength(1);
	});

	test('a delivery signed longer ago than the maximum age is refused; a larger maximum age accepts it', async () => {
		await activate();
		const hourAgo = nowSeconds() - 3600;
		const stale = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo, style: 'timestamped' });
		expect(stale[0].status).toBe(401);
		const staleMailgun = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo, style: 'mailgun' });
		expect(staleMailgun[0].status).toBe(401);
		// Only the signed delivery time counts: an old event signed just now is a legitimate retry.
		const staleT = await fire('bounce', { style: 'timestamped', timestamp: nowSeconds(), signedAt: hourAgo });
		expect(staleT[0].status).toBe(401);
		expect(endpoint.deliveries.map((delivery) => delivery.response.body)).toEqual(
			Array(3).fill({ error: expect.stringContaining('stale') }),
		);
		expect(executions()).toHaveLength(0);

		await activate({ maxAgeSeconds: 7200 });
		const accepted = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo, style: 'timestamped' });
		expect(accepted[0].status).toBe(200);
		const acceptedMailgun = await server().fire(DOMAIN, 'bounce', { timestamp: hourAgo, style: 'mailgun' });
		expect(acceptedMailgun[0].status).toBe(200);
	});

	test('Maximum Event Age does not apply to event times in the body: a retry after n8n was down is accepted', async () => {
		await activate();
		const sixHoursAgo = nowSeconds() - 6 * 3600;
		// X-Octeth-Signature: <hex> signs no delivery time; the body's Timestamp is when the event happened.
		const plain = await server().fire(DOMAIN, 'bounce', { timestamp: sixHoursAgo, email: 'late@example.org' });
		expect(plain[0].status).toBe(200);
		// The timestamped scheme: an old event, signed (delivered) now.
		const timestamped = await fire('open', { style: 'timestamped', timestamp: sixHoursAgo, signedAt: nowSeconds() });
		expect(timestamped[0].status).toBe(200);
		expect(executions().map((delivery) => delivery.result.workflowData![0][0].json.timestamp)).toEqual([
			new Date(sixHoursAgo * 1000).toISOString(),
			new Date(sixHoursAgo * 1000).toISOString(),
		]);
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

		// A real repeat to either workflow starts nothing there.
		expect(await resend(endpoint.deliveries[0])).toEqual({ status: 200, body: DUPLICATE });
		expect(executions()).toHaveLength(2);
	});

	describe('every event is read and emitted (the payload layout is undocumented)', () => {
		const LOGGED_AT = '2024-01-15 12:00:00';
		const LOGGED_AT_ISO = '2024-01-15T12:00:00.000Z';
		const UNIX = Date.UTC(2024, 0, 15, 12) / 1000;

		test.each<[string, IDataObject, IDataObject]>([
			[
				'an event record {event, timestamp, message:{headers}}',
				{ event: 'opened', timestamp: UNIX, message: { headers: { from: 'news@example.com', to: 'Reader <reader@example.org>', subject: 'Hi', 'message-id': '<m1@example.com>' } } },
				{ event: 'opened', email: 'reader@example.org', messageId: '<m1@example.com>', timestamp: LOGGED_AT_ISO },
			],
			[
				'an event record {Event, LoggedAt, Message:{Headers}}',
				{ Event: 'Bounce', LoggedAt: LOGGED_AT, Message: { Headers: { From: 'news@example.com', To: 'gone@example.org', Subject: 'Hi', 'Message-ID': 'm2' } } },
				{ event: 'bounced', email: 'gone@example.org', messageId: 'm2', timestamp: LOGGED_AT_ISO },
			],
			[
				'EventType / Email / MessageID / EventTimestamp',
				{ EventType: 'hard_bounce', Email: 'a@example.org', MessageID: 'm3', EventTimestamp: LOGGED_AT },
				{ event: 'bounced', email: 'a@example.org', messageId: 'm3', timestamp: LOGGED_AT_ISO },
			],
			[
				'event_type / recipient / timestamp',
				{ event_type: 'open', recipient: 'b@example.org', timestamp: UNIX },
				{ event: 'opened', email: 'b@example.org', messageId: null, timestamp: LOGGED_AT_ISO },
			],
			[
				"Octeth's envelope {id, type, occurred_at, data}",
				{ id: 'evt-env', type: 'email.bounced', occurred_at: '2024-01-15T12:00:00Z', data: { email: 'c@example.org', message_id: 'm4' } },
				{ event: 'bounced', email: 'c@example.org', messageId: 'm4', timestamp: LOGGED_AT_ISO },
			],
			[
				'Mailgun-style event-data',
				{ 'event-data': { event: 'opened', recipient: 'd@example.org', timestamp: UNIX, message: { headers: { 'message-id': 'm5' } } } },
				{ event: 'opened', email: 'd@example.org', messageId: 'm5', timestamp: LOGGED_AT_ISO },
			],
		])('%s', async (_name, payload, expected) => {
			await activate();
			// Signed with X-Octeth-Signature: <hex>; the event times in these bodies are long past.
			const results = await fire('bounce', { payload, url: endpoint.url });
			expect(results[0].status).toBe(200);
			const items = endpoint.deliveries[0].result.workflowData!;
			expect(items[0]).toHaveLength(1);
			expect(items[0][0].json).toEqual({ ...expected, provider: 'emailGateway', raw: payload });
		});

		test("Octeth's envelope signed with t=,v1= gives the event; the name may come from X-Octeth-Event only", async () => {
			await activate();
			const enveloped = await fire('bounce', { style: 'timestamped', envelope: 'octeth', email: 'env@example.org', messageId: 'msg-env' });
			expect(enveloped[0].status).toBe(200);
			const sent = JSON.parse(enveloped[0].payload);
			expect(endpoint.deliveries[0].headers['x-octeth-delivery']).toBe(sent.id);
			expect(endpoint.deliveries[0].result.workflowData![0][0].json).toMatchObject({
				event: 'bounced',
				email: 'env@example.org',
				messageId: 'msg-env',
				timestamp: new Date(Date.parse(sent.occurred_at)).toISOString(),
			});

			const nameless = await fire('open', {
				style: 'timestamped',
				payload: { id: 'evt-nameless', occurred_at: new Date().toISOString(), data: { email: 'header@example.org' } },
				headers: { 'X-Octeth-Event': 'opened' },
			});
			expect(nameless[0].status).toBe(200);
			expect(endpoint.deliveries[1].result.workflowData![0][0].json).toMatchObject({ event: 'opened', email: 'header@example.org' });
		});

		test('an event name the node does not know is still emitted, under the provider\'s own name', async () => {
			await activate();
			const results = await fire('bounce', { eventName: 'deferred', email: 'later@example.org' });
			expect(results[0].status).toBe(200);
			expect(JSON.parse(results[0].body)).toEqual({ received: true });
			expect(endpoint.deliveries[0].result.workflowData![0][0].json).toMatchObject({ event: 'deferred', email: 'later@example.org' });

			// Not even a name: still emitted, as "unknown", with the payload.
			const nameless = await fire('bounce', { payload: { Recipient: 'who@example.org', EventId: 'evt-no-name' } });
			expect(nameless[0].status).toBe(200);
			expect(endpoint.deliveries[1].result.workflowData![0][0].json).toMatchObject({ event: 'unknown', email: 'who@example.org' });
		});

		test('a batch (JSON array) gives one item per event; known events that are not selected are left out', async () => {
			await activate();
			const batch = [
				{ Event: 'bounce', EventId: 'b-1', Recipient: 'one@example.org', Timestamp: nowSeconds() },
				{ Event: 'open', EventId: 'b-2', Recipient: 'two@example.org', Timestamp: nowSeconds() },
				{ Event: 'deferred', EventId: 'b-3', Recipient: 'three@example.org', Timestamp: nowSeconds() },
				{ Event: 'click', EventId: 'b-4', Recipient: 'four@example.org', Timestamp: nowSeconds() },
			];
			const results = await fire('bounce', { style: 'timestamped', payload: batch });
			expect(results[0].status).toBe(200);
			const items = endpoint.deliveries[0].result.workflowData![0];
			expect(items.map((item) => [item.json.event, item.json.email])).toEqual([
				['bounced', 'one@example.org'],
				['opened', 'two@example.org'],
				['deferred', 'three@example.org'],
			]);
			expect(items.map((item) => item.json.raw)).toEqual(batch.slice(0, 3));

			// Only unselected events: acknowledged, nothing runs.
			const unselected = await fire('bounce', { payload: [{ ...batch[3], EventId: 'b-5' }] });
			expect(unselected[0].status).toBe(200);
			expect(JSON.parse(unselected[0].body)).toEqual({ received: true, ignored: ['clicked'] });
			expect(endpoint.deliveries[1].result.workflowData).toBeUndefined();
		});
	});

	describe('repeated deliveries are acknowledged once received (Octeth retries and may send an event twice)', () => {
		test('a retry signed anew (another t=) of the same event id: 200 duplicate, nothing runs twice', async () => {
			await activate();
			const signedAt = nowSeconds() - 60;
			const first = await fire('bounce', { style: 'timestamped', eventId: 'evt-retry-1', timestamp: signedAt, signedAt });
			const retry = await fire('bounce', { style: 'timestamped', eventId: 'evt-retry-1', timestamp: signedAt, signedAt: nowSeconds() });
			expect(first[0].status).toBe(200);
			// Same body, new signature: only the event id tells it is the same event.
			expect(retry[0].payload).toBe(first[0].payload);
			expect(retry[0].signature).not.toBe(first[0].signature);
			expect(retry[0].status).toBe(200);
			expect(JSON.parse(retry[0].body)).toEqual(DUPLICATE);
			expect(executions()).toHaveLength(1);

			// Another event is not a duplicate.
			const next = await fire('bounce', { style: 'timestamped', eventId: 'evt-retry-2' });
			expect(JSON.parse(next[0].body)).toEqual({ received: true });
			expect(executions()).toHaveLength(2);
		});

		test("the id may come from Octeth's envelope or only from X-Octeth-Delivery", async () => {
			await activate();
			const occurred = nowSeconds() - 120;
			const enveloped = await fire('bounce', { style: 'timestamped', envelope: 'octeth', eventId: 'evt-env-1', timestamp: occurred, signedAt: nowSeconds() - 30 });
			const envelopedAgain = await fire('bounce', { style: 'timestamped', envelope: 'octeth', eventId: 'evt-env-1', timestamp: occurred, signedAt: nowSeconds() });
			expect(enveloped[0].status).toBe(200);
			expect(envelopedAgain[0].payload).toBe(enveloped[0].payload);
			expect(envelopedAgain[0].signature).not.toBe(enveloped[0].signature);
			expect(JSON.parse(envelopedAgain[0].body)).toEqual(DUPLICATE);

			const payload = { Event: 'open', Recipient: 'no-id@example.org', Timestamp: nowSeconds() };
			const headers = { 'X-Octeth-Delivery': 'dlv-only-header' };
			const byHeader = await fire('open', { style: 'timestamped', payload, headers, signedAt: nowSeconds() - 30 });
			const byHeaderAgain = await fire('open', { style: 'timestamped', payload, headers });
			expect(byHeader[0].status).toBe(200);
			expect(JSON.parse(byHeaderAgain[0].body)).toEqual(DUPLICATE);
			expect(executions()).toHaveLength(2);
		});

		test('without any id, the same signature is the same delivery', async () => {
			await activate();
			const payload = { Event: 'bounce', Recipient: 'anonymous@example.org', Timestamp: nowSeconds() };
			const first = await fire('bounce', { payload });
			const again = await fire('bounce', { payload });
			expect(first[0].status).toBe(200);
			expect(again[0].signature).toBe(first[0].signature);
			expect(again[0].status).toBe(200);
			expect(JSON.parse(again[0].body)).toEqual(DUPLICATE);
			expect(executions()).toHaveLength(1);
		});

		test('a batch sent again with some events already received runs only the new ones', async () => {
			await activate();
			const event = (id: string) => ({ Event: 'bounce', EventId: id, Recipient: `${id}@example.org`, Timestamp: nowSeconds() });
			await fire('bounce', { style: 'timestamped', payload: [event('e1'), event('e2')] });
			const overlapping = await fire('bounce', { style: 'timestamped', payload: [event('e2'), event('e3')] });
			expect(overlapping[0].status).toBe(200);
			expect(endpoint.deliveries[1].result.workflowData![0].map((item) => item.json.email)).toEqual(['e3@example.org']);
			const again = await fire('bounce', { style: 'timestamped', payload: [event('e1'), event('e3')] });
			expect(JSON.parse(again[0].body)).toEqual(DUPLICATE);
			expect(executions()).toHaveLength(2);
		});

		test('a known event id with a wrong or missing signature is still refused with 401', async () => {
			await activate();
			expect((await fire('bounce', { eventId: 'evt-known' }))[0].status).toBe(200);
			const forged = await fire('bounce', { eventId: 'evt-known', style: 'bad-signature' });
			expect(forged[0].status).toBe(401);
			const unsigned = await fire('bounce', { eventId: 'evt-known', style: 'unsigned' });
			expect(unsigned[0].status).toBe(401);
			expect(executions()).toHaveLength(1);
		});
	});

	test('the test URL (webhook-test/…) and the production URL of one workflow do not refuse each other', async () => {
		// n8n listens on both while a workflow is active and someone clicks "Listen for test event".
		const production = await activate({}, 'test-webhook-id', 'webhook');
		const testListener = await activate({}, 'test-webhook-id', 'webhook-test');
		expect(production.workflow.id).toBe(testListener.workflow.id);
		expect(production.node.webhookId).toBe(testListener.node.webhookId);

		const results = await fire('bounce', { email: 'both@example.org' });
		expect(results.map((result: { url: string }) => new URL(result.url).pathname).sort()).toEqual([
			'/webhook-test/test-webhook-id/webhook',
			'/webhook/test-webhook-id/webhook',
		]);
		expect(results.map((result: { status: number }) => result.status)).toEqual([200, 200]);
		expect(executions()).toHaveLength(2);

		// After a key rotation each listener looks the key up itself; one's look-up does not throttle the other's.
		await fake.accountCommand('EmailGateway.RegenerateSigningKey', { DomainID: DOMAIN });
		server().clearRequests();
		const rotated = await fire('open', { email: 'rotated@example.org' });
		expect(rotated.map((result: { status: number }) => result.status)).toEqual([200, 200]);
		expect(getWebhooksCalls()).toBe(2);
		expect(executions()).toHaveLength(4);
	});

	describe('the key look-up inside a delivery never fails the request', () => {
		test('an API error answers 401 with a fixed reason (no 500), the look-up error goes to n8n\'s log only, no retry', async () => {
			await activate();
			await fake.accountCommand('EmailGateway.RegenerateSigningKey', { DomainID: DOMAIN });
			server().clearRequests();
			server().failNext({ path: '/api.php', status: 200, body: { Success: false, ErrorCode: 99998, ErrorMessage: 'Authentication failed' } });
			const warnings = logged('warn');
			const results = await fire('bounce');
			expect(results[0].status).toBe(401);
			expect(JSON.parse(results[0].body)).toEqual({ error: 'invalid signature' });
			expect(results[0].body).not.toContain('127.0.0.1');
			expect(warnings()).toEqual([
				expect.stringMatching(
					/^Email Gateway Trigger refused a delivery \(invalid signature\): .*does not match the payload\. The signing key could not be looked up again: .*Authentication failed/,
				),
			]);
			expect(getWebhooksCalls()).toBe(1);
			expect(executions()).toHaveLength(0);
		});

		test('an API that does not answer: 401 within 3 s, inside the 5 s Octeth waits', async () => {
			await activate();
			await fake.accountCommand('EmailGateway.RegenerateSigningKey', { DomainID: DOMAIN });
			// Answered (with an error that is not retried) only after 3.5 s.
			server().failNext({ path: '/api.php', delayMs: 3500, status: 200, body: { Success: false, ErrorCode: 99998, ErrorMessage: 'late' } });
			const warnings = logged('warn');
			const started = Date.now();
			const results = await fire('bounce');
			const took = Date.now() - started;
			expect(results[0].status).toBe(401);
			expect(JSON.parse(results[0].body)).toEqual({ error: 'invalid signature' });
			expect(warnings()).toEqual([expect.stringContaining('did not answer within 3 s')]);
			// The look-up gives up after 3 s; the answer must leave Octeth's 5 s (a loaded CI machine adds its own delay).
			expect(took).toBeGreaterThanOrEqual(2900);
			expect(took).toBeLessThan(4900);
			// Let the late answer arrive before the fake closes.
			await new Promise((resolve) => setTimeout(resolve, 700));
		});
	});

	test("an unreachable API: why the look-up failed is in n8n's log, never in the answer", async () => {
		await activate();
		await fake.accountCommand('EmailGateway.RegenerateSigningKey', { DomainID: DOMAIN });
		// Nothing listens on port 9 of this host: the look-up's connection is refused.
		endpoint.credentials = { emailGatewayApi: { ...fake.accountCredentials().emailGatewayApi, baseUrl: 'http://127.0.0.1:9' } };
		const warnings = logged('warn');
		const results = await fire('bounce');
		expect(results[0].status).toBe(401);
		expect(results[0].body).toBe(JSON.stringify({ error: 'invalid signature' }));
		expect(warnings()).toEqual([expect.stringMatching(/could not be looked up again: .*ECONNREFUSED/)]);
		expect(executions()).toHaveLength(0);
	});

	describe('X-Octeth-Signature t=…,v1=… is read as key=value pairs', () => {
		test('blanks around the pairs are fine', async () => {
			await activate();
			const payload = { Event: 'bounce', EventId: 'evt-blanks', Recipient: 'blanks@example.org', Timestamp: nowSeconds() };
			const t = nowSeconds();
			const v1 = hmac(fake.signingKey(DOMAIN), `${t}.${JSON.stringify(payload)}`);
			const results = await fire('bounce', { style: 'unsigned', payload, headers: { 'X-Octeth-Signature': ` t = ${t} ,  v1 = ${v1} ` } });
			expect(results[0].status).toBe(200);
			expect(executions()).toHaveLength(1);
		});

		test('two v1 (a key rotation): one matching is enough, whichever comes first', async () => {
			await activate();
			server().clearRequests();
			const results = await fire('bounce', { style: 'timestamped', alsoSignWith: ['the-next-signing-key'], email: 'rotation@example.org' });
			expect(results[0].signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
			expect(results[0].status).toBe(200);
			expect(executions()[0].result.workflowData![0][0].json.email).toBe('rotation@example.org');
			// The current key matched: no look-up was needed.
			expect(getWebhooksCalls()).toBe(0);
		});

		test('a signature header sent twice (Node joins it as "a, b") still verifies, in both schemes', async () => {
			await activate();
			const timestamped = await fire('bounce', { style: 'timestamped', repeatSignatureHeader: true });
			expect(endpoint.deliveries[0].headers['x-octeth-signature']).toBe(`${timestamped[0].signature}, ${timestamped[0].signature}`);
			expect(timestamped[0].status).toBe(200);

			const plain = await fire('bounce', { repeatSignatureHeader: true });
			expect(endpoint.deliveries[1].headers['x-octeth-signature']).toBe(`${plain[0].signature}, ${plain[0].signature}`);
			expect(plain[0].status).toBe(200);
			expect(executions()).toHaveLength(2);

			// A wrong v1 beside nothing that matches is still refused.
			const forged = await fire('bounce', { style: 'bad-signature', repeatSignatureHeader: true });
			expect(forged[0].status).toBe(401);
		});
	});
});
