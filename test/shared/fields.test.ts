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

import { fieldProperties } from '../../nodes/shared/description/properties';
import { descriptionProblems } from '../harness/description-checks';
import { withOneItemNumber } from '../../nodes/shared/http/errors';
import { convertField, readBoolean } from '../../nodes/shared/input/fields';
import type { FieldDefinition } from '../../nodes/shared/model/operation';
import { fillPath, pathPlaceholders } from '../../nodes/shared/util/path';
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

describe('generic checks on every field, for fixed values and expression results alike', () => {
	const node = { id: 'n', name: 'Fields Test', type: 'fieldsTest', typeVersion: 1, position: [0, 0], parameters: {} } as never;
	const text = (extra: Partial<FieldDefinition>): FieldDefinition => ({ displayName: 'Tag', name: 'tag', apiName: 'tag', type: 'string', ...extra });
	const convert = (field: FieldDefinition, value: unknown, itemIndex = 0) => convertField(node, itemIndex, field, value);

	test('minLength / maxLength count characters (code points), pattern must match the whole value', () => {
		expect(() => convert(text({ maxLength: 64 }), 'x'.repeat(65), 2)).toThrow('Tag: is 65 characters long, at most 64 are allowed (item 3)');
		expect(convert(text({ maxLength: 3 }), '😀😀😀')).toBe('😀😀😀');
		expect(() => convert(text({ minLength: 2 }), 'a')).toThrow('Tag: is 1 characters long, at least 2 are needed (item 1)');
		expect(() => convert(text({ pattern: '[a-z_]+' }), 'bad name!')).toThrow('Tag: "bad name!" does not have the expected form (matching [a-z_]+) (item 1)');
		expect(() => convert(text({ pattern: '[0-9]+' }), '12a')).toThrow('Tag: "12a" does not have the expected form (digits only, a numeric ID) (item 1)');
		expect(convert(text({ pattern: '[a-z_]+' }), 'good_name')).toBe('good_name');
	});

	test('minValue / maxValue hold for numbers and whole-number formats', () => {
		const count: FieldDefinition = { displayName: 'Count', name: 'count', apiName: 'count', type: 'number', minValue: 1, maxValue: 100 };
		expect(() => convert(count, 0)).toThrow('Count: must be at least 1, not 0 (item 1)');
		expect(() => convert(count, '-5')).toThrow('Count: must be at least 1, not -5 (item 1)');
		expect(() => convert(count, 101)).toThrow('Count: must be at most 100, not 101 (item 1)');
		expect(() => convert({ ...count, type: 'string', format: 'integer' }, '0')).toThrow('Count: must be at least 1, not 0 (item 1)');
		expect(convert(count, '7')).toBe(7);
	});

	test('wrong kinds: an object for a text, a boolean or an object for a number, text that is no number', () => {
		expect(() => convert(text({}), { a: 1 })).toThrow('Tag: must be a text, not an object ({"a":1}) (item 1)');
		const count: FieldDefinition = { displayName: 'Count', name: 'count', apiName: 'count', type: 'number' };
		expect(() => convert(count, true)).toThrow('Count: true is not a number (item 1)');
		expect(() => convert(count, 'abc')).toThrow('Count: "abc" is not a number (item 1)');
		expect(() => convert(count, 'Infinity')).toThrow('Count: "Infinity" is not a number (item 1)');
	});

	test('an options value that is not one of the options is refused, naming the allowed values', () => {
		const event: FieldDefinition = { displayName: 'Event', name: 'event', apiName: 'event', type: 'options', options: [{ name: 'Opened', value: 'Email.Opened' }, { name: 'Clicked', value: 'Email.Clicked' }] };
		expect(() => convert(event, 'Email.Nope', 1)).toThrow('Event: "Email.Nope" is not one of the choices; allowed: "Email.Opened", "Email.Clicked" (item 2)');
		expect(convert(event, ' Email.Clicked ')).toBe('Email.Clicked');
		const size: FieldDefinition = { displayName: 'Size', name: 'size', apiName: 'size', type: 'options', options: [{ name: 'Ten', value: 10 }] };
		expect(convert(size, '10')).toBe(10);
	});

	test('booleans: true/false, "true"/"false" (any case) and 1/0 are read; anything else is refused', () => {
		const track: FieldDefinition = { displayName: 'Track Opens', name: 'trackOpen', apiName: 'track_open', type: 'boolean', format: 'flag01' };
		expect([true, 'TRUE', ' true ', 1, '1'].map((value) => convert(track, value))).toEqual([1, 1, 1, 1, 1]);
		expect([false, 'false', 0, '0'].map((value) => convert(track, value))).toEqual([0, 0, 0, 0]);
		expect(() => convert(track, 'maybe')).toThrow('Track Opens: "maybe" is not true or false (item 1)');
		expect(() => convert(track, 2)).toThrow('Track Opens: 2 is not true or false (item 1)');
		expect(readBoolean('yes')).toBeUndefined();
		expect(convert({ ...track, format: undefined }, 'false')).toBe(false);
	});

	test('header formats: text without line breaks, RFC 5322 names, and header pairs', () => {
		expect(() => convert(text({ displayName: 'Subject', format: 'headerText' }), 'Hello\r\nBcc: victim@evil.example')).toThrow(
			'Subject: "Hello\\r\\nBcc: victim@evil.example" contains a line break, which could add email headers (such as a hidden Bcc) (item 1)',
		);
		expect(() => convert(text({ displayName: 'Name', format: 'headerName' }), 'X Bad: Name')).toThrow('Name: "X Bad: Name" is not a valid header name');
		const headers: FieldDefinition = { displayName: 'Headers', name: 'headers', apiName: 'Headers', type: 'fixedCollection', format: 'headerName', pairs: {} };
		expect(() => convert(headers, { values: [{ name: 'X-A\r\nBcc', value: '1' }] })).toThrow('Headers: "X-A\\r\\nBcc" is not a valid header name');
		expect(() => convert(headers, { values: [{ name: 'X-A', value: 'a\nb' }] })).toThrow('Headers: the value of "X-A" contains a line break');
		expect(convert(headers, { values: [{ name: 'X-Campaign', value: 'spring' }] })).toEqual({ 'X-Campaign': 'spring' });
	});
});

describe('an expression that fails', () => {
	test('is the input error of its field, with one 1-based item number (no n8n "[item 0]")', async () => {
		const result = await run(
			{ resource: 'contact', operation: 'create', listId: 'L1', email: 'a@example.org', firstName: '={{ $("No Such Node").item.json.name }}' },
			[{ json: {} }],
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe("First Name: its expression failed: Referenced node doesn't exist (item 1)");
		expect(result.error?.message).not.toMatch(/\[item \d+\]/);
		expect(received).toEqual([]);
	});

	test('inside Additional Fields names that field', async () => {
		const result = await run(
			{ resource: 'contact', operation: 'create', listId: 'L1', email: 'a@example.org', firstName: 'A', additionalFields: { vatId: 'x', tags: '={{ $("No Such Node").item.json.tags }}' } },
			[{ json: {} }, { json: {} }],
		);
		expect(result.error?.message).toBe("Tags: its expression failed: Referenced node doesn't exist (item 1)");
		expect(received).toEqual([]);
	});

	test("n8n's own 0-based \"[item N]\" becomes one 1-based item number", () => {
		expect(withOneItemNumber("Invalid input for 'Count' [item 0]", 0)).toBe("Invalid input for 'Count' (item 1)");
		expect(withOneItemNumber("Invalid input for field 'A' inside 'B' in [item 2]", 2)).toBe("Invalid input for field 'A' inside 'B' (item 3)");
		expect(withOneItemNumber('Subject: is required but empty (item 1)', 0)).toBe('Subject: is required but empty (item 1)');
	});
});
