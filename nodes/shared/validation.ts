import { NodeOperationError } from 'n8n-workflow';

import { parseTime } from './dates';
import type { INode } from 'n8n-workflow';

// Deliberately pragmatic: one @, no spaces, a dotted domain; the provider does the final check.
const EMAIL_PATTERN = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;
// Every label: 1-63 letters, digits or hyphens, not starting or ending with a hyphen. The top-level
// label is alphabetic or an IDN in punycode (xn--p1ai for .рф, xn--90ais for .бел).
const DOMAIN_PATTERN = /^(?=.{1,253}$)((?!-)[a-z0-9-]{1,63}(?<!-)\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59}(?<!-))$/i;

// RFC 5321 section 4.5.3.1, in octets: longer addresses are refused by mail servers, so they are refused here.
const EMAIL_LIMITS = { localPart: 64, domainLabel: 63, address: 254 };

const octets = (text: string) => new TextEncoder().encode(text).length;
/** A long value in a message: its start and end, so the message stays readable. */
const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 24)}…${text.slice(-24)}` : text);

/**
 * Why a text is not a usable email address (`"x" is not a valid email address`, plus which RFC 5321
 * size limit it breaks), or undefined when it is one.
 */
export function emailProblem(value: string): string | undefined {
	const address = value.trim();
	const invalid = `"${shorten(address)}" is not a valid email address`;
	if (!EMAIL_PATTERN.test(address)) return invalid;
	const at = address.lastIndexOf('@');
	const tooLong = (part: string, length: number, limit: number) =>
		`${invalid}: ${part} is ${length} characters long, at most ${limit} are allowed`;
	const localPart = octets(address.slice(0, at));
	if (localPart > EMAIL_LIMITS.localPart) return tooLong('the part before the @', localPart, EMAIL_LIMITS.localPart);
	for (const label of address.slice(at + 1).split('.')) {
		const length = octets(label);
		if (length > EMAIL_LIMITS.domainLabel) {
			return tooLong(`the domain label "${shorten(label)}"`, length, EMAIL_LIMITS.domainLabel);
		}
	}
	const whole = octets(address);
	if (whole > EMAIL_LIMITS.address) return tooLong('the address', whole, EMAIL_LIMITS.address);
	return undefined;
}

export function isEmail(value: string): boolean {
	return emailProblem(value) === undefined;
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

/**
 * Bad input: names the field and the item in the message itself (`To: "x" is not a valid email address
 * (item 2)`, also where only the message is shown, as under Continue On Fail), and says what to do.
 * Nothing is sent.
 */
export function inputError(node: INode, itemIndex: number, field: string, problem: string, hint?: string) {
	return new NodeOperationError(node, `${field}: ${problem} (item ${itemIndex + 1})`, {
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
