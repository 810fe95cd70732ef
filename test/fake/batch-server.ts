/**
 * A fake bulk API (node:http on 127.0.0.1, random port) for the executor's batch mode, modelled on what
 * the next providers document: CleverReach's receiver upsert (at most N receivers per request, HTTP 413
 * when a request is too big, results by email), SMS.by's contact import (per-row `log` of rejected rows
 * by 1-based index) and an id-keyed create. It checks the API key and the request shape and records
 * every request.
 *
 * - POST /receivers/upsert?group=<id>  {source, receivers:[{email, name?}]}
 *   → {results:[{email, id, group, name, status:'created'|'updated'}] (reverse order), errors:[{email, code, message}]}
 * - POST /contacts/import  {list, field_names:[name...], data:[[value...]...]} (SMS.by's column layout)
 *   → {imported, rows:[{status:'imported', id} | {status:'invalid'}] in request order, log:[{index (1-based), error_message}]}
 * - POST /orders  {orders:[{ref, amount}]}  → {created:[{ref, id, amount}] (reverse order)}
 * - POST /mailings/personal  {subject, delivery_list:[{email, name?}]}  → {status:'OK', accepted} (no per-row results)
 *
 * - GET /records/offset?start=&count=   → {rows} (no total: an empty page is the end)
 * - GET /records/page?page=&per_page=  (pages from 1) → {rows}
 * - GET /records/cursor?cursor=&limit=  → {rows, meta:{next}} (next null on the last page)
 *   The listings hold records {id: 1..listSize}. A page holds at most `pageCap` rows whatever was asked
 *   (a provider that caps pages below the size asked for); page numbers count pages of that capped size.
 *
 * Rejected rows: any address at `rejectedDomain`. A request carrying more than `maxPerRequest` rows is
 * refused with 400; one whose body exceeds `maxBodyBytes` (or has more than `maxRowsBeforeTooLarge` rows)
 * with 413, taking nothing.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BatchServerOptions {
	apiKey?: string;
	maxPerRequest?: number;
	/** 413 above this many bytes of body. */
	maxBodyBytes?: number;
	/** 413 above this many rows (an API that measures its payload by rows). */
	maxRowsBeforeTooLarge?: number;
	rejectedDomain?: string;
	/** Milliseconds before each answer (to see requests in flight at once). */
	delayMs?: number;
	/** A request carrying this address is answered 500 at once, taking nothing. */
	failRequestWith?: string;
	/** An address the upsert takes but leaves out of its answer (a provider answer that does not account for a row). */
	omitFromAnswer?: string;
	/** Records the /records listings hold. */
	listSize?: number;
	/** Most rows one page of a listing holds, whatever the request asked for. */
	pageCap?: number;
}

export interface BatchRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: Record<string, unknown>;
	bytes: number;
	rows: number;
	status: number;
}

export interface BatchServer {
	url: string;
	apiKey: string;
	options: Required<BatchServerOptions>;
	requests: BatchRequest[];
	/** group id → lower-case email → receiver */
	receivers: Map<string, Map<string, Record<string, unknown>>>;
	importedContacts: Array<Record<string, unknown>>;
	orders: Array<Record<string, unknown>>;
	/** Recipients of personal mailings, with the mailing's subject. */
	mailed: Array<Record<string, unknown>>;
	/** Most requests that were being answered at the same time. */
	maxInFlight: number;
	reset(options?: BatchServerOptions): void;
	close(): Promise<void>;
}

const DEFAULTS: Required<BatchServerOptions> = {
	apiKey: 'batch-test-key',
	maxPerRequest: 1000,
	maxBodyBytes: 10_000_000,
	maxRowsBeforeTooLarge: Infinity,
	rejectedDomain: 'rejected.example',
	delayMs: 0,
	failRequestWith: '',
	omitFromAnswer: '',
	listSize: 0,
	pageCap: Infinity,
};

/** One page of the /records listings in offset, page or cursor style; undefined for another path. */
function listingPage(path: string, query: Record<string, string>, options: Required<BatchServerOptions>): unknown {
	const records = Array.from({ length: options.listSize }, (_, index) => ({ id: index + 1 }));
	const window = (start: number, asked: number) => records.slice(start, start + Math.min(asked, options.pageCap));
	if (path === '/records/offset') return { rows: window(Number(query.start ?? 0), Number(query.count ?? 10)) };
	if (path === '/records/page') {
		const size = Math.min(Number(query.per_page ?? 10), options.pageCap);
		return { rows: window((Number(query.page ?? 1) - 1) * size, size) };
	}
	if (path === '/records/cursor') {
		const start = Number(query.cursor ?? 0);
		const rows = window(start, Number(query.limit ?? 10));
		const end = start + rows.length;
		return { rows, meta: { next: end < records.length ? String(end) : null } };
	}
	return undefined;
}

const ROWS_KEY: Record<string, string> = {
	'/receivers/upsert': 'receivers',
	'/contacts/import': 'data',
	'/orders': 'orders',
	'/mailings/personal': 'delivery_list',
};

export async function startBatchServer(initial: BatchServerOptions = {}): Promise<BatchServer> {
	let nextId = 1;
	let inFlight = 0;
	const state: Omit<BatchServer, 'url' | 'close'> = {
		apiKey: '',
		options: { ...DEFAULTS },
		requests: [],
		receivers: new Map(),
		importedContacts: [],
		orders: [],
		mailed: [],
		maxInFlight: 0,
		reset(options = {}) {
			state.options = { ...DEFAULTS, ...initial, ...options };
			state.apiKey = state.options.apiKey;
			state.requests = [];
			state.receivers = new Map();
			state.importedContacts = [];
			state.orders = [];
			state.mailed = [];
			state.maxInFlight = 0;
		},
	};
	state.reset();

	const isRejected = (email: unknown) => String(email).toLowerCase().endsWith(`@${state.options.rejectedDomain}`);

	const answer = (response: ServerResponse, status: number, body: unknown) => {
		response.writeHead(status, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify(body));
		return status;
	};
	const refuse = (response: ServerResponse, status: number, code: string, message: string) =>
		answer(response, status, { error: { code, message } });

	const handle = (request: IncomingMessage, raw: string, response: ServerResponse, record: BatchRequest): number => {
		if (request.headers['x-api-key'] !== state.apiKey) return refuse(response, 401, 'unauthorized', 'Invalid API key');
		const listing = request.method === 'GET' ? listingPage(record.path, record.query, state.options) : undefined;
		if (listing !== undefined) {
			record.rows = (listing as { rows: unknown[] }).rows.length;
			return answer(response, 200, listing);
		}
		if (request.method !== 'POST') return refuse(response, 405, 'method', 'Only POST');
		if (!String(request.headers['content-type']).startsWith('application/json')) {
			return refuse(response, 415, 'content_type', 'Send JSON');
		}
		const rowsKey = ROWS_KEY[record.path];
		if (!rowsKey) return refuse(response, 404, 'not_found', `No route ${record.path}`);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			return refuse(response, 400, 'bad_json', 'Body is not JSON');
		}
		record.body = body;
		const rows = body[rowsKey];
		if (!Array.isArray(rows) || rows.length === 0) return refuse(response, 400, 'no_rows', `"${rowsKey}" must be a non-empty array`);
		record.rows = rows.length;
		if (record.bytes > state.options.maxBodyBytes || rows.length > state.options.maxRowsBeforeTooLarge) {
			return refuse(response, 413, 'too_large', 'Payload Too Large');
		}
		if (rows.length > state.options.maxPerRequest) {
			return refuse(response, 400, 'too_many', `At most ${state.options.maxPerRequest} ${rowsKey} per request`);
		}
		let typedRows = rows as Array<Record<string, unknown>>;

		if (record.path === '/receivers/upsert') {
			const group = record.query.group;
			if (!group) return refuse(response, 400, 'group', 'Query parameter "group" is required');
			if (typeof body.source !== 'string') return refuse(response, 400, 'source', '"source" is required');
			const inGroup = state.receivers.get(group) ?? new Map<string, Record<string, unknown>>();
			state.receivers.set(group, inGroup);
			const results: unknown[] = [];
			const errors: unknown[] = [];
			for (const row of typedRows) {
				if (typeof row.email !== 'string') return refuse(response, 400, 'email', 'Every receiver needs an email');
				if (isRejected(row.email)) {
					errors.push({ email: row.email, code: 'blocked', message: 'Address is on the blocklist' });
					continue;
				}
				const key = row.email.toLowerCase();
				const existing = inGroup.get(key);
				const receiver = { ...(existing ?? { id: nextId++ }), email: row.email, group, name: row.name ?? existing?.name ?? '', source: body.source };
				inGroup.set(key, receiver);
				if (key === state.options.omitFromAnswer.toLowerCase()) continue;
				results.push({ ...receiver, status: existing ? 'updated' : 'created' });
			}
			// The provider answers in its own order, not the request's.
			return answer(response, 200, { results: results.reverse(), errors });
		}

		if (record.path === '/contacts/import') {
			if (typeof body.list !== 'string') return refuse(response, 400, 'list', '"list" is required');
			const names = body.field_names;
			if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
				return refuse(response, 400, 'field_names', '"field_names" must list the column names');
			}
			if (!rows.every((row) => Array.isArray(row) && row.length === names.length)) {
				return refuse(response, 400, 'data', 'Every row of "data" needs one value per field name');
			}
			typedRows = (rows as unknown[][]).map((row) => Object.fromEntries(names.map((name: string, column) => [name, row[column]])));
			const resultRows: unknown[] = [];
			const log: unknown[] = [];
			typedRows.forEach((row, index) => {
				if (isRejected(row.email)) {
					log.push({ index: index + 1, error_message: `Invalid address ${String(row.email)}` });
					resultRows.push({ status: 'invalid' });
					return;
				}
				const contact = { id: nextId++, list: body.list, ...row };
				state.importedContacts.push(contact);
				resultRows.push({ status: 'imported', id: contact.id });
			});
			return answer(response, 200, { imported: resultRows.length - log.length, rows: resultRows, log });
		}

		if (record.path === '/mailings/personal') {
			if (typeof body.subject !== 'string') return refuse(response, 400, 'subject', '"subject" is required');
			for (const row of typedRows) state.mailed.push({ ...row, subject: body.subject });
			return answer(response, 200, { status: 'OK', accepted: typedRows.length });
		}

		const created = typedRows.map((row) => {
			const order = { ref: row.ref, id: nextId++, amount: row.amount };
			state.orders.push(order);
			return order;
		});
		return answer(response, 200, { created: created.reverse() });
	};

	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			inFlight++;
			state.maxInFlight = Math.max(state.maxInFlight, inFlight);
			const raw = Buffer.concat(chunks).toString('utf8');
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const record: BatchRequest = {
				method: request.method ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: request.headers,
				body: {},
				bytes: Buffer.byteLength(raw),
				rows: 0,
				status: 0,
			};
			state.requests.push(record);
			if (state.options.failRequestWith && raw.includes(JSON.stringify(state.options.failRequestWith))) {
				inFlight--;
				record.status = refuse(response, 500, 'internal', 'Internal error, nothing was taken');
				return;
			}
			setTimeout(() => {
				inFlight--;
				record.status = handle(request, raw, response, record);
			}, state.options.delayMs);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return Object.assign(state, {
		url: `http://127.0.0.1:${port}`,
		close: async () => await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
	}) as BatchServer;
}
