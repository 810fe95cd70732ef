'use strict';
/**
 * Fake CleverReach REST v3 server for tests, the `npm start` sandbox and the bench.
 *
 * Contract: the v3 changelog (/work/shared/seeds/000_*.txt, 001_*.txt) and research/providers.md §A:
 * OAuth2 (authorize.php with grant=basic redirecting straight back with a code, token.php for the code,
 * refresh with the client's Basic auth, client credentials), tokens that expire, the `{error:{code,message}}`
 * body, paths with or without `.json`, paging (page from 0, pagesize; a page holds at most `pageCap` rows whatever
 * was asked, the bounce list at most `bouncePageSize`: CleverReach enforces its paging, size undocumented), HTTP 413 above `batchLimit` receivers
 * per request, hooks at /hooks/eventhook (outside /v3) with the GET ?secret= verification and deliveries
 * carrying X-CR-Calltoken.
 *
 * Plain CommonJS, Node >= 20 built-ins only. Ids come from counters, so the same calls give the same ids.
 *
 * Usage:
 *   const { startCleverReachServer } = require('./test/fake/cleverreach-server.js');
 *   const server = await startCleverReachServer({ clientId: 'id', clientSecret: 'secret' });
 *   server.url; server.requests; server.state; server.issueToken(); server.expireTokens();
 *   server.batchLimit = 500; server.addGroup('Newsletter'); await server.fire('receiver.subscribed', { group_id, pool_id });
 *   startCleverReachServer({ presetTokens: [{ access_token, refresh_token, expires_in }] })  // tokens valid from the start
 *
 * Run directly (`node test/fake/cleverreach-server.js`, env PORT / CLIENT_ID / CLIENT_SECRET) for a sandbox server.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { URL, URLSearchParams } = require('node:url');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_PAGE_SIZE = 5000;

function now() {
	return Math.floor(Date.now() / 1000);
}

function sendJson(res, status, payload, headers = {}) {
	const body = JSON.stringify(payload);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
	res.end(body);
}

class ApiError extends Error {
	constructor(status, message, code = status) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

const fail = (status, message, code) => {
	throw new ApiError(status, message, code);
};

/** `/v3/groups.json/1/receivers` and `/v3/debug/whoami.json` → `/v3/groups/1/receivers`, `/v3/debug/whoami`. */
function normalizePath(path) {
	return path
		.split('/')
		.map((segment) => segment.replace(/\.json$/, ''))
		.join('/');
}

/** The path with its segments decoded, as the tests compare it (`/v3/blacklist/a@b.c`). */
function decodedPath(path) {
	return path
		.split('/')
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment;
			}
		})
		.join('/');
}

function parseBody(raw, contentType) {
	if (!raw) return undefined;
	if ((contentType || '').startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function listOf(value) {
	if (Array.isArray(value)) return value.map(String);
	if (value === undefined || value === null || value === '') return [];
	return String(value)
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

async function startCleverReachServer(options = {}) {
	const clientId = options.clientId ?? 'cr-client-id';
	const clientSecret = options.clientSecret ?? 'cr-client-secret';
	const state = {
		client: { id: options.accountId ?? '123456', firstname: 'Jane', name: 'Doe', company: 'Example GmbH', email: 'owner@example.org' },
		groups: new Map(),
		attributes: new Map(),
		forms: new Map(),
		mailings: new Map(),
		blacklist: new Map(),
		hooks: [],
		accounts: [],
		sentDoiMails: [],
		bounces: [],
	};
	let counter = 1000;
	const nextId = () => String(++counter);
	/** Access tokens: token → { expiresAt (ms), refreshToken }. */
	const tokens = new Map();
	const refreshTokens = new Map();
	const codes = new Map();
	const tokenCalls = [];
	const requests = [];

	const server = {
		url: '',
		state,
		requests,
		tokenCalls,
		clientId,
		clientSecret,
		/** Most receivers one insert/upsert request may carry; more gets HTTP 413. */
		batchLimit: options.batchLimit ?? Infinity,
		/** Seconds a new access token lives. */
		tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
		/** Whether the account has CleverReach's special permission (release, stop, createAccount). */
		specialPermission: options.specialPermission ?? true,
		/** Scopes the token lacks, by v3 resource ("mailings"): those calls get 403. */
		missingScopes: new Set(options.missingScopes ?? []),
		/** Most rows one page of any paged list holds, whatever `pagesize` asked (pages count in this size). */
		pageCap: options.pageCap ?? Infinity,
		/** Rows per page of the bounce list (CleverReach enforces paging there since 2024/11; its size is not documented). */
		bouncePageSize: options.bouncePageSize ?? 100,
		/** Milliseconds each API answer waits (bench: a network-like delay). */
		delayMs: options.delayMs ?? 0,
		/** Every delivery fire() made: event, URL and the status the trigger answered. */
		deliveries: [],
	};

	function issueToken(withRefresh = true) {
		const accessToken = crypto.randomBytes(24).toString('hex');
		const refreshToken = withRefresh ? crypto.randomBytes(24).toString('hex') : undefined;
		tokens.set(accessToken, { expiresAt: Date.now() + server.tokenTtlSeconds * 1000 });
		if (refreshToken) refreshTokens.set(refreshToken, true);
		return { access_token: accessToken, token_type: 'bearer', expires_in: server.tokenTtlSeconds, ...(refreshToken ? { refresh_token: refreshToken } : {}) };
	}
	server.issueToken = issueToken;
	// Tokens the fake accepts from the start (the sandbox's connected credential survives restarts of the fake).
	for (const preset of options.presetTokens ?? []) {
		tokens.set(preset.access_token, { expiresAt: Date.now() + (preset.expires_in ?? 31536000) * 1000 });
		if (preset.refresh_token) refreshTokens.set(preset.refresh_token, true);
	}
	/** Every access token stops working (refresh tokens keep working), as when they expire. */
	server.expireTokens = () => {
		for (const token of tokens.values()) token.expiresAt = 0;
	};

	// ---- data helpers ----
	function addGroup(name, extra = {}) {
		const id = nextId();
		const group = { id, name, receiver_info: '', locked: false, backup: true, stamp: now(), last_changed: now(), last_mailing: 0, receivers: new Map(), ...extra };
		state.groups.set(id, group);
		return group;
	}
	server.addGroup = (name, extra) => publicGroup(addGroup(name, extra));
	function publicGroup(group) {
		const { receivers, ...rest } = group;
		return { ...rest, receiver_count: receivers.size };
	}
	function groupOf(id) {
		const group = state.groups.get(String(id));
		if (!group) fail(404, `Not Found: invalid group`);
		return group;
	}
	function receiverOf(group, idOrEmail) {
		const key = String(idOrEmail).toLowerCase();
		for (const receiver of group.receivers.values()) if (receiver.id === key || receiver.email.toLowerCase() === key) return receiver;
		return fail(404, 'Not Found: invalid receiver');
	}
	function anyReceiver(idOrEmail) {
		for (const group of state.groups.values()) {
			for (const receiver of group.receivers.values()) if (receiver.id === String(idOrEmail) || receiver.email === String(idOrEmail)) return { group, receiver };
		}
		return fail(404, 'Not Found: invalid receiver');
	}
	/**
	 * Tags of a receiver write: new ones are added, `-tag` removes one (CleverReach's integration core sends a
	 * receiver's kept tags plus `-tag` per removed one with upsertplus: blueDigit/CleverReach_IntegrationCore
	 * src/BusinessLogic/Proxy.php). Whether PUT merges or replaces is said nowhere public; the node does not use it for tags.
	 */
	function applyTags(current, tags) {
		const result = new Set(current);
		for (const tag of listOf(tags)) {
			if (tag.startsWith('-')) result.delete(tag.slice(1));
			else result.add(tag);
		}
		return [...result];
	}
	function mergeAttributes(stored, given, manipulate) {
		const result = { ...stored };
		for (const [name, value] of Object.entries(given || {})) {
			const change = manipulate && typeof value === 'string' ? /^([+-])(\d+(?:\.\d+)?)$/.exec(value) : null;
			if (change) result[name] = String(Number(stored[name] || 0) + (change[1] === '+' ? 1 : -1) * Number(change[2]));
			else result[name] = String(value);
		}
		return result;
	}
	function writeReceiver(group, record, existing, manipulate) {
		const receiver = existing ?? {
			id: nextId(),
			email: String(record.email).trim(),
			group_id: group.id,
			activated: 0,
			registered: now(),
			deactivated: 0,
			source: '',
			attributes: {},
			global_attributes: {},
			tags: [],
			orders: [],
			events: [],
		};
		for (const key of ['activated', 'registered', 'deactivated']) if (record[key] !== undefined) receiver[key] = Number(record[key]);
		if (record.source !== undefined) receiver.source = String(record.source);
		if (record.email !== undefined && existing) receiver.email = String(record.email).trim();
		receiver.attributes = mergeAttributes(receiver.attributes, record.attributes, manipulate);
		receiver.global_attributes = mergeAttributes(receiver.global_attributes, record.global_attributes, manipulate);
		if (record.tags !== undefined) receiver.tags = applyTags(receiver.tags, record.tags);
		for (const order of record.orders ?? []) receiver.orders.push({ id: nextId(), ...order });
		group.receivers.set(receiver.id, receiver);
		group.last_changed = now();
		return receiver;
	}
	server.addReceiver = (groupId, record) => ({ ...writeReceiver(groupOf(groupId), record) });
	function checkRecordAttributes(record) {
		for (const key of ['attributes', 'global_attributes']) {
			for (const name of Object.keys(record[key] ?? {})) {
				const known = [...state.attributes.values()].some((attribute) => attribute.name === name);
				if (!known) return `unknown attribute ${name}`;
			}
		}
		return undefined;
	}
	/** insert / upsert / upsertplus: one answer row per record, a rejected one with its `error`. */
	function writeReceivers(group, body, mode) {
		// A locked group takes no receivers; CleverReach's 403 then says why itself.
		if (group.locked === true) fail(403, `Forbidden: group ${group.id} is locked`);
		const records = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : fail(400, 'Bad Request: no receivers');
		if (records.length > server.batchLimit) fail(413, `Payload Too Large: at most ${server.batchLimit} receivers per request`);
		// By address once per request, so that 10,000 upserts do not scan the group 10,000 times.
		const byEmail = new Map([...group.receivers.values()].map((receiver) => [receiver.email.toLowerCase(), receiver]));
		return records.map((record) => {
			const email = String(record?.email ?? '').trim();
			if (!EMAIL.test(email)) return { email, error: { code: 400, message: 'invalid email address' } };
			if (state.blacklist.has(email.toLowerCase())) return { email, error: { code: 403, message: 'email address is blacklisted' } };
			const attributeProblem = checkRecordAttributes(record);
			if (attributeProblem) return { email, error: { code: 400, message: attributeProblem } };
			const existing = byEmail.get(email.toLowerCase());
			if (existing && mode === 'insert') return { email, error: { code: 409, message: 'receiver already exists' } };
			const written = writeReceiver(group, record, existing, mode === 'upsertplus');
			byEmail.set(written.email.toLowerCase(), written);
			return publicReceiver(written);
		});
	}
	function publicReceiver(receiver) {
		const { events, ...rest } = receiver;
		return { ...rest, tags: [...receiver.tags] };
	}
	function page(list, query, cap = server.pageCap) {
		if (query.page === undefined && query.pagesize === undefined) return list;
		const asked = Number(query.pagesize ?? 100);
		if (!Number.isInteger(asked) || asked < 1 || asked > MAX_PAGE_SIZE) fail(400, `Bad Request: pagesize must be 1 to ${MAX_PAGE_SIZE}`);
		const size = Math.min(asked, cap);
		const number = Number(query.page ?? 0);
		return list.slice(number * size, number * size + size);
	}
	function receiverList(group, params) {
		let list = [...group.receivers.values()];
		if (params.type === 'active') list = list.filter((receiver) => receiver.activated > 0 && !receiver.deactivated);
		if (params.type === 'inactive') list = list.filter((receiver) => !(receiver.activated > 0) || receiver.deactivated);
		const emails = listOf(params.email_list).map((email) => email.toLowerCase());
		const ids = listOf(params.id_list);
		if (emails.length) list = list.filter((receiver) => emails.includes(receiver.email.toLowerCase()));
		if (ids.length) list = list.filter((receiver) => ids.includes(receiver.id));
		return page(list, params).map(publicReceiver);
	}
	function attributeOf(id) {
		const attribute = state.attributes.get(String(id));
		return attribute ?? fail(404, 'Not Found: invalid attribute');
	}
	function mailingOf(id) {
		return state.mailings.get(String(id)) ?? fail(404, 'Not Found: invalid mailing');
	}
	function formOf(id) {
		return state.forms.get(String(id)) ?? fail(404, 'Not Found: invalid form');
	}
	function clientOf(id) {
		if (String(id) !== state.client.id) fail(404, 'Not Found: invalid client');
		return state.client;
	}
	function needsPermission() {
		if (!server.specialPermission) fail(403, 'Forbidden: this function needs a special permission');
	}
	function mailingFrom(body, existing) {
		const mailing = existing ?? { id: nextId(), state: 'draft', created: now(), editor: 'setup_v2', links: [] };
		for (const key of ['name', 'subject', 'sender_name', 'sender_email', 'content', 'receivers', 'editor', 'template_id']) {
			if (body?.[key] !== undefined) mailing[key] = body[key];
		}
		state.mailings.set(mailing.id, mailing);
		return mailing;
	}
	server.addMailing = (fields) => mailingFrom(fields);
	server.addForm = (groupId, name) => {
		const form = { id: nextId(), name, customer_tables_id: String(groupId), type: 'default' };
		state.forms.set(form.id, form);
		return form;
	};
	server.addAttribute = (name, type = 'text', groupId = '0') => {
		const attribute = { id: nextId(), name, type, description: name, preview_value: '', default_value: '', group_id: String(groupId) };
		state.attributes.set(attribute.id, attribute);
		return attribute;
	};

	// ---- routes: [method, path pattern, handler({ params, query, body, headers })] ----
	const routes = [
		['GET', '/v3/debug/whoami', () => state.client],
		['GET', '/v3/debug/ttl', ({ token }) => ({ ttl: Math.max(0, Math.floor((tokens.get(token).expiresAt - Date.now()) / 1000)) })],
		['GET', '/v3/clients/:id/receivercount', ({ params }) => (clientOf(params.id), [...state.groups.values()].reduce((sum, group) => sum + group.receivers.size, 0))],
		[
			'GET',
			'/v3/clients/:id/activereceivercount',
			({ params }) => (
				clientOf(params.id),
				[...state.groups.values()].reduce((sum, group) => sum + [...group.receivers.values()].filter((receiver) => receiver.activated > 0 && !receiver.deactivated).length, 0)
			),
		],
		['GET', '/v3/clients/:id/contingent', ({ params }) => (clientOf(params.id), 25000)],
		['GET', '/v3/clients/:id/invoiceaddress', ({ params }) => ({ ...clientOf(params.id), street: 'Mühlenstraße 43', zip: '26180', city: 'Rastede', country: 'DE' })],
		['GET', '/v3/clients/:id/nextinvoicedate', ({ params }) => (clientOf(params.id), 1798761600)],
		['GET', '/v3/clients/:id/plan', ({ params }) => (clientOf(params.id), 'Essential')],
		['GET', '/v3/clients/:id/token', ({ params }) => (clientOf(params.id), `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ client: params.id })).toString('base64url')}.c2ln`)],
		[
			'POST',
			'/v3/clients/createAccount',
			({ body }) => {
				needsPermission();
				if (!body?.email || !EMAIL.test(body.email)) fail(400, 'Bad Request: email is required');
				const account = { id: nextId(), ...body };
				state.accounts.push(account);
				return account;
			},
		],
		['GET', '/v3/groups', () => [...state.groups.values()].map(publicGroup)],
		['POST', '/v3/groups', ({ body }) => (body?.name ? publicGroup(addGroup(String(body.name), pick(body, ['receiver_info', 'locked', 'backup']))) : fail(400, 'Bad Request: name is required'))],
		['GET', '/v3/groups/:id', ({ params }) => publicGroup(groupOf(params.id))],
		['PUT', '/v3/groups/:id', ({ params, body }) => publicGroup(Object.assign(groupOf(params.id), pick(body, ['name', 'receiver_info', 'locked', 'backup']), { last_changed: now() }))],
		['DELETE', '/v3/groups/:id', ({ params }) => (groupOf(params.id), state.groups.delete(params.id), true)],
		['DELETE', '/v3/groups/:id/clear', ({ params }) => (groupOf(params.id).receivers.clear(), true)],
		[
			'GET',
			'/v3/groups/:id/stats',
			({ params }) => {
				const receivers = [...groupOf(params.id).receivers.values()];
				const active = receivers.filter((receiver) => receiver.activated > 0 && !receiver.deactivated).length;
				return { total_count: receivers.length, active_count: active, inactive_count: receivers.length - active, bounce_count: 0, avg_points: 0, quality: 0, time: now(), order_count: receivers.reduce((sum, receiver) => sum + receiver.orders.length, 0) };
			},
		],
		['GET', '/v3/groups/:id/receivers', ({ params, query }) => receiverList(groupOf(params.id), query)],
		['POST', '/v3/groups/:id/get_receivers', ({ params, body }) => receiverList(groupOf(params.id), body ?? {})],
		['POST', '/v3/groups/:id/receivers/insert', ({ params, body }) => writeReceivers(groupOf(params.id), body, 'insert')],
		['POST', '/v3/groups/:id/receivers/upsert', ({ params, body }) => writeReceivers(groupOf(params.id), body, 'upsert')],
		['POST', '/v3/groups/:id/receivers/upsertplus', ({ params, body }) => writeReceivers(groupOf(params.id), body, 'upsertplus')],
		['GET', '/v3/groups/:id/receivers/:receiver', ({ params }) => publicReceiver(receiverOf(groupOf(params.id), params.receiver))],
		[
			'PUT',
			'/v3/groups/:id/receivers/:receiver',
			({ params, body }) => {
				const group = groupOf(params.id);
				const receiver = receiverOf(group, params.receiver);
				if (body?.email !== undefined && !EMAIL.test(String(body.email))) fail(400, 'Bad Request: invalid email address');
				return publicReceiver(writeReceiver(group, body ?? {}, receiver));
			},
		],
		['DELETE', '/v3/groups/:id/receivers/:receiver', ({ params }) => {
			const group = groupOf(params.id);
			group.receivers.delete(receiverOf(group, params.receiver).id);
			return true;
		}],
		// No route for v2's PUT …/setactive, …/setinactive nor POST …/receivers/{id}/orders: no v3 source confirms
		// them. Activation and orders go through upsertplus (`activated`, `orders`), as CleverReach's integration core does.
		['PUT', '/v3/receivers/:receiver/orders/:order', ({ params, body }) => {
			const { receiver } = anyReceiver(params.receiver);
			const order = receiver.orders.find((candidate) => candidate.id === params.order) ?? fail(404, 'Not Found: invalid order');
			return Object.assign(order, body ?? {});
		}],
		['GET', '/v3/receivers/:receiver/events', ({ params }) => anyReceiver(params.receiver).receiver.events],
		[
			'POST',
			'/v3/receivers/:receiver/clone',
			({ params, body }) => {
				const { group, receiver } = anyReceiver(params.receiver);
				if (!EMAIL.test(String(body?.email ?? ''))) fail(400, 'Bad Request: invalid email address');
				const { id, events, orders, ...copy } = receiver;
				return publicReceiver(writeReceiver(group, { ...copy, email: body.email, tags: copy.tags }));
			},
		],
		[
			'PUT',
			'/v3/receivers/:receiver/email',
			({ params, body }) => {
				const { receiver } = anyReceiver(params.receiver);
				if (!EMAIL.test(String(body?.email ?? ''))) fail(400, 'Bad Request: invalid email address');
				receiver.email = String(body.email);
				return publicReceiver(receiver);
			},
		],
		[
			'POST',
			'/v3/receivers/filter',
			({ body }) => {
				const rules = Array.isArray(body?.rules) ? body.rules : fail(400, 'Bad Request: rules are required');
				const groups = listOf(body.groups);
				const found = [];
				for (const group of state.groups.values()) {
					if (groups.length && !groups.includes(group.id)) continue;
					for (const receiver of group.receivers.values()) {
						const matches = rules.every((rule) => rule.logic === 'eq' && String(receiver[rule.field] ?? '').toLowerCase() === String(rule.condition).toLowerCase());
						if (matches) found.push(publicReceiver(receiver));
					}
				}
				return found;
			},
		],
		[
			'GET',
			'/v3/receivers/bounced',
			({ query }) => {
				// Since 2024/11 the bounce list is paged, and paging is enforced.
				if (query.page === undefined || query.pagesize === undefined) fail(400, 'Bad Request: page and pagesize are required');
				return page(state.bounces, query, Math.min(server.pageCap, server.bouncePageSize));
			},
		],
		['GET', '/v3/attributes', ({ query }) => [...state.attributes.values()].filter((attribute) => attribute.group_id === String(query.group_id ?? '0'))],
		[
			'POST',
			'/v3/attributes',
			({ body }) => {
				if (!/^[a-z][a-z0-9_]*$/.test(String(body?.name ?? ''))) fail(400, 'Bad Request: invalid attribute name');
				if ([...state.attributes.values()].some((attribute) => attribute.name === body.name)) fail(409, 'Conflict: attribute exists');
				const attribute = server.addAttribute(String(body.name), String(body.type ?? 'text'), String(body.group_id ?? '0'));
				return Object.assign(attribute, pick(body, ['description', 'preview_value', 'default_value']));
			},
		],
		['PUT', '/v3/attributes/:id', ({ params, body }) => Object.assign(attributeOf(params.id), pick(body, ['description', 'preview_value', 'default_value']))],
		['DELETE', '/v3/attributes/:id', ({ params }) => (attributeOf(params.id), state.attributes.delete(params.id), true)],
		['GET', '/v3/forms', () => [...state.forms.values()]],
		['GET', '/v3/forms/:id', ({ params }) => formOf(params.id)],
		[
			'GET',
			'/v3/forms/:id/code',
			({ params, query }) => {
				const form = formOf(params.id);
				const badge = query.badget === 'true' ? '<a class="cr-badge">CleverReach</a>' : '';
				return `<form class="cr_form${query.embedded === 'true' ? ' embedded' : ''}" data-id="${form.id}"><input name="email"></form>${badge}`;
			},
		],
		...['activate', 'deactivate'].map((type) => [
			'POST',
			`/v3/forms/:id/send/${type}`,
			({ params, body }) => {
				const form = formOf(params.id);
				if (!EMAIL.test(String(body?.email ?? ''))) fail(400, 'Bad Request: invalid email address');
				state.sentDoiMails.push({ formId: form.id, type, email: body.email, doidata: body.doidata });
				return true;
			},
		]),
		[
			'POST',
			'/v3/forms/:id/createfromtemplate/:type',
			({ params, body }) => {
				groupOf(params.id);
				const form = server.addForm(params.id, String(body?.name || `${params.type} form`));
				form.type = params.type;
				return form;
			},
		],
		['GET', '/v3/mailings', ({ query }) => [...state.mailings.values()].filter((mailing) => !query.state || mailing.state === query.state)],
		['POST', '/v3/mailings', ({ body }) => (body?.name ? mailingFrom(body) : fail(400, 'Bad Request: name is required'))],
		['POST', '/v3/mailings/template', ({ body }) => (body?.template_id ? mailingFrom(body) : fail(400, 'Bad Request: template_id is required'))],
		['GET', '/v3/mailings/:id', ({ params }) => mailingOf(params.id)],
		['PUT', '/v3/mailings/:id', ({ params, body }) => mailingFrom(body, mailingOf(params.id))],
		[
			'POST',
			'/v3/mailings/:id/release',
			({ params, body }) => {
				needsPermission();
				const mailing = mailingOf(params.id);
				if (mailing.state !== 'draft') fail(400, 'Bad Request: only drafts can be released');
				Object.assign(mailing, { state: 'waiting', release_time: Number(body?.time ?? now()) });
				return true;
			},
		],
		[
			'POST',
			'/v3/mailings/:id/stop',
			({ params }) => {
				needsPermission();
				const mailing = mailingOf(params.id);
				if (mailing.state === 'finished') fail(400, 'Bad Request: mailing already sent');
				mailing.state = 'draft';
				return true;
			},
		],
		['GET', '/v3/mailings/:id/links', ({ params }) => mailingOf(params.id).links],
		[
			'GET',
			'/v3/reports/:id',
			({ params }) => {
				const mailing = mailingOf(params.id);
				return { id: mailing.id, name: mailing.name, sent: mailing.state === 'finished' ? 1200 : 0, opened: mailing.state === 'finished' ? 480 : 0, clicked: 0, bounced: 0 };
			},
		],
		['GET', '/v3/blacklist', () => [...state.blacklist.values()]],
		[
			'POST',
			'/v3/blacklist',
			({ body }) => {
				const email = String(body?.email ?? '').trim().toLowerCase();
				if (!email) fail(400, 'Bad Request: email is required');
				const entry = { email, comment: String(body.comment ?? ''), stamp: now() };
				state.blacklist.set(email, entry);
				return entry;
			},
		],
		[
			'PUT',
			'/v3/blacklist',
			({ body }) => {
				const entry = state.blacklist.get(String(body?.email ?? '').trim().toLowerCase()) ?? fail(404, 'Not Found: not on the blacklist');
				if (body.comment !== undefined) entry.comment = String(body.comment);
				return entry;
			},
		],
		['DELETE', '/v3/blacklist/:email', ({ params }) => {
			const email = params.email.toLowerCase();
			if (!state.blacklist.delete(email)) fail(404, 'Not Found: not on the blacklist');
			return true;
		}],
		['POST', '/v3/blacklist/validate', ({ body }) => listOf(body?.emails).filter((email) => EMAIL.test(email) && !state.blacklist.has(email.toLowerCase()))],
		['GET', '/hooks/eventhook', () => state.hooks.map(({ event, condition, url }) => ({ event, condition, url }))],
		['POST', '/hooks/eventhook', async ({ body }) => await registerHook(body)],
		[
			'DELETE',
			'/hooks/eventhook/:event',
			({ params, query }) => {
				const before = state.hooks.length;
				// By event and condition only, as CleverReach's own integration core deletes (no hook id, no URL filter):
				// every URL's hook for that event and group goes.
				state.hooks = state.hooks.filter(
					(hook) => !(hook.event === params.event && (query.condition === undefined || hook.condition === String(query.condition))),
				);
				if (state.hooks.length === before) fail(404, 'Not Found: no such hook');
				return true;
			},
		],
	];
	/** Which v3 resource (scope) each route belongs to. */
	const resourceOf = (path) => path.split('/')[2];

	function pick(body, keys) {
		const out = {};
		for (const key of keys) if (body && body[key] !== undefined) out[key] = body[key];
		return out;
	}

	async function registerHook(body) {
		const { url, event, condition, verify } = body ?? {};
		if (!url || !event) fail(400, 'Bad Request: url and event are required');
		if (typeof verify !== 'string' || verify.length < 10 || verify.length > 50) fail(400, 'Bad Request: verify must be 10 to 50 characters');
		// Receiver events are registered for one group (the condition).
		if (String(event).startsWith('receiver') && !condition) fail(400, 'Bad Request: condition (group id) is required for receiver events');
		// CleverReach checks the URL before it registers it: GET ?secret=<s>, answer "<verify> <s>" in plain text.
		const secret = crypto.randomBytes(16).toString('hex');
		let answer;
		try {
			const response = await fetch(`${url}${url.includes('?') ? '&' : '?'}secret=${secret}`, { method: 'GET' });
			answer = { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
		} catch (error) {
			fail(400, `Bad Request: url not reachable (${error.message})`);
		}
		if (answer.status !== 200 || answer.text !== `${verify} ${secret}`) fail(400, 'Bad Request: url verification failed');
		const hook = { event: String(event), condition: condition === undefined ? '' : String(condition), url: String(url), verify, secret, call_token: crypto.randomBytes(32).toString('hex') };
		state.hooks.push(hook);
		return { success: true, call_token: hook.call_token, secret: hook.secret };
	}

	/** Delivers an event to every hook registered for it (receiver events only to hooks of its group). */
	server.fire = async (event, payload, options = {}) => {
		const category = event.split('.')[0];
		const hooks = state.hooks.filter(
			(hook) => (hook.event === event || hook.event === category) && (!hook.condition || hook.condition === String(payload.group_id ?? '')),
		);
		const results = [];
		for (const hook of hooks) {
			const body = JSON.stringify({ event, condition: hook.condition, payload });
			// options.origin: the same path at another host, as a load balancer would pick one n8n process.
			const target = options.origin ? `${options.origin.replace(/\/+$/, '')}${new URL(hook.url).pathname}` : hook.url;
			const response = await fetch(target, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-cr-calltoken': options.callToken ?? hook.call_token },
				body,
			});
			const text = await response.text();
			results.push({ url: target, status: response.status, body: text });
			server.deliveries.push({ event, url: target, status: response.status });
		}
		return results;
	};

	function matchRoute(method, path) {
		const parts = path.split('/');
		for (const [routeMethod, pattern, handler] of routes) {
			if (routeMethod !== method) continue;
			const patternParts = pattern.split('/');
			if (patternParts.length !== parts.length) continue;
			const params = {};
			let ok = true;
			for (let index = 0; index < parts.length; index++) {
				if (patternParts[index].startsWith(':')) params[patternParts[index].slice(1)] = decodeURIComponent(parts[index]);
				else if (patternParts[index] !== parts[index]) {
					ok = false;
					break;
				}
			}
			if (ok) return { handler, params, pattern };
		}
		return undefined;
	}

	// ---- OAuth ----
	function clientAuth(req, body) {
		const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
		if (basic) {
			const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
			return { how: 'basic', ok: id === clientId && secret === clientSecret };
		}
		if (body?.client_id !== undefined) return { how: 'body', ok: body.client_id === clientId && body.client_secret === clientSecret };
		return { how: 'none', ok: false };
	}

	function token(req, body, res) {
		const grantType = String(body?.grant_type ?? '');
		const auth = clientAuth(req, body);
		const refuse = (status, error, description) => {
			tokenCalls.push({ grantType, clientAuth: auth.how, ok: false });
			sendJson(res, status, { error, error_description: description });
		};
		if (!auth.ok) return refuse(401, 'invalid_client', 'Unknown client or wrong client secret');
		// CleverReach refreshes with the client's Basic auth.
		if (grantType === 'refresh_token') {
			if (auth.how !== 'basic') return refuse(401, 'invalid_client', 'Refresh needs the client\'s Basic auth');
			if (!refreshTokens.has(String(body.refresh_token))) return refuse(400, 'invalid_grant', 'Invalid refresh token');
			refreshTokens.delete(String(body.refresh_token));
		} else if (grantType === 'authorization_code') {
			const issued = codes.get(String(body.code));
			if (!issued || issued.redirectUri !== String(body.redirect_uri)) return refuse(400, 'invalid_grant', 'Invalid code or redirect_uri');
			codes.delete(String(body.code));
		} else if (grantType !== 'client_credentials') {
			return refuse(400, 'unsupported_grant_type', `Unsupported grant type ${grantType}`);
		}
		tokenCalls.push({ grantType, clientAuth: auth.how, ok: true });
		sendJson(res, 200, issueToken(grantType !== 'client_credentials'));
	}

	function authorize(url, res) {
		const params = url.searchParams;
		if (params.get('response_type') !== 'code' || params.get('grant') !== 'basic' || params.get('client_id') !== clientId) {
			return sendJson(res, 400, { error: { code: 400, message: 'authorize needs response_type=code, grant=basic and a known client_id' } });
		}
		const redirectUri = params.get('redirect_uri') ?? '';
		const code = crypto.randomBytes(12).toString('hex');
		codes.set(code, { redirectUri });
		// The account owner "allows" at once: straight back with the code.
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		if (params.get('state') !== null) target.searchParams.set('state', params.get('state'));
		res.writeHead(302, { location: target.toString() });
		res.end();
	}

	const httpServer = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const path = normalizePath(url.pathname);
			const body = parseBody(raw, req.headers['content-type']);
			const query = Object.fromEntries(url.searchParams);
			if (path === '/oauth/authorize.php' || path === '/oauth/authorize') return authorize(url, res);
			if (path === '/oauth/token.php' || path === '/oauth/token') return token(req, body, res);
			const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? query.token;
			const issued = presented ? tokens.get(presented) : undefined;
			const authorized = !!issued && issued.expiresAt > Date.now();
			requests.push({ method: req.method, path: decodedPath(path), rawPath: url.pathname, query, body, headers: req.headers, authorized });
			if (server.delayMs) await new Promise((resolve) => setTimeout(resolve, server.delayMs));
			if (!authorized) return sendJson(res, 401, { error: { code: 401, message: issued ? 'Unauthorized: token expired' : 'Unauthorized: invalid token' } });
			const route = matchRoute(req.method, path);
			if (!route) return sendJson(res, 404, { error: { code: 404, message: `Not Found: no route ${req.method} ${path}` } });
			if (path.startsWith('/v3/') && server.missingScopes.has(resourceOf(route.pattern))) {
				return sendJson(res, 403, { error: { code: 403, message: 'Forbidden: token has no scope for this function' } });
			}
			try {
				const answer = await route.handler({ params: route.params, query, body, headers: req.headers, token: presented });
				sendJson(res, 200, answer);
			} catch (error) {
				if (error instanceof ApiError) return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
				sendJson(res, 500, { error: { code: 500, message: `Internal Server Error: ${error.message}` } });
			}
		});
	});

	await new Promise((resolve) => httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
	server.url = `http://127.0.0.1:${httpServer.address().port}`;
	server.close = () => new Promise((resolve) => httpServer.close(() => resolve()));
	server.reset = () => {
		requests.length = 0;
		tokenCalls.length = 0;
	};
	return server;
}

module.exports = { startCleverReachServer, normalizePath };

if (require.main === module) {
	startCleverReachServer({
		port: Number(process.env.PORT ?? 0),
		clientId: process.env.CLIENT_ID,
		clientSecret: process.env.CLIENT_SECRET,
	}).then((server) => {
		const group = server.addGroup('Newsletter');
		server.addAttribute('firstname');
		server.addReceiver(group.id, { email: 'jane@example.org', activated: Math.floor(Date.now() / 1000), global_attributes: { firstname: 'Jane' } });
		console.log(`CleverReach fake on ${server.url} (client id ${server.clientId}, group ${group.id})`);
	});
}
