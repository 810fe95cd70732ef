import { DateTime } from 'luxon';
import { NodeOperationError } from 'n8n-workflow';

import {
	asciiDomain,
	emailProblem,
	headerNameProblem,
	headersProblem,
	headerTextProblem,
	invisibleCharacter,
	normalizeEmail,
	readAddressList,
	urlProblem,
	inputError,
	isDomainName,
	parseAddressList,
} from '../../nodes/shared/input/validation';
import { formatDate, formatDateTime, parseDateInput } from '../../nodes/shared/util/dates';

import { emailGatewayNode } from '../harness/fixtures';
import { isEmail, isHttpUrl } from '../harness/checks';
import { evaluateInTimeZone } from '../harness/time-zone';

const node = emailGatewayNode;

/** `script` sees the real dates module as `v`, in a Node process set to `timeZone`. */
function inTimeZone(timeZone: string, script: string): unknown {
	return evaluateInTimeZone(timeZone, `((v) => (${script}))(shared('util/dates'))`);
}

describe('isEmail', () => {
	it.each(['a@example.com', 'first.last+tag@mail.example.co.uk', ' padded@example.com ', 'o\'neil@example.ie', 'user@xn--80ak6aa92e.com'])(
		'accepts %s',
		(value) => expect(isEmail(value)).toBe(true),
	);

	it.each([
		'',
		'plain',
		'@example.com',
		'a@',
		'a@example',
		'a@b.c',
		'a b@example.com',
		'a@@example.com',
		'a@exa mple.com',
		'Name <a@example.com>',
		'a@example.com, b@example.com',
		'a@example.com;',
	])('rejects %p', (value) => expect(isEmail(value)).toBe(false));
});

describe('RFC 5321 size limits of an email address', () => {
	const local = (length: number) => 'l'.repeat(length);
	const label = (length: number) => 'd'.repeat(length);
	// 64 + 1 + 189 = 254 characters, every label at most 63.
	const domainOf = (lastLabel: number) => `${label(63)}.${label(63)}.${label(lastLabel)}.com`;

	it.each([
		['a local part of 64', `${local(64)}@example.com`],
		['a domain label of 63', `a@${label(63)}.example.com`],
		['a whole address of 254', `${local(64)}@${domainOf(57)}`],
	])('accepts %s', (_what, address) => {
		expect(emailProblem(address)).toBeUndefined();
		expect(isEmail(address)).toBe(true);
	});

	it.each([
		['a local part of 65', `${local(65)}@example.com`, 'the part before the @ is 65 characters long, at most 64 are allowed'],
		['a local part of 300', `${local(300)}@example.com`, 'the part before the @ is 300 characters long, at most 64 are allowed'],
		['a domain label of 64', `a@mail.${label(64)}.com`, 'is 64 characters long, at most 63 are allowed'],
		['a domain label of 70', `a@${label(70)}.com`, 'is 70 characters long, at most 63 are allowed'],
		['a top-level label of 64', `a@example.${'c'.repeat(64)}`, 'is 64 characters long, at most 63 are allowed'],
		['a whole address of 255', `${local(64)}@${domainOf(58)}`, 'the address is 255 characters long, at most 254 are allowed'],
		// Limits count octets: "é" takes two in UTF-8, so 33 of them are 66.
		['a local part of 33 two-octet characters', `${'é'.repeat(33)}@example.com`, 'the part before the @ is 66 characters long, at most 64 are allowed'],
	])('refuses %s and says which limit', (_what, address, limit) => {
		const problem = emailProblem(address);
		expect(problem).toContain('is not a valid email address: ');
		expect(problem).toContain(limit);
		expect(isEmail(address)).toBe(false);
	});

	it('names the domain label that is too long, and keeps a long address short in the message', () => {
		const problem = emailProblem(`${local(300)}@mail.${label(70)}.com`)!;
		expect(problem).toContain('the part before the @'); // the first limit broken is the one reported
		expect(problem.length).toBeLessThan(200);
		expect(emailProblem(`a@mail.${label(70)}.com`)).toContain(`the domain label "${label(24)}…${label(24)}" is 70 characters long`);
	});

	it('says only "not a valid email address" for a malformed one', () => {
		expect(emailProblem('jane@@example')).toBe('"jane@@example" is not a valid email address');
	});
});

describe('isDomainName', () => {
	it.each(['example.com', 'mail.example.com', 'Sub-Domain.Example.ORG', 'a.io', 'xn--80ak6aa92e.com', 'example.xn--p1ai', 'xn--e1afmkfd.xn--p1ai'])(
		'accepts %s',
		(value) => expect(isDomainName(value)).toBe(true),
	);

	it.each([
		'',
		'localhost',
		'example',
		'http://example.com',
		'example.com/path',
		'user@example.com',
		'-example.com',
		'example-.com',
		'mail.-example.com',
		'mail.example-.com',
		'exa mple.com',
		'example.com.',
		'example..com',
		'example.c',
		'example.123',
		`${'a'.repeat(64)}.com`,
		`${'abcdefghi.'.repeat(26)}com`, // 263 characters
	])('rejects %p', (value) => expect(isDomainName(value)).toBe(false));
});

describe('isHttpUrl', () => {
	it.each(['http://example.com', 'https://example.com/hook?x=1', 'https://127.0.0.1:5678/webhook/abc', 'HTTPS://EXAMPLE.COM'])(
		'accepts %s',
		(value) => expect(isHttpUrl(value)).toBe(true),
	);

	it.each(['', 'example.com', '//example.com/x', 'ftp://example.com', 'mailto:a@example.com', 'javascript:alert(1)', 'http://', 'not a url'])(
		'rejects %p',
		(value) => expect(isHttpUrl(value)).toBe(false),
	);
});

describe('parseDateInput', () => {
	const iso = (value: unknown) => parseDateInput(value)?.toISOString();

	it('gives the same UTC answers on a server far from UTC', () => {
		for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
			const answers = inTimeZone(
				zone,
				`{
					offset: new Date(2026, 0, 1).getTimezoneOffset(),
					spaced: v.parseDateInput('2026-01-31 12:34:56').toISOString(),
					dateOnly: v.parseDateInput('2026-01-31').toISOString(),
					date: v.formatDate(new Date('2026-03-04T23:05:09Z')),
					dateTime: v.formatDateTime(new Date('2026-03-04T23:05:09Z')),
				}`,
			);
			expect(answers).toEqual({
				offset: zone === 'Pacific/Kiritimati' ? -14 * 60 : 8 * 60,
				spaced: '2026-01-31T12:34:56.000Z',
				dateOnly: '2026-01-31T00:00:00.000Z',
				date: '2026-03-04',
				dateTime: '2026-03-04 23:05:09',
			});
		}
	});

	it('reads ISO dates and timestamps', () => {
		expect(iso('2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
		expect(iso('2026-01-31T12:34:56Z')).toBe('2026-01-31T12:34:56.000Z');
		expect(iso('2026-01-31T12:34:56.789Z')).toBe('2026-01-31T12:34:56.789Z');
		expect(iso('2026-01-31T12:00:00+03:00')).toBe('2026-01-31T09:00:00.000Z');
		expect(iso('  2026-01-31T12:00:00Z  ')).toBe('2026-01-31T12:00:00.000Z');
	});

	it('reads "YYYY-MM-DD HH:MM:SS" (and without seconds) as UTC, like the providers write it', () => {
		expect(iso('2026-01-31 12:34:56')).toBe('2026-01-31T12:34:56.000Z');
		expect(iso('2026-01-31 23:59')).toBe('2026-01-31T23:59:00.000Z');
	});

	it('reads unix seconds as a number or a string', () => {
		expect(iso(1_767_225_600)).toBe('2026-01-01T00:00:00.000Z');
		expect(iso('1767225600')).toBe('2026-01-01T00:00:00.000Z');
		expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
	});

	it('reads milliseconds since the epoch given as a number', () => {
		expect(iso(1_767_225_600_123)).toBe('2026-01-01T00:00:00.123Z');
	});

	it('reads Date objects and luxon DateTimes', () => {
		expect(iso(new Date('2026-01-31T00:00:00Z'))).toBe('2026-01-31T00:00:00.000Z');
		expect(iso(DateTime.fromISO('2026-01-31T12:00:00.000+02:00', { setZone: true }))).toBe('2026-01-31T10:00:00.000Z');
		expect(parseDateInput(DateTime.invalid('unreadable'))).toBeUndefined();
	});

	it.each([
		undefined,
		null,
		'',
		'   ',
		'tomorrow',
		'31/01/2026',
		'Jan 31 2026',
		'2026-13-01',
		'2026-01-31 25:00:00',
		'2026-01-31 foo',
		'12345',
		true,
		{},
		[],
		new Date('nonsense'),
		Number.NaN,
		Infinity,
		1e20,
	])('returns undefined for %p', (value) => {
		expect(parseDateInput(value)).toBeUndefined();
	});
});

describe('formatDate / formatDateTime', () => {
	it('formats in UTC with zero padding', () => {
		const date = new Date('2026-03-04T23:05:09.999Z');
		expect(formatDate(date)).toBe('2026-03-04');
		expect(formatDateTime(date)).toBe('2026-03-04 23:05:09');
	});

	it('round-trips with parseDateInput', () => {
		expect(formatDateTime(parseDateInput('2026-12-31 00:00:01')!)).toBe('2026-12-31 00:00:01');
		expect(formatDate(parseDateInput(1_767_225_599)!)).toBe('2025-12-31');
	});
});

describe('parseAddressList', () => {
	it('reads bare addresses and "Name <address>" entries', () => {
		expect(parseAddressList('a@example.com, Bob Smith <bob@example.com>')).toEqual([
			{ name: '', email: 'a@example.com' },
			{ name: 'Bob Smith', email: 'bob@example.com' },
		]);
	});

	it('splits on commas, semicolons and new lines and skips empty entries', () => {
		expect(parseAddressList('a@example.com;b@example.com\nc@example.com,\r\n;; d@example.com ,')).toEqual([
			{ name: '', email: 'a@example.com' },
			{ name: '', email: 'b@example.com' },
			{ name: '', email: 'c@example.com' },
			{ name: '', email: 'd@example.com' },
		]);
	});

	it('removes the quotes around a quoted name', () => {
		expect(parseAddressList('"Alice Doe" <alice@example.com>')).toEqual([{ name: 'Alice Doe', email: 'alice@example.com' }]);
	});

	it('keeps separators that are inside a quoted name', () => {
		expect(parseAddressList('"Doe, John" <john@example.com>; "Team; Sales" <sales@example.com>, c@example.com')).toEqual([
			{ name: 'Doe, John', email: 'john@example.com' },
			{ name: 'Team; Sales', email: 'sales@example.com' },
			{ name: '', email: 'c@example.com' },
		]);
	});

	it('trims spaces inside the angle brackets and accepts a name-less <address>', () => {
		expect(parseAddressList('Bob <  bob@example.com >, <c@example.com>')).toEqual([
			{ name: 'Bob', email: 'bob@example.com' },
			{ name: '', email: 'c@example.com' },
		]);
	});

	it('returns nothing for blank text', () => {
		expect(parseAddressList('')).toEqual([]);
		expect(parseAddressList(' \n , ; ')).toEqual([]);
	});
});

describe('inputError', () => {
	it('is a NodeOperationError naming the field and the item in its message, carrying the item index and a default fix', () => {
		const error = inputError(node, 3, 'Email', '"x" is not a valid email address');
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Email: "x" is not a valid email address (item 4)');
		expect(error.context.itemIndex).toBe(3);
		expect(error.description).toContain('item 4');
		expect(error.description).toContain('Email');
		expect(error.node).toBe(node);
	});

	it('uses the given hint as description', () => {
		const error = inputError(node, 0, 'Domain', 'is not a valid domain name', 'Use a name like example.com.');
		expect(error.message).toBe('Domain: is not a valid domain name (item 1)');
		expect(error.description).toBe('Use a name like example.com.');
		expect(error.context.itemIndex).toBe(0);
	});
});

describe('header safety', () => {
	it.each(['Hello\r\nBcc: victim@evil.example', 'Hello\nBcc: x', 'Hello\rX', 'Hello\u0000'])('headerTextProblem refuses %j', (value) => {
		expect(headerTextProblem(value)).toMatch(/contains (a line break|a NUL character), which could add email headers/);
	});
	it.each(['Hello', 'Grüße aus Minsk – 10 % off', 'Tab\tinside', ''])('headerTextProblem accepts %j', (value) => {
		expect(headerTextProblem(value)).toBeUndefined();
	});
	it.each(['X-Campaign', 'List-Unsubscribe', 'x_a.b!#$%&*+^`|~', 'A'])('headerNameProblem accepts %j', (name) => {
		expect(headerNameProblem(name)).toBeUndefined();
	});
	it.each(['X-A\r\nBcc', 'X Bad: Name', 'X:Y', 'X Y', '', 'Ä-Header', 'X-\u0000', 'X\u007f'])('headerNameProblem refuses %j', (name) => {
		expect(headerNameProblem(name)).toContain('is not a valid header name');
	});
	test('headersProblem names the header whose value breaks a line', () => {
		expect(headersProblem({ 'X-Ok': 'fine', 'X-Bad': 'a\r\nBcc: b' })).toBe('the value of "X-Bad" contains a line break, which could add email headers (such as a hidden Bcc)');
		expect(headersProblem({ 'X Bad': 'v' })).toContain('"X Bad" is not a valid header name');
		expect(headersProblem({ 'X-A': 'v', 'X-B': 2 })).toBeUndefined();
	});
});

describe('URLs: http(s) only, no whitespace or control characters', () => {
	it.each([
		'https://hooks.example.org/x\r\nX-Injected: 1',
		'https://hooks.example.org/a b',
		'https://hooks.example.org/\u200bx',
		'https://hooks.example.org/x\u0000',
		'ftp://hooks.example.org/x',
		'javascript:alert(1)',
		'file:///etc/passwd',
		'hooks.example.org/x',
		'https://',
	])('refuses %j', (url) => {
		expect(urlProblem(url)).toContain('is not a valid http(s) URL');
		expect(isHttpUrl(url)).toBe(false);
	});
	test('a line break is shown, not printed, in the message', () => {
		expect(urlProblem('https://hooks.example.org/x\r\nX-Injected: 1')).toBe('"https://hooks.example.org/x\\r\\nX-Injected: 1" is not a valid http(s) URL: it contains whitespace or a control character');
	});
	it.each(['https://hooks.example.org/x?a=1#f', 'http://127.0.0.1:8080/hook', ' https://padded.example.org/ '])('accepts %j', (url) => {
		expect(urlProblem(url)).toBeUndefined();
	});
});

describe('addresses: invisible characters and internationalized domains', () => {
	it.each(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u202e', '\u2066', '\u0000', '\u2028'])('refuses an address hiding U+%s', (char) => {
		const problem = emailProblem(`jane${char}@example.com`);
		expect(problem).toContain('is not a valid email address: it contains an invisible character (U+');
		expect(problem).toContain(invisibleCharacter(char));
	});
	test('a zero-width space in the domain is refused too (the URL parser would silently drop it)', () => {
		expect(emailProblem('jane@exa\u200bmple.com')).toContain('(U+200B)');
	});
	test('an internationalized domain is converted to punycode, in every provider the same way', () => {
		expect(normalizeEmail('info@bücher.example')).toBe('info@xn--bcher-kva.example');
		expect(normalizeEmail('user@пример.рф')).toBe('user@xn--e1afmkfd.xn--p1ai');
		expect(emailProblem('user@пример.рф')).toBeUndefined();
		expect(asciiDomain('Bücher.Example')).toBe('xn--bcher-kva.example');
		expect(isDomainName('пример.бел')).toBe(true);
		// The part before the @ stays as written (SMTPUTF8 is the receiving server's business).
		expect(normalizeEmail('jürgen@example.com')).toBe('jürgen@example.com');
	});
	test('an address list refuses a display name that carries a line break or NUL, and converts IDNs', () => {
		expect(() => readAddressList(node, 1, 'To', '"Jane\r\nBcc: evil@x.example" <jane@example.com>')).toThrow(/To: .*(line break|invisible character).*\(item 2\)/);
		expect(() => readAddressList(node, 0, 'To', 'Jane\u0000Doe <jane@example.com>')).toThrow('To: the name "Jane\\0Doe" contains a NUL character');
		expect(readAddressList(node, 0, 'To', 'Jörg <jorg@bücher.example>, plain@example.org')).toEqual([
			{ name: 'Jörg', email: 'jorg@xn--bcher-kva.example' },
			{ name: '', email: 'plain@example.org' },
		]);
	});
});
