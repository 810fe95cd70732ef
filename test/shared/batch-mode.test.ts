/**
 * Batch mode of the shared executor, through n8n's engine: the test-only Batch Test node
 * (test/harness/batch-node.ts, built like a provider node) against a fake bulk API
 * (test/fake/batch-server.ts) that enforces a per-request maximum, answers 413 above a size limit,
 * rejects rows and answers in its own order. Every test counts the requests the fake received.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startBatchServer } from '../fake/batch-server';
import type { BatchServer, BatchServerOptions } from '../fake/batch-server';
import { runNode } from '../harness/engine';

let server: BatchServer;

beforeAll(async () => {
	server = await startBatchServer();
});
afterAll(async () => await server.close());

async function run(
	parameters: IDataObject,
	items: IDataObject[],
	options: { continueOnFail?: boolean; apiKey?: string; fake?: BatchServerOptions } = {},
) {
	server.reset(options.fake);
	return await runNode({
		nodeType: 'batchTest',
		parameters,
		items: items.map((json): INodeExecutionData => ({ json })),
		credentials: { batchTestApi: { baseUrl: server.url, apiKey: options.apiKey ?? server.apiKey } },
		continueOnFail: options.continueOnFail,
	});
}

const upsert = {
	resource: 'receiver',
	operation: 'upsert',
	group: '={{ $json.group }}',
	email: '={{ $json.email }}',
	source: 'n8n',
	additionalFields: { receiverName: '={{ $json.name }}' },
};
const importContacts = { resource: 'contact', operation: 'import', list: 'L1', email: '={{ $json.email }}' };
const createOrders = { resource: 'order', operation: 'create', ref: '={{ $json.ref }}', amount: '={{ $json.amount }}' };
const sendPersonal = {
	resource: 'mailing',
	operation: 'sendPersonal',
	subject: 'Hello',
	email: '={{ $json.email }}',
	additionalFields: { recipientName: '={{ $json.name }}' },
};

const receivers = (count: number, group = 'G1') =>
	Array.from({ length: count }, (_, index) => ({ group, email: `user${index}@example.com`, name: `User ${index}` }));

const rowsPerRequest = () => server.requests.map((request) => request.rows);
const pairing = (items: INodeExecutionData[]) => items.map((item) => (item.pairedItem as { item: number }).item);

describe('batch mode: one request per chunk', () => {
	test('2,500 items at 1,000 per request: 3 requests, and each item gets its own receiver back', async () => {
		const { error, items } = await run(upsert, receivers(2500));

		expect(error).toBeUndefined();
		expect(rowsPerRequest()).toEqual([1000, 1000, 500]);
		for (const request of server.requests) {
			expect(request.status).toBe(200);
			expect(request.headers['x-api-key']).toBe(server.apiKey);
			expect(request.query).toEqual({ group: 'G1' });
			// Shared fields once per request, not in every record.
			expect(request.body.source).toBe('n8n');
			expect((request.body.receivers as IDataObject[])[0]).toEqual({ email: expect.any(String), name: expect.any(String) });
		}
		expect(server.receivers.get('G1')?.size).toBe(2500);
		expect(items).toHaveLength(2500);
		expect(pairing(items)).toEqual(Array.from({ length: 2500 }, (_, index) => index));
		// The fake answers in reverse order: matching by email still gives every item its own row.
		items.forEach((item, index) => {
			expect(item.json).toMatchObject({ email: `user${index}@example.com`, name: `User ${index}`, group: 'G1', status: 'created' });
			expect(item.json.id).toBe(server.receivers.get('G1')?.get(`user${index}@example.com`)?.id);
		});
	});

	test('results matched by email whatever the case the provider answers with; a repeated address takes one row each', async () => {
		const { error, items } = await run(upsert, [
			{ group: 'G1', email: 'Ann@Example.com', name: 'Ann' },
			{ group: 'G1', email: 'bob@example.com', name: 'Bob' },
			{ group: 'G1', email: 'ann@example.com', name: 'Ann again' },
		]);

		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(pairing(items)).toEqual([0, 1, 2]);
		expect(items[1].json).toMatchObject({ email: 'bob@example.com', name: 'Bob', status: 'created' });
		// Rows of one address cannot be told apart: each of its items gets one of them, none is left without.
		expect([items[0].json.email, items[2].json.email].map((email) => String(email).toLowerCase())).toEqual(['ann@example.com', 'ann@example.com']);
		expect([items[0].json.status, items[2].json.status].sort()).toEqual(['created', 'updated']);
	});

	test('items that differ in a shared field (query, shared body field) go in separate requests, output in input order', async () => {
		const { error, items } = await run(upsert, [
			{ group: 'A', email: 'a1@example.com' },
			{ group: 'B', email: 'b1@example.com' },
			{ group: 'A', email: 'a2@example.com' },
			{ group: 'B', email: 'b2@example.com' },
		]);

		expect(error).toBeUndefined();
		expect(server.requests.map((request) => [request.query.group, request.rows])).toEqual([
			['A', 2],
			['B', 2],
		]);
		expect(items.map((item) => [item.json.group, item.json.email])).toEqual([
			['A', 'a1@example.com'],
			['B', 'b1@example.com'],
			['A', 'a2@example.com'],
			['B', 'b2@example.com'],
		]);
		expect(pairing(items)).toEqual([0, 1, 2, 3]);
	});

	test('results by index (request order): 1,200 contacts at 500 per call are 3 requests, each row back to its item', async () => {
		const contacts = Array.from({ length: 1200 }, (_, index) => ({ email: `Contact${index}@Example.com` }));
		const { error, items } = await run(importContacts, contacts);

		expect(error).toBeUndefined();
		expect(rowsPerRequest()).toEqual([500, 500, 200]);
		expect(server.requests.every((request) => request.body.list === 'L1')).toBe(true);
		// chunkBody laid the records out as columns and rows; toRecord lower-cased every address first.
		expect(server.requests[2].body.field_names).toEqual(['email']);
		expect((server.requests[2].body.data as unknown[][])[0]).toEqual(['contact1000@example.com']);
		expect(items).toHaveLength(1200);
		expect(pairing(items)).toEqual(Array.from({ length: 1200 }, (_, index) => index));
		items.forEach((item, index) => {
			const stored = server.importedContacts.find((contact) => contact.email === `contact${index}@example.com`);
			expect(item.json).toEqual({ status: 'imported', id: stored?.id });
		});
	});

	test('results by id, up to 3 requests in flight: 250 orders are 3 requests, each item gets the order with its reference', async () => {
		const orders = Array.from({ length: 250 }, (_, index) => ({ ref: `R-${index}`, amount: index }));
		const { error, items } = await run(createOrders, orders, { fake: { delayMs: 150 } });

		expect(error).toBeUndefined();
		expect(rowsPerRequest().sort((a, b) => b - a)).toEqual([100, 100, 50]);
		expect(server.maxInFlight).toBe(3);
		expect(pairing(items)).toEqual(Array.from({ length: 250 }, (_, index) => index));
		items.forEach((item, index) => {
			expect(item.json).toEqual({ ref: `R-${index}`, amount: index, id: server.orders.find((order) => order.ref === `R-${index}`)?.id });
		});
	});
});

describe('batch mode: calls that send mail', () => {
	const recipients = Array.from({ length: 450 }, (_, index) => ({ email: `r${index}@example.com`, name: `R ${index}` }));

	test('without Continue On Fail the chunks also go out in parallel; an answer without per-row results gives each item the record it sent', async () => {
		const { error, items } = await run(sendPersonal, recipients, { fake: { delayMs: 40 } });

		expect(error).toBeUndefined();
		expect(rowsPerRequest().sort((a, b) => b - a)).toEqual([200, 200, 50]);
		expect(server.maxInFlight).toBe(3);
		expect(server.requests.every((request) => request.body.subject === 'Hello')).toBe(true);
		expect(server.mailed).toHaveLength(450);
		expect(pairing(items)).toEqual(Array.from({ length: 450 }, (_, index) => index));
		items.forEach((item, index) => expect(item.json).toEqual(recipients[index]));
	});

	test('a failed chunk stops the run: no chunk starts after it, those in flight finish and count, nothing is sent twice; the error lists what was not sent', async () => {
		const many = Array.from({ length: 2000 }, (_, index) => ({ email: `m${index}@example.com` }));
		const { error, items } = await run(sendPersonal, many, { fake: { delayMs: 80, failRequestWith: 'm0@example.com' } });

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.context?.itemIndex).toBe(0);
		// 4 chunks in flight (the declared concurrency): the first refused, the 3 others finished; none of the 6 others started.
		expect(server.requests).toHaveLength(4);
		expect(server.requests.map((request) => request.status).sort()).toEqual([200, 200, 200, 500]);
		expect(server.mailed).toHaveLength(600);
		expect(new Set(server.mailed.map((row) => row.email)).size).toBe(600);
		expect(error?.description).toContain('This request carried 200 items (item 1 to item 200); 600 item(s) were accepted in the run\'s other requests.');
		expect(error?.description).toContain('Not sent: items 801 to 2000.');
	});

	test('"One at a Time, in Order" sends the chunks one after another', async () => {
		server.reset({ delayMs: 40 });
		const { error } = await runNode({
			nodeType: 'batchTest',
			parameters: { ...sendPersonal, requestOptions: { oneAtATime: true } },
			items: recipients.map((json): INodeExecutionData => ({ json })),
			credentials: { batchTestApi: { baseUrl: server.url, apiKey: server.apiKey } },
		});
		expect(error).toBeUndefined();
		expect(rowsPerRequest()).toEqual([200, 200, 50]);
		expect(server.maxInFlight).toBe(1);
	});

	test('under Continue On Fail the declared concurrency applies', async () => {
		const { error, items } = await run(sendPersonal, recipients, { continueOnFail: true, fake: { delayMs: 150 } });

		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
		expect(server.maxInFlight).toBe(3);
		expect(items).toHaveLength(450);
	});
});

describe('batch mode: rejected rows', () => {
	const withRejected = [
		{ group: 'G1', email: 'one@example.com' },
		{ group: 'G1', email: 'two@example.com' },
		{ group: 'G1', email: 'blocked@rejected.example' },
		{ group: 'G1', email: 'four@example.com' },
	];

	test('under Continue On Fail a rejected row is that item\'s error, the others stand, pairing intact', async () => {
		const { error, items } = await run(upsert, withRejected, { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(pairing(items)).toEqual([0, 1, 2, 3]);
		expect(items.map((item) => item.json.email)).toEqual(['one@example.com', 'two@example.com', undefined, 'four@example.com']);
		expect(items[2].json.error).toBe('"Upsert receivers" rejected item 3: Address is on the blocklist [error code blocked]');
		expect(items[2].json.description).toContain('3 accepted');
		expect([...(server.receivers.get('G1')?.keys() ?? [])].sort()).toEqual(['four@example.com', 'one@example.com', 'two@example.com']);
	});

	test('a rejection found by its 1-based index in the answer\'s log goes to the right item', async () => {
		const contacts = [{ email: 'a@example.com' }, { email: 'b@rejected.example' }, { email: 'c@example.com' }];
		const { items } = await run(importContacts, contacts, { continueOnFail: true });

		expect(server.requests).toHaveLength(1);
		expect(pairing(items)).toEqual([0, 1, 2]);
		expect(items[0].json.status).toBe('imported');
		expect(items[1].json.error).toBe('"Import contacts" rejected item 2: Invalid address b@rejected.example');
		expect(items[2].json.status).toBe('imported');
	});

	test('without Continue On Fail the run fails naming the item and how many were accepted in its other requests and with it', async () => {
		const contacts = Array.from({ length: 1200 }, (_, index) => ({
			email: index === 700 ? 'bad@rejected.example' : `c${index}@example.com`,
		}));
		const { error, items } = await run(importContacts, contacts);

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('"Import contacts" rejected item 701: Invalid address bad@rejected.example');
		expect(error?.context?.itemIndex).toBe(700);
		// The 3 chunks went out together: the first and the last were taken whole, the second but for item 701.
		expect(error?.description).toContain("700 item(s) were accepted in the run's other requests and 499 in the same request: they stay accepted. No request started after it");
		expect(error?.description).not.toContain('Not sent');
		expect(rowsPerRequest().sort((a, b) => b - a)).toEqual([500, 500, 200]);
		expect(server.importedContacts).toHaveLength(1199);
	});

	test('a rejected row in one of two groups: the error says once what went out (the batch\'s own account, no second run summary)', async () => {
		const items = [
			{ group: 'A', email: 'a1@example.com' },
			{ group: 'B', email: 'bad@rejected.example' },
			{ group: 'A', email: 'a2@example.com' },
		];
		const { error } = await run(upsert, items);

		expect(error?.message).toContain('item 2');
		expect(error?.description).not.toContain('went out before the run stopped');
		expect(error?.description?.match(/accepted/g)?.length).toBeGreaterThanOrEqual(1);
	});

	test('a row the answer does not account for is that item\'s error, never a silent success', async () => {
		const { items } = await run(upsert, withRejected.slice(0, 2), { continueOnFail: true, fake: { omitFromAnswer: 'two@example.com' } });

		expect(server.requests).toHaveLength(1);
		expect(pairing(items)).toEqual([0, 1]);
		expect(items[0].json.status).toBe('created');
		expect(items[1].json.error).toBe('"Upsert receivers" answered without a result for item 2 (email two@example.com)');
		expect(items[1].json.description).toContain('Check in the provider whether it was taken');

		const failed = await run(upsert, withRejected.slice(0, 2), { fake: { omitFromAnswer: 'two@example.com' } });
		expect(failed.error?.message).toBe('"Upsert receivers" answered without a result for item 2 (email two@example.com)');
		expect(failed.error?.context?.itemIndex).toBe(1);
	});
});

describe('batch mode: HTTP 413 and failed requests', () => {
	test('413 halves the chunk and resends it, and the smaller size stays for the rest of the run', async () => {
		server.reset({ maxRowsBeforeTooLarge: 300 });
		// One chunk at a time (Request Options), so the sizes come in a fixed order.
		const { error, items } = await runNode({
			nodeType: 'batchTest',
			parameters: { ...upsert, requestOptions: { oneAtATime: true } },
			items: receivers(1500).map((json): INodeExecutionData => ({ json })),
			credentials: { batchTestApi: { baseUrl: server.url, apiKey: server.apiKey } },
		});

		expect(error).toBeUndefined();
		// 1000 → 413, 500 → 413, then 250 at a time for everything left.
		expect(rowsPerRequest()).toEqual([1000, 500, 250, 250, 250, 250, 250, 250]);
		expect(server.requests.map((request) => request.status)).toEqual([413, 413, 200, 200, 200, 200, 200, 200]);
		expect(server.receivers.get('G1')?.size).toBe(1500);
		expect(pairing(items)).toEqual(Array.from({ length: 1500 }, (_, index) => index));
		items.forEach((item, index) => expect(item.json.email).toBe(`user${index}@example.com`));
	});

	test('413 with chunks in flight at once: every order is created once and goes back to its item', async () => {
		const orders = Array.from({ length: 250 }, (_, index) => ({ ref: `R-${index}`, amount: index }));
		const { error, items } = await run(createOrders, orders, { fake: { maxRowsBeforeTooLarge: 60, delayMs: 30 } });

		expect(error).toBeUndefined();
		const accepted = server.requests.filter((request) => request.status === 200);
		const refused = server.requests.filter((request) => request.status === 413);
		expect(refused.map((request) => request.rows).sort()).toEqual([100, 100]);
		expect(accepted.every((request) => request.rows <= 50)).toBe(true);
		expect(accepted.reduce((sum, request) => sum + request.rows, 0)).toBe(250);
		expect(server.orders.map((order) => order.ref).sort()).toEqual(orders.map((order) => order.ref).sort());
		expect(pairing(items)).toEqual(Array.from({ length: 250 }, (_, index) => index));
		items.forEach((item, index) => expect(item.json.ref).toBe(`R-${index}`));
	});

	test('one item that alone is too large fails with 413; the others are sent', async () => {
		const items4 = receivers(4);
		items4[2].name = 'x'.repeat(5000);
		const { error, items } = await run(upsert, items4, { continueOnFail: true, fake: { maxBodyBytes: 2000 } });

		expect(error).toBeUndefined();
		expect(rowsPerRequest()).toEqual([4, 2, 2, 1, 1]);
		expect(server.requests.map((request) => request.status)).toEqual([413, 200, 413, 413, 200]);
		expect(pairing(items)).toEqual([0, 1, 2, 3]);
		expect(items[2].json.error).toContain('Payload Too Large');
		expect(items[2].json.description).toContain('This item alone is larger than the provider accepts');
		expect([items[0], items[1], items[3]].map((item) => item.json.status)).toEqual(['created', 'created', 'created']);
	});

	test('a request refused as a whole (wrong key) fails every item of its chunk: error items under Continue On Fail', async () => {
		const { error, items } = await run(upsert, receivers(3), { continueOnFail: true, apiKey: 'wrong-key' });

		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(pairing(items)).toEqual([0, 1, 2]);
		for (const item of items) {
			expect(item.json.error).toContain('Invalid API key');
			expect(item.json.description).toContain('This request carried 3 items (item 1 to item 3)');
		}
	});

	test('without Continue On Fail the refused chunk fails the run, saying which items it carried', async () => {
		const { error, items } = await run(upsert, receivers(3), { apiKey: 'wrong-key' });

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Invalid API key');
		expect(error?.message).not.toContain('wrong-key');
		expect(error?.description).toContain("This request carried 3 items (item 1 to item 3); 0 item(s) were accepted in the run's other requests.");
		expect(server.requests).toHaveLength(1);
	});
});

describe('batch mode: input is checked first', () => {
	test('an invalid address in item 7 stops the run before any request', async () => {
		const input = receivers(10);
		input[6].email = 'not-an-address';
		const { error, items } = await run(upsert, input);

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain('Email');
		expect(error?.message).toContain('not-an-address');
		expect(error?.context?.itemIndex).toBe(6);
		expect(server.requests).toHaveLength(0);
	});

	test('under Continue On Fail the invalid item is an error item and the others go out in one request', async () => {
		const input = receivers(10);
		input[6].email = 'not-an-address';
		const { error, items } = await run(upsert, input, { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(rowsPerRequest()).toEqual([9]);
		expect(pairing(items)).toEqual(Array.from({ length: 10 }, (_, index) => index));
		expect(items[6].json.error).toContain('not-an-address');
		expect(items.filter((item) => item.json.status === 'created')).toHaveLength(9);
	});
});
