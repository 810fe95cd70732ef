/**
 * Every operation of the SMS.by catalog, run through n8n's engine against the fake SMS.by: the request
 * must be the catalog's method and path, a form (urlencoded, or multipart with a file) carrying the
 * token as a field and never in the URL, with the documented field names; the output must be what the
 * fake's state and documented answers say.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { smsByCatalog } from '../../nodes/SmsBy/operations';
import type { RunResult } from '../harness/engine';
import type { FakeState, RecordedRequest } from './fake-smsby';
import { useFakeSmsBy } from './fake-smsby';

const smsBy = useFakeSmsBy();
const fake = () => smsBy.fake();
const state = (): FakeState => fake().state;
const json = (items: INodeExecutionData[]) => items.map((item) => item.json);

/** Calls the fake directly (not through the node) to prepare a case. */
async function direct(path: string, fields: Record<string, string>): Promise<IDataObject> {
	const response = await fetch(`${fake().url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token: smsBy.token, ...fields }),
	});
	const answer = (await response.json()) as IDataObject;
	if (answer.status !== 'OK') throw new Error(`setup ${path}: ${JSON.stringify(answer)}`);
	return answer.result as IDataObject;
}

interface Case {
	setup?: () => Promise<IDataObject>;
	parameters: (prepared: IDataObject) => IDataObject;
	items?: INodeExecutionData[];
	check: (result: RunResult, request: RecordedRequest, prepared: IDataObject) => void;
}

const sender = { senderEmail: 'from@example.com', senderName: 'Example Shop' };

const cases: Record<string, Case> = {
	'email:send': {
		parameters: () => ({
			...sender,
			email: 'jane@example.org',
			subject: 'Your invoice',
			message: '<p>Attached.</p>',
			additionalFields: { attachment: 'invoice', sendAt: '2026-03-01T09:30:00', trackClick: false },
		}),
		items: [{ json: {}, binary: { invoice: { data: Buffer.from('%PDF-1.4 test').toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' } } }],
		check: ({ items }, request) => {
			expect(request.encoding).toBe('multipart');
			expect(request.body).toMatchObject({
				sender_email: 'from@example.com',
				sender_name: 'Example Shop',
				email: 'jane@example.org',
				subject: 'Your invoice',
				message: '<p>Attached.</p>',
				// The workflow's time zone is UTC in the harness: the picked wall time, minutes only.
				d_schedule: '2026-03-01 09:30',
				track_click: '0',
			});
			expect(request.files).toHaveLength(1);
			expect(request.files[0]).toMatchObject({ field: 'attachment', filename: 'invoice.pdf', contentType: 'application/pdf' });
			expect(request.files[0].data.toString()).toBe('%PDF-1.4 test');
			const letter = state().letters[0];
			expect(items).toHaveLength(1);
			expect(items[0].json).toEqual({ status: 'OK', result: { email_id: letter.email_id } });
		},
	},
	'email:sendToList': {
		setup: async () => {
			const { list_id } = await direct('/api/v2/createSubscriberList', { name: 'Newsletter' });
			await direct('/api/v2/importContacts', { list_id: String(list_id), 'field_names[0]': 'email', 'data[0][0]': 'a@example.org', 'data[1][0]': 'b@example.org' });
			return { listId: String(list_id) };
		},
		parameters: ({ listId }) => ({ listId: { __rl: true, mode: 'id', value: listId }, ...sender, subject: 'News', message: 'Hello', additionalFields: { mailingName: 'March news' } }),
		check: ({ items }, request, { listId }) => {
			expect(request.encoding).toBe('urlencoded');
			expect(request.body).toMatchObject({ list_id: listId, name: 'March news', subject: 'News', message: 'Hello' });
			const mailing = state().mailings[0];
			expect(mailing.recipients.map((row: IDataObject) => row.email)).toEqual(['a@example.org', 'b@example.org']);
			expect(items[0].json.result).toEqual({ message_id: mailing.message_id, count_emails: 2 });
		},
	},
	'email:getDeliveryList': {
		setup: async () => {
			const { uuid } = await direct('/api/v2/sendBulkEmail', { sender_email: 'from@example.com', subject: 's', message: 'm', 'delivery_list[0]': 'a@example.org', 'delivery_list[1]': 'b@example.org' });
			const mailing = state().mailings.find((candidate: IDataObject) => candidate.uuid === uuid);
			fake().advance(mailing.message_id);
			return { messageId: String(mailing.message_id) };
		},
		parameters: ({ messageId }) => ({ messageId, returnAll: true }),
		check: ({ items }, request, { messageId }) => {
			expect(request.body.message_id).toBe(messageId);
			const mailing = state().mailings[0];
			expect(json(items)).toEqual(mailing.recipients.map((row: IDataObject) => ({ email_id: row.email_id, email: ` ${row.email}`, status: 'DELIVERED', error: '' })));
		},
	},
	'bulk:send': {
		parameters: () => ({ ...sender, recipients: 'a@example.org, B <b@example.org>', subject: 'Sale', message: 'Everything -20%', additionalFields: { mailingName: 'Newsletter №1' } }),
		check: ({ items }, request) => {
			expect(request.entries).toEqual(expect.arrayContaining([['message_type', 'bulk'], ['delivery_list[0]', 'a@example.org'], ['delivery_list[1]', 'b@example.org']]));
			expect(request.body).toMatchObject({ name: 'Newsletter №1', subject: 'Sale', message: 'Everything -20%' });
			const mailing = state().mailings[0];
			expect(mailing.recipients.map((row: IDataObject) => row.email)).toEqual(['a@example.org', 'b@example.org']);
			expect(items[0].json.result).toEqual({ uuid: mailing.uuid });
		},
	},
	'bulk:sendPersonal': {
		parameters: () => ({ ...sender, email: '={{ $json.email }}', subject: '={{ "Hello " + $json.name }}', message: '={{ "Dear " + $json.name }}' }),
		items: [{ json: { email: 'a@example.org', name: 'Ann' } }, { json: { email: 'b@example.org', name: 'Bob' } }],
		check: ({ items }, request) => {
			expect(fake().requests.filter((candidate) => candidate.path === '/api/v2/sendBulkEmail')).toHaveLength(1);
			expect(request.entries).toEqual(
				expect.arrayContaining([
					['message_type', 'personal'],
					['delivery_list[0][email]', 'a@example.org'],
					['delivery_list[0][subject]', 'Hello Ann'],
					['delivery_list[1][message]', 'Dear Bob'],
				]),
			);
			const mailing = state().mailings[0];
			expect(mailing.recipients.map((row: IDataObject) => [row.email, row.subject])).toEqual([['a@example.org', 'Hello Ann'], ['b@example.org', 'Hello Bob']]);
			expect(json(items)).toEqual([
				{ email: 'a@example.org', subject: 'Hello Ann', message: 'Dear Ann', uuid: mailing.uuid },
				{ email: 'b@example.org', subject: 'Hello Bob', message: 'Dear Bob', uuid: mailing.uuid },
			]);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		},
	},
	'bulk:getStatus': {
		setup: async () => {
			const { uuid } = await direct('/api/v2/sendBulkEmail', { sender_email: 'from@example.com', subject: 's', message: 'm', 'delivery_list[0]': 'a@example.org', 'delivery_list[1]': 'not-an-address' });
			fake().advance(String(uuid));
			fake().advance(String(uuid));
			return { uuid: String(uuid) };
		},
		parameters: ({ uuid }) => ({ uuid, returnAll: true }),
		check: ({ items }, request, { uuid }) => {
			expect(request.body.uuid).toBe(uuid);
			const mailing = state().mailings[0];
			expect(json(items)).toEqual([
				{ message_id: String(mailing.message_id), name: mailing.name, email: 'a@example.org', email_id: mailing.recipients[0].email_id, status: 'OPEN', error: null, refused: false },
				{ message_id: String(mailing.message_id), name: mailing.name, email: 'not-an-address', email_id: null, status: null, error: "The recipient's email address is incorrect", refused: true },
			]);
		},
	},
	'subscription:unsubscribe': {
		parameters: () => ({ email: 'jane@example.org', additionalFields: { listIds: '3434, 3500', reason: 'Too many letters' } }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ email: 'jane@example.org', list_ids: '3434,3500', reason: 'Too many letters' });
			expect(state().unsubscribed['jane@example.org']).toEqual({ lists: [3434, 3500], reason: 'Too many letters' });
			expect(items[0].json).toEqual({ status: 'OK' });
		},
	},
	'subscription:subscribe': {
		setup: async () => {
			await direct('/api/v2/unsubscribeEmail', { email: 'jane@example.org' });
			return {};
		},
		parameters: () => ({ email: 'jane@example.org' }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ token: smsBy.token, email: 'jane@example.org' });
			expect(state().unsubscribed).toEqual({});
			expect(items[0].json).toEqual({ status: 'OK' });
		},
	},
	'template:getAll': {
		parameters: () => ({ returnAll: true }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ token: smsBy.token });
			expect(json(items)).toEqual(state().templates);
		},
	},
	'mailingList:create': {
		parameters: () => ({ listName: 'VIP' }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ name: 'VIP' });
			const created = state().lists.find((list: IDataObject) => list.name === 'VIP');
			expect(items[0].json.result).toEqual({ list_id: created.list_id });
		},
	},
	'mailingList:getAll': {
		parameters: () => ({ returnAll: false, limit: 5 }),
		check: ({ items }) => {
			expect(json(items)).toEqual(state().lists.map((list: IDataObject) => ({ list_id: list.list_id, name: list.name, count: (list.contacts as unknown[]).length })));
		},
	},
	'mailingList:importContacts': {
		parameters: () => ({
			listId: { __rl: true, mode: 'list', value: '3434', cachedResultName: 'Customers' },
			email: '={{ $json.email }}',
			phone: '={{ $json.phone }}',
			additionalFields: { customFields: { values: [{ name: 'name', value: '={{ $json.name }}' }] } },
		}),
		items: [
			{ json: { email: 'Alexey@Example.by', phone: '375291111111', name: 'Alexey' } },
			{ json: { email: 'irina@example.by', phone: '375291111112', name: 'Irina' } },
		],
		check: ({ items }, request) => {
			expect(fake().requests.filter((candidate) => candidate.path === '/api/v2/importContacts')).toHaveLength(1);
			// The documented column layout: field_names[i] once, data[row][i] per contact.
			expect(request.body).toMatchObject({
				list_id: '3434',
				field_names: ['email', 'name', 'phone'],
				data: [
					['Alexey@Example.by', 'Alexey', '375291111111'],
					['irina@example.by', 'Irina', '375291111112'],
				],
			});
			expect(state().lists[0].contacts).toEqual([
				{ email: 'alexey@example.by', name: 'Alexey', phone: '375291111111' },
				{ email: 'irina@example.by', name: 'Irina', phone: '375291111112' },
			]);
			expect(json(items)).toEqual([
				{ email: 'Alexey@Example.by', phone: '375291111111', name: 'Alexey' },
				{ email: 'irina@example.by', phone: '375291111112', name: 'Irina' },
			]);
		},
	},
};

describe('SMS.by catalog through n8n', () => {
	test('every catalog entry has a case, and every case an entry', () => {
		expect(Object.keys(cases).sort()).toEqual(smsByCatalog.map((entry) => `${entry.resource}:${entry.operation}`).sort());
	});

	// index.js reads the built files: checked once dist/ exists (npm test builds first).
	(existsSync(join(__dirname, '..', '..', 'dist', 'nodes', 'SmsBy', 'operations.js')) ? test : test.skip)('index.js publishes the catalog under operations.smsBy (when built)', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const published = require('../../index.js').operations.smsBy;
		expect(published).toEqual(smsByCatalog);
		expect(published.map((entry: IDataObject) => `${entry.method} ${entry.path}`)).toContain('POST /api/v2/importContacts');
	});

	test.each(smsByCatalog.map((entry) => [`${entry.resource}:${entry.operation}`, entry] as const))('%s', async (key, entry) => {
		const testCase = cases[key];
		const prepared = (await testCase.setup?.()) ?? {};
		fake().requests.length = 0;
		const result = await smsBy.run({ resource: entry.resource, operation: entry.operation, ...testCase.parameters(prepared) }, { items: testCase.items });
		expect(result.error).toBeUndefined();
		const sent = fake().requests.filter((request) => request.path === entry.path);
		expect(sent.length).toBeGreaterThanOrEqual(1);
		const request = sent[sent.length - 1];
		expect(request.method).toBe(entry.method);
		expect(request.query).toEqual({});
		expect(['urlencoded', 'multipart']).toContain(request.encoding);
		expect(request.body.token).toBe(smsBy.token);
		testCase.check(result, request, prepared);
	});
});
