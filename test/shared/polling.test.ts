/**
 * What the SMS.by Trigger builds on (nodes/shared/trigger/polling.ts): changedRows, the rows of a status list
 * whose status changed since the last read; and parseTime, how a provider's time text is read.
 */
import { parseTime } from '../../nodes/shared/util/dates';
import { changedRows } from '../../nodes/shared/trigger/polling';

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
