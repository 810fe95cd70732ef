/**
 * Form bodies owned by the package: nested values become PHP-style bracket keys (shared/http/form.ts) for
 * urlencoded and multipart bodies alike, sent for real through n8n-core's request helper to a local
 * server, decoded there by the platform's own parsers and read back the way PHP's $_POST would.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { flattenForm } from '../../nodes/shared/http/form';
import { sendRequest } from '../../nodes/shared/http/transport';
import type { ProviderProfile } from '../../nodes/shared/http/transport';
import type { RequestSpec } from '../../nodes/shared/model/operation';
import { requestContext } from '../harness/context';

const API_KEY = 'form-key+/=&[0]-5e1c';

interface Received {
	contentType: string;
	raw: Buffer;
	/** The body's fields in order, as the server's parser for its Content-Type read them. */
	fields: Array<[string, string]>;
}

/** Reads bracket keys back into nested values, as PHP fills $_POST: `a[0][b]=x` → { a: { 0: { b: 'x' } } }. */
function phpDecode(fields: Array<[string, string]>): IDataObject {
	const root: IDataObject = {};
	for (const [key, value] of fields) {
		const [, head, tail] = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key) ?? [];
		const path = [head, ...[...(tail ?? '').matchAll(/\[([^\]]*)\]/g)].map((match) => match[1])];
		let target = root;
		for (const segment of path.slice(0, -1)) target = (target[segment] ??= {}) as IDataObject;
		target[path[path.length - 1]] = value;
	}
	return root;
}

async function fieldsOf(contentType: string, raw: Buffer): Promise<Array<[string, string]>> {
	if (contentType.startsWith('multipart/form-data')) {
		const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		return [...form.entries()].map(([key, value]) => [key, typeof value === 'string' ? value : `file:${value.name}`]);
	}
	return [...new URLSearchParams(raw.toString('utf8')).entries()];
}

const profile: ProviderProfile = { name: 'Form Provider', detectFailure: () => undefined };

const received: Received[] = [];
const server = http.createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', async () => {
		const raw = Buffer.concat(chunks);
		const contentType = String(req.headers['content-type']);
		received.push({ contentType, raw, fields: await fieldsOf(contentType, raw) });
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ status: 'OK' }));
	});
});
let url = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
	received.length = 0;
});

const send = (spec: Partial<RequestSpec>) =>
	sendRequest(
		requestContext({ emailGatewayApi: { baseUrl: url, apiKey: API_KEY } }),
		'emailGatewayApi',
		{ method: 'POST', path: '/api/v2/importContacts', idempotent: false, ...spec },
		profile,
		{ itemIndex: 0 },
	);

/** SMS.by's contact import: a list of field names and a table of rows (data[row][column]). */
const importContacts: IDataObject = {
	list_id: 17,
	field_names: ['email', 'name'],
	data: [
		['ann@example.org', 'Ann & Co'],
		['bob@example.org', 'Bob [B]'],
	],
	delivery_list: [{ email: 'c@example.org', vars: { city: 'Minsk', vip: true } }],
	update_existing: false,
	note: null,
	unused: undefined,
	scheduled: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
	empty_list: [],
};

/** What PHP reads from that form: every value as text, booleans 1/0, a Date as ISO 8601, null/undefined/[] absent. */
const asPhpReadsIt = {
	list_id: '17',
	field_names: { 0: 'email', 1: 'name' },
	data: { 0: { 0: 'ann@example.org', 1: 'Ann & Co' }, 1: { 0: 'bob@example.org', 1: 'Bob [B]' } },
	delivery_list: { 0: { email: 'c@example.org', vars: { city: 'Minsk', vip: '1' } } },
	update_existing: '0',
	scheduled: '2024-01-02T03:04:05.000Z',
	APIKey: API_KEY,
};

describe('flattenForm', () => {
	it('writes nested arrays and objects as bracket keys, in order', () => {
		expect(flattenForm({ data: [[1, 2], [3]], field_names: ['email'], delivery_list: [{ email: 'a@b.c' }] })).toEqual([
			['data[0][0]', '1'],
			['data[0][1]', '2'],
			['data[1][0]', '3'],
			['field_names[0]', 'email'],
			['delivery_list[0][email]', 'a@b.c'],
		]);
	});

	it('converts scalars as PHP reads them and leaves out what has no value', () => {
		expect(flattenForm({ yes: true, no: false, zero: 0, pi: 3.5, big: BigInt(2) ** BigInt(64), text: '', nothing: null, unset: undefined, none: [], blank: {} } as unknown as IDataObject)).toEqual([
			['yes', '1'],
			['no', '0'],
			['zero', '0'],
			['pi', '3.5'],
			['big', '18446744073709551616'],
			['text', ''],
		]);
	});

	it.each([
		['NaN', { count: Number.NaN }, 'Form field "count" is NaN, which a form cannot carry'],
		['Infinity in a list', { list: [1, Infinity] }, 'Form field "list[1]" is Infinity, which a form cannot carry'],
		['an invalid Date', { when: new Date('not a date') }, 'Form field "when" is an invalid date'],
	])('refuses a value a form cannot carry: %s', (_name, body, message) => {
		expect(() => flattenForm(body as IDataObject)).toThrow(message);
	});
});

describe('form bodies on the wire', () => {
	it('urlencoded: the exact bytes, decoded by PHP rules into the nested values, with the credential', async () => {
		await expect(send({ bodyType: 'form', body: importContacts })).resolves.toEqual({ status: 'OK' });
		expect(received).toHaveLength(1);
		const [request] = received;
		expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(request.raw.toString('utf8')).toBe(
			[
				'list_id=17',
				'field_names%5B0%5D=email',
				'field_names%5B1%5D=name',
				'data%5B0%5D%5B0%5D=ann%40example.org',
				'data%5B0%5D%5B1%5D=Ann+%26+Co',
				'data%5B1%5D%5B0%5D=bob%40example.org',
				'data%5B1%5D%5B1%5D=Bob+%5BB%5D',
				'delivery_list%5B0%5D%5Bemail%5D=c%40example.org',
				'delivery_list%5B0%5D%5Bvars%5D%5Bcity%5D=Minsk',
				'delivery_list%5B0%5D%5Bvars%5D%5Bvip%5D=1',
				'update_existing=0',
				'scheduled=2024-01-02T03%3A04%3A05.000Z',
				`APIKey=${encodeURIComponent(API_KEY)}`,
			].join('&'),
		);
		expect(phpDecode(request.fields)).toEqual(asPhpReadsIt);
	});

	it('multipart: the same fields as parts, the files after them, with the credential', async () => {
		const csv = Buffer.from('email\nann@example.org\n');
		await send({
			bodyType: 'multipart',
			body: importContacts,
			files: [{ field: 'file', data: csv, fileName: 'contacts.csv', mimeType: 'text/csv' }],
		});
		expect(received).toHaveLength(1);
		const [request] = received;
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(phpDecode(request.fields)).toEqual({ ...asPhpReadsIt, file: 'file:contacts.csv' });
		// Nested values are never JSON text in a part.
		expect(request.fields.some(([, value]) => value.startsWith('{') || value.startsWith('['))).toBe(false);
		const form = await new Response(request.raw, { headers: { 'content-type': request.contentType } }).formData();
		const file = form.get('file') as File;
		expect(file.type).toBe('text/csv');
		expect(Buffer.from(await file.arrayBuffer()).equals(csv)).toBe(true);
	});

	it.each(['form', 'multipart'] as const)('%s: a value a form cannot carry is an input error of its item, and nothing is sent', async (bodyType) => {
		const error = await send({ bodyType, body: { list_id: 17, data: [[1, Number.NaN]] } }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('Form field "data[0][1]" is NaN, which a form cannot carry (item 1)');
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(received).toHaveLength(0);
	});
});
