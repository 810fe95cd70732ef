/**
 * Email Gateway Trigger: the duplicate memory kept with the workflow (node static data), and the signed-time
 * age check. Deliveries go to webhook() in n8n-core's WebhookContext; a "restart" is a new Workflow built from
 * the static data as n8n saved it (JSON), with the package loaded anew (jest.isolateModules), so no memory of
 * the first process is left.
 */
import { createHmac } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { IDataObject, INodeExecutionData, IRunExecutionData, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import * as harness from '../harness/engine';
import { verifyDelivery } from '../../nodes/EmailGateway/signature';
import { DELIVERY_MEMORY_FIELD } from '../../nodes/shared/trigger';
import { useFakeEmailGateway } from './fake-gateway';

const SIGNING_KEY = 'memory-test-signing-key';
const STATE = { domainId: '123', webhooks: { bounce: '1', open: '2' }, signingKey: SIGNING_KEY };
const PARAMETERS = { domainId: '123', events: ['bounced', 'opened'], options: {} };
const CREDENTIALS = { emailGatewayApi: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' } };
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sign = (data: string, key = SIGNING_KEY) => createHmac('sha256', key).update(data).digest('hex');

/** A signed delivery as Email Gateway posts it (X-Octeth-Signature over the raw body). */
function signedDelivery(event: IDataObject) {
	const rawBody = JSON.stringify(event);
	return { headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': sign(rawBody) }, rawBody };
}

/** The package and n8n-core loaded anew, as in a restarted n8n: no module-level memory carries over. */
function restartedHarness(): typeof harness {
	let fresh: typeof harness | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		fresh = require('../harness/engine') as typeof harness;
	});
	return fresh!;
}

/**
 * The execution a delivery starts, as n8n runs it: a Workflow built from the static data as the execution
 * loaded it (before webhook()'s save, which the execution's own save then replaces), the trigger node first
 * with the delivery's items (n8n's prepareExecutionData), in WorkflowExecute. Returns the trigger's output and
 * the static data n8n's workflowExecuteAfter hook is handed to save (undefined: nothing to save).
 */
async function runExecution(loadedStaticData: IDataObject, result: IWebhookResponseData) {
	// Only the node: the static data must not pass through another Workflow first (its proxies would stay).
	const trigger = harness.triggerWorkflow(PARAMETERS);
	const workflow = new Workflow({
		id: trigger.workflow.id,
		nodes: [trigger.node],
		connections: {},
		nodeTypes: harness.nodeTypes,
		active: true,
		staticData: { [`node:${trigger.node.name}`]: loadedStaticData },
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('webhook', '1', mock());
	const finished = new Promise<{ items: INodeExecutionData[]; saved?: IDataObject }>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run, newStaticData) =>
			resolve({ items: run.data.resultData.runData[trigger.node.name]?.[0]?.data?.main?.[0] ?? [], saved: newStaticData }),
		),
	);
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: trigger.node, data: { main: result.workflowData }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(harness.additionalData(CREDENTIALS, hooks), 'webhook', runExecutionData).processRunExecutionData(workflow);
	return await finished;
}

/** Static data as n8n stores it in the database and loads it again (JSON, without its change flag). */
const asSaved = (staticData: IDataObject) => JSON.parse(JSON.stringify(staticData)) as IDataObject;
const nodeStateOf = (trigger: ReturnType<typeof harness.triggerWorkflow>) =>
	trigger.workflow.staticData[`node:${trigger.node.name}`] as IDataObject;

describe('Email Gateway Trigger duplicate memory kept with the workflow', () => {
	let eventCount = 0;
	const event = (overrides: IDataObject = {}) => ({
		Event: 'bounce',
		EventId: `evt-memory-${++eventCount}`,
		Recipient: 'memory@example.org',
		MessageId: `msg-memory-${eventCount}`,
		Timestamp: nowSeconds(),
		...overrides,
	});

	test('a delivery received before a restart is acknowledged as a duplicate after it, and starts nothing', async () => {
		const before = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const delivery = signedDelivery(event());
		const first = await harness.deliverWebhook(before, CREDENTIALS, delivery);
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		// n8n saves static data changed in webhook() when it answers (its __dataChanged flag is what it checks).
		expect(before.workflow.staticData.__dataChanged).toBe(true);
		expect(Object.keys(nodeStateOf(before)[DELIVERY_MEMORY_FIELD] as IDataObject).length).toBeGreaterThan(0);

		const restarted = restartedHarness();
		const after = restarted.triggerWorkflow(PARAMETERS, asSaved(nodeStateOf(before)));
		const again = await restarted.deliverWebhook(after, CREDENTIALS, delivery);
		expect(again.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
		expect(again.result.workflowData).toBeUndefined();

		// Control: the same restarted process without the saved memory runs it again, so the memory did it.
		const forgetful = restarted.triggerWorkflow(PARAMETERS, { ...STATE });
		expect((await restarted.deliverWebhook(forgetful, CREDENTIALS, delivery)).result.workflowData?.[0]).toHaveLength(1);
	});

	test("a delivery that starts an execution: the execution's save keeps the memory (n8n replaces webhook()'s save with it)", async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const loadedByExecution = asSaved(nodeStateOf(trigger));
		const delivery = signedDelivery(event());
		const { result } = await harness.deliverWebhook(trigger, CREDENTIALS, delivery);

		const execution = await runExecution(loadedByExecution, result);
		// The workflow sees the event only, not what the trigger handed to its execution.
		expect(execution.items.map((item) => Object.keys(item).sort())).toEqual([['json', 'pairedItem']]);
		expect(execution.items[0].json).toEqual(result.workflowData![0][0].json);
		expect(execution.saved).toBeDefined();

		const restarted = restartedHarness();
		const after = restarted.triggerWorkflow(PARAMETERS, asSaved(execution.saved![`node:${trigger.node.name}`] as IDataObject));
		expect((await restarted.deliverWebhook(after, CREDENTIALS, delivery)).result).toEqual({ webhookResponse: { received: true, duplicate: true } });
	});

	test('a retry signed anew (same event id) after a restart is a duplicate too; a new event is not', async () => {
		const before = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const original = event();
		await harness.deliverWebhook(before, CREDENTIALS, signedDelivery(original));

		const restarted = restartedHarness();
		const after = restarted.triggerWorkflow(PARAMETERS, asSaved(nodeStateOf(before)));
		// Octeth's retry: same event, another delivery (here: another Timestamp, so other bytes and signature).
		const retry = await restarted.deliverWebhook(after, CREDENTIALS, signedDelivery({ ...original, Timestamp: nowSeconds() + 60 }));
		expect(retry.result.webhookResponse).toEqual({ received: true, duplicate: true });
		const next = await restarted.deliverWebhook(after, CREDENTIALS, signedDelivery(event()));
		expect(next.result.workflowData?.[0]).toHaveLength(1);
	});

	test('an event that starts nothing (not selected) is remembered as well, so n8n saves it without an execution', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const delivery = signedDelivery(event({ Event: 'click' }));
		const first = await harness.deliverWebhook(trigger, CREDENTIALS, delivery);
		expect(first.result).toEqual({ webhookResponse: { received: true, ignored: 'clicked' } });
		expect(trigger.workflow.staticData.__dataChanged).toBe(true);

		const restarted = restartedHarness();
		const after = restarted.triggerWorkflow(PARAMETERS, asSaved(nodeStateOf(trigger)));
		expect((await restarted.deliverWebhook(after, CREDENTIALS, delivery)).result).toEqual({ webhookResponse: { received: true, duplicate: true } });
	});

	test('a refused delivery leaves the memory as it was', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const forged = { ...signedDelivery(event()), headers: { 'X-Octeth-Signature': sign('{}', 'not-the-key') } };
		const refused = await harness.deliverWebhook(trigger, CREDENTIALS, { ...forged, rawBody: JSON.stringify(event()) });
		// The key look-up this forgery asks for fails (nothing listens): still the same fixed answer.
		expect(refused.response.statusCode).toBe(401);
		expect(refused.response.body).toEqual({ error: 'invalid signature' });
		expect(nodeStateOf(trigger)[DELIVERY_MEMORY_FIELD]).toBeUndefined();
	});

	test('the test URL and the production URL keep separate memories in the same static data', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const delivery = signedDelivery(event());
		const production = await harness.deliverWebhook(trigger, CREDENTIALS, { ...delivery, path: '/webhook/test-webhook-id/webhook' });
		const test = await harness.deliverWebhook(trigger, CREDENTIALS, { ...delivery, path: '/webhook-test/test-webhook-id/webhook' });
		expect(production.result.workflowData?.[0]).toHaveLength(1);
		expect(test.result.workflowData?.[0]).toHaveLength(1);
	});
});

describe('state webhook() changes also survives the execution it starts', () => {
	const fake = useFakeEmailGateway({ accountApiKey: 'memory-account-key' });

	test('a signing key refetched during a delivery is in what the execution saves, so it is not rolled back', async () => {
		// Static data holds an outdated key; the provider signs with its current one.
		const outdated = { ...STATE, signingKey: 'the-key-before-a-rotation' };
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...outdated });
		// Its own receiver: the key look-up is throttled per receiver, and another test here already looked up.
		trigger.node.webhookId = 'rotation-webhook-id';
		const current = fake.signingKey('123');
		const rawBody = JSON.stringify({ Event: 'bounce', EventId: 'evt-rotated', Recipient: 'rotated@example.org', Timestamp: nowSeconds() });
		const delivery = { headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': sign(rawBody, current) }, rawBody };
		const { result } = await harness.deliverWebhook(trigger, fake.accountCredentials(), delivery);
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(nodeStateOf(trigger).signingKey).toBe(current);

		const execution = await runExecution(asSaved(outdated), result);
		const saved = execution.saved![`node:${trigger.node.name}`] as IDataObject;
		expect(saved.signingKey).toBe(current);
		expect(Object.keys(saved[DELIVERY_MEMORY_FIELD] as IDataObject).length).toBeGreaterThan(0);
		expect(execution.items.map((item) => Object.keys(item).sort())).toEqual([['json', 'pairedItem']]);
	});
});

describe('signed-time age check (Maximum Event Age)', () => {
	const now = Date.now();
	let scope = 0;
	/** A body with a Mailgun-style signature block signed at `signedAt`, also signed as a whole by X-Octeth-Signature. */
	function bothSigned(signedAt: number, maxAgeSeconds = 300) {
		const token = `token-${++scope}`;
		const body = {
			signature: { timestamp: String(signedAt), token, signature: sign(`${signedAt}${token}`) },
			'event-data': { id: `evt-age-${scope}`, event: 'bounced', recipient: 'age@example.org', timestamp: signedAt },
		};
		const raw = JSON.stringify(body);
		return {
			headers: { 'x-octeth-signature': sign(raw) },
			rawBody: Buffer.from(raw),
			body: body as never,
			signingKey: SIGNING_KEY,
			allowUnsigned: false,
			maxAgeSeconds,
			replayScope: `age-${scope}`,
			now,
		};
	}

	test('an hour-old in-body signed time is refused as stale, even with a valid X-Octeth-Signature over the body', () => {
		expect(verifyDelivery(bothSigned(Math.floor(now / 1000) - 3600))).toMatchObject({ accepted: false, refusal: 'stale delivery' });
	});

	test('a fresh one is accepted under the header scheme; Maximum Event Age 0 turns the check off', () => {
		expect(verifyDelivery(bothSigned(Math.floor(now / 1000) - 10))).toMatchObject({ accepted: true, style: 'header' });
		expect(verifyDelivery(bothSigned(Math.floor(now / 1000) - 3600, 0))).toMatchObject({ accepted: true, style: 'header' });
	});

	test('the header covers the body: a signed time whose own block signature is wrong is still checked for age', () => {
		const delivery = bothSigned(Math.floor(now / 1000) - 3600);
		const body = { ...(delivery.body as IDataObject), signature: { timestamp: String(Math.floor(now / 1000) - 3600), token: 'x', signature: 'y' } };
		const raw = JSON.stringify(body);
		expect(
			verifyDelivery({ ...delivery, body: body as never, rawBody: Buffer.from(raw), headers: { 'x-octeth-signature': sign(raw) } }),
		).toMatchObject({ accepted: false, refusal: 'stale delivery' });
	});

	test('event times in the payload stay unchecked: an old event under a fresh signature is accepted', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const old = nowSeconds() - 86_400;
		const delivery = signedDelivery({ Event: 'bounce', EventId: 'evt-age-old-event', Recipient: 'old@example.org', Timestamp: old });
		const { result } = await harness.deliverWebhook(trigger, CREDENTIALS, delivery);
		expect(result.workflowData?.[0][0].json).toMatchObject({ event: 'bounced', timestamp: new Date(old * 1000).toISOString() });
	});

	test('through the trigger: the stale delivery gets 401 "stale delivery" and starts nothing', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const stale = bothSigned(nowSeconds() - 3600);
		const { result, response } = await harness.deliverWebhook(trigger, CREDENTIALS, {
			headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': stale.headers['x-octeth-signature'] },
			rawBody: stale.rawBody.toString(),
		});
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'stale delivery' });
		expect(result.workflowData).toBeUndefined();
	});
});
