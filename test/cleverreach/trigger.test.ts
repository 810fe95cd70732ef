/**
 * The CleverReach Trigger in n8n-core's HookContext and WebhookContext, behind a real HTTP server that
 * stands in for n8n's webhook server, against the fake CleverReach: activation registers one hook per
 * event at /hooks/eventhook (outside /v3) and passes CleverReach's GET ?secret= check during create();
 * checkExists confirms our hooks; a delivery with the stored call token starts the workflow with the
 * receiver's email fetched; a wrong call token gets 401 and starts nothing; deactivation deletes our hooks only.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { useFakeCleverReach } from './fake-cleverreach';
import { runLifecycle, startN8nWebhooks, triggerWorkflow } from './trigger-harness';

const { server, credentials } = useFakeCleverReach();

describe('CleverReach Trigger', () => {
	let database: IDataObject;
	let parameters: IDataObject;
	let creds: Record<string, ICredentialDataDecryptedObject>;
	let n8n: Awaited<ReturnType<typeof startN8nWebhooks>>;
	let groupId: string;

	const hookUrl = () => `${n8n.baseUrl}/cr-trigger-hook/webhook`;

	/** Runs a lifecycle method as n8n does on (de)activation, then saves the static data it left. */
	async function lifecycle(method: 'checkExists' | 'create' | 'delete') {
		const { result, saved } = await runLifecycle(triggerWorkflow(parameters, database), method, creds, n8n.baseUrl);
		database = saved;
		return result;
	}

	beforeEach(async () => {
		database = {};
		server().state.hooks.length = 0;
		const group = server().addGroup('Trigger group');
		groupId = group.id;
		parameters = { events: ['receiver.subscribed', 'receiver.unsubscribed'], groupId: { __rl: true, mode: 'id', value: groupId } };
		creds = credentials();
		n8n = await startN8nWebhooks(() => triggerWorkflow(parameters, database), () => creds);
	});

	afterEach(async () => await n8n.close());

	it('lists the GET check webhook first, on the POST webhook\'s path', () => {
		const { type } = triggerWorkflow({}, {});
		expect(type.description.webhooks!.map((webhook) => `${webhook.name} ${webhook.httpMethod} ${webhook.path}`)).toEqual(['setup GET webhook', 'default POST webhook']);
	});

	it('registers one hook per event at /hooks/eventhook, passing the GET check during create(), and keeps the call tokens', async () => {
		await expect(lifecycle('create')).resolves.toBe(true);
		const registrations = server().requests.filter((request) => request.method === 'POST' && request.path === '/hooks/eventhook');
		expect(registrations.map((request) => request.body)).toEqual([
			{ url: hookUrl(), event: 'receiver.subscribed', verify: expect.stringMatching(/^[0-9a-f]{40}$/), condition: groupId },
			{ url: hookUrl(), event: 'receiver.unsubscribed', verify: expect.stringMatching(/^[0-9a-f]{40}$/), condition: groupId },
		]);
		// Outside /v3, with the OAuth2 token.
		expect(registrations.every((request) => request.rawPath === '/hooks/eventhook' && /^Bearer /.test(String(request.headers.authorization)))).toBe(true);
		expect(server().state.hooks.map((hook) => [hook.event, hook.condition, hook.url])).toEqual([
			['receiver.subscribed', groupId, hookUrl()],
			['receiver.unsubscribed', groupId, hookUrl()],
		]);
		// The checks were answered by the GET webhook and started nothing.
		expect(n8n.calls).toEqual([
			{ method: 'GET', webhookName: 'setup', status: 200, startedExecution: false },
			{ method: 'GET', webhookName: 'setup', status: 200, startedExecution: false },
		]);
		expect(database.callTokens).toEqual({
			'receiver.subscribed': server().state.hooks[0].call_token,
			'receiver.unsubscribed': server().state.hooks[1].call_token,
		});
		await expect(lifecycle('checkExists')).resolves.toBe(true);
	});

	it('a delivery with the call token starts the workflow with the receiver\'s email in the package\'s event shape', async () => {
		await lifecycle('create');
		const receiver = server().addReceiver(groupId, { email: 'new.subscriber@example.org', activated: 1767225600 });
		const [answer] = await server().fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(receiver.id) });
		expect(answer.status).toBe(200);
		expect(n8n.started).toHaveLength(1);
		const [event] = n8n.started[0].map((item) => item.json);
		expect(event).toEqual({
			event: 'subscribed',
			email: 'new.subscriber@example.org',
			messageId: null,
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			provider: 'cleverReach',
			raw: {
				event: 'receiver.subscribed',
				condition: groupId,
				payload: { group_id: Number(groupId), pool_id: Number(receiver.id) },
				receiver: expect.objectContaining({ id: receiver.id, email: 'new.subscriber@example.org' }),
			},
		});
		const fetched = server().requests.filter((request) => request.method === 'GET' && request.path === `/v3/groups/${groupId}/receivers/${String(receiver.id)}`);
		expect(fetched).toHaveLength(1);
	});

	it('a repeated delivery (a retry: same event, same payload) is acknowledged as a duplicate and starts nothing', async () => {
		await lifecycle('create');
		const receiver = server().addReceiver(groupId, { email: 'retried@example.org' });
		const payload = { group_id: Number(groupId), pool_id: Number(receiver.id) };
		const [first] = await server().fire('receiver.subscribed', payload);
		const [again] = await server().fire('receiver.subscribed', payload);
		expect([first.status, JSON.parse(first.body)]).toEqual([200, { received: true }]);
		expect([again.status, JSON.parse(again.body)]).toEqual([200, { received: true, duplicate: true }]);
		expect(n8n.started).toHaveLength(1);
		// Another receiver's same event is new.
		const other = server().addReceiver(groupId, { email: 'other@example.org' });
		await server().fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(other.id) });
		expect(n8n.started.map((items) => items[0].json.email)).toEqual(['retried@example.org', 'other@example.org']);
	});

	it('subscribed → unsubscribed → subscribed of one receiver runs three times (a later event makes the earlier one new again); a retry of the last runs nothing', async () => {
		await lifecycle('create');
		const receiver = server().addReceiver(groupId, { email: 'toggling@example.org' });
		const payload = { group_id: Number(groupId), pool_id: Number(receiver.id) };
		const answers = [];
		for (const event of ['receiver.subscribed', 'receiver.unsubscribed', 'receiver.subscribed', 'receiver.subscribed']) {
			const [answer] = await server().fire(event, payload);
			answers.push(JSON.parse(answer.body));
		}
		expect(answers).toEqual([{ received: true }, { received: true }, { received: true }, { received: true, duplicate: true }]);
		expect(n8n.started.map((items) => items[0].json.event)).toEqual(['subscribed', 'unsubscribed', 'subscribed']);
	});

	it('with Fetch Receiver off, the event goes out with ids only and nothing is fetched', async () => {
		parameters = { ...parameters, options: { fetchReceiver: false } };
		await lifecycle('create');
		server().reset();
		await server().fire('receiver.unsubscribed', { group_id: Number(groupId), pool_id: 4711 });
		expect(n8n.started[0][0].json).toMatchObject({ event: 'unsubscribed', email: null });
		expect(server().requests).toHaveLength(0);
	});

	it('a delivery with a wrong or no call token gets 401 and starts nothing', async () => {
		await lifecycle('create');
		const [wrong] = await server().fire('receiver.subscribed', { group_id: Number(groupId), pool_id: 1 }, { callToken: 'f'.repeat(64) });
		expect(wrong.status).toBe(401);
		expect(JSON.parse(wrong.body)).toEqual({ error: 'invalid signature' });
		const unsigned = await fetch(hookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'receiver.subscribed', payload: {} }) });
		expect(unsigned.status).toBe(401);
		expect(n8n.started).toHaveLength(0);
	});

	describe('two workflows on the same event and group (CleverReach deletes hooks by event and group only)', () => {
		let other: Awaited<ReturnType<typeof startN8nWebhooks>>;
		let otherDatabase: IDataObject;
		const otherTrigger = () => triggerWorkflow(parameters, otherDatabase, 'cr-other-hook');
		const otherUrl = () => `${other.baseUrl}/cr-other-hook/webhook`;

		async function otherLifecycle(method: 'checkExists' | 'create' | 'delete') {
			const { result, saved } = await runLifecycle(otherTrigger(), method, creds, other.baseUrl);
			otherDatabase = saved;
			return result;
		}

		beforeEach(async () => {
			otherDatabase = {};
			other = await startN8nWebhooks(otherTrigger, () => creds);
		});

		afterEach(async () => await other.close());

		it('the second activation is refused with what to do, registers nothing, and the first workflow keeps receiving after the second is deactivated', async () => {
			await lifecycle('create');
			const refused = otherLifecycle('create');
			await expect(refused).rejects.toThrow(`Events: CleverReach already sends receiver.subscribed of group ${groupId} to another URL (${hookUrl()})`);
			await expect(refused.catch((error: { description?: string }) => error.description)).resolves.toMatch(/one CleverReach Trigger per event and group/);
			expect(server().state.hooks.map((hook) => hook.url)).toEqual([hookUrl(), hookUrl()]);
			// n8n deactivates the workflow whose activation failed: nothing of the first is deleted.
			await otherLifecycle('delete');
			expect(server().requests.filter((request) => request.method === 'DELETE')).toEqual([]);
			const receiver = server().addReceiver(groupId, { email: 'still.heard@example.org' });
			const answers = await server().fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(receiver.id) });
			expect(answers.map((answer) => answer.status)).toEqual([200]);
			expect(n8n.started.map((items) => items[0].json.email)).toEqual(['still.heard@example.org']);
			expect(other.started).toEqual([]);
			await expect(lifecycle('checkExists')).resolves.toBe(true);
		});

		it('deactivating one of two workflows registered on the same event and group (before this check existed) leaves the other receiving', async () => {
			parameters = { ...parameters, events: ['receiver.subscribed'] };
			await lifecycle('create');
			// The other workflow registered the same event and group at its own URL, as an earlier version let it.
			server().state.hooks.push({ ...server().state.hooks[0], url: otherUrl(), call_token: 'd'.repeat(64) });
			otherDatabase = { ...database, callTokens: { 'receiver.subscribed': 'd'.repeat(64) } };
			server().reset();

			await expect(lifecycle('delete')).resolves.toBe(true);
			// Deleting ours would have deleted theirs (same event and group): ours is left in place.
			expect(server().requests.filter((request) => request.method === 'DELETE')).toEqual([]);
			expect(database.callTokens).toBeUndefined();
			expect(server().state.hooks.map((hook) => hook.url)).toEqual([hookUrl(), otherUrl()]);
			const receiver = server().addReceiver(groupId, { email: 'other.workflow@example.org' });
			await server().fire('receiver.subscribed', { group_id: Number(groupId), pool_id: Number(receiver.id) });
			expect(other.started.map((items) => items[0].json.email)).toEqual(['other.workflow@example.org']);

		});
	});

	it('deactivation deletes its hooks by event and group', async () => {
		await lifecycle('create');
		await expect(lifecycle('delete')).resolves.toBe(true);
		const deletes = server().requests.filter((request) => request.method === 'DELETE');
		expect(deletes.map((request) => [request.path, request.query])).toEqual([
			['/hooks/eventhook/receiver.subscribed', { condition: groupId }],
			['/hooks/eventhook/receiver.unsubscribed', { condition: groupId }],
		]);
		expect(server().state.hooks).toEqual([]);
		expect(database.callTokens).toBeUndefined();
		await expect(lifecycle('checkExists')).resolves.toBe(false);
	});

	it('receiver events without a group are refused before any request, naming the Group field', async () => {
		parameters = { events: ['receiver.subscribed', 'form.created'], groupId: { __rl: true, mode: 'list', value: '' } };
		server().reset();
		await expect(lifecycle('create')).rejects.toThrow(/^Group: choose the group whose receiver events start the workflow/);
		expect(server().requests).toEqual([]);
		expect(server().state.hooks).toEqual([]);
	});

	it('events outside receivers are registered without a group', async () => {
		parameters = { events: ['form.created', 'automation.activated'], groupId: { __rl: true, mode: 'id', value: groupId } };
		await lifecycle('create');
		expect(server().state.hooks.map((hook) => [hook.event, hook.condition])).toEqual([
			['form.created', ''],
			['automation.activated', ''],
		]);
		await server().fire('form.created', { form_id: 77 });
		expect(n8n.started[0][0].json).toMatchObject({ event: 'form.created', email: null, provider: 'cleverReach' });
	});
});
