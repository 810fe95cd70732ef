import type { IDataObject } from 'n8n-workflow';

import type { BatchDefinition, BatchMatch } from '../model/operation';
import { isObject, valueAt } from '../util/object';

/** Runs tasks with at most `concurrency` in flight; results keep the input order. Stops starting new tasks after a failure. */
export async function mapWithConcurrency<T, R>(
	values: T[],
	concurrency: number,
	task: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(values.length);
	let next = 0;
	let failed = false;
	let firstError: unknown;
	const worker = async () => {
		while (!failed && next < values.length) {
			const index = next++;
			try {
				results[index] = await task(values[index], index);
			} catch (error) {
				if (!failed || index < (firstError as { index: number }).index) {
					firstError = { error, index };
				}
				failed = true;
			}
		}
	};
	// A limit that is not a number (NaN, undefined) would start no worker and silently skip every task.
	const limit = Number.isNaN(Number(concurrency)) ? 1 : Math.floor(Number(concurrency));
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, values.length)) }, worker));
	if (failed) throw (firstError as { error: unknown }).error;
	return results;
}

/** The chunk size of one batched operation for the rest of a run: a 413 lowers it, nothing raises it. */
export interface ChunkSize {
	size: number;
}

/** Answer of a chunk's sender: 'tooLarge' when the provider refused the chunk as too big (HTTP 413) and took nothing. */
export type ChunkOutcome = 'tooLarge' | void;

/**
 * Sends values in chunks of `chunkSize.size`, with at most `concurrency` chunks in flight. A chunk the
 * sender reports as too large is sent again in halves before any new chunk, and the halved
 * size stays for every later chunk (of this call and of any other call sharing `chunkSize`). A chunk
 * of one is never split: its sender must fail it. The first error thrown by the sender stops new
 * chunks; chunks in flight finish, then it is thrown.
 */
export async function sendInChunks<T>(
	values: T[],
	chunkSize: ChunkSize,
	concurrency: number,
	send: (chunk: T[]) => Promise<ChunkOutcome>,
): Promise<void> {
	// Refused chunks to send again, cut to the current size when taken (a later 413 may have lowered it).
	const resend: T[][] = [];
	let cursor = 0;
	const nextChunk = (): T[] | undefined => {
		const refused = resend.shift();
		if (refused) {
			if (refused.length <= chunkSize.size) return refused;
			resend.unshift(refused.slice(chunkSize.size));
			return refused.slice(0, chunkSize.size);
		}
		if (cursor >= values.length) return undefined;
		const chunk = values.slice(cursor, cursor + chunkSize.size);
		cursor += chunk.length;
		return chunk;
	};
	let failure: { error: unknown } | undefined;
	// A worker that finds nothing left stops; the worker whose chunk was too large sends its halves itself.
	const worker = async (): Promise<void> => {
		for (let chunk = nextChunk(); chunk && !failure; chunk = failure ? undefined : nextChunk()) {
			try {
				if ((await send(chunk)) === 'tooLarge' && chunk.length > 1) {
					chunkSize.size = Math.min(chunkSize.size, Math.ceil(chunk.length / 2));
					resend.unshift(chunk);
				}
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	const workers = Math.max(1, Math.floor(Number(concurrency)) || 1);
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure) throw failure.error;
}

function listAt(answer: unknown, path: string): unknown[] {
	const list = valueAt(answer, path);
	return Array.isArray(list) ? list : [];
}

function matchKey(match: BatchMatch, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return match.by === 'email' ? String(value).trim().toLowerCase() : String(value);
}

/**
 * Which record (by its position in the chunk) each row of an answer's list belongs to. Rows that match
 * no record are left out. Matched by value, records with the same value cannot be told apart: they
 * take its rows in the answer's order, and one left without a row gets the last row of its value (a
 * provider may answer a repeated address once).
 */
export function matchRows(rows: unknown[], match: BatchMatch, records: IDataObject[]): Map<number, unknown> {
	const matched = new Map<number, unknown>();
	if (match.by === 'index') {
		rows.forEach((row, rowPosition) => {
			const position =
				match.indexKey === undefined ? rowPosition : Number(valueAt(row, match.indexKey)) - (match.firstIndex ?? 0);
			if (Number.isInteger(position) && position >= 0 && position < records.length && !matched.has(position)) {
				matched.set(position, row);
			}
		});
		return matched;
	}
	const waiting = new Map<string, number[]>();
	records.forEach((record, position) => {
		const key = matchKey(match, valueAt(record, match.recordKey));
		if (key !== undefined) waiting.set(key, [...(waiting.get(key) ?? []), position]);
	});
	const lastRow = new Map<string, unknown>();
	for (const row of rows) {
		const key = matchKey(match, valueAt(row, match.resultKey));
		if (key === undefined) continue;
		lastRow.set(key, row);
		const position = waiting.get(key)?.shift();
		if (position !== undefined) matched.set(position, row);
	}
	for (const [key, positions] of waiting) {
		if (!lastRow.has(key)) continue;
		for (const position of positions) matched.set(position, lastRow.get(key));
	}
	return matched;
}

/** What the answer to a chunk says about one of its records. */
export type RowOutcome =
	| { accepted: true; json: IDataObject }
	| { accepted: false; message: string; code?: string; row: unknown }
	/** `lookedFor`: the value the result was looked for by ("email a@b.c"), when matched by value. */
	| { accepted: false; missing: true; lookedFor?: string };

function asJson(row: unknown): IDataObject {
	return isObject(row) ? row : { value: row as string };
}

/**
 * Reads a chunk's answer into one outcome per record, in the chunk's order: its rejection if the answer
 * lists one, else its result row, else (when the operation lists no per-row results) the record itself.
 * A record the answer lists neither as a result nor as a rejection is `missing`: never a silent success.
 */
export function readChunkAnswer(batch: BatchDefinition, records: IDataObject[], answer: unknown): RowOutcome[] {
	const { rejections, results } = batch;
	const rejected = rejections
		? matchRows(
				listAt(answer, rejections.path).filter((row) => {
					const message = valueAt(row, rejections.messageKey);
					return message !== undefined && message !== null && String(message).trim() !== '';
				}),
				rejections.match,
				records,
			)
		: new Map<number, unknown>();
	const resultRows = results ? matchRows(listAt(answer, results.path), results.match, records) : undefined;
	return records.map((record, position): RowOutcome => {
		if (rejected.has(position) && rejections) {
			const row = rejected.get(position);
			const code = rejections.codeKey === undefined ? undefined : valueAt(row, rejections.codeKey);
			return {
				accepted: false,
				message: String(valueAt(row, rejections.messageKey)),
				...(code === undefined || code === null || code === '' ? {} : { code: String(code) }),
				row,
			};
		}
		if (!results || !resultRows) {
			const chunkResult = batch.chunkResultPath === undefined ? undefined : valueAt(answer, batch.chunkResultPath);
			const shared = isObject(chunkResult) ? chunkResult : {};
			return { accepted: true, json: { ...record, ...shared } };
		}
		if (resultRows.has(position)) return { accepted: true, json: asJson(resultRows.get(position)) };
		const { match } = results;
		const value = match.by === 'index' ? undefined : valueAt(record, match.recordKey);
		return { accepted: false, missing: true, ...(value === undefined ? {} : { lookedFor: `${match.by} ${String(value)}` }) };
	});
}

/** The request body of a chunk: the shared fields plus the records under `recordsKey`, unless the operation builds it. */
export function chunkBody(batch: BatchDefinition, records: IDataObject[], shared: IDataObject): IDataObject {
	return batch.chunkBody ? batch.chunkBody(records, shared) : { ...shared, [batch.recordsKey]: records };
}

/** Splits one item's body into what its chunk shares (`sharedFields`) and what is its own record. */
export function splitBody(batch: BatchDefinition, body: IDataObject): { shared: IDataObject; own: IDataObject } {
	const sharedNames = new Set(batch.sharedFields ?? []);
	const shared: IDataObject = {};
	const own: IDataObject = {};
	for (const [key, value] of Object.entries(body)) (sharedNames.has(key) ? shared : own)[key] = value;
	return { shared, own };
}
