/**
 * Behaviour of the Email Gateway node per resource, through n8n's engine against the fake server:
 * Send Email body building, paging of the two event lists, Limit on lists, several input items and
 * Continue On Fail.
 */
import type { IDataObject, IPairedItemData, IVersionedNodeType } from 'n8n-workflow';

import { EmailGatewayV1 } from '../../nodes/EmailGateway/v1/EmailGatewayV1';
import { nodeTypes, PACKAGE } from '../harness/engine';
import { sendParameters, useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'operations-account-key-91c2';

const { server, requests, run } = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY });
const lastSent = () => server().state.sentEmails[server().state.sentEmails.length - 1];
/** Runs an operation both keys serve with the sender-domain key (Authentication option). */
const senderKey = { authentication: 'emailGatewaySenderApi' };

/** Events of a domain as the fake returns them (oldest first). */
const eventsOf = (domainId: string) =>
	(server().state.events as IDataObject[])
		.filter((event) => event.domainId === domainId)
		.sort((a, b) => (a.timestamp as number) - (b.timestamp as number));

beforeAll(() => {
	// 260 events on example.net (124), one per minute, so paging has three pages of 100.
	const base = Date.UTC(2025, 4, 1, 0, 0, 0) / 1000;
	for (let index = 0; index < 260; index++) {
		server().addEvent('124', {
			event: ['delivery', 'open', 'click', 'bounce'][index % 4],
			email: `reader${index}@example.org`,
			messageId: `paging_${index}`,
			timestamp: base + index * 60,
		});
	}
});

describe('Send Email', () => {
	test('From, To, CC, BCC and Reply-To lists, with "Name <email>" parsing', async () => {
		const result = await run(
			sendParameters(
				{ to: 'Jane Doe <jane@example.org>, joe@example.org; "Doe, John" <john@example.org>\n<ann@example.org>' },
				{
					cc: 'Carl <carl@example.org>',
					bcc: 'b1@example.org, "B. Two" <b2@example.org>',
					replyTo: 'Support Team <support@example.com>',
				},
			),
		);

		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		const email = lastSent();
		expect(email.from).toEqual({ email: 'news@example.com', name: 'Example News' });
		expect(email.to).toEqual([
			{ email: 'jane@example.org', name: 'Jane Doe' },
			{ email: 'joe@example.org', name: 'joe@example.org' },
			{ email: 'john@example.org', name: 'Doe, John' },
			{ email: 'ann@example.org', name: 'ann@example.org' },
		]);
		expect(email.cc).toEqual([{ email: 'carl@example.org', name: 'Carl' }]);
		expect(email.bcc).toEqual([
			{ email: 'b1@example.org', name: 'b1@example.org' },
			{ email: 'b2@example.org', name: 'B. Two' },
		]);
		expect(email.replyTo).toEqual([{ email: 'support@example.com', name: 'Support Team' }]);
		// BCC and Reply-To must be arrays for the provider (errors 24 / 28 otherwise).
		expect(Array.isArray(requests()[0].body.BCC)).toBe(true);
		expect(Array.isArray(requests()[0].body.ReplyTo)).toBe(true);
		expect(result.items).toEqual([{ json: { MessageID: email.messageId }, pairedItem: { item: 0 } }]);
	});

	test('HTML content with a plain-text alternative', async () => {
		const result = await run(sendParameters({ contentType: 'html', content: '<h1>Hi</h1>' }, { plainContent: 'Hi' }));
		expect(result.error).toBeUndefined();
		const email = lastSent();
		expect(email).toMatchObject({ contentType: 'html', htmlContent: '<h1>Hi</h1>', plainContent: 'Hi' });
		expect(requests()[0].body.ContentType).toBe('html');
	});

	test('plain text content goes to PlainContent only', async () => {
		const result = await run(sendParameters({ contentType: 'plain', content: 'Just text' }));
		expect(result.error).toBeUndefined();
		const email = lastSent();
		expect(email).toMatchObject({ contentType: 'plain', plainContent: 'Just text' });
		expect(email.htmlContent).toBeUndefined();
		expect(requests()[0].body).not.toHaveProperty('HtmlContent');
		expect(requests()[0].body).not.toHaveProperty('Content');
	});

	test('tags, headers JSON, TrackLinks / TrackOpens and SendAt', async () => {
		const result = await run(
			sendParameters(
				{},
				{
					tags: 'welcome, onboarding, ,',
					headers: '{"X-Campaign": "spring", "X-Customer-Id": "42"}',
					trackLinks: false,
					trackOpens: true,
					sendAt: '2026-03-01T14:30:00+02:00',
				},
			),
		);
		expect(result.error).toBeUndefined();
		const email = lastSent();
		expect(email.tags).toEqual(['welcome', 'onboarding']);
		expect(email.headers).toEqual({ 'X-Campaign': 'spring', 'X-Customer-Id': '42' });
		// Octeth's reference: the strings "true" / "false", and SendAt as a Unix timestamp.
		expect(email.trackLinks).toBe('false');
		expect(email.trackOpens).toBe('true');
		expect(email.sendAt).toBe(Date.UTC(2026, 2, 1, 12, 30) / 1000);
		expect(requests()[0].body.Tags).toEqual(['welcome', 'onboarding']);
	});

	test('headers as name/value pairs, and merged with Headers (JSON) where both are set (JSON wins per name)', async () => {
		const pairs = { values: [{ name: 'X-Campaign', value: 'autumn' }, { name: 'X-Team', value: '={{ "growth" }}' }] };
		const onlyPairs = await run(sendParameters({}, { customHeaders: pairs }));
		expect(onlyPairs.error).toBeUndefined();
		expect(lastSent().headers).toEqual({ 'X-Campaign': 'autumn', 'X-Team': 'growth' });
		const both = await run(sendParameters({}, { customHeaders: pairs, headers: '{"X-Campaign": "spring", "X-Customer-Id": "42"}' }));
		expect(both.error).toBeUndefined();
		expect(lastSent().headers).toEqual({ 'X-Campaign': 'spring', 'X-Team': 'growth', 'X-Customer-Id': '42' });
	});

	test('SendAt written as "YYYY-MM-DD HH:MM" is read as UTC', async () => {
		const result = await run(sendParameters({}, { sendAt: '2026-07-04 09:05' }));
		expect(result.error).toBeUndefined();
		expect(lastSent().sendAt).toBe(Date.UTC(2026, 6, 4, 9, 5) / 1000);
	});

	test('Send At from the date picker (no offset) is the time in the workflow time zone, sent as UTC', async () => {
		// The harness's workflow sets no time zone, so n8n's default applies; the subject shows which.
		const winter = await run(sendParameters({ subject: '={{ $now.zoneName }}' }, { sendAt: '2026-03-01T14:30:00' }));
		expect(winter.error).toBeUndefined();
		expect(lastSent().subject).toBe('America/New_York');
		expect(lastSent().sendAt).toBe(Date.UTC(2026, 2, 1, 19, 30) / 1000); // EST, UTC-5
		const summer = await run(sendParameters({}, { sendAt: '2026-07-01T14:30:00' }));
		expect(summer.error).toBeUndefined();
		expect(lastSent().sendAt).toBe(Date.UTC(2026, 6, 1, 18, 30) / 1000); // EDT, UTC-4
	});

	test('attachments come from the binary data of the item', async () => {
		const pdf = Buffer.from('%PDF-1.4 fake invoice \u00e9\u00e8', 'utf8');
		const text = Buffer.from('hello attachment', 'utf8');
		const result = await run(sendParameters({}, { attachments: 'data, invoice' }), {
			items: [
				{
					json: { id: 1 },
					binary: {
						data: { data: text.toString('base64'), mimeType: 'text/plain', fileName: 'hello.txt' },
						invoice: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice-42.pdf' },
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		const attachments = lastSent().attachments as IDataObject[];
		expect(attachments).toEqual([
			{ fileName: 'hello.txt', contentType: 'text/plain', disposition: 'attachment', content: text.toString('base64'), size: text.length },
			{ fileName: 'invoice-42.pdf', contentType: 'application/pdf', disposition: 'attachment', content: pdf.toString('base64'), size: pdf.length },
		]);
		expect(Buffer.from(attachments[1].content as string, 'base64').equals(pdf)).toBe(true);
	});

	test('a send to a subscriber list needs no To; without either, nothing is sent', async () => {
		const toList = await run(sendParameters({ to: '' }, { targetListId: '7', templateId: '12', journeyId: '3', actionId: '4' }));
		expect(toList.error).toBeUndefined();
		const body = requests()[0].body;
		expect(body.To).toBeUndefined();
		expect(body).toMatchObject({ TargetListID: 7, TemplateID: 12, JourneyID: 3, ActionID: 4 });
		expect(lastSent().targetListId).toBe('7');
		expect(lastSent().templateId).toBe(12);

		const before = requests().length;
		const neither = await run(sendParameters({ to: '' }));
		expect(neither.error?.message).toBe('To: has no recipient (item 1)');
		expect(requests()).toHaveLength(before);
	});

	test('a template supplies the body: Content may stay empty only when a Template ID is set', async () => {
		const templated = await run(sendParameters({ content: '' }, { templateId: '21' }));
		expect(templated.error).toBeUndefined();
		const body = requests()[0].body;
		expect(body.TemplateID).toBe(21);
		expect(body.HtmlContent).toBeUndefined();
		expect(body.HTMLContent).toBeUndefined();

		const before = requests().length;
		const empty = await run(sendParameters({ content: '' }));
		expect(empty.error?.message).toBe('Content: is required but empty (item 1)');
		expect(requests()).toHaveLength(before);
	});

	test('HTML goes out once, under HTMLContent (Octeth\'s reference and error 10), not under both names', async () => {
		const result = await run(sendParameters({ content: '<h1>Hi</h1>' }));
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(requests()[0].body.HTMLContent).toBe('<h1>Hi</h1>');
		expect(requests()[0].body).not.toHaveProperty('HtmlContent');
		expect(lastSent().htmlContent).toBe('<h1>Hi</h1>');
	});

	describe('the HTML key the API reads', () => {
		afterEach(() => {
			server().state.htmlContentName = 'either';
		});
		const threeItems = ['ann@example.org', 'bob@example.org', 'cid@example.org'].map((to) => ({ json: { to } }));
		const oneAtATime = { requestOptions: { oneAtATime: true } };

		test('an API that reads HtmlContent: error 10 once, resent once as HtmlContent, the rest of the run sends HtmlContent', async () => {
			server().state.htmlContentName = 'HtmlContent';
			const sentBefore = server().state.sentEmails.length;
			const result = await run({ ...sendParameters({ to: '={{ $json.to }}', content: '<p>Hi</p>' }), ...oneAtATime }, { items: threeItems });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(3);
			const keys = requests().map((request) => Object.keys(request.body).filter((key) => /^htmlcontent$/i.test(key)));
			expect(keys).toEqual([['HTMLContent'], ['HtmlContent'], ['HtmlContent'], ['HtmlContent']]);
			// Each mail went out exactly once.
			expect(server().state.sentEmails.slice(sentBefore).map((email: IDataObject) => (email.to as IDataObject[])[0].email)).toEqual(threeItems.map((item) => item.json.to));
		});

		test('an API that reads HTMLContent: one request per mail, never a resend', async () => {
			server().state.htmlContentName = 'HTMLContent';
			const result = await run({ ...sendParameters({ to: '={{ $json.to }}', content: '<p>Hi</p>' }), ...oneAtATime }, { items: threeItems });
			expect(result.error).toBeUndefined();
			expect(requests()).toHaveLength(3);
			for (const request of requests()) expect(request.body).not.toHaveProperty('HtmlContent');
		});

		test('error 10 under both names: reported as the provider error after one resend, nothing sent', async () => {
			const sentBefore = server().state.sentEmails.length;
			server().failNext({ path: '/api/v1/email', status: 422, body: { Errors: [{ Code: 10, Message: 'Missing HTMLContent' }] }, times: 2 });
			const result = await run(sendParameters({ content: '<p>Hi</p>' }));
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toContain('error code 10');
			expect(requests()).toHaveLength(2);
			expect(server().state.sentEmails.length).toBe(sentBefore);
		});
	});

	test('each input item sends its own email, paired with its item', async () => {
		const items = ['ann@example.org', 'bob@example.org', 'cid@example.org'].map((to, index) => ({
			json: { to, subject: `Subject ${index}` },
		}));
		const result = await run(sendParameters({ to: '={{ $json.to }}', subject: '={{ $json.subject }}' }), { items });
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(3);
		expect(result.items).toHaveLength(3);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const email = server().state.sentEmails.find((candidate: IDataObject) => candidate.messageId === item.json.MessageID);
			expect(email.to).toEqual([{ email: items[index].json.to, name: items[index].json.to }]);
			expect(email.subject).toBe(`Subject ${index}`);
		});
	});
});

describe('Get Events (account API key) paging', () => {
	const eventParameters = (extra: IDataObject) => ({ resource: 'event', operation: 'getAll', domainId: '124', ...extra });

	test('Return All pages through StartFrom / RetrieveCount, 100 at a time', async () => {
		const expected = eventsOf('124');
		expect(expected.length).toBe(260);

		const result = await run(eventParameters({ returnAll: true }));

		expect(result.error).toBeUndefined();
		const pages = requests();
		expect(pages.map((request) => request.command)).toEqual(['EmailGateway.GetEvents', 'EmailGateway.GetEvents', 'EmailGateway.GetEvents']);
		expect(pages.map((request) => [Number(request.body.StartFrom), Number(request.body.RetrieveCount)])).toEqual([
			[0, 100],
			[100, 100],
			[200, 100],
		]);
		expect(result.items.map((item) => item.json.id)).toEqual(expected.map((event) => event.id));
		expect(result.items.every((item) => (item.pairedItem as IPairedItemData).item === 0)).toBe(true);
	});

	test('Limit 30 gives 30 events with one request', async () => {
		const result = await run(eventParameters({ returnAll: false, limit: 30 }));
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(Number(requests()[0].body.RetrieveCount)).toBe(30);
		expect(result.items.map((item) => item.json.id)).toEqual(eventsOf('124').slice(0, 30).map((event) => event.id));
	});

	test('Limit 150 takes a full page and then only what is missing', async () => {
		const result = await run(eventParameters({ returnAll: false, limit: 150 }));
		expect(result.error).toBeUndefined();
		expect(requests().map((request) => [Number(request.body.StartFrom), Number(request.body.RetrieveCount)])).toEqual([
			[0, 100],
			[100, 50],
		]);
		expect(result.items.map((item) => item.json.id)).toEqual(eventsOf('124').slice(0, 150).map((event) => event.id));
	});

	test('filters are sent as the provider expects and the answer is what the fake holds', async () => {
		const result = await run(
			eventParameters({ returnAll: true, additionalFields: { event: 'bounce', startDate: '2025-05-01T10:00:00Z', endDate: '2025-05-01' } }),
		);
		expect(result.error).toBeUndefined();
		expect(requests()[0].body).toMatchObject({ Event: 'bounce', StartDate: '2025-05-01', EndDate: '2025-05-01' });
		const expected = eventsOf('124').filter((event) => event.event === 'bounce');
		expect(result.items.map((item) => item.json.id)).toEqual(expected.map((event) => event.id));
	});
});

describe('day filters keep the day that was picked', () => {
	// A picked day must not move to the day before or after when converted to UTC (n8n hands over
	// "2024-01-15T00:00:00" in the server's zone, or an ISO text with the workflow's offset).
	// Run with TZ=Europe/Berlin or TZ=America/Los_Angeles to check the offset-less forms too.
	test.each([
		'2024-01-15',
		'2024-01-15T00:00:00',
		'2024-01-15T23:30:00',
		'2024-01-15T00:00:00+14:00',
		'2024-01-15T23:30:00-08:00',
		// A luxon DateTime from an expression, in a zone ahead of UTC.
		"={{ DateTime.fromISO('2024-01-15T00:30:00', { zone: 'Asia/Tokyo' }) }}",
	])(
		'Start / End Date %s are sent as 2024-01-15',
		async (picked) => {
			const result = await run({ resource: 'event', operation: 'getAll', domainId: '123', returnAll: true, additionalFields: { startDate: picked, endDate: picked } });
			expect(result.error).toBeUndefined();
			expect(requests()[0].body).toMatchObject({ StartDate: '2024-01-15', EndDate: '2024-01-15' });
			// The seeded events of 123 are all on 2024-01-15 (UTC): they are all found.
			expect(result.items.map((item) => item.json.id)).toEqual(eventsOf('123').map((event) => event.id));
		},
	);
});

describe('Get Events (sender API key, /api/v1/events) paging', () => {
	const v1Parameters = (extra: IDataObject) => ({ ...senderKey, resource: 'event', operation: 'getAll', ...extra });

	test('Return All pages through the query string, 100 at a time', async () => {
		const result = await run(v1Parameters({ returnAll: true }), { senderDomain: '124' });
		expect(result.error).toBeUndefined();
		const pages = requests();
		expect(pages.every((request) => request.method === 'GET' && request.path === '/api/v1/events')).toBe(true);
		expect(pages.map((request) => [request.query.StartFrom, request.query.RetrieveCount])).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);
		expect(pages.every((request) => request.headers.authorization === `Bearer ${server().senderKeyFor('124')}`)).toBe(true);
		expect(result.items.map((item) => item.json.EventId)).toEqual(eventsOf('124').map((event) => event.id));
	});

	test('Limit 30 gives 30 events with one request', async () => {
		const result = await run(v1Parameters({ returnAll: false, limit: 30 }), { senderDomain: '124' });
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		expect(requests()[0].query).toMatchObject({ StartFrom: '0', RetrieveCount: '30' });
		expect(result.items.map((item) => item.json.EventId)).toEqual(eventsOf('124').slice(0, 30).map((event) => event.id));
	});

	test('Start / End Date from the date picker (no offset) are read in the workflow time zone', async () => {
		// 01:00 in New York (EDT) on 2025-05-01 is 05:00 UTC.
		const from = Date.UTC(2025, 4, 1, 5, 0, 0) / 1000;
		const to = Date.UTC(2025, 4, 1, 5, 30, 0) / 1000;
		const result = await run(v1Parameters({ returnAll: true, additionalFields: { startDate: '2025-05-01T01:00:00', endDate: '2025-05-01T01:30:00' } }), {
			senderDomain: '124',
		});
		expect(result.error).toBeUndefined();
		expect(requests()[0].query).toMatchObject({ StartDate: String(from), EndDate: String(to) });
		const expected = eventsOf('124').filter((event) => (event.timestamp as number) >= from && (event.timestamp as number) <= to);
		expect(result.items.map((item) => item.json.EventId)).toEqual(expected.map((event) => event.id));
	});

	test('Start / End Date are sent as unix timestamps', async () => {
		const from = Date.UTC(2025, 4, 1, 1, 0, 0) / 1000;
		const to = Date.UTC(2025, 4, 1, 1, 30, 0) / 1000;
		const result = await run(
			v1Parameters({ returnAll: true, additionalFields: { startDate: '2025-05-01T01:00:00Z', endDate: '2025-05-01T01:30:00Z' } }),
			{ senderDomain: '124' },
		);
		expect(result.error).toBeUndefined();
		expect(requests()[0].query).toMatchObject({ StartDate: String(from), EndDate: String(to) });
		const expected = eventsOf('124').filter((event) => (event.timestamp as number) >= from && (event.timestamp as number) <= to);
		expect(expected).toHaveLength(31);
		expect(result.items.map((item) => item.json.EventId)).toEqual(expected.map((event) => event.id));
	});
});

describe('lists with Limit', () => {
	test('Get Many domains with Limit 1 returns the first domain only', async () => {
		const result = await run({ resource: 'domain', operation: 'getAll', returnAll: false, limit: 1 });
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		const first = server().state.domains[0];
		expect(result.items.map((item) => item.json)).toEqual([{ DomainID: first.id, DomainName: first.name, Verified: first.verified, Active: first.active }]);
	});

	test('Get Many webhooks (sender key) with Limit 2 of 3', async () => {
		for (const event of ['delivered', 'opened', 'clicked']) {
			const created = await run({ ...senderKey, resource: 'webhook', operation: 'create', senderEvent: event, webhookUrl: `https://hooks.example.org/${event}` });
			expect(created.error).toBeUndefined();
		}
		server().clearRequests();
		const result = await run({ ...senderKey, resource: 'webhook', operation: 'getAll', returnAll: false, limit: 2 });
		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(1);
		const expected = (server().state.webhooks as IDataObject[]).filter((webhook) => webhook.domainId === '123').slice(0, 2);
		expect(expected).toHaveLength(2);
		expect(result.items.map((item) => item.json.WebhookID)).toEqual(expected.map((webhook) => webhook.id));
	});
});

describe('several input items', () => {
	test('list outputs stay in input order and are paired with the item they came from', async () => {
		const result = await run(
			{ resource: 'event', operation: 'getAll', domainId: '={{ $json.domain }}', returnAll: false, limit: '={{ $json.limit }}' },
			{ items: [{ json: { domain: '123', limit: 50 } }, { json: { domain: '124', limit: 5 } }, { json: { domain: '123', limit: 2 } }] },
		);
		expect(result.error).toBeUndefined();
		const seeded = eventsOf('123').map((event) => event.id);
		expect(result.items.map((item) => [item.json.id, (item.pairedItem as IPairedItemData).item])).toEqual([
			...seeded.map((id) => [id, 0]),
			...eventsOf('124').slice(0, 5).map((event) => [event.id, 1]),
			...seeded.slice(0, 2).map((id) => [id, 2]),
		]);
		expect(requests().map((request) => request.body.DomainID).sort()).toEqual(['123', '123', '124']);
	});
});

describe('Continue On Fail', () => {
	test('bad input of one item becomes an error item; the other items are still sent', async () => {
		const items = [{ json: { to: 'ok1@example.org' } }, { json: { to: 'not-an-email' } }, { json: { to: 'ok2@example.org' } }];
		const result = await run(sendParameters({ to: '={{ $json.to }}' }), { items, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json.error).toEqual(expect.stringContaining('To'));
		expect(result.items[1].json.error).toEqual(expect.stringContaining('not-an-email'));
		expect(result.items[1].json).not.toHaveProperty('MessageID');
		// Only the two valid items reached the provider.
		const sentTo = requests().map((request) => (request.body.To as IDataObject[]).map((recipient) => recipient.email));
		expect(sentTo.sort()).toEqual([['ok1@example.org'], ['ok2@example.org']]);
		for (const index of [0, 2]) {
			const email = server().state.sentEmails.find((candidate: IDataObject) => candidate.messageId === result.items[index].json.MessageID);
			expect(email.to[0].email).toBe(items[index].json.to);
		}
	});

	test('a provider refusal of one item becomes an error item with its code; the others succeed', async () => {
		const items = [{ json: { to: 'ok3@example.org' } }, { json: { to: 'suppressed@example.com' } }, { json: { to: 'ok4@example.org' } }];
		const result = await run(sendParameters({ to: '={{ $json.to }}' }), { items, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(requests()).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json.error).toEqual(expect.stringContaining('suppression list'));
		expect(result.items[1].json.error).toEqual(expect.stringContaining('error code 14'));
		const stored = (server().state.sentEmails as IDataObject[]).flatMap((email) => (email.to as IDataObject[]).map((to) => to.email));
		expect(stored).toEqual(expect.arrayContaining(['ok3@example.org', 'ok4@example.org']));
		expect(stored).not.toContain('suppressed@example.com');
		expect(typeof result.items[0].json.MessageID).toBe('string');
		expect(typeof result.items[2].json.MessageID).toBe('string');
	});
});

describe('Authentication', () => {
	test('an operation only the account key serves, run with the sender key chosen, says what to do; nothing is sent', async () => {
		// Only reachable by an expression or a hand-edited workflow: the editor lists under Sender API Key only what that key serves.
		const result = await run({ ...senderKey, resource: 'webhook', operation: 'regenerateSigningKey', domainId: '123' });
		expect(result.error?.message).toBe(
			'Credential: "Regenerate Signing Key" (webhook) works with the Account API Key credential, not the Sender API Key (item 1)',
		);
		// The editor shows no Authentication field: the Credential dropdown's pick sets it.
		expect(result.error?.description).toBe('Under Credential, pick a credential of the Account API Key type (its type sets Authentication).');
		expect(requests()).toEqual([]);
	});

	test('the sender key, where the operation offers it, is the one sent', async () => {
		const result = await run({ ...senderKey, resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(requests().map((request) => [request.path, request.headers.authorization, request.body.APIKey])).toEqual([
			['/api/v1/webhooks', `Bearer ${server().senderKeyFor('123')}`, undefined],
		]);
	});
});

describe('a workflow saved with version 1', () => {
	test('runs version 1 of the versioned node, which is also the default', () => {
		const node = nodeTypes.getByName(`${PACKAGE}.emailGateway`) as IVersionedNodeType;
		expect(node.description.defaultVersion).toBe(1);
		expect(Object.keys(node.nodeVersions)).toEqual(['1']);
		expect(nodeTypes.getByNameAndVersion(`${PACKAGE}.emailGateway`, 1)).toBeInstanceOf(EmailGatewayV1);
	});

	test('keeps running as saved before Authentication and the Domain locator existed', async () => {
		// As the earlier description saved it: the domain dropdown's plain ID, no Authentication parameter.
		const saved = { resource: 'webhook', operation: 'create', domainId: '123', event: 'open', webhookUrl: 'https://hooks.example.org/saved-v1' };
		const result = await run(saved);
		expect(result.error).toBeUndefined();
		expect(requests().map((request) => [request.command, request.body.DomainID, request.body.APIKey])).toEqual([['EmailGateway.AddWebhook', '123', ACCOUNT_KEY]]);
		const webhook = (server().state.webhooks as IDataObject[]).find((candidate) => candidate.url === 'https://hooks.example.org/saved-v1');
		expect(webhook).toMatchObject({ domainId: '123', event: 'open', source: 'command' });
		expect(result.items[0].json.NewWebhookID).toBe(webhook!.id);
	});

	test('reads a Domain picked from the list like one given by ID', async () => {
		const picked = await run({ resource: 'domain', operation: 'get', domainId: { __rl: true, mode: 'list', value: '124', cachedResultName: 'second.example.org' } });
		expect(picked.error).toBeUndefined();
		const byId = await run({ resource: 'domain', operation: 'get', domainId: { __rl: true, mode: 'id', value: '124' } });
		expect(byId.error).toBeUndefined();
		expect(requests().map((request) => request.body.DomainID)).toEqual(['124', '124']);
		expect(String((picked.items[0].json.Domain as IDataObject).DomainID)).toBe('124');
	});
});
