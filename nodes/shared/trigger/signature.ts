import { createHmac, timingSafeEqual } from 'crypto';

import { parseTime } from '../util/dates';
import { clock } from '../util/clock';

export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';

/** How a provider writes the digest: hex (Octeth, most ESPs) or base64 (Especial's `x-signature`). */
export type SignatureEncoding = 'hex' | 'base64';

export function hmacDigest(
	algorithm: HmacAlgorithm,
	key: string | Buffer,
	data: string | Buffer,
	encoding: SignatureEncoding,
): string {
	return createHmac(algorithm, key).update(data).digest(encoding);
}

export function hmacHex(algorithm: HmacAlgorithm, key: string | Buffer, data: string | Buffer): string {
	return hmacDigest(algorithm, key, data, 'hex');
}

const HEX = /^[0-9a-f]+$/i;

/**
 * Constant-time comparison of two signatures (hex or base64 text); false for different lengths.
 * Hex digests compare case-insensitively; anything else (base64) keeps its case, where it matters.
 */
export function safeEqual(expected: string, received: string): boolean {
	let left = expected.trim();
	let right = received.trim();
	if (HEX.test(left) && HEX.test(right)) {
		left = left.toLowerCase();
		right = right.toLowerCase();
	}
	const a = Buffer.from(left);
	const b = Buffer.from(right);
	if (a.length !== b.length || a.length === 0) return false;
	return timingSafeEqual(a, b);
}

/** Strips scheme prefixes such as "sha256=" that some providers put before the digest. */
export function stripSignaturePrefix(signature: string): string {
	const match = /^(sha1|sha256|sha512)=(.+)$/i.exec(signature.trim());
	return match ? match[2] : signature.trim();
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]+$/;

/**
 * The digest bytes a received signature text stands for, or undefined when it is not valid text of the
 * encoding (Buffer.from would silently skip bad characters). Base64 may come URL-safe or unpadded.
 */
function signatureBytes(text: string, encoding: SignatureEncoding): Buffer | undefined {
	if (encoding === 'hex') return HEX.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
	if (BASE64.test(text) && (text.length % 4 === 0 || !text.includes('='))) return Buffer.from(text, 'base64');
	return BASE64_URL.test(text) ? Buffer.from(text, 'base64url') : undefined;
}

/**
 * True when the HMAC of the payload (the raw body bytes, as received) under the key equals the received
 * signature, written in the provider's encoding, with or without a "sha256=" prefix. The digests are
 * compared as bytes in constant time, so hex case and base64 padding do not matter; a wrong length is false.
 */
export function verifyHmac(
	algorithm: HmacAlgorithm,
	key: string | Buffer,
	payload: string | Buffer,
	received: string,
	encoding: SignatureEncoding = 'hex',
): boolean {
	const receivedBytes = signatureBytes(stripSignaturePrefix(received ?? ''), encoding);
	const expected = createHmac(algorithm, key).update(payload).digest();
	if (!receivedBytes || receivedBytes.length !== expected.length) return false;
	return timingSafeEqual(expected, receivedBytes);
}

/** Seconds since epoch from unix seconds, milliseconds or a date text; undefined if unreadable. */
export function toUnixSeconds(value: unknown): number | undefined {
	const date = parseTime(value);
	return date === undefined ? undefined : Math.floor(date.getTime() / 1000);
}

/** Refuses deliveries older (or further in the future) than the tolerance; 0 disables the check. */
export function isFresh(timestampSeconds: number | undefined, toleranceSeconds: number, nowMs = clock().now()): boolean {
	if (toleranceSeconds <= 0) return true;
	if (timestampSeconds === undefined) return false;
	return Math.abs(nowMs / 1000 - timestampSeconds) <= toleranceSeconds;
}

/**
 * Remembers keys (signatures, event ids) seen recently, so a captured delivery cannot be replayed and
 * a delivery the provider sends again is recognized. Each key lives for the time to live it was
 * recorded with; beyond maxEntries the oldest keys are forgotten first.
 */
export class ReplayGuard {
	private readonly seen = new Map<string, number>();

	constructor(private readonly maxEntries = 10_000) {}

	/** Returns false when the key was already seen within ttlSeconds; records it otherwise. */
	accept(key: string, ttlSeconds: number, nowMs = clock().now()): boolean {
		if (this.has(key, nowMs)) return false;
		this.remember(key, ttlSeconds, nowMs);
		return true;
	}

	/** True when the key was recorded and its time to live has not passed yet. */
	has(key: string, nowMs = clock().now()): boolean {
		const expiresAt = this.seen.get(key);
		return expiresAt !== undefined && expiresAt > nowMs;
	}

	/** Records the key for ttlSeconds (at least one second) from now. */
	remember(key: string, ttlSeconds: number, nowMs = clock().now()): void {
		this.seen.delete(key);
		this.seen.set(key, nowMs + Math.max(ttlSeconds, 1) * 1000);
		if (this.seen.size > this.maxEntries) this.prune(nowMs);
	}

	/** Forgets one key. */
	drop(key: string): void {
		this.seen.delete(key);
	}

	/** Forgets every key the predicate picks (e.g. all keys of one receiver after it is set up again). */
	forget(predicate: (key: string) => boolean): void {
		for (const key of [...this.seen.keys()]) if (predicate(key)) this.seen.delete(key);
	}

	private prune(nowMs: number) {
		for (const [key, expiresAt] of this.seen) {
			if (expiresAt <= nowMs || this.seen.size > this.maxEntries) this.seen.delete(key);
		}
	}
}
