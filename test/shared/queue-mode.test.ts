/**
 * The trigger kit in n8n's queue mode (2.40), where a webhook's execution runs on a worker: the worker builds
 * the execution's Workflow from the execution's stored workflow, which carries no static data (measured in
 * test/e2e/queue-mode.e2e.js; n8n's job-processor reloads it only for a resumed execution). Whatever the
 * trigger's execute() wrote there would be saved as the workflow's whole static data. Deliveries go to
 * webhook() in n8n-core's WebhookContext; the execution runs in n8n-core's WorkflowExecute.
 */
import { createHmac } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { IDataObject, INodeExecutionData, IRunExecutionData, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import * as harness from '../harness/engine';
import { DELIVERY_MEMORY_FIELD } from '../../nodes/shared/trigger';

const SIGNING_KEY = 'queue-test-signing-key';
const STATE = { domainId: '123', webhooks: { bounce: '1', open: '2' }, signingKey: SIGNING_KEY };
const PARAMETERS = { domainId: '123', events: ['bounced', 'opened'], options: {} };
const CREDENTIALS = { emailGatewayApi: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' } };

function signedDelivery(eventId: string) {
	const rawBody = JSON.stringify({ Event: 'bounce', EventId: eventId, Recipient: 'queue@example.org', MessageId: `msg-${eventId}`, Timestamp: Math.floor(Date.now() / 1000) });
	return { headers: { 'Content-Type': 'application/json', 'X-Octeth-Signature': createHmac('sha256', SIGNING_KEY).update(rawBody).digest('hex') }, rawBody };
}

/** The execution of a delivery with the static data it was given (undefined: as a queue-mode worker has it). */
async function runExecution(staticData: IDataObject | undefined, result: IWebhookResponseData) {
	const trigger = harness.triggerWorkflow(PARAMETERS);
	const workflow = new Workflow({
		id: trigger.workflow.id,
		nodes: [trigger.node],
		connections: {},
		nodeTypes: harness.nodeTypes,
		active: true,
		staticData,
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

/** The package and n8n-core loaded anew, as in another n8n process: no in-process memory carries over. */
function otherProcess(): typeof harness {
	let fresh: typeof harness | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		fresh = require('../harness/engine') as typeof harness;
	});
	return fresh!;
}

const asSaved = (value: IDataObject) => JSON.parse(JSON.stringify(value)) as IDataObject;

describe('trigger kit in queue mode: the execution on a worker has no static data', () => {
	test('the worker saves the trigger\'s whole state (registration, signing key, memory), never the new entries alone', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const { result } = await harness.deliverWebhook(trigger, CREDENTIALS, signedDelivery('evt-queue-1'));
		expect(result.workflowData?.[0]).toHaveLength(1);

		const execution = await runExecution(undefined, result);
		// What the worker saves is the workflow's static data from then on.
		const nodeState = execution.saved?.[`node:${trigger.node.name}`] as IDataObject;
		expect(nodeState).toMatchObject(STATE);
		expect(Object.keys(nodeState[DELIVERY_MEMORY_FIELD] as IDataObject).length).toBeGreaterThan(0);
		// The workflow still gets the events, without what the trigger handed over.
		expect(execution.items.map((item) => Object.keys(item).sort())).toEqual([['json', 'pairedItem']]);
		expect(execution.items[0].json).toEqual(result.workflowData![0][0].json);

		// The replay at another process, which reads that save: a duplicate, and the signing key still there.
		const other = otherProcess();
		const replay = await other.deliverWebhook(other.triggerWorkflow(PARAMETERS, asSaved(nodeState)), CREDENTIALS, signedDelivery('evt-queue-1'));
		expect(replay.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
		const fresh = await other.deliverWebhook(other.triggerWorkflow(PARAMETERS, asSaved(nodeState)), CREDENTIALS, signedDelivery('evt-queue-new'));
		expect(fresh.result.workflowData?.[0]).toHaveLength(1);
	});

	test('with a copy n8n loaded (regular mode) the execution still adds the memory to what it saves', async () => {
		const trigger = harness.triggerWorkflow(PARAMETERS, { ...STATE });
		const loadedByExecution = { [`node:${trigger.node.name}`]: { ...STATE } };
		const { result } = await harness.deliverWebhook(trigger, CREDENTIALS, signedDelivery('evt-queue-2'));
		const execution = await runExecution(loadedByExecution, result);
		const saved = execution.saved![`node:${trigger.node.name}`] as IDataObject;
		expect(saved).toMatchObject(STATE);
		expect(Object.keys(saved[DELIVERY_MEMORY_FIELD] as IDataObject).length).toBeGreaterThan(0);
	});
});
