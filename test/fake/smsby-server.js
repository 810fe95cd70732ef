'use strict';
/**
 * A fake SMS.by email API (https://sms.by/en/api-docs/email, .../mailing-lists) on 127.0.0.1, for tests,
 * the e2e run and the sandbox:
 *
 *   const { startSmsByServer } = require('./test/fake/smsby-server.js');
 *   const fake = await startSmsByServer({ token: 'key' });   // fake.url, fake.state, fake.requests
 *
 * What it checks, as the real API would refuse it: every call is a POST with a form body (urlencoded or
 * multipart; JSON is refused), PHP-style bracket keys (delivery_list[0][email], data[1][2]) are read into
 * arrays and objects, the `token` form field must be the account's key (a token in the URL is refused:
 * keys never travel in URLs), required fields and formats (d_schedule 'YYYY-MM-DD HH:MM', track flags
 * 0 / 1), at most 500 contacts per importContacts call and 30 fields. Answers are the documented bodies
 * ({"status":"OK","result":...}); errors are {"status":"error","message":...} with the documented HTTP
 * statuses (400, 404, 421, 429, 500; a wrong token gets 421 "Data not verified"). Every request is recorded (fake.requests) with its parsed body,
 * its flat form entries and its files (name, type, bytes).
 *
 * Delivery statuses move on only when a test says so: fake.advance(mailing) moves every recipient one
 * step (SENT → DELIVERED → OPEN → CLICK; an address marked to bounce goes UNDELIVERED), and
 * fake.setStatus(mailing, email, status) sets one. `mailing` is a message_id or a bulk uuid.
 *
 * Run alone: `node test/fake/smsby-server.js [port] [token]` (the sandbox does).
 */
const http = require('node:http');
const crypto = require('node:crypto');

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[a-z]{2,}$/i;
const SCHEDULE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const NEXT_STATUS = { SENT: 'DELIVERED', DELIVERED: 'OPEN', OPEN: 'CLICK' };
const MAX_IMPORT = 500;
const MAX_FIELDS = 30;

class ApiError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** PHP's reading of bracket keys: a[0][b]=1 → { a: [ { b: '1' } ] } (numeric keys make arrays). */
function setBracketKey(target, key, value) {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!match) {
		target[key] = value;
		return;
	}
	const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
	let node = target;
	for (let i = 0; i < path.length - 1; i++) {
		const part = path[i];
		const nextIsIndex = /^\d*$/.test(path[i + 1]);
		if (node[part] === undefined || typeof node[part] !== 'object') node[part] = nextIsIndex ? [] : {};
		node = node[part];
	}
	const last = path[path.length - 1];
	if (last === '' && Array.isArray(node)) node.push(value);
	else node[last] = value;
}

function parseMultipart(buffer, boundary) {
	const entries = [];
	const files = [];
	const delimiter = Buffer.from(`--${boundary}`);
	let start = buffer.indexOf(delimiter);
	while (start !== -1) {
		const next = buffer.indexOf(delimiter, start + delimiter.length);
		if (next === -1) break;
		const part = buffer.subarray(start + delimiter.length + 2, next - 2);
		const headEnd = part.indexOf('\r\n\r\n');
		if (headEnd !== -1) {
			const head = part.subarray(0, headEnd).toString('utf8');
			const content = part.subarray(headEnd + 4);
			const name = /name="([^"]*)"/i.exec(head)?.[1];
			const filename = /filename="([^"]*)"/i.exec(head)?.[1];
			if (name !== undefined && filename !== undefined) {
				files.push({ field: name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1].trim(), data: Buffer.from(content) });
			} else if (name !== undefined) {
				entries.push([name, content.toString('utf8')]);
			}
		}
		start = next;
	}
	return { entries, files };
}

function readForm(buffer, contentType) {
	const type = (contentType || '').toLowerCase();
	if (type.startsWith('multipart/form-data')) {
		const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
		if (!boundary) throw new ApiError(400, 'Incorrect request: multipart body without boundary');
		return { encoding: 'multipart', ...parseMultipart(buffer, (boundary[1] || boundary[2]).trim()) };
	}
	if (type.startsWith('application/x-www-form-urlencoded')) {
		return { encoding: 'urlencoded', entries: [...new URLSearchParams(buffer.toString('utf8'))], files: [] };
	}
	if (buffer.length === 0) return { encoding: 'none', entries: [], files: [] };
	throw new ApiError(400, `Incorrect request: expected form data, got ${contentType || 'no content type'}`);
}

function required(body, ...names) {
	for (const name of names) {
		if (body[name] === undefined || String(body[name]).trim() === '') throw new ApiError(400, `The ${name} field is required.`);
	}
}

function checkEmail(value, field) {
	if (!EMAIL.test(String(value).trim())) throw new ApiError(400, `The ${field} must be a valid email address.`);
}

function checkDelivery(body) {
	if (body.d_schedule !== undefined && !SCHEDULE.test(body.d_schedule)) {
		throw new ApiError(400, "The d_schedule does not match the format 'YYYY-MM-DD HH:MM'.");
	}
	for (const flag of ['track_open', 'track_click']) {
		if (body[flag] !== undefined && body[flag] !== '0' && body[flag] !== '1') throw new ApiError(400, `The ${flag} must be 0 or 1.`);
	}
}

function initialState() {
	return {
		templates: [
			{ id: 11, title: 'Template name' },
			{ id: 12, title: 'Name of the second template' },
		],
		lists: [{ list_id: 3434, name: 'Customers', contacts: [] }],
		/** email (lower case) → { lists: 'all' | number[], reason } */
		unsubscribed: {},
		letters: [],
		mailings: [],
		/** Addresses whose letters go UNDELIVERED when advanced. */
		bouncing: new Set(),
		nextId: 654321,
		nextListId: 3500,
		nextMessageId: 1234,
	};
}

async function startSmsByServer({ token = 'smsby-test-token', port = 0 } = {}) {
	let state = initialState();
	const requests = [];
	const faults = [];

	const newMailing = (fields, recipients) => {
		const mailing = {
			message_id: state.nextMessageId++,
			uuid: fields.uuid,
			name: fields.name || `Mailing ${state.nextMessageId}`,
			sender_email: fields.sender_email,
			sender_name: fields.sender_name || '',
			d_schedule: fields.d_schedule,
			recipients: [],
			errors: [],
		};
		for (const recipient of recipients) {
			const email = String(recipient.email).trim();
			if (!EMAIL.test(email)) {
				mailing.errors.push({ email, error: "The recipient's email address is incorrect" });
				continue;
			}
			mailing.recipients.push({ email_id: String(state.nextId++), email, subject: recipient.subject, message: recipient.message, status: 'SENT', error: '' });
		}
		state.mailings.push(mailing);
		return mailing;
	};

	const findMailing = (id) => state.mailings.find((mailing) => String(mailing.message_id) === String(id) || mailing.uuid === String(id));

	const methods = {
		'/api/v2/sendEmail': (body, files) => {
			required(body, 'sender_email', 'subject', 'message', 'email');
			checkEmail(body.sender_email, 'sender_email');
			checkEmail(body.email, 'email');
			checkDelivery(body);
			const letter = { email_id: state.nextId++, ...body, attachment: files.find((file) => file.field === 'attachment') };
			delete letter.token;
			state.letters.push(letter);
			return { email_id: letter.email_id };
		},
		'/api/v2/sendEmailByList': (body) => {
			required(body, 'list_id', 'sender_email', 'subject', 'message');
			checkDelivery(body);
			const list = state.lists.find((candidate) => String(candidate.list_id) === String(body.list_id));
			if (!list) throw new ApiError(404, `Mailing list ${body.list_id} not found`);
			const recipients = list.contacts.filter((contact) => contact.email).map((contact) => ({ email: contact.email, subject: body.subject, message: body.message }));
			const mailing = newMailing(body, recipients);
			return { message_id: mailing.message_id, count_emails: mailing.recipients.length };
		},
		'/api/v2/getEmailDeliveryList': (body) => {
			required(body, 'message_id');
			const mailing = state.mailings.find((candidate) => String(candidate.message_id) === String(body.message_id));
			if (!mailing) throw new ApiError(404, `Mailing ${body.message_id} not found`);
			// As in the documented example, the address comes with a leading blank.
			return mailing.recipients.map((row) => ({ email_id: row.email_id, email: ` ${row.email}`, status: row.status, error: row.error }));
		},
		'/api/v2/sendBulkEmail': (body) => {
			required(body, 'sender_email');
			checkEmail(body.sender_email, 'sender_email');
			checkDelivery(body);
			const type = body.message_type ?? 'bulk';
			const list = body.delivery_list;
			if (!Array.isArray(list) || list.length === 0) throw new ApiError(400, 'The delivery_list field is required.');
			let recipients;
			if (type === 'bulk') {
				required(body, 'subject', 'message');
				if (list.some((entry) => typeof entry !== 'string')) throw new ApiError(400, 'delivery_list must list addresses for message_type bulk');
				recipients = list.map((email) => ({ email, subject: body.subject, message: body.message }));
			} else if (type === 'personal') {
				if (list.some((entry) => typeof entry !== 'object' || !entry.email || !entry.subject || !entry.message)) {
					throw new ApiError(400, 'Each delivery_list entry needs email, subject and message for message_type personal');
				}
				recipients = list;
			} else {
				throw new ApiError(400, `Unknown message_type ${type}`);
			}
			const mailing = newMailing({ ...body, uuid: crypto.randomUUID() }, recipients);
			return { uuid: mailing.uuid };
		},
		'/api/v2/statusBulkEmail': (body) => {
			required(body, 'uuid');
			const mailing = state.mailings.find((candidate) => candidate.uuid === body.uuid);
			if (!mailing) throw new ApiError(404, `Mailing ${body.uuid} not found`);
			return [
				{
					message_id: String(mailing.message_id),
					name: mailing.name,
					sender_email: mailing.sender_email,
					sender_name: mailing.sender_name,
					success: mailing.recipients.map((row) => ({ email_id: row.email_id, recipient: row.email, status: row.status, error: row.error || null })),
					errors: mailing.errors,
				},
			];
		},
		'/api/v2/unsubscribeEmail': (body) => {
			required(body, 'email');
			checkEmail(body.email, 'email');
			const lists = listIds(body.list_ids);
			state.unsubscribed[body.email.toLowerCase()] = { lists: lists ?? 'all', reason: body.reason ?? '' };
			return undefined;
		},
		'/api/v2/subscribeEmail': (body) => {
			required(body, 'email');
			checkEmail(body.email, 'email');
			const lists = listIds(body.list_ids);
			const key = body.email.toLowerCase();
			const entry = state.unsubscribed[key];
			if (entry && lists && Array.isArray(entry.lists)) {
				entry.lists = entry.lists.filter((id) => !lists.includes(id));
				if (!entry.lists.length) delete state.unsubscribed[key];
			} else {
				delete state.unsubscribed[key];
			}
			return undefined;
		},
		'/api/v2/getEmailTemplates': () => state.templates,
		'/api/v2/createSubscriberList': (body) => {
			required(body, 'name');
			const list = { list_id: state.nextListId++, name: body.name, contacts: [] };
			state.lists.push(list);
			return { list_id: list.list_id };
		},
		'/api/v2/getSubscriberLists': () => state.lists.map((list) => ({ list_id: list.list_id, name: list.name, count: list.contacts.length })),
		'/api/v2/importContacts': (body) => {
			required(body, 'list_id');
			const list = state.lists.find((candidate) => String(candidate.list_id) === String(body.list_id));
			if (!list) throw new ApiError(404, `Mailing list ${body.list_id} not found`);
			const names = body.field_names;
			if (!Array.isArray(names) || !names.length) throw new ApiError(400, 'The field_names field is required.');
			if (names.length > MAX_FIELDS) throw new ApiError(400, `No more than ${MAX_FIELDS} custom fields`);
			if (!names.includes('phone') && !names.includes('email')) throw new ApiError(400, 'Custom fields must include phone or email');
			const rows = body.data;
			if (!Array.isArray(rows) || !rows.length) throw new ApiError(400, 'The data field is required.');
			if (rows.length > MAX_IMPORT) throw new ApiError(400, `You can import no more than ${MAX_IMPORT} contacts per call`);
			const result = { inserted: 0, updated: 0, invalid: 0, log: [] };
			rows.forEach((row, index) => {
				const contact = Object.fromEntries(names.map((name, column) => [name, Array.isArray(row) ? row[column] ?? '' : '']));
				const email = String(contact.email ?? '').trim().toLowerCase();
				const phone = String(contact.phone ?? '').trim();
				const problem = !email && !phone ? 'Contact has neither phone nor email' : email && !EMAIL.test(email) ? 'Invalid email' : phone && !/^\d{9,15}$/.test(phone) ? 'Invalid phone' : undefined;
				if (problem) {
					result.invalid++;
					result.log.push({ index, error_message: problem });
					return;
				}
				if (email) contact.email = email;
				const existing = list.contacts.find((candidate) => (email && candidate.email === email) || (phone && candidate.phone === phone));
				if (existing) {
					Object.assign(existing, contact);
					result.updated++;
				} else {
					list.contacts.push(contact);
					result.inserted++;
				}
			});
			return result;
		},
	};

	function listIds(text) {
		if (text === undefined || text === '') return undefined;
		const ids = String(text).split(',');
		if (ids.some((id) => !/^\d+$/.test(id))) throw new ApiError(400, 'list_ids must be comma-separated mailing list IDs');
		return ids.map(Number);
	}

	const send = (res, status, json, headers = {}) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(json));
	};

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const url = new URL(req.url, 'http://127.0.0.1');
			const record = {
				method: req.method,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				contentType: req.headers['content-type'] ?? '',
				rawBody: raw.toString('utf8'),
				encoding: undefined,
				entries: [],
				body: {},
				files: [],
				time: Date.now(),
			};
			requests.push(record);
			const faultIndex = faults.findIndex((fault) => !fault.path || fault.path === url.pathname);
			if (faultIndex !== -1) {
				const fault = faults[faultIndex];
				if (--fault.times <= 0) faults.splice(faultIndex, 1);
				if (fault.destroy) return req.socket.destroy();
				return send(res, fault.status ?? 500, fault.body ?? { status: 'error', message: 'Server is not available' }, fault.headers);
			}
			try {
				if (req.method !== 'POST') throw new ApiError(404, 'Page not found');
				const handler = methods[url.pathname];
				if (!handler) throw new ApiError(404, 'Page not found');
				if (url.searchParams.has('token')) throw new ApiError(400, 'Incorrect request: the token must be a form field, not part of the URL');
				const form = readForm(raw, req.headers['content-type']);
				record.encoding = form.encoding;
				record.entries = form.entries;
				record.files = form.files;
				for (const [key, value] of form.entries) setBracketKey(record.body, key, value);
				if (!record.body.token) throw new ApiError(400, 'The token field is required.');
				// The documented answer to a key SMS.by does not accept: 421 "Data not verified".
				if (record.body.token !== token) throw new ApiError(421, 'Data not verified');
				const result = handler(record.body, form.files);
				send(res, 200, result === undefined ? { status: 'OK' } : { status: 'OK', result });
			} catch (error) {
				if (!(error instanceof ApiError)) return send(res, 500, { status: 'error', message: 'Server is not available' });
				send(res, error.status, { status: 'error', message: error.message });
			}
		});
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;

	return {
		url,
		token,
		get state() {
			return state;
		},
		requests,
		/** The next matching request(s) get this answer instead: { path?, status?, body?, headers?, times?, destroy? }. */
		failNext(fault) {
			faults.push({ times: 1, ...fault });
		},
		/** Moves every recipient of a mailing one status on; returns the recipients. */
		advance(mailingId) {
			const mailing = findMailing(mailingId);
			if (!mailing) throw new Error(`no mailing ${mailingId}`);
			for (const row of mailing.recipients) {
				if (row.status === 'SENT' && state.bouncing.has(row.email.toLowerCase())) {
					row.status = 'UNDELIVERED';
					row.error = 'Bad recipient address syntax';
				} else if (NEXT_STATUS[row.status]) {
					row.status = NEXT_STATUS[row.status];
				}
			}
			return mailing.recipients;
		},
		setStatus(mailingId, email, status, error = '') {
			const row = findMailing(mailingId)?.recipients.find((candidate) => candidate.email === email);
			if (!row) throw new Error(`no recipient ${email} in mailing ${mailingId}`);
			Object.assign(row, { status, error });
		},
		/** Clears recorded requests and faults; with `state: true` also the data. */
		reset({ state: resetState = false } = {}) {
			requests.length = 0;
			faults.length = 0;
			if (resetState) state = initialState();
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};

}

module.exports = { startSmsByServer, setBracketKey };

if (require.main === module) {
	const [port = '0', token = 'smsby-sandbox-token'] = process.argv.slice(2);
	startSmsByServer({ port: Number(port), token }).then((fake) => console.log(`fake SMS.by at ${fake.url} (token ${token})`));
}
