/**
 * Webhook → Check Trigger Webhooks of the Especial node, through n8n's engine against the fake Especial
 * server: the webhooks are registered by the Especial Trigger's own create() in n8n's HookContext, then
 * archived or removed on the fake as a provider-side clean-up would, and the report is read against the
 * fake's state. Especial webhooks belong to the account: the check has no target field.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode, runWebhookMethod, triggerWorkflow } from '../harness/engine';
import { useEspecialFake } from './fake';

const { fake, credentials, apiRequests } = useEspecialFake();

const URL = 'https://n8n.example.com/webhook/test-webhook-id/webhook';
const EVENTS = ['Email.Bounced', 'Email.ReportedAsSpam', 'Contact.Added'];

const trigger = (events = EVENTS) => triggerWorkflow({ events }, {}, 'especialTrigger');
const hooks = () => [...fake().collection('/webhooks').values()];
const ours = () => hooks().filter((hook) => hook.url === URL && hook.status === 'active');
const idOf = (event: string) => String(ours().find((hook) => hook.event === event)?.id);

const check = async (parameters: IDataObject = {}, options: { credentials?: ReturnType<typeof credentials>; continueOnFail?: boolean } = {}) =>
	await runNode({
		nodeType: 'especial',
		parameters: { resource: 'webhook', operation: 'checkTrigger', triggerUrl: URL, events: EVENTS, ...parameters },
		credentials: options.credentials ?? credentials(),
		continueOnFail: options.continueOnFail,
	});

describe('Especial: Check Trigger Webhooks', () => {
	beforeEach(() => fake().collection('/webhooks').clear());

	it('after the trigger registered its webhooks: healthy, one GET /webhooks', async () => {
		await runWebhookMethod('create', trigger(), credentials(), URL);
		expect(ours()).toHaveLength(3);
		fake().reset();

		const { items, error } = await check();

		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => `${request.method} ${request.route}`)).toEqual(['GET GET /webhooks']);
		expect(items).toEqual([
			{
				json: {
					healthy: true,
					url: URL,
					target: null,
					expected: EVENTS,
					registered: EVENTS.map((event) => ({ event, id: idOf(event) })),
					missing: [],
					inactive: [],
					duplicates: [],
					provider: 'Especial',
					message: `All 3 webhooks registered at Especial for ${URL}: Email.Bounced, Email.ReportedAsSpam, Contact.Added.`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a webhook archived at Especial (no longer called) counts as missing; deactivate + activate repairs it', async () => {
		const instance = trigger();
		await runWebhookMethod('create', instance, credentials(), URL);
		const archived = ours().find((hook) => hook.event === 'Email.ReportedAsSpam') as IDataObject;
		archived.status = 'archived';

		const { items, error } = await check();

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			healthy: false,
			missing: ['Email.ReportedAsSpam'],
			registered: [
				{ event: 'Email.Bounced', id: idOf('Email.Bounced') },
				{ event: 'Contact.Added', id: idOf('Contact.Added') },
			],
			message: `1 of 3 webhooks missing at Especial for ${URL}: Email.ReportedAsSpam. Deactivate and activate the trigger's workflow to register them again.`,
		});

		await runWebhookMethod('delete', instance, credentials(), URL);
		await runWebhookMethod('create', instance, credentials(), URL);
		expect(ours().map((hook) => hook.event).sort()).toEqual([...EVENTS].sort());
		expect((await check()).items[0].json).toMatchObject({ healthy: true, missing: [] });
	});

	it('every webhook deleted at Especial (the deaf-after-restart case): all missing', async () => {
		await runWebhookMethod('create', trigger(), credentials(), URL);
		fake().collection('/webhooks').clear();

		const { items } = await check();

		expect(items[0].json).toMatchObject({ healthy: false, missing: EVENTS, registered: [] });
		expect(items[0].json.message).toBe(
			`3 of 3 webhooks missing at Especial for ${URL}: Email.Bounced, Email.ReportedAsSpam, Contact.Added. Deactivate and activate the trigger's workflow to register them again.`,
		);
	});

	it('a webhook for the event at another URL does not count', async () => {
		await runWebhookMethod('create', trigger(['Email.Bounced']), credentials(), URL);
		const own = ours()[0];
		own.url = 'https://n8n.example.com/webhook/another-trigger/webhook';

		const { items } = await check({ events: ['Email.Bounced'] });

		expect(items[0].json).toMatchObject({ healthy: false, missing: ['Email.Bounced'], registered: [] });
	});

	it('a wrong password fails the check with the login\'s message (as any Especial operation), it is not a report', async () => {
		await runWebhookMethod('create', trigger(), credentials(), URL);
		fake().reset();

		const { items, error } = await check({}, { credentials: credentials({ password: 'not-the-password' }) });

		expect(error?.message).toContain('Especial refused the login: wrong username or password');
		expect(JSON.stringify(error)).not.toContain('not-the-password');
		expect(apiRequests()).toEqual([]);
		expect(items).toEqual([]);
	});

	it('Especial refusing the list is the provider error (NodeApiError)', async () => {
		fake().failNext({ status: 403, path: '/webhooks', method: 'GET', body: { detail: [{ code: 1010, msg: 'Not enough permissions', type: 'forbidden' }] } });

		const { items, error } = await check();

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Not enough permissions');
		expect(items).toEqual([]);
	});

	it('a Trigger URL that is not http(s) is refused before any request (NodeOperationError)', async () => {
		fake().reset();
		const { error } = await check({ triggerUrl: 'mailto:ops@example.com' });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Trigger URL: "mailto:ops@example.com" is not a valid http\(s\) URL\b.* \(item 1\)$/);
		expect(fake().requests).toEqual([]);
	});
});
