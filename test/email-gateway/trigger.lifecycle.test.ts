/**
 * Email Gateway Trigger lifecycle (checkExists / create / delete) run in n8n-core's own HookContext
 * against the fake Email Gateway server. Everything is checked on the fake's state, not on what the
 * node says it did.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { runWebhookMethod, triggerWorkflow } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'lifecycle-account-key';
const DOMAIN = '123';
const PARAMETERS = { domainId: DOMAIN, events: ['bounced', 'opened'] };

interface Received {
	path: string;
	headers: http.IncomingHttpHeaders;
	raw: string;
}

/** A local HTTP receiver standing in for n8n's webhook endpoint: records what the fake posts to it. */
async function startReceiver() {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"received":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		origin: `http://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('Email Gateway Trigger lifecycle (fake server, n8n HookContext)', () => {
	const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY, perTest: true });
	const { server } = fake;
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	let webhookUrl: string;

	/** Calls a command on the fake directly, as a human in the provider's UI would change things. */
	const providerCommand = (command: string, params: Record<string, string> = {}) =>
		fake.accountCommand(command, { ResponseFormat: 'JSON', ...params });

	beforeAll(async () => {
		receiver = await startReceiver();
	});

	afterAll(async () => {
		await receiver.close();
	});

	beforeEach(() => {
		// n8n builds production webhook URLs as <webhookBaseUrl>/<node.webhookId>/<path>.
		webhookUrl = `${receiver.origin}/webhook/test-webhook-id/webhook`;
		receiver.received.length = 0;
	});

	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const webhooksOnFake = (domainId = DOMAIN): Array<{ id: string; domainId: string; event: string; url: string }> =>
		server().state.webhooks.filter((webhook: { domainId: string }) => webhook.domainId === domainId);
	const commandsSent = (): Array<string | undefined> => server().requests.map((request: { command?: string }) => request.command);

	const run = (method: 'checkExists' | 'create' | 'delete', trigger: ReturnType<typeof triggerWorkflow>) =>
		runWebhookMethod(method, trigger, fake.accountCredentials(), webhookUrl);

	const staticDataOf = (trigger: ReturnType<typeof triggerWorkflow>) =>
		trigger.workflow.staticData[`node:${trigger.node.name}`] as Record<string, unknown>;

	test('the fake calls exactly the URL the node registered, and that is the URL the harness gave', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const urls = webhooksOnFake().map((webhook) => webhook.url);
		expect(urls).toEqual([webhookUrl, webhookUrl]);

		const results = await server().fire(DOMAIN, 'bounce', { email: 'lifecycle@example.com' });
		expect(results).toHaveLength(1);
		expect(results[0].status).toBe(200);
		expect(receiver.received).toHaveLength(1);
		expect(`${receiver.origin}${receiver.received[0].path}`).toBe(webhookUrl);
		expect(JSON.parse(receiver.received[0].raw).Recipient).toBe('lifecycle@example.com');
	});

	test('the harness refuses a webhook URL n8n could not have produced for this node', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await expect(runWebhookMethod('checkExists', trigger, fake.accountCredentials(), `${receiver.origin}/somewhere/else`)).rejects.toThrow(
			/webhook/i,
		);
	});

	test('checkExists is false before create; create registers one webhook per event and stores ids and key', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		expect(await run('checkExists', trigger)).toBe(false);
		expect(webhooksOnFake()).toHaveLength(0);

		expect(await run('create', trigger)).toBe(true);
		const onFake = webhooksOnFake();
		expect(onFake.map((webhook) => webhook.event).sort()).toEqual(['bounce', 'open']);
		expect(onFake.every((webhook) => webhook.url === webhookUrl)).toBe(true);
		expect(commandsSent().filter((command) => command === 'EmailGateway.AddWebhook')).toHaveLength(2);

		const stored = staticDataOf(trigger);
		const storedIds = Object.values(stored.webhooks as Record<string, string>).sort();
		expect(storedIds).toEqual(onFake.map((webhook) => webhook.id).sort());
		expect(stored.signingKey).toBe(server().signingKeyFor(DOMAIN));
		expect(stored.domainId).toBe(DOMAIN);

		expect(await run('checkExists', trigger)).toBe(true);
	});

	test('checkExists is false when a stored webhook was deleted on the provider side', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const [first] = webhooksOnFake();
		const answer = await providerCommand('EmailGateway.DeleteWebhook', { DomainID: DOMAIN, WebhookID: first.id });
		expect(answer.Success).toBe(true);
		expect(webhooksOnFake()).toHaveLength(1);

		expect(await run('checkExists', trigger)).toBe(false);
	});

	test('checkExists is false when a stored webhook now points at another URL', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const [first] = webhooksOnFake();
		first.url = 'https://elsewhere.example.com/hook';

		expect(await run('checkExists', trigger)).toBe(false);
	});

	test('create again leaves no duplicates: stale webhooks with our URL are removed first', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const firstIds = webhooksOnFake().map((webhook) => webhook.id);
		// A webhook of someone else on the same domain must survive.
		const foreign = await providerCommand('EmailGateway.AddWebhook', {
			DomainID: DOMAIN,
			Event: 'bounce',
			WebhookURL: 'https://other-system.example.com/hook',
		});
		expect(foreign.Success).toBe(true);

		// A fresh activation that lost its static data (e.g. re-imported workflow).
		const again = triggerWorkflow(PARAMETERS);
		expect(await run('checkExists', again)).toBe(false);
		expect(await run('create', again)).toBe(true);

		const ours = webhooksOnFake().filter((webhook) => webhook.url === webhookUrl);
		expect(ours.map((webhook) => webhook.event).sort()).toEqual(['bounce', 'open']);
		expect(ours.some((webhook) => firstIds.includes(webhook.id))).toBe(false);
		expect(webhooksOnFake().filter((webhook) => webhook.url === 'https://other-system.example.com/hook')).toHaveLength(1);

		// One event now reaches us exactly once.
		receiver.received.length = 0;
		await server().fire(DOMAIN, 'open');
		expect(receiver.received).toHaveLength(1);
	});

	test('a domain changed while inactive: create removes our webhooks from the old domain first', async () => {
		const trigger = triggerWorkflow({ ...PARAMETERS });
		expect(await run('checkExists', trigger)).toBe(false);
		expect(await run('create', trigger)).toBe(true);
		const onOld = webhooksOnFake();
		expect(onOld).toHaveLength(2);
		// Someone else's webhook on the old domain stays.
		const foreign = await providerCommand('EmailGateway.AddWebhook', {
			DomainID: DOMAIN,
			Event: 'bounce',
			WebhookURL: 'https://other-system.example.com/hook',
		});
		expect(foreign.Success).toBe(true);

		// The user picks domain 124 (no deactivation in between, so delete() never ran), then n8n activates.
		trigger.node.parameters.domainId = '124';
		expect(await run('checkExists', trigger)).toBe(false);
		expect(await run('create', trigger)).toBe(true);

		expect(webhooksOnFake().filter((webhook) => webhook.url === webhookUrl)).toEqual([]);
		expect(webhooksOnFake().map((webhook) => webhook.url)).toEqual(['https://other-system.example.com/hook']);
		const onNew = webhooksOnFake('124');
		expect(onNew.map((webhook) => webhook.event).sort()).toEqual(['bounce', 'open']);
		expect(onNew.every((webhook) => webhook.url === webhookUrl)).toBe(true);
		const stored = staticDataOf(trigger);
		expect(stored.domainId).toBe('124');
		expect(Object.values(stored.webhooks as Record<string, string>).sort()).toEqual(onNew.map((webhook) => webhook.id).sort());
		expect(stored.signingKey).toBe(server().signingKeyFor('124'));

		// Events of the old domain no longer reach this workflow; those of the new one do.
		receiver.received.length = 0;
		expect(await server().fire(DOMAIN, 'open')).toHaveLength(0);
		expect(await server().fire('124', 'open')).toHaveLength(1);
	});

	test('the old domain already deleted its webhooks (or the domain): create still succeeds', async () => {
		const trigger = triggerWorkflow({ ...PARAMETERS });
		await run('create', trigger);
		for (const webhook of webhooksOnFake()) {
			await providerCommand('EmailGateway.DeleteWebhook', { DomainID: DOMAIN, WebhookID: webhook.id });
		}
		trigger.node.parameters.domainId = '124';
		expect(await run('create', trigger)).toBe(true);
		expect(webhooksOnFake('124')).toHaveLength(2);
	});

	test('a new webhook URL (WEBHOOK_URL changed): create removes the webhooks registered with the old one', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const oldUrl = webhookUrl;
		const newUrl = `${receiver.origin}/behind-proxy/webhook/test-webhook-id/webhook`;
		expect(await runWebhookMethod('checkExists', trigger, fake.accountCredentials(), newUrl)).toBe(false);
		expect(await runWebhookMethod('create', trigger, fake.accountCredentials(), newUrl)).toBe(true);
		expect(webhooksOnFake().filter((webhook) => webhook.url === oldUrl)).toEqual([]);
		expect(webhooksOnFake().filter((webhook) => webhook.url === newUrl)).toHaveLength(2);
	});

	test('delete removes the webhooks on the provider and clears static data', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		expect(webhooksOnFake()).toHaveLength(2);

		expect(await run('delete', trigger)).toBe(true);
		expect(webhooksOnFake()).toHaveLength(0);
		const stored = staticDataOf(trigger);
		expect(stored.webhooks).toBeUndefined();
		expect(stored.signingKey).toBeUndefined();
		expect(stored.domainId).toBeUndefined();
		expect(await run('checkExists', trigger)).toBe(false);
	});

	test('delete succeeds when the provider already lost the webhooks (error code 4)', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		for (const webhook of webhooksOnFake()) {
			await providerCommand('EmailGateway.DeleteWebhook', { DomainID: DOMAIN, WebhookID: webhook.id });
		}
		expect(webhooksOnFake()).toHaveLength(0);
		server().clearRequests();

		expect(await run('delete', trigger)).toBe(true);
		// It did ask, and the provider did answer "not found" (code 4) for each.
		const deletes = server().requests.filter((request: { command?: string }) => request.command === 'EmailGateway.DeleteWebhook');
		expect(deletes).toHaveLength(2);
		expect(staticDataOf(trigger).webhooks).toBeUndefined();
	});

	test('delete still fails loudly on a real error (wrong API key), keeping static data', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		await run('create', trigger);
		const wrong = fake.accountCredentials('not-the-key');
		await expect(runWebhookMethod('delete', trigger, wrong, webhookUrl)).rejects.toThrow();
		expect(webhooksOnFake()).toHaveLength(2);
		expect(staticDataOf(trigger).webhooks).toBeDefined();
	});

	test('a failure in the middle of create rolls back the webhook already added', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		// failNext only filters by path (/api.php for every command), so arm the fault at the moment the
		// second AddWebhook reaches the fake: the fake records each request before it looks for a fault.
		const requests = server().requests as Array<{ command?: string }>;
		const originalPush = requests.push;
		let adds = 0;
		requests.push = function (...entries: Array<{ command?: string }>) {
			for (const entry of entries) {
				if (entry.command === 'EmailGateway.AddWebhook' && ++adds === 2) {
					server().failNext({ path: '/api.php', status: 500, body: { Success: false, ErrorCode: 99, ErrorMessage: 'Injected' } });
				}
			}
			return originalPush.apply(this, entries);
		};

		await expect(run('create', trigger)).rejects.toThrow(/Injected|refused/);
		requests.push = originalPush;

		expect(adds).toBe(2);
		// The first webhook was added, then removed again: nothing of ours is left on the provider.
		expect(commandsSent()).toContain('EmailGateway.DeleteWebhook');
		expect(webhooksOnFake()).toHaveLength(0);
		expect(staticDataOf(trigger).webhooks).toBeUndefined();
		expect(await run('checkExists', trigger)).toBe(false);
	});
});

describe('Email Gateway Trigger on a local n8n (Email Gateway refuses local webhook URLs)', () => {
	const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY, perTest: true, forbidLocalWebhookUrls: true });

	test('activation fails with what to do, and leaves no webhook behind', async () => {
		const trigger = triggerWorkflow(PARAMETERS);
		const localUrl = 'http://localhost:5678/webhook/test-webhook-id/webhook';
		const activation = runWebhookMethod('create', trigger, fake.accountCredentials(), localUrl);
		await expect(activation).rejects.toThrow(`Email Gateway cannot call this n8n: ${localUrl} is a local address`);
		await expect(runWebhookMethod('create', trigger, fake.accountCredentials(), localUrl)).rejects.toMatchObject({
			description: expect.stringContaining('WEBHOOK_URL'),
		});
		const addWebhook = fake.requests().filter((request) => request.command === 'EmailGateway.AddWebhook');
		expect(addWebhook.length).toBeGreaterThan(0);
		expect(fake.server().state.webhooks.filter((webhook: { url: string }) => webhook.url === localUrl)).toEqual([]);
		expect((trigger.workflow.staticData[`node:${trigger.node.name}`] as Record<string, unknown>).webhooks).toBeUndefined();
	});
});
