import { createHash } from 'crypto';

import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { parseTime } from '../util/dates';
import type { EmailEvent } from './events';

/**
 * Polling triggers (`polling: true`, `poll()`) for providers without webhooks (SMS.by): the provider's
 * records are read page by page, and only what was not emitted before starts the workflow.
 */

/** One change the provider reports, e.g. one event of a log, or one recipient's status in a delivery list. */
export interface PolledRecord {
	/**
	 * Identity of the change, the same on every poll that returns it: the event's id, or for a status list
	 * `<recipient id>:<status>` (a new status is a new change). The keys kept are capped (`maxRemembered`):
	 * a status list read whole on every poll is better served by `changedRows` below, which has no cap.
	 */
	key: string;
	/** When it happened (shared/util/dates parseTime reads a provider's time); undefined when the API gives no time. */
	time?: Date;
	event: EmailEvent;
}

export type PageToken = string | number;

export interface PollRequest {
	/**
	 * `baseline`: the first poll of an active workflow, which records what exists and emits nothing;
	 * `sample`: a manual run, which shows the latest records; `poll`: every later poll.
	 */
	purpose: 'baseline' | 'sample' | 'poll';
	/** Lower bound (inclusive) for `poll`: records older than this were handled by earlier polls. */
	since?: Date;
	/** The `next` of the page before; undefined for the first page. */
	page?: PageToken;
}

export interface PollSource {
	/**
	 * One page of records. For `baseline` and `sample` the newest records are wanted (a log sorted newest
	 * first, without `next` when one page is enough); for `poll`, those since `since`, in any order.
	 */
	fetchPage(request: PollRequest): Promise<{ records: PolledRecord[]; next?: PageToken }>;
}

export interface PollOptions {
	/** Records a manual run shows (the latest). */
	sampleSize?: number;
	/** Pages one poll reads at most; the rest waits for the next poll (see the cursor). */
	maxPages?: number;
	/** Keys kept in the cursor at most, newest kept. */
	maxRemembered?: number;
	/** Re-read this far before the cursor, for providers that log events late; repeats are recognised by key. */
	overlapSeconds?: number;
	/** Static-data field of the cursor. */
	stateField?: string;
}

/**
 * The cursor kept in the node's static data (saved by n8n with the workflow, so it survives restarts):
 * the newest record time read, and the keys read at or after `time - overlap` (the boundary, where a
 * provider's inclusive `since` returns records again) plus keys of records without a time, newest last.
 */
interface PollCursor {
	time: string | null;
	seen: Array<[string, number | null]>;
	/** Page to continue from when a list without times was longer than one poll may read. */
	resume?: PageToken;
	/** The baseline is still being read (a list without times longer than one poll may read): emit nothing yet. */
	baseline?: boolean;
}

export const POLL_DEFAULTS = {
	sampleSize: 5,
	maxPages: 20,
	maxRemembered: 5_000,
	overlapSeconds: 0,
	stateField: 'pollCursor',
} satisfies Required<PollOptions>;

function readCursor(state: IDataObject, field: string): PollCursor | undefined {
	const stored = state[field] as PollCursor | undefined;
	if (!stored || typeof stored !== 'object' || !Array.isArray(stored.seen)) return undefined;
	return stored;
}

const items = (events: EmailEvent[]): INodeExecutionData[][] | null =>
	events.length ? [events.map((event) => ({ json: event }))] : null;

/**
 * Reads pages until the source has no more, a page reaches back before `since`, `enough` records are read
 * (a sample), or `maxPages` or half the poll's time budget is spent (the rest waits for the next poll).
 */
async function readPages(context: IPollFunctions, source: PollSource, request: PollRequest, maxPages: number, enough = Infinity) {
	const startedAt = Date.now();
	// n8n abandons a poll that outlives its budget: keep half of it for emitting.
	const budgetMs = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() / 2 : Infinity;
	const records: PolledRecord[] = [];
	let page = request.page;
	for (let read = 0; read < maxPages; read++) {
		const result = await source.fetchPage({ ...request, page });
		records.push(...result.records);
		page = result.next;
		if (page === undefined || page === null || page === '' || records.length >= enough) return { records, next: undefined };
		// A newest-first list that reached records older than the cursor has nothing new further on.
		if (request.since && result.records.some((record) => record.time && record.time < request.since!)) {
			return { records, next: undefined };
		}
		if (Date.now() - startedAt > budgetMs) break;
	}
	return { records, next: page };
}

/** Newest first by time; records without a time keep the source's order after those with one. */
const newestFirst = (records: PolledRecord[]) =>
	records
		.map((record, index) => ({ record, index }))
		.sort((a, b) => (b.record.time?.getTime() ?? -Infinity) - (a.record.time?.getTime() ?? -Infinity) || a.index - b.index)
		.map(({ record }) => record);

/** Oldest first by time (the order things happened in); records without a time keep the source's order. */
const inTimeOrder = (records: PolledRecord[]) =>
	records.every((record) => record.time)
		? records
				.map((record, index) => ({ record, index }))
				.sort((a, b) => a.record.time!.getTime() - b.record.time!.getTime() || a.index - b.index)
				.map(({ record }) => record)
		: records;

function nextCursor(
	previous: PollCursor | undefined,
	read: PolledRecord[],
	nowMs: number,
	options: Required<PollOptions>,
	resume: PageToken | undefined,
	baseline = false,
): PollCursor {
	const times = read.flatMap((record) => (record.time ? [record.time.getTime()] : []));
	const previousTime = parseTime(previous?.time)?.getTime();
	const newest = Math.max(previousTime ?? -Infinity, ...times);
	// No record with a time yet: start from now, so the first record that comes later is new.
	const cursorMs = Number.isFinite(newest) ? newest : previousTime ?? nowMs;
	const boundary = cursorMs - options.overlapSeconds * 1000;
	const seen = new Map<string, number | null>(previous?.seen ?? []);
	for (const record of read) {
		seen.delete(record.key); // re-inserted last: the most recently read are kept longest
		seen.set(record.key, record.time ? record.time.getTime() : null);
	}
	const kept = [...seen].filter(([, time]) => time === null || time >= boundary).slice(-options.maxRemembered);
	return {
		time: new Date(cursorMs).toISOString(),
		seen: kept,
		...(resume !== undefined ? { resume } : {}),
		...(baseline ? { baseline } : {}),
	};
}

/**
 * The body of a polling trigger's poll(): returns the events that are new since the last poll (oldest
 * first), or null when there are none, keeping the cursor in the node's static data.
 *
 * - First poll of an active workflow (no cursor): records what exists and emits nothing, so activating a
 *   workflow does not replay the account's history.
 * - Later polls: emits each record whose key was not read before and whose time is not before the
 *   cursor; never the same key twice. A backlog longer than `maxPages` (or the poll's time budget) is
 *   emitted over several polls, oldest first when the source lists oldest first.
 * - Manual run (`getMode() === 'manual'`, "Fetch Test Event"): shows the latest `sampleSize` records and
 *   leaves the cursor alone, so testing never makes an active workflow skip or repeat events.
 */
export async function pollEvents(
	context: IPollFunctions,
	source: PollSource,
	options: PollOptions = {},
): Promise<INodeExecutionData[][] | null> {
	const settings = { ...POLL_DEFAULTS, ...options };
	if (context.getMode() === 'manual') {
		const { records } = await readPages(context, source, { purpose: 'sample' }, settings.maxPages, settings.sampleSize);
		return items(inTimeOrder(newestFirst(records).slice(0, settings.sampleSize)).map((record) => record.event));
	}

	const state = context.getWorkflowStaticData('node');
	const cursor = readCursor(state, settings.stateField);
	const nowMs = Date.now();
	if (!cursor || cursor.baseline) {
		const { records, next } = await readPages(context, source, { purpose: 'baseline', page: cursor?.resume }, settings.maxPages);
		// A list without times is baselined whole, over several polls if need be; a log by its newest page.
		const unfinished = next !== undefined && !records.some((record) => record.time);
		// A fresh object, so that n8n notices the change and saves it.
		state[settings.stateField] = nextCursor(cursor, records, nowMs, settings, unfinished ? next : undefined, unfinished) as unknown as IDataObject;
		return null;
	}

	const cursorTime = parseTime(cursor.time)?.getTime();
	const since = cursorTime === undefined ? undefined : new Date(cursorTime - settings.overlapSeconds * 1000);
	const { records, next } = await readPages(context, source, { purpose: 'poll', since, page: cursor.resume }, settings.maxPages);
	const seen = new Set(cursor.seen.map(([key]) => key));
	const fresh: PolledRecord[] = [];
	for (const record of records) {
		if (seen.has(record.key) || (record.time && since && record.time < since)) continue;
		seen.add(record.key);
		fresh.push(record);
	}
	if (next !== undefined && records.some((record) => record.time) && records.length > 1) {
		const [first, last] = [records[0].time, records[records.length - 1].time];
		if (first && last && first > last) {
			// Listed newest first and cut short: what lies between this poll and the last one is not read.
			context.logger.warn(
				`More than ${settings.maxPages} pages of new records since the last poll; older records beyond them are skipped`,
			);
		}
	}
	// Lists without times are resumed where this poll stopped; a timed list continues from the cursor time.
	const resume = next !== undefined && !records.some((record) => record.time) ? next : undefined;
	state[settings.stateField] = nextCursor(cursor, records, nowMs, settings, resume) as unknown as IDataObject;
	return items(inTimeOrder(fresh).map((record) => record.event));
}

/**
 * Status lists read whole on every poll (SMS.by: a mailing's recipients, each with its current status).
 * What was seen is remembered per list as digests of (row, status), one per row of the last read: no
 * cap that could make old rows look new, bounded by the list's own size, and no addresses kept.
 */
export interface StatusRow {
	/** The row's identity within its list, e.g. the recipient's letter id. */
	key: string;
	/** Its current state; a new state is a change. */
	status: string;
	event: EmailEvent;
}

/** Characters of a row digest: 48 bits of SHA-256, so two rows of a list never share one in practice. */
const DIGEST_LENGTH = 8;

export function rowDigest(row: Pick<StatusRow, 'key' | 'status'>): string {
	return createHash('sha256').update(`${row.key}\u0000${row.status}`).digest('base64url').slice(0, DIGEST_LENGTH);
}

function digestSet(remembered: string): Set<string> {
	const digests = new Set<string>();
	for (let at = 0; at < remembered.length; at += DIGEST_LENGTH) digests.add(remembered.slice(at, at + DIGEST_LENGTH));
	return digests;
}

/**
 * The rows of a list whose (row, status) was not in its last read, and what to remember of this read.
 * `remembered` undefined: the list was never read, so every row counts as changed.
 */
export function changedRows<T extends StatusRow>(remembered: string | undefined, rows: T[]): { changed: T[]; remember: string } {
	const known = remembered === undefined ? new Set<string>() : digestSet(remembered);
	const digests = rows.map(rowDigest);
	const changed = rows.filter((_, index) => !known.has(digests[index]));
	return { changed, remember: digests.join('') };
}
