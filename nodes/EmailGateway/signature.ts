import type { IDataObject } from 'n8n-workflow';

import { hmacHex, isFresh, ReplayGuard, safeEqual, stripSignaturePrefix, toUnixSeconds } from '../shared/signature';

/**
 * Octeth documents only that Email Gateway webhook payloads are signed with HMAC-SHA256 under the
 * domain's SigningKey. We accept the plausible layouts, in this order:
 * - `X-Octeth-Signature: t=<unix>,v1=<hex>` = HMAC of "<t>.<raw body>", as Octeth signs its account
 *   webhooks (docs: "Checking the signature");
 * - `X-Octeth-Signature: <hex>` = HMAC of the raw body (Octeth's journey webhooks);
 * - a Mailgun-style `signature {timestamp, token, signature}` in the body.
 */
export const SIGNATURE_HEADER = 'x-octeth-signature';

export type VerificationResult =
	| { accepted: true; style: 'timestamped' | 'header' | 'mailgun' | 'unsigned' }
	| { accepted: false; reason: string; retryWithFreshKey: boolean };

export interface DeliveryToVerify {
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	body: IDataObject;
	signingKey: string | undefined;
	allowUnsigned: boolean;
	/** Oldest accepted delivery, in seconds; 0 turns the staleness check off. */
	maxAgeSeconds: number;
	/**
	 * Who is receiving (e.g. workflow and webhook id). The provider posts the identical signed payload to
	 * every webhook registered for the event, so a delivery is only a replay for the same receiver.
	 */
	replayScope?: string;
	now?: number;
}

const replayGuard = new ReplayGuard();

function timestampOf(body: IDataObject): number | undefined {
	const eventData = body['event-data'] as IDataObject | undefined;
	return toUnixSeconds(body.Timestamp ?? body.timestamp ?? body.EventTimestamp ?? eventData?.timestamp);
}

function checkFreshAndNew(
	scope: string,
	signature: string,
	timestamp: number | undefined,
	maxAgeSeconds: number,
	now: number,
): VerificationResult {
	if (timestamp !== undefined && !isFresh(timestamp, maxAgeSeconds, now)) {
		return { accepted: false, reason: 'The delivery is too old (or its clock is off); refused as stale.', retryWithFreshKey: false };
	}
	if (!replayGuard.accept(`${scope}\u0000${signature}`, Math.max(maxAgeSeconds, 300), now)) {
		return { accepted: false, reason: 'This delivery was already received; refused as a replay.', retryWithFreshKey: false };
	}
	return { accepted: true, style: 'header' };
}

export function verifyDelivery(delivery: DeliveryToVerify): VerificationResult {
	const now = delivery.now ?? Date.now();
	const headerValue = delivery.headers[SIGNATURE_HEADER];
	const header = Array.isArray(headerValue) ? headerValue[0] : headerValue;
	const inBody = delivery.body.signature as IDataObject | undefined;
	const key = delivery.signingKey;
	const scope = delivery.replayScope ?? '';

	const timestamped = header ? /^t=(\d+),\s*v1=([0-9a-fA-F]+)$/.exec(header.trim()) : null;
	if (timestamped) {
		if (!key) return { accepted: false, reason: 'No signing key is known for this domain.', retryWithFreshKey: true };
		const [, t, received] = timestamped;
		const expected = hmacHex('sha256', key, Buffer.concat([Buffer.from(`${t}.`), delivery.rawBody]));
		if (!safeEqual(expected, received)) {
			return { accepted: false, reason: 'The X-Octeth-Signature does not match the payload.', retryWithFreshKey: true };
		}
		// The signed t is the delivery time: the staleness check always applies to it.
		const result = checkFreshAndNew(scope, expected, Number(t), delivery.maxAgeSeconds, now);
		return result.accepted ? { accepted: true, style: 'timestamped' } : result;
	}
	if (header) {
		if (!key) return { accepted: false, reason: 'No signing key is known for this domain.', retryWithFreshKey: true };
		// The replay guard remembers the digest we computed, not the text received: a resent delivery with
		// the signature upper-cased or prefixed ("sha256=") still matches, so it must count as the same one.
		const expected = hmacHex('sha256', key, delivery.rawBody);
		if (!safeEqual(expected, stripSignaturePrefix(header))) {
			return { accepted: false, reason: 'The X-Octeth-Signature does not match the payload.', retryWithFreshKey: true };
		}
		return checkFreshAndNew(scope, expected, timestampOf(delivery.body), delivery.maxAgeSeconds, now);
	}
	if (inBody && typeof inBody === 'object' && inBody.signature) {
		if (!key) return { accepted: false, reason: 'No signing key is known for this domain.', retryWithFreshKey: true };
		const timestamp = String(inBody.timestamp ?? '');
		const token = String(inBody.token ?? '');
		const expected = hmacHex('sha256', key, timestamp + token);
		if (!safeEqual(expected, stripSignaturePrefix(String(inBody.signature)))) {
			return { accepted: false, reason: 'The payload signature does not match.', retryWithFreshKey: true };
		}
		const result = checkFreshAndNew(scope, expected, toUnixSeconds(timestamp), delivery.maxAgeSeconds, now);
		return result.accepted ? { accepted: true, style: 'mailgun' } : result;
	}
	if (delivery.allowUnsigned) return { accepted: true, style: 'unsigned' };
	return {
		accepted: false,
		reason: 'The delivery is not signed. Turn on "Accept Unsigned Deliveries" if your installation does not sign webhooks.',
		retryWithFreshKey: false,
	};
}
