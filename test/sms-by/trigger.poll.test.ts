/**
 * The SMS.by Trigger in n8n-core's PollContext against the fake SMS.by, whose recipients' statuses move
 * on only when the test says so: the first poll of an active workflow records what is there, each later
 * status change of a recipient is emitted once in the package's event shape, also across a restart
 * (a workflow rebuilt from the saved static data), a mailing whose recipients are all final is read no
 * more, and a manual run shows the latest changes without moving the cursor.
 */
import type { IDataObject } from 'n8n-workflow';

import { SENT_MAILINGS_KEY } from '../../nodes/SmsBy/trigger';
import { pollSmsBy, savedWorkflowStaticData, smsByTriggerWorkflow } from './fake-smsby';
import { useFakeSmsBy } from './fake-smsby';

const smsBy = useFakeSmsBy();
const fake = () => smsBy.fake();

async function direct(path: string, fields: Record<string, string>): Promise<IDataObject> {
	const response = await fetch(`${fake().url}${path}`, { method: 'POST', body: new URLSearchParams({ token: smsBy.token, ...fields }) });
	return ((await response.json()) as IDataObject).result as IDataObject;
}

/** A mailing to a list of two (its message_id) and a bulk mailing to two and one refused address (its uuid). */
async function twoMailings() {
	await direct('/api/v2/importContacts', { list_id: '3434', 'field_names[0]': 'email', 'data[0][0]': 'ann@example.org', 'data[1][0]': 'bob@example.org' });
	const { message_id } = await direct('/api/v2/sendEmailByList', { list_id: '3434', sender_email: 'from@example.com', subject: 's', message: 'm' });
	const { uuid } = await direct('/api/v2/sendBulkEmail', {
		sender_email: 'from@example.com',
		subject: 's',
		message: 'm',
		'delivery_list[0]': 'cid@example.org',
		'delivery_list[1]': 'dee@example.org',
		'delivery_list[2]': 'broken@address',
	});
	return { listMailing: String(message_id), bulkMailing: String(uuid) };
}

/** A mailing to a list of `size` addresses `<prefix>-<n>@example.org` (the list filled in the fake's data). */
async function mailingOf(size: number, prefix: string) {
	const { list_id } = await direct('/api/v2/createSubscriberList', { name: prefix });
	const list = fake().state.lists.find((candidate: IDataObject) => candidate.list_id === list_id);
	for (let n = 0; n < size; n++) list.contacts.push({ email: `${prefix}-${n}@example.org` });
	const { message_id } = await direct('/api/v2/sendEmailByList', { list_id: String(list_id), sender_email: 'from@example.com', subject: 's', message: 'm' });
	return String(message_id);
}

const recipientOf = (mailing: string, email: string) =>
	fake()
		.state.mailings.find((candidate: IDataObject) => String(candidate.message_id) === mailing || candidate.uuid === mailing)
		.recipients.find((row: IDataObject) => row.email === email);

describe('SMS.by Trigger', () => {
	test('baseline, then each status change once, across polls and a restart', async () => {
		const { listMailing, bulkMailing } = await twoMailings();
		const parameters = { watchSentMailings: false, mailingIds: `${listMailing}, ${bulkMailing}` };
		let trigger = smsByTriggerWorkflow(parameters);
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();

		fake().advance(listMailing);
		fake().setStatus(bulkMailing, 'dee@example.org', 'OPEN');
		const events = await pollSmsBy(trigger, smsBy.credentials());
		const ann = recipientOf(listMailing, 'ann@example.org');
		expect(events).toEqual([
			{ event: 'delivered', email: 'ann@example.org', messageId: ann.email_id, timestamp: expect.any(String), provider: 'smsBy', raw: { email_id: ann.email_id, email: ' ann@example.org', status: 'DELIVERED', error: '', mailing: listMailing } },
			expect.objectContaining({ event: 'delivered', email: 'bob@example.org' }),
			expect.objectContaining({ event: 'opened', email: 'dee@example.org', messageId: recipientOf(bulkMailing, 'dee@example.org').email_id }),
		]);
		expect(Date.parse(String(events?.[0].timestamp))).toBeGreaterThan(Date.now() - 60_000);
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();

		// n8n restarts: the workflow is loaded again with the static data it saved.
		trigger = smsByTriggerWorkflow(parameters, savedWorkflowStaticData(trigger));
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
		fake().setStatus(listMailing, 'bob@example.org', 'UNDELIVERED', 'Mailbox full');
		trigger = smsByTriggerWorkflow(parameters, savedWorkflowStaticData(trigger));
		expect(await pollSmsBy(trigger, smsBy.credentials())).toEqual([
			expect.objectContaining({ event: 'failed', email: 'bob@example.org', raw: expect.objectContaining({ status: 'UNDELIVERED', error: 'Mailbox full' }) }),
		]);
		trigger = smsByTriggerWorkflow(parameters, savedWorkflowStaticData(trigger));
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
	});

	test('a mailing whose recipients are all undelivered or clicked is read no more', async () => {
		const { listMailing, bulkMailing } = await twoMailings();
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: `${listMailing},${bulkMailing}` });
		await pollSmsBy(trigger, smsBy.credentials());
		fake().setStatus(listMailing, 'ann@example.org', 'CLICK');
		fake().setStatus(listMailing, 'bob@example.org', 'UNDELIVERED');
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => event.event)).toEqual(['clicked', 'failed']);
		fake().requests.length = 0;
		fake().advance(bulkMailing);
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => [event.event, event.email])).toEqual([
			['delivered', 'cid@example.org'],
			['delivered', 'dee@example.org'],
		]);
		// Only the bulk mailing is still read.
		expect(fake().requests.map((request) => [request.path, request.body.uuid ?? request.body.message_id])).toEqual([['/api/v2/statusBulkEmail', bulkMailing]]);
	});

	test('a mailing is read no more after Watch For (Days)', async () => {
		const { listMailing } = await twoMailings();
		const parameters = { watchSentMailings: false, mailingIds: listMailing, options: { watchDays: 2 } };
		const first = smsByTriggerWorkflow(parameters);
		await pollSmsBy(first, smsBy.credentials());
		const saved = savedWorkflowStaticData(first);
		const nodeData = saved['node:SMS.by Trigger'] as IDataObject;
		(nodeData.mailings as IDataObject)[listMailing] = { ...((nodeData.mailings as IDataObject)[listMailing] as IDataObject), since: Date.now() - 3 * 86_400_000 };
		fake().requests.length = 0;
		fake().advance(listMailing);
		expect(await pollSmsBy(smsByTriggerWorkflow(parameters, saved), smsBy.credentials())).toBeNull();
		expect(fake().requests).toHaveLength(0);
	});

	test('mailings the node of this workflow remembered are watched', async () => {
		const { listMailing, bulkMailing } = await twoMailings();
		const remembered = { global: { [SENT_MAILINGS_KEY]: [{ id: bulkMailing, sentAt: Date.now() }] } };
		const trigger = smsByTriggerWorkflow({ watchSentMailings: true, mailingIds: '' }, remembered);
		await pollSmsBy(trigger, smsBy.credentials());
		fake().advance(bulkMailing);
		fake().advance(listMailing);
		const events = await pollSmsBy(trigger, smsBy.credentials());
		expect(events?.map((event) => event.email)).toEqual(['cid@example.org', 'dee@example.org']);
	});

	test('a manual run shows the latest statuses and leaves the cursor alone', async () => {
		const { listMailing } = await twoMailings();
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: listMailing });
		await pollSmsBy(trigger, smsBy.credentials());
		const before = savedWorkflowStaticData(trigger);
		fake().advance(listMailing);
		const sample = await pollSmsBy(trigger, smsBy.credentials(), 'manual');
		expect(sample?.map((event) => [event.event, event.email])).toEqual([
			['delivered', 'ann@example.org'],
			['delivered', 'bob@example.org'],
		]);
		expect(savedWorkflowStaticData(trigger)).toEqual(before);
		// The active workflow still gets these changes.
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => event.email)).toEqual(['ann@example.org', 'bob@example.org']);
	});

	test('6,000 recipients beside mailings of 5 and 3: ten polls without a change emit nothing, a change comes once', async () => {
		const mailings = await Promise.all([5, 3, 6_000].map(async (size, index) => await mailingOf(size, `m${index}`)));
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: mailings.join(',') });
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
		for (let poll = 0; poll < 10; poll++) expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();

		fake().setStatus(mailings[2], 'm2-5999@example.org', 'OPEN');
		fake().setStatus(mailings[2], 'm2-0@example.org', 'DELIVERED');
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => [event.event, event.email])).toEqual([
			['delivered', 'm2-0@example.org'],
			['opened', 'm2-5999@example.org'],
		]);
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
		// What is remembered grows with the mailings, not with the polls, and holds no address.
		const remembered = JSON.stringify(savedWorkflowStaticData(trigger));
		expect(remembered).not.toContain('@example.org');
		expect(remembered.length).toBeLessThan(8 * 6_008 + 1_000);
	});

	test('a mailing no longer watched is forgotten', async () => {
		const { listMailing, bulkMailing } = await twoMailings();
		const both = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: `${listMailing},${bulkMailing}` });
		await pollSmsBy(both, smsBy.credentials());
		const one = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: listMailing }, savedWorkflowStaticData(both));
		await pollSmsBy(one, smsBy.credentials());
		expect(Object.keys((savedWorkflowStaticData(one)['node:SMS.by Trigger'] as IDataObject).mailings as IDataObject)).toEqual([listMailing]);
	});

	test('an unknown mailing ID beside a good one: the good one\'s changes come, the unknown one is reported once', async () => {
		const { listMailing } = await twoMailings();
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: `${listMailing}, 999999` });
		expect(await pollSmsBy(trigger, smsBy.credentials())).toBeNull();
		fake().advance(listMailing);
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => [event.event, event.email])).toEqual([
			['delivered', 'ann@example.org'],
			['delivered', 'bob@example.org'],
		]);
		fake().advance(listMailing);
		expect((await pollSmsBy(trigger, smsBy.credentials()))?.map((event) => event.event)).toEqual(['opened', 'opened']);
		expect(trigger.reported.map((error) => error.message)).toEqual(['Mailing IDs: SMS.by knows no mailing 999999']);
		// Fetch Test Event fails on it, so that the user sees it while editing.
		await expect(pollSmsBy(trigger, smsBy.credentials(), 'manual')).rejects.toThrow('Mailing IDs: SMS.by knows no mailing 999999');
	});

	test('Fetch Test Event shows the newest changes across the watched mailings', async () => {
		const { listMailing, bulkMailing } = await twoMailings();
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: `${listMailing},${bulkMailing}` });
		await pollSmsBy(trigger, smsBy.credentials());
		fake().setStatus(bulkMailing, 'dee@example.org', 'OPEN');
		const sample = await pollSmsBy(trigger, smsBy.credentials(), 'manual');
		expect(sample?.[0]).toEqual(expect.objectContaining({ event: 'opened', email: 'dee@example.org', raw: expect.objectContaining({ mailing: bulkMailing }) }));
		expect(sample).toHaveLength(5);
	});

	test('a mailing ID that is neither an ID nor a uuid is refused before any request', async () => {
		const trigger = smsByTriggerWorkflow({ watchSentMailings: false, mailingIds: '12, last-week' });
		await expect(pollSmsBy(trigger, smsBy.credentials())).rejects.toThrow('Mailing IDs: "last-week" is neither a mailing ID nor a bulk mailing uuid');
		expect(fake().requests).toHaveLength(0);
	});
});
