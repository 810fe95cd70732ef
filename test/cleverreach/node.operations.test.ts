/**
 * The CleverReach node beyond one request per operation, through n8n's engine against the fake: batched
 * upserts (1,000 per request, HTTP 413 halving, rejected receivers back to their items), Return All over
 * pages, the get_receivers route for long filters, bad input that sends nothing, CleverReach's errors
 * (special permission, scopes, the error envelope) and a token that expired mid-run.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { forbiddenNeedsHint } from '../../nodes/CleverReach/transport';
import { byId, CREDENTIAL, useFakeCleverReach } from './fake-cleverreach';

const { server, run, apiRequests, credentials } = useFakeCleverReach();

const receiverItems = (count: number, from = 0): INodeExecutionData[] =>
	Array.from({ length: count }, (_value, index) => ({ json: { email: `user${from + index}@example.org`, name: `User ${from + index}` } }));

const upsertParameters = (groupId: string, operation = 'upsert'): IDataObject => ({
	resource: 'receiver',
	operation,
	groupId: byId(groupId),
	email: '={{ $json.email }}',
	additionalFields: { source: 'n8n' },
});

afterEach(() => {
	server().batchLimit = Infinity;
	server().pageCap = Infinity;
	server().specialPermission = true;
	server().missingScopes.clear();
});

describe('batched receiver upserts', () => {
	it('sends 10,000 items in 10 requests of 1,000 receivers, each item paired with its own receiver', async () => {
		const group = server().addGroup('Ten thousand');
		const { items, error } = await run(upsertParameters(group.id), receiverItems(10_000));
		expect(error).toBeUndefined();
		const requests = apiRequests();
		expect(requests).toHaveLength(10);
		expect(requests.every((request) => request.method === 'POST' && request.path === `/v3/groups/${group.id}/receivers/upsert`)).toBe(true);
		expect(requests.map((request) => (request.body as unknown[]).length)).toEqual(Array(10).fill(1000));
		expect(items).toHaveLength(10_000);
		const stored = server().state.groups.get(group.id).receivers;
		expect(stored.size).toBe(10_000);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.email).toBe(`user${index}@example.org`);
			expect(stored.get(String(item.json.id)).email).toBe(`user${index}@example.org`);
		});
	});

	it('halves a chunk CleverReach refuses with 413 and keeps the smaller size for the rest of the run', async () => {
		const group = server().addGroup('Small batches');
		server().batchLimit = 300;
		const { items, error } = await run(upsertParameters(group.id, 'upsertPlus'), receiverItems(1_300));
		expect(error).toBeUndefined();
		const sizes = server().requests.filter((request) => request.path.endsWith('/upsertplus')).map((request) => (request.body as unknown[]).length);
		// Chunks go out in parallel (1,000 and 300): 1,000 refused, its 500s refused, then 250 per request for the rest of the run.
		expect(sizes.slice(0, 2).sort((a, b) => b - a)).toEqual([1000, 300]);
		expect(sizes.filter((size) => size > 300).sort((a, b) => b - a)).toEqual([1000, 500, 500]);
		expect(sizes.filter((size) => size <= 300).reduce((sum, size) => sum + size, 0)).toBe(1_300);
		expect(sizes.slice(-4).every((size) => size <= 250)).toBe(true);
		expect(items).toHaveLength(1_300);
		expect(server().state.groups.get(group.id).receivers.size).toBe(1_300);
	});

	it('gives a receiver CleverReach rejects to its item as an error, the others their receivers (Continue On Fail)', async () => {
		const group = server().addGroup('Some refused');
		server().state.blacklist.set('user1@example.org', { email: 'user1@example.org', comment: '', stamp: 1 });
		const input = receiverItems(3);
		const { items, error } = await run(upsertParameters(group.id), input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(apiRequests()).toHaveLength(1);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.email).toBe('user0@example.org');
		expect(String(items[1].json.error)).toBe('"Upsert receivers" rejected item 2: email address is blacklisted [error code 403]');
		expect(items[2].json.email).toBe('user2@example.org');
	});

	it('insert refuses an existing address for that item only', async () => {
		server().state.blacklist.clear();
		const group = server().addGroup('Insert twice');
		server().addReceiver(group.id, { email: 'user0@example.org' });
		const { items } = await run(upsertParameters(group.id, 'create'), receiverItems(2), { continueOnFail: true });
		expect(String(items[0].json.error)).toContain('receiver already exists [error code 409]');
		expect(items[1].json).toMatchObject({ email: 'user1@example.org' });
	});
});

describe('Return All and long filters', () => {
	it('pages through a group with the largest page size, pages from 0', async () => {
		const group = server().addGroup('Paged');
		for (let index = 0; index < 12_000; index++) server().addReceiver(group.id, { email: `p${index}@example.org` });
		server().reset();
		const { items } = await run({ resource: 'receiver', operation: 'getAll', groupId: byId(group.id), returnAll: true });
		expect(items).toHaveLength(12_000);
		expect(apiRequests().map((request) => request.query)).toEqual([
			{ page: '0', pagesize: '5000' },
			{ page: '1', pagesize: '5000' },
			{ page: '2', pagesize: '5000' },
			// No total in CleverReach's answers: only an empty page ends the list.
			{ page: '3', pagesize: '5000' },
		]);
		expect(items[11_999].json.email).toBe('p11999@example.org');
	});

	it('Get Bounced with Return All gives all 250 bounces, each once, though CleverReach serves 100 per page', async () => {
		const bounces = Array.from({ length: 250 }, (_value, index) => ({ email: `b${index}@example.org`, type: 'hard', stamp: 1767225600 + index }));
		server().state.bounces.splice(0, Infinity, ...bounces);
		const { items, error } = await run({ resource: 'receiver', operation: 'getBounced', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.email)).toEqual(bounces.map((bounce) => bounce.email));
		expect(apiRequests().map((request) => request.query.page)).toEqual(['0', '1', '2', '3']);
	});

	it('Get Bounced with a Limit of 150 across 100-row pages returns 150 and reads no further page', async () => {
		server().state.bounces.splice(0, Infinity, ...Array.from({ length: 250 }, (_value, index) => ({ email: `b${index}@example.org` })));
		const { items } = await run({ resource: 'receiver', operation: 'getBounced', returnAll: false, limit: 150 });
		expect(items.map((item) => item.json.email)).toEqual(Array.from({ length: 150 }, (_value, index) => `b${index}@example.org`));
		expect(apiRequests()).toHaveLength(2);
	});

	it('a group list capped below the page size asked for still gives every receiver once', async () => {
		const group = server().addGroup('Capped');
		for (let index = 0; index < 45; index++) server().addReceiver(group.id, { email: `c${index}@example.org` });
		server().reset();
		server().pageCap = 10;
		const { items } = await run({ resource: 'receiver', operation: 'getAll', groupId: byId(group.id), returnAll: true });
		expect(items.map((item) => item.json.email)).toEqual(Array.from({ length: 45 }, (_value, index) => `c${index}@example.org`));
		expect(apiRequests()).toHaveLength(6);
	});

	it('sends an email filter too long for a URL to POST /v3/groups/{id}/get_receivers', async () => {
		const group = server().addGroup('Long filter');
		const emails = Array.from({ length: 200 }, (_value, index) => `someone.with.a.long.address.${index}@example.org`);
		server().addReceiver(group.id, { email: emails[7] });
		server().reset();
		const { items, error } = await run({
			resource: 'receiver',
			operation: 'getAll',
			groupId: byId(group.id),
			limit: 50,
			additionalFields: { emailList: emails.join(',') },
		});
		expect(error).toBeUndefined();
		const [request] = apiRequests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/v3/groups/${group.id}/get_receivers`);
		expect(request.query).toEqual({});
		expect(request.body).toEqual({ email_list: emails.join(','), page: 0, pagesize: 5000 });
		expect(items.map((item) => item.json.email)).toEqual([emails[7]]);
	});
});

describe('bad input sends nothing', () => {
	it.each([
		['an invalid email', { email: 'not-an-email' }, 'Email'],
		['an unknown attribute name', { email: 'a@example.org', additionalFields: { globalAttributes: { values: [{ name: 'First Name', value: 'A' }] } } }, 'Global Attributes'],
	])('%s stops the run before any request, naming the field and the item', async (_label, parameters, field) => {
		const group = server().addGroup('Bad input');
		const { error } = await run({ ...upsertParameters(group.id), ...parameters }, [{ json: {} }, { json: {} }]);
		expect(error?.message).toContain(field);
		expect(error?.context?.itemIndex).toBe(0);
		expect(apiRequests()).toHaveLength(0);
	});

	it('a missing group (an expression that gives nothing) stops the run before any request, naming the field and the item', async () => {
		const { error } = await run(
			{ ...upsertParameters(''), groupId: { __rl: true, mode: 'id', value: '={{ $json.group }}' } },
			[{ json: { email: 'a@example.org', group: '1' } }, { json: { email: 'b@example.org', group: '' } }],
		);
		expect(error?.message).toBe('Group: is required but empty (item 2)');
		expect(error?.context?.itemIndex).toBe(1);
		expect(apiRequests()).toHaveLength(0);
	});

	it('the second of three bad items stops the run before the first is sent', async () => {
		const group = server().addGroup('Second bad');
		const { error } = await run(upsertParameters(group.id), [{ json: { email: 'ok@example.org' } }, { json: { email: 'broken' } }, { json: { email: 'ok2@example.org' } }]);
		expect(error?.message).toContain('Email');
		expect(error?.context?.itemIndex).toBe(1);
		expect(apiRequests()).toHaveLength(0);
	});

	it.each([
		['Get Many with IDs "a,b"', { resource: 'receiver', operation: 'getAll', groupId: byId('1'), additionalFields: { idList: 'a,b' } }, 'IDs: "a,b" does not have the expected form (numeric IDs separated by commas, e.g. 123, 456) (item 1)'],
		['Get Many by IDs or Emails with IDs "12, x"', { resource: 'receiver', operation: 'getManyByList', groupId: byId('1'), additionalFields: { idList: '12, x' } }, 'IDs: "12, x" does not have the expected form (numeric IDs separated by commas, e.g. 123, 456) (item 1)'],
		['Client ID "abc"', { resource: 'client', operation: 'getPlan', clientId: 'abc' }, 'Client ID: "abc" does not have the expected form (digits only, a numeric ID) (item 1)'],
		['Add Tags with a blank list', { resource: 'receiver', operation: 'addTags', groupId: byId('1'), receiverId: '5', tags: ' , ' }, 'Tags: lists no tag (item 1)'],
		['Remove Tags with only dashes', { resource: 'receiver', operation: 'removeTags', groupId: byId('1'), receiverId: '5', tags: '-, --' }, 'Tags: lists no tag (item 1)'],
	])('%s is refused before any request, naming the field and the item', async (_label, parameters, message) => {
		const { error } = await run(parameters);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(message);
		expect(apiRequests()).toHaveLength(0);
	});

	it('Add Tags by the receiver\'s email (with a +) reads it and keeps its other tags', async () => {
		const group = server().addGroup('Tags by email');
		server().addReceiver(group.id, { email: 'jo+news@example.org', tags: ['vip'] });
		server().reset();
		const { items, error } = await run({ resource: 'receiver', operation: 'addTags', groupId: byId(group.id), receiverId: 'jo+news@example.org', tags: 'gold' });
		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /v3/groups/${group.id}/receivers/jo+news@example.org`,
			`POST /v3/groups/${group.id}/receivers/upsertplus`,
		]);
		expect(items[0].json).toMatchObject({ email: 'jo+news@example.org', tags: ['vip', 'gold'] });
	});

	it('numeric IDs with spaces after the commas are sent', async () => {
		const group = server().addGroup('By IDs');
		const one = server().addReceiver(group.id, { email: 'one@example.org' });
		const two = server().addReceiver(group.id, { email: 'two@example.org' });
		server().reset();
		const { items, error } = await run({ resource: 'receiver', operation: 'getAll', groupId: byId(group.id), returnAll: true, additionalFields: { idList: `${one.id}, ${two.id}` } });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.email).sort()).toEqual(['one@example.org', 'two@example.org']);
	});

	it('an empty receiver list (Validate Emails with no address) sends nothing', async () => {
		const { error } = await run({ resource: 'blacklist', operation: 'validate', emails: ' , \n ' });
		expect(error?.message).toContain('Emails');
		expect(apiRequests()).toHaveLength(0);
	});
});

describe('CleverReach errors', () => {
	it('names the special permission a release needs when CleverReach answers 403', async () => {
		server().specialPermission = false;
		const mailing = server().addMailing({ name: 'No permission' });
		const { error } = await run({ resource: 'mailing', operation: 'release', mailingId: byId(mailing.id) });
		expect(error?.message).toBe(
			'CleverReach refused the request to "release a mailing to be sent": Forbidden: this function needs a special permission (this call needs a special permission by CleverReach ("release a mailing to be sent"): ask CleverReach support to enable it for your account or OAuth app) [error code 403]',
		);
	});

	it('names the missing scope when the token may not use a part of the API', async () => {
		server().missingScopes.add('blacklist');
		const { error } = await run({ resource: 'blacklist', operation: 'getAll', returnAll: true });
		expect(error?.message).toBe(
			'CleverReach refused the request to "Get the blacklist": Forbidden: token has no scope for this function (the token has no scope for blacklists: add that scope to the OAuth app in CleverReach and reconnect the credential) [error code 403]',
		);
	});

	it.each([
		['Forbidden', true],
		['', true],
		[undefined, true],
		['Access denied (HTTP 403)', true],
		['Forbidden: token has no scope for this function', true],
		['Forbidden: this function needs a special permission', true],
		['Forbidden: group 1 is locked', false],
		['receiver is blacklisted', false],
	])('a 403 saying %j gets the scope / permission hint: %s', (message, expected) => {
		expect(forbiddenNeedsHint(message)).toBe(expected);
	});

	it('a 403 that says its own reason ("group … is locked") gets no scope hint', async () => {
		const group = server().addGroup('Locked', { locked: true });
		const { error } = await run(upsertParameters(group.id), receiverItems(1));
		expect(error?.message).toBe(`CleverReach refused the request to "Upsert receivers": Forbidden: group ${group.id} is locked [error code 403]`);
		expect(error?.message).not.toContain('scope');
	});

	it('shows the error envelope\'s message and code, never the token', async () => {
		const creds = credentials();
		const { error } = await run({ resource: 'group', operation: 'get', groupId: byId('999999') }, undefined, { credentials: creds });
		expect(error?.message).toBe('CleverReach refused the request to "Get a group": Not Found: invalid group (not found) [error code 404]');
		const token = String((creds[CREDENTIAL].oauthTokenData as IDataObject).access_token);
		expect(JSON.stringify(error)).not.toContain(token);
	});

	it('renews an expired token once with the refresh token (client Basic auth) and sends the call once more', async () => {
		const group = server().addGroup('Renewal');
		const creds = credentials();
		server().expireTokens();
		const { items, error } = await run({ resource: 'group', operation: 'get', groupId: byId(group.id) }, [{ json: {} }, { json: {} }, { json: {} }], { credentials: creds });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual([group.id, group.id, group.id]);
		expect(server().tokenCalls).toEqual([{ grantType: 'refresh_token', clientAuth: 'basic', ok: true }]);
		const refused = server().requests.filter((request) => !request.authorized).length;
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(apiRequests()).toHaveLength(3);
	});

	it('gets its own token with client credentials (no browser step) and uses it', async () => {
		const group = server().addGroup('Own account');
		const creds = credentials({ grantType: 'clientCredentials', oauthTokenData: undefined });
		const { items, error } = await run({ resource: 'group', operation: 'get', groupId: byId(group.id) }, undefined, { credentials: creds });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(group.id);
		expect(server().tokenCalls).toEqual([{ grantType: 'client_credentials', clientAuth: 'basic', ok: true }]);
	});
});
