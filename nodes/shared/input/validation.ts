import { NodeOperationError } from 'n8n-workflow';

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
 * Characters nobody sees: controls, format characters (zero-width space and joiners, BOM, soft hyphen, bidi
 * controls and isolates) and line / paragraph separators. In an address they make two addresses that look
 * alike differ (or hide a second one).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** "U+200B" for the first invisible character of a text, or undefined. */
export function invisibleCharacter(text: string): string | undefined {
	const found = INVISIBLE.exec(text)?.[0];
	return found === undefined ? undefined : `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** CR, LF and NUL: in a mail header they end the header and start another (header injection). */
const HEADER_BREAK = /[\r\n\0]/;

/** Why a text cannot go into an email header (a line break or NUL in it), or undefined. */
export function headerTextProblem(text: string): string | undefined {
	const found = HEADER_BREAK.exec(text)?.[0];
	if (found === undefined) return undefined;
	const what = found === '\0' ? 'a NUL character' : 'a line break';
	return `contains ${what}, which could add email headers (such as a hidden Bcc)`;
}

/** RFC 5322 section 3.6.8: a header field name is printable US-ASCII (33-126) except ":". */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Why a text is not a header field name, or undefined. */
export function headerNameProblem(text: string): string | undefined {
	if (HEADER_NAME.test(text)) return undefined;
	return `"${shorten(visible(text))}" is not a valid header name: use letters, digits and "-" only (printable ASCII without spaces or ":"), e.g. X-Campaign`;
}

/** A text with its line breaks, NULs and other invisible characters shown as \r, \n, \0 or <U+XXXX>, for messages. */
export function visible(text: string): string {
	return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => {
		if (char === '\r') return '\\r';
		if (char === '\n') return '\\n';
		if (char === '\0') return '\\0';
		return `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
	});
}

/**
 * A domain written in another script (an internationalized domain name, "bücher.example") in its ASCII
 * form ("xn--bcher-kva.example"), as mail servers and every provider's API expect it; ASCII domains come
 * back lower-cased. Undefined when the text is no usable host name. The same rule in every provider:
 * IDNs are converted, never refused.
 */
export function asciiDomain(domain: string): string | undefined {
	if (domain === '' || /[\s/?#@:\\[\]%]/.test(domain) || invisibleCharacter(domain)) return undefined;
	try {
		const host = new URL(`http://${domain}`).hostname;
		return host === '' ? undefined : host;
	} catch {
		return undefined;
	}
}

/** An address with its domain in ASCII (punycode for an internationalized domain); the part before the @ as written. */
export function normalizeEmail(value: string): string {
	const address = value.trim();
	const at = address.lastIndexOf('@');
	if (at < 1) return address;
	const domain = address.slice(at + 1);
	if (/^[\x00-\x7f]*$/.test(domain)) return address;
	const ascii = asciiDomain(domain);
	return ascii === undefined ? address : `${address.slice(0, at)}@${ascii}`;
}

/**
 * Why a text is not a usable email address (`"x" is not a valid email address`, plus which RFC 5321
 * size limit it breaks, or the invisible character it hides), or undefined when it is one. An
 * internationalized domain is checked in its punycode form (normalizeEmail gives the address to send).
 */
export function emailProblem(value: string): string | undefined {
	const hidden = invisibleCharacter(value.trim());
	if (hidden) {
		return `"${shorten(visible(value.trim()))}" is not a valid email address: it contains an invisible character (${hidden})`;
	}
	const address = normalizeEmail(value);
	const invalid = `"${shorten(value.trim())}" is not a valid email address`;
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

/** Whether a text is a domain name; an internationalized one counts in its punycode form (asciiDomain). */
export function isDomainName(value: string): boolean {
	const ascii = asciiDomain(value.trim());
	return ascii !== undefined && DOMAIN_PATTERN.test(ascii);
}

/** Whitespace or a control character anywhere in a URL (a line break would end a header that carries it). */
const URL_UNSAFE = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why a text is not an http(s) URL without whitespace or control characters, or undefined. */
export function urlProblem(value: string): string | undefined {
	const text = value.trim();
	const invalid = `"${shorten(visible(text))}" is not a valid http(s) URL`;
	if (URL_UNSAFE.test(text)) return `${invalid}: it contains whitespace or a control character`;
	try {
		const url = new URL(text);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${invalid}: only http:// and https:// are allowed`;
		return url.hostname === '' ? invalid : undefined;
	} catch {
		return invalid;
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

/**
 * Why a list of headers ({name: value}) cannot be sent: a name that is no RFC 5322 field name or a value
 * with a line break or NUL, with the header named; undefined when every header is safe.
 */
export function headersProblem(headers: Record<string, unknown>): string | undefined {
	for (const [name, value] of Object.entries(headers)) {
		const nameProblem = headerNameProblem(name);
		if (nameProblem) return nameProblem;
		const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
		const valueProblem = headerTextProblem(text);
		if (valueProblem) return `the value of "${name}" ${valueProblem}`;
	}
	return undefined;
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

/**
 * A recipient text ("a@x.com, B <b@y.com>") checked for sending: each address valid (no hidden character,
 * an internationalized domain in punycode) and each display name free of line breaks and NUL (it becomes
 * part of a To / Cc / Reply-To header). Names the field and the item when it is not.
 */
export function readAddressList(node: INode, itemIndex: number, label: string, text: unknown): Array<{ email: string; name: string }> {
	const list = parseAddressList(typeof text === 'string' ? text : String(text ?? ''));
	return list.map(({ email, name }) => {
		const nameProblem = headerTextProblem(name);
		if (nameProblem) throw inputError(node, itemIndex, label, `the name "${shorten(visible(name))}" ${nameProblem}`, 'Remove line breaks from the names in the list.');
		const problem = emailProblem(email);
		if (problem) throw inputError(node, itemIndex, label, problem);
		return { email: normalizeEmail(email), name };
	});
}
