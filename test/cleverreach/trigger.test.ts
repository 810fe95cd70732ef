/**
 * The CleverReach Trigger in n8n-core's HookContext and WebhookContext, behind a real HTTP server that
 * stands in for n8n's webhook server, against the fake CleverReach: activation registers one hook per
 * event at /hooks/eventhook (outside /v3) and passes CleverReach's GET ?secret= check during create();
 * checkExists confirms our hooks; a delivery with the stored call token starts the workflow with the
 * receiver's email fetched; a wrong call token gets 401 and starts nothing; deactivation deletes our hooks only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData, IWebhookData, IWebhookDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { useFakeCleverReach } from './fake-cleverreach';

const { server, credentials } = useFakeCleverReach();

const NODE_TYPE = `${PACKAGE}.cleverReachTrigger`;

/** The trigger in its workflow, with the static data n8n's database holds for it (a JSON copy, as n8n loads it). */
function triggerWorkflow(parameters: IDataObject, saved: IDataObject, webhookId = 'cr-trigger-hook') {
	const node: INode = {
		id: 'cr-trigger',
		name: 'CleverReach Trigger',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { cleverReachOAuth2Api: { id: 'cr', name: 'CleverReach account' } },
		webhookId,
	};
	const workflow = new Workflow({
		id: 'cr-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: JSON.parse(JSON.stringify({ [`node:${node.name}`]: saved })) as IDataObject,
		settings: { timezone: 'UTC' },
	});
	return { node, workflow, type: nodeTypes.getByNameAndVersion(NODE_TYPE) };
}

type Trigger = ReturnType<typeof triggerWorkflow>;

function webhookDataFor(trigger: Trigger, description: IWebhookDescription): IWebhookData {
	return {
		httpMethod: description.httpMethod,
		node: trigger.node.name,
		path: `${trigger.node.webhookId}/${String(description.path)}`,
		webhookDescription: description,
		workflowId: String(trigger.workflow.id),
		workflowExecuteAdditionalData: additionalData({}),
		webhookId: trigger.node.webhookId,
		isTest: false,
	} as IWebhookData;
}

/** An express-like response: send() of a string is text/html unless a type was set, as in n8n. */
function responseFacade(response: import('node:http').ServerResponse) {
	const facade = {
		status: (code: number) => ((response.statusCode = code), facade),
		setHeader: (name: string, value: string) => (response.setHeader(name, value), facade),
		send: (body: unknown) => {
			if (typeof body !== 'string') return facade.json(body);
			if (!response.hasHeader('content-type')) response.setHeader('Content-Type', 'text/html; charset=utf-8');
			response.end(body);
			return facade;
		},
		json: (body: unknown) => {
			response.setHeader('Content-Type', 'application/json; charset=utf-8');
			response.end(JSON.stringify(body));
			return facade;
		},
		end: (body?: string) => (response.end(body), facade),
	};
	return facade;
}

/** n8n's webhook server for the trigger: loads the workflow per request (static data as saved so far). */
async function startN8nWebhooks(makeTrigger: () => Trigger, creds: () => Record<string, ICredentialDataDecryptedObject>) {
	const started: INodeExecutionData[][] = [];
	const calls: Array<{ method: string; webhookName: string; status: number; startedExecution: boolean }> = [];
	const http = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			void (async () => {
				const trigger = makeTrigger();
				const url = new URL(request.url ?? '/', 'http://127.0.0.1');
				const description = trigger.type.description.webhooks!.find((webhook) => webhook.httpMethod === request.method)!;
				const rawBody = Buffer.concat(chunks);
				const data = additionalData(creds());
				data.httpRequest = {
					method: request.method,
					headers: request.headers,
					query: Object.fromEntries(url.searchParams),
					params: {},
					body: rawBody.length ? JSON.parse(rawBody.toString()) : {},
					rawBody,
					url: request.url,
					originalUrl: request.url,
					path: url.pathname,
				} as never;
				const facade = responseFacade(response);
				data.httpResponse = facade as never;
				const context = new WebhookContext(trigger.workflow, trigger.node, data, 'webhook', webhookDataFor(trigger, description), [], null);
				const result = await trigger.type.webhook!.call(context);
				if (result.workflowData) started.push(result.workflowData[0]);
				calls.push({ method: request.method ?? '', webhookName: description.name, status: 0, startedExecution: !!result.workflowData });
				if (!result.noWebhookResponse) facade.json(result.webhookResponse ?? {});
				calls[calls.length - 1].status = response.statusCode;
			})().catch((error: Error) => {
				response.statusCode = 500;
				response.end(error.message);
			});
		});
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/webhook`,
		started,
		calls,
		close: async () => await new Promise<void>((resolve) => http.close(() => resolve())),
	};
}

describe('CleverReach Trigger', () => {
	let database: IDataObject;
	let parameters: IDataObject;
	let creds: Record<string, ICredentialDataDecryptedObject>;
	let n8n: Awaited<ReturnType<typeof startN8nWebhooks>>;
	let groupId: string;

	const hookUrl = () => `${n8n.baseUrl}/cr-trigger-hook/webhook`;

	/** Runs a lifecycle method as n8n does on (de)activation, then saves the static data it left. */
	async function lifecycle(method: 'checkExists' | 'create' | 'delete') {
		const trigger = triggerWorkflow(parameters, database);
		const data = additionalData(creds);
		data.webhookBaseUrl = n8n.baseUrl;
		const description = trigger.type.description.webhooks!.find((webhook) => webhook.name === 'default')!;
		const context = new HookContext(trigger.workflow, trigger.node, data, 'trigger', 'activate', webhookDataFor(trigger, description));
		const result = await trigger.type.webhookMethods!.default![method]!.call(context);
		database = JSON.parse(JSON.stringify(trigger.workflow.getStaticData('node', trigger.node))) as IDataObject;
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

	it('deactivation deletes our hooks only, not another workflow\'s for the same event', async () => {
		await lifecycle('create');
		// Another workflow listens to the same event of the same group.
		server().state.hooks.push({ event: 'receiver.subscribed', condition: groupId, url: 'https://other.example/webhook/x', verify: 'x'.repeat(20), call_token: 'c'.repeat(64), secret: 's' });
		await expect(lifecycle('delete')).resolves.toBe(true);
		expect(server().state.hooks.map((hook) => hook.url)).toEqual(['https://other.example/webhook/x']);
		const deletes = server().requests.filter((request) => request.method === 'DELETE');
		expect(deletes.map((request) => [request.path, request.query])).toEqual([
			['/hooks/eventhook/receiver.subscribed', { condition: groupId, url: hookUrl() }],
			['/hooks/eventhook/receiver.unsubscribed', { condition: groupId, url: hookUrl() }],
		]);
		expect(database.callTokens).toBeUndefined();
		await expect(lifecycle('checkExists')).resolves.toBe(false);
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
