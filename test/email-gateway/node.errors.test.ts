/**
 * How the Email Gateway node fails, through n8n's engine against the fake server: provider errors
 * carry the provider's code and documented meaning (never a key), only safe calls are retried, and
 * bad input is refused before anything is sent.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunResult } from '../harness/engine';
import { sendParameters, useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'errors-account-key-5d1e';

const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY });
const { server, credentials, requests, run } = fake;
const sentCount = () => server().state.sentEmails.length;

/** Everything a user or a log can see of an error. */
function visibleText(error: RunResult['error']): string {
	return [error?.message, error?.description, JSON.stringify(error)].join('\n');
}

function expectNoSecrets(text: string, ...secrets: string[]) {
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('provider errors become NodeApiError with the code and its documented meaning', () => {
	test('Add Domain over the domain limit: error code 3', async () => {
		const limit = server().state.maxDomains;
		server().state.maxDomains = server().state.domains.length;
		const domainsBefore = server().state.domains.length;
		try {
			const { error } = await run({ resource: 'domain', operation: 'create', domainName: 'one-too-many.example.org' });
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toContain('maximum number of sender domains');
			expect(error?.message).toContain('error code 3');
			expect(error?.message).toContain('Add a New Email Sender Domain');
			expect(error?.context?.itemIndex).toBe(0);
			expect(requests().map((request) => request.command)).toEqual(['EmailGateway.AddDomain']);
			expect(server().state.domains).toHaveLength(domainsBefore);
			expectNoSecrets(visibleText(error), ACCOUNT_KEY);
		} finally {
			server().state.maxDomains = limit;
		}
	});

	test('a v1 422 with several Errors: the first in the message, all in the description', async () => {
		// example.net (124) is not activated (32) and the recipient is on the suppression list (14).
		const { error } = await run(sendParameters({ to: 'suppressed@example.com' }), { credentials: credentials({ senderDomain: '124' }) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Domain is not activated');
		expect(error?.message).toContain('error code 32');
		expect(error?.description).toContain('Email address is in the suppression list');
		expect(error?.description).toContain('error code 14');
		expect(error?.description).toContain('422');
		expect(requests()).toHaveLength(1);
		expect(sentCount()).toBe(0);
		expectNoSecrets(visibleText(error), fake.senderKey('124'), ACCOUNT_KEY);
	});

	test('a wrong account API key: refused, with a hint about the account credential, without the key', async () => {
		const wrongKey = 'wrong-account-key-0000';
		const { error } = await run({ resource: 'domain', operation: 'getAll', returnAll: true }, { credentials: credentials({ accountKey: wrongKey }) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Authentication failed');
		expect(error?.description).toContain('"Email Gateway API" credential');
		expect(requests()).toHaveLength(1);
		expect(requests()[0].body.APIKey).toBe(wrongKey);
		expectNoSecrets(visibleText(error), wrongKey, ACCOUNT_KEY);
	});

	test('a wrong sender key: error code 13 with a hint about the Sender credential, without the key', async () => {
		const wrongKey = 'eg_live_123_00000000000000000000000000000000';
		const { error } = await run(sendParameters(), { credentials: credentials({ senderKey: wrongKey }) });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Invalid SenderAPIKey');
		expect(error?.message).toContain('error code 13');
		expect(error?.description).toContain('"Email Gateway Sender API" credential');
		expect(requests()).toHaveLength(1);
		expect(requests()[0].headers.authorization).toBe(`Bearer ${wrongKey}`);
		expect(sentCount()).toBe(0);
		expectNoSecrets(visibleText(error), wrongKey, ACCOUNT_KEY);
	});

	test('a refused /api/v1 call points at the Sender credential, whatever the wording', async () => {
		server().failNext({ path: '/api/v1/webhooks', status: 401, body: { Errors: [{ Code: 2, Message: 'Invalid user account' }] } });
		const invalidAccount = await run({ authentication: 'emailGatewaySenderApi', resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(invalidAccount.error?.message).toContain('error code 2');
		expect(invalidAccount.error?.description).toContain('"Email Gateway Sender API" credential');
		expect(invalidAccount.error?.description).not.toContain('"Email Gateway API" credential');

		server().failNext({ path: '/api/v1/webhooks', status: 403, body: 'Forbidden' });
		const forbidden = await run({ authentication: 'emailGatewaySenderApi', resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(forbidden.error?.message).toContain('Forbidden');
		expect(forbidden.error?.description).toContain('"Email Gateway Sender API" credential');
		expect(forbidden.error?.description).not.toContain('"Email Gateway API" credential');
	});

	test('a command error about a missing record does not blame the credential', async () => {
		// DeleteAPI code 2 reads "Invalid API key or API key not found": the Key ID is wrong, not the account key.
		const { error } = await run({ resource: 'apiKey', operation: 'delete', keyId: '987654' });
		expect(error?.message).toContain('API key not found');
		expect(error?.message).toContain('error code 2');
		expect(error?.description ?? '').not.toContain('credential');
		expect(requests()).toHaveLength(1);
	});

	test('keys the provider echoes back are removed from the error', async () => {
		const senderKey = fake.senderKey('123');
		server().failNext({
			path: '/api/v1/email',
			status: 401,
			body: { Errors: [{ Code: 13, Message: `Invalid SenderAPIKey ${senderKey}` }] },
		});
		const v1 = await run(sendParameters());
		expect(v1.error?.message).toContain('error code 13');
		expectNoSecrets(visibleText(v1.error), senderKey);

		server().failNext({
			path: '/api.php',
			status: 200,
			body: { Success: false, ErrorCode: 99998, ErrorMessage: `Authentication failed for key ${ACCOUNT_KEY}` },
		});
		const command = await run({ resource: 'domain', operation: 'get', domainId: '123' });
		expect(command.error?.message).toContain('Authentication failed');
		expectNoSecrets(visibleText(command.error), ACCOUNT_KEY);

		// Continue On Fail puts the error into the output: no key there either.
		server().failNext({ path: '/api.php', status: 200, body: { Success: false, ErrorCode: 99998, ErrorMessage: `Bad key ${ACCOUNT_KEY}` } });
		const item = await run({ resource: 'domain', operation: 'get', domainId: '123' }, { continueOnFail: true });
		expect(item.items).toHaveLength(1);
		expect(item.items[0].json.error).toContain('error code 99998');
		expectNoSecrets(JSON.stringify(item.items), ACCOUNT_KEY);
	});
});

describe('retries', () => {
	test('429 with Retry-After on Send Email is retried once and then succeeds', async () => {
		const before = sentCount();
		server().failNext({ status: 429, retryAfter: '1', path: '/api/v1/email' });
		const result = await run(sendParameters({ to: 'after-429@example.org' }));

		expect(result.error).toBeUndefined();
		const made = requests();
		expect(made).toHaveLength(2);
		expect(made.every((request) => request.method === 'POST' && request.path === '/api/v1/email')).toBe(true);
		expect(made[1].time - made[0].time).toBeGreaterThanOrEqual(950);
		expect(sentCount()).toBe(before + 1);
		const email = server().state.sentEmails[before];
		expect(email.to).toEqual([{ email: 'after-429@example.org', name: 'after-429@example.org' }]);
		expect(result.items).toEqual([{ json: { MessageID: email.messageId }, pairedItem: { item: 0 } }]);
	});

	test('a 500 on Send Email is not retried', async () => {
		const before = sentCount();
		server().failNext({ status: 500, path: '/api/v1/email' });
		const { error, items } = await run(sendParameters());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('error code 500');
		expect(error?.description).toContain('HTTP status 500');
		expect(items).toEqual([]);
		expect(requests()).toHaveLength(1);
		expect(sentCount()).toBe(before);
	});

	test('a dropped connection on Send Email is not retried', async () => {
		const before = sentCount();
		server().failNext({ destroy: true, path: '/api/v1/email' });
		const { error } = await run(sendParameters());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toContain('not repeated');
		expect(requests()).toHaveLength(1);
		expect(sentCount()).toBe(before);
	});

	test('a 500 on a read (Get Many domains) is retried and then succeeds', async () => {
		server().failNext({ status: 500, path: '/api.php' });
		const { error, items } = await run({ resource: 'domain', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(requests().map((request) => request.command)).toEqual(['EmailGateway.GetDomains', 'EmailGateway.GetDomains']);
		expect(items.map((item) => item.json.DomainID)).toEqual(server().state.domains.map((domain: IDataObject) => domain.id));
	});

	test('a 500 on Add Domain (not repeatable) is not retried', async () => {
		const before = server().state.domains.length;
		server().failNext({ status: 500, path: '/api.php' });
		const { error } = await run({ resource: 'domain', operation: 'create', domainName: 'after-500.example.org' });
		expect(error?.name).toBe('NodeApiError');
		expect(requests()).toHaveLength(1);
		expect(server().state.domains).toHaveLength(before);
	});
});

describe('bad input is refused before anything is sent', () => {
	const binaryItem: INodeExecutionData = {
		json: {},
		binary: { data: { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain', fileName: 'x.txt' } },
	};

	const cases: Array<{ name: string; parameters: IDataObject; field: string; mentions?: string; items?: INodeExecutionData[] }> = [
		{ name: 'missing required Subject', parameters: sendParameters({ subject: '  ' }), field: 'Subject', mentions: 'required' },
		// An empty literal is caught by n8n itself (WorkflowHasIssuesError); an expression that resolves to nothing reaches the node.
		{
			name: 'required Domain resolving to nothing',
			parameters: { resource: 'domain', operation: 'get', domainId: '={{ $json.domainId }}' },
			field: 'Domain',
			mentions: 'required',
		},
		{ name: 'invalid email in To', parameters: sendParameters({ to: 'Jane <jane@@example>' }), field: 'To', mentions: 'jane@@example' },
		{ name: 'one invalid email among valid ones', parameters: sendParameters({ to: 'ok@example.org, bad-address' }), field: 'To', mentions: 'bad-address' },
		{ name: 'invalid email in CC', parameters: sendParameters({}, { cc: 'Carl <carl at example.org>' }), field: 'CC', mentions: 'carl at example.org' },
		{ name: 'invalid From Email', parameters: sendParameters({ fromEmail: 'news(at)example.com' }), field: 'From Email' },
		{ name: 'empty To list', parameters: sendParameters({ to: ' , ; ' }), field: 'To', mentions: 'no recipient' },
		// RFC 5321 limits: the fake would accept these, a mail server would not.
		{
			name: 'a 300-character local part in To',
			parameters: sendParameters({ to: `${'x'.repeat(300)}@example.org` }),
			field: 'To',
			mentions: 'the part before the @ is 300 characters long, at most 64 are allowed',
		},
		{
			name: 'a 70-character domain label in BCC',
			parameters: sendParameters({}, { bcc: `ok@example.org, Long <a@${'d'.repeat(70)}.example.org>` }),
			field: 'BCC',
			mentions: 'is 70 characters long, at most 63 are allowed',
		},
		{
			name: 'a From Email over 254 characters',
			parameters: sendParameters({ fromEmail: `${'f'.repeat(64)}@${'s'.repeat(63)}.${'s'.repeat(63)}.${'s'.repeat(63)}.example.com` }),
			field: 'From Email',
			mentions: 'the address is 268 characters long, at most 254 are allowed',
		},
		{
			name: 'invalid Start Date of Get Events',
			parameters: { resource: 'event', operation: 'getAll', domainId: '123', additionalFields: { startDate: 'last tuesday' } },
			field: 'Start Date',
			mentions: 'last tuesday',
		},
		{
			name: 'invalid Start Date of Get Events (sender key)',
			parameters: { authentication: 'emailGatewaySenderApi', resource: 'event', operation: 'getAll', additionalFields: { startDate: '2025-13-45' } },
			field: 'Start Date',
		},
		{
			name: 'a day that does not exist in Get Events Start Date',
			parameters: { resource: 'event', operation: 'getAll', domainId: '123', additionalFields: { startDate: '2025-02-30' } },
			field: 'Start Date',
			mentions: '2025-02-30',
		},
		{ name: 'a day that does not exist in Send At', parameters: sendParameters({}, { sendAt: '2026-02-30 10:00' }), field: 'Send At', mentions: '2026-02-30' },
		{ name: 'an hour that does not exist in Send At', parameters: sendParameters({}, { sendAt: '2026-03-01T25:00:00' }), field: 'Send At' },
		{ name: 'invalid Domain Name', parameters: { resource: 'domain', operation: 'create', domainName: 'https://example.com/path' }, field: 'Domain Name' },
		{
			name: 'invalid Webhook URL',
			parameters: { resource: 'webhook', operation: 'create', domainId: '123', event: 'bounce', webhookUrl: 'ftp://hooks.example.org' },
			field: 'Webhook URL',
		},
		{ name: 'bad Headers JSON', parameters: sendParameters({}, { headers: '{"X-Campaign": ' }), field: 'Headers (JSON)', mentions: 'JSON' },
		{ name: 'Headers JSON that is not an object', parameters: sendParameters({}, { headers: '["X-Campaign"]' }), field: 'Headers (JSON)' },
		{
			name: 'missing binary property',
			parameters: sendParameters({}, { attachments: 'data, invoice' }),
			field: 'Attachments',
			mentions: 'invoice',
			items: [binaryItem],
		},
	];

	test.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		const before = sentCount();
		const { error, items } = await run(testCase.parameters, { items: testCase.items });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message.startsWith(`${testCase.field}:`)).toBe(true);
		expect(error?.message.endsWith(' (item 1)')).toBe(true);
		if (testCase.mentions) expect(error?.message).toContain(testCase.mentions);
		expect(error?.context?.itemIndex).toBe(0);
		expect(items).toEqual([]);
		expect(requests()).toEqual([]);
		expect(sentCount()).toBe(before);
	});

	test('the error names the item that is wrong, and that item is never sent', async () => {
		const items = [
			{ json: { to: 'first@example.org' } },
			{ json: { to: 'second@example.org' } },
			{ json: { to: 'third@example' } },
		];
		const { error } = await run(sendParameters({ to: '={{ $json.to }}' }), { items });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain('To');
		expect(error?.message).toContain('third@example');
		expect(error?.context?.itemIndex).toBe(2);
		expect(error?.message).toBe('To: "third@example" is not a valid email address (item 3)');
		expect(error?.description).toContain('item 3');
		const recipients = requests().flatMap((request) => (request.body.To as IDataObject[]).map((recipient) => recipient.email));
		expect(recipients).not.toContain('third@example');
		expect((server().state.sentEmails as IDataObject[]).some((email) => (email.to as IDataObject[]).some((to) => to.email === 'third@example'))).toBe(false);
	});

	test('without Continue On Fail, bad input in any item stops the run before any item is sent', async () => {
		const before = sentCount();
		const recipients = ['one@example.org', 'two@invalid', 'three@example.org', 'four@example.org', 'five@example.org', 'six@example.org'];
		const { error } = await run(sendParameters({ to: '={{ $json.to }}' }), { items: recipients.map((to) => ({ json: { to } })) });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.message).toContain('"two@invalid"');
		expect(error?.message).toContain('(item 2)');
		// Every item is checked before the first is sent, so a half-sent batch never happens.
		expect(sentCount()).toBe(before);
		expect(requests()).toHaveLength(0);
	});

	test('with Continue On Fail the bad item becomes an error item naming the field; nothing is sent for it', async () => {
		const items = [{ json: { headers: '{"X-Ok": "1"}' } }, { json: { headers: '{broken' } }];
		const result = await run(sendParameters({ to: 'cof@example.org' }, { headers: '={{ $json.headers }}' }), { items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[1]).toEqual({
			// The message alone (what Continue On Fail and a log show first) names the field and the item.
			json: { error: 'Headers (JSON): is not valid JSON (item 2)', description: expect.stringContaining('item 2') },
			pairedItem: { item: 1 },
		});
		expect(requests()).toHaveLength(1);
		expect(requests()[0].body.Headers).toEqual({ 'X-Ok': '1' });
		expect(result.items[0].json.MessageID).toBe(server().state.sentEmails[server().state.sentEmails.length - 1].messageId);
	});
});

describe('a provider refusal without Continue On Fail', () => {
	const unlimited = useFakeEmailGateway({ rateLimit: false });

	// Sent one at a time (Request Options), the refused item is the last request; in parallel those in flight with it finish (test/shared/speed.test.ts).
	test('stops Send Email at the refused item: no later item is sent', async () => {
		const credentials = {
			emailGatewaySenderApi: { baseUrl: unlimited.server().url, apiKey: unlimited.senderKey('123') },
		};
		const recipients = ['a1@example.org', 'suppressed@example.com', 'a3@example.org', 'a4@example.org', 'a5@example.org', 'a6@example.org'];
		const result = await unlimited.run(
			{
				authentication: 'emailGatewaySenderApi',
				resource: 'email',
				operation: 'send',
				fromEmail: 'news@example.com',
				fromName: 'News',
				to: '={{ $json.to }}',
				subject: 'Hello',
				contentType: 'plain',
				content: 'Hi',
				requestOptions: { oneAtATime: true },
			},
			{ credentials, items: recipients.map((to) => ({ json: { to } })) },
		);
		expect(result.error?.message).toContain('suppression list');
		const sentTo = (unlimited.server().state.sentEmails as IDataObject[]).map((email) => (email.to as IDataObject[])[0].email);
		expect(sentTo).toEqual(['a1@example.org']);
		expect(unlimited.requests().filter((request) => request.path === '/api/v1/email')).toHaveLength(2);
	});
});
