import { DateTime } from 'luxon';

import { clock } from '../util/clock';

/** Limits of the retry loop; the defaults suit rate limits counted per minute. */
export interface RetryPolicy {
	maxAttempts: number;
	/**
	 * Total time one call may spend in retries other than rate limits: the waits between attempts and the
	 * time the repeated attempts themselves take (counted from the moment the first attempt failed). For a
	 * rate limit (429, 503 with Retry-After) it is the longest single wait: those waits hold the whole run
	 * (shared/http/pacing.ts) and add up to whatever the limit requires; a longer one (a daily quota) fails.
	 */
	maxTotalWaitMs: number;
	/**
	 * Wait used when a 429/503 gives no Retry-After, doubled per attempt. For rate limits `maxAttempts`
	 * counts refusals in a row while no other request of the run succeeded (a run that moves on is not stuck).
	 */
	baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	maxTotalWaitMs: 90_000,
	baseDelayMs: 1_000,
};

// ISO 8601 timestamps with a zone; HTTP dates (RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime) are read
// by luxon's fromHTTP. Anything else is garbage: Date.parse alone would read "-1" or "abc 1" as a date in 2001.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses Retry-After as delta seconds or an HTTP date; returns milliseconds, or undefined. */
export function parseRetryAfter(value: unknown, now: number = clock().now()): number | undefined {
	const header = Array.isArray(value) ? value[0] : value;
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const text = String(header).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = ISO_DATE.test(text) ? DateTime.fromISO(text) : DateTime.fromHTTP(text);
	if (!date.isValid) return undefined;
	return Math.max(0, date.toMillis() - now);
}

/** Connection errors that prove the request never reached the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Connection errors after which the provider may or may not have acted. */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT']);

export function connectionErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * The request got no answer within its timeout (axios reports that as ECONNABORTED "timeout of N ms
 * exceeded", sockets as ETIMEDOUT / ESOCKETTIMEDOUT). The provider may still have acted on it.
 */
export function isTimeoutError(error: unknown): boolean {
	let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current.code === 'ETIMEDOUT' || current.code === 'ESOCKETTIMEDOUT') return true;
		if (current.code === 'ECONNABORTED' && /timeout/i.test(String(current.message ?? ''))) return true;
		current = current.cause as typeof current;
	}
	return false;
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** One failed attempt, as decideRetry reads it. */
export interface AttemptFailure {
	statusCode?: number;
	/** The Retry-After header. */
	retryAfter?: unknown;
	/** Node.js / axios error code of a request that got no answer (ECONNREFUSED, ECONNABORTED...). */
	errorCode?: string;
	/** The provider refused the request for its rate limit, whatever the HTTP status (e.g. 200 + error 429 in the body). */
	rateLimited?: boolean;
	/** The wait the provider asked for outside Retry-After (e.g. "Wait for 12 seconds" in the message). */
	announcedDelayMs?: number;
}

/**
 * Decides whether one failed attempt may be repeated.
 * A status that proves the provider did not take the request (429 or a rate limit reported in the body,
 * 503 with Retry-After, connection refused) is retried for every call; other 5xx and dropped
 * connections or timeouts only for idempotent calls, so nothing that sends mail can be sent twice.
 * The wait is Retry-After, else the wait the provider announced in its answer, else the backoff.
 */
export function decideRetry(failure: AttemptFailure, idempotent: boolean, attempt: number, policy: RetryPolicy): RetryDecision {
	if (attempt >= policy.maxAttempts) return { retry: false };
	const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
	const { statusCode, errorCode } = failure;
	if (statusCode === 429 || failure.rateLimited) {
		const announced = parseRetryAfter(failure.retryAfter) ?? validDelay(failure.announcedDelayMs);
		return { retry: true, delayMs: announced ?? backoff };
	}
	if (statusCode === 503) {
		const announced = parseRetryAfter(failure.retryAfter);
		if (announced === undefined && !idempotent) return { retry: false };
		return { retry: true, delayMs: announced ?? backoff };
	}
	if (statusCode !== undefined && statusCode >= 500) {
		return idempotent ? { retry: true, delayMs: backoff } : { retry: false };
	}
	if (errorCode !== undefined) {
		if (NOT_SENT_CODES.has(errorCode)) return { retry: true, delayMs: backoff };
		if (MAYBE_SENT_CODES.has(errorCode) && idempotent) return { retry: true, delayMs: backoff };
	}
	return { retry: false };
}

function validDelay(delayMs: number | undefined): number | undefined {
	return delayMs !== undefined && Number.isFinite(delayMs) && delayMs >= 0 ? Math.ceil(delayMs) : undefined;
}

/**
 * Waits for a retry unless that would exceed the total budget; returns false when out of budget.
 * `spentMs` is the time already spent in retries (waits and repeated attempts).
 */
export async function waitForRetry(delayMs: number, spentMs: number, policy: RetryPolicy): Promise<boolean> {
	if (spentMs + delayMs > policy.maxTotalWaitMs) return false;
	await clock().sleep(delayMs);
	return true;
}
