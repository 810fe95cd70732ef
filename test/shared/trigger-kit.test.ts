/**
 * The shared trigger kit (nodes/shared/trigger) on its own, with a test-only trigger node run in n8n-core's
 * HookContext and WebhookContext. Its provider archives hooks (no delete, as Especial's API) and answers
 * "not found" with its own code, so the kit is shown to serve a provider unlike Email Gateway unchanged.
 */
import { createHmac } from 'node:crypto';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, IExecuteFunctions, IHookFunctions, INode, INodeType, INodeTypes, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { additionalData, webhookData } from '../harness/engine';
import { processedDataStore } from '../harness/trigger-runners';
import type { FakeResponse } from '../harness/engine';
import { emailEvent } from '../../nodes/shared/trigger/events';
import { safeEqual } from '../../nodes/shared/trigger/signature';
import {
	checkRepeats,
	combinedMemory,
	DELIVERY_MEMORY_FIELD,
	receiveDelivery,
	REFUSAL,
	rememberInExecution,
	StaticDataMemory,
	webhookLifecycle,
} from '../../nodes/shared/trigger';
import type { DeliveryHandling, WebhookRegistration } from '../../nodes/shared/trigger';

/** The provider side: hooks per list, archived rather than deleted; its "not found" is code E404. */
class ArchivingProvider {
	hooks: Array<{ id: string; list: string; event: string; url: string; active: boolean }> = [];
	calls: string[] = [];
	failAddNumber?: number;
	failArchiveWith?: Error;
	private adds = 0;
	private nextId = 1;

	add(list: string, event: string, url: string): string {
		this.calls.push(`add ${list} ${event}`);
		if (++this.adds === this.failAddNumber) throw new Error('add refused by the provider');
		const id = `hook-${this.nextId++}`;
		this.hooks.push({ id, list, event, url, active: true });
		return id;
	}

	archive(list: string, id: string) {
		this.calls.push(`archive ${list} ${id}`);
		if (this.failArchiveWith) throw this.failArchiveWith;
		const hook = this.hooks.find((candidate) => candidate.id === id && candidate.list === list);
		if (!hook || !hook.active) throw Object.assign(new Error('no such hook'), { code: 'E404' });
		hook.active = false;
	}

	active(list?: string) {
		return this.hooks.filter((hook) => hook.active && (list === undefined || hook.list === list));
	}
}

let provider = new ArchivingProvider();
const SECRET = 'kit-secret';

const registration: WebhookRegistration = {
	targetField: 'listId',
	extraFields: ['secret'],
	target: (context) => String(context.getNodeParameter('listId')),
	wanted: (context) => context.getNodeParameter('events', []) as string[],
	list: async (_context, list) => ({
		webhooks: provider.hooks.filter((hook) => hook.list === list).map(({ id, url, active }) => ({ id, url, active })),
	}),
	add: async (_context, list, event, url) => provider.add(list, event, url),
	remove: async (_context, list, id) => provider.archive(list, id),
	isGone: (error) => (error as { code?: string }).code === 'E404',
	afterCreate: async () => ({ secret: SECRET }),
};

const handling: DeliveryHandling = {
	provider: 'Kit Test',
	offeredEvents: ['opened', 'clicked'],
	async verify(_context, delivery, memory) {
		const signature = delivery.headers['x-signature'];
		const expected = createHmac('sha256', SECRET).update(delivery.rawBody).digest('base64');
		if (typeof signature !== 'string') return { accepted: false, refusal: REFUSAL.unsigned };
		if (!safeEqual(expected, signature)) return { accepted: false, refusal: REFUSAL.invalidSignature, detail: `secret of ${delivery.receiver} did not match` };
		const keys = {
			whole: [`${delivery.receiver}\u0000sig\u0000${expected}`],
			eventIds: delivery.records.map((record) => (record.id === undefined ? undefined : String(record.id))),
			eventKey: (id: string) => `${delivery.receiver}\u0000id\u0000${id}`,
		};
		return { accepted: true, ...checkRepeats(memory, keys, 3600, delivery.now) };
	},
	eventIdOf: (record) => (record.id === undefined ? undefined : String(record.id)),
	toEvent: (record) => emailEvent({ event: record.type, email: record.email, messageId: null, timestamp: null, provider: 'kitTest', raw: record }),
};

class KitTestTrigger implements INodeType {
	description = {
		displayName: 'Kit Test Trigger',
		name: 'kitTestTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test-only trigger on the shared kit',
		defaults: { name: 'Kit Test Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{ displayName: 'List', name: 'listId', type: 'string', default: '' },
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Opened', value: 'opened' },
					{ name: 'Clicked', value: 'clicked' },
				],
				default: [],
			},
		],
	} as INodeType['description'];

	webhookMethods = { default: webhookLifecycle(registration) };

	async webhook(this: IWebhookFunctions) {
		return await receiveDelivery(this, handling);
	}
}

const kitNodeType = new KitTestTrigger();
const kitNodeTypes: INodeTypes = {
	getByName: () => kitNodeType,
	getByNameAndVersion: () => kitNodeType,
	getKnownTypes: () => ({}),
};

const BASE = 'https://n8n.example.com/webhook';
const WEBHOOK_ID = 'kit-webhook-id';
const urlOf = (base = BASE) => `${base}/${WEBHOOK_ID}/webhook`;

function kitTrigger(parameters: IDataObject, staticData: IDataObject = {}) {
	const node: INode = {
		id: 'kit',
		name: 'Kit Test Trigger',
		type: 'test.kitTestTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		webhookId: WEBHOOK_ID,
	};
	const workflow = new Workflow({
		id: 'kit-workflow',
		nodes: [node],
		connections: {},
		nodeTypes: kitNodeTypes,
		active: true,
		staticData: { [`node:${node.name}`]: staticData },
		settings: {},
	});
	return { node, workflow, state: () => workflow.staticData[`node:${node.name}`] as IDataObject };
}

async function run(method: 'checkExists' | 'create' | 'delete', trigger: ReturnType<typeof kitTrigger>, base = BASE) {
	const data = additionalData({});
	data.webhookBaseUrl = base;
	const context = new HookContext(trigger.workflow, trigger.node, data, 'trigger', 'activate', webhookData(trigger.node, trigger.workflow, urlOf(base)));
	return await kitNodeType.webhookMethods.default[method].call(context as IHookFunctions);
}

async function deliver(trigger: ReturnType<typeof kitTrigger>, body: unknown, signature?: string) {
	const rawBody = JSON.stringify(body);
	const response = { statusCode: 200, body: undefined as unknown } as FakeResponse;
	const headers: Record<string, string> = {};
	Object.assign(response, {
		headers,
		status: (code: number) => ((response.statusCode = code), response),
		setHeader: (name: string, value: string) => ((headers[name.toLowerCase()] = value), response),
		json: (value: unknown) => ((response.body = value), response),
	});
	const path = `/webhook/${WEBHOOK_ID}/webhook`;
	const data = additionalData({});
	data.httpRequest = {
		headers: signature === undefined ? {} : { 'x-signature': signature },
		body: JSON.parse(rawBody),
		rawBody: Buffer.from(rawBody),
		query: {},
		params: {},
		method: 'POST',
		url: path,
		originalUrl: path,
		path,
	} as never;
	data.httpResponse = response as never;
	const context = new WebhookContext(trigger.workflow, trigger.node, data, 'webhook', webhookData(trigger.node, trigger.workflow, urlOf()), [], null);
	return { result: await kitNodeType.webhook.call(context), response };
}

const signed = (body: unknown) => createHmac('sha256', SECRET).update(JSON.stringify(body)).digest('base64');

describe('shared trigger kit: webhook lifecycle (a provider that archives instead of deleting)', () => {
	beforeEach(() => {
		provider = new ArchivingProvider();
	});
	const PARAMETERS = { listId: 'list-1', events: ['opened', 'clicked'] };

	test('create registers one hook per event and stores ids, target and extra state; checkExists confirms id and URL', async () => {
		const trigger = kitTrigger(PARAMETERS);
		expect(await run('checkExists', trigger)).toBe(false);
		expect(await run('create', trigger)).toBe(true);
		expect(provider.active('list-1').map((hook) => [hook.event, hook.url])).toEqual([
			['opened', urlOf()],
			['clicked', urlOf()],
		]);
		const ids = Object.fromEntries(provider.hooks.map((hook) => [hook.event, hook.id]));
		expect(trigger.state()).toEqual({ listId: 'list-1', webhooks: ids, secret: SECRET });
		expect(await run('checkExists', trigger)).toBe(true);
	});

	test('checkExists is false once a stored hook is archived at the provider, or calls another URL', async () => {
		const trigger = kitTrigger(PARAMETERS);
		await run('create', trigger);
		provider.hooks[0].url = 'https://elsewhere.example.com/hook';
		expect(await run('checkExists', trigger)).toBe(false);
		provider.hooks[0].url = urlOf();
		expect(await run('checkExists', trigger)).toBe(true);
		provider.hooks[1].active = false;
		expect(await run('checkExists', trigger)).toBe(false);
	});

	test('create archives stale hooks of this node (lost static data, old list, old URL) and nothing else', async () => {
		const foreign = provider.add('list-1', 'opened', 'https://other-system.example.com/hook');
		const lost = kitTrigger(PARAMETERS);
		await run('create', lost);
		// The same node activated again without its static data (a re-imported workflow).
		const again = kitTrigger(PARAMETERS);
		await run('create', again);
		expect(provider.active('list-1').filter((hook) => hook.url === urlOf())).toHaveLength(2);
		expect(provider.active('list-1').map((hook) => hook.id)).toContain(foreign);

		// The list changed and n8n's URL moved while inactive: the hooks on the old list and URL go.
		again.node.parameters.listId = 'list-2';
		const moved = 'https://moved.example.com/webhook';
		expect(await run('checkExists', again, moved)).toBe(false);
		await run('create', again, moved);
		expect(provider.active('list-1').map((hook) => hook.id)).toEqual([foreign]);
		expect(provider.active('list-2').map((hook) => hook.url)).toEqual([urlOf(moved), urlOf(moved)]);
	});

	test('a failure in the middle of create archives what it added and stores nothing', async () => {
		const trigger = kitTrigger(PARAMETERS);
		provider.failAddNumber = 2;
		await expect(run('create', trigger)).rejects.toThrow('add refused by the provider');
		expect(provider.active()).toEqual([]);
		expect(provider.calls).toEqual(['add list-1 opened', 'add list-1 clicked', 'archive list-1 hook-1']);
		expect(trigger.state()).toEqual({});
	});

	test('delete archives our hooks and clears the state; a hook already gone (E404) is fine', async () => {
		const trigger = kitTrigger(PARAMETERS);
		await run('create', trigger);
		provider.archive('list-1', provider.hooks[0].id);
		expect(await run('delete', trigger)).toBe(true);
		expect(provider.active()).toEqual([]);
		expect(trigger.state()).toEqual({});
	});

	test('delete fails loudly on any other error and keeps the ids for the next attempt', async () => {
		const trigger = kitTrigger(PARAMETERS);
		await run('create', trigger);
		provider.failArchiveWith = new Error('provider unavailable');
		await expect(run('delete', trigger)).rejects.toThrow('provider unavailable');
		expect(trigger.state().webhooks).toBeDefined();
		provider.failArchiveWith = undefined;
		expect(await run('delete', trigger)).toBe(true);
		expect(provider.active()).toEqual([]);
	});

	test('no event chosen: create refuses before any request', async () => {
		await expect(run('create', kitTrigger({ listId: 'list-1', events: [] }))).rejects.toThrow('Events: choose at least one event');
		expect(provider.calls).toEqual([]);
	});
});

describe('shared trigger kit: deliveries', () => {
	const PARAMETERS = { listId: 'list-1', events: ['opened'] };
	/** What create() leaves in the node's static data once n8n has saved it. */
	const REGISTERED = { webhooks: { opened: 'hook-1' }, listId: 'list-1' };

	test('verified, mapped, filtered: only an offered event that is not selected is left out', async () => {
		const trigger = kitTrigger(PARAMETERS, REGISTERED);
		const batch = [
			{ id: 'a', type: 'open', email: 'one@example.org' },
			{ id: 'b', type: 'click', email: 'two@example.org' },
			{ id: 'c', type: 'list.cleaned', email: 'three@example.org' },
		];
		const { result } = await deliver(trigger, batch, signed(batch));
		expect(result.workflowData?.[0].map((item) => [item.json.event, item.json.email])).toEqual([
			['opened', 'one@example.org'],
			['list.cleaned', 'three@example.org'],
		]);
		expect(result.webhookResponse).toEqual({ received: true });
	});

	test('a refusal answers 401 with the fixed reason only; the detail goes to n8n\'s log', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			const trigger = kitTrigger(PARAMETERS, REGISTERED);
			const body = { id: 'x', type: 'open' };
			const forged = await deliver(trigger, body, signed({ other: true }));
			expect(forged.response.statusCode).toBe(401);
			expect(forged.response.body).toEqual({ error: 'invalid signature' });
			expect(forged.result).toEqual({ noWebhookResponse: true });
			expect(warn.mock.calls.map(([message]) => message)).toEqual([
				'Kit Test Trigger refused a delivery (invalid signature): secret of kit-workflow/kit-webhook-id@/webhook/kit-webhook-id/webhook did not match',
			]);
			const unsigned = await deliver(trigger, body);
			expect(unsigned.response.body).toEqual({ error: 'unsigned delivery' });
		} finally {
			warn.mockRestore();
		}
	});

	test('a repeat is acknowledged as a duplicate; a batch repeating some events runs only the new ones', async () => {
		const trigger = kitTrigger(PARAMETERS, REGISTERED);
		const first = [{ id: 'p', type: 'open' }];
		expect((await deliver(trigger, first, signed(first))).result.workflowData?.[0]).toHaveLength(1);
		expect((await deliver(trigger, first, signed(first))).result).toEqual({ webhookResponse: { received: true, duplicate: true } });
		const mixed = [{ id: 'p', type: 'open' }, { id: 'q', type: 'open' }];
		const { result } = await deliver(trigger, mixed, signed(mixed));
		expect(result.workflowData?.[0].map((item) => (item.json.raw as IDataObject).id)).toEqual(['q']);
	});

	test('a delivery before the registration is saved (right after activation) gets 503 + Retry-After, starts and keeps nothing; once registered it runs', async () => {
		provider = new ArchivingProvider();
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			// The state a process reads while n8n is still registering: the previous activation's, cleared on deactivation.
			const trigger = kitTrigger(PARAMETERS);
			const body = [{ id: 'early', type: 'open', email: 'early@example.org' }];
			const early = await deliver(trigger, body, signed(body));
			expect(early.response.statusCode).toBe(503);
			expect(early.response.body).toEqual({ error: 'not ready' });
			expect((early.response as unknown as { headers: Record<string, string> }).headers['retry-after']).toBe('5');
			expect(early.result).toEqual({ noWebhookResponse: true });
			expect(trigger.state()).toEqual({});
			expect(warn.mock.calls[0][0]).toMatch(/^Kit Test Trigger refused a delivery \(not ready\): it came in before n8n saved the trigger's webhook registration/);
			expect(await run('create', trigger)).toBe(true);
			const retried = await deliver(trigger, body, signed(body));
			expect(retried.result.workflowData?.[0].map((item) => item.json.email)).toEqual(['early@example.org']);
		} finally {
			warn.mockRestore();
		}
	});
});

describe('shared trigger kit: delivery memory in static data', () => {
	const HOUR = 3600;
	const t0 = Date.UTC(2026, 0, 1);

	test('bounded: beyond its size the oldest keys are forgotten first, the newest kept', () => {
		const state: IDataObject = {};
		const memory = new StaticDataMemory(state, 3);
		for (const key of ['a', 'b', 'c', 'd']) memory.remember(key, HOUR, t0);
		expect(['a', 'b', 'c', 'd'].map((key) => memory.has(key, t0))).toEqual([false, true, true, true]);
		expect(Object.keys(state[DELIVERY_MEMORY_FIELD] as IDataObject)).toHaveLength(3);
		// Remembering a key again makes it the newest.
		memory.remember('b', HOUR, t0);
		memory.remember('e', HOUR, t0);
		expect(['b', 'c', 'd', 'e'].map((key) => memory.has(key, t0))).toEqual([true, false, true, true]);
	});

	test('aged: a key counts for its time to live, and expired keys are dropped at the next write', () => {
		const state: IDataObject = {};
		const memory = new StaticDataMemory(state);
		memory.remember('short', 60, t0);
		memory.remember('long', HOUR, t0);
		expect(memory.has('short', t0 + 59_000)).toBe(true);
		expect(memory.has('short', t0 + 61_000)).toBe(false);
		memory.remember('later', HOUR, t0 + 61_000);
		expect(memory.size).toBe(2);
	});

	test('holds only digests of fixed length, never the keys (signatures, ids) themselves', () => {
		const state: IDataObject = {};
		new StaticDataMemory(state).remember(`receiver\u0000sig\u0000${'f'.repeat(64)}`, HOUR, t0);
		const stored = Object.keys(state[DELIVERY_MEMORY_FIELD] as IDataObject);
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
	});

	test('survives n8n saving and loading it (JSON), and a write raises the change flag n8n saves on', () => {
		const workflow = kitTrigger({}, {}).workflow;
		const nodeState = workflow.getStaticData('node', workflow.getNode('Kit Test Trigger')!);
		expect(workflow.staticData.__dataChanged).toBe(false);
		new StaticDataMemory(nodeState).remember('k', HOUR, t0);
		expect(workflow.staticData.__dataChanged).toBe(true);

		const reloaded = kitTrigger({}, JSON.parse(JSON.stringify(nodeState))).workflow;
		const loadedState = reloaded.getStaticData('node', reloaded.getNode('Kit Test Trigger')!);
		const memory = new StaticDataMemory(loadedState);
		expect(memory.has('k', t0)).toBe(true);
		expect(reloaded.staticData.__dataChanged).toBe(false);
		// A key added after loading still marks the workflow changed (n8n only observes objects it loaded).
		memory.remember('k2', HOUR, t0);
		expect(reloaded.staticData.__dataChanged).toBe(true);
	});

	test('combinedMemory: a key known to either store counts; a new one goes to both', () => {
		const one = new StaticDataMemory({});
		const two = new StaticDataMemory({});
		one.remember('only-in-one', HOUR, t0);
		const both = combinedMemory(one, two);
		expect(both.has('only-in-one', t0)).toBe(true);
		both.remember('new', HOUR, t0);
		expect([one.has('new', t0), two.has('new', t0)]).toEqual([true, true]);
		both.drop!('new');
		expect([one.has('new', t0), two.has('new', t0), one.has('only-in-one', t0)]).toEqual([false, false, true]);
	});

	test('drop: a key dropped in webhook() is dropped from the execution\'s copy too (the copy n8n saves)', async () => {
		// The copy the execution loaded holds the key; webhook() (another process, or earlier) drops it.
		const executionState: IDataObject = {};
		new StaticDataMemory(executionState).remember('earlier-event', HOUR, Date.now());
		const webhookState = JSON.parse(JSON.stringify(executionState)) as IDataObject;
		const added: Array<[string, number]> = [];
		const dropped: string[] = [];
		const webhookMemory = new StaticDataMemory(webhookState);
		webhookMemory.drop('earlier-event');
		dropped.push(...Object.keys(executionState[DELIVERY_MEMORY_FIELD] as IDataObject));
		expect(webhookMemory.has('earlier-event', Date.now())).toBe(false);
		const items = [{ json: { event: 'unsubscribed' }, triggerState: { entries: added, forgotten: dropped, state: {}, nodeState: webhookState } }];
		const context = { getInputData: () => items, getWorkflowStaticData: () => executionState } as unknown as IExecuteFunctions;
		const out = await rememberInExecution(context);
		expect(new StaticDataMemory(executionState).has('earlier-event', Date.now())).toBe(false);
		expect(out).toEqual([{ json: { event: 'unsubscribed' }, pairedItem: { item: 0 } }]);
	});
});

describe('the execution-side check in n8n\'s processed-data store (what overlapping executions cannot overwrite for good)', () => {
	const at = 1_800_000_000;
	let store: ReturnType<typeof processedDataStore>;
	const warnings: string[] = [];

	beforeEach(() => {
		store = processedDataStore();
		warnings.length = 0;
	});

	/** The execution a delivery started, as webhook() hands it over: entries (digest, expiry) and what it dropped. */
	function execution(digests: string[], options: { forgotten?: string[]; store?: boolean } = {}) {
		const items = [{ json: { event: digests.join('+') }, triggerState: { entries: digests.map((digest) => [digest, at + 3600]), forgotten: options.forgotten ?? [], state: {}, nodeState: {}, at } }];
		const context = {
			getInputData: () => items,
			// Each execution's own copy of the static data: the static-data memory never saw the original here.
			getWorkflowStaticData: () => ({}),
			helpers: options.store === false ? {} : store.helpersFor('trigger-node'),
			logger: { warn: (message: string) => warnings.push(message) },
		} as unknown as IExecuteFunctions;
		return rememberInExecution(context);
	}

	test('a replay whose original is missing from the static data (overwritten) passes nothing on; a new delivery runs', async () => {
		expect(await execution(['sig-original'])).toHaveLength(1);
		expect(await execution(['sig-original'])).toEqual([]);
		expect(await execution(['sig-other'])).toHaveLength(1);
		expect(warnings).toEqual([]);
	});

	test('an entry another execution\'s write removed (n8n writes the whole list back) is read back and recorded again', async () => {
		const overlapping = store.hold();
		const other = execution(['sig-other']);
		await overlapping.reached; // the other execution has read the list, not written it yet
		const original = execution(['sig-original']);
		while (!store.has('trigger-node', `sig-original@${Math.floor(at / 3600)}`)) await new Promise((resolve) => setImmediate(resolve));
		const originalKey = `sig-original@${Math.floor(at / 3600)}`;
		overlapping.release(); // it writes the list it read: the original's entry is gone
		for (let turn = 0; turn < 50 && store.has('trigger-node', originalKey); turn++) await new Promise((resolve) => setImmediate(resolve));
		expect(store.has('trigger-node', originalKey)).toBe(false);
		expect(store.has('trigger-node', `sig-other@${Math.floor(at / 3600)}`)).toBe(true);

		expect(await original).toHaveLength(1);
		await other;
		expect(store.has('trigger-node', `sig-original@${Math.floor(at / 3600)}`)).toBe(true);
		// So its replay, later, runs nothing.
		expect(await execution(['sig-original'])).toEqual([]);
	});

	test('a delivery repeating only some entries runs; entries a later event dropped are new again (CleverReach)', async () => {
		await execution(['subscribed']);
		expect(await execution(['subscribed', 'new-event-id'])).toHaveLength(1);
		expect(await execution(['unsubscribed'], { forgotten: ['subscribed'] })).toHaveLength(1);
		expect(await execution(['subscribed'])).toHaveLength(1);
		expect(await execution(['subscribed'])).toEqual([]);
	});

	test('a first check that fails (the row inserted by another execution at the same moment) is tried once more', async () => {
		store.failNext(new Error('duplicate key value violates unique constraint "PK_processed_data"'));
		expect(await execution(['sig-original'])).toHaveLength(1);
		expect(await execution(['sig-original'])).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('a store that keeps failing lets the delivery run, with a warning in n8n\'s log', async () => {
		store.failNext(new Error('connection lost'));
		store.failNext(new Error('connection lost'));
		expect(await execution(['sig-original'])).toHaveLength(1);
		expect(warnings).toEqual([expect.stringContaining("could not check n8n's processed-data store, the delivery runs: connection lost")]);
	});

	test('without the store (an n8n that gives execute() no processed-data helpers) the delivery runs', async () => {
		expect(await execution(['sig-original'], { store: false })).toHaveLength(1);
		expect(await execution(['sig-original'], { store: false })).toHaveLength(1);
	});
});
