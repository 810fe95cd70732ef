/**
 * Every Especial operation of the package catalog, run through n8n's engine against the fake Especial
 * server, with values built from the specification (test/fixtures/especial-openapi.json): the request
 * must be the catalog's method and path (the fake matches it against the specification's templates),
 * carry the required path, query and body fields, pass the fake's checks of the specification, and the
 * node's output must be what the fake answered.
 */
import type { IDataObject } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { especialCatalog, especialOperations } from '../../nodes/Especial/operations';
import type { GeneratedOperation } from '../../nodes/Especial/descriptions/types';
import type { FieldDefinition } from '../../nodes/shared/model/operation';
import { runNode } from '../harness/engine';
import { PASSWORD, ROUTES, USERNAME, resolve, sample, useEspecialFake } from './fake';

const { fake, credentials, apiRequests } = useEspecialFake();

const seedTitles = (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'especial-operations.json'), 'utf8')) as Array<{ section: string; title: string }>);

/** Path values per parameter (the API's own kinds: ids, names, an address). */
const PATH_VALUES: Record<string, string> = {
	list_id: '3',
	name: 'favorite_color',
	interest_name: 'cycling',
	tag: 'vip',
	email: 'blocked@example.org',
	webhook_id: 'webhook_7',
	workflow_id: 'wf_1',
	action_id: 'act_2',
	blueprint_id: '11',
};

function pathValue(apiName: string): string {
	return PATH_VALUES[apiName] ?? '7';
}

/** The specification's JSON schema of one body property of an operation (for JSON fields). */
function bodyPropertySchema(operation: GeneratedOperation, apiName: string): unknown {
	const route = ROUTES.find((candidate) => candidate.method === operation.method && candidate.path === operation.path);
	const content = ((route?.operation.requestBody as IDataObject | undefined)?.content ?? {}) as IDataObject;
	const schema = resolve((Object.values(content)[0] as IDataObject | undefined)?.schema);
	return apiName === '' ? schema : (schema.properties as IDataObject | undefined)?.[apiName];
}

/** A value the specification accepts for a field, as the node's parameter holds it, and what the API should receive. */
function example(operation: GeneratedOperation, field: FieldDefinition): { parameter: unknown; sent: unknown } {
	if (field.location === 'path') return { parameter: pathValue(field.apiName), sent: pathValue(field.apiName) };
	if (operation.title === 'Create a token' && field.apiName === 'username') return { parameter: USERNAME, sent: USERNAME };
	if (field.type === 'json') {
		const value = sample(bodyPropertySchema(operation, field.apiName));
		return { parameter: JSON.stringify(value), sent: value };
	}
	if (field.type === 'options') {
		const value = field.options?.[0]?.value ?? 'picked';
		return { parameter: value, sent: value };
	}
	if (field.type === 'multiOptions') return { parameter: ['alpha', 'beta'], sent: ['alpha', 'beta'] };
	if (field.type === 'boolean') return { parameter: true, sent: true };
	if (field.type === 'dateTime') return { parameter: '2026-12-24T10:00:00Z', sent: 1798106400 };
	if (field.type === 'number') {
		const value = field.minValue !== undefined && field.minValue > 1 ? field.minValue : 2;
		return { parameter: value, sent: value };
	}
	if (field.type === 'collection' || field.type === 'fixedCollection') {
		const parameter: IDataObject = {};
		const sent: IDataObject = {};
		// Its required sub-fields, or its first one when none is required (an empty object is no value).
		const subs = (field.fields ?? []).some((sub) => sub.required) ? (field.fields ?? []).filter((sub) => sub.required) : (field.fields ?? []).slice(0, 1);
		for (const sub of subs) {
			const value = example(operation, sub);
			parameter[sub.name] = value.parameter as IDataObject[string];
			sent[sub.apiName] = value.sent as IDataObject[string];
		}
		return field.type === 'collection' ? { parameter, sent } : { parameter: { values: [parameter] }, sent: [sent] };
	}
	if (field.format === 'email') return { parameter: 'jane.doe@example.com', sent: 'jane.doe@example.com' };
	if (field.format === 'url') return { parameter: 'https://hooks.example.org/especial', sent: 'https://hooks.example.org/especial' };
	if (field.apiName === 'contact_ids') return { parameter: '12, 34', sent: [12, 34] };
	return { parameter: `${field.apiName}-value`, sent: `${field.apiName}-value` };
}

function resolvedPath(operation: GeneratedOperation): string {
	return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(pathValue(name)));
}

const isTopLevel = (field: FieldDefinition) => field.required === true || field.main === true || field.location === 'path';
const isList = (operation: GeneratedOperation) => operation.pagination !== undefined || operation.itemsKey !== undefined;

/** Prepares what the operation acts on: the records its path names, three records for a listing, a refresh token. */
async function prepare(operation: GeneratedOperation, parameters: IDataObject) {
	const path = resolvedPath(operation);
	// Every record the path names exists (list 3, contact 7 of list 3, campaign 7 to schedule...).
	if (operation.path.includes('{')) fake().seedPath(path);
	if (isList(operation)) {
		const records = fake().collection(path);
		for (const id of ['901', '902', '903']) records.set(id, { id: Number(id), name: `Listed ${id}`, email: `listed${id}@example.org`, status: 'active' });
	}
	if (operation.title === 'Refresh a token') {
		const response = await fetch(`${fake().url}/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'password', username: USERNAME, password: PASSWORD }).toString(),
		});
		parameters.refreshToken = ((await response.json()) as IDataObject).refresh_token;
	}
	if (operation.title === 'Create a token') parameters.additionalFields = { ...(parameters.additionalFields as IDataObject), password: PASSWORD };
}

describe('Especial catalog', () => {
	it('has exactly one operation for each of the 167 titles of the seed, and the package\'s own Check Trigger Webhooks', () => {
		expect(seedTitles).toHaveLength(167);
		const missing = seedTitles.filter(({ title }) => especialCatalog.filter((entry) => entry.title === title).length !== 1);
		expect(missing).toEqual([]);
		expect(especialCatalog).toHaveLength(168);
		// Tested in test/especial/node.check-trigger.test.ts: it sends the list request of "List all webhooks".
		expect(especialCatalog.filter((entry) => !seedTitles.some(({ title }) => title === entry.title))).toEqual([
			{ resource: 'webhook', operation: 'checkTrigger', title: 'Check Trigger Webhooks', method: 'GET', path: '/webhooks', credential: 'especialApi' },
		]);
	});

	it('lists each operation with its method, path and credential', () => {
		for (const entry of especialCatalog) {
			expect(entry).toEqual({ resource: expect.any(String), operation: expect.any(String), title: expect.any(String), method: expect.stringMatching(/^(GET|POST|PUT|PATCH|DELETE)$/), path: expect.stringMatching(/^\//), credential: 'especialApi' });
			// The seed-only "Unarchive a list" aside, every path is one of the specification's.
			if (entry.title !== 'Unarchive a list') expect(ROUTES.some((route) => route.method === entry.method && route.path === entry.path)).toBe(true);
		}
	});
});

/** The operations of the seed (the package's own, such as Check Trigger Webhooks, have their own tests). */
const seedOperations = especialOperations.filter((operation) => seedTitles.some(({ title }) => title === operation.title));

describe.each(seedOperations.map((operation) => [`${operation.resource}:${operation.operation} (${operation.title})`, operation] as const))(
	'%s',
	(_name, operation) => {
		it('sends the documented request and outputs what Especial answered', async () => {
			const parameters: IDataObject = { resource: operation.resource, operation: operation.operation };
			const expectedBody: IDataObject = {};
			const expectedQuery: Record<string, string> = {};
			for (const field of operation.fields.filter(isTopLevel)) {
				const { parameter, sent } = example(operation, field);
				parameters[field.name] = parameter as IDataObject[string];
				if (field.location === 'body') {
					if (field.apiName === '') Object.assign(expectedBody, sent);
					else expectedBody[field.apiName] = sent as IDataObject[string];
				}
				if (field.location === 'query') expectedQuery[field.apiName] = String(sent);
			}
			const accountField = operation.fields.find((field) => field.apiName === 'account_id' && field.location === 'query' && !isTopLevel(field));
			if (accountField) {
				parameters.additionalFields = { [accountField.name]: 5 };
				expectedQuery.account_id = '5';
			}
			// An update needs something to change: its first optional body field.
			const optionalBody = operation.fields.filter((field) => field.location === 'body' && !isTopLevel(field));
			if (['PATCH', 'PUT'].includes(operation.method) && !operation.fields.some((field) => field.location === 'body' && isTopLevel(field)) && optionalBody.length) {
				const [first] = optionalBody;
				const { parameter, sent } = example(operation, first);
				parameters.additionalFields = { ...(parameters.additionalFields as IDataObject), [first.name]: parameter as IDataObject[string] };
				expectedBody[first.apiName] = sent as IDataObject[string];
			}
			if (isList(operation)) Object.assign(parameters, { returnAll: false, limit: 2 });
			await prepare(operation, parameters);
			if (operation.title === 'Refresh a token') expectedBody.refresh_token = parameters.refreshToken;
			const items = operation.batch ? [{ json: { email: 'first@example.org' } }, { json: { email: 'second@example.org' } }] : [{ json: {} }];
			if (operation.batch) parameters.email = '={{ $json.email }}';

			const { items: output, error } = await runNode({ nodeType: 'especial', parameters, credentials: credentials(), items });
			expect(error?.message).toBeUndefined();

			const sent = operation.path === '/token' ? fake().requests.filter((request) => request.path === '/token').slice(-1) : apiRequests();
			expect(sent).toHaveLength(1);
			const [request] = sent;
			expect(request.method).toBe(operation.method);
			expect(request.path).toBe(resolvedPath(operation));
			if (operation.path !== '/token') {
				expect(request.route).toBe(`${operation.method} ${operation.path}`);
				expect(request.headers.authorization).toMatch(/^Bearer esp_at_/);
			}
			expect(request.query).toMatchObject(expectedQuery);
			if (operation.pagination) {
				const { pagination } = operation;
				expect(request.query[pagination.style === 'cursor' ? pagination.countKey : 'page']).toBe(pagination.style === 'cursor' ? '2' : '1');
			}
			if (operation.batch) {
				expect(request.body.contacts).toEqual([{ email: 'first@example.org' }, { email: 'second@example.org' }]);
			} else if (operation.method !== 'GET') {
				expect(request.body).toMatchObject(expectedBody);
			}
			expect(request.status).toBeLessThan(300);

			// The output is what the fake answered: the listed records (limit 2), or the answer itself.
			const answer = request.answer as IDataObject | string;
			if (operation.batch) {
				expect(output.map((item) => item.json)).toEqual([{ email: 'first@example.org' }, { email: 'second@example.org' }]);
				expect([...fake().collection('/lists/3/contacts').values()].map((contact) => contact.email)).toEqual(expect.arrayContaining(['first@example.org', 'second@example.org']));
			} else if (isList(operation)) {
				expect(output.map((item) => item.json)).toEqual(((answer as IDataObject).data as IDataObject[]).slice(0, 2));
				expect(output).toHaveLength(2);
			} else if (typeof answer === 'string') {
				expect(output.map((item) => item.json)).toEqual([{ data: answer }]);
			} else {
				expect(output.map((item) => item.json)).toEqual([answer]);
			}
			for (const [index, item] of output.entries()) expect(item.pairedItem).toEqual({ item: operation.batch ? index : 0 });
		});
	},
);
