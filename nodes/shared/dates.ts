// Dates as n8n's pickers and expressions hand them over, turned into what providers expect.

/**
 * A time as providers and users write it: unix seconds or milliseconds (number or digits), or a date
 * text. A date-time without a zone ("YYYY-MM-DD HH:MM:SS", Octeth's format) is UTC, never the n8n
 * server's local time. Undefined when unreadable.
 */
export function parseTime(value: unknown): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	let ms: number;
	if (typeof value === 'number' || /^\d+(\.\d+)?$/.test(text)) {
		const number = Number(value);
		ms = number > 1e12 ? number : number * 1000;
	} else {
		const zoneless = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text);
		ms = Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : text);
	}
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The calendar day a date value was written with ("2024-01-15T00:00:00+02:00" → "2024-01-15").
 * A day filter keeps the day the user picked: converting to UTC first would move midnight in
 * Berlin (or 23:30 in Los Angeles) to the day before (or after).
 */
export function writtenDay(value: unknown): string | undefined {
	const text =
		typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function'
			? String((value as { toISO: () => string }).toISO())
			: typeof value === 'string'
				? value.trim()
				: '';
	return /^(\d{4}-\d{2}-\d{2})(?=$|[T ])/.exec(text)?.[1];
}

/** Whether "YYYY-MM-DD" names a real day (JavaScript would turn 2025-02-30 into March 2). */
export function isRealDay(day: string): boolean {
	const [year, month, date] = day.split('-').map(Number);
	const utc = new Date(Date.UTC(year, month - 1, date));
	return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === date;
}

/** Milliseconds a time zone is ahead of UTC at an instant. */
function zoneOffsetMs(timeZone: string, instantMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(instantMs));
	const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(instantMs / 1000) * 1000;
}

/**
 * n8n's date picker gives "2026-03-01T09:00:00" without an offset, meant in the workflow's time
 * zone (n8n's own nodes read it so); returns that instant as UTC ISO text, or undefined for other forms.
 */
export function pickerTimeToUtc(value: unknown, timeZone: string | undefined): string | undefined {
	if (!timeZone || typeof value !== 'string') return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/.exec(value.trim());
	if (!match) return undefined;
	const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
	const second = Number(match[6] ?? 0);
	const millisecond = Number((match[7] ?? '0').padEnd(3, '0'));
	if (hour > 23 || minute > 59 || second > 59) return undefined;
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
	try {
		// Twice, so that a wall time next to a daylight-saving change takes the offset valid at it.
		const first = wall - zoneOffsetMs(timeZone, wall);
		return new Date(wall - zoneOffsetMs(timeZone, first)).toISOString();
	} catch {
		return undefined; // unknown zone: read as before
	}
}

/**
 * An instant as the wall time of a time zone, "YYYY-MM-DD HH:MM" (SMS.by's `d_schedule`: the sender's
 * local time, minutes only); UTC when no zone is given or the zone is unknown.
 */
export function formatZonedMinute(date: Date, timeZone: string | undefined): string {
	const offset = (() => {
		if (!timeZone) return 0;
		try {
			return zoneOffsetMs(timeZone, date.getTime());
		} catch {
			return 0;
		}
	})();
	return new Date(date.getTime() + offset).toISOString().slice(0, 16).replace('T', ' ');
}
