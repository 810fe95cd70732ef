'use strict';
/**
 * Fake Especial (Cakemail next-gen) API server for tests and the `npm start` sandbox, driven by the
 * OpenAPI file (test/fixtures/especial-openapi.json, a copy of the provider's especial-openapi-1.18.25.json):
 *
 * - every request is matched by method + path template of the specification (plus the seed-only
 *   `POST /lists/{list_id}/unarchive`); an unknown one is 404 `{detail: "Not Found"}` as FastAPI answers;
 * - the token flow: `POST /token` (form: password grant, refresh grant; 401 for a wrong password, 401
 *   `{challenge}` for a user with two-factor authentication), `PUT /token` (refresh); tokens expire
 *   (`expireTokens()`, `expireTokensAfter(n)`, or after `tokenTtlSeconds`);
 * - `Authorization: Bearer <access token>` on every other call, else 401 `{detail:[{code, msg, type}]}`;
 * - path, query and JSON body checked against the specification (required fields, types, enums,
 *   minimum/maximum) with FastAPI's 422 envelope `{detail:[{loc, msg, type}]}`;
 * - state: a collection per path (create, get, list, update, delete, actions such as archive), page
 *   envelopes `{pagination:{page, per_page, count}, data}` and cursor envelopes for contacts and
 *   campaign logs (`pagination.cursor.next`), other answers built from the response schemas;
 * - webhooks: one event each, `GET /webhooks/{id}` gives `signature.key`, archive instead of delete, and
 *   `fire(event, payload)` POSTs to every active webhook of the event with `x-signature` =
 *   base64(HMAC-SHA256(key, raw body)).
 *
 * Usage: `const server = await startEspecialServer({ username, password })`; `server.url`, `server.requests`,
 * `server.state`, `server.failNext({ status, body, path, times })`, `server.seedPath('/lists/3/contacts/9')`,
 * `await server.fire('Email.Bounced', { email })`, `await server.close()`.
 * Run directly (`node test/fake/especial-server.js`, env PORT, ESPECIAL_USERNAME, ESPECIAL_PASSWORD) for a sandbox.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const SPEC = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'especial-openapi.json'), 'utf8'));
const SCHEMAS = SPEC.components.schemas;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Operations of the seed (1.12.14) that the later specification dropped: same shape as the one named. */
const SEED_ONLY = [{ method: 'post', path: '/lists/{list_id}/unarchive', like: ['post', '/lists/{list_id}/archive'] }];

function resolve(schema, depth = 0) {
	let current = schema ?? {};
	for (let step = 0; step < 10; step++) {
		if (current.$ref) current = { ...SCHEMAS[current.$ref.split('/').pop()], ...without(current, '$ref') };
		else if (current.allOf && current.allOf.length === 1) current = { ...resolve(current.allOf[0], depth), ...without(current, 'allOf') };
		else if (current.anyOf) current = { ...resolve(current.anyOf.find((entry) => entry.type !== 'null') ?? {}, depth), ...without(current, 'anyOf') };
		else break;
	}
	return current;
}

function without(object, key) {
	const { [key]: _omitted, ...rest } = object;
	return rest;
}

/** Route table: every operation of the specification, as a regular expression over the path. */
const ROUTES = [];
for (const [path, item] of Object.entries(SPEC.paths)) {
	for (const method of METHODS) if (item[method]) ROUTES.push(route(method, path, item[method], item.parameters ?? []));
}
for (const only of SEED_ONLY) ROUTES.push(route(only.method, only.path, SPEC.paths[only.like[1]][only.like[0]], []));

function route(method, path, operation, shared) {
	const names = [];
	const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name) => {
		names.push(name);
		return '([^/]+)';
	});
	return { method: method.toUpperCase(), path, operation, parameters: [...shared, ...(operation.parameters ?? [])], regex: new RegExp(`^${source}$`), names };
}

// Literal paths first: /lists/{list_id}/contacts/tag must not read as the contact "tag".
ROUTES.sort((a, b) => a.names.length - b.names.length);

const hasRoute = (method, path) => ROUTES.some((candidate) => candidate.method === method && candidate.path === path);

/** A value shaped like the schema (defaults, first enum value, one sample per type). */
function sample(schema, depth = 0) {
	const resolved = resolve(schema);
	if (resolved.default !== undefined) return JSON.parse(JSON.stringify(resolved.default));
	if (resolved.enum) return resolved.enum[0];
	if (depth > 4) return null;
	switch (resolved.type) {
		case 'object':
			return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([key, value]) => [key, sample(value, depth + 1)]));
		case 'array':
			return [];
		case 'integer':
		case 'number':
			return 1;
		case 'boolean':
			return true;
		case 'string':
			return resolved.format === 'email' ? 'user@example.com' : resolved.format === 'uri' ? 'https://example.com' : 'string';
		default:
			return resolved.properties ? sample({ ...resolved, type: 'object' }, depth) : null;
	}
}

const validation = (loc, msg, type) => ({ loc, msg, type });

/** FastAPI-style checks of one value against its schema; problems as `{loc, msg, type}`. */
function check(value, schema, loc, problems) {
	const resolved = resolve(schema);
	if (value === null || value === undefined) return;
	if (resolved.enum && !resolved.enum.includes(value)) {
		problems.push(validation(loc, `value is not a valid enumeration member; permitted: ${resolved.enum.map((entry) => `'${entry}'`).join(', ')}`, 'type_error.enum'));
		return;
	}
	switch (resolved.type) {
		case 'integer':
			if (!Number.isInteger(typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value)) {
				problems.push(validation(loc, 'value is not a valid integer', 'type_error.integer'));
				return;
			}
			break;
		case 'number':
			if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) {
				problems.push(validation(loc, 'value is not a valid number', 'type_error.float'));
				return;
			}
			break;
		case 'boolean':
			if (typeof value !== 'boolean' && !['true', 'false'].includes(String(value))) problems.push(validation(loc, 'value could not be parsed to a boolean', 'type_error.bool'));
			return;
		case 'string':
			if (typeof value !== 'string') problems.push(validation(loc, 'str type expected', 'type_error.str'));
			else if (resolved.format === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) problems.push(validation(loc, 'value is not a valid email address', 'value_error.email'));
			return;
		case 'array':
			if (!Array.isArray(value)) problems.push(validation(loc, 'value is not a valid list', 'type_error.list'));
			else value.forEach((entry, index) => check(entry, resolved.items, [...loc, index], problems));
			return;
		case 'object':
			if (typeof value !== 'object' || Array.isArray(value)) {
				problems.push(validation(loc, 'value is not a valid dict', 'type_error.dict'));
				return;
			}
			for (const key of resolved.required ?? []) if (value[key] === undefined) problems.push(validation([...loc, key], 'field required', 'value_error.missing'));
			for (const [key, property] of Object.entries(resolved.properties ?? {})) check(value[key], property, [...loc, key], problems);
			return;
		default:
			return;
	}
	const number = Number(value);
	if (typeof resolved.minimum === 'number' && number < resolved.minimum) problems.push(validation(loc, `ensure this value is greater than or equal to ${resolved.minimum}`, 'value_error.number.not_ge'));
	if (typeof resolved.maximum === 'number' && number > resolved.maximum) problems.push(validation(loc, `ensure this value is less than or equal to ${resolved.maximum}`, 'value_error.number.not_le'));
}

/** The record field an item path parameter names: `{name}`, `{tag}`, `{email}`, `{interest_name}`; else the id. */
function keyField(parameter) {
	if (['name', 'tag', 'email'].includes(parameter)) return parameter;
	if (parameter === 'interest_name') return 'name';
	return 'id';
}

/** Past tense of an action path's verb, as the API's answers say it (`archived`, `scheduled`, `sent`). */
const ACTION_STATUS = { archive: 'archived', unarchive: 'active', suspend: 'suspended', unsuspend: 'active', schedule: 'scheduled', unschedule: 'draft', cancel: 'cancelled', resume: 'scheduled', activate: 'active', deactivate: 'inactive', lock: 'locked', unlock: 'unlocked' };

/** Listings whose envelope carries a cursor (the contact listings and campaign logs). */
const hasCursor = (routeEntry) => routeEntry.parameters.some((parameter) => parameter.name === 'cursor');

async function startEspecialServer(options = {}) {
	const username = options.username ?? 'user@example.com';
	const password = options.password ?? 'correct-horse';
	const mfaUsers = new Set(options.mfaUsers ?? ['mfa@example.com']);
	const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
	const state = {
		/** access token → { expiresAt, refreshToken } */
		tokens: new Map(),
		refreshTokens: new Set(),
		/** resolved collection path → Map(key → record) */
		collections: new Map(),
		/** resolved path → what PATCH / PUT stored for an endpoint that is no collection (account, domains). */
		singletons: new Map(),
		/** webhook id → signing key */
		webhookKeys: new Map(),
		tokenRequests: [],
		deliveries: [],
	};
	const requests = [];
	const faults = [];
	let counter = 0;
	let expireAfterCalls;

	const nextId = () => ++counter + 100;
	const collection = (path) => {
		if (!state.collections.has(path)) state.collections.set(path, new Map());
		return state.collections.get(path);
	};

	function issueToken(kind) {
		const access = `esp_at_${crypto.createHash('sha256').update(`a${nextId()}`).digest('hex').slice(0, 24)}`;
		const refresh = `esp_rt_${crypto.createHash('sha256').update(`r${counter}`).digest('hex').slice(0, 24)}`;
		state.tokens.set(access, { expiresAt: Date.now() + tokenTtlSeconds * 1000 });
		state.refreshTokens.add(refresh);
		state.tokenRequests.push({ grant: kind, time: Date.now() });
		return { access_token: access, token_type: 'bearer', expires_in: tokenTtlSeconds, refresh_token: refresh, accounts: [1] };
	}

	function tokenEndpoint(req, form, res) {
		const grant = form.get('grant_type') ?? (req.method === 'PUT' ? 'refresh_token' : 'password');
		if (grant === 'refresh_token') {
			const refresh = form.get('refresh_token');
			if (!refresh || !state.refreshTokens.has(refresh)) return send(res, 401, { detail: [{ code: 1004, msg: 'Invalid refresh token', type: 'unauthorized' }] });
			state.refreshTokens.delete(refresh);
			return send(res, 200, issueToken('refresh_token'));
		}
		if (grant !== 'password') return send(res, 422, { detail: [validation(['body', 'grant_type'], "unexpected value; permitted: 'password', 'refresh_token'", 'value_error.const')] });
		const user = (form.get('username') ?? '').trim();
		if (!user) return send(res, 422, { detail: [validation(['body', 'username'], 'field required', 'value_error.missing')] });
		if (mfaUsers.has(user) && form.get('password') === password) {
			state.tokenRequests.push({ grant: 'password', challenged: true, time: Date.now() });
			return send(res, 401, { challenge: 'ch_12345678', detail: [{ code: 1010, msg: 'MFA challenge required', type: 'unauthorized' }] });
		}
		if (user !== username || form.get('password') !== password) {
			state.tokenRequests.push({ grant: 'password', refused: true, time: Date.now() });
			return send(res, 401, { detail: [{ code: 1001, msg: 'Incorrect username or password', type: 'unauthorized' }] });
		}
		return send(res, 200, issueToken('password'));
	}

	function authorized(req) {
		const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
		const token = match && state.tokens.get(match[1]);
		if (!token || token.expiresAt <= Date.now()) return false;
		if (expireAfterCalls !== undefined && --expireAfterCalls <= 0) {
			expireAfterCalls = undefined;
			for (const entry of state.tokens.values()) entry.expiresAt = 0;
		}
		return true;
	}

	/** Creates the records an item path names (`/lists/3/contacts/9` → list 3 and its contact 9), for tests. */
	function seedPath(resolvedPath, fields = {}) {
		const routeEntry = ROUTES.find((candidate) => candidate.regex.test(resolvedPath));
		if (!routeEntry) throw new Error(`No route for ${resolvedPath}`);
		const templateParts = routeEntry.path.split('/');
		const parts = resolvedPath.split('/');
		const records = [];
		for (let index = 1; index < templateParts.length; index++) {
			const placeholder = /^\{(\w+)\}$/.exec(templateParts[index]);
			if (!placeholder) continue;
			const parent = parts.slice(0, index).join('/');
			const parentTemplate = templateParts.slice(0, index).join('/');
			// Only a path whose parent is a collection of the API names a record.
			if (!hasRoute('POST', parentTemplate) && !hasRoute('GET', parentTemplate)) continue;
			const key = decodeURIComponent(parts[index]);
			const field = keyField(placeholder[1]);
			const store = collection(parent);
			if (!store.has(key)) {
				const record = { id: /^\d+$/.test(key) ? Number(key) : key, [field]: /^\d+$/.test(key) && field === 'id' ? Number(key) : key, name: `Record ${key}`, status: 'active', created_on: 1764547200 };
				if (placeholder[1] === 'webhook_id') {
					Object.assign(record, { event: 'Email.Bounced', url: 'https://example.com/hook', rate_limit: 80, rate_limit_period: 'second', archived_at: null });
					state.webhookKeys.set(String(key), crypto.randomBytes(16).toString('hex'));
				}
				store.set(key, record);
			}
			records.push(store.get(key));
		}
		if (records.length) Object.assign(records[records.length - 1], fields);
		return records[records.length - 1];
	}

	function listAnswer(routeEntry, records, query, res) {
		const perPage = Number(query.per_page ?? 50);
		const schema = resolve(responseSchema(routeEntry));
		const answer = sample(schema);
		if (hasCursor(routeEntry)) {
			const offset = query.cursor ? Number(Buffer.from(String(query.cursor), 'base64url').toString()) : (Number(query.page ?? 1) - 1) * perPage;
			const page = records.slice(offset, offset + perPage);
			const next = offset + perPage < records.length ? Buffer.from(String(offset + perPage)).toString('base64url') : null;
			const previous = offset > 0 ? Buffer.from(String(Math.max(0, offset - perPage))).toString('base64url') : null;
			answer.pagination = { page: Math.floor(offset / perPage) + 1, per_page: perPage, count: query.with_count === 'true' ? records.length : undefined, cursor: { previous, next } };
			answer.data = page;
		} else {
			const page = Number(query.page ?? 1);
			answer.pagination = { page, per_page: perPage, ...(query.with_count === 'true' ? { count: records.length } : {}) };
			answer.data = records.slice((page - 1) * perPage, page * perPage);
		}
		return send(res, 200, answer);
	}

	function responseSchema(routeEntry) {
		const success = Object.entries(routeEntry.operation.responses ?? {}).find(([status]) => status.startsWith('2'));
		return success?.[1].content?.['application/json']?.schema ?? {};
	}

	function successStatus(routeEntry) {
		const success = Object.keys(routeEntry.operation.responses ?? {}).find((status) => status.startsWith('2'));
		return Number(success ?? 200);
	}

	/** Answers one authenticated, valid request from the state, shaped by the response schema. */
	function answer(routeEntry, params, resolvedPath, query, body, res) {
		const { method } = routeEntry;
		const parts = resolvedPath.split('/');
		const templateParts = routeEntry.path.split('/');
		const last = templateParts[templateParts.length - 1];
		const itemParameter = /^\{(\w+)\}$/.exec(last)?.[1];
		const parentTemplate = templateParts.slice(0, -1).join('/');
		const parent = parts.slice(0, -1).join('/');
		const listsData = resolve(resolve(responseSchema(routeEntry)).properties?.data).type === 'array';
		const isListing = method === 'GET' && (listsData || routeEntry.parameters.some((parameter) => parameter.name === 'page' || parameter.name === 'cursor'));
		const contentType = Object.keys(Object.entries(routeEntry.operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1].content ?? {})[0];
		const itemOfCollection = itemParameter && (hasRoute('POST', parentTemplate) || hasRoute('GET', parentTemplate));

		if (contentType === 'text/html') return sendText(res, 200, `<html><body><h1>Rendered ${resolvedPath}</h1></body></html>`);

		if (isListing) {
			// A segment's contacts are contacts of its list; logs of an object are the records logged for it.
			let source = resolvedPath;
			const segment = /^(\/lists\/[^/]+)\/segments\/[^/]+\/contacts$/.exec(resolvedPath);
			if (segment) source = `${segment[1]}/contacts`;
			let records = [...collection(source).values()];
			if (query.with_archived !== 'true' && routeEntry.path === '/webhooks') records = records.filter((record) => record.status !== 'archived');
			return listAnswer(routeEntry, records, query, res);
		}

		if (routeEntry.path === '/lists/{list_id}/import-contacts') return importContacts(parts.slice(0, -1).join('/'), body, res);

		if (itemOfCollection) {
			const key = decodeURIComponent(parts[parts.length - 1]);
			const store = collection(parent);
			const record = store.get(key);
			if (!record) return send(res, 404, { detail: [{ code: 404, msg: `${itemParameter} ${key} not found`, type: 'not_found' }] });
			const base = sample(responseSchema(routeEntry));
			if (method === 'GET') {
				if (routeEntry.path === '/webhooks/{webhook_id}') return send(res, 200, { id: record.id, signature: { key: state.webhookKeys.get(String(record.id)), hash_function: 'sha256' }, data: record });
				return send(res, 200, { ...base, data: record });
			}
			if (method === 'DELETE') {
				store.delete(key);
				return send(res, 200, { ...base, id: record.id, deleted: true });
			}
			Object.assign(record, body, { updated_on: 1764547200 });
			return send(res, 200, { ...base, id: record.id, updated: true, data: record });
		}

		// An action on a record: /campaigns/{campaign_id}/schedule, /webhooks/{webhook_id}/archive.
		const owner = /^\{(\w+)\}$/.exec(templateParts[templateParts.length - 2] ?? '')?.[1];
		const ownerParentTemplate = templateParts.slice(0, -2).join('/');
		if (method === 'POST' && owner && !hasRoute('GET', routeEntry.path) && (hasRoute('POST', ownerParentTemplate) || hasRoute('GET', ownerParentTemplate))) {
			const key = decodeURIComponent(parts[parts.length - 2]);
			const record = collection(parts.slice(0, -2).join('/')).get(key);
			if (!record) return send(res, 404, { detail: [{ code: 404, msg: `${owner} ${key} not found`, type: 'not_found' }] });
			if (ACTION_STATUS[last]) record.status = ACTION_STATUS[last];
			if (last === 'archive') record.archived_at = 1764547200;
			if (last === 'unarchive') record.archived_at = null;
			if (last === 'tag' || last === 'untag') {
				const tags = new Set(record.tags ?? []);
				for (const tag of body.tags ?? []) last === 'tag' ? tags.add(tag) : tags.delete(tag);
				record.tags = [...tags];
			}
			Object.assign(record, last === 'schedule' || last === 'reschedule' ? { scheduled_for: body.date } : {});
			return send(res, successStatus(routeEntry), { ...sample(responseSchema(routeEntry)), id: record.id });
		}

		// Bulk operations on a list's contacts: tag, untag, add / remove interests.
		const bulk = /^(\/lists\/[^/]+\/contacts)\/(tag|untag|add-interests|remove-interests)$/.exec(resolvedPath);
		if (bulk) {
			const field = bulk[2].includes('interests') ? 'interests' : 'tags';
			const adding = bulk[2] === 'tag' || bulk[2] === 'add-interests';
			for (const id of body.contact_ids ?? []) {
				const contact = collection(bulk[1]).get(String(id));
				if (!contact) continue;
				const values = new Set(contact[field] ?? []);
				for (const value of body[field] ?? []) adding ? values.add(value) : values.delete(value);
				contact[field] = [...values];
			}
			return send(res, successStatus(routeEntry), sample(responseSchema(routeEntry)));
		}

		// Create in a collection.
		if (method === 'POST' && (hasRoute('GET', routeEntry.path) || ROUTES.some((candidate) => candidate.path.startsWith(`${routeEntry.path}/{`)))) {
			const itemRoute = ROUTES.find((candidate) => candidate.path.startsWith(`${routeEntry.path}/{`) && candidate.names.length === routeEntry.names.length + 1 && !candidate.path.slice(routeEntry.path.length + 1).includes('/'));
			const parameter = itemRoute ? itemRoute.names[itemRoute.names.length - 1] : 'id';
			const field = keyField(parameter);
			const idSchema = itemRoute?.parameters.find((candidate) => candidate.name === parameter)?.schema;
			const stringIds = resolve(idSchema).type === 'string';
			const id = stringIds ? `${routeEntry.path.split('/')[1].replace(/s$/, '')}_${nextId()}` : nextId();
			const record = { ...body, id: field === 'id' ? id : body[field] ?? id, created_on: 1764547200 };
			if (routeEntry.path === '/webhooks') Object.assign(record, { status: 'active', archived_at: null, rate_limit: body.rate_limit ?? 80, rate_limit_period: body.rate_limit_period ?? 'second' });
			const key = String(field === 'id' ? record.id : record[field]);
			const store = collection(resolvedPath);
			if (field !== 'id' && store.has(key)) return send(res, 400, { detail: [{ code: 409, msg: `${field} ${key} already exists`, type: 'bad_request' }] });
			store.set(key, record);
			if (routeEntry.path === '/webhooks') state.webhookKeys.set(String(record.id), crypto.randomBytes(24).toString('base64url'));
			return send(res, successStatus(routeEntry), { ...sample(responseSchema(routeEntry)), id: record.id, created: true, data: record });
		}

		// Anything else (reports, account, domains, system emails, send): the schema's shape, with what was stored.
		if (method === 'PATCH' || method === 'PUT') state.singletons.set(resolvedPath, { ...(method === 'PATCH' ? state.singletons.get(resolvedPath) : {}), ...body });
		const shaped = sample(responseSchema(routeEntry));
		const stored = state.singletons.get(resolvedPath);
		if (stored && shaped && typeof shaped === 'object' && shaped.data && typeof shaped.data === 'object') Object.assign(shaped.data, stored);
		if (routeEntry.path === '/emails') Object.assign(shaped, { email: body.email, sent: true });
		return send(res, successStatus(routeEntry), shaped);
	}

	/** `POST /lists/{id}/import-contacts`: adds each contact; one whose custom attribute the list lacks is an error row. */
	function importContacts(listPath, body, res) {
		const attributes = collection(`${listPath}/custom-attributes`);
		const contacts = collection(`${listPath}/contacts`);
		const data = [];
		const errors = [];
		body.contacts.forEach((contact, index) => {
			const unknown = (contact.custom_attributes ?? []).find((attribute) => !attributes.has(attribute.name));
			if (unknown) {
				errors.push({ loc: ['contacts', index, 'custom_attributes', unknown.name], msg: 'Invalid custom attribute', code: 8014 });
				return;
			}
			const existing = [...contacts.values()].find((candidate) => candidate.email === contact.email);
			const record = existing ?? { id: nextId(), status: body.import_to ?? 'active', subscribed_on: 1764547200, bounces_count: 0, last_bounce_type: 'none' };
			Object.assign(record, { email: contact.email, custom_attributes: contact.custom_attributes ?? [], tags: contact.tags ?? [], interests: contact.interests ?? [] });
			contacts.set(String(record.id), record);
			data.push(record);
		});
		return send(res, 200, { import_id: crypto.randomUUID(), id: data.map((record) => record.id), object: 'contact', imported: true, data, errors });
	}

	/** What the fake answered, kept with the request it answers (tests compare the node's output with it). */
	function send(res, status, body) {
		const recorded = res.recorded;
		if (recorded) Object.assign(recorded, { status, answer: body });
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	}

	function sendText(res, status, text) {
		if (res.recorded) Object.assign(res.recorded, { status, answer: text });
		res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(text);
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url, 'http://fake');
			const path = url.pathname;
			const query = Object.fromEntries(url.searchParams);
			const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
			let body = {};
			let malformed = false;
			if (isForm) body = Object.fromEntries(new URLSearchParams(rawBody));
			else if (rawBody) {
				try {
					body = JSON.parse(rawBody);
				} catch {
					malformed = true;
				}
			}
			const recorded = { method: req.method, path, query, headers: req.headers, body, rawBody, time: Date.now() };
			requests.push(recorded);
			res.recorded = recorded;

			const faultIndex = faults.findIndex((fault) => (!fault.path || fault.path === path) && (!fault.method || fault.method === req.method));
			if (faultIndex >= 0) {
				const fault = faults[faultIndex];
				fault.times = (fault.times ?? 1) - 1;
				if (fault.times <= 0) faults.splice(faultIndex, 1);
				if (fault.destroy) return req.socket.destroy();
				return send(res, fault.status ?? 500, fault.body ?? { detail: [{ msg: 'Internal server error', type: 'internal_server_error' }] });
			}

			if (path === '/token' && (req.method === 'POST' || req.method === 'PUT')) return tokenEndpoint(req, new URLSearchParams(rawBody), res);
			const routeEntry = ROUTES.find((candidate) => candidate.method === req.method && candidate.regex.test(path));
			if (!routeEntry) {
				const known = ROUTES.some((candidate) => candidate.regex.test(path));
				return send(res, known ? 405 : 404, { detail: known ? 'Method Not Allowed' : 'Not Found' });
			}
			recorded.route = `${routeEntry.method} ${routeEntry.path}`;
			if (!authorized(req)) return send(res, 401, { detail: [{ code: 1003, msg: 'Not authenticated', type: 'unauthorized' }] });
			if (malformed) return send(res, 422, { detail: [validation(['body'], 'Expecting value: JSON decode error', 'value_error.jsondecode')] });

			const values = routeEntry.regex.exec(path).slice(1).map(decodeURIComponent);
			const params = Object.fromEntries(routeEntry.names.map((name, index) => [name, values[index]]));
			const problems = [];
			for (const parameter of routeEntry.parameters) {
				const value = parameter.in === 'path' ? params[parameter.name] : parameter.in === 'query' ? query[parameter.name] : undefined;
				if (parameter.in !== 'path' && parameter.in !== 'query') continue;
				if (value === undefined || value === '') {
					if (parameter.required) problems.push(validation([parameter.in, parameter.name], 'field required', 'value_error.missing'));
					continue;
				}
				check(value, parameter.schema, [parameter.in, parameter.name], problems);
			}
			const requestBody = routeEntry.operation.requestBody;
			const jsonSchema = requestBody?.content?.['application/json']?.schema;
			if (jsonSchema) {
				if (!rawBody && requestBody.required) problems.push(validation(['body'], 'field required', 'value_error.missing'));
				else if (rawBody) check(body, jsonSchema, ['body'], problems);
			}
			if (problems.length) return send(res, 422, { detail: problems });
			try {
				return answer(routeEntry, params, path, query, body, res);
			} catch (error) {
				return send(res, 500, { detail: [{ msg: String(error && error.message), type: 'internal_server_error' }] });
			}
		});
	});

	await new Promise((resolvePromise) => server.listen(options.port ?? 0, '127.0.0.1', resolvePromise));
	const url = `http://127.0.0.1:${server.address().port}`;

	/** POSTs a signed delivery of the event to every active webhook registered for it. */
	async function fire(event, payload = {}, { style = 'signed' } = {}) {
		const hooks = [...collection('/webhooks').values()].filter((hook) => hook.event === event && hook.status === 'active');
		const results = [];
		for (const hook of hooks) {
			const raw = JSON.stringify({ event, account_id: 1, created_on: Math.floor(Date.now() / 1000), id: `evt_${crypto.randomUUID()}`, data: payload });
			const key = state.webhookKeys.get(String(hook.id));
			const headers = { 'Content-Type': 'application/json' };
			if (style === 'signed') headers['x-signature'] = crypto.createHmac('sha256', key).update(raw).digest('base64');
			if (style === 'bad-signature') headers['x-signature'] = crypto.createHmac('sha256', 'not-the-key').update(raw).digest('base64');
			const response = await fetch(hook.url, { method: 'POST', headers, body: raw });
			const text = await response.text();
			const delivery = { webhookId: hook.id, url: hook.url, event, raw, status: response.status, answer: text };
			state.deliveries.push(delivery);
			results.push(delivery);
		}
		return results;
	}

	return {
		url,
		requests,
		state,
		/** The next matching request(s) get this answer instead (status + body, or a dropped connection). */
		failNext(fault) {
			faults.push({ ...fault });
		},
		/** Every access token issued so far stops working now. */
		expireTokens() {
			for (const entry of state.tokens.values()) entry.expiresAt = 0;
		},
		/** Every access token stops working after this many more authenticated calls. */
		expireTokensAfter(calls) {
			expireAfterCalls = calls;
		},
		seedPath,
		collection,
		/** The signing key of a webhook (what `GET /webhooks/{id}` returns as `signature.key`). */
		webhookKey: (id) => state.webhookKeys.get(String(id)),
		fire,
		reset() {
			requests.length = 0;
			faults.length = 0;
			expireAfterCalls = undefined;
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise((resolvePromise) => server.close(resolvePromise));
		},
	};
}

module.exports = { startEspecialServer, ROUTES, sample, resolve };

if (require.main === module) {
	startEspecialServer({
		port: Number(process.env.PORT ?? 5681),
		username: process.env.ESPECIAL_USERNAME ?? 'sandbox@example.com',
		password: process.env.ESPECIAL_PASSWORD ?? 'Sandbox-Passw0rd',
	}).then((server) => {
		console.log(`Fake Especial API on ${server.url}`);
	});
}
