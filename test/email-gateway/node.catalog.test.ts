/**
 * Every operation of the package catalog, run through n8n's engine against the fake Email Gateway:
 * the request must be exactly the catalog's method + path (+ Command), carry the right credential,
 * and the node's output must match what the fake server's state says.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { emailGatewayCatalog } from '../../nodes/EmailGateway/operations';
import type { CatalogEntry } from '../../nodes/shared/model/operation';
import type { RunResult } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';
import type { RecordedRequest } from './fake-gateway';

const ACCOUNT_KEY = 'catalog-account-key-7f3a';

const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY });
const server = fake.server;

/** Calls the fake API directly (not through the node) to prepare state for a case. */
async function fakeCommand(command: string, params: IDataObject = {}): Promise<IDataObject> {
	const json = await fake.accountCommand(command, params);
	if (json.Success !== true) throw new Error(`setup ${command} failed: ${JSON.stringify(json)}`);
	return json;
}

async function fakeV1(method: string, path: string, body?: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${server().url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${fake.senderKey('123')}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as IDataObject;
	if (response.status !== 200) throw new Error(`setup ${method} ${path} failed: ${JSON.stringify(json)}`);
	return json;
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const state = () => server().state;

interface Case {
	/** Prepares state; what it returns is handed to parameters() and check(). */
	setup?: () => Promise<IDataObject>;
	parameters: (prepared: IDataObject) => IDataObject;
	check: (result: RunResult, request: RecordedRequest, prepared: IDataObject) => void;
}

/** Valid parameters and the expected outcome of every operation, keyed "resource:operation". */
const cases: Record<string, Case> = {
	'domain:create': {
		parameters: () => ({ domainName: 'Catalog-New.example.org' }),
		check: ({ items }, request) => {
			expect(request.body.DomainName).toBe('catalog-new.example.org');
			const created = state().domains.find((domain: IDataObject) => domain.name === 'catalog-new.example.org');
			expect(created).toBeDefined();
			expect(items).toHaveLength(1);
			expect(String(items[0].json.NewSenderDomainID)).toBe(created.id);
		},
	},
	'domain:getAll': {
		parameters: () => ({ returnAll: true }),
		check: ({ items }) => {
			expect(json(items).map((domain) => [domain.DomainID, domain.DomainName, domain.Verified, domain.Active])).toEqual(
				state().domains.map((domain: IDataObject) => [domain.id, domain.name, domain.verified, domain.active]),
			);
		},
	},
	'domain:get': {
		parameters: () => ({ domainId: '124' }),
		check: ({ items }, request) => {
			expect(request.body.DomainID).toBe('124');
			const domain = state().domains.find((candidate: IDataObject) => candidate.id === '124');
			expect(items).toHaveLength(1);
			const returned = items[0].json.Domain as IDataObject;
			expect(String(returned.DomainID)).toBe('124');
			expect(returned.DomainName).toBe(domain.name);
			expect(returned.IsActive).toBe(domain.active);
		},
	},
	'domain:update': {
		parameters: () => ({
			domainId: '123',
			additionalFields: { linkTracking: false, openTracking: true, hostingProvider: 'Acme Hosting', subdomain: 'mail' },
		}),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ DomainID: '123', LinkTracking: 0, OpenTracking: 1 });
			const domain = state().domains.find((candidate: IDataObject) => candidate.id === '123');
			expect(domain).toMatchObject({ linkTracking: '0', openTracking: '1', hostingProvider: 'Acme Hosting', subdomain: 'mail' });
			expect(items[0].json.Domain).toMatchObject({ DomainID: '123', LinkTracking: '0', HostingProvider: 'Acme Hosting' });
		},
	},
	'domain:delete': {
		setup: async () => ({ id: String((await fakeCommand('EmailGateway.AddDomain', { DomainName: 'to-delete.example.org' })).NewSenderDomainID) }),
		parameters: ({ id }) => ({ domainId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body.DomainID).toBe(id);
			expect(state().domains.map((domain: IDataObject) => domain.id)).not.toContain(id);
			expect(items).toHaveLength(1);
			expect(items[0].json.Success).toBe(true);
		},
	},
	'domain:verify': {
		setup: async () => ({ id: String((await fakeCommand('EmailGateway.AddDomain', { DomainName: 'to-verify.example.org' })).NewSenderDomainID) }),
		parameters: ({ id }) => ({ domainId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body.DomainID).toBe(id);
			const domain = state().domains.find((candidate: IDataObject) => candidate.id === id);
			expect(domain).toMatchObject({ verified: true, active: true });
			const results = items[0].json.DNSVerificationResults as IDataObject[];
			expect(results.map((record) => record.Host)).toContain('to-verify.example.org');
			expect(results.every((record) => record.Verified === true)).toBe(true);
		},
	},
	'domain:clearQueue': {
		setup: async () => ({
			messageId: (
				await fakeV1('POST', '/api/v1/email', {
					Subject: 'queued',
					ContentType: 'plain',
					PlainContent: 'x',
					From: { email: 'a@example.com', name: 'A' },
					To: [{ email: 'queued@example.org', name: 'Q' }],
				})
			).MessageID as string,
		}),
		parameters: () => ({ domainId: '123' }),
		check: ({ items }, request, { messageId }) => {
			expect(request.body.DomainID).toBe('123');
			const email = state().sentEmails.find((candidate: IDataObject) => candidate.messageId === messageId);
			expect(email.status).toBe('Failed');
			expect(items[0].json.Success).toBe(true);
		},
	},
	'apiKey:create': {
		parameters: () => ({ domainId: '123', description: 'Catalog key', additionalFields: { listId: '7' } }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ DomainID: '123', Description: 'Catalog key', ListID: '7' });
			const key = state().apiKeys.find((candidate: IDataObject) => candidate.description === 'Catalog key');
			expect(key).toBeDefined();
			expect(key.domainId).toBe('123');
			expect(String(items[0].json.NewAPIKeyID)).toBe(key.id);
			expect((items[0].json.APIKey as IDataObject).Key).toBe(key.key);
		},
	},
	'apiKey:getAll': {
		parameters: () => ({ domainId: '123', returnAll: true }),
		check: ({ items }, request) => {
			expect(request.body.DomainID).toBe('123');
			const expected = state().apiKeys.filter((key: IDataObject) => key.domainId === '123');
			expect(expected.length).toBeGreaterThan(0);
			expect(json(items).map((key) => [key.KeyID, key.Key, key.Description])).toEqual(
				expected.map((key: IDataObject) => [key.id, key.key, key.description]),
			);
		},
	},
	'apiKey:delete': {
		setup: async () => ({ id: String((await fakeCommand('EmailGateway.AddAPI', { DomainID: '123', Description: 'to delete' })).NewAPIKeyID) }),
		parameters: ({ id }) => ({ keyId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body.ApiKeyId).toBe(id);
			expect(state().apiKeys.map((key: IDataObject) => key.id)).not.toContain(id);
			expect(items[0].json.Success).toBe(true);
		},
	},
	'smtp:create': {
		setup: async () => ({ before: state().smtps.map((smtp: IDataObject) => smtp.id) }),
		parameters: () => ({ domainId: '123' }),
		check: ({ items }, request, { before }) => {
			expect(request.body.DomainID).toBe('123');
			const created = state().smtps.filter((smtp: IDataObject) => !(before as string[]).includes(smtp.id as string));
			expect(created).toHaveLength(1);
			expect(created[0].domainId).toBe('123');
			expect(String(items[0].json.NewSMTPID)).toBe(created[0].id);
		},
	},
	'smtp:getAll': {
		parameters: () => ({ domainId: '123', returnAll: true }),
		check: ({ items }) => {
			const expected = state().smtps.filter((smtp: IDataObject) => smtp.domainId === '123');
			expect(expected.length).toBeGreaterThan(0);
			expect(json(items).map((smtp) => [smtp.SMTPID, smtp.Username])).toEqual(
				expected.map((smtp: IDataObject) => [smtp.id, smtp.username]),
			);
		},
	},
	'smtp:delete': {
		setup: async () => ({ id: String((await fakeCommand('EmailGateway.AddSMTP', { DomainID: '123' })).NewSMTPID) }),
		parameters: ({ id }) => ({ smtpId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body.smtpid).toBe(id);
			expect(state().smtps.map((smtp: IDataObject) => smtp.id)).not.toContain(id);
			expect(items[0].json.Success).toBe(true);
		},
	},
	'smtp:resetPassword': {
		setup: async () => {
			const smtp = state().smtps.find((candidate: IDataObject) => candidate.domainId === '123');
			return { id: smtp.id, before: smtp.password };
		},
		parameters: ({ id }) => ({ smtpId: id }),
		check: ({ items }, request, { id, before }) => {
			expect(request.body.smtpid).toBe(id);
			const smtp = state().smtps.find((candidate: IDataObject) => candidate.id === id);
			expect(smtp.password).not.toBe(before);
			expect((items[0].json.SMTP as IDataObject).Password).toBe(smtp.password);
		},
	},
	'webhook:create': {
		parameters: () => ({ domainId: '123', event: 'bounce', webhookUrl: 'https://hooks.example.org/bounce' }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ DomainID: '123', Event: 'bounce', WebhookURL: 'https://hooks.example.org/bounce' });
			const webhook = state().webhooks.find((candidate: IDataObject) => candidate.url === 'https://hooks.example.org/bounce');
			expect(webhook).toMatchObject({ domainId: '123', event: 'bounce', source: 'command' });
			expect(String(items[0].json.NewWebhookID)).toBe(webhook.id);
		},
	},
	'webhook:getAll': {
		setup: async () => {
			await fakeCommand('EmailGateway.AddWebhook', { DomainID: '123', Event: 'open', WebhookURL: 'https://hooks.example.org/open' });
			return {};
		},
		parameters: () => ({ domainId: '123' }),
		check: ({ items }) => {
			expect(items).toHaveLength(1);
			expect(items[0].json.SigningKey).toBe(server().signingKeyFor('123'));
			const expected = state().webhooks.filter((webhook: IDataObject) => webhook.domainId === '123');
			expect(expected.length).toBeGreaterThan(0);
			expect((items[0].json.Webhooks as IDataObject[]).map((webhook) => [webhook.WebhookID, webhook.URL])).toEqual(
				expected.map((webhook: IDataObject) => [webhook.id, webhook.url]),
			);
		},
	},
	'webhook:delete': {
		setup: async () => ({
			id: String(
				(await fakeCommand('EmailGateway.AddWebhook', { DomainID: '123', Event: 'click', WebhookURL: 'https://hooks.example.org/delete-me' }))
					.NewWebhookID,
			),
		}),
		parameters: ({ id }) => ({ domainId: '123', webhookId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body).toMatchObject({ DomainID: '123', WebhookID: id });
			expect(state().webhooks.map((webhook: IDataObject) => webhook.id)).not.toContain(id);
			expect(items[0].json.Success).toBe(true);
		},
	},
	'webhook:regenerateSigningKey': {
		setup: async () => ({ before: server().signingKeyFor('123') }),
		parameters: () => ({ domainId: '123' }),
		check: ({ items }, request, { before }) => {
			expect(request.body.DomainID).toBe('123');
			const now = server().signingKeyFor('123');
			expect(now).not.toBe(before);
			expect(items[0].json.SigningKey).toBe(now);
		},
	},
	'webhook:checkTrigger': {
		setup: async () => ({
			id: String(
				(await fakeCommand('EmailGateway.AddWebhook', { DomainID: '123', Event: 'bounce', WebhookURL: 'https://n8n.example.org/webhook/catalog/webhook' }))
					.NewWebhookID,
			),
		}),
		parameters: () => ({ triggerUrl: 'https://n8n.example.org/webhook/catalog/webhook', domainId: '123', events: ['bounced', 'opened'] }),
		check: ({ items }, request, { id }) => {
			expect(request.body.DomainID).toBe('123');
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ healthy: false, registered: [{ event: 'bounced', id }], missing: ['opened'] });
		},
	},
	'webhook:create (sender key)': {
		parameters: () => ({ senderEvent: 'delivered', webhookUrl: 'https://hooks.example.org/v1-delivery' }),
		check: ({ items }, request) => {
			// The v1 API's own spelling (past tense).
			expect(request.body).toMatchObject({ Event: 'delivered', WebhookURL: 'https://hooks.example.org/v1-delivery' });
			const webhook = state().webhooks.find((candidate: IDataObject) => candidate.url === 'https://hooks.example.org/v1-delivery');
			expect(webhook).toMatchObject({ domainId: '123', event: 'delivery', source: 'v1' });
			expect(String(items[0].json.NewWebhookID)).toBe(webhook.id);
		},
	},
	'webhook:getAll (sender key)': {
		setup: async () => {
			await fakeV1('POST', '/api/v1/webhooks', { Event: 'complaint', WebhookURL: 'https://hooks.example.org/v1-complaint' });
			return {};
		},
		parameters: () => ({ returnAll: true }),
		check: ({ items }) => {
			const expected = state().webhooks.filter((webhook: IDataObject) => webhook.domainId === '123');
			expect(expected.length).toBeGreaterThan(0);
			expect(json(items).map((webhook) => [webhook.WebhookID, webhook.URL])).toEqual(
				expected.map((webhook: IDataObject) => [webhook.id, webhook.url]),
			);
		},
	},
	'webhook:delete (sender key)': {
		setup: async () => ({
			id: String((await fakeV1('POST', '/api/v1/webhooks', { Event: 'open', WebhookURL: 'https://hooks.example.org/v1-delete-me' })).NewWebhookID),
		}),
		parameters: ({ id }) => ({ webhookId: id }),
		check: ({ items }, request, { id }) => {
			expect(request.body.WebhookID).toBe(id);
			expect(state().webhooks.map((webhook: IDataObject) => webhook.id)).not.toContain(id);
			expect(items[0].json.Message).toBe('Webhook successfully deleted.');
		},
	},
	'event:getAll': {
		parameters: () => ({ domainId: '123', returnAll: true }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ DomainID: '123', StartFrom: 0 });
			const expected = state()
				.events.filter((event: IDataObject) => event.domainId === '123')
				.sort((a: IDataObject, b: IDataObject) => (a.timestamp as number) - (b.timestamp as number));
			expect(expected.length).toBeGreaterThan(0);
			expect(json(items).map((event) => [event.id, event.event_type, event.recipient])).toEqual(
				expected.map((event: IDataObject) => [event.id, event.event, event.recipient]),
			);
		},
	},
	'event:getAggregated': {
		parameters: () => ({ domainId: '123', additionalFields: { aggregatedField: 'eventType', aggregateSize: 10 } }),
		check: ({ items }, request) => {
			expect(request.body).toMatchObject({ DomainID: '123', AggregatedField: 'eventType', AggregateSize: 10 });
			const counts: Record<string, number> = {};
			for (const event of state().events.filter((candidate: IDataObject) => candidate.domainId === '123')) {
				counts[event.event] = (counts[event.event] ?? 0) + 1;
			}
			const buckets = items[0].json.AggBuckets as IDataObject[];
			expect(Object.fromEntries(buckets.map((bucket) => [bucket.key, bucket.doc_count]))).toEqual(counts);
		},
	},
	'event:getAll (sender key)': {
		parameters: () => ({ returnAll: true }),
		check: ({ items }, request) => {
			expect(request.query).toMatchObject({ StartFrom: '0', RetrieveCount: '100' });
			const expected = state()
				.events.filter((event: IDataObject) => event.domainId === '123')
				.sort((a: IDataObject, b: IDataObject) => (a.timestamp as number) - (b.timestamp as number));
			expect(expected.length).toBeGreaterThan(0);
			expect(json(items).map((event) => [event.EventId, event.EventType, event.Recipient])).toEqual(
				expected.map((event: IDataObject) => [event.id, event.event, event.recipient]),
			);
		},
	},
	'statistic:getDomainStatistics': {
		parameters: () => ({ domainId: '123' }),
		check: ({ items }, request) => {
			expect(request.body.DomainID).toBe('123');
			const events = state().events.filter((event: IDataObject) => event.domainId === '123');
			const count = (name: string) => events.filter((event: IDataObject) => event.event === name).length;
			const stats = items[0].json.Stats as IDataObject;
			expect(stats.Delivered).toBe(count('delivery'));
			expect(stats.Opened).toBe(count('open'));
			expect(stats.Clicked).toBe(count('click'));
			expect(stats.Sent).toBe(state().sentEmails.filter((email: IDataObject) => email.domainId === '123').length);
		},
	},
	'email:send': {
		parameters: () => ({
			fromEmail: 'news@example.com',
			fromName: 'Example News',
			to: 'Jane Doe <jane@example.org>',
			subject: 'Catalog send',
			contentType: 'html',
			content: '<p>Hello</p>',
		}),
		check: ({ items }) => {
			const email = state().sentEmails[state().sentEmails.length - 1];
			expect(email).toMatchObject({
				domainId: '123',
				subject: 'Catalog send',
				from: { email: 'news@example.com', name: 'Example News' },
				to: [{ email: 'jane@example.org', name: 'Jane Doe' }],
				htmlContent: '<p>Hello</p>',
			});
			expect(items).toHaveLength(1);
			expect(items[0].json.MessageID).toBe(email.messageId);
		},
	},
};

/** "resource:operation", and " (sender key)" for the sender-key definition of an operation both keys serve. */
const servedByBothKeys = (entry: CatalogEntry) =>
	emailGatewayCatalog.filter((candidate) => candidate.resource === entry.resource && candidate.operation === entry.operation).length > 1;
const keyOf = (entry: CatalogEntry) =>
	`${entry.resource}:${entry.operation}${servedByBothKeys(entry) && entry.credential === 'emailGatewaySenderApi' ? ' (sender key)' : ''}`;

describe('Email Gateway catalog', () => {
	const documented = (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'documented-operations.json'), 'utf8')) as Record<string, Array<{ title: string; method: string; path: string }>>)
		.emailGateway;

	// index.js reads the built files; the unit tests run without a build, so this check runs once dist/ exists (npm test builds first).
	(existsSync(join(__dirname, '..', '..', 'dist', 'nodes', 'EmailGateway', 'operations.js')) ? test : test.skip)(
		'index.js exports the catalog of the node (when built)',
		() => {
			const published = require('../../index.js').operations.emailGateway;
			expect(published).toEqual(emailGatewayCatalog);
		},
	);

	test('covers the 25 documented operations plus "Regenerate the Webhook Signing Key" and "Check Trigger Webhooks", with their method and path', () => {
		expect(documented).toHaveLength(25);
		expect(emailGatewayCatalog).toHaveLength(27);
		const byTitle = new Map(emailGatewayCatalog.map((entry) => [entry.title, entry]));
		expect(byTitle.size).toBe(27);
		for (const doc of documented) {
			const entry = byTitle.get(doc.title);
			expect({ title: doc.title, found: entry !== undefined }).toEqual({ title: doc.title, found: true });
			expect({ title: doc.title, method: entry?.method, path: entry?.path }).toEqual(doc);
		}
		const extra = emailGatewayCatalog.filter((entry) => !documented.some((doc) => doc.title === entry.title));
		expect(extra).toEqual([
			expect.objectContaining({ title: 'Regenerate the Webhook Signing Key', method: 'POST', path: '/api.php', command: 'EmailGateway.RegenerateSigningKey' }),
			// The package's health check of a trigger: it sends the list request of Retrieve Domain Webhooks.
			expect.objectContaining({ resource: 'webhook', operation: 'checkTrigger', title: 'Check Trigger Webhooks', method: 'POST', path: '/api.php', command: 'EmailGateway.GetWebhooks' }),
		]);
		// Commands are exactly the /api.php operations.
		for (const entry of emailGatewayCatalog) {
			expect({ title: entry.title, isCommand: entry.command !== undefined }).toEqual({ title: entry.title, isCommand: entry.path === '/api.php' });
		}
		const keys = emailGatewayCatalog.map(keyOf);
		expect(new Set(keys).size).toBe(keys.length);
		// Each entry names its credential: the account key for commands, the sender-domain key for /api/v1.
		for (const entry of emailGatewayCatalog) {
			expect({ title: entry.title, credential: entry.credential }).toEqual({
				title: entry.title,
				credential: entry.command !== undefined ? 'emailGatewayApi' : 'emailGatewaySenderApi',
			});
		}
		// Operations both keys serve are one operation each (no "... (Sender API Key)" operations left).
		expect(emailGatewayCatalog.filter((entry) => keyOf(entry).endsWith('(sender key)')).map((entry) => `${entry.resource}:${entry.operation}`)).toEqual([
			'webhook:create',
			'webhook:getAll',
			'webhook:delete',
			'event:getAll',
		]);
	});

	test('the parameter table has no operation the catalog does not know', () => {
		const keys = new Set(emailGatewayCatalog.map(keyOf));
		expect(Object.keys(cases).filter((key) => !keys.has(key))).toEqual([]);
	});

	test.each(emailGatewayCatalog.map((entry) => [`${keyOf(entry)} (${entry.title})`, entry] as const))(
		'%s sends exactly the catalog request and returns the fake state',
		async (_name, entry) => {
			const testCase = cases[keyOf(entry)];
			if (!testCase) throw new Error(`No parameters for catalog entry ${keyOf(entry)} ("${entry.title}"): add it to the table`);
			const prepared = testCase.setup ? await testCase.setup() : {};
			server().clearRequests();

			// Authentication picks the credential (the account key by default); each entry names the one it runs with.
			const result = await fake.run({
				authentication: entry.credential,
				resource: entry.resource,
				operation: entry.operation,
				...testCase.parameters(prepared),
			});

			expect(result.error).toBeUndefined();
			const requests = fake.requests();
			expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([`${entry.method} ${entry.path}`]);
			const [request] = requests;
			if (entry.command !== undefined) {
				expect(request.body.Command).toBe(entry.command);
				expect(request.body.APIKey).toBe(ACCOUNT_KEY);
				// JSON, as every Email Gateway example in the docs (and Octeth's own) sends commands.
				expect(request.headers['content-type']).toMatch(/^application\/json/);
				expect(request.body.ResponseFormat).toBe('JSON');
				expect(request.headers.authorization).toBeUndefined();
			} else {
				expect(request.path.startsWith('/api/v1/')).toBe(true);
				expect(request.headers.authorization).toBe(`Bearer ${server().senderKeyFor('123')}`);
				expect(request.body.APIKey).toBeUndefined();
				expect(request.query.APIKey).toBeUndefined();
				expect(JSON.stringify(request.body)).not.toContain(ACCOUNT_KEY);
			}
			for (const item of result.items) expect(item.pairedItem).toEqual({ item: 0 });
			testCase.check(result, request, prepared);
		},
	);
});
