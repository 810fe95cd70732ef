import type { IExecuteFunctions } from 'n8n-workflow';

import { clock } from '../util/clock';
import type { MemoryEntry } from './deliveryMemory';

/**
 * The second layer of the delivery memory, checked in the execution a delivery started: n8n's processed-data
 * store (`helpers.checkProcessedAndRecord`, the store of the Remove Duplicates node's "across executions"
 * mode, one row per trigger node in n8n's database). n8n 2.40 gives it to execute(), not to webhook().
 *
 * Why it is needed: the static-data memory is saved with each execution's whole copy of the static data, so
 * executions that overlap overwrite each other's entries, and a replay arriving later may find its original's
 * entry gone. The processed-data row is read and written within a few milliseconds instead of the length of an
 * execution, but n8n writes it the same way (read the list, add, write it back; no lock, no insert that fails
 * on a duplicate), so a write can still be lost to another execution writing at the same moment. Hence each
 * new delivery reads its entries back three times over 2.5 s and records what was lost again (confirmRecorded):
 * the trigger's execution takes that much longer.
 */
const PROCESSED_OPTIONS = { mode: 'entries' as const, maxEntries: 5_000 };
/**
 * When our entries are read back (ms after recording them). An overlapping write usually lands within
 * milliseconds, but under load n8n waits for a database connection between its read and its write: in the
 * queue-mode test (100 deliveries in flight) entries were lost after a single read-back at 200 ms.
 */
const CONFIRM_AFTER_MS = [200, 1_000, 2_500];
const RETRY_DELAY_MS = 200;

/** What webhook() hands over for the check: the delivery's memory entries, the digests it dropped, when. */
export interface ClaimHandOver {
	entries: MemoryEntry[];
	forgotten?: string[];
	/** Unix seconds of the delivery (entries carry their expiry; expiry - at is their lifetime). */
	at?: number;
}

/**
 * The processed-data keys of one memory entry: its digest in the current period of its lifetime and in the
 * previous one. The store keeps no expiry, so an entry counts for one to two lifetimes (a CleverReach event
 * with the same content after that is new again, as in the static-data memory).
 */
function periodKeys([digest, expiresAt]: MemoryEntry, at: number): [current: string, previous: string] {
	const lifetime = Math.max(expiresAt - at, 1);
	const period = Math.floor(at / lifetime);
	return [`${digest}@${period}`, `${digest}@${period - 1}`];
}

const hasProcessedStore = (context: IExecuteFunctions) =>
	typeof context.helpers?.checkProcessedAndRecord === 'function' && typeof context.helpers?.removeProcessed === 'function';

/**
 * True when every entry of the delivery was recorded by an earlier execution: the delivery is a repeat that
 * slipped past webhook()'s check, and the execution passes nothing on. Records the entries otherwise. An
 * unavailable store lets the delivery run (an event is never lost to the check).
 */
export async function claimedBefore(context: IExecuteFunctions, handOver: ClaimHandOver): Promise<boolean> {
	const entries = Array.isArray(handOver.entries) ? handOver.entries : [];
	if (entries.length === 0 || !hasProcessedStore(context)) return false;
	const at = typeof handOver.at === 'number' ? handOver.at : Math.floor(clock().now() / 1000);
	try {
		// A later event made these earlier ones new again (CleverReach): they leave the store too.
		if (Array.isArray(handOver.forgotten) && handOver.forgotten.length > 0) {
			const lifetimeEntry = (digest: string): MemoryEntry => [digest, entries[0][1]];
			await context.helpers.removeProcessed(handOver.forgotten.flatMap((digest) => periodKeys(lifetimeEntry(digest), at)), 'node', PROCESSED_OPTIONS);
		}
		const keys = entries.map((entry) => periodKeys(entry, at));
		const { processed } = await checkOnceMore(context, keys.flat());
		const known = new Set(processed.map(String));
		if (keys.every((pair) => pair.some((key) => known.has(key)))) return true;
		await confirmRecorded(context, keys.map(([current]) => current));
		return false;
	} catch (error) {
		context.logger.warn(`Trigger could not check n8n's processed-data store, the delivery runs: ${(error as Error).message}`);
		return false;
	}
}

/**
 * checkProcessedAndRecord, tried a second time after a pause if it fails: the node's very first two executions
 * at once both insert the store's row, and the second insert fails on n8n's unique key.
 */
async function checkOnceMore(context: IExecuteFunctions, keys: string[]) {
	try {
		return await context.helpers.checkProcessedAndRecord(keys, 'node', PROCESSED_OPTIONS);
	} catch {
		await clock().sleep(RETRY_DELAY_MS);
		return await context.helpers.checkProcessedAndRecord(keys, 'node', PROCESSED_OPTIONS);
	}
}

/** Reads the entries back at each CONFIRM_AFTER_MS; what another execution's write removed is recorded again (by the same call). */
async function confirmRecorded(context: IExecuteFunctions, keys: string[]): Promise<void> {
	let waited = 0;
	for (const after of CONFIRM_AFTER_MS) {
		await clock().sleep(after - waited);
		waited = after;
		await context.helpers.checkProcessedAndRecord(keys, 'node', PROCESSED_OPTIONS);
	}
}
