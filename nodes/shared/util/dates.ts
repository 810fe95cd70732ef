import { DateTime } from 'luxon';

// Dates as n8n's pickers and expressions hand them over, turned into what providers expect. Every
// conversion goes through luxon (n8n gives it to community nodes), never the n8n server's local zone.

/** UTC, with latin digits whatever luxon's default locale is. */
const UTC = { zone: 'utc', locale: 'en-US' } as const;

/** A date-time without a zone, "YYYY-MM-DD HH:MM[:SS[.fff]]" (Octeth's format) or with a "T". */
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
/** n8n's date picker: "2026-03-01T09:00[:00[.000]]", no zone. */
const PICKER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
/** ISO and SQL texts must start with a day: luxon would read a bare "12:00" as today. */
const STARTS_WITH_DAY = /^\d{4}-\d{2}/;

const valid = (time: DateTime): DateTime | undefined => (time.isValid ? time : undefined);

/**
 * A wall time ("2026-03-01T09:00:00") in a time zone; undefined when unreadable or the zone is unknown.
 * A time that a daylight-saving change skips moves forward; one that occurs twice is the earlier instant
 * (luxon alone would pick by the offset it met first in this process).
 */
function wallTime(isoText: string, timeZone: string): DateTime | undefined {
	const time = valid(DateTime.fromISO(isoText, { zone: timeZone, locale: UTC.locale }));
	return time?.getPossibleOffsets().reduce((earliest, candidate) => (candidate.toMillis() < earliest.toMillis() ? candidate : earliest));
}

/** Unix seconds, or milliseconds when larger than 10^12. */
function fromEpoch(number: number): DateTime | undefined {
	if (!Number.isFinite(number)) return undefined;
	return valid(DateTime.fromMillis(number > 1e12 ? number : number * 1000, UTC));
}

/** A date text: zoneless in `timeZone` (UTC by default), ISO 8601 / SQL with their offset, RFC 2822 or HTTP dates. */
function fromText(text: string, timeZone: string | undefined): DateTime | undefined {
	const zoneless = ZONELESS.exec(text);
	if (zoneless) {
		const iso = `${zoneless[1]}T${zoneless[2]}`;
		return (timeZone ? wallTime(iso, timeZone) : undefined) ?? valid(DateTime.fromISO(iso, UTC));
	}
	const readers = STARTS_WITH_DAY.test(text)
		? [() => DateTime.fromISO(text, UTC), () => DateTime.fromSQL(text, UTC)]
		: [() => DateTime.fromRFC2822(text, UTC), () => DateTime.fromHTTP(text, UTC)];
	for (const read of readers) {
		const time = valid(read());
		if (time) return time;
	}
	return undefined;
}

/**
 * A time as providers and users write it: unix seconds or milliseconds (number or digits), or a date
 * text. A date-time without a zone ("YYYY-MM-DD HH:MM:SS", Octeth's format) is in `timeZone` when given
 * and known (SMS.by writes Minsk time), else UTC, never the n8n server's local time. Undefined when unreadable.
 */
export function parseTime(value: unknown, timeZone?: string): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	const time = typeof value === 'number' || /^\d+(\.\d+)?$/.test(text) ? fromEpoch(Number(value)) : fromText(text, timeZone);
	return time?.toJSDate();
}

/** Accepts ISO strings, Dates, luxon DateTimes and unix seconds, as a user may give them to a date field. */
export function parseDateInput(value: unknown): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (DateTime.isDateTime(value)) return value.isValid ? value.toJSDate() : undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? parseTime(value) : undefined;
	const text = String(value).trim();
	// From a user: unix seconds (9-11 digits) or a text that starts with a day; nothing looser.
	if (!/^\d{9,11}$/.test(text) && !/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
	return parseTime(text);
}

/** Whether a value is a date object (a Date or a luxon DateTime), not a plain object of fields. */
export function isDateObject(value: unknown): boolean {
	return value instanceof Date || DateTime.isDateTime(value);
}

/** "YYYY-MM-DD" in UTC. */
export function formatDate(date: Date): string {
	return DateTime.fromJSDate(date, UTC).toFormat('yyyy-MM-dd');
}

/** "YYYY-MM-DD HH:MM:SS" in UTC. */
export function formatDateTime(date: Date): string {
	return DateTime.fromJSDate(date, UTC).toFormat('yyyy-MM-dd HH:mm:ss');
}

/**
 * The calendar day a date value was written with ("2024-01-15T00:00:00+02:00" → "2024-01-15").
 * A day filter keeps the day the user picked: converting to UTC first would move midnight in
 * Berlin (or 23:30 in Los Angeles) to the day before (or after).
 */
export function writtenDay(value: unknown): string | undefined {
	const text = DateTime.isDateTime(value) ? String(value.toISO()) : typeof value === 'string' ? value.trim() : '';
	return /^(\d{4}-\d{2}-\d{2})(?=$|[T ])/.exec(text)?.[1];
}

/** Whether "YYYY-MM-DD" names a real day (JavaScript would turn 2025-02-30 into March 2). */
export function isRealDay(day: string): boolean {
	return DateTime.fromISO(day, UTC).isValid;
}

/**
 * n8n's date picker gives "2026-03-01T09:00:00" without an offset, meant in the workflow's time
 * zone (n8n's own nodes read it so); returns that instant as UTC ISO text, or undefined for other forms
 * and unknown zones.
 */
export function pickerTimeToUtc(value: unknown, timeZone: string | undefined): string | undefined {
	if (!timeZone || typeof value !== 'string' || !PICKER_TIME.test(value.trim())) return undefined;
	return wallTime(value.trim(), timeZone)?.toUTC().toISO() ?? undefined;
}

/**
 * An instant as the wall time of a time zone, "YYYY-MM-DD HH:MM" (SMS.by's `d_schedule`: the sender's
 * local time, minutes only); UTC when no zone is given or the zone is unknown.
 */
export function formatZonedMinute(date: Date, timeZone: string | undefined): string {
	const instant = DateTime.fromJSDate(date, UTC);
	const zoned = timeZone ? valid(instant.setZone(timeZone)) : undefined;
	return (zoned ?? instant).toFormat('yyyy-MM-dd HH:mm');
}
