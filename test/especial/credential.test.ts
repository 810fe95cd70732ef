/**
 * The Especial API credential through n8n's engine: the password grant (form-encoded `POST /token`) fills
 * the hidden expirable token once for a run, a 401 renews it once and resends, a token that expires in the
 * middle of a Return All over 1,200 contacts is renewed with no contact lost or repeated, and a wrong
 * password or a two-factor challenge gives a plain message saying which.
 */
import type { IDataObject } from 'n8n-workflow';

import { EspecialApi } from '../../credentials/EspecialApi.credentials';
import { runNode } from '../harness/engine';
import { PASSWORD, USERNAME, useEspecialFake } from './fake';

const { fake, credentials, apiRequests } = useEspecialFake();

const getList = { resource: 'list', operation: 'get', listId: '3' };

describe('Especial API credential', () => {
	it('logs in once with the form-encoded password grant for all items, sends the token as Bearer and stores it', async () => {
		fake().seedPath('/lists/3');
		const stored = credentials();
		const { items, error } = await runNode({ nodeType: 'especial', parameters: getList, credentials: stored, items: [{ json: {} }, { json: {} }, { json: {} }] });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const tokenCalls = fake().requests.filter((request) => request.path === '/token');
		expect(tokenCalls).toHaveLength(1);
		expect(tokenCalls[0].method).toBe('POST');
		expect(tokenCalls[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(tokenCalls[0].rawBody))).toEqual({ grant_type: 'password', username: USERNAME, password: PASSWORD });
		const token = stored.especialApi.accessToken as string;
		expect(token).toMatch(/^esp_at_/);
		expect(apiRequests().map((request) => request.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`, `Bearer ${token}`]);
		// The next run uses the stored token.
		await runNode({ nodeType: 'especial', parameters: getList, credentials: stored });
		expect(fake().requests.filter((request) => request.path === '/token')).toHaveLength(1);
	});

	it('sends the Account ID of the credential with the login', async () => {
		fake().seedPath('/lists/3');
		await runNode({ nodeType: 'especial', parameters: getList, credentials: credentials({ accountId: '42' }) });
		const [login] = fake().requests.filter((request) => request.path === '/token');
		expect(new URLSearchParams(login.rawBody).get('account_id')).toBe('42');
	});

	it('a token Especial refuses (expired) is renewed once for all items, and each request is sent once more', async () => {
		fake().seedPath('/lists/3');
		const stored = credentials();
		await runNode({ nodeType: 'especial', parameters: getList, credentials: stored });
		const firstToken = stored.especialApi.accessToken;
		fake().expireTokens();
		fake().reset();
		const { items, error } = await runNode({ nodeType: 'especial', parameters: getList, credentials: stored, items: [{ json: {} }, { json: {} }, { json: {} }, { json: {} }] });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		expect(fake().requests.filter((request) => request.path === '/token')).toHaveLength(1);
		const statuses = apiRequests().map((request) => request.status);
		expect(statuses.filter((status) => status === 401)).toHaveLength(4);
		expect(statuses.filter((status) => status === 200)).toHaveLength(4);
		expect(stored.especialApi.accessToken).not.toBe(firstToken);
	});

	it('a token expiring in the middle of a Return All over 1,200 contacts is renewed once; no contact is lost or repeated', async () => {
		const contacts = fake().collection('/lists/8/contacts');
		fake().seedPath('/lists/8');
		for (let index = 1; index <= 1200; index++) contacts.set(String(index), { id: index, email: `contact${index}@example.org`, status: 'active' });
		// The token stops working after the 5th page.
		const stored = credentials();
		await runNode({ nodeType: 'especial', parameters: getList, credentials: stored }).catch(() => undefined);
		fake().reset();
		fake().expireTokensAfter(5);
		const { items, error } = await runNode({
			nodeType: 'especial',
			parameters: { resource: 'contact', operation: 'getAll', listId: '8', returnAll: true },
			credentials: stored,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: 1200 }, (_value, index) => index + 1));
		expect(fake().requests.filter((request) => request.path === '/token')).toHaveLength(1);
		const pages = apiRequests();
		expect(pages.filter((request) => request.status === 401)).toHaveLength(1);
		// The refused page is asked again with the same cursor, then paging goes on.
		const refused = pages.findIndex((request) => request.status === 401);
		expect(pages[refused + 1].query.cursor).toBe(pages[refused].query.cursor);
		expect(pages.filter((request) => request.status === 200)).toHaveLength(12);
	});

	it('a wrong password: a plain message saying so, one login attempt, nothing sent to the API, no password shown', async () => {
		const { error } = await runNode({ nodeType: 'especial', parameters: getList, credentials: credentials({ password: 'wrong-Passw0rd' }), items: [{ json: {} }, { json: {} }] });
		expect(error?.message).toContain('Especial refused the login: wrong username or password');
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain('wrong-Passw0rd');
		expect(fake().requests.filter((request) => request.path === '/token')).toHaveLength(1);
		expect(apiRequests()).toHaveLength(0);
	});

	it('a user with two-factor authentication: a plain message saying a second factor is asked for', async () => {
		const { error } = await runNode({ nodeType: 'especial', parameters: getList, credentials: credentials({ username: 'mfa@example.com' }) });
		expect(error?.message).toContain('Especial asks this user for a second factor (two-factor authentication is on)');
		expect(error?.message).not.toContain('wrong username or password');
		expect(apiRequests()).toHaveLength(0);
	});

	it('the renewed token refused as well: one renewal, then a clear error naming the credential', async () => {
		fake().seedPath('/lists/3');
		const stored = credentials();
		await runNode({ nodeType: 'especial', parameters: getList, credentials: stored });
		fake().reset();
		fake().failNext({ status: 401, path: '/lists/3', times: 2, body: { detail: [{ code: 1003, msg: 'Not authenticated', type: 'unauthorized' }] } });
		const { error } = await runNode({ nodeType: 'especial', parameters: getList, credentials: stored });
		expect(error?.message).toBe('Especial refused the request to "Show a list parameters": Not authenticated [error code 1003]');
		expect(error?.description).toContain('Especial refused the renewed token: reconnect the credential');
		expect(fake().requests.filter((request) => request.path === '/token')).toHaveLength(1);
		expect(apiRequests().map((request) => request.status)).toEqual([401, 401]);
	});

	it('its Test button calls GET /accounts/self with the token', () => {
		const type = new EspecialApi();
		expect(type.test.request).toMatchObject({ url: '/accounts/self', method: 'GET' });
		expect(type.properties.find((property) => property.name === 'accessToken')).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(type.properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://api.cakemail.dev');
	});
});

describe('Especial errors', () => {
	it("FastAPI's {detail:[{loc, msg, type}]} becomes one message naming the field, the item and the operation", async () => {
		fake().seedPath('/lists/3');
		fake().failNext({
			status: 422,
			path: '/lists/3/contacts',
			body: { detail: [{ loc: ['body', 'custom_attributes', 0, 'value'], msg: 'value is not a valid integer', type: 'type_error.integer' }] },
		});
		const { error } = await runNode({
			nodeType: 'especial',
			parameters: { resource: 'contact', operation: 'create', listId: '3', email: 'new@example.org' },
			credentials: credentials(),
			items: [{ json: {} }, { json: {} }],
		});
		expect(error?.message).toBe(
			'Especial refused the request to "Add a contact": field "custom_attributes.0.value" in the body: value is not a valid integer [error code type_error.integer] (item 1)',
		);
		expect(error?.description).toContain('HTTP status 422');
		expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(0);
	});

	it('bad input is refused before any request: an invalid email, an update with nothing to change', async () => {
		const invalid = await runNode({ nodeType: 'especial', parameters: { resource: 'contact', operation: 'create', listId: '3', email: 'not-an-email' }, credentials: credentials() });
		expect(invalid.error?.message).toContain('Email');
		expect(invalid.error?.message).toContain('(item 1)');
		const nothing = await runNode({ nodeType: 'especial', parameters: { resource: 'list', operation: 'update', listId: '3' }, credentials: credentials() });
		expect(nothing.error?.message).toBe('Additional Fields: nothing to change (item 1)');
		expect(fake().requests).toHaveLength(0);
	});
});
