/**
 * The SMS.by node remembers the mailings it creates (Send to List's message_id, a bulk or personal
 * mailing's uuid) in the workflow's static data, and the SMS.by Trigger of the same workflow watches
 * them: run through n8n's WorkflowExecute, then the trigger polled on the static data it left.
 */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { IDataObject, INode, IRun, IRunExecutionData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { SENT_MAILINGS_KEY } from '../../nodes/SmsBy/trigger';
import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { pollSmsBy, savedWorkflowStaticData, smsByTriggerWorkflow, useFakeSmsBy } from './fake-smsby';

const smsBy = useFakeSmsBy();
const fake = () => smsBy.fake();

/** Item Source → SMS.by in one workflow; returns the workflow (with its static data) after the run. */
async function runInWorkflow(parameters: IDataObject, items: IDataObject[], workflowId = 'remember-workflow') {
	const source: INode = { id: 'source', name: 'Source', type: 'test.itemSource', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(items.map((json) => ({ json }))) } };
	const node: INode = {
		id: 'smsby',
		name: 'SMS.by',
		type: `${PACKAGE}.smsBy`,
		typeVersion: 1,
		position: [200, 0],
		parameters: parameters as INode['parameters'],
		credentials: { smsByApi: { id: 'smsByApi', name: 'SMS.by account' } },
	};
	const workflow = new Workflow({
		id: workflowId,
		nodes: [source, node],
		connections: { Source: { main: [[{ node: 'SMS.by', type: 'main', index: 0 }]] } },
		nodeTypes,
		active: true,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('trigger', '1', mock());
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const data = {
		startData: {},
		resultData: { runData: {} },
		executionData: { contextData: {}, metadata: {}, nodeExecutionStack: [{ node: source, data: { main: [[{ json: {} }]] }, source: null }], waitingExecution: {}, waitingExecutionSource: {} },
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData(smsBy.credentials(), hooks), 'trigger', data).processRunExecutionData(workflow);
	const run = await finished;
	expect(run.data.resultData.error).toBeUndefined();
	return workflow;
}

test('mailings the node sent are remembered in the workflow and watched by its trigger', async () => {
	await fetch(`${fake().url}/api/v2/importContacts`, {
		method: 'POST',
		body: new URLSearchParams({ token: smsBy.token, list_id: '3434', 'field_names[0]': 'email', 'data[0][0]': 'ann@example.org' }),
	});
	const toList = await runInWorkflow({ resource: 'email', operation: 'sendToList', listId: { __rl: true, mode: 'id', value: '3434' }, senderEmail: 'from@example.com', subject: 's', message: 'm' }, [{}]);
	const personal = await runInWorkflow(
		{ resource: 'bulk', operation: 'sendPersonal', senderEmail: 'from@example.com', email: '={{ $json.to }}', subject: 's', message: 'm' },
		[{ to: 'bob@example.org' }, { to: 'cid@example.org' }],
	);
	const [listMailing, personalMailing] = fake().state.mailings;
	expect((toList.staticData.global as IDataObject)[SENT_MAILINGS_KEY]).toEqual([{ id: String(listMailing.message_id), sentAt: expect.any(Number) }]);
	expect((personal.staticData.global as IDataObject)[SENT_MAILINGS_KEY]).toEqual([{ id: personalMailing.uuid, sentAt: expect.any(Number) }]);

	// One workflow holding both: its static data as n8n saved it after both runs.
	const saved = { global: { [SENT_MAILINGS_KEY]: [...((toList.staticData.global as IDataObject)[SENT_MAILINGS_KEY] as IDataObject[]), ...((personal.staticData.global as IDataObject)[SENT_MAILINGS_KEY] as IDataObject[])] } };
	const trigger = smsByTriggerWorkflow({ watchSentMailings: true, mailingIds: '' }, JSON.parse(JSON.stringify(saved)) as IDataObject);
	expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
	fake().advance(listMailing.message_id);
	fake().advance(personalMailing.uuid);
	const events = await pollSmsBy(trigger, smsBy.credentials());
	expect(events?.map((event) => [event.event, event.email])).toEqual([
		['delivered', 'ann@example.org'],
		['delivered', 'bob@example.org'],
		['delivered', 'cid@example.org'],
	]);
});

test('a mailing sent by the node while the trigger of the same workflow is active is watched without typing its ID, also after a restart', async () => {
	const workflowId = 'sends-and-watches';
	const parameters = { watchSentMailings: true, mailingIds: '' };
	let trigger = smsByTriggerWorkflow(parameters, {}, workflowId);
	expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();

	// A Webhook → SMS.by execution: its own copy of the static data, as n8n loads it for each execution.
	await runInWorkflow({ resource: 'bulk', operation: 'send', senderEmail: 'from@example.com', subject: 's', message: 'm', recipients: 'ann@example.org, bob@example.org' }, [{}], workflowId);
	const [mailing] = fake().state.mailings;
	// Sent after the trigger started: its first statuses are news.
	expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => [event.event, event.email, (event.raw as IDataObject).mailing])).toEqual([
		['sent', 'ann@example.org', mailing.uuid],
		['sent', 'bob@example.org', mailing.uuid],
	]);
	fake().advance(mailing.uuid);
	expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => event.event)).toEqual(['delivered', 'delivered']);

	// n8n restarts with the static data the trigger saved (which never held the send's own copy).
	trigger = smsByTriggerWorkflow(parameters, savedWorkflowStaticData(trigger), workflowId);
	expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
	fake().advance(mailing.uuid);
	expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => event.event)).toEqual(['opened', 'opened']);
});
