import { formatZonedMinute, parseTime, pickerTimeToUtc } from '../../nodes/shared/util/dates';

const iso = (date: Date | undefined) => date?.toISOString();

describe('pickerTimeToUtc around daylight-saving changes', () => {
	test.each([
		// Skipped by the clocks: the wall time moves forward by the gap (02:30 → 03:30 summer time).
		['2026-03-29T02:30:00', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
		['2026-03-08T02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
		// Shown twice: the earlier instant, whatever offset luxon met first in this process.
		['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
		['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
		// Ordinary times on either side.
		['2026-07-01T12:00:00.250', 'Europe/Berlin', '2026-07-01T10:00:00.250Z'],
		['2026-01-15T12:00:00', 'Europe/Berlin', '2026-01-15T11:00:00.000Z'],
	])('%s in %s is %s', (wall, zone, expected) => {
		expect(pickerTimeToUtc(wall, zone)).toBe(expected);
	});

	test('other forms and unknown zones are left to the caller', () => {
		expect(pickerTimeToUtc('2026-01-15T12:00:00Z', 'Europe/Berlin')).toBeUndefined();
		expect(pickerTimeToUtc('2026-01-15 12:00:00', 'Europe/Berlin')).toBeUndefined();
		expect(pickerTimeToUtc('2026-01-15T12:00:00', 'Mars/Olympus')).toBeUndefined();
		expect(pickerTimeToUtc('2026-01-15T12:00:00', undefined)).toBeUndefined();
		expect(pickerTimeToUtc('2026-02-30T12:00:00', 'Europe/Berlin')).toBeUndefined();
	});
});

describe('parseTime', () => {
	test('a zoneless date-time is in the given zone, UTC when the zone is unknown or missing', () => {
		expect(iso(parseTime('2026-11-25 11:00:00', 'Europe/Minsk'))).toBe('2026-11-25T08:00:00.000Z');
		expect(iso(parseTime('2026-11-25 11:00:00', 'Mars/Olympus'))).toBe('2026-11-25T11:00:00.000Z');
		expect(iso(parseTime('2026-11-25 11:00:00'))).toBe('2026-11-25T11:00:00.000Z');
	});

	test('a day alone, or a text with its own offset, ignores the zone', () => {
		expect(iso(parseTime('2026-11-25', 'Europe/Minsk'))).toBe('2026-11-25T00:00:00.000Z');
		expect(iso(parseTime('2026-11-25T11:00:00-05:00', 'Europe/Minsk'))).toBe('2026-11-25T16:00:00.000Z');
	});

	test('reads RFC 2822 and HTTP dates', () => {
		expect(iso(parseTime('Mon, 15 Jan 2024 12:00:00 +0200'))).toBe('2024-01-15T10:00:00.000Z');
		expect(iso(parseTime('Mon, 15 Jan 2024 12:00:00 GMT'))).toBe('2024-01-15T12:00:00.000Z');
	});

	test('a time without a day is no date (not today)', () => {
		expect(parseTime('12:00')).toBeUndefined();
		expect(parseTime('T12:00:00')).toBeUndefined();
	});
});

describe('formatZonedMinute', () => {
	test('an unknown zone falls back to UTC', () => {
		expect(formatZonedMinute(new Date('2026-01-15T10:05:00Z'), 'Mars/Olympus')).toBe('2026-01-15 10:05');
	});
});
