/**
 * Webhook → Check Trigger Webhooks of the Email Gateway node, through n8n's engine against the fake Email
 * Gateway: the webhooks are registered by the Email Gateway Trigger's own lifecycle (create() in n8n's
 * HookContext), then changed on the fake as a provider-side clean-up would, and the report is read
 * against the fake's state. The deaf-after-restart case: hooks gone while the workflow stays active.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWebhookMethod, triggerWorkflow } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'check-trigger-account-key';
const DOMAIN = '123';
/** A production URL as n8n builds it: <WEBHOOK_URL>/webhook/<node.webhookId>/<path>. */
const URL = 'https://n8n.example.com/webhook/test-webhook-id/webhook';
const EVENTS = ['bounced', 'opened', 'clicked'];
/** The trigger's events as the command API names them (the trigger's own mapping). */
const COMMAND_NAMES: Record<string, string> = { bounced: 'bounce', opened: 'open', clicked: 'click' };

const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY, perTest: true });
const server = fake.server;

const trigger = () => triggerWorkflow({ domainId: DOMAIN, events: EVENTS });
const lifecycle = async (method: 'create' | 'delete', instance: ReturnType<typeof trigger>) =>
	await runWebhookMethod(method, instance, fake.accountCredentials(), URL);

const check = async (parameters: IDataObject = {}, options: Parameters<typeof fake.run>[1] = {}) =>
	await fake.run(
		{
			resource: 'webhook',
			operation: 'checkTrigger',
			triggerUrl: URL,
			domainId: { __rl: true, mode: 'list', value: DOMAIN },
			events: EVENTS,
			...parameters,
		},
		options,
	);

/** Our webhooks on the fake, by the command API's event name. */
const ours = () => (server().state.webhooks as IDataObject[]).filter((webhook) => webhook.domainId === DOMAIN && webhook.url === URL);
const idOf = (event: string) => String(ours().find((webhook) => webhook.event === COMMAND_NAMES[event])?.id);
const removeOnFake = (events: string[]) => {
	const gone = new Set(events.map((event) => COMMAND_NAMES[event]));
	server().state.webhooks = (server().state.webhooks as IDataObject[]).filter((webhook) => !(webhook.url === URL && gone.has(String(webhook.event))));
};
const addOnFake = async (event: string, url: string, domainId = DOMAIN) => {
	const answer = await fake.accountCommand('EmailGateway.AddWebhook', { DomainID: domainId, Event: COMMAND_NAMES[event], WebhookURL: url });
	if (answer.Success !== true) throw new Error(`setup AddWebhook failed: ${JSON.stringify(answer)}`);
};

describe('Email Gateway: Check Trigger Webhooks', () => {
	test('after the trigger registered its webhooks: healthy, each event with the id the provider lists, one GetWebhooks request', async () => {
		await lifecycle('create', trigger());
		expect(ours()).toHaveLength(3);
		server().clearRequests();

		const { items, error } = await check();

		expect(error).toBeUndefined();
		expect(fake.requests().map((request) => [request.path, request.body.Command, request.body.DomainID])).toEqual([['/api.php', 'EmailGateway.GetWebhooks', DOMAIN]]);
		expect(items).toEqual([
			{
				json: {
					healthy: true,
					url: URL,
					target: DOMAIN,
					expected: EVENTS,
					registered: EVENTS.map((event) => ({ event, id: idOf(event) })),
					missing: [],
					inactive: [],
					duplicates: [],
					provider: 'Email Gateway',
					message: `All 3 webhooks registered at Email Gateway for ${URL}: bounced, opened, clicked.`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('webhooks deleted at the provider (the deaf-after-restart case): healthy false with the missing events and what to do; deactivate + activate repairs it', async () => {
		const instance = trigger();
		await lifecycle('create', instance);
		removeOnFake(['bounced', 'opened']);

		const { items, error } = await check();

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			healthy: false,
			missing: ['bounced', 'opened'],
			inactive: [],
			duplicates: [],
			registered: [{ event: 'clicked', id: idOf('clicked') }],
			message: `2 of 3 webhooks missing at Email Gateway for ${URL}: bounced, opened. Deactivate and activate the trigger's workflow to register them again.`,
		});

		// What the health workflow does next: deactivate and activate the trigger's workflow.
		await lifecycle('delete', instance);
		await lifecycle('create', instance);
		expect(ours().map((webhook) => webhook.event).sort()).toEqual(['bounce', 'click', 'open']);
		expect((await check()).items[0].json).toMatchObject({ healthy: true, missing: [] });
	});

	test('a webhook for the event at another URL, or on another domain, does not count', async () => {
		await lifecycle('create', trigger());
		removeOnFake(['bounced']);
		await addOnFake('bounced', 'https://n8n.example.com/webhook/another-trigger/webhook');
		await addOnFake('bounced', URL, '124');

		const { items } = await check();

		expect(items[0].json).toMatchObject({ healthy: false, missing: ['bounced'] });
		expect((items[0].json.registered as IDataObject[]).map((entry) => entry.event)).toEqual(['opened', 'clicked']);
	});

	test('an event registered twice at the URL is reported as a duplicate (its events would arrive twice)', async () => {
		await lifecycle('create', trigger());
		await addOnFake('opened', URL);

		const { items } = await check();

		expect(items[0].json).toMatchObject({
			healthy: false,
			missing: [],
			duplicates: ['opened'],
			message: `Registered more than once at Email Gateway for ${URL}, so their events arrive several times: opened. Deactivate and activate the trigger's workflow to register them again.`,
		});
		expect((items[0].json.registered as IDataObject[]).filter((entry) => entry.event === 'opened')).toHaveLength(2);
	});

	test('checks only the chosen events, as the trigger registers only those', async () => {
		await lifecycle('create', trigger());
		removeOnFake(['clicked']);

		const { items } = await check({ events: ['bounced', 'opened'] });

		expect(items[0].json).toMatchObject({ healthy: true, expected: ['bounced', 'opened'] });
	});

	test('a wrong account API key is the provider error (NodeApiError), not a report', async () => {
		await lifecycle('create', trigger());

		const { items, error } = await check({}, { credentials: fake.credentials({ accountKey: 'not-the-key' }) });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).not.toContain('not-the-key');
		expect(items).toEqual([]);
	});

	test.each([
		['not a URL', 'not a url'],
		['an ftp URL', 'ftp://n8n.example.com/webhook/test-webhook-id/webhook'],
		['empty', '={{ "" }}'],
	])('a Trigger URL that is %s is refused before any request (NodeOperationError)', async (_name, triggerUrl) => {
		const { error } = await check({ triggerUrl });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Trigger URL: .*\(item 1\)$/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(fake.requests()).toEqual([]);
	});

	test("an event the trigger does not offer is refused before any request", async () => {
		const { error } = await check({ events: '={{ ["bounced", "queued"] }}' });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Events: "queued" is not one of the choices (item 1)');
		expect(fake.requests()).toEqual([]);
	});

	test('without Continue On Fail, a bad Trigger URL in any item stops the run before any request', async () => {
		const { error } = await check({ triggerUrl: '={{ $json.url }}' }, { items: [{ json: { url: URL } }, { json: { url: 'nope' } }] });

		expect(error?.message).toBe('Trigger URL: "nope" is not a valid http(s) URL (item 2)');
		expect(fake.requests()).toEqual([]);
	});

	test('several items: one report each, paired with its item; with Continue On Fail a bad URL is that item\'s error only', async () => {
		await lifecycle('create', trigger());
		const { items, error } = await check(
			{ triggerUrl: '={{ $json.url }}' },
			{ items: [{ json: { url: URL } }, { json: { url: 'nope' } }, { json: { url: 'https://n8n.example.com/webhook/other/webhook' } }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.healthy ?? item.json.error])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, 'Trigger URL: "nope" is not a valid http(s) URL (item 2)'],
			[{ item: 2 }, false],
		]);
		expect(items[2].json.missing).toEqual(EVENTS);
	});
});
