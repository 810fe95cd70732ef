/**
 * A body that is not the provider's answer (an HTML page, cut-off JSON, an empty body where a result is
 * expected) is never a success. How readAnswer classifies bodies, then the Email Gateway node through n8n's
 * engine against the fake: such answers fail the run instead of returning nothing, are retried only where
 * the call is safe to repeat, and the error names what came back and the HTTP status, never the page.
 */
import { expectedAnswerFor, readAnswer } from '../../nodes/shared/http/answer';
import type { ExpectedAnswer } from '../../nodes/shared/model/operation';
import type { FakeFault } from '../email-gateway/fake-gateway';
import { sendParameters, useFakeEmailGateway } from '../email-gateway/fake-gateway';

const MAINTENANCE_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Down for maintenance &amp; upgrades</title></head><body><h1>We will be back soon</h1></body></html>';

describe('readAnswer', () => {
	const json = { 'content-type': 'application/json' };
	const html = { 'content-type': 'text/html' };
	const cases: Array<[string, number, unknown, Record<string, string>, ExpectedAnswer, ReturnType<typeof readAnswer>]> = [
		['parsed JSON as n8n hands it over', 200, { Success: true }, json, 'json', { body: { Success: true } }],
		['JSON text', 200, ' {"Success":true} ', html, 'json', { body: { Success: true } }],
		['plain text', 200, 'OK queued', html, 'json', { body: 'OK queued' }],
		['an HTML page', 200, MAINTENANCE_PAGE, html, 'json', { notAnAnswer: 'an HTML page', pageTitle: 'Down for maintenance & upgrades' }],
		['an HTML fragment without a title', 502, '<center><h1>502 Bad Gateway</h1></center>', {}, 'json', { notAnAnswer: 'an HTML page', pageTitle: undefined }],
		['cut-off JSON', 200, '{"Success":true,"Events":[{"EventID":"e1"', json, 'json', { notAnAnswer: 'JSON that ends early (truncated)' }],
		['cut-off JSON inside a string', 200, '{"Success":true,"Name":"exam', {}, 'json', { notAnAnswer: 'JSON that ends early (truncated)' }],
		['cut-off JSON after an escaped quote', 200, '[{"Name":"say \\"hi', {}, 'json', { notAnAnswer: 'JSON that ends early (truncated)' }],
		['malformed JSON', 200, '{"Success":true,,}', {}, 'json', { notAnAnswer: 'JSON it cannot read (malformed)' }],
		['JSON closed twice', 200, '{"Success":true}}', {}, 'json', { notAnAnswer: 'JSON it cannot read (malformed)' }],
		['text declared as JSON', 200, 'Success', json, 'json', { notAnAnswer: 'JSON it cannot read (malformed)' }],
		['an empty 200 where JSON is expected', 200, '', {}, 'json', { notAnAnswer: 'an empty body' }],
		['an empty 200 on a delete', 200, '  ', {}, 'jsonOrEmpty', { body: {} }],
		['a 204', 204, '', {}, 'json', { body: {} }],
		['an HTML page where text is expected', 200, MAINTENANCE_PAGE, html, 'text', { body: MAINTENANCE_PAGE }],
	];
	it.each(cases)('%s', (_name, status, body, headers, expects, expected) => {
		expect(readAnswer(status, body, headers, expects)).toEqual(expected);
	});

	it('expects JSON by default, and JSON or nothing from a DELETE', () => {
		expect(expectedAnswerFor('POST')).toBe('json');
		expect(expectedAnswerFor('GET')).toBe('json');
		expect(expectedAnswerFor('DELETE')).toBe('jsonOrEmpty');
		expect(expectedAnswerFor('DELETE', 'json')).toBe('json');
		expect(expectedAnswerFor('POST', 'text')).toBe('text');
	});
});

describe('the Email Gateway node on answers that are not the provider’s', () => {
	const ACCOUNT_KEY = 'answer-account-key-77c1';
	const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY });
	const { server, requests, run } = fake;
	const htmlPage = (status = 200): FakeFault => ({ status, path: '/api.php', body: MAINTENANCE_PAGE, headers: { 'Content-Type': 'text/html' } });
	// The default retry policy waits 1 + 2 + 4 + 8 s before giving up after five attempts.
	const GIVE_UP_MS = 40_000;

	function expectNoPageNorKey(text: string) {
		expect(text).not.toMatch(/<(!doctype|html|body|h1)/i);
		expect(text).not.toContain(ACCOUNT_KEY);
	}

	test(
		'Get Many domains answered with an HTML page (HTTP 200): an error, not 0 items; retried, as a read is safe to repeat',
		async () => {
			server().failNext({ ...htmlPage(), times: 10 });
			const { error, items } = await run({ resource: 'domain', operation: 'getAll', returnAll: true });
			expect(items).toEqual([]);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe('Email Gateway answered the request to "Retrieve Sender Domains" with an HTML page, HTTP status 200 OK');
			expect(error?.description).toContain('The page is titled "Down for maintenance & upgrades".');
			expect(error?.description).toContain('Base URL');
			expect(error?.description).toContain('retried');
			expect(error?.description).not.toContain('may have been processed');
			expect(requests().map((request) => request.command)).toEqual(Array(5).fill('EmailGateway.GetDomains'));
			expectNoPageNorKey([error?.message, error?.description, JSON.stringify(error)].join('\n'));
		},
		GIVE_UP_MS,
	);

	test('Get Many domains: an HTML page once, then the real answer: retried and succeeds', async () => {
		server().failNext(htmlPage(502));
		const { error, items } = await run({ resource: 'domain', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(requests().map((request) => request.command)).toEqual(['EmailGateway.GetDomains', 'EmailGateway.GetDomains']);
		expect(items.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.DomainID)).toEqual(server().state.domains.map((domain: { id: string }) => domain.id));
	});

	test(
		'Return All events with a truncated second page: an error, not the first page alone',
		async () => {
			for (let index = 0; index < 150; index++) server().addEvent('123', { event: 'open', email: `reader-${index}@example.org`, timestamp: 1_700_000_000 + index });
			const secondPage: FakeFault & { params: Record<string, string> } = {
				status: 200,
				path: '/api.php',
				params: { Command: 'EmailGateway.GetEvents', StartFrom: '100' },
				body: '{"Success":true,"TotalRecords":150,"Events":[{"EventID":"evt_101","Event":"open","Email":"reader-1',
				headers: { 'Content-Type': 'application/json' },
				times: 10,
			};
			server().failNext(secondPage);
			const { error, items } = await run({ resource: 'event', operation: 'getAll', domainId: '123', returnAll: true });
			expect(items).toEqual([]);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(/^Email Gateway answered the request to ".+" with JSON that ends early \(truncated\), HTTP status 200 OK$/);
			const pages = requests().map((request) => request.body.StartFrom);
			expect(pages[0]).toBe(0);
			expect(pages.slice(1)).toEqual(Array(5).fill(100));
			expectNoPageNorKey(JSON.stringify(error));
		},
		GIVE_UP_MS,
	);

	test('Send Email answered with an HTML page (HTTP 200): an error, not retried, and it says to check before running again', async () => {
		const before = server().state.sentEmails.length;
		server().failNext({ status: 200, path: '/api/v1/email', body: MAINTENANCE_PAGE, headers: { 'Content-Type': 'text/html' } });
		const { error, items } = await run(sendParameters({ to: 'html-200@example.org' }));
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^Email Gateway answered the request to ".+" with an HTML page, HTTP status 200 OK$/);
		expect(error?.description).toContain('The request may have been processed: check in Email Gateway before running it again.');
		expect(requests()).toHaveLength(1);
		expect(server().state.sentEmails).toHaveLength(before);
		expectNoPageNorKey([error?.message, error?.description, JSON.stringify(error)].join('\n'));
	});

	test('Send Email answered with an empty 200: an error, not a success without a message ID, not retried', async () => {
		server().failNext({ status: 200, path: '/api/v1/email', body: '' });
		const { error } = await run(sendParameters());
		expect(error?.message).toMatch(/with an empty body, HTTP status 200 OK$/);
		expect(error?.description).toContain('may have been processed');
		expect(requests()).toHaveLength(1);
	});

	test('an HTTP error without an Octeth envelope is a status, not an error code', async () => {
		server().failNext({ status: 502, path: '/api.php', body: 'upstream unavailable' });
		const { error } = await run({ resource: 'domain', operation: 'create', domainName: 'after-502.example.org' });
		expect(error?.message).toBe('Email Gateway refused the request to "Add a New Email Sender Domain": upstream unavailable (HTTP status 502 Bad Gateway)');
		expect(error?.message).not.toContain('error code');
		expect(requests()).toHaveLength(1);
	});
});
