/**
 * The polling helper (nodes/shared/trigger/polling.ts) run by a test-only polling trigger
 * (test/harness/test-triggers.ts) in n8n-core's PollContext, against a fake provider over HTTP with
 * two kinds of source: an event log with times written in the provider's local time zone and an
 * inclusive `since` filter (so the newest second comes back on every poll), and a delivery-status
 * list without times in SMS.by's shape (`{email_id, email, status}`, statuses DELIVERED, UNDELIVERED,
 * OPEN, CLICK), where a recipient's new status is the change to report.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { parseTime } from '../../nodes/shared/util/dates';
import { changedRows, POLL_DEFAULTS } from '../../nodes/shared/trigger/polling';
import { pollOnce, savedStaticData, testTriggerWorkflow } from '../harness/trigger-runners';

const LOG_PAGE_SIZE = 3;
const STATUS_PAGE_SIZE = 2;

/** "YYYY-MM-DD HH:MM:SS" of an instant in a time zone, as a provider writing local time would. */
function localText(ms: number, timeZone: string): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	}).format(new Date(ms));
}

interface LogEvent {
	id: string;
	type: string;
	recipient: string;
	message_id: string;
	ms: number;
}

async function startFakeProvider(timeZone: string) {
	const log: LogEvent[] = [];
	const statuses: Array<{ email_id: string; email: string; status: string }> = [];
	const requests: Array<{ path: string; query: Record<string, string> }> = [];
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams);
		requests.push({ path: url.pathname, query });
		const page = Number(query.page ?? 1);
		const send = (rows: IDataObject[], pageSize: number) => {
			const slice = rows.slice((page - 1) * pageSize, page * pageSize);
			response.setHeader('Content-Type', 'application/json');
			response.end(JSON.stringify({ status: 'OK', rows: slice, ...(page * pageSize < rows.length ? { next_page: page + 1 } : {}) }));
		};
		if (url.pathname === '/log') {
			// Seconds resolution and an inclusive bound, as most provider APIs have.
			const since = query.since === undefined ? -Infinity : Number(query.since) * 1000;
			const rows = log
				.filter((event) => Math.floor(event.ms / 1000) * 1000 >= since)
				.sort((a, b) => (query.order === 'desc' ? b.ms - a.ms : a.ms - b.ms))
				.map(({ ms, ...event }) => ({ ...event, logged_at: localText(ms, timeZone) }));
			send(rows, LOG_PAGE_SIZE);
		} else if (url.pathname === '/statuses') {
			send(statuses, STATUS_PAGE_SIZE);
		} else {
			response.statusCode = 404;
			response.end('{}');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	let counter = 0;
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		log,
		statuses,
		requests,
		/** Logs an event at an instant (ms); ids are assigned in logging order. */
		logEvent(ms: number, type = 'delivered', recipient = `r${counter + 1}@example.com`) {
			counter += 1;
			const event = { id: `evt-${counter}`, type, recipient, message_id: `msg-${counter}`, ms };
			log.push(event);
			return event;
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const T0 = Date.UTC(2026, 10, 25, 8, 0, 0); // 2026-11-25 08:00:00 UTC = 11:00 in Minsk
const idsOf = (items: IDataObject[] | null) => (items ?? []).map((item) => (item.raw as IDataObject).id);

describe('polling helper: event log', () => {
	let provider: Awaited<ReturnType<typeof startFakeProvider>>;
	const parameters = (extra: IDataObject = {}) => ({ baseUrl: provider.url, source: 'log', timeZone: 'Europe/Minsk', maxPages: 20, ...extra });

	beforeEach(async () => {
		provider = await startFakeProvider('Europe/Minsk');
	});
	afterEach(async () => await provider.close());

	test('the first poll sets a baseline from the newest records and emits nothing', async () => {
		for (let i = 0; i < 7; i++) provider.logEvent(T0 + i * 60_000);
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters());

		await expect(pollOnce(trigger)).resolves.toBeNull();
		// Written so that n8n's observable static data notices (it saves only data flagged as changed).
		expect((trigger.workflow.staticData as IDataObject).__dataChanged).toBe(true);
		// One page, newest first: no walk through the account's history.
		expect(provider.requests).toEqual([{ path: '/log', query: { page: '1', order: 'desc' } }]);
		const cursor = savedStaticData(trigger).pollCursor as IDataObject;
		expect(cursor.time).toBe(new Date(T0 + 6 * 60_000).toISOString());
		expect(cursor.seen).toEqual([['evt-7', T0 + 6 * 60_000]]);
	});

	test('later polls emit only what is new, oldest first, in the shared shape with provider times read in its zone', async () => {
		provider.logEvent(T0);
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters());
		await pollOnce(trigger);

		provider.logEvent(T0 + 120_000, 'UNDELIVERED', 'jane@example.com');
		provider.logEvent(T0 + 60_000, 'Email.Opened', 'joe@example.com');
		const items = await pollOnce(trigger);

		expect(items).toEqual([
			{
				event: 'opened',
				email: 'joe@example.com',
				messageId: 'msg-3',
				timestamp: '2026-11-25T08:01:00.000Z',
				provider: 'testLog',
				raw: { id: 'evt-3', type: 'Email.Opened', recipient: 'joe@example.com', message_id: 'msg-3', logged_at: '2026-11-25 11:01:00' },
			},
			expect.objectContaining({ event: 'failed', email: 'jane@example.com', timestamp: '2026-11-25T08:02:00.000Z' }),
		]);
		// Asked for what is new since the cursor, in unix seconds.
		expect(provider.requests.at(-1)).toEqual({ path: '/log', query: { page: '1', order: 'asc', since: String(T0 / 1000) } });
	});

	test('nothing is emitted twice: the boundary second the provider returns again, and a restart in between', async () => {
		provider.logEvent(T0);
		let trigger = testTriggerWorkflow('test.pollingTrigger', parameters());
		await pollOnce(trigger);
		await expect(pollOnce(trigger)).resolves.toBeNull();

		// Same second as the cursor, another event: new. The inclusive since brings evt-1 back each time.
		provider.logEvent(T0 + 400);
		expect(idsOf(await pollOnce(trigger))).toEqual(['evt-2']);
		await expect(pollOnce(trigger)).resolves.toBeNull();

		// n8n restarts: the workflow is loaded again with the static data it saved.
		trigger = testTriggerWorkflow('test.pollingTrigger', parameters(), savedStaticData(trigger));
		await expect(pollOnce(trigger)).resolves.toBeNull();
		provider.logEvent(T0 + 30_000);
		expect(idsOf(await pollOnce(trigger))).toEqual(['evt-3']);
		// The cursor moved inside data loaded from the database: n8n sees the change and saves it.
		expect((trigger.workflow.staticData as IDataObject).__dataChanged).toBe(true);
		await expect(pollOnce(trigger)).resolves.toBeNull();
	});

	test('an account with no events yet: the baseline is the poll time, the first event after it is emitted', async () => {
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters());
		await expect(pollOnce(trigger)).resolves.toBeNull();
		const baseline = Date.parse(String((savedStaticData(trigger).pollCursor as IDataObject).time));
		expect(Math.abs(baseline - Date.now())).toBeLessThan(5_000);

		provider.logEvent(Date.now() + 2_000, 'bounce');
		expect(await pollOnce(trigger)).toEqual([expect.objectContaining({ event: 'bounced' })]);
	});

	test('a manual run shows the latest few events and leaves the cursor alone', async () => {
		for (let i = 0; i < 8; i++) provider.logEvent(T0 + i * 60_000, i % 2 ? 'open' : 'click');
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters());

		// Before activation: samples, and still no cursor (the first active poll sets the baseline).
		const sample = await pollOnce(trigger, 'manual');
		expect(idsOf(sample)).toEqual(['evt-4', 'evt-5', 'evt-6', 'evt-7', 'evt-8'].slice(-POLL_DEFAULTS.sampleSize));
		expect(sample?.[0]).toEqual(expect.objectContaining({ event: 'opened', provider: 'testLog', timestamp: '2026-11-25T08:03:00.000Z' }));
		expect(savedStaticData(trigger)).toEqual({});
		expect((trigger.workflow.staticData as IDataObject).__dataChanged).toBe(false);

		await pollOnce(trigger);
		const cursor = savedStaticData(trigger);
		provider.logEvent(T0 + 10 * 60_000);
		expect(idsOf(await pollOnce(trigger, 'manual'))).toEqual(['evt-5', 'evt-6', 'evt-7', 'evt-8', 'evt-9']);
		expect(savedStaticData(trigger)).toEqual(cursor);
		// The active workflow still gets the event the manual run showed.
		expect(idsOf(await pollOnce(trigger))).toEqual(['evt-9']);
	});

	test('a long backlog is emitted over several polls, oldest first, none lost or repeated', async () => {
		provider.logEvent(T0);
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters({ maxPages: 4 }));
		await pollOnce(trigger);
		// 25 new events, several per second, some in the cursor's own second.
		for (let i = 1; i <= 25; i++) provider.logEvent(T0 + i * 300);

		const batches: unknown[][] = [];
		for (let poll = 0; poll < 6; poll++) batches.push(idsOf(await pollOnce(trigger)));

		const expected = Array.from({ length: 25 }, (_, i) => `evt-${i + 2}`);
		expect(batches.flat()).toEqual(expected);
		// At most 4 pages of 3 per poll (less the boundary repeats), then nothing more.
		expect(batches.map((batch) => batch.length).every((length) => length <= 4 * LOG_PAGE_SIZE)).toBe(true);
		expect(batches.filter((batch) => batch.length > 0).length).toBeGreaterThan(2);
		expect(batches.at(-1)).toEqual([]);
		// Memory stays at the boundary: only the keys of the newest second are kept.
		const cursor = savedStaticData(trigger).pollCursor as { time: string; seen: Array<[string, number]> };
		// (The provider writes whole seconds: the newest is 08:00:07, holding the events at 7.2 s and 7.5 s.)
		expect(cursor.time).toBe('2026-11-25T08:00:07.000Z');
		expect(cursor.seen.map(([key]) => key)).toEqual(['evt-25', 'evt-26']);
	});

	test('a log listed newest first without a time filter is read only down to the cursor', async () => {
		for (let i = 0; i < 30; i++) provider.logEvent(T0 + i * 1_000);
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters({ newestFirstOnly: true }));
		await pollOnce(trigger);
		provider.logEvent(T0 + 40_000);
		provider.logEvent(T0 + 41_000);
		provider.requests.length = 0;

		expect(idsOf(await pollOnce(trigger))).toEqual(['evt-31', 'evt-32']);
		// Page 1 ends at the cursor's own second (evt-30, which may have unread neighbours), page 2 reaches back
		// past it: the other nine pages of history are not fetched.
		expect(provider.requests).toEqual([1, 2].map((page) => ({ path: '/log', query: { page: String(page), order: 'desc' } })));
		await expect(pollOnce(trigger)).resolves.toBeNull();
	});

	test('a provider writing summer time elsewhere: the zone’s offset on that day is used', async () => {
		await provider.close();
		provider = await startFakeProvider('Europe/Berlin');
		const summer = Date.UTC(2026, 6, 1, 10, 0, 0);
		provider.logEvent(summer - 3_600_000);
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters({ timeZone: 'Europe/Berlin' }));
		await pollOnce(trigger);
		provider.logEvent(summer);
		const [item] = (await pollOnce(trigger))!;
		expect((item.raw as IDataObject).logged_at).toBe('2026-07-01 12:00:00');
		expect(item.timestamp).toBe('2026-07-01T10:00:00.000Z');
	});
});

describe('parseTime of a provider time', () => {
	test('a zoneless text is local time of the given zone, else UTC; unix times and zoned texts are read as written', () => {
		expect(parseTime('2026-11-25 11:00:00', 'Europe/Minsk')?.toISOString()).toBe('2026-11-25T08:00:00.000Z');
		expect(parseTime('2026-11-25 11:00', 'Europe/Minsk')?.toISOString()).toBe('2026-11-25T08:00:00.000Z');
		expect(parseTime('2026-01-15 12:00:00', 'America/New_York')?.toISOString()).toBe('2026-01-15T17:00:00.000Z');
		expect(parseTime('2026-11-25 11:00:00')?.toISOString()).toBe('2026-11-25T11:00:00.000Z');
		expect(parseTime('2026-11-25T11:00:00+01:00', 'Europe/Minsk')?.toISOString()).toBe('2026-11-25T10:00:00.000Z');
		expect(parseTime(1705320000, 'Europe/Minsk')?.toISOString()).toBe('2024-01-15T12:00:00.000Z');
		expect(parseTime('soon', 'Europe/Minsk')).toBeUndefined();
	});
});

describe('polling helper: delivery statuses without times (SMS.by shape)', () => {
	let provider: Awaited<ReturnType<typeof startFakeProvider>>;
	const parameters = (extra: IDataObject = {}) => ({ baseUrl: provider.url, source: 'statuses', timeZone: '', maxPages: 20, ...extra });
	const setStatus = (emailId: string, status: string) => {
		provider.statuses.find((row) => row.email_id === emailId)!.status = status;
	};
	const changes = (items: IDataObject[] | null) => (items ?? []).map((item) => `${String(item.messageId)} ${String(item.event)}`);

	beforeEach(async () => {
		provider = await startFakeProvider('UTC');
		for (let i = 1; i <= 5; i++) provider.statuses.push({ email_id: `65432${i}`, email: ` email${i}@email.by`, status: 'DELIVERED' });
	});
	afterEach(async () => await provider.close());

	test('the baseline reads every page and emits nothing; each status change is emitted once', async () => {
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters());
		await expect(pollOnce(trigger)).resolves.toBeNull();
		expect(provider.requests.map((request) => request.query.page)).toEqual(['1', '2', '3']);

		setStatus('654322', 'OPEN');
		setStatus('654325', 'UNDELIVERED');
		const items = await pollOnce(trigger);
		expect(changes(items)).toEqual(['654322 opened', '654325 failed']);
		expect(items?.[0]).toEqual(expect.objectContaining({ email: 'email2@email.by', provider: 'testStatus', timestamp: null }));
		await expect(pollOnce(trigger)).resolves.toBeNull();

		setStatus('654322', 'CLICK');
		expect(changes(await pollOnce(trigger))).toEqual(['654322 clicked']);
		// A manual run shows samples (five rows) and changes nothing.
		await expect(pollOnce(trigger, 'manual')).resolves.toHaveLength(POLL_DEFAULTS.sampleSize);
		await expect(pollOnce(trigger)).resolves.toBeNull();
	});

	test('a list longer than one poll may read is continued where the last poll stopped', async () => {
		const trigger = testTriggerWorkflow('test.pollingTrigger', parameters({ maxPages: 1 }));
		// Baseline over three polls (one page each): nothing emitted.
		for (let poll = 0; poll < 3; poll++) await expect(pollOnce(trigger)).resolves.toBeNull();

		setStatus('654325', 'OPEN'); // on page 3
		setStatus('654321', 'CLICK'); // on page 1
		const seen: string[] = [];
		for (let poll = 0; poll < 3; poll++) seen.push(...changes(await pollOnce(trigger)));
		expect(seen.sort()).toEqual(['654321 clicked', '654325 opened']);
		expect(provider.requests.slice(-3).map((request) => request.query.page)).toEqual(['1', '2', '3']);
	});
});

describe('changedRows (a status list read whole on every poll)', () => {
	const row = (key: string, status: string) => ({ key, status, event: { event: status.toLowerCase() } as never });

	test('a list never read: every row is a change; the same read again: none; a new status: that row', () => {
		const first = changedRows(undefined, [row('654321', 'SENT'), row('654322', 'SENT')]);
		expect(first.changed.map((changed) => changed.key)).toEqual(['654321', '654322']);
		expect(changedRows(first.remember, [row('654322', 'SENT'), row('654321', 'SENT')]).changed).toEqual([]);
		const next = changedRows(first.remember, [row('654321', 'SENT'), row('654322', 'OPEN')]);
		expect(next.changed.map((changed) => `${changed.key} ${changed.status}`)).toEqual(['654322 OPEN']);
		// Only the last read is remembered: a status that comes back after another is a change again.
		expect(changedRows(next.remember, [row('654321', 'SENT'), row('654322', 'SENT')]).changed.map((changed) => changed.key)).toEqual(['654322']);
	});

	test('what is remembered is 8 characters per row of the last read, whatever the keys', () => {
		const rows = Array.from({ length: 6_000 }, (_, n) => row(`recipient-${n}@a-rather-long-domain.example.org`, 'DELIVERED'));
		const { remember } = changedRows(undefined, rows);
		expect(remember).toHaveLength(8 * 6_000);
		expect(changedRows(remember, rows).changed).toEqual([]);
	});
});
