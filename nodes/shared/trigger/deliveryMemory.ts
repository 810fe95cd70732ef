import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Where received deliveries are remembered: a key (a signature, a delivery or event id, each prefixed with
 * the receiver) and how long it counts. The process-wide ReplayGuard of shared/trigger/signature.ts fits it.
 */
export interface SeenStore {
	has(key: string, nowMs: number): boolean;
	remember(key: string, ttlSeconds: number, nowMs: number): void;
	/** Drops a key, for a provider whose later delivery makes an earlier one new again (CleverReach). */
	drop?(key: string): void;
}

/** Static-data field the memory is kept in. */
export const DELIVERY_MEMORY_FIELD = 'receivedDeliveries';
/**
 * Newest keys kept. The whole field is rewritten with each new delivery and saved by n8n with the workflow,
 * so it stays small (about 40 bytes a key); older keys are forgotten first.
 */
export const DELIVERY_MEMORY_ENTRIES = 2_000;

/** Short, fixed-length form of a key: stored keys never grow with the payload, nor reveal it. */
export const memoryDigest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

/** One remembered key as stored: its digest and when it expires (unix seconds). */
export type MemoryEntry = [digest: string, expiresAt: number];

/**
 * Delivery memory kept in the node's static data, so it survives a restart of n8n and is shared by every
 * n8n process that loads the workflow.
 *
 * When n8n saves it (2.40): static data changed inside webhook() is saved when the request is answered
 * (LiveWebhooks → saveStaticData, on the workflow's `__dataChanged` flag), but a delivery that starts an
 * execution loses that save: the execution loaded the static data before it and writes its own copy back
 * at its end. So webhook() also hands the keys (and any state field it changed, such as a refetched
 * signing key) to the execution (see receiveDelivery), where the node's execute() adds them to the
 * execution's copy (rememberInExecution), which n8n saves with the execution.
 * The flag is only raised by writes through n8n's observable proxy, which wraps the objects present when
 * the workflow was loaded, not objects added later: so every change assigns a fresh object to the field.
 */
export class StaticDataMemory implements SeenStore {
	private entries: Record<string, number>;

	constructor(
		private readonly state: IDataObject,
		private readonly maxEntries = DELIVERY_MEMORY_ENTRIES,
		private readonly field = DELIVERY_MEMORY_FIELD,
	) {
		const stored = state[field];
		this.entries = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Record<string, number>) } : {};
	}

	has(key: string, nowMs: number): boolean {
		const expiresAt = this.entries[memoryDigest(key)];
		return typeof expiresAt === 'number' && expiresAt * 1000 > nowMs;
	}

	remember(key: string, ttlSeconds: number, nowMs: number): void {
		this.rememberEntries([entryFor(key, ttlSeconds, nowMs)], nowMs);
	}

	/** Adds stored entries (digest, expiry) in one write, e.g. those a delivery handed to its execution. */
	rememberEntries(entries: MemoryEntry[], nowMs: number): void {
		const nowSeconds = Math.floor(nowMs / 1000);
		const added = new Set(entries.map(([digest]) => digest));
		// Insertion order is age order: new keys go last, expired keys and the oldest beyond the limit go.
		const kept = Object.entries(this.entries).filter(([stored, expiresAt]) => !added.has(stored) && expiresAt > nowSeconds);
		kept.push(...entries.filter(([, expiresAt]) => expiresAt > nowSeconds));
		this.entries = Object.fromEntries(kept.slice(-this.maxEntries));
		this.state[this.field] = { ...this.entries };
	}

	drop(key: string): void {
		this.forgetDigests([memoryDigest(key)]);
	}

	/** Drops stored entries by digest in one write, e.g. those a delivery handed to its execution. */
	forgetDigests(digests: string[]): void {
		if (!digests.some((digest) => digest in this.entries)) return;
		this.entries = Object.fromEntries(Object.entries(this.entries).filter(([stored]) => !digests.includes(stored)));
		this.state[this.field] = { ...this.entries };
	}

	/** Number of keys held (expired ones included until the next write). */
	get size(): number {
		return Object.keys(this.entries).length;
	}
}

/** The stored entry of a key remembered now for ttlSeconds (at least one second). */
export function entryFor(key: string, ttlSeconds: number, nowMs: number): MemoryEntry {
	return [memoryDigest(key), Math.floor(nowMs / 1000) + Math.max(Math.ceil(ttlSeconds), 1)];
}

/** Both memories as one: a key counts when either has it; a new key goes to both. */
export function combinedMemory(...stores: SeenStore[]): SeenStore {
	return {
		has: (key, nowMs) => stores.some((store) => store.has(key, nowMs)),
		remember: (key, ttlSeconds, nowMs) => stores.forEach((store) => store.remember(key, ttlSeconds, nowMs)),
		drop: (key) => stores.forEach((store) => store.drop?.(key)),
	};
}

/** What identifies a delivery: keys for the delivery as a whole, and the ids of its events (in order). */
export interface DeliveryKeys {
	/** A signature digest, a delivery id: a match means the whole delivery was received before. */
	whole: string[];
	/** The id of each event in the delivery; undefined for an event that carries none. */
	eventIds: Array<string | undefined>;
	/** The memory key of an event id (scoped to the receiver). */
	eventKey: (id: string) => string;
}

export interface RepeatCheck {
	/** The whole delivery was received before (one of its whole keys, or every event id). */
	duplicate: boolean;
	/** Ids of events in the delivery that were received before (a batch can repeat some of them). */
	repeatedEventIds: string[];
}

/**
 * Checks a verified delivery against the memory and remembers it when new. Only a new delivery is
 * remembered, so a replay with rewritten headers cannot mark other ids as seen.
 */
export function checkRepeats(memory: SeenStore, keys: DeliveryKeys, ttlSeconds: number, nowMs: number): RepeatCheck {
	const repeated = keys.eventIds.filter((id): id is string => id !== undefined && memory.has(keys.eventKey(id), nowMs));
	const everyEventRepeated = keys.eventIds.length > 0 && keys.eventIds.every((id) => id !== undefined && repeated.includes(id));
	const duplicate = keys.whole.some((key) => memory.has(key, nowMs)) || everyEventRepeated;
	if (!duplicate) {
		for (const key of keys.whole) memory.remember(key, ttlSeconds, nowMs);
		for (const id of keys.eventIds) if (id !== undefined) memory.remember(keys.eventKey(id), ttlSeconds, nowMs);
	}
	return { duplicate, repeatedEventIds: [...new Set(repeated)] };
}
