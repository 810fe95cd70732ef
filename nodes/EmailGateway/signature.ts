import type { IDataObject } from 'n8n-workflow';

import { hmacHex, isFresh, ReplayGuard, safeEqual, stripSignaturePrefix, toUnixSeconds } from '../shared/trigger/signature';
import { checkRepeats, REFUSAL } from '../shared/trigger';
import type { RefusalReason, SeenStore } from '../shared/trigger';
import { isObject } from '../shared/util/object';
import { clock } from '../shared/util/clock';

/**
 * Octeth documents only that Email Gateway webhook payloads are signed with HMAC-SHA256 under the
 * domain's SigningKey. We accept the plausible layouts, in this order:
 * - `X-Octeth-Signature: t=<unix>,v1=<hex>` = HMAC of "<t>.<raw body>", as Octeth signs its account
 *   webhooks (docs: "Checking the signature"); several `v1` (key rotation) and a header sent twice
 *   (which Node joins as "a, b") are fine: one matching `v1` is enough;
 * - `X-Octeth-Signature: <hex>` = HMAC of the raw body (Octeth's journey webhooks);
 * - a Mailgun-style `signature {timestamp, token, signature}` in the body.
 *
 * Octeth retries a delivery that failed (no 2xx within 5 s) after 1 min, 5 min, 15 min, 1 h, 3 h, 6 h
 * and 12 h, and says an event can arrive more than once. A correctly signed delivery already received
 * (same event id, or same signature when it carries no id) is therefore accepted as a duplicate, so the
 * caller can acknowledge it without running anything, and the provider stops retrying.
 */
export const SIGNATURE_HEADER = 'x-octeth-signature';
/** Octeth's account webhooks: the event's id, the same on every retry. */
export const DELIVERY_HEADER = 'x-octeth-delivery';

/** How long deliveries are remembered: Octeth's whole retry schedule (about 22 h 21 min) fits in it. */
export const DUPLICATE_MEMORY_SECONDS = 24 * 3600;

export type SignatureStyle = 'timestamped' | 'header' | 'mailgun' | 'unsigned';

export type VerificationResult =
	| {
			accepted: true;
			style: SignatureStyle;
			/** The whole delivery was received before (same signature, delivery id or event ids). */
			duplicate: boolean;
			/** Ids of events in the delivery that were received before (a batch can repeat some of them). */
			repeatedEventIds: string[];
	  }
	| {
			accepted: false;
			/** What failed, for n8n's log. */
			reason: string;
			/** The short fixed reason the caller is given. */
			refusal: RefusalReason;
			retryWithFreshKey: boolean;
	  };

export interface DeliveryToVerify {
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	/** The parsed body: one event object, or an array of them (a batch). */
	body: IDataObject | IDataObject[];
	signingKey: string | undefined;
	allowUnsigned: boolean;
	/**
	 * Oldest accepted delivery, in seconds; 0 turns the staleness check off. It applies to a signed delivery
	 * time only (the `t=` of the timestamped scheme; the Mailgun-style `signature.timestamp` of the body, under
	 * its own signature or under a plain X-Octeth-Signature over the body), never to the event time in the
	 * body: a retry of an old event is legitimate.
	 */
	maxAgeSeconds: number;
	/**
	 * Who is receiving (workflow, webhook id and request path). The provider posts the identical signed
	 * payload to every webhook registered for the event, so a delivery is only a repeat for the same receiver.
	 */
	replayScope?: string;
	/** Where received deliveries are remembered; default: this process's memory. */
	memory?: SeenStore;
	now?: number;
}

const replayGuard = new ReplayGuard(50_000);

const text = (value: unknown): string | undefined =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() || undefined : undefined;

/** The id of one event record: `EventId`, `id`, or Mailgun's `event-data.id`. */
export function eventIdOf(record: unknown): string | undefined {
	if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
	const data = record as IDataObject;
	const eventData = data['event-data'] as IDataObject | undefined;
	return text(data.EventId) ?? text(data.EventID) ?? text(data.id) ?? text(eventData && typeof eventData === 'object' ? eventData.id : undefined);
}

function headerValues(headers: DeliveryToVerify['headers'], name: string): string[] {
	const value = headers[name];
	return (Array.isArray(value) ? value : [value]).filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '');
}

/**
 * Reads `t=<unix>,v1=<hex>[,v1=<hex>...]` as comma-separated key=value pairs (blanks allowed). A `v1`
 * belongs to the `t` before it, so a header sent twice ("t=1,v1=a, t=2,v1=b") keeps each pair together.
 * Undefined when the header is not of this scheme.
 */
export function parseTimestampedSignature(header: string): Array<{ t: string; v1: string }> | undefined {
	const pairs = header
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const at = part.indexOf('=');
			return at < 0 ? { key: part.toLowerCase(), value: '' } : { key: part.slice(0, at).trim().toLowerCase(), value: part.slice(at + 1).trim() };
		});
	if (!pairs.some((pair) => pair.key === 't') || !pairs.some((pair) => pair.key === 'v1')) return undefined;
	const signatures: Array<{ t: string; v1: string }> = [];
	let t: string | undefined;
	for (const pair of pairs) {
		if (pair.key === 't') t = pair.value;
		else if (pair.key === 'v1' && t !== undefined && /^\d+$/.test(t) && pair.value) signatures.push({ t, v1: pair.value });
	}
	return signatures;
}

/** Keys under which this delivery is remembered; `eventIds` are those of its events, in order. */
function memoryKeys(delivery: DeliveryToVerify, digest: string | undefined) {
	const scope = delivery.replayScope ?? '';
	const records = Array.isArray(delivery.body) ? delivery.body : [delivery.body];
	const eventIds = records.map(eventIdOf);
	const whole = [
		...(digest ? [`${scope}\u0000sig\u0000${digest.toLowerCase()}`] : []),
		...headerValues(delivery.headers, DELIVERY_HEADER)
			.flatMap((value) => value.split(','))
			.map((value) => value.trim())
			.filter(Boolean)
			.map((id) => `${scope}\u0000id\u0000${id}`),
	];
	const eventKey = (id: string) => `${scope}\u0000id\u0000${id}`;
	return { whole, eventIds, eventKey };
}

/**
 * Accepts a correctly signed delivery: a duplicate when its signature (or delivery id) was seen, or when
 * every event in it has an id that was seen.
 */
function acceptOnce(delivery: DeliveryToVerify, style: SignatureStyle, digest: string | undefined, now: number): VerificationResult {
	const ttl = Math.max(delivery.maxAgeSeconds, DUPLICATE_MEMORY_SECONDS);
	const repeats = checkRepeats(delivery.memory ?? replayGuard, memoryKeys(delivery, digest), ttl, now);
	return { accepted: true, style, ...repeats };
}

const STALE: VerificationResult = {
	accepted: false,
	reason: 'The signed delivery time is older than "Maximum Event Age" (or a clock is off); refused as stale.',
	refusal: REFUSAL.stale,
	retryWithFreshKey: false,
};
const NO_KEY: VerificationResult = {
	accepted: false,
	reason: 'No signing key is known for this domain.',
	refusal: REFUSAL.invalidSignature,
	retryWithFreshKey: true,
};
const mismatch = (reason: string): VerificationResult => ({ accepted: false, reason, refusal: REFUSAL.invalidSignature, retryWithFreshKey: true });

/** The Mailgun-style signed time in the body (`signature.timestamp`), if the body carries one. */
function bodySignedTime(delivery: DeliveryToVerify): string | undefined {
	const inBody = Array.isArray(delivery.body) ? undefined : delivery.body?.signature;
	const timestamp = isObject(inBody) ? inBody.timestamp : undefined;
	return timestamp === undefined || timestamp === null || timestamp === '' ? undefined : String(timestamp);
}

export function verifyDelivery(delivery: DeliveryToVerify): VerificationResult {
	const now = delivery.now ?? clock().now();
	// Node joins a header sent twice as "a, b"; an array is the same thing.
	const header = headerValues(delivery.headers, SIGNATURE_HEADER).join(', ');
	const inBody = Array.isArray(delivery.body) ? undefined : (delivery.body?.signature as IDataObject | undefined);
	const key = delivery.signingKey;

	const timestamped = header ? parseTimestampedSignature(header) : undefined;
	if (timestamped) {
		if (!key) return NO_KEY;
		// One matching v1 is enough (during a key rotation the provider sends one per key).
		const match = timestamped
			.map(({ t, v1 }) => ({ t, v1, expected: hmacHex('sha256', key, Buffer.concat([Buffer.from(`${t}.`), delivery.rawBody])) }))
			.find(({ v1, expected }) => safeEqual(expected, v1));
		if (!match) return mismatch('The X-Octeth-Signature does not match the payload.');
		// The signed t is the delivery time: the staleness check applies to it.
		if (!isFresh(Number(match.t), delivery.maxAgeSeconds, now)) return STALE;
		return acceptOnce(delivery, 'timestamped', match.expected, now);
	}
	if (header) {
		if (!key) return NO_KEY;
		// Remember the digest we computed, not the text received: a resent delivery with the signature
		// upper-cased or prefixed ("sha256=") still matches, so it must count as the same one.
		const expected = hmacHex('sha256', key, delivery.rawBody);
		const matches = header.split(',').some((candidate) => candidate.trim() && safeEqual(expected, stripSignaturePrefix(candidate)));
		if (!matches) return mismatch('The X-Octeth-Signature does not match the payload.');
		// The header signs the whole body: a Mailgun-style signed time in it is covered, so it is age-checked.
		// The event time in the body is no signed delivery time (a retry after hours is legitimate).
		const signedTime = bodySignedTime(delivery);
		if (signedTime !== undefined && !isFresh(toUnixSeconds(signedTime), delivery.maxAgeSeconds, now)) return STALE;
		return acceptOnce(delivery, 'header', expected, now);
	}
	if (inBody && typeof inBody === 'object' && inBody.signature) {
		if (!key) return NO_KEY;
		const timestamp = String(inBody.timestamp ?? '');
		const token = String(inBody.token ?? '');
		const expected = hmacHex('sha256', key, timestamp + token);
		if (!safeEqual(expected, stripSignaturePrefix(String(inBody.signature)))) return mismatch('The payload signature does not match.');
		if (!isFresh(toUnixSeconds(timestamp), delivery.maxAgeSeconds, now)) return STALE;
		return acceptOnce(delivery, 'mailgun', expected, now);
	}
	if (delivery.allowUnsigned) return acceptOnce(delivery, 'unsigned', undefined, now);
	return {
		accepted: false,
		reason: 'The delivery is not signed. Turn on "Accept Unsigned Deliveries" if your installation does not sign webhooks.',
		refusal: REFUSAL.unsigned,
		retryWithFreshKey: false,
	};
}
