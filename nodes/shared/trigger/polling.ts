import { createHash } from 'crypto';

import type { EmailEvent } from './events';

/**
 * Polling triggers (`polling: true`, `poll()`) for providers without webhooks (SMS.by) read a list whole on
 * every poll and emit only what changed since the last read.
 */

/** How many changes a manual run ("Fetch Test Event") shows. */
export const POLL_DEFAULTS = { sampleSize: 5 };

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
