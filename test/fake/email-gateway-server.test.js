'use strict';
// Proves the fake Email Gateway (Octeth) server behaves as the provider documentation (seed 003) says.
const http = require('node:http');
const crypto = require('node:crypto');
const { startEmailGatewayServer } = require('./email-gateway-server.js');

const ACCOUNT_KEY = 'acc-key';

async function command(server, params, { form = false } = {}) {
	const body = form
		? new URLSearchParams(params).toString()
		: JSON.stringify(params);
	const res = await fetch(`${server.url}/api.php`, {
		method: 'POST',
		headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
		body,
	});
	return { status: res.status, json: await res.json() };
}

const cmd = (server, name, params = {}) => command(server, { APIKey: ACCOUNT_KEY, Command: name, ...params });

async function v1(server, method, path, { key, body, query, headers = {} } = {}) {
	const h = { ...headers };
	if (key) h.Authorization = `Bearer ${key}`;
	if (body !== undefined) h['Content-Type'] = h['Content-Type'] || 'application/json';
	const qs = query ? `?${new URLSearchParams(query)}` : '';
	const res = await fetch(`${server.url}${path}${qs}`, {
		method,
		headers: h,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** A local webhook receiver that records raw bodies and headers. */
async function startReceiver() {
	const received = [];
	const srv = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(200, { 'Content-Type': 'text/plain' });
			res.end('ok');
		});
	});
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${srv.address().port}`,
		received,
		close: () => new Promise((r) => srv.close(r)),
	};
}

const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest('hex');

describe('fake Email Gateway server', () => {
	let server;

	beforeEach(async () => {
		server = await startEmailGatewayServer({ accountApiKey: ACCOUNT_KEY, sessionId: 'sess-1' });
	});

	afterEach(async () => {
		await server.close();
	});

	describe('/api.php authentication and dispatch', () => {
		test('missing or wrong APIKey/SessionID → HTTP 200 ErrorCode 99998', async () => {
			for (const params of [
				{ Command: 'EmailGateway.GetDomains' },
				{ Command: 'EmailGateway.GetDomains', APIKey: 'wrong' },
				{ Command: 'EmailGateway.GetDomains', SessionID: 'wrong' },
			]) {
				const r = await command(server, params);
				expect(r.status).toBe(200);
				expect(r.json).toEqual({
					Success: false,
					ErrorCode: 99998,
					ErrorMessage: 'Authentication failed: invalid API key or session',
				});
			}
		});

		test('APIKey or SessionID authenticate; Command is case-insensitive; JSON and urlencoded bodies', async () => {
			const a = await command(server, { APIKey: ACCOUNT_KEY, Command: 'EmailGateway.GetDomains' });
			const b = await command(server, { SessionID: 'sess-1', Command: 'emailgateway.getdomains' }, { form: true });
			expect(a.json).toEqual(b.json);
			expect(a.json).toEqual({
				Success: true,
				ErrorCode: 0,
				Domains: [
					{ DomainID: '123', DomainName: 'example.com', Verified: true, Active: true },
					{ DomainID: '124', DomainName: 'example.net', Verified: false, Active: false },
				],
			});
		});

		test('unknown command → 99999', async () => {
			const r = await cmd(server, 'EmailGateway.NoSuchThing');
			expect(r.status).toBe(200);
			expect(r.json).toEqual({ Success: false, ErrorCode: 99999, ErrorMessage: 'Unknown command' });
		});

		test('records every request, including rejected ones', async () => {
			server.clearRequests();
			await command(server, { Command: 'EmailGateway.GetDomains', APIKey: 'nope' }, { form: true });
			await v1(server, 'GET', '/api/v1/webhooks', { query: { a: '1' } });
			expect(server.requests).toHaveLength(2);
			expect(server.requests[0]).toMatchObject({
				method: 'POST',
				path: '/api.php',
				command: 'EmailGateway.GetDomains',
				body: { Command: 'EmailGateway.GetDomains', APIKey: 'nope' },
				rawBody: 'Command=EmailGateway.GetDomains&APIKey=nope',
			});
			expect(server.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
			expect(server.requests[1]).toMatchObject({ method: 'GET', path: '/api/v1/webhooks', query: { a: '1' } });
		});
	});

	describe('documented command errors (HTTP 200, Success:false)', () => {
		test('AddDomain 1/2/3 and success', async () => {
			expect((await cmd(server, 'EmailGateway.AddDomain')).json).toEqual({
				Success: false,
				ErrorCode: 1,
				ErrorMessage: 'Missing required parameter: DomainName',
			});
			const bad = await cmd(server, 'EmailGateway.AddDomain', { DomainName: 'not a domain' });
			expect(bad.status).toBe(200);
			expect(bad.json).toMatchObject({ Success: false, ErrorCode: 2, ErrorMessage: 'Invalid domain name provided' });
			const okRes = await cmd(server, 'EmailGateway.AddDomain', { DomainName: 'new-domain.org' });
			expect(okRes.json).toMatchObject({
				Success: true,
				ErrorCode: 0,
				NewSenderDomainID: 125,
				Domain: { DomainName: 'new-domain.org', VerificationStatus: 'Pending' },
			});
			for (let i = 0; i < 7; i++) await cmd(server, 'EmailGateway.AddDomain', { DomainName: `d${i}.org` });
			expect((await cmd(server, 'EmailGateway.AddDomain', { DomainName: 'eleven.org' })).json).toMatchObject({
				ErrorCode: 3,
				ErrorMessage: 'User has reached the maximum number of sender domains allowed',
			});
		});

		test('AddWebhook returns ErrorCode as an array', async () => {
			const r = await cmd(server, 'EmailGateway.AddWebhook', { Event: 'bounce', WebhookURL: 'https://h.example/x' });
			expect(r.json).toMatchObject({ Success: false, ErrorCode: [1], ErrorMessage: 'Missing required parameter DomainID' });
			const r2 = await cmd(server, 'EmailGateway.AddWebhook', { DomainID: '123', Event: 'bounced', WebhookURL: 'https://h.example/x' });
			expect(r2.json.ErrorCode).toEqual([3]);
			const r3 = await cmd(server, 'EmailGateway.AddWebhook', { DomainID: '999', Event: 'open' });
			expect(r3.json.ErrorCode).toEqual([4, 5]);
		});

		test('DeleteWebhook 1/2/4, DeleteSMTP by smtpid, GetDomain 2', async () => {
			expect((await cmd(server, 'EmailGateway.DeleteWebhook', { WebhookID: '1' })).json.ErrorCode).toBe(1);
			expect((await cmd(server, 'EmailGateway.DeleteWebhook', { WebhookID: '1', DomainID: '9' })).json.ErrorCode).toBe(2);
			expect((await cmd(server, 'EmailGateway.DeleteWebhook', { WebhookID: '777', DomainID: '123' })).json).toEqual({
				Success: false,
				ErrorCode: 4,
				ErrorMessage: 'Webhook not found or user does not have permission to access it',
			});
			const smtps = (await cmd(server, 'EmailGateway.GetSMTPs', { DomainID: 123 })).json.SMTPs;
			expect(smtps).toHaveLength(1);
			expect((await cmd(server, 'EmailGateway.DeleteSMTP', { SMTPID: smtps[0].SMTPID })).json.ErrorCode).toBe(1);
			expect((await cmd(server, 'EmailGateway.DeleteSMTP', { smtpid: smtps[0].SMTPID })).json).toEqual({ Success: true, ErrorCode: 0 });
			expect((await cmd(server, 'EmailGateway.DeleteSMTP', { smtpid: smtps[0].SMTPID })).json.ErrorCode).toBe(2);
			expect((await cmd(server, 'EmailGateway.GetDomain', { DomainID: '5' })).json).toEqual({
				Success: false,
				ErrorCode: 2,
				ErrorMessage: 'Unable to retrieve domain information',
			});
		});

		test('AddAPI creates a sender key usable as v1 Bearer; DeleteAPI revokes it', async () => {
			const add = await cmd(server, 'EmailGateway.AddAPI', { DomainID: '123', Description: 'ci' });
			expect(add.json).toMatchObject({ Success: true, ErrorCode: 0, APIKey: { DomainID: '123', Description: 'ci' } });
			const key = add.json.APIKey.Key;
			expect((await v1(server, 'GET', '/api/v1/webhooks', { key })).status).toBe(200);
			const list = (await cmd(server, 'EmailGateway.GetAPIs', { DomainID: '123' })).json.APIKeys;
			expect(list.map((k) => k.Key)).toContain(key);
			expect((await cmd(server, 'EmailGateway.DeleteAPI', { ApiKeyId: add.json.NewAPIKeyID })).json.Success).toBe(true);
			expect((await v1(server, 'GET', '/api/v1/webhooks', { key })).status).toBe(401);
		});
	});

	describe('events', () => {
		test('GetEvents: required fields 1/4/5, paging over TotalRecords, Event and date filters', async () => {
			expect((await cmd(server, 'EmailGateway.GetEvents', { StartFrom: 0, RetrieveCount: 5 })).json.ErrorCode).toBe(1);
			expect((await cmd(server, 'EmailGateway.GetEvents', { DomainID: 124, RetrieveCount: 5 })).json).toEqual({
				Success: false,
				ErrorCode: 4,
				ErrorMessage: 'Required parameter missing: StartFrom',
			});
			expect((await cmd(server, 'EmailGateway.GetEvents', { DomainID: 124, StartFrom: 0 })).json.ErrorCode).toBe(5);

			const base = Date.UTC(2024, 2, 1) / 1000; // 2024-03-01
			for (let i = 0; i < 7; i++) {
				server.addEvent('124', { event: i % 2 ? 'open' : 'delivery', email: `u${i}@x.org`, messageId: `m${i}`, timestamp: base + i * 86400 });
			}
			const seen = [];
			for (let from = 0; ; from += 3) {
				const r = await cmd(server, 'EmailGateway.GetEvents', { DomainID: '124', StartFrom: from, RetrieveCount: 3 });
				expect(r.json.TotalRecords).toBe(7);
				seen.push(...r.json.Events);
				if (from + 3 >= r.json.TotalRecords) break;
			}
			expect(seen.map((e) => e.recipient)).toEqual(['u0@x.org', 'u1@x.org', 'u2@x.org', 'u3@x.org', 'u4@x.org', 'u5@x.org', 'u6@x.org']);
			expect(seen[1]).toMatchObject({ event_type: 'open', timestamp: '2024-03-02T00:00:00Z', message: { headers: { 'message-id': 'm1' } } });

			const opens = await cmd(server, 'EmailGateway.GetEvents', { DomainID: '124', StartFrom: 0, RetrieveCount: 100, Event: 'open' });
			expect(opens.json.TotalRecords).toBe(3);
			const ranged = await cmd(server, 'EmailGateway.GetEvents', {
				DomainID: '124',
				StartFrom: 0,
				RetrieveCount: 500,
				StartDate: '2024-03-02',
				EndDate: '2024-03-04',
			});
			expect(ranged.json.TotalRecords).toBe(3);
			expect(ranged.json.Events.map((e) => e.recipient)).toEqual(['u1@x.org', 'u2@x.org', 'u3@x.org']);
		});

		test('GET /api/v1/events: query parameters, default 5, TotalRecords, MessageID filter', async () => {
			const key = server.senderKeyFor('124');
			for (let i = 0; i < 8; i++) server.addEvent('124', { event: 'click', email: `c${i}@x.org`, messageId: `mm${i % 2}`, timestamp: 1700000000 + i });
			const first = await v1(server, 'GET', '/api/v1/events', { key });
			expect(first.status).toBe(200);
			expect(first.json.TotalRecords).toBe(8);
			expect(first.json.Events).toHaveLength(5);
			expect(first.json.Events[0]).toEqual({
				EventId: expect.any(String),
				EventType: 'click',
				EventTimestamp: '2023-11-14T22:13:20Z',
				Recipient: 'c0@x.org',
				MessageId: 'mm0',
				CampaignId: null,
				Details: {},
			});
			const page = await v1(server, 'GET', '/api/v1/events', { key, query: { StartFrom: 6, RetrieveCount: 10 } });
			expect(page.json.Events.map((e) => e.Recipient)).toEqual(['c6@x.org', 'c7@x.org']);
			const byMsg = await v1(server, 'GET', '/api/v1/events', { key, query: { MessageID: 'mm1', Event: 'clicked', StartDate: '1700000002' } });
			expect(byMsg.json.TotalRecords).toBe(3);
		});
	});

	describe('/api/v1 authentication and rate limit', () => {
		test('missing Bearer → 401 code 1, unknown → 401 code 13', async () => {
			const missing = await v1(server, 'GET', '/api/v1/webhooks');
			expect(missing.status).toBe(401);
			expect(missing.json).toEqual({ Errors: [{ Code: 1, Message: 'Missing SenderAPIKey' }] });
			const unknown = await v1(server, 'POST', '/api/v1/email', { key: 'eg_live_nope', body: {} });
			expect(unknown.status).toBe(401);
			expect(unknown.json).toEqual({ Errors: [{ Code: 13, Message: 'Invalid SenderAPIKey' }] });
			// The account key is not a sender key.
			expect((await v1(server, 'GET', '/api/v1/events', { key: ACCOUNT_KEY })).status).toBe(401);
		});

		test('429 with Retry-After after the limit, per sender key, resets after the window', async () => {
			const s = await startEmailGatewayServer({ rateLimit: { limit: 3, windowMs: 400 } });
			try {
				const key = s.senderKeyFor('123');
				for (let i = 0; i < 3; i++) expect((await v1(s, 'GET', '/api/v1/webhooks', { key })).status).toBe(200);
				const limited = await v1(s, 'GET', '/api/v1/webhooks', { key });
				expect(limited.status).toBe(429);
				expect(limited.headers.get('retry-after')).toBe('1');
				expect(limited.json).toEqual({
					Errors: [{ Code: 429, Message: 'Too many requests. Wait for 1 seconds for another 3 attempts.' }],
				});
				expect((await v1(s, 'GET', '/api/v1/webhooks', { key: s.senderKeyFor('124') })).status).toBe(200);
				await new Promise((r) => setTimeout(r, 450));
				expect((await v1(s, 'GET', '/api/v1/webhooks', { key })).status).toBe(200);
			} finally {
				await s.close();
			}
		});
	});

	describe('failNext', () => {
		test('injects status, Retry-After and body, filtered by path, consumed in order', async () => {
			const key = server.senderKeyFor('123');
			server.failNext({ status: 429, retryAfter: '1', times: 2, path: '/api/v1/email' });
			server.failNext({ status: 503, body: 'down' });
			// /api.php is not filtered by the first fault: the second one applies.
			const down = await fetch(`${server.url}/api.php`, { method: 'POST' });
			expect(down.status).toBe(503);
			expect(await down.text()).toBe('down');
			for (let i = 0; i < 2; i++) {
				const r = await v1(server, 'POST', '/api/v1/email', { key, body: {} });
				expect(r.status).toBe(429);
				expect(r.headers.get('retry-after')).toBe('1');
				expect(r.json.Errors[0].Code).toBe(429);
			}
			const real = await v1(server, 'POST', '/api/v1/email', { key, body: {} });
			expect(real.status).toBe(422);
			expect(server.requests.filter((r) => r.path === '/api/v1/email')).toHaveLength(3);
		});

		test('destroy resets the connection without an answer', async () => {
			server.failNext({ destroy: true });
			await expect(fetch(`${server.url}/api/v1/webhooks`)).rejects.toThrow();
			expect(server.requests).toHaveLength(1);
			expect((await cmd(server, 'EmailGateway.GetDomains')).json.Success).toBe(true);
		});
	});

	describe('POST /api/v1/email', () => {
		const valid = {
			Subject: 'Hello World',
			ContentType: 'html',
			HtmlContent: '<p>Hello, World!</p>',
			From: { email: 'sender@example.com', name: 'John Doe' },
			To: [{ email: 'recipient@example.com', name: 'Jane Doe' }],
		};

		test('sends, stores with MessageID and attachments', async () => {
			const key = server.senderKeyFor('123');
			const content = Buffer.from('hello').toString('base64');
			const r = await v1(server, 'POST', '/api/v1/email', {
				key,
				body: { ...valid, Tags: ['welcome'], Attachments: [{ filename: 'a.txt', type: 'text/plain', content }] },
			});
			expect(r.status).toBe(200);
			expect(r.json.MessageID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(server.state.sentEmails).toHaveLength(1);
			expect(server.state.sentEmails[0]).toMatchObject({
				messageId: r.json.MessageID,
				domainId: '123',
				subject: 'Hello World',
				attachments: [{ fileName: 'a.txt', contentType: 'text/plain', content, size: 5 }],
				status: 'Queued',
			});
			expect((await cmd(server, 'EmailGateway.ClearDomainQueue', { DomainID: '123' })).json).toEqual({ Success: true, ErrorCode: 0 });
			expect(server.state.sentEmails[0].status).toBe('Failed');
		});

		test('documented validation codes, several at once, HTTP 422', async () => {
			const key = server.senderKeyFor('123');
			const r = await v1(server, 'POST', '/api/v1/email', {
				key,
				body: {
					ContentType: 'plain',
					From: { email: 'bad', name: 'X' },
					To: [{ email: 'no-name@example.com' }],
					BCC: 'b@example.com',
					ReplyTo: [{ email: 'bad', name: 'R' }],
					TargetListID: 'abc',
				},
			});
			expect(r.status).toBe(422);
			expect(r.json.Errors.map((e) => e.Code).sort((a, b) => a - b)).toEqual([8, 11, 16, 18, 23, 24, 30]);
			expect(r.json.Errors).toContainEqual({ Code: 8, Message: 'Missing Subject' });
			expect(r.json.Errors).toContainEqual({ Code: 24, Message: 'BCC email addresses must be set as an array' });
			const noTo = await v1(server, 'POST', '/api/v1/email', { key, body: { ...valid, To: [] } });
			expect(noTo.json).toEqual({ Errors: [{ Code: 20, Message: 'There is no recipient set for the email.' }] });
		});

		test('suppression list (14), inactive domain (32), non-JSON (9999), bad base64', async () => {
			const key = server.senderKeyFor('123');
			const sup = await v1(server, 'POST', '/api/v1/email', {
				key,
				body: { ...valid, CC: [{ email: 'suppressed@example.com', name: 'S' }] },
			});
			expect(sup.json).toEqual({ Errors: [{ Code: 14, Message: 'Email address is in the suppression list. Email delivery is blocked.' }] });
			const inactive = await v1(server, 'POST', '/api/v1/email', { key: server.senderKeyFor('124'), body: valid });
			expect(inactive.json.Errors).toEqual([{ Code: 32, Message: 'Domain is not activated' }]);
			const form = await v1(server, 'POST', '/api/v1/email', {
				key,
				body: 'Subject=x',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			});
			expect(form.status).toBe(400);
			expect(form.json.Errors[0]).toEqual({ Code: 9999, Message: 'Unsupported content type' });
			const att = await v1(server, 'POST', '/api/v1/email', {
				key,
				body: { ...valid, Attachments: [{ FileName: 'a', ContentType: 'text/plain', Content: '***' }] },
			});
			expect(att.status).toBe(422);
			expect(server.state.sentEmails).toHaveLength(0);
		});
	});

	describe('webhooks and fire()', () => {
		let receiver;
		beforeEach(async () => {
			receiver = await startReceiver();
		});
		afterEach(async () => {
			await receiver.close();
		});

		test('v1 webhooks CRUD; both APIs share the domain store', async () => {
			const key = server.senderKeyFor('123');
			const errs = await v1(server, 'POST', '/api/v1/webhooks', { key, body: { Event: 'sent' } });
			expect(errs.status).toBe(422);
			expect(errs.json).toEqual({
				Errors: [
					{ Code: 3, Message: 'Invalid Event value' },
					{ Code: 5, Message: 'WebhookURL is missing' },
				],
			});
			const created = await v1(server, 'POST', '/api/v1/webhooks', { key, body: { Event: 'delivered', WebhookURL: `${receiver.url}/d` } });
			expect(created.json).toEqual({ NewWebhookID: expect.stringMatching(/^\d+$/) });
			await cmd(server, 'EmailGateway.AddWebhook', { DomainID: '123', Event: 'bounce', WebhookURL: `${receiver.url}/b` });
			const list = await v1(server, 'GET', '/api/v1/webhooks', { key });
			expect(list.json.Webhooks).toEqual([
				{ WebhookID: created.json.NewWebhookID, Event: 'delivered', URL: `${receiver.url}/d`, Status: 'Active' },
				{ WebhookID: expect.any(String), Event: 'bounced', URL: `${receiver.url}/b`, Status: 'Active' },
			]);
			const gw = await cmd(server, 'EmailGateway.GetWebhooks', { DomainID: '123' });
			expect(gw.json.SigningKey).toBe(server.signingKeyFor('123'));
			expect(gw.json.Webhooks.map((w) => w.Events)).toEqual([['delivery'], ['bounce']]);
			expect((await v1(server, 'DELETE', '/api/v1/webhooks', { key, body: {} })).json.Errors[0].Code).toBe(1);
			expect((await v1(server, 'DELETE', '/api/v1/webhooks', { key, query: { WebhookID: '1' } })).json).toEqual({
				Errors: [{ Code: 4, Message: 'Invalid WebhookID' }],
			});
			const del = await v1(server, 'DELETE', '/api/v1/webhooks', { key, body: { WebhookID: created.json.NewWebhookID } });
			expect(del.json).toEqual({ Message: 'Webhook successfully deleted.' });
			// Another domain's key cannot see or delete this domain's webhooks.
			expect((await v1(server, 'GET', '/api/v1/webhooks', { key: server.senderKeyFor('124') })).json.Webhooks).toEqual([]);
		});

		test('fire() signs deliveries verifiably (header, mailgun, unsigned, bad-signature)', async () => {
			const key = server.signingKeyFor('123');
			expect(key).toMatch(/^[0-9A-F]{64}$/);
			await cmd(server, 'EmailGateway.AddWebhook', { DomainID: '123', Event: 'bounce', WebhookURL: `${receiver.url}/cmd` });
			await v1(server, 'POST', '/api/v1/webhooks', { key: server.senderKeyFor('123'), body: { Event: 'bounced', WebhookURL: `${receiver.url}/v1` } });
			await v1(server, 'POST', '/api/v1/webhooks', { key: server.senderKeyFor('123'), body: { Event: 'opened', WebhookURL: `${receiver.url}/open` } });

			const results = await server.fire('123', 'bounce', { email: 'a@b.c', messageId: 'msg-1', timestamp: 1700000000 });
			expect(results.map((r) => [r.url, r.status, r.body])).toEqual([
				[`${receiver.url}/cmd`, 200, 'ok'],
				[`${receiver.url}/v1`, 200, 'ok'],
			]);
			expect(receiver.received).toHaveLength(2);
			const got = receiver.received[0];
			expect(got.headers['x-octeth-signature']).toBe(hmac(key, got.raw));
			expect(JSON.parse(got.raw)).toMatchObject({
				Event: 'bounce',
				DomainID: '123',
				EventId: expect.stringMatching(/^evt_/),
				EventTimestamp: '2023-11-14T22:13:20Z',
				Timestamp: 1700000000,
				Recipient: 'a@b.c',
				MessageId: 'msg-1',
			});

			receiver.received.length = 0;
			await server.fire('123', 'bounced', { style: 'mailgun', email: 'a@b.c', messageId: 'msg-2', timestamp: 1700000001 });
			const mg = JSON.parse(receiver.received[0].raw);
			expect(receiver.received[0].headers['x-octeth-signature']).toBeUndefined();
			expect(mg.signature.token).toMatch(/^[0-9a-f]{50}$/);
			expect(mg.signature.timestamp).toBe('1700000001');
			expect(mg.signature.signature).toBe(hmac(key, mg.signature.timestamp + mg.signature.token));
			expect(mg['event-data']).toMatchObject({ event: 'bounced', recipient: 'a@b.c', timestamp: 1700000001, message: { headers: { 'message-id': 'msg-2' } } });

			receiver.received.length = 0;
			await server.fire('123', 'bounce', { style: 'unsigned' });
			expect(receiver.received[0].headers['x-octeth-signature']).toBeUndefined();
			await server.fire('123', 'bounce', { style: 'bad-signature' });
			const bad = receiver.received[2];
			expect(bad.headers['x-octeth-signature']).toMatch(/^[0-9a-f]{64}$/);
			expect(bad.headers['x-octeth-signature']).not.toBe(hmac(key, bad.raw));

			// RegenerateSigningKey rotates the key used for later deliveries.
			const regen = await cmd(server, 'EmailGateway.RegenerateSigningKey', { DomainID: '123' });
			expect(regen.json).toEqual({ Success: true, ErrorCode: 0, SigningKey: expect.stringMatching(/^[0-9A-F]{64}$/) });
			expect(regen.json.SigningKey).not.toBe(key);
			expect(server.signingKeyFor('123')).toBe(regen.json.SigningKey);
			receiver.received.length = 0;
			const [open] = await server.fire('123', 'open', {});
			expect(open.url).toBe(`${receiver.url}/open`);
			expect(receiver.received[0].headers['x-octeth-signature']).toBe(hmac(regen.json.SigningKey, receiver.received[0].raw));
		});
	});
});
