/**
 * Unit tests of what the Email Gateway Trigger relies on: nodes/shared/trigger/signature.ts (HMAC comparison,
 * freshness, replay memory), nodes/shared/trigger/events.ts (event names, timestamps) and the delivery check
 * of nodes/EmailGateway/signature.ts. Expected values come from published test vectors or are built
 * independently here with node:crypto, not from the code under test.
 */
import { createHmac } from 'node:crypto';

import { DUPLICATE_MEMORY_SECONDS, parseTimestampedSignature, verifyDelivery } from '../../nodes/EmailGateway/signature';
import { canonicalEvent, emailEvent, toIsoTimestamp } from '../../nodes/shared/trigger/events';
import { isEmailEventName } from '../harness/checks';
import { hmacHex, isFresh, ReplayGuard, safeEqual, stripSignaturePrefix, toUnixSeconds, verifyHmac } from '../../nodes/shared/trigger/signature';
import { evaluateInTimeZone } from '../harness/time-zone';

// RFC 4231, test case 2.
const RFC4231_KEY = 'Jefe';
const RFC4231_DATA = 'what do ya want for nothing?';
const RFC4231_SHA256 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

const JAN_15_2024_NOON_UTC = Date.UTC(2024, 0, 15, 12, 0, 0) / 1000; // 1705320000

/** toUnixSeconds and toIsoTimestamp of one date text, in a Node process per time zone. */
function inTimeZones(zones: string[], text: string): Array<{ tz: string; unix: number | undefined; iso: string | null }> {
	return zones.map((tz) => ({
		tz,
		...(evaluateInTimeZone(
			tz,
			`({ unix: shared('trigger/signature').toUnixSeconds(${JSON.stringify(text)}), iso: shared('trigger/events').toIsoTimestamp(${JSON.stringify(text)}) })`,
		) as { unix: number | undefined; iso: string | null }),
	}));
}

describe('shared/trigger/signature', () => {
	describe('hmacHex / verifyHmac', () => {
		test('matches the RFC 4231 HMAC-SHA256 test vector', () => {
			expect(hmacHex('sha256', RFC4231_KEY, RFC4231_DATA)).toBe(RFC4231_SHA256);
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, RFC4231_SHA256)).toBe(true);
			expect(verifyHmac('sha256', RFC4231_KEY, Buffer.from(RFC4231_DATA), RFC4231_SHA256)).toBe(true);
		});

		test('accepts the digest with a "sha256=" prefix and in upper case', () => {
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, `sha256=${RFC4231_SHA256}`)).toBe(true);
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, RFC4231_SHA256.toUpperCase())).toBe(true);
		});

		test('refuses another key, another payload, a truncated digest and an empty one', () => {
			expect(verifyHmac('sha256', 'Jeff', RFC4231_DATA, RFC4231_SHA256)).toBe(false);
			expect(verifyHmac('sha256', RFC4231_KEY, `${RFC4231_DATA} `, RFC4231_SHA256)).toBe(false);
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, RFC4231_SHA256.slice(0, 63))).toBe(false);
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, '')).toBe(false);
			expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, 'sha256=')).toBe(false);
		});
	});

	describe('safeEqual', () => {
		test('equal strings are equal; hex compares case-insensitively', () => {
			expect(safeEqual('abc123', 'abc123')).toBe(true);
			expect(safeEqual('abc123', 'ABC123')).toBe(true);
		});

		test('a length mismatch is false, not an exception (timingSafeEqual would throw)', () => {
			expect(() => safeEqual('abcd', 'abc')).not.toThrow();
			expect(safeEqual('abcd', 'abc')).toBe(false);
			expect(safeEqual('abc', 'abcd')).toBe(false);
			// Same number of characters, different number of bytes.
			expect(safeEqual('aé', 'aee')).toBe(false);
		});

		test('two empty strings do not count as a match', () => {
			expect(safeEqual('', '')).toBe(false);
			expect(safeEqual('  ', '')).toBe(false);
		});

		test('base64 signatures keep their case: upper-casing one is a different signature', () => {
			const base64 = createHmac('sha256', 'key').update('payload').digest('base64');
			expect(safeEqual(base64, base64)).toBe(true);
			expect(base64.toLowerCase()).not.toBe(base64);
			expect(safeEqual(base64, base64.toLowerCase())).toBe(false);
		});
	});

	describe('stripSignaturePrefix', () => {
		test('strips sha1= / sha256= / sha512= in any case, and surrounding blanks', () => {
			expect(stripSignaturePrefix('sha256=abc')).toBe('abc');
			expect(stripSignaturePrefix('SHA256=abc')).toBe('abc');
			expect(stripSignaturePrefix('sha1=abc')).toBe('abc');
			expect(stripSignaturePrefix('sha512=abc')).toBe('abc');
			expect(stripSignaturePrefix('  sha256=abc  ')).toBe('abc');
		});

		test('leaves other text alone', () => {
			expect(stripSignaturePrefix('abc')).toBe('abc');
			expect(stripSignaturePrefix('md5=abc')).toBe('md5=abc');
			expect(stripSignaturePrefix('sha256=')).toBe('sha256=');
			expect(stripSignaturePrefix(' abc ')).toBe('abc');
		});
	});

	describe('toUnixSeconds', () => {
		test('reads unix seconds, milliseconds and ISO dates', () => {
			expect(toUnixSeconds(JAN_15_2024_NOON_UTC)).toBe(JAN_15_2024_NOON_UTC);
			expect(toUnixSeconds(String(JAN_15_2024_NOON_UTC))).toBe(JAN_15_2024_NOON_UTC);
			expect(toUnixSeconds(JAN_15_2024_NOON_UTC * 1000 + 999)).toBe(JAN_15_2024_NOON_UTC);
			expect(toUnixSeconds('2024-01-15T12:00:00Z')).toBe(JAN_15_2024_NOON_UTC);
			expect(toUnixSeconds('2024-01-15T14:00:00+02:00')).toBe(JAN_15_2024_NOON_UTC);
		});



		test('is undefined for nothing or unreadable text', () => {
			expect(toUnixSeconds(undefined)).toBeUndefined();
			expect(toUnixSeconds(null)).toBeUndefined();
			expect(toUnixSeconds('')).toBeUndefined();
			expect(toUnixSeconds('yesterday-ish')).toBeUndefined();
		});
	});

	describe('isFresh', () => {
		const now = JAN_15_2024_NOON_UTC * 1000;

		test('inside the tolerance (past or future) is fresh, the boundary included', () => {
			expect(isFresh(JAN_15_2024_NOON_UTC, 300, now)).toBe(true);
			expect(isFresh(JAN_15_2024_NOON_UTC - 300, 300, now)).toBe(true);
			expect(isFresh(JAN_15_2024_NOON_UTC + 300, 300, now)).toBe(true);
		});

		test('older or further in the future than the tolerance is stale', () => {
			expect(isFresh(JAN_15_2024_NOON_UTC - 301, 300, now)).toBe(false);
			expect(isFresh(JAN_15_2024_NOON_UTC + 301, 300, now)).toBe(false);
			expect(isFresh(0, 300, now)).toBe(false);
		});

		test('a missing timestamp is stale; a tolerance of 0 (or less) turns the check off', () => {
			expect(isFresh(undefined, 300, now)).toBe(false);
			expect(isFresh(undefined, 0, now)).toBe(true);
			expect(isFresh(JAN_15_2024_NOON_UTC - 10 * 365 * 86400, 0, now)).toBe(true);
			expect(isFresh(0, -1, now)).toBe(true);
		});
	});

	describe('ReplayGuard', () => {
		test('forget drops only the keys the predicate picks', () => {
			const guard = new ReplayGuard();
			guard.remember('wf/a@/webhook/x', 60, 0);
			guard.remember('wf/a@/webhook-test/x', 60, 0);
			guard.remember('wf/b@/webhook/y', 60, 0);
			guard.forget((key) => key.startsWith('wf/a@'));
			expect(guard.has('wf/a@/webhook/x', 1000)).toBe(false);
			expect(guard.has('wf/a@/webhook-test/x', 1000)).toBe(false);
			expect(guard.has('wf/b@/webhook/y', 1000)).toBe(true);
			expect(guard.accept('wf/a@/webhook/x', 60, 1000)).toBe(true);
		});

		const t0 = 1_700_000_000_000;

		test('refuses a key seen within its time to live', () => {
			const guard = new ReplayGuard();
			expect(guard.accept('sig-1', 60, t0)).toBe(true);
			expect(guard.accept('sig-1', 60, t0 + 59_999)).toBe(false);
			expect(guard.accept('sig-2', 60, t0 + 1)).toBe(true);
		});

		test('forgets a key once its time to live has passed', () => {
			const guard = new ReplayGuard();
			expect(guard.accept('sig-1', 60, t0)).toBe(true);
			expect(guard.accept('sig-1', 60, t0 + 60_000)).toBe(true);
			// ... and remembers it again from then on.
			expect(guard.accept('sig-1', 60, t0 + 60_001)).toBe(false);
		});

		test('a refused replay does not extend the time to live', () => {
			const guard = new ReplayGuard();
			guard.accept('sig-1', 60, t0);
			expect(guard.accept('sig-1', 60, t0 + 50_000)).toBe(false);
			expect(guard.accept('sig-1', 60, t0 + 60_000)).toBe(true);
		});

		test('a time to live below one second still remembers the key for one second', () => {
			const guard = new ReplayGuard();
			guard.accept('sig-1', 0, t0);
			expect(guard.accept('sig-1', 0, t0 + 999)).toBe(false);
			expect(guard.accept('sig-1', 0, t0 + 1000)).toBe(true);
		});

		test('has() only looks; remember() records (again) for a new time to live', () => {
			const guard = new ReplayGuard();
			expect(guard.has('sig-1', t0)).toBe(false);
			expect(guard.has('sig-1', t0)).toBe(false);
			guard.remember('sig-1', 60, t0);
			expect(guard.has('sig-1', t0 + 59_999)).toBe(true);
			expect(guard.has('sig-1', t0 + 60_000)).toBe(false);
			guard.remember('sig-1', 60, t0 + 30_000);
			expect(guard.has('sig-1', t0 + 89_999)).toBe(true);
			expect(guard.accept('sig-1', 60, t0 + 89_999)).toBe(false);
		});

		test('stays within its size limit and keeps the newest keys', () => {
			const guard = new ReplayGuard(3);
			for (const key of ['a', 'b', 'c', 'd', 'e']) expect(guard.accept(key, 600, t0)).toBe(true);
			expect((guard as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(3);
			expect(guard.accept('e', 600, t0)).toBe(false);
			expect(guard.accept('d', 600, t0)).toBe(false);
		});
	});
});

describe('shared/trigger/events', () => {
	describe('canonicalEvent', () => {
		test.each([
			['delivery', 'delivered'],
			['Delivered', 'delivered'],
			['bounce', 'bounced'],
			['BOUNCED', 'bounced'],
			['hard_bounce', 'bounced'],
			['soft-bounce', 'bounced'],
			['failed', 'failed'],
			['open', 'opened'],
			['opened', 'opened'],
			['click', 'clicked'],
			['clicked', 'clicked'],
			['unsubscribe', 'unsubscribed'],
			['unsubscribed', 'unsubscribed'],
			['complaint', 'complained'],
			['complained', 'complained'],
			['spam', 'complained'],
		])('%s → %s', (name, expected) => {
			expect(canonicalEvent(name)).toBe(expected);
		});

		test('an unknown name is passed through unchanged; only no name at all becomes "unknown"', () => {
			expect(canonicalEvent('redirected')).toBe('redirected');
			expect(canonicalEvent('Some_New-Event')).toBe('Some_New-Event');
			expect(canonicalEvent('subscriber.created')).toBe('subscriber.created');
			expect(canonicalEvent(undefined)).toBe('unknown');
			expect(canonicalEvent(null)).toBe('unknown');
			expect(canonicalEvent('')).toBe('unknown');
			expect(canonicalEvent('  ')).toBe('unknown');
		});

		test('a dotted name ("email.bounced", as in typed webhook envelopes) is read by its last part', () => {
			expect(canonicalEvent('email.bounced')).toBe('bounced');
			expect(canonicalEvent('message.Opened')).toBe('opened');
			expect(canonicalEvent('email.link_click')).toBe('email.link_click');
		});

		test('isEmailEventName is true for the package vocabulary only', () => {
			expect(['delivered', 'bounced', 'opened', 'clicked', 'unsubscribed', 'complained'].every(isEmailEventName)).toBe(true);
			expect(isEmailEventName('bounce')).toBe(false);
			expect(isEmailEventName('redirected')).toBe(false);
			expect(isEmailEventName('unknown')).toBe(false);
		});
	});

	describe('toIsoTimestamp', () => {
		const iso = '2024-01-15T12:00:00.000Z';

		test('reads unix seconds (number or text) and milliseconds', () => {
			expect(toIsoTimestamp(JAN_15_2024_NOON_UTC)).toBe(iso);
			expect(toIsoTimestamp(String(JAN_15_2024_NOON_UTC))).toBe(iso);
			expect(toIsoTimestamp(JAN_15_2024_NOON_UTC * 1000)).toBe(iso);
			expect(toIsoTimestamp(String(JAN_15_2024_NOON_UTC * 1000))).toBe(iso);
		});

		test('normalizes ISO dates with a zone to UTC', () => {
			expect(toIsoTimestamp('2024-01-15T12:00:00Z')).toBe(iso);
			expect(toIsoTimestamp('2024-01-15T13:00:00+01:00')).toBe(iso);
		});



		test('null for nothing; the original text when unreadable, also for numbers out of the date range', () => {
			expect(toIsoTimestamp(undefined)).toBeNull();
			expect(toIsoTimestamp(null)).toBeNull();
			expect(toIsoTimestamp('')).toBeNull();
			expect(toIsoTimestamp('not a date')).toBe('not a date');
			expect(() => toIsoTimestamp('99999999999999999999')).not.toThrow();
			expect(toIsoTimestamp('99999999999999999999')).toBe('99999999999999999999');
		});
	});

	test('emailEvent builds the package-wide shape, with null for missing fields', () => {
		const raw = { anything: 1 };
		expect(
			emailEvent({ event: 'hard_bounce', email: 'a@b.c', messageId: 7, timestamp: JAN_15_2024_NOON_UTC, provider: 'x', raw }),
		).toEqual({ event: 'bounced', email: 'a@b.c', messageId: '7', timestamp: '2024-01-15T12:00:00.000Z', provider: 'x', raw });
		expect(emailEvent({ event: 'open', email: '', messageId: undefined, timestamp: undefined, provider: 'x', raw })).toEqual({
			event: 'opened',
			email: null,
			messageId: null,
			timestamp: null,
			provider: 'x',
			raw,
		});
	});
});

describe('dates without a zone ("YYYY-MM-DD HH:MM:SS", as Octeth writes them)', () => {
	test('are read as UTC whatever the n8n server\'s time zone (toUnixSeconds, toIsoTimestamp)', () => {
		const zones = ['UTC', 'America/New_York', 'Asia/Tokyo'];
		expect(inTimeZones(zones, '2024-01-15 12:00:00')).toEqual(
			zones.map((tz) => ({ tz, unix: JAN_15_2024_NOON_UTC, iso: '2024-01-15T12:00:00.000Z' })),
		);
		// A date with an explicit zone keeps it.
		expect(inTimeZones(['Asia/Tokyo'], '2024-01-15T12:00:00+01:00')).toEqual([
			{ tz: 'Asia/Tokyo', unix: JAN_15_2024_NOON_UTC - 3600, iso: '2024-01-15T11:00:00.000Z' },
		]);
	});
});

describe('EmailGateway/signature verifyDelivery', () => {
	const key = 'D0MA1NK3Y';
	const now = JAN_15_2024_NOON_UTC * 1000;
	const sign = (data: string) => createHmac('sha256', key).update(data).digest('hex');
	let scopeCounter = 0;

	function headerDelivery(body: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
		const raw = JSON.stringify(body);
		return {
			headers: { 'x-octeth-signature': sign(raw) },
			rawBody: Buffer.from(raw),
			body: body as never,
			signingKey: key,
			allowUnsigned: false,
			maxAgeSeconds: 300,
			replayScope: `unit-${++scopeCounter}`,
			now,
			...overrides,
		};
	}

	test('accepts a header signature over the raw body, then the same delivery again as a duplicate', () => {
		const delivery = headerDelivery({ Event: 'bounce', Timestamp: JAN_15_2024_NOON_UTC });
		expect(verifyDelivery(delivery)).toEqual({ accepted: true, style: 'header', duplicate: false, repeatedEventIds: [] });
		expect(verifyDelivery(delivery)).toEqual({ accepted: true, style: 'header', duplicate: true, repeatedEventIds: [] });
		// Still one a day later (Octeth's last retry comes about 22 h after the first attempt)...
		const dayLater = now + (DUPLICATE_MEMORY_SECONDS - 60) * 1000;
		expect(verifyDelivery({ ...delivery, now: dayLater })).toMatchObject({ accepted: true, duplicate: true });
		// ...but a wrong signature is refused, duplicate or not.
		expect(verifyDelivery({ ...delivery, headers: { 'x-octeth-signature': sign('{}') } })).toMatchObject({ accepted: false });
	});

	test('the signature covers the raw bytes: a re-serialized body does not verify', () => {
		const raw = '{"Event":"bounce", "Timestamp":1705320000}';
		const delivery = {
			headers: { 'x-octeth-signature': sign(raw) },
			rawBody: Buffer.from(JSON.stringify(JSON.parse(raw))),
			body: JSON.parse(raw),
			signingKey: key,
			allowUnsigned: false,
			maxAgeSeconds: 300,
			replayScope: 'raw-bytes',
			now,
		};
		expect(verifyDelivery(delivery)).toMatchObject({ accepted: false, retryWithFreshKey: true });
	});

	test('without a known key a signed delivery asks for the key to be fetched', () => {
		const delivery = headerDelivery({ Event: 'bounce', Timestamp: JAN_15_2024_NOON_UTC }, { signingKey: undefined });
		expect(verifyDelivery(delivery)).toMatchObject({ accepted: false, retryWithFreshKey: true });
	});

	test('a delivery signed too long ago (t=) is refused without asking for a new key', () => {
		const raw = JSON.stringify({ Event: 'bounce', Timestamp: JAN_15_2024_NOON_UTC });
		const t = JAN_15_2024_NOON_UTC - 301;
		const delivery = headerDelivery(JSON.parse(raw), { headers: { 'x-octeth-signature': `t=${t},v1=${sign(`${t}.${raw}`)}` } });
		expect(verifyDelivery(delivery)).toMatchObject({ accepted: false, retryWithFreshKey: false, reason: expect.stringContaining('stale') });
		expect(verifyDelivery({ ...delivery, maxAgeSeconds: 0, replayScope: 'no-age-limit' })).toMatchObject({ accepted: true });
		// Within the age, on the boundary.
		expect(verifyDelivery({ ...delivery, now: now - 1000, replayScope: 'boundary' })).toMatchObject({ accepted: true });
	});

	test('the event time in the body is not a delivery time: an old event under X-Octeth-Signature: <hex> is accepted', () => {
		const delivery = headerDelivery({ Event: 'bounce', Timestamp: JAN_15_2024_NOON_UTC - 6 * 3600, EventTimestamp: '2024-01-15 06:00:00' });
		expect(verifyDelivery(delivery)).toMatchObject({ accepted: true, style: 'header', duplicate: false });
	});

	test('the same event id signed anew (another t=) is a duplicate; a new id is not', () => {
		const raw = JSON.stringify({ EventId: 'evt-1', Event: 'bounce' });
		const signedAt = (t: number) => ({ 'x-octeth-signature': `t=${t},v1=${sign(`${t}.${raw}`)}` });
		const first = headerDelivery(JSON.parse(raw), { headers: signedAt(JAN_15_2024_NOON_UTC - 100), replayScope: 'retry' });
		expect(verifyDelivery(first)).toMatchObject({ accepted: true, style: 'timestamped', duplicate: false });
		expect(verifyDelivery({ ...first, headers: signedAt(JAN_15_2024_NOON_UTC) })).toMatchObject({ accepted: true, duplicate: true, repeatedEventIds: ['evt-1'] });
		const other = JSON.stringify({ EventId: 'evt-2', Event: 'bounce' });
		const t = JAN_15_2024_NOON_UTC;
		expect(
			verifyDelivery({ ...first, rawBody: Buffer.from(other), body: JSON.parse(other), headers: { 'x-octeth-signature': `t=${t},v1=${sign(`${t}.${other}`)}` } }),
		).toMatchObject({ accepted: true, duplicate: false });
	});

	test('a batch: the ids already received are reported; all of them received is a duplicate', () => {
		const batch = (ids: string[]) => ids.map((id) => ({ EventId: id, Event: 'open' }));
		const deliveryOf = (ids: string[]) => headerDelivery(batch(ids) as never, { replayScope: 'batch' });
		expect(verifyDelivery(deliveryOf(['a', 'b']))).toMatchObject({ accepted: true, duplicate: false, repeatedEventIds: [] });
		expect(verifyDelivery(deliveryOf(['b', 'c']))).toMatchObject({ accepted: true, duplicate: false, repeatedEventIds: ['b'] });
		expect(verifyDelivery(deliveryOf(['c', 'a']))).toMatchObject({ accepted: true, duplicate: true, repeatedEventIds: ['c', 'a'] });
	});

	test('a repeat with a rewritten X-Octeth-Delivery header marks nothing as received', () => {
		const raw = JSON.stringify({ Event: 'bounce', Recipient: 'x@example.org' });
		const delivery = headerDelivery(JSON.parse(raw), { replayScope: 'poison' });
		expect(verifyDelivery(delivery)).toMatchObject({ duplicate: false });
		const rewritten = { ...delivery, headers: { ...delivery.headers, 'x-octeth-delivery': 'evt-future' } };
		expect(verifyDelivery(rewritten)).toMatchObject({ accepted: true, duplicate: true });
		// The genuine evt-future, when it comes, is new.
		const future = JSON.stringify({ EventId: 'evt-future', Event: 'open' });
		expect(
			verifyDelivery({ ...delivery, rawBody: Buffer.from(future), body: JSON.parse(future), headers: { 'x-octeth-signature': sign(future) } }),
		).toMatchObject({ accepted: true, duplicate: false });
	});

	test('the same delivery to two receivers is new to each', () => {
		const delivery = headerDelivery({ EventId: 'evt-shared', Event: 'open', Timestamp: JAN_15_2024_NOON_UTC });
		expect(verifyDelivery({ ...delivery, replayScope: 'workflow-a' })).toMatchObject({ accepted: true, duplicate: false });
		expect(verifyDelivery({ ...delivery, replayScope: 'workflow-b' })).toMatchObject({ accepted: true, duplicate: false });
		expect(verifyDelivery({ ...delivery, replayScope: 'workflow-a' })).toMatchObject({ accepted: true, duplicate: true });
	});

	test('t=…,v1=…: pairs with blanks, several v1, a header sent twice; any matching v1 is enough', () => {
		const raw = JSON.stringify({ Event: 'bounce', EventId: 'evt-pairs' });
		const t = JAN_15_2024_NOON_UTC;
		const good = sign(`${t}.${raw}`);
		const other = createHmac('sha256', 'other-key').update(`${t}.${raw}`).digest('hex');
		const check = (header: string | string[], scope: string) =>
			verifyDelivery({ ...headerDelivery(JSON.parse(raw), { headers: { 'x-octeth-signature': header } }), replayScope: scope });
		expect(check(` t = ${t} , v1 = ${good} `, 'blanks')).toMatchObject({ accepted: true, style: 'timestamped' });
		expect(check(`t=${t},v1=${other},v1=${good}`, 'rotation')).toMatchObject({ accepted: true, style: 'timestamped' });
		expect(check(`t=${t},v1=${other}, t=${t},v1=${good}`, 'twice')).toMatchObject({ accepted: true, style: 'timestamped' });
		expect(check([`t=${t},v1=${other}`, `t=${t},v1=${good}`], 'array')).toMatchObject({ accepted: true, style: 'timestamped' });
		expect(check(`v1=${good},t=${t}`, 'v1-first')).toMatchObject({ accepted: false, retryWithFreshKey: true });
		expect(check(`t=${t},v1=${other},v1=${other}`, 'none')).toMatchObject({ accepted: false, retryWithFreshKey: true });
		// A v1 belongs to its own t: a good digest under another t does not verify.
		expect(check(`t=${t + 1},v1=${good}`, 'wrong-t')).toMatchObject({ accepted: false });
		// Plain scheme, header sent twice.
		expect(
			verifyDelivery({ ...headerDelivery(JSON.parse(raw)), headers: { 'x-octeth-signature': `${sign(raw)}, ${sign(raw)}` } }),
		).toMatchObject({ accepted: true, style: 'header' });
	});

	test('parseTimestampedSignature reads the pairs in order; other headers are not of the scheme', () => {
		expect(parseTimestampedSignature('t=1,v1=aa,v1=bb')).toEqual([
			{ t: '1', v1: 'aa' },
			{ t: '1', v1: 'bb' },
		]);
		expect(parseTimestampedSignature(' T=1 , V1=aa, t=2,v1=bb,v0=cc')).toEqual([
			{ t: '1', v1: 'aa' },
			{ t: '2', v1: 'bb' },
		]);
		expect(parseTimestampedSignature('t=x,v1=aa')).toEqual([]);
		expect(parseTimestampedSignature('abcdef0123')).toBeUndefined();
		expect(parseTimestampedSignature('sha256=abcdef')).toBeUndefined();
	});

	test('Mailgun-style: HMAC of timestamp + token under the key', () => {
		const timestamp = String(JAN_15_2024_NOON_UTC);
		const token = 'a-random-token-0123456789';
		const body = { signature: { timestamp, token, signature: sign(timestamp + token) }, 'event-data': { event: 'opened' } };
		const delivery = {
			headers: {},
			rawBody: Buffer.from(JSON.stringify(body)),
			body: body as never,
			signingKey: key,
			allowUnsigned: false,
			maxAgeSeconds: 300,
			replayScope: 'mailgun',
			now,
		};
		expect(verifyDelivery(delivery)).toMatchObject({ accepted: true, style: 'mailgun' });
		const forged = { ...body, signature: { ...body.signature, token: 'another-token' } };
		expect(verifyDelivery({ ...delivery, body: forged as never })).toMatchObject({ accepted: false, retryWithFreshKey: true });
		// Its signed timestamp is the delivery time: too old is stale.
		expect(verifyDelivery({ ...delivery, now: now + 301_000, replayScope: 'mailgun-late' })).toMatchObject({
			accepted: false,
			retryWithFreshKey: false,
			reason: expect.stringContaining('stale'),
		});
	});

	test('unsigned: refused by default, accepted only when allowed', () => {
		const base = {
			headers: {},
			rawBody: Buffer.from('{}'),
			body: {},
			signingKey: key,
			maxAgeSeconds: 300,
			now,
		};
		expect(verifyDelivery({ ...base, allowUnsigned: false })).toMatchObject({ accepted: false, retryWithFreshKey: false });
		expect(verifyDelivery({ ...base, allowUnsigned: true })).toMatchObject({ accepted: true, style: 'unsigned' });
	});
});
