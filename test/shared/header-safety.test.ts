/**
 * Issue 17, header injection: values that end up in an email header are refused before any request when
 * they carry CR, LF or NUL, in every provider (Email Gateway, SMS.by, CleverReach) and whether typed or
 * given by an expression; header names must be RFC 5322 field names, URLs http(s) without whitespace or
 * control characters, addresses free of invisible characters; internationalized domains go out in punycode.
 * Each case runs through n8n's engine against the provider's fake and checks that nothing reached it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunResult } from '../harness/engine';
import { useFakeCleverReach } from '../cleverreach/fake-cleverreach';
import { sendParameters, useFakeEmailGateway } from '../email-gateway/fake-gateway';
import { useFakeSmsBy } from '../sms-by/fake-smsby';

/** The refusal every case expects: an input error naming the field and the item, with nothing sent. */
function expectRefused(result: RunResult, field: string, item: number, sent: number) {
	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toMatch(new RegExp(`^${field.replace(/[()[\]]/g, '\\$&')}: `));
	expect(result.error?.message).toMatch(new RegExp(`\\(item ${item}\\)$`));
	expect(result.error?.message).not.toMatch(/\[item \d+\]/);
	expect(sent).toBe(0);
}

const INJECTED = 'Hello\r\nBcc: victim@evil.example';

describe('Email Gateway Send Email', () => {
	const gateway = useFakeEmailGateway();
	const sent = () => gateway.requests().length;
	const send = async (overrides: IDataObject, additional: IDataObject = {}) => await gateway.run(sendParameters(overrides, additional));

	test.each([
		['Subject', { subject: INJECTED }],
		['Subject', { subject: '={{ "Hello\\r\\nBcc: victim@evil.example" }}' }],
		['From Name', { fromName: 'News\r\nBcc: victim@evil.example' }],
		['From Name', { fromName: 'News\u0000' }],
	])('%s with a line break or NUL (%j) is refused', async (field, overrides) => {
		expectRefused(await send(overrides), field, 1, sent());
	});

	test.each([
		['Tags', { tags: 'welcome\r\nBcc: x@evil.example' }],
		['Reply-To', { replyTo: '"Help\r\nBcc: x@evil.example" <help@example.com>' }],
		['CC', { cc: 'Boss\u0000 <boss@example.com>' }],
		['Headers', { customHeaders: { values: [{ name: 'X-A\r\nBcc', value: 'x' }] } }],
		['Headers', { customHeaders: { values: [{ name: 'X Bad: Name', value: 'x' }] } }],
		['Headers', { customHeaders: { values: [{ name: 'X-Campaign', value: 'spring\r\nBcc: x@evil.example' }] } }],
		['Headers', { headers: '{"X-A\\r\\nBcc": "x"}' }],
		['Headers', { headers: '={{ { "X-Campaign": "a\\nBcc: x@evil.example" } }}' }],
	])('%s carrying an injection (%j) is refused', async (field, additional) => {
		expectRefused(await send({}, additional), field, 1, sent());
	});

	test('a To name with CR/LF and an address hiding a zero-width space are refused', async () => {
		expectRefused(await send({ to: '"Jane\r\nBcc: x@evil.example" <jane@example.org>' }), 'To', 1, sent());
		const hidden = await send({ to: 'jane\u200b@example.org' });
		expectRefused(hidden, 'To', 1, sent());
		expect(hidden.error?.message).toContain('invisible character (U+200B)');
		expectRefused(await send({ fromEmail: 'news\u202e@example.com' }), 'From Email', 1, sent());
	});

	test('the second item of a run is named when only it is bad', async () => {
		const result = await gateway.run(sendParameters({ subject: '={{ $json.subject }}' }), { items: [{ json: { subject: 'Fine' } }, { json: { subject: INJECTED } }] });
		expectRefused(result, 'Subject', 2, sent());
	});

	test('an internationalized domain goes out in punycode; safe headers and tags go through', async () => {
		const result = await send(
			{ to: 'Jörg <jorg@bücher.example>', subject: 'Grüße – 10 % off' },
			{ tags: 'welcome, spring', customHeaders: { values: [{ name: 'X-Campaign', value: 'spring' }] } },
		);
		expect(result.error).toBeUndefined();
		expect(gateway.requests()).toHaveLength(1);
		expect(gateway.requests()[0].body).toMatchObject({
			To: [{ email: 'jorg@xn--bcher-kva.example', name: 'Jörg' }],
			Subject: 'Grüße – 10 % off',
			Tags: ['welcome', 'spring'],
			Headers: { 'X-Campaign': 'spring' },
		});
	});

	test.each([
		'https://hooks.example.org/x\r\nX-Injected: 1',
		'https://hooks.example.org/a b',
		'ftp://hooks.example.org/x',
		'={{ "https://hooks.example.org/x\\r\\nX-Injected: 1" }}',
	])('Webhook URL %j is refused', async (webhookUrl) => {
		const result = await gateway.run({ authentication: 'emailGatewaySenderApi', resource: 'webhook', operation: 'create', senderEvent: 'delivered', webhookUrl });
		expectRefused(result, 'Webhook URL', 1, sent());
	});

	test('Attachments given as a number and non-numeric Webhook / API Key IDs are refused', async () => {
		expectRefused(await send({}, { attachments: '={{ 42 }}' }), 'Attachments', 1, sent());
		const webhook = await gateway.run({ authentication: 'emailGatewaySenderApi', resource: 'webhook', operation: 'delete', webhookId: 'abc' });
		expectRefused(webhook, 'Webhook ID', 1, sent());
		const command = await gateway.run({ authentication: 'emailGatewayApi', resource: 'webhook', operation: 'delete', domainId: '123', webhookId: '12; DROP' });
		expectRefused(command, 'Webhook ID', 1, sent());
		const apiKey = await gateway.run({ authentication: 'emailGatewayApi', resource: 'apiKey', operation: 'delete', keyId: 'key-1' });
		expectRefused(apiKey, 'Key ID', 1, sent());
	});
});

describe('SMS.by', () => {
	const smsBy = useFakeSmsBy();
	const sent = () => smsBy.fake().requests.length;
	const sendOne = { resource: 'email', operation: 'send', senderEmail: 'from@example.com', email: 'jane@example.org', subject: 'Hello', message: 'Text' };

	test.each([
		['Subject', { subject: INJECTED }],
		['Sender Name', { senderName: 'Shop\r\nBcc: x@evil.example' }],
		['Sender Name', { senderName: '={{ "Shop\\u0000" }}' }],
	])('%s with a line break or NUL is refused (%j)', async (field, overrides) => {
		expectRefused(await smsBy.run({ ...sendOne, ...overrides }), field, 1, sent());
	});

	test('Track Opens from an expression that is no boolean ("maybe") is refused; "false" and 0 are read', async () => {
		const maybe = await smsBy.run({ ...sendOne, additionalFields: { trackOpen: '={{ "maybe" }}' } });
		expectRefused(maybe, 'Track Opens', 1, sent());
		expect(maybe.error?.message).toBe('Track Opens: "maybe" is not true or false (item 1)');
		const off = await smsBy.run({ ...sendOne, additionalFields: { trackOpen: '={{ "false" }}', trackClick: '={{ 0 }}' } });
		expect(off.error).toBeUndefined();
		expect(smsBy.fake().requests[0].body).toMatchObject({ track_open: '0', track_click: '0' });
	});

	test('Bulk Send recipients: hidden characters refused, internationalized domains in punycode', async () => {
		const bulk = { resource: 'bulk', operation: 'send', senderEmail: 'from@example.com', subject: 'Hi', message: 'Text' };
		expectRefused(await smsBy.run({ ...bulk, recipients: 'a@example.org, b\u200d@example.org' }), 'Recipients', 1, sent());
		const ok = await smsBy.run({ ...bulk, recipients: 'a@example.org, info@bücher.example' });
		expect(ok.error).toBeUndefined();
		expect(JSON.stringify(smsBy.fake().requests[0].body)).toContain('info@xn--bcher-kva.example');
	});
});

describe('CleverReach mailings and double opt-in mails', () => {
	const cleverReach = useFakeCleverReach();
	const sent = () => cleverReach.apiRequests().length;

	test.each([
		['Subject', { subject: INJECTED }],
		['Sender Name', { senderName: '={{ "News\\r\\nBcc: x@evil.example" }}' }],
	])('a mailing %s with a line break is refused (%j)', async (field, additional) => {
		const result = await cleverReach.run({ resource: 'mailing', operation: 'create', name: 'Spring', additionalFields: additional });
		expectRefused(result, field, 1, sent());
	});

	test('a double opt-in mail with a line break in its User Agent is refused (it goes into the opt-in mail)', async () => {
		const group = cleverReach.server().addGroup('Newsletter');
		const form = cleverReach.server().addForm(group.id, 'Sign-up');
		const result = await cleverReach.run({
			resource: 'form',
			operation: 'sendActivation',
			formId: { __rl: true, mode: 'id', value: String(form.id) },
			email: 'jane@example.org',
			additionalFields: { doidata: { userAgent: 'Mozilla\r\nBcc: x@evil.example' } },
		});
		expectRefused(result, 'Double Opt-In Data → User Agent', 1, sent());
	});
});
