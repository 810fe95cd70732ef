/**
 * Event Hook → Check Trigger Webhooks of the CleverReach node, through n8n's engine against the fake
 * CleverReach: the hooks are registered by the CleverReach Trigger's own create() in n8n's HookContext
 * (CleverReach's GET ?secret= check answered by the trigger's webhook() behind a real HTTP server), then
 * changed on the fake as a provider-side clean-up would, and the report is read against the fake's state.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { byId, useFakeCleverReach } from './fake-cleverreach';
import { runLifecycle, startN8nWebhooks, triggerWorkflow } from './trigger-harness';

const { server, credentials, run, apiRequests } = useFakeCleverReach();

const WEBHOOK_ID = 'cr-check-hook';
const EVENTS = ['receiver.subscribed', 'receiver.unsubscribed', 'group.deleted'];

describe('CleverReach: Check Trigger Webhooks', () => {
	let database: IDataObject;
	let parameters: IDataObject;
	let n8n: Awaited<ReturnType<typeof startN8nWebhooks>>;
	let groupId: string;
	const hookUrl = () => `${n8n.baseUrl}/${WEBHOOK_ID}/webhook`;

	/** Runs a lifecycle method as n8n does on (de)activation, then saves the static data it left. */
	async function lifecycle(method: 'create' | 'delete') {
		const { result, saved } = await runLifecycle(triggerWorkflow(parameters, database, WEBHOOK_ID), method, credentials(), n8n.baseUrl);
		database = saved;
		return result;
	}

	const check = async (overrides: IDataObject = {}, extra: Parameters<typeof run>[2] = {}) =>
		await run({ resource: 'eventHook', operation: 'checkTrigger', triggerUrl: hookUrl(), groupId: byId(groupId), events: EVENTS, ...overrides }, undefined, extra);

	const hookId = (event: string, condition: string) => `${event}@${condition}`;

	beforeEach(async () => {
		database = {};
		server().state.hooks.length = 0;
		groupId = server().addGroup('Check group').id;
		parameters = { events: EVENTS, groupId: { __rl: true, mode: 'id', value: groupId } };
		n8n = await startN8nWebhooks(() => triggerWorkflow(parameters, database, WEBHOOK_ID), () => credentials());
	});

	afterEach(async () => await n8n.close());

	it('after the trigger registered its hooks: healthy, one GET /hooks/eventhook', async () => {
		await expect(lifecycle('create')).resolves.toBe(true);
		expect(server().state.hooks.map((hook) => [hook.event, hook.condition])).toEqual([
			['receiver.subscribed', groupId],
			['receiver.unsubscribed', groupId],
			['group.deleted', ''],
		]);
		server().reset();

		const { items, error } = await check();

		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual(['GET /hooks/eventhook']);
		expect(items).toEqual([
			{
				json: {
					healthy: true,
					url: hookUrl(),
					target: groupId,
					expected: EVENTS,
					registered: [
						{ event: 'receiver.subscribed', id: hookId('receiver.subscribed', groupId) },
						{ event: 'receiver.unsubscribed', id: hookId('receiver.unsubscribed', groupId) },
						{ event: 'group.deleted', id: hookId('group.deleted', '') },
					],
					missing: [],
					inactive: [],
					duplicates: [],
					provider: 'CleverReach',
					message: `All 3 webhooks registered at CleverReach for ${hookUrl()}: receiver.subscribed, receiver.unsubscribed, group.deleted.`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('hooks deleted at CleverReach: healthy false with the missing events; deactivate + activate repairs it', async () => {
		await lifecycle('create');
		server().state.hooks = server().state.hooks.filter((hook) => hook.event !== 'receiver.unsubscribed');

		const { items } = await check();

		expect(items[0].json).toMatchObject({
			healthy: false,
			missing: ['receiver.unsubscribed'],
			message: `1 of 3 webhooks missing at CleverReach for ${hookUrl()}: receiver.unsubscribed. Deactivate and activate the trigger's workflow to register them again.`,
		});

		await lifecycle('delete');
		await lifecycle('create');
		expect((await check()).items[0].json).toMatchObject({ healthy: true, missing: [] });
	});

	it('a hook at another URL, or for another group, does not count', async () => {
		await lifecycle('create');
		const other = server().addGroup('Other group').id;
		const subscribed = server().state.hooks.find((hook) => hook.event === 'receiver.subscribed');
		// Ours now listens to another group; another workflow's hook listens to ours.
		subscribed.condition = other;
		server().state.hooks.push({ ...subscribed, condition: groupId, url: 'https://n8n.example.com/webhook/another/webhook' });

		const { items } = await check();

		expect(items[0].json).toMatchObject({ healthy: false, missing: ['receiver.subscribed'] });
		// Checked for the other group, the moved hook is there (and the rest is not).
		expect((await check({ groupId: byId(other) })).items[0].json).toMatchObject({ missing: ['receiver.unsubscribed'], registered: [expect.objectContaining({ event: 'receiver.subscribed' }), expect.objectContaining({ event: 'group.deleted' })] });
	});

	it('a trigger without a group (account-wide events only): checked with Group left empty', async () => {
		parameters = { events: ['form.created'], groupId: { __rl: true, mode: 'list', value: '' } };
		await lifecycle('create');
		expect(server().state.hooks.map((hook) => [hook.event, hook.condition])).toEqual([['form.created', '']]);

		const { items } = await check({ groupId: { __rl: true, mode: 'list', value: '' }, events: ['form.created'] });

		expect(items[0].json).toMatchObject({ healthy: true, target: null, registered: [{ event: 'form.created', id: 'form.created@' }] });
		// A receiver hook of every group (CleverReach refuses new ones) is not the one a trigger registers for a group.
		server().state.hooks.push({ ...server().state.hooks[0], event: 'receiver.subscribed', condition: '' });
		expect((await check({ events: ['receiver.subscribed'] })).items[0].json).toMatchObject({ healthy: false, missing: ['receiver.subscribed'] });
	});

	it('a credential CleverReach no longer accepts fails the check (as any CleverReach operation), it is not a report', async () => {
		await lifecycle('create');
		const revoked = credentials({ oauthTokenData: { access_token: 'revoked-token', refresh_token: 'revoked-refresh', token_type: 'Bearer' } });

		const { items, error } = await check({}, { credentials: revoked });

		// The package's answer to a token it cannot renew: reconnect the credential (shared/http/renewal.ts).
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^CleverReach: could not renew the OAuth2 token of the credential "cleverReachOAuth2Api".*reconnect/);
		expect(JSON.stringify(error)).not.toContain('revoked-token');
		expect(items).toEqual([]);
	});

	it('CleverReach refusing the list is the provider error (NodeApiError)', async () => {
		// A REST server that refuses every call, as CleverReach does for an app without the hooks permission.
		const refusing = createServer((_request, response) => {
			response.writeHead(403, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ error: { code: 403, message: 'Forbidden: no access to hooks' } }));
		});
		await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
		try {
			const restUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
			const { items, error } = await check({}, { credentials: credentials({ restUrl }) });

			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toContain('Forbidden: no access to hooks');
			expect(items).toEqual([]);
		} finally {
			await new Promise<void>((resolve) => refusing.close(() => resolve()));
		}
	});

	it('a Trigger URL that is not http(s) is refused before any request (NodeOperationError)', async () => {
		server().reset();
		const { error } = await check({ triggerUrl: 'cr-check-hook/webhook' });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Trigger URL: "cr-check-hook/webhook" is not a valid http(s) URL (item 1)');
		expect(apiRequests()).toEqual([]);
	});
});
