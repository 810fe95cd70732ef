/**
 * The richer fields end to end: a test-only provider node (test/harness/fields-node.ts) built with the
 * shared description and executor (like a provider node) runs through n8n's engine (runNode) against a local fake that
 * records what it receives. Each kind of field is checked twice: the n8n parameter it becomes, and
 * the value n8n-core hands the node ending up where the provider expects it (path, query, body,
 * header).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { descriptionProblems, fieldProperties } from '../../nodes/shared/description';
import { fillPath, pathPlaceholders } from '../../nodes/shared/path';
import { runNode } from '../harness/engine';
import { FIELDS_TEST_CREDENTIAL, fieldsTestOperations } from '../harness/fields-node';

const API_KEY = 'fields-test-key-5d1e';
const CREDENTIAL = FIELDS_TEST_CREDENTIAL;
const operations = fieldsTestOperations;

interface Received {
	method: string;
	/** The raw request target, as sent (still encoded). */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: IDataObject;
}

let received: Received[] = [];
let baseUrl = '';
const server = createServer((request, response) => {
	let raw = '';
	request.on('data', (chunk) => (raw += chunk));
	request.on('end', () => {
		if (request.headers.authorization !== `Bearer ${API_KEY}`) {
			response.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Errors: [{ Code: 13, Message: 'Invalid SenderAPIKey' }] }));
			return;
		}
		received.push({ method: request.method!, url: request.url!, headers: request.headers, body: raw ? (JSON.parse(raw) as IDataObject) : {} });
		response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }));
	});
});

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (received = []));

async function run(parameters: IDataObject, items?: INodeExecutionData[]) {
	return await runNode({ nodeType: 'fieldsTest', parameters, items, credentials: { [CREDENTIAL]: { baseUrl, apiKey: API_KEY } } });
}

const properties = fieldProperties(operations);
const shown = (resource: string, operation: string) =>
	properties.filter((property) => property.displayOptions?.show?.resource?.includes(resource) && property.displayOptions?.show?.operation?.includes(operation));
const property = (resource: string, operation: string, name: string) => shown(resource, operation).find((candidate) => candidate.name === name)!;
const additional = (resource: string, operation: string, name: string) =>
	(property(resource, operation, 'additionalFields').options as INodeProperties[]).find((candidate) => candidate.name === name)!;

test('the test data itself is sound (every placeholder has its path field)', () => {
	expect(descriptionProblems(operations)).toEqual([]);
});

describe('path parameters', () => {
	test('are required top-level parameters', () => {
		expect(property('receiver', 'get', 'receiverId')).toMatchObject({ type: 'string', required: true });
		expect(property('contact', 'create', 'listId')).toMatchObject({ type: 'string', required: true });
	});

	test('fill their placeholders URL-encoded, beside a header and a query value', async () => {
		const result = await run({
			resource: 'receiver',
			operation: 'get',
			groupId: { __rl: true, mode: 'id', value: '42' },
			receiverId: 'jane+tag@example.org/../1?x',
			additionalFields: { requestTag: 'audit-7', fields: ['email', 'tags'] },
		});
		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(1);
		const [request] = received;
		expect(request.method).toBe('GET');
		expect(request.url).toBe('/v3/groups/42/receivers/jane%2Btag%40example.org%2F..%2F1%3Fx?fields=email%2Ctags');
		expect(request.headers['x-request-tag']).toBe('audit-7');
		expect(result.items).toEqual([{ json: { ok: true }, pairedItem: { item: 0 } }]);
	});

	test('an empty path value is an input error naming the field and the item; nothing is sent', async () => {
		const result = await run(
			{ resource: 'contact', operation: 'create', listId: '={{ $json.list }}', email: 'a@example.org', firstName: 'A' },
			[{ json: { list: 'L1' } }, { json: { list: '' } }],
		);
		expect(result.error?.message).toBe('List ID: is required but empty (item 2)');
		expect(received).toEqual([]);
	});

	test('fillPath and pathPlaceholders read the documented shapes', () => {
		expect(pathPlaceholders('/v3/groups/{id}/receivers/{pool_id}')).toEqual(['id', 'pool_id']);
		expect(fillPath('/lists/{list_id}/contacts/{contact_id}', { list_id: 'a b', contact_id: 7 })).toBe('/lists/a%20b/contacts/7');
	});
});

describe('resource locators', () => {
	test('offer From List (search method), By ID (pattern) and By URL (regex extracting the id)', () => {
		const group = property('receiver', 'get', 'groupId');
		expect(group).toMatchObject({ type: 'resourceLocator', required: true, default: { mode: 'list', value: '' } });
		expect(group.modes).toEqual([
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select a group...', typeOptions: { searchListMethod: 'searchGroups', searchable: false } },
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 123',
				validation: [{ type: 'regex', properties: { regex: '[0-9]+', errorMessage: 'Not a valid ID' } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://app.example.com/groups/123',
				extractValue: { type: 'regex', regex: 'https://app\\.example\\.com/groups/([0-9]+)(?:/.*)?' },
				validation: [{ type: 'regex', properties: { regex: 'https://app\\.example\\.com/groups/([0-9]+)(?:/.*)?', errorMessage: 'Not a valid URL' } }],
			},
		]);
	});

	test.each([
		['From List', { __rl: true, mode: 'list', value: '17', cachedResultName: 'Spring' }, '17'],
		['By URL', { __rl: true, mode: 'url', value: 'https://app.example.com/groups/23/settings' }, '23'],
		['a plain ID saved before the field was a locator', '31', '31'],
	])('%s reaches the path as the id', async (_mode, groupId, id) => {
		const result = await run({ resource: 'receiver', operation: 'get', groupId, receiverId: 'r1' });
		expect(result.error).toBeUndefined();
		expect(received.map((request) => request.url)).toEqual([`/v3/groups/${id}/receivers/r1`]);
	});

	test('n8n itself refuses a typed URL or ID that does not match (the mode validation); nothing is sent', async () => {
		await expect(run({ resource: 'receiver', operation: 'get', groupId: { __rl: true, mode: 'url', value: 'https://elsewhere.example.com/g/5' }, receiverId: 'r1' })).rejects.toThrow(
			'Not a valid URL',
		);
		await expect(run({ resource: 'receiver', operation: 'get', groupId: { __rl: true, mode: 'id', value: 'abc' }, receiverId: 'r1' })).rejects.toThrow('Not a valid ID');
		expect(received).toEqual([]);
	});

	test('an expression resolving to a URL or ID that does not match is an input error of the node; nothing is sent', async () => {
		const url = await run({ resource: 'receiver', operation: 'get', groupId: { __rl: true, mode: 'url', value: '={{ "https://elsewhere.example.com/g/5" }}' }, receiverId: 'r1' });
		expect(url.error?.message).toBe('Group: "https://elsewhere.example.com/g/5" is not a URL this field accepts (item 1)');
		const id = await run({ resource: 'receiver', operation: 'get', groupId: { __rl: true, mode: 'id', value: '={{ "abc" }}' }, receiverId: 'r1' });
		expect(id.error?.message).toBe('Group: "abc" is not a valid ID (item 1)');
		expect(received).toEqual([]);
	});
});

describe('fields shown for some values of another field', () => {
	test('carry that condition as displayOptions, at top level and inside Additional Fields', () => {
		const firstName = property('contact', 'create', 'firstName');
		expect(firstName.displayOptions).toEqual({ show: { resource: ['contact'], operation: ['create'], kind: ['person'] } });
		expect(property('contact', 'create', 'companyName').displayOptions!.show!.kind).toEqual(['company']);
		// Inside a collection n8n reaches a top-level parameter with a leading slash.
		expect(additional('contact', 'create', 'vatId').displayOptions).toEqual({ show: { '/kind': ['company'] } });
	});

	test('only the fields shown for the chosen value are read and required', async () => {
		// An optional locator left empty (as the editor saves it) is not sent either.
		const person = await run({ resource: 'contact', operation: 'create', listId: 'L1', email: 'p@example.org', kind: 'person', firstName: 'Pia', additionalFields: { vatId: 'DE1', owner: { __rl: true, mode: 'id', value: '' } } });
		expect(person.error).toBeUndefined();
		const company = await run({ resource: 'contact', operation: 'create', listId: 'L1', email: 'c@example.org', kind: 'company', companyName: 'Acme', additionalFields: { vatId: 'DE2' } });
		expect(company.error).toBeUndefined();
		// n8n itself drops a value whose field is hidden; the node never reads one either.
		expect(received.map((request) => request.body)).toEqual([
			{ email: 'p@example.org', kind: 'person', first_name: 'Pia' },
			{ email: 'c@example.org', kind: 'company', company: 'Acme', vat_id: 'DE2' },
		]);
		const missing = await run({ resource: 'contact', operation: 'create', listId: 'L1', email: 'c@example.org', kind: 'company', companyName: '={{ "" }}' });
		expect(missing.error?.message).toBe('Company Name: is required but empty (item 1)');
		expect(received).toHaveLength(2);
	});
});

describe('multiOptions, collections and fixedCollections', () => {
	test('become the n8n parameters users know', () => {
		expect(additional('contact', 'create', 'tags')).toMatchObject({ type: 'multiOptions', default: [], options: [{ name: 'VIP', value: 'vip' }, { name: 'Newsletter', value: 'newsletter' }] });
		const address = additional('contact', 'create', 'address');
		expect(address).toMatchObject({ type: 'collection', default: {}, placeholder: 'Add Field' });
		expect((address.options as INodeProperties[]).map((option) => [option.name, option.type])).toEqual([
			['postcode', 'string'],
			['street', 'string'],
		]);
		expect(additional('contact', 'create', 'customFields')).toMatchObject({
			type: 'fixedCollection',
			default: {},
			placeholder: 'Add Field',
			typeOptions: { multipleValues: true },
			options: [
				{
					displayName: 'Field',
					name: 'values',
					values: [
						{ displayName: 'Field Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		});
		const phones = additional('contact', 'create', 'phones').options as Array<{ values: INodeProperties[] }>;
		expect(phones[0].values.map((value) => [value.name, value.type, value.required ?? false])).toEqual([
			['number', 'string', true],
			['type', 'options', false],
		]);
	});

	test('arrive as arrays, nested objects, key/value lists and objects, and lists of objects', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'create',
			listId: 'L9',
			email: 'n@example.org',
			firstName: 'Nia',
			additionalFields: {
				tags: ['vip', 'newsletter'],
				address: { street: ' Main St 1 ', postcode: '10115' },
				customFields: { values: [{ name: 'plan', value: 'gold' }, { name: ' ', value: 'ignored' }, { name: 'seats', value: '={{ 2 + 3 }}' }] },
				metadata: { values: [{ name: 'source', value: 'n8n' }] },
				owner: { __rl: true, mode: 'id', value: '77' },
				phones: { values: [{ number: '+49 30 1', type: 'work' }, { number: '+49 171 2' }] },
			},
		});
		expect(result.error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(received[0].url).toBe('/lists/L9/contacts');
		expect(received[0].body).toEqual({
			email: 'n@example.org',
			kind: 'person',
			first_name: 'Nia',
			tags: ['vip', 'newsletter'],
			address: { street: 'Main St 1', zip: 10115 },
			attributes: [
				{ key: 'plan', value: 'gold' },
				{ key: 'seats', value: 5 },
			],
			meta: { source: 'n8n' },
			owner_id: '77',
			phones: [
				{ number: '+49 30 1', type: 'work' },
				{ number: '+49 171 2', type: 'mobile' },
			],
		});
	});

	test('a bad entry is an input error naming the field, the entry and the item', async () => {
		const phone = await run({ resource: 'contact', operation: 'create', listId: 'L9', email: 'n@example.org', firstName: 'Nia', additionalFields: { phones: { values: [{ number: '1' }, { number: '', type: 'work' }] } } });
		expect(phone.error?.message).toBe('Phones 2 → Number: is required but empty (item 1)');
		const postcode = await run({ resource: 'contact', operation: 'create', listId: 'L9', email: 'n@example.org', firstName: 'Nia', additionalFields: { address: { postcode: '10a' } } });
		expect(postcode.error?.message).toBe('Address → Postcode: "10a" is not a whole number (item 1)');
		const tag = await run({ resource: 'contact', operation: 'create', listId: 'L9', email: 'n@example.org', firstName: 'Nia', additionalFields: { tags: '={{ ["vip", "gold"] }}' } });
		expect(tag.error?.message).toBe('Tags: "gold" is not one of the choices (item 1)');
		expect(received).toEqual([]);
	});
});
