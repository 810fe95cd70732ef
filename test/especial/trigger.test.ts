/**
 * The Especial Trigger in n8n's own HookContext and WebhookContext against the fake Especial server: one
 * webhook per selected event, archived on deactivation (the API has no delete), checkExists by stored id
 * and URL, and every delivery verified with `x-signature` = base64 HMAC-SHA256 of the raw body under the
 * webhook's `signature.key` (a forged or unsigned delivery gets 401 and starts nothing).
 */
import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { deliverWebhook, runWebhookMethod, triggerWorkflow } from '../harness/engine';
import { ESPECIAL_EVENTS } from '../../nodes/Especial/trigger';
import { useEspecialFake } from './fake';

const { fake, credentials } = useEspecialFake();

const URL = 'https://n8n.example.com/webhook/test-webhook-id/webhook';
const trigger = (events: string[], staticData: IDataObject = {}) => triggerWorkflow({ events }, staticData, 'especialTrigger');
const staticOf = (instance: ReturnType<typeof trigger>) => instance.workflow.staticData['node:Email Gateway Trigger'] as IDataObject;
const hooks = () => [...fake().collection('/webhooks').values()];

const sign = (key: string, raw: string) => createHmac('sha256', key).update(raw).digest('base64');

describe('Especial Trigger: webhooks', () => {
	it("offers the seed's EventType enum", () => {
		expect(ESPECIAL_EVENTS).toHaveLength(41);
		expect(ESPECIAL_EVENTS).toEqual(expect.arrayContaining(['Email.Bounced', 'Email.ReportedAsSpam', 'Contact.Added', 'SuppressedEmail.Removed']));
	});

	it('registers one webhook per event, keeps their ids and signing keys, and confirms them in checkExists', async () => {
		const instance = trigger(['Email.Bounced', 'Contact.Added']);
		const creds = credentials();
		expect(await runWebhookMethod('create', instance, creds, URL)).toBe(true);
		const registered = hooks().filter((hook) => hook.url === URL);
		expect(registered.map((hook) => [hook.event, hook.status])).toEqual([
			['Email.Bounced', 'active'],
			['Contact.Added', 'active'],
		]);
		const state = staticOf(instance);
		expect(state.webhooks).toEqual({ 'Email.Bounced': registered[0].id, 'Contact.Added': registered[1].id });
		expect(state.signingKeys).toEqual({ [String(registered[0].id)]: fake().webhookKey(String(registered[0].id)), [String(registered[1].id)]: fake().webhookKey(String(registered[1].id)) });
		const creates = fake().requests.filter((request) => request.method === 'POST' && request.path === '/webhooks');
		expect(creates.map((request) => request.body)).toEqual([
			{ event: 'Email.Bounced', url: URL },
			{ event: 'Contact.Added', url: URL },
		]);
		expect(await runWebhookMethod('checkExists', instance, creds, URL)).toBe(true);
		// One archived at Especial: the node registers again.
		registered[1].status = 'archived';
		expect(await runWebhookMethod('checkExists', instance, creds, URL)).toBe(false);
	});

	it('archives its webhooks on deactivation (Especial has no delete) and forgets them', async () => {
		const instance = trigger(['Email.Opened']);
		const creds = credentials();
		await runWebhookMethod('create', instance, creds, URL);
		const id = String((staticOf(instance).webhooks as IDataObject)['Email.Opened']);
		fake().reset();
		expect(await runWebhookMethod('delete', instance, creds, URL)).toBe(true);
		expect(fake().requests.map((request) => `${request.method} ${request.path}`)).toEqual([`POST /webhooks/${id}/archive`]);
		expect(fake().collection('/webhooks').get(id)).toMatchObject({ status: 'archived' });
		expect(staticOf(instance).webhooks).toBeUndefined();
		// Deactivating again, or with a webhook already gone, is fine.
		expect(await runWebhookMethod('delete', instance, creds, URL)).toBe(true);
	});

	it('a new activation archives what still calls its URL (static data lost), so no event arrives twice', async () => {
		const first = trigger(['Email.Clicked']);
		await runWebhookMethod('create', first, credentials(), URL);
		const second = trigger(['Email.Clicked']);
		await runWebhookMethod('create', second, credentials(), URL);
		const active = hooks().filter((hook) => hook.url === URL && hook.status === 'active' && hook.event === 'Email.Clicked');
		expect(active).toHaveLength(1);
		expect(String(active[0].id)).toBe(String((staticOf(second).webhooks as IDataObject)['Email.Clicked']));
	});

	it('twelve activations leave one webhook per event at Especial: each activation takes its archived webhooks back (the API has no delete)', async () => {
		const url = 'https://twelve.example.com/webhook/test-webhook-id/webhook';
		const events = ['Email.Bounced', 'Email.Opened', 'Email.Clicked', 'Contact.Added'];
		const instance = trigger(events);
		const creds = credentials();
		const ours = () => hooks().filter((hook) => hook.url === url).sort((a, b) => events.indexOf(String(a.event)) - events.indexOf(String(b.event)));
		const ids: string[][] = [];
		for (let activation = 1; activation <= 12; activation++) {
			expect(await runWebhookMethod('create', instance, creds, url)).toBe(true);
			expect(ours().map((hook) => [hook.event, hook.status])).toEqual(events.map((event) => [event, 'active']));
			ids.push(ours().map((hook) => String(hook.id)));
			expect(await runWebhookMethod('delete', instance, creds, url)).toBe(true);
		}
		expect(ours().map((hook) => [hook.event, hook.status])).toEqual(events.map((event) => [event, 'archived']));
		// Every activation after the first took the first one's webhooks back (unarchived them).
		expect(new Set(ids.map((activation) => activation.join()))).toEqual(new Set([ids[0].join()]));

		// Active again, a taken-back webhook's delivery is verified with its signing key.
		await runWebhookMethod('create', instance, creds, url);
		const bounced = ours().find((hook) => hook.event === 'Email.Bounced')!;
		const raw = JSON.stringify({ event: 'Email.Bounced', account_id: 1, data: { email: 'again@example.com' } });
		const { result } = await deliverWebhook(instance, creds, { headers: { 'x-signature': sign(fake().webhookKey(String(bounced.id)) as string, raw) }, rawBody: raw });
		expect(result.workflowData?.[0].map((item) => item.json.email)).toEqual(['again@example.com']);
	});

	it('with its static data lost or a new n8n host, an activation still takes back its archived webhook (pointed at the new URL first)', async () => {
		const oldUrl = 'https://old-host.example.com/webhook/test-webhook-id/webhook';
		const newUrl = 'https://new-host.example.com/webhook/test-webhook-id/webhook';
		const first = trigger(['Email.Clicked']);
		await runWebhookMethod('create', first, credentials(), oldUrl);
		await runWebhookMethod('delete', first, credentials(), oldUrl);
		const [archived] = hooks().filter((hook) => hook.url === oldUrl);
		fake().reset();
		const moved = trigger(['Email.Clicked']);
		await runWebhookMethod('create', moved, credentials(), newUrl);
		expect(fake().requests.filter((request) => request.method !== 'GET' && request.path !== '/token').map((request) => `${request.method} ${request.path} ${JSON.stringify(request.body ?? {})}`)).toEqual([
			`PATCH /webhooks/${String(archived.id)} ${JSON.stringify({ url: newUrl })}`,
			`POST /webhooks/${String(archived.id)}/unarchive {}`,
		]);
		expect(hooks().filter((hook) => String(hook.url).includes('-host.example.com/')).map((hook) => [hook.url, hook.status])).toEqual([[newUrl, 'active']]);
		expect(staticOf(moved).webhooks).toEqual({ 'Email.Clicked': archived.id });
	});
});

describe('Especial Trigger: deliveries', () => {
	// A fresh webhook (and signing key) per test: an activation takes back the archived webhook of its URL and event.
	beforeEach(() => fake().collection('/webhooks').clear());

	async function activated(events: string[]) {
		const instance = trigger(events);
		await runWebhookMethod('create', instance, credentials(), URL);
		const id = String((staticOf(instance).webhooks as IDataObject)[events[0]]);
		return { instance, key: fake().webhookKey(id) as string };
	}

	const bounce = JSON.stringify({
		event: 'Email.Bounced',
		account_id: 1,
		created_on: 1764583200,
		data: { email: 'jane@example.com', email_id: 'em_123', bounce_type: 'hard' },
	});

	it('a correctly signed delivery starts the workflow with the package event shape', async () => {
		const { instance, key } = await activated(['Email.Bounced']);
		const { result, response } = await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign(key, bounce), 'Content-Type': 'application/json' }, rawBody: bounce });
		expect(response.statusCode).toBe(200);
		expect(result.webhookResponse).toEqual({ received: true });
		expect(result.workflowData?.[0].map((item) => item.json)).toEqual([
			{ event: 'bounced', email: 'jane@example.com', messageId: 'em_123', timestamp: '2025-12-01T10:00:00.000Z', provider: 'especial', raw: JSON.parse(bounce) },
		]);
	});

	it('a forged signature gets 401 and starts nothing', async () => {
		const { instance } = await activated(['Email.Bounced']);
		const { result, response } = await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign('someone-elses-key', bounce) }, rawBody: bounce });
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'invalid signature' });
		expect(result.workflowData).toBeUndefined();
	});

	it('a body changed after signing gets 401', async () => {
		const { instance, key } = await activated(['Email.Bounced']);
		const changed = bounce.replace('jane@example.com', 'mallory@example.com');
		const { response, result } = await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign(key, bounce) }, rawBody: changed });
		expect(response.statusCode).toBe(401);
		expect(result.workflowData).toBeUndefined();
	});

	it('an unsigned delivery gets 401 and starts nothing', async () => {
		const { instance } = await activated(['Email.Bounced']);
		const { response, result } = await deliverWebhook(instance, credentials(), { headers: {}, rawBody: bounce });
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'unsigned delivery' });
		expect(result.workflowData).toBeUndefined();
	});

	it('the same signed delivery again is acknowledged as a duplicate and starts nothing', async () => {
		const { instance, key } = await activated(['Email.Bounced']);
		const request = { headers: { 'x-signature': sign(key, bounce) }, rawBody: bounce };
		expect((await deliverWebhook(instance, credentials(), request)).result.workflowData).toBeDefined();
		const again = await deliverWebhook(instance, credentials(), request);
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.webhookResponse).toEqual({ received: true, duplicate: true });
	});

	it('a key the workflow lost is looked up again (GET /webhooks/{id}), at most once a minute per receiver', async () => {
		const { instance, key } = await activated(['Email.Bounced']);
		staticOf(instance).signingKeys = {};
		fake().reset();
		const { result, response } = await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign(key, bounce) }, rawBody: bounce });
		expect(response.statusCode).toBe(200);
		expect(result.workflowData?.[0]).toHaveLength(1);
		const lookups = () => fake().requests.filter((request) => request.method === 'GET' && request.path.startsWith('/webhooks/'));
		expect(lookups()).toHaveLength(1);
		// Forged deliveries right after: refused without another look-up.
		const forged = bounce.replace('hard', 'soft');
		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign('forged', forged) }, rawBody: forged })).response.statusCode).toBe(401);
		}
		expect(lookups()).toHaveLength(1);
	});

	it('an event outside the vocabulary passes under its own name (Contact.Added)', async () => {
		const { instance, key } = await activated(['Contact.Added']);
		const raw = JSON.stringify({ event: 'Contact.Added', account_id: 1, created_on: 1764583200, data: { contact: { id: 5, email: 'new@example.org' }, list_id: 3 } });
		const { result } = await deliverWebhook(instance, credentials(), { headers: { 'x-signature': sign(key, raw) }, rawBody: raw });
		expect(result.workflowData?.[0][0].json).toMatchObject({ event: 'Contact.Added', email: 'new@example.org', provider: 'especial' });
	});
});
