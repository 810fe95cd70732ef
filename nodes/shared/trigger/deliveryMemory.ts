import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Where received deliveries are remembered: a key (a signature, a delivery or event id, each prefixed with
 * the receiver) and how long it counts. The process-wide ReplayGuard of shared/signature.ts fits it.
 */
export interface SeenStore {
	has(key: string, nowMs: number): boolean;
	remember(key: string, ttlSeconds: number, nowMs: number): void;
}

/** Static-data field the memory is kept in. */
export const DELIVERY_MEMORY_FIELD = 'receivedDeliveries';
/**
 * Newest keys kept. The whole field is rewritten with each new delivery and saved by n8n with the workflow,
 * so it stays small (about 40 bytes a key); older keys are forgotten first.
 */
export const DELIVERY_MEMORY_ENTRIES = 2_000;

/** Short, fixed-length form of a key: stored keys never grow with the payload, nor reveal it. */
const digestOf = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

/**
 * Delivery memory kept in the node's static data, so it survives a restart of n8n and is shared by every
 * n8n process that loads the workflow.
 *
 * n8n saves static data changed inside webhook() when it answers the request, whether or not an execution
 * starts (LiveWebhooks → saveStaticData when the workflow's `__dataChanged` flag is set). That flag is only
 * raised by writes through n8n's observable proxy, which wraps the objects present when the workflow was
 * loaded, not objects added later: so every change assigns a fresh object to the node's field.
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
		const expiresAt = this.entries[digestOf(key)];
		return typeof expiresAt === 'number' && expiresAt * 1000 > nowMs;
	}

	remember(key: string, ttlSeconds: number, nowMs: number): void {
		const digest = digestOf(key);
		const nowSeconds = Math.floor(nowMs / 1000);
		// Insertion order is age order: the key goes last, expired keys and the oldest beyond the limit go.
		const kept = Object.entries(this.entries).filter(([stored, expiresAt]) => stored !== digest && expiresAt > nowSeconds);
		kept.push([digest, nowSeconds + Math.max(Math.ceil(ttlSeconds), 1)]);
		this.entries = Object.fromEntries(kept.slice(-this.maxEntries));
		this.state[this.field] = { ...this.entries };
	}

	/** Number of keys held (expired ones included until the next write). */
	get size(): number {
		return Object.keys(this.entries).length;
	}
}

/** Both memories as one: a key counts when either has it; a new key goes to both. */
export function combinedMemory(...stores: SeenStore[]): SeenStore {
	return {
		has: (key, nowMs) => stores.some((store) => store.has(key, nowMs)),
		remember: (key, ttlSeconds, nowMs) => stores.forEach((store) => store.remember(key, ttlSeconds, nowMs)),
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
