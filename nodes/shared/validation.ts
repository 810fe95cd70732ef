import { NodeOperationError } from 'n8n-workflow';

import { parseTime } from './dates';
import type { INode } from 'n8n-workflow';

// Deliberately pragmatic: one @, no spaces, a dotted domain; the provider does the final check.
const EMAIL_PATTERN = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;
// Every label: 1-63 letters, digits or hyphens, not starting or ending with a hyphen. The top-level
// label is alphabetic or an IDN in punycode (xn--p1ai for .рф, xn--90ais for .бел).
const DOMAIN_PATTERN = /^(?=.{1,253}$)((?!-)[a-z0-9-]{1,63}(?<!-)\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59}(?<!-))$/i;

export function isEmail(value: string): boolean {
	return EMAIL_PATTERN.test(value.trim());
}

export function isDomainName(value: string): boolean {
	return DOMAIN_PATTERN.test(value.trim());
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/** Bad input: names the field and the item, and says what to do. Nothing is sent. */
export function inputError(node: INode, itemIndex: number, field: string, problem: string, hint?: string) {
	return new NodeOperationError(node, `${field}: ${problem}`, {
		itemIndex,
		description: hint ?? `Fix "${field}" in item ${itemIndex + 1} and run again.`,
	});
}

/** Accepts ISO strings, Date-like values, luxon DateTimes (via toISO) and unix seconds. */
export function parseDateInput(value: unknown): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return parseDateInput((value as { toISO: () => string }).toISO());
	}
	if (typeof value === 'number') return Number.isFinite(value) ? parseTime(value) : undefined;
	const text = String(value).trim();
	// From a user: unix seconds (9-11 digits) or a text that starts with a day; nothing looser.
	if (!/^\d{9,11}$/.test(text) && !/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
	return parseTime(text);
}

const pad = (value: number) => String(value).padStart(2, '0');

export function formatDate(date: Date): string {
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function formatDateTime(date: Date): string {
	return `${formatDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Splits on , ; and new lines, except inside a quoted name ("Doe, John" <j@x.com>). */
function splitAddresses(text: string): string[] {
	// An unbalanced quote would swallow the rest of the list: split plainly then.
	if ((text.match(/"/g) ?? []).length % 2 !== 0) return text.split(/[,;\n]/);
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	for (const char of text) {
		if (char === '"') quoted = !quoted;
		if (!quoted && (char === ',' || char === ';' || char === '\n')) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	parts.push(current);
	return parts;
}

/** Splits "a@x.com, B <b@y.com>" style text into name/email pairs. */
export function parseAddressList(text: string): Array<{ email: string; name: string }> {
	return splitAddresses(text)
		.map((part) => part.trim())
		.filter((part) => part !== '')
		.map((part) => {
			const match = /^(.*)<([^>]+)>$/.exec(part);
			if (match) return { name: match[1].trim().replace(/^"|"$/g, ''), email: match[2].trim() };
			return { name: '', email: part };
		});
}
