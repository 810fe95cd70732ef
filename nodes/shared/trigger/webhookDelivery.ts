import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { EmailEvent } from './events';
import { ReplayGuard } from './signature';
import { combinedMemory, DELIVERY_MEMORY_FIELD, entryFor, memoryDigest, StaticDataMemory } from './deliveryMemory';
import { claimedBefore } from './executionClaims';
import type { ClaimHandOver } from './executionClaims';
import type { MemoryEntry, RepeatCheck, SeenStore } from './deliveryMemory';
import { hasRegistration } from './webhookLifecycle';
import { isObject } from '../util/object';
import { clock } from '../util/clock';

/**
 * The only reasons a refused delivery is given: short and fixed, so nothing internal (a key look-up error
 * naming the installation's host and port, which check failed how) reaches whoever sent it. The details go
 * to n8n's log.
 */
export const REFUSAL = {
	invalidSignature: 'invalid signature',
	unsigned: 'unsigned delivery',
	stale: 'stale delivery',
	notReady: 'not ready',
} as const;
export type RefusalReason = (typeof REFUSAL)[keyof typeof REFUSAL];

/** Seconds a provider is asked to wait before it retries a delivery that came in before the registration was saved. */
const NOT_READY_RETRY_SECONDS = 5;

export type DeliveryVerdict =
	| ({ accepted: true } & RepeatCheck)
	| {
			accepted: false;
			refusal: RefusalReason;
			/** What went wrong, for n8n's log only (never sent to the caller). */
			detail?: string;
	  };

/** One delivery as the provider's verify() sees it. */
export interface ReceivedDelivery {
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	/** The parsed body as received. */
	body: unknown;
	/** Its event records: the elements of a batch (JSON array), or the one object; a non-object is `{ value }`. */
	records: IDataObject[];
	/** Who receives it: workflow, node and request path (the test and the production URL are two receivers). */
	receiver: string;
	now: number;
}

/** What a provider folder fills in for its trigger's deliveries. */
export interface DeliveryHandling {
	/** Provider name for n8n's log, e.g. "Email Gateway". */
	provider: string;
	/** Checks signature and signed time, then the delivery against the memory (checkRepeats). */
	verify(context: IWebhookFunctions, delivery: ReceivedDelivery, memory: SeenStore): Promise<DeliveryVerdict>;
	/** The provider's id of one event record (the same on every retry), if it has one. */
	eventIdOf(record: IDataObject): string | undefined;
	/** One event record in the package's event shape. */
	toEvent(record: IDataObject, delivery: ReceivedDelivery): EmailEvent;
	/** The multiOptions parameter holding the selected events (default "events"). */
	eventsParameter?: string;
	/** The events that parameter offers: only those can be left out for not being selected. */
	offeredEvents: readonly string[];
	/**
	 * Completes the selected events of an accepted delivery before the workflow starts, for providers whose
	 * deliveries carry ids only (CleverReach: the receiver's email is fetched). Must not throw: an event it
	 * cannot complete goes out as it is.
	 */
	completeEvents?(context: IWebhookFunctions, events: EmailEvent[]): Promise<EmailEvent[]>;
}

/**
 * The in-process layer of the delivery memory: it closes the window between two copies arriving at one
 * process at the same instant (both would read static data before either is saved).
 */
const processMemory = new ReplayGuard(50_000);

/** The node this trigger runs as, in its workflow. */
export function nodeScope(context: IHookFunctions | IWebhookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}/${node.webhookId ?? node.id ?? node.name}`;
}

/** The path a delivery came in on: the test URL (webhook-test/...) and the production URL are two receivers. */
function requestPath(request: { originalUrl?: string; url?: string; path?: string }): string {
	const url = request.originalUrl ?? request.url ?? request.path ?? '';
	return url.split('?')[0];
}

/** Who is receiving a delivery: the node, and on which of its URLs. */
export function receiverScope(context: IWebhookFunctions): string {
	return `${nodeScope(context)}@${requestPath(context.getRequestObject() as { originalUrl?: string; url?: string; path?: string })}`;
}

/** A delivery header's first value (Node gives a repeated header as a list), or undefined. */
export function firstHeader(received: Pick<ReceivedDelivery, 'headers'>, name: string): string | undefined {
	const value = received.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** A delivery as it came in: headers, the raw body for signatures, its records, who receives it. */
function readDelivery(context: IWebhookFunctions): ReceivedDelivery {
	const request = context.getRequestObject();
	const body = (context.getBodyData() ?? {}) as unknown;
	return {
		headers: request.headers,
		rawBody: (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(body)),
		body,
		records: (Array.isArray(body) ? body : [body]).map((record) => (isObject(record) ? record : { value: record })),
		receiver: receiverScope(context),
		now: clock().now(),
	};
}

/**
 * What a delivery adds to the memory and forgets, to hand to the execution it starts: n8n keeps the
 * execution's copy of static data (see StaticDataMemory), not the webhook's.
 */
class MemoryChanges implements SeenStore {
	added: MemoryEntry[] = [];
	forgotten: string[] = [];

	has(): boolean {
		return false;
	}

	remember(key: string, ttlSeconds: number, nowMs: number): void {
		this.added.push(entryFor(key, ttlSeconds, nowMs));
	}

	drop(key: string): void {
		const digest = memoryDigest(key);
		this.added = this.added.filter(([stored]) => stored !== digest);
		this.forgotten.push(digest);
	}
}

/**
 * The delivery's events that were not received before, and of them those the user selected. Hooks are
 * registered only for the selected events: an event the user could not choose (a name we do not know, one
 * the Events option does not offer) still starts the workflow; only an offered event not selected is left out.
 */
function eventsOf(context: IWebhookFunctions, handling: DeliveryHandling, delivery: ReceivedDelivery, repeated: Set<string>) {
	const events = delivery.records
		.filter((record) => {
			const id = handling.eventIdOf(record);
			return id === undefined || !repeated.has(id);
		})
		.map((record) => handling.toEvent(record, delivery));
	const wanted = context.getNodeParameter(handling.eventsParameter ?? 'events', []) as string[];
	const leftOut = (event: string) => wanted.length > 0 && handling.offeredEvents.includes(event) && !wanted.includes(event);
	return { events, selected: events.filter((event) => !leftOut(event.event)) };
}

/** The answer to a delivery that starts nothing: all of it received before, or none of it selected. */
function nothingToRun(delivery: ReceivedDelivery, events: EmailEvent[], repeated: Set<string>): IWebhookResponseData {
	if (events.length === 0) return { webhookResponse: { received: true, ...(repeated.size ? { duplicate: true } : {}) } };
	const ignored = events.map((event) => event.event);
	return { webhookResponse: { received: true, ignored: Array.isArray(delivery.body) ? ignored : ignored[0] } };
}

/** The hand-over for the execution (see rememberInExecution), or undefined when the delivery changed nothing. */
function handOverOf(changes: MemoryChanges, state: IDataObject, stateBefore: IDataObject, now: number): StateHandOver | undefined {
	const changed = Object.keys(state).filter((field) => field !== DELIVERY_MEMORY_FIELD && state[field] !== stateBefore[field]);
	if (changes.added.length === 0 && changes.forgotten.length === 0 && changed.length === 0) return undefined;
	return {
		entries: changes.added,
		forgotten: changes.forgotten,
		state: Object.fromEntries(changed.map((field) => [field, state[field]])),
		nodeState: { ...state },
		at: Math.floor(now / 1000),
	};
}

/**
 * Answers one delivery: verify (signature, signed time), duplicate check (static data + process memory),
 * records mapped to the package's event shape, selected events only, and the answer: 401 with a fixed
 * reason, or 200 `{received:true}` (with `duplicate` or `ignored` when nothing runs).
 */
export async function receiveDelivery(context: IWebhookFunctions, handling: DeliveryHandling): Promise<IWebhookResponseData> {
	const delivery = readDelivery(context);
	const state = context.getWorkflowStaticData('node');
	const stateBefore = { ...state };
	const changes = new MemoryChanges();
	const memory = combinedMemory(processMemory, new StaticDataMemory(state), changes);

	// n8n saves the registration (the hook ids, with call tokens and signing keys) only once every webhook is
	// registered. A delivery in between reads the state from before it, on any process; the execution it would
	// start writes the trigger's state back (see rememberInExecution) and would wipe the new registration. Nothing
	// of it is kept: 503, and the provider retries.
	if (context.getMode() === 'webhook' && !hasRegistration(state)) {
		return refuse(context, handling.provider, {
			refusal: REFUSAL.notReady,
			detail: "it came in before n8n saved the trigger's webhook registration (right after activation); the provider's retry will be taken",
			status: 503,
			retryAfterSeconds: NOT_READY_RETRY_SECONDS,
		});
	}

	const verdict = await handling.verify(context, delivery, memory);
	if (!verdict.accepted) return refuse(context, handling.provider, { ...verdict, status: 401 });
	// Received before: acknowledge, so the provider stops retrying, and run nothing twice.
	if (verdict.duplicate) return { webhookResponse: { received: true, duplicate: true } };

	const repeated = new Set(verdict.repeatedEventIds);
	const { events, selected } = eventsOf(context, handling, delivery, repeated);
	if (selected.length === 0) return nothingToRun(delivery, events, repeated);
	const completed = handling.completeEvents ? await handling.completeEvents(context, selected) : selected;
	const items: INodeExecutionData[] = completed.map((event) => ({ json: event }));
	const handOver = handOverOf(changes, state, stateBefore, delivery.now);
	if (handOver) items[0][HAND_OVER_FIELD] = handOver as unknown as IDataObject;
	return { workflowData: [items], webhookResponse: { ...ACCEPTED } };
}

/** Answers a refused delivery with its fixed reason only; the detail goes to n8n's log. Nothing runs. */
function refuse(
	context: IWebhookFunctions,
	provider: string,
	{ refusal, detail, status, retryAfterSeconds }: { refusal: RefusalReason; detail?: string; status: number; retryAfterSeconds?: number },
): IWebhookResponseData {
	const where = { workflowId: context.getWorkflow().id, node: context.getNode().name };
	if (detail) context.logger.warn(`${provider} Trigger refused a delivery (${refusal}): ${detail}`, where);
	else context.logger.debug(`${provider} Trigger refused a delivery (${refusal})`, where);
	const response = context.getResponseObject();
	if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
	response.status(status).json({ error: refusal });
	return { noWebhookResponse: true };
}

/** Where the first item of a delivery carries its memory entries to the execution (not in its json). */
const HAND_OVER_FIELD = 'triggerState';

/** What webhook() hands to the execution it starts: its memory entries and the state fields it changed. */
interface StateHandOver extends ClaimHandOver {
	entries: MemoryEntry[];
	/** Digests the delivery dropped from the memory (SeenStore.drop). */
	forgotten?: string[];
	state: IDataObject;
	/** The node's whole state as webhook() left it, for an execution that was given no static data (queue mode). */
	nodeState?: IDataObject;
}

/**
 * The trigger's execute(), run by n8n in the execution a delivery started (n8n runs a webhook node's
 * execute() when it has one): adds what webhook() remembered and changed to the execution's static data,
 * which n8n saves when the execution ends, and passes the events on unchanged.
 *
 * In queue mode (2.40) a worker starts a webhook's execution without the workflow's static data (the
 * execution's stored workflow has none): the node's state is empty there, and what the execution saves becomes
 * the workflow's whole static data. So an empty state gets the node's whole state as webhook() left it
 * (registration, signing key, memory), never the new entries alone, which would wipe the registration.
 * (webhook()'s own save cannot do it: n8n 2.40 resets the change flag of the static data when it prepares the
 * execution, so LiveWebhooks saves nothing for a delivery that starts one.)
 */
export async function rememberInExecution(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const state = context.getWorkflowStaticData('node');
	const loaded = Object.keys(state).length > 0;
	for (const item of items) {
		const handOver = item[HAND_OVER_FIELD] as unknown as StateHandOver | undefined;
		if (!handOver || typeof handOver !== 'object') continue;
		// A repeat that webhook() took for new (its original's static-data entry overwritten by an overlapping
		// execution): nothing is passed on, so nothing after the trigger runs (see executionClaims.ts).
		if (await claimedBefore(context, handOver)) return [];
		if (!loaded) {
			if (handOver.nodeState && typeof handOver.nodeState === 'object') Object.assign(state, handOver.nodeState);
			continue;
		}
		Object.assign(state, handOver.state ?? {});
		const stored = new StaticDataMemory(state);
		if (Array.isArray(handOver.forgotten) && handOver.forgotten.length > 0) stored.forgetDigests(handOver.forgotten);
		if (Array.isArray(handOver.entries) && handOver.entries.length > 0) stored.rememberEntries(handOver.entries, clock().now());
	}
	return items.map((item, index) => {
		const { [HAND_OVER_FIELD]: _handOver, ...event } = item;
		return { ...event, pairedItem: { item: index } };
	});
}

/** The answer to an accepted delivery that starts the workflow. */
export const ACCEPTED = { received: true };

/**
 * For a trigger's webhook description (`responseMode: 'onReceived'`). When webhook() starts an execution,
 * n8n answers with the description's `responseData`, and without one with the text "firstEntryJson" (its
 * default for that field, which the on-received answer takes as a literal body); its own webhookResponse is
 * then ignored. This expression makes that answer the JSON `{"received":true}`.
 */
export const ACCEPTED_RESPONSE_DATA = `={{ (${JSON.stringify(ACCEPTED)}) }}`;
