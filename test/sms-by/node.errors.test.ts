/**
 * SMS.by's refusals through n8n's engine: an answer whose status is not OK, and the documented HTTP 400 /
 * 404 / 421 / 429 / 500, are NodeApiErrors with SMS.by's own message and the documented meaning, never
 * the token; 429 is sent again (the provider did not take it), a 500 only for calls safe to repeat; bad
 * input sends nothing.
 */
import { formatZonedMinute } from '../../nodes/shared/util/dates';
import { useFakeSmsBy } from './fake-smsby';

const smsBy = useFakeSmsBy();
const fake = () => smsBy.fake();

const sendOne = {
	resource: 'email',
	operation: 'send',
	senderEmail: 'from@example.com',
	email: 'jane@example.org',
	subject: 'Hello',
	message: 'Text',
};

describe('SMS.by errors', () => {
	test('a wrong API key: SMS.by\'s message, what to check, and no key anywhere', async () => {
		const wrongKey = 'wrong-key-0b9e1f';
		const { error } = await smsBy.run({ resource: 'template', operation: 'getAll', returnAll: true }, { credentials: { token: wrongKey } });
		expect(error?.message).toBe('SMS.by refused the request to "Get all email templates": Data not verified [error code 421]');
		expect(error?.description).toContain('Check the API key and the Base URL of the "SMS.by API" credential');
		expect(JSON.stringify({ message: error?.message, description: error?.description, context: error?.context })).not.toContain(wrongKey);
		expect(fake().requests).toHaveLength(1);
	});

	test('HTTP 200 with a status that is not OK is a failure with the provider\'s message', async () => {
		fake().failNext({ path: '/api/v2/createSubscriberList', status: 200, body: { status: 'error', message: 'List name already exists' } });
		const { error, items } = await smsBy.run({ resource: 'mailingList', operation: 'create', listName: 'Customers' });
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('SMS.by refused the request to "Creating a new mailing list": List name already exists');
		expect(error?.description).toContain('SMS.by answered with HTTP 200 but reported a failure.');
	});

	test.each([
		[400, 'The subject field is required.', 'Incorrect request'],
		[404, 'Mailing list 99 not found', 'Page not found'],
		[421, 'Sender address is not confirmed', 'Data not verified'],
	])('HTTP %i: the message and the documented meaning', async (status, message, meaning) => {
		fake().failNext({ path: '/api/v2/sendEmail', status, body: { status: 'error', message } });
		const { error } = await smsBy.run(sendOne);
		expect(error?.message).toBe(`SMS.by refused the request to "Sending a letter to the specified address": ${message} (${meaning}) [error code ${status}]`);
		expect(fake().requests).toHaveLength(1);
	});

	test('HTTP 421 in the docs\' own words ("Data not verified") still says to check the API key', async () => {
		fake().failNext({ path: '/api/v2/sendEmail', status: 421, body: { status: 'error', message: 'Data not verified' } });
		const { error } = await smsBy.run(sendOne);
		expect(error?.description).toContain('SMS.by answers 421 for an API key it does not accept');
		expect(error?.description).toContain('Check the API key and the Base URL of the "SMS.by API" credential');
	});

	test('HTTP 429 is sent again: the letter goes out once', async () => {
		fake().failNext({ path: '/api/v2/sendEmail', status: 429, body: { status: 'error', message: 'Request limit exceeded' }, headers: { 'retry-after': '0' } });
		const { error, items } = await smsBy.run(sendOne);
		expect(error).toBeUndefined();
		expect(fake().requests.map((request) => request.path)).toEqual(['/api/v2/sendEmail', '/api/v2/sendEmail']);
		expect(fake().state.letters).toHaveLength(1);
		expect(items[0].json).toEqual({ status: 'OK', result: { email_id: fake().state.letters[0].email_id } });
	});

	test('HTTP 500 on a send is not sent again (the letter may be out); a read is', async () => {
		fake().failNext({ path: '/api/v2/sendEmail', status: 500 });
		const send = await smsBy.run(sendOne);
		expect(send.error?.message).toBe('SMS.by refused the request to "Sending a letter to the specified address": Server is not available [error code 500]');
		expect(fake().requests).toHaveLength(1);

		fake().requests.length = 0;
		fake().failNext({ path: '/api/v2/getEmailTemplates', status: 500, headers: { 'retry-after': '0' } });
		const read = await smsBy.run({ resource: 'template', operation: 'getAll', returnAll: true });
		expect(read.error).toBeUndefined();
		expect(fake().requests).toHaveLength(2);
		expect(read.items.map((item) => item.json.id)).toEqual([11, 12]);
	});

	test.each([
		['a bad recipient', { ...sendOne, email: 'jane@' }, /^Recipient Email: .* \(item 1\)$/],
		['an attachment the item does not have', { ...sendOne, additionalFields: { attachment: 'invoice' } }, /^Attachment: item has no binary property "invoice" \(item 1\)$/],
		['a mailing list ID that is not one', { resource: 'subscription', operation: 'unsubscribe', email: 'a@example.org', additionalFields: { listIds: '12, all' } }, /^Mailing List IDs: "all" is not a mailing list ID \(item 1\)$/],
		['a recipient list without addresses', { resource: 'bulk', operation: 'send', senderEmail: 'from@example.com', recipients: ' , ', subject: 's', message: 'm' }, /^Recipients: has no address \(item 1\)$/],
		['a Send At that is no date', { ...sendOne, additionalFields: { sendAt: 'tomorrow' } }, /^Send At: "tomorrow" is not a valid date \(item 1\)$/],
	])('%s is refused before anything is sent', async (_case, parameters, message) => {
		const { error } = await smsBy.run(parameters);
		expect(error?.message).toMatch(message);
		expect(fake().requests).toHaveLength(0);
	});

	test('Continue On Fail: each refused item is its own error item, paired, and the others are sent', async () => {
		const items = [{ json: { to: 'a@example.org' } }, { json: { to: 'bad@' } }, { json: { to: 'c@example.org' } }];
		const { items: output, error } = await smsBy.run({ ...sendOne, email: '={{ $json.to }}' }, { items, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toMatch(/^Recipient Email: .* \(item 2\)$/);
		expect(fake().state.letters.map((letter: { email: string }) => letter.email)).toEqual(['a@example.org', 'c@example.org']);
	});
});

describe("Send At in the workflow's time zone", () => {
	test.each([
		['2026-03-01T06:30:00Z', 'Europe/Minsk', '2026-03-01 09:30'],
		['2026-07-01T10:05:00Z', 'Europe/Berlin', '2026-07-01 12:05'],
		['2026-01-15T10:05:59Z', 'America/New_York', '2026-01-15 05:05'],
		['2026-01-15T10:05:00Z', undefined, '2026-01-15 10:05'],
	])('%s in %s is %s', (instant, zone, expected) => {
		expect(formatZonedMinute(new Date(instant), zone)).toBe(expected);
	});
});
