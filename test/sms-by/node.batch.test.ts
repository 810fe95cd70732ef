/**
 * SMS.by's many-records methods through n8n's engine in the core's batch mode: contact imports go 500
 * contacts per request (the documented maximum, which the fake enforces) with each rejected row's log
 * entry back on its own item, and personal mailings go one mailing per 500 letters, every item getting
 * its letter and the mailing's uuid.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useFakeSmsBy } from './fake-smsby';

const smsBy = useFakeSmsBy();
const fake = () => smsBy.fake();
const sent = (path: string) => fake().requests.filter((request) => request.path === path);

const contacts = (count: number, make: (index: number) => IDataObject = (index) => ({ email: `c${index}@example.org` })): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: make(index) }));

const importParameters = (extra: IDataObject = {}) => ({
	resource: 'mailingList',
	operation: 'importContacts',
	listId: { __rl: true, mode: 'id', value: '3434' },
	email: '={{ $json.email }}',
	phone: '={{ $json.phone }}',
	...extra,
});

describe('Import Contacts in batch mode', () => {
	test('1,200 items become 3 requests of 500, 500 and 200 contacts; every item has its row', async () => {
		const { items, error } = await smsBy.run(importParameters(), { items: contacts(1200) });
		expect(error).toBeUndefined();
		const requests = sent('/api/v2/importContacts');
		expect(requests.map((request) => (request.body.data as unknown[]).length)).toEqual([500, 500, 200]);
		expect(requests[1].body.data).toEqual(Array.from({ length: 500 }, (_, index) => [`c${500 + index}@example.org`]));
		expect(fake().state.lists[0].contacts).toHaveLength(1200);
		expect(items).toHaveLength(1200);
		expect(items[1199]).toEqual({ json: { email: 'c1199@example.org' }, pairedItem: { item: 1199 } });
	});

	test("a row the import log rejects is that item's error; the others are imported (Continue On Fail)", async () => {
		// The node checks addresses itself, so the fake's own check refuses a phone number instead.
		const items = contacts(3, (index) => ({ email: `p${index}@example.org`, phone: ['375291111110', '12', '375291111112'][index] }));
		const result = await smsBy.run(importParameters(), { items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(sent('/api/v2/importContacts')).toHaveLength(1);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toEqual({ email: 'p0@example.org', phone: '375291111110' });
		expect(String(result.items[1].json.error)).toBe('"Import contacts to mailing list" rejected item 2: Invalid phone');
		expect(fake().state.lists[0].contacts.map((contact: IDataObject) => contact.email)).toEqual(['p0@example.org', 'p2@example.org']);
	});

	test('contacts with different columns go in separate requests: no column is sent empty', async () => {
		const items = [{ json: { email: 'a@example.org' } }, { json: { email: 'b@example.org', phone: '375291111111' } }, { json: { email: 'c@example.org' } }];
		const { error, items: output } = await smsBy.run(importParameters(), { items });
		expect(error).toBeUndefined();
		expect(sent('/api/v2/importContacts').map((request) => [request.body.field_names, request.body.data])).toEqual([
			[['email'], [['a@example.org'], ['c@example.org']]],
			[['email', 'phone'], [['b@example.org', '375291111111']]],
		]);
		expect(output.map((item) => item.json.email)).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
	});

	test('a contact without email and phone, or with a bad address, stops the run before any request', async () => {
		const noContact = await smsBy.run(importParameters(), { items: [{ json: { email: 'a@example.org' } }, { json: {} }] });
		expect(noContact.error?.message).toBe('Email: and Phone are both empty (item 2)');
		const badEmail = await smsBy.run(importParameters(), { items: [{ json: { email: 'not-an-address' } }] });
		expect(badEmail.error?.message).toMatch(/^Email: .*not-an-address.* \(item 1\)$/);
		expect(fake().requests).toHaveLength(0);
	});

	test('the fake enforces the documented 500-contact limit', async () => {
		const body = new URLSearchParams({ token: smsBy.token, list_id: '3434', 'field_names[0]': 'email' });
		for (let row = 0; row < 501; row++) body.append(`data[${row}][0]`, `x${row}@example.org`);
		const response = await fetch(`${fake().url}/api/v2/importContacts`, { method: 'POST', body });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ status: 'error', message: 'You can import no more than 500 contacts per call' });
	});
});

describe('Send Personal in batch mode', () => {
	const personal = {
		resource: 'bulk',
		operation: 'sendPersonal',
		senderEmail: 'from@example.com',
		email: '={{ $json.email }}',
		subject: '={{ "Hi " + $json.n }}',
		message: 'Personal letter',
		additionalFields: { mailingName: 'Spring', sendAt: '2026-04-01T08:00:00' },
	};

	test('501 items become two personal mailings (500 + 1); each item gets its letter and its mailing uuid', async () => {
		const items = Array.from({ length: 501 }, (_, n) => ({ json: { email: `r${n}@example.org`, n } }));
		const { items: output, error } = await smsBy.run(personal, { items });
		expect(error).toBeUndefined();
		const requests = sent('/api/v2/sendBulkEmail');
		expect(requests.map((request) => (request.body.delivery_list as unknown[]).length)).toEqual([500, 1]);
		for (const request of requests) {
			expect(request.body).toMatchObject({ message_type: 'personal', name: 'Spring', d_schedule: '2026-04-01 08:00', sender_email: 'from@example.com' });
		}
		const [first, second] = fake().state.mailings;
		expect(output).toHaveLength(501);
		expect(output[0].json).toEqual({ email: 'r0@example.org', subject: 'Hi 0', message: 'Personal letter', uuid: first.uuid });
		expect(output[500].json).toEqual({ email: 'r500@example.org', subject: 'Hi 500', message: 'Personal letter', uuid: second.uuid });
		expect(output[500].pairedItem).toEqual({ item: 500 });
	});

	test('a refused mailing stops the run and says which items it carried; nothing is sent twice', async () => {
		fake().failNext({ path: '/api/v2/sendBulkEmail', status: 500, body: { status: 'error', message: 'Server is not available' } });
		const items = Array.from({ length: 3 }, (_, n) => ({ json: { email: `r${n}@example.org`, n } }));
		const { error } = await smsBy.run(personal, { items });
		expect(error?.message).toBe('SMS.by refused the request to "Sending letters to multiple addresses, as well as personal letters in batch mode": Server is not available [error code 500]');
		expect(error?.description).toContain('This request carried 3 items (item 1 to item 3)');
		expect(sent('/api/v2/sendBulkEmail')).toHaveLength(1);
	});
});
