import { connectionErrorCode, decideRetry, DEFAULT_RETRY_POLICY, isTimeoutError, parseRetryAfter, waitForRetry } from '../../nodes/shared/http/retry';
import type { RetryPolicy } from '../../nodes/shared/http/retry';
import { installFakeClock } from '../harness/fake-clock';
import type { FakeClock } from '../harness/fake-clock';

const policy: RetryPolicy = { maxAttempts: 4, maxTotalWaitMs: 60_000, baseDelayMs: 100 };

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-03-01T12:00:00Z');

	it('reads delta seconds, including fractions, as milliseconds', () => {
		expect(parseRetryAfter('0')).toBe(0);
		expect(parseRetryAfter('1')).toBe(1000);
		expect(parseRetryAfter('120')).toBe(120_000);
		expect(parseRetryAfter(' 7 ')).toBe(7000);
		expect(parseRetryAfter('1.5')).toBe(1500);
		expect(parseRetryAfter('0.0001')).toBe(1); // never rounds a real wait down to zero
		expect(parseRetryAfter(3)).toBe(3000);
	});

	it('reads an HTTP date as the time left until then', () => {
		expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
		// The two obsolete HTTP date forms recipients must accept (RFC 9110 §5.6.7).
		expect(parseRetryAfter('Sunday, 01-Mar-26 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Sun Mar  1 12:00:30 2026', now)).toBe(30_000);
		expect(parseRetryAfter('2026-03-01T12:01:00Z', now)).toBe(60_000);
	});

	it('treats an HTTP date in the past as "retry now"', () => {
		expect(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', now)).toBe(0);
	});

	it('ignores garbage, empty and missing values', () => {
		for (const value of [undefined, null, '', '   ', 'soon', 'abc 1', '-1', '1 2', '0x10', '1e3', 'NaN', {}, true]) {
			expect(parseRetryAfter(value, now)).toBeUndefined();
		}
	});

	it('reads the first value of a repeated header', () => {
		expect(parseRetryAfter(['2', '10'])).toBe(2000);
		expect(parseRetryAfter([])).toBeUndefined();
	});
});

describe('decideRetry', () => {
	const delayOf = (decision: ReturnType<typeof decideRetry>) => (decision.retry ? decision.delayMs : undefined);

	it('retries 429 for every call, waiting as long as Retry-After says', () => {
		for (const idempotent of [true, false]) {
			expect(decideRetry({ statusCode: 429, retryAfter: '3' }, idempotent, 1, policy)).toEqual({ retry: true, delayMs: 3000 });
			expect(decideRetry({ statusCode: 429, retryAfter: '0' }, idempotent, 2, policy)).toEqual({ retry: true, delayMs: 0 });
		}
	});

	it('backs off exponentially on 429 without Retry-After', () => {
		expect(delayOf(decideRetry({ statusCode: 429 }, false, 1, policy))).toBe(100);
		expect(delayOf(decideRetry({ statusCode: 429 }, false, 2, policy))).toBe(200);
		expect(delayOf(decideRetry({ statusCode: 429 }, false, 3, policy))).toBe(400);
	});

	it('retries 503 with Retry-After for non-idempotent calls, and 503 without it only for idempotent calls', () => {
		expect(decideRetry({ statusCode: 503, retryAfter: '2' }, false, 1, policy)).toEqual({ retry: true, delayMs: 2000 });
		expect(decideRetry({ statusCode: 503, retryAfter: '2' }, true, 1, policy)).toEqual({ retry: true, delayMs: 2000 });
		expect(decideRetry({ statusCode: 503 }, false, 1, policy)).toEqual({ retry: false });
		expect(decideRetry({ statusCode: 503, retryAfter: 'garbage' }, false, 1, policy)).toEqual({ retry: false });
		expect(decideRetry({ statusCode: 503 }, true, 1, policy)).toEqual({ retry: true, delayMs: 100 });
	});

	it('retries other 5xx only for idempotent calls, even when they announce Retry-After', () => {
		for (const statusCode of [500, 502, 504, 520]) {
			expect(decideRetry({ statusCode }, false, 1, policy)).toEqual({ retry: false });
			expect(decideRetry({ statusCode, retryAfter: '1' }, false, 1, policy)).toEqual({ retry: false });
			expect(decideRetry({ statusCode }, true, 1, policy).retry).toBe(true);
		}
	});

	it('never retries client errors other than 429', () => {
		for (const statusCode of [400, 401, 403, 404, 409, 422]) {
			expect(decideRetry({ statusCode, retryAfter: '1' }, true, 1, policy)).toEqual({ retry: false });
		}
	});

	it('retries a refused connection for every call, since nothing was sent', () => {
		for (const idempotent of [true, false]) {
			expect(decideRetry({ errorCode: 'ECONNREFUSED' }, idempotent, 1, policy)).toEqual({ retry: true, delayMs: 100 });
			expect(decideRetry({ errorCode: 'ENOTFOUND' }, idempotent, 1, policy).retry).toBe(true);
		}
	});

	it('retries dropped or timed-out connections only for idempotent calls', () => {
		for (const errorCode of ['ECONNRESET', 'ETIMEDOUT']) {
			expect(decideRetry({ errorCode }, false, 1, policy)).toEqual({ retry: false });
			expect(decideRetry({ errorCode }, true, 1, policy)).toEqual({ retry: true, delayMs: 100 });
		}
	});

	it('retries a rate limit reported in the body like a 429, for every call, whatever the HTTP status', () => {
		for (const idempotent of [false, true]) {
			// The wait the answer names, unless Retry-After says otherwise; else the backoff.
			expect(decideRetry({ statusCode: 200, rateLimited: true, announcedDelayMs: 12_000 }, idempotent, 1, policy)).toEqual({ retry: true, delayMs: 12_000 });
			expect(decideRetry({ statusCode: 200, rateLimited: true, announcedDelayMs: 12_000, retryAfter: '2' }, idempotent, 1, policy)).toEqual({
				retry: true,
				delayMs: 2_000,
			});
			expect(decideRetry({ statusCode: 200, rateLimited: true }, idempotent, 2, policy)).toEqual({ retry: true, delayMs: 200 });
			expect(decideRetry({ statusCode: 429, announcedDelayMs: 3_000 }, idempotent, 1, policy)).toEqual({ retry: true, delayMs: 3_000 });
		}
		// A nonsensical announced wait falls back to the backoff.
		expect(decideRetry({ rateLimited: true, announcedDelayMs: NaN }, false, 1, policy)).toEqual({ retry: true, delayMs: 100 });
		expect(decideRetry({ rateLimited: true, announcedDelayMs: -5 }, false, 1, policy)).toEqual({ retry: true, delayMs: 100 });
		expect(decideRetry({ statusCode: 200, rateLimited: true }, false, policy.maxAttempts, policy)).toEqual({ retry: false });
	});

	it('does not retry unknown failures', () => {
		expect(decideRetry({}, true, 1, policy)).toEqual({ retry: false });
		expect(decideRetry({ errorCode: 'ERR_BAD_REQUEST' }, true, 1, policy)).toEqual({ retry: false });
	});

	it('stops once maxAttempts attempts have been made', () => {
		const tight: RetryPolicy = { ...policy, maxAttempts: 3 };
		expect(decideRetry({ statusCode: 429 }, true, 2, tight).retry).toBe(true);
		expect(decideRetry({ statusCode: 429 }, true, 3, tight)).toEqual({ retry: false });
		expect(decideRetry({ errorCode: 'ECONNREFUSED' }, true, 3, tight)).toEqual({ retry: false });
		expect(decideRetry({ statusCode: 429 }, true, 1, { ...policy, maxAttempts: 1 })).toEqual({ retry: false });
	});

	it('has defaults that allow a per-minute rate limit to pass', () => {
		expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
		expect(DEFAULT_RETRY_POLICY.maxTotalWaitMs).toBeGreaterThanOrEqual(60_000);
	});
});

describe('waitForRetry', () => {
	const tiny: RetryPolicy = { maxAttempts: 5, maxTotalWaitMs: 30, baseDelayMs: 1 };

	let clock: FakeClock;
	beforeEach(() => (clock = installFakeClock()));
	afterEach(() => clock.restore());

	it('waits when the total budget allows it', async () => {
		await expect(waitForRetry(15, 10, tiny)).resolves.toBe(true);
		expect(clock.sleeps).toEqual([15]);
	});

	it('waits up to exactly the budget', async () => {
		await expect(waitForRetry(10, 20, tiny)).resolves.toBe(true);
	});

	it('refuses at once when the wait would exceed the total budget', async () => {
		await expect(waitForRetry(25, 10, tiny)).resolves.toBe(false);
		await expect(waitForRetry(60_000, 0, tiny)).resolves.toBe(false);
		expect(clock.sleeps).toEqual([]);
	});
});

describe('isTimeoutError', () => {
	it("recognises axios' timeout and socket timeouts, also as a cause", () => {
		const axiosTimeout = Object.assign(new Error('timeout of 200ms exceeded'), { code: 'ECONNABORTED' });
		expect(isTimeoutError(axiosTimeout)).toBe(true);
		expect(isTimeoutError(new Error('The connection was aborted', { cause: axiosTimeout }))).toBe(true);
		expect(isTimeoutError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }))).toBe(true);
	});

	it('does not take other aborts or errors for a timeout', () => {
		expect(isTimeoutError(Object.assign(new Error('Request aborted'), { code: 'ECONNABORTED' }))).toBe(false);
		expect(isTimeoutError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
		expect(isTimeoutError(undefined)).toBe(false);
	});
});

describe('connectionErrorCode', () => {
	it('reads the code of the error itself', () => {
		expect(connectionErrorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
	});

	it('digs through nested causes', () => {
		const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const axiosLike = new Error('request failed', { cause: root });
		const wrapped = new Error('NodeApiError-like', { cause: axiosLike });
		expect(connectionErrorCode(wrapped)).toBe('ECONNRESET');
	});

	it('ignores codes that are not system error codes', () => {
		expect(connectionErrorCode(Object.assign(new Error('x'), { code: 429 }))).toBeUndefined();
		expect(connectionErrorCode(Object.assign(new Error('x'), { code: 'rate_limited', cause: { code: 'ETIMEDOUT' } }))).toBe('ETIMEDOUT');
	});

	it('returns undefined for plain values and cycles', () => {
		expect(connectionErrorCode(undefined)).toBeUndefined();
		expect(connectionErrorCode('ECONNREFUSED')).toBeUndefined();
		const cyclic: { cause?: unknown } = {};
		cyclic.cause = cyclic;
		expect(connectionErrorCode(cyclic)).toBeUndefined();
	});
});
