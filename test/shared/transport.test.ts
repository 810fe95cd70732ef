/**
 * sendRequest for real: n8n-core's HookContext and request helpers (credential `authenticate` applied by
 * the harness' credentials helper) against a scripted HTTP server on 127.0.0.1.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { ProviderFailure } from '../../nodes/shared/http/errors';
import type { RetryPolicy } from '../../nodes/shared/http/retry';
import { DEFAULT_TIMEOUT_MS, getCachedCredentials, secretsOf, sendRequest } from '../../nodes/shared/http/transport';
import type { ProviderProfile } from '../../nodes/shared/http/transport';
import type { RequestSpec } from '../../nodes/shared/model/operation';
import { requestContext } from '../harness/context';
import { installFakeClock } from '../harness/fake-clock';
import type { FakeClock } from '../harness/fake-clock';

const API_KEY = 'ak_live_5ecr3t+key/0123456789';

interface Recorded {
	method: string;
	url: string;
	contentType: string | undefined;
	raw: string;
	/** The APIKey field of the body, read the way its Content-Type says (JSON, urlencoded, multipart). */
	apiKey: string | undefined;
	/** When it arrived, on the clock the core reads (fake time). */
	at: number;
}

/** The body's APIKey field, parsed by the platform's own readers of each body type. */
async function apiKeyOf(contentType: string | undefined, raw: Buffer): Promise<string | undefined> {
	if (!contentType) return undefined;
	if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8')).APIKey;
	if (contentType.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(raw.toString('utf8')).get('APIKey') ?? undefined;
	if (contentType.startsWith('multipart/form-data')) {
		const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		return (form.get('APIKey') as string | null) ?? undefined;
	}
	return undefined;
}

type Scripted =
	| { status: number; headers?: Record<string, string>; body?: unknown }
	/** Reads the request, then drops the connection without answering (the provider may have acted). */
	| 'destroy'
	/** Reads the request and never answers. */
	| 'hang';

/** A provider that answers requests from a script, in order, and records what it was sent. */
class ScriptedServer {
	readonly requests: Recorded[] = [];
	/** Every request since the test began (requests is emptied by each respond()). */
	readonly requestsOfTest: Recorded[] = [];
	private script: Scripted[] = [];
	private server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const rawBytes = Buffer.concat(chunks);
			const contentType = req.headers['content-type'];
			const recorded = { method: req.method!, url: req.url!, contentType, raw: rawBytes.toString('utf8'), apiKey: await apiKeyOf(contentType, rawBytes), at: clock.now() };
			this.requests.push(recorded);
			this.requestsOfTest.push(recorded);
			const next = this.script.shift() ?? { status: 500, body: { ok: false, errors: [{ code: 'script', message: 'script exhausted' }] } };
			if (next === 'destroy') {
				req.socket.destroy();
				return;
			}
			if (next === 'hang') return;
			const body = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? { ok: true });
			res.writeHead(next.status, {
				'content-type': typeof next.body === 'string' ? 'text/html' : 'application/json',
				...next.headers,
			});
			res.end(body);
		});
	});

	async start() {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return this;
	}

	get url() {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	respond(...script: Scripted[]) {
		this.requests.length = 0;
		this.script = script;
	}

	async stop() {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

/** A made-up provider: errors come as {ok:false, errors:[{code,message}]} with any status, or as a bare HTTP error. */
const acme: ProviderProfile = {
	name: 'Acme Mail',
	errorCodes: { '3': 'The API key is not valid', '429': 'Too many requests', '500': 'Internal server error' },
	detectFailure(statusCode: number, body: unknown): ProviderFailure | undefined {
		const data = (body && typeof body === 'object' ? body : {}) as IDataObject;
		if (data.ok === false) {
			return {
				httpCode: statusCode,
				body,
				errors: ((data.errors as IDataObject[]) ?? []).map((error) => ({ code: String(error.code), message: error.message as string })),
			};
		}
		if (statusCode >= 400) return { httpCode: statusCode, body, errors: [{ code: String(statusCode), message: typeof body === 'string' ? body : undefined }] };
		return undefined;
	},
	hint: (failure) => (failure.errors.some((error) => error.code === '3') ? 'Check the API key of the credential.' : undefined),
};

const fast: RetryPolicy = { maxAttempts: 3, maxTotalWaitMs: 1_000, baseDelayMs: 1 };

const post = (extra: Partial<RequestSpec> = {}): RequestSpec => ({
	method: 'POST',
	path: '/api.php',
	body: { Command: 'Thing.Do', Value: 'a & b' },
	idempotent: false,
	...extra,
});

let server: ScriptedServer;
let closedPortUrl: string;

beforeAll(async () => {
	server = await new ScriptedServer().start();
	const closed = await new ScriptedServer().start();
	closedPortUrl = closed.url;
	await closed.stop();
});

afterAll(async () => {
	await server.stop();
});

/** Keys a test's requests may carry: the credential's, or the one a renewal test hands out. */
const knownKeys = new Set([API_KEY]);

// Waits run on fake time: a test asserts how long the core waited (on the clock it reads), not how long it took.
let clock: FakeClock;

beforeEach(() => {
	server.requestsOfTest.length = 0;
	clock = installFakeClock();
});

afterEach(() => clock.restore());

/** How long after the first request of the test the request `index` arrived, on the core's clock. */
const arrivedAfterFirst = (index: number) => server.requests[index].at - server.requests[0].at;

// Every request of every test carried the credential, whatever its body type.
afterEach(() => {
	const keys = server.requestsOfTest.map((request) => request.apiKey);
	expect(keys.filter((key) => key === undefined || !knownKeys.has(key))).toEqual([]);
});

const contextFor = (baseUrl = `${server.url}/`) => requestContext({ emailGatewayApi: { baseUrl, apiKey: API_KEY } });

/** The error the request fails with; like every error, it never shows the credential. */
async function failureOf(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeApiError);
		expectNoSecret(error as NodeApiError);
		return error as NodeApiError;
	}
	throw new Error('expected the request to fail');
}

function expectNoSecret(error: NodeApiError) {
	for (const encoded of [API_KEY, encodeURIComponent(API_KEY)]) {
		expect(error.message).not.toContain(encoded);
		expect(error.description ?? '').not.toContain(encoded);
		expect(JSON.stringify(error)).not.toContain(encoded);
	}
}

describe('sendRequest: what is sent', () => {
	it('sends JSON bodies as JSON to the base URL (trailing slash trimmed), with the credential applied', async () => {
		server.respond({ status: 200, body: { ok: true, Id: 7 } });
		const spec = post({ qs: { page: 2 } });
		const result = await sendRequest(contextFor(), 'emailGatewayApi', spec, acme, { policy: fast });
		expect(result).toEqual({ ok: true, Id: 7 });
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/api.php?page=2');
		expect(request.contentType).toMatch(/^application\/json/);
		expect(JSON.parse(request.raw)).toEqual({ Command: 'Thing.Do', Value: 'a & b', APIKey: API_KEY });
		// The spec is not changed by authentication, so a retry sends the same thing.
		expect(spec.body).toEqual({ Command: 'Thing.Do', Value: 'a & b' });
	});

	it('sends form bodies URL-encoded', async () => {
		server.respond({ status: 200, body: { ok: true } });
		await sendRequest(contextFor(), 'emailGatewayApi', post({ bodyType: 'form' }), acme, { policy: fast });
		const [request] = server.requests;
		expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(request.raw))).toEqual({ Command: 'Thing.Do', Value: 'a & b', APIKey: API_KEY });
	});

	it('sends multipart bodies with the credential as one more part', async () => {
		server.respond({ status: 200, body: { ok: true } });
		await sendRequest(contextFor(), 'emailGatewayApi', post({ bodyType: 'multipart' }), acme, { policy: fast });
		const [request] = server.requests;
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		const form = await new Response(request.raw, { headers: { 'content-type': request.contentType! } }).formData();
		expect(Object.fromEntries(form.entries())).toEqual({ Command: 'Thing.Do', Value: 'a & b', APIKey: API_KEY });
	});

	it.each(['json', 'form', 'multipart'] as const)('never shows the key a %s request carried, even when the provider echoes it', async (bodyType) => {
		server.respond({ status: 400, body: { ok: false, errors: [{ code: '3', message: `Bad key ${API_KEY} in ${encodeURIComponent(API_KEY)}` }] } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post({ bodyType }), acme, { policy: fast }));
		expect(error.message).toBe('Acme Mail refused the request: Bad key *** in *** (The API key is not valid) [error code 3]');
		expect(server.requests[0].apiKey).toBe(API_KEY);
	});

	it('returns a non-JSON success answer as { data }', async () => {
		server.respond({ status: 200, body: 'OK queued' });
		await expect(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast })).resolves.toEqual({ data: 'OK queued' });
	});
});

describe('sendRequest: retries', () => {
	it('retries a 429 with Retry-After: 0 even for a call that sends mail', async () => {
		server.respond({ status: 429, headers: { 'Retry-After': '0' }, body: { ok: false, errors: [{ code: '429' }] } }, { status: 200, body: { ok: true, Sent: 1 } });
		const result = await sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast });
		expect(result).toEqual({ ok: true, Sent: 1 });
		expect(server.requests).toHaveLength(2);
		expect(server.requests[1].raw).toBe(server.requests[0].raw);
	});

	it('waits as long as Retry-After: 1 says before retrying', async () => {
		server.respond({ status: 429, headers: { 'Retry-After': '1' } }, { status: 200, body: { ok: true } });
		await sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: { ...fast, maxTotalWaitMs: 5_000 } });
		expect(server.requests).toHaveLength(2);
		expect(arrivedAfterFirst(1)).toBeGreaterThanOrEqual(1_000);
	});

	it('gives up at once when Retry-After is beyond the wait budget, saying it is still rate limited', async () => {
		server.respond({ status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, errors: [{ code: '429', message: 'Slow down' }] } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: { ...fast, maxTotalWaitMs: 500 } }));
		expect(clock.skippedMs()).toBe(0);
		expect(server.requests).toHaveLength(1);
		expect(error.message).toBe('Acme Mail refused the request: Slow down (Too many requests) [error code 429]');
		expect(error.description).toMatch(/Still rate limited/);
		expect(error.httpCode).toBe('429');
	});

	it('stops after maxAttempts requests when the rate limit persists', async () => {
		server.respond(...Array.from({ length: 5 }, () => ({ status: 429, headers: { 'Retry-After': '0' } })));
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(server.requests).toHaveLength(3);
		expect(error.httpCode).toBe('429');
	});

	it('does not repeat a non-idempotent call after a 503 without Retry-After, but does with it', async () => {
		server.respond({ status: 503 });
		await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(server.requests).toHaveLength(1);

		server.respond({ status: 503, headers: { 'Retry-After': '0' } }, { status: 200, body: { ok: true } });
		await sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast });
		expect(server.requests).toHaveLength(2);
	});

	it('retries 503 and 500 for idempotent calls only', async () => {
		server.respond({ status: 503 }, { status: 500 }, { status: 200, body: { ok: true, Rows: [] } });
		await expect(sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, { policy: fast })).resolves.toEqual({ ok: true, Rows: [] });
		expect(server.requests).toHaveLength(3);

		server.respond({ status: 500, body: { ok: false, errors: [{ code: '500', message: 'Database down' }] } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast, itemIndex: 2 }));
		expect(server.requests).toHaveLength(1);
		expect(error.message).toBe('Acme Mail refused the request: Database down (Internal server error) [error code 500]');
		expect(error.httpCode).toBe('500');
		expect(error.context.itemIndex).toBe(2);
	});

	it('gives up on an idempotent call after maxAttempts server errors', async () => {
		server.respond({ status: 502 }, { status: 502 }, { status: 502 }, { status: 200 });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, { policy: fast }));
		expect(server.requests).toHaveLength(3);
		expect(error.httpCode).toBe('502');
	});

	it('keeps the total wait within the budget', async () => {
		// Waits would be 30, 60, 120 ms...; a 50 ms budget allows only the first.
		server.respond(...Array.from({ length: 10 }, () => ({ status: 500 })));
		await failureOf(
			sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, {
				policy: { maxAttempts: 10, maxTotalWaitMs: 50, baseDelayMs: 30 },
			}),
		);
		expect(server.requests).toHaveLength(2);
		expect(arrivedAfterFirst(1)).toBeGreaterThanOrEqual(30);
		expect(clock.sleeps).toEqual([30]);
	});

	it('does not repeat a call that may have reached the provider when the connection drops', async () => {
		server.respond('destroy', { status: 200, body: { ok: true } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast, itemIndex: 1 }));
		expect(server.requests).toHaveLength(1);
		expect(error.message).toMatch(/^Could not reach Acme Mail \(ECONNRESET\)/);
		expect(error.description).toMatch(/not repeated/);
		expect(error.context.itemIndex).toBe(1);
		expectNoSecret(error);
	});

	it('repeats an idempotent call after a dropped connection', async () => {
		server.respond('destroy', { status: 200, body: { ok: true, Rows: [1] } });
		await expect(sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, { policy: fast })).resolves.toEqual({
			ok: true,
			Rows: [1],
		});
		expect(server.requests).toHaveLength(2);
	});

	it('retries a refused connection (nothing was sent) up to maxAttempts, then says so', async () => {
		const context = contextFor(closedPortUrl);
		const request = jest.spyOn(context.helpers, 'httpRequestWithAuthentication');
		const error = await failureOf(sendRequest(context, 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(request).toHaveBeenCalledTimes(3);
		expect(error.message).toMatch(/^Could not reach Acme Mail \(ECONNREFUSED\)/);
		expect(error.description).toMatch(/retried/);
		expectNoSecret(error);
	});
});

describe('sendRequest: errors', () => {
	it('detects a failure reported with HTTP 200 and does not retry it', async () => {
		server.respond({ status: 200, body: { ok: false, errors: [{ code: '3', message: 'Wrong key' }] } });
		const error = await failureOf(
			sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, { policy: fast, operationTitle: 'Send a Thing', itemIndex: 0 }),
		);
		expect(server.requests).toHaveLength(1);
		expect(error.message).toBe('Acme Mail refused the request to "Send a Thing": Wrong key (The API key is not valid) [error code 3]');
		expect(error.description).toContain('Check the API key of the credential.');
		expect(error.description).toMatch(/HTTP 200/);
		expect(error.httpCode).toBe('200');
		expect(error.context.providerCodes).toEqual(['3']);
	});

	it("prefers the operation's documented meaning of a code over the API-wide one", async () => {
		server.respond({ status: 200, body: { ok: false, errors: [{ code: '3' }] } });
		const error = await failureOf(
			sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast, errorCodes: { '3': 'Sender domain is not verified' } }),
		);
		expect(error.message).toBe('Acme Mail refused the request: Sender domain is not verified [error code 3]');
	});

	it('never shows the API key, even when the provider echoes it back', async () => {
		server.respond({
			status: 401,
			body: {
				ok: false,
				errors: [{ code: '3', message: `Key ${API_KEY} is unknown` }],
				request: { APIKey: API_KEY, form: `APIKey=${encodeURIComponent(API_KEY)}` },
			},
		});
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(error.message).toBe('Acme Mail refused the request: Key *** is unknown (The API key is not valid) [error code 3]');
		expectNoSecret(error);

		// An error page is named, never shown: neither the page nor the key it echoes is in the error.
		server.respond({ status: 500, body: `<html><title>Fatal error for ${API_KEY}</title>Fatal error for APIKey=${API_KEY}</html>` });
		const htmlError = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(htmlError.message).toBe('Acme Mail answered with an HTML page, HTTP status 500 Internal Server Error');
		expect(htmlError.description).toContain('The page is titled "Fatal error for ***".');
		expect(JSON.stringify(htmlError)).not.toContain('<html>');
		expectNoSecret(htmlError);
	});

	it('treats an HTTP error as a failure even when the profile only reads envelopes', async () => {
		const envelopeOnly: ProviderProfile = { name: 'Envelope Only', detectFailure: (_status, body) => acme.detectFailure(200, body) };
		server.respond({ status: 404, body: '<html>Not Found</html>' });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), envelopeOnly, { policy: fast }));
		expect(error.message).toBe('Envelope Only answered with an HTML page, HTTP status 404 Not Found');
		expect(error.httpCode).toBe('404');

		// JSON without the envelope, and plain text: the status, called a status, with what the server said.
		server.respond({ status: 502, body: { unexpected: true } });
		const jsonError = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), envelopeOnly, { policy: fast }));
		expect(jsonError.message).toBe('Envelope Only refused the request: HTTP status 502 Bad Gateway');
		server.respond({ status: 503, body: 'upstream connect error' });
		const textError = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), envelopeOnly, { policy: fast }));
		expect(textError.message).toBe('Envelope Only refused the request: upstream connect error (HTTP status 503 Service Unavailable)');
	});
});

describe('credentials', () => {
	it('are fetched once per context, however many requests it makes', async () => {
		const context = contextFor();
		const fetch = jest.spyOn(context, 'getCredentials');
		server.respond({ status: 429, headers: { 'Retry-After': '0' } }, { status: 200 }, { status: 200 }, { status: 200 });
		for (let call = 0; call < 3; call++) await sendRequest(context, 'emailGatewayApi', post(), acme, { policy: fast });
		expect(server.requests).toHaveLength(4);
		expect(fetch).toHaveBeenCalledTimes(1);
		// Every request still carried the key.
		expect(server.requests.every((request) => JSON.parse(request.raw).APIKey === API_KEY)).toBe(true);
	});

	it('getCachedCredentials returns the same credentials per context and fetches again for another context', async () => {
		const first = contextFor();
		const second = contextFor();
		const firstFetch = jest.spyOn(first, 'getCredentials');
		const secondFetch = jest.spyOn(second, 'getCredentials');
		const [a, b] = await Promise.all([getCachedCredentials(first, 'emailGatewayApi'), getCachedCredentials(first, 'emailGatewayApi')]);
		expect(a).toBe(b);
		expect(a.apiKey).toBe(API_KEY);
		await getCachedCredentials(second, 'emailGatewayApi');
		expect(firstFetch).toHaveBeenCalledTimes(1);
		expect(secondFetch).toHaveBeenCalledTimes(1);
	});

	it('does not cache a failed fetch', async () => {
		const context = contextFor();
		const fetch = jest.spyOn(context, 'getCredentials');
		// The harness has no sender credentials: fetching them fails, every time it is tried.
		await expect(getCachedCredentials(context, 'emailGatewaySenderApi')).rejects.toThrow();
		await expect(getCachedCredentials(context, 'emailGatewaySenderApi')).rejects.toThrow();
		expect(fetch).toHaveBeenCalledTimes(2);
	});
});

/** Acme with rate limits reported in the body: {ok:false, errors:[{code:'rate_limited', message:'... retry in N ms'}]}. */
const acmeLimits: ProviderProfile = {
	...acme,
	rateLimit(failure) {
		const entry = failure.errors.find((error) => error.code === 'rate_limited');
		if (!entry) return undefined;
		const ms = entry.message?.match(/retry in (\d+) ms/)?.[1];
		return ms === undefined ? {} : { delayMs: Number(ms) };
	},
};

const rateLimitedBody = (message: string) => ({ ok: false, errors: [{ code: 'rate_limited', message }] });

describe('sendRequest: rate limits reported in the body', () => {
	it('retries an HTTP 200 that reports a rate limit, even for a call that sends mail, after the wait the answer names', async () => {
		server.respond({ status: 200, body: rateLimitedBody('Slow down, retry in 300 ms') }, { status: 200, body: { ok: true, Sent: 1 } });
		const result = await sendRequest(contextFor(), 'emailGatewayApi', post(), acmeLimits, { policy: fast });
		expect(result).toEqual({ ok: true, Sent: 1 });
		expect(arrivedAfterFirst(1)).toBeGreaterThanOrEqual(300);
		expect(server.requests).toHaveLength(2);
		expect(server.requests[1].raw).toBe(server.requests[0].raw);
	});

	it('waits as Retry-After says when the answer has both', async () => {
		server.respond(
			{ status: 200, headers: { 'Retry-After': '0' }, body: rateLimitedBody('Slow down, retry in 5000 ms') },
			{ status: 200, body: { ok: true } },
		);
		await sendRequest(contextFor(), 'emailGatewayApi', post(), acmeLimits, { policy: fast });
		expect(clock.skippedMs()).toBe(0);
		expect(server.requests).toHaveLength(2);
	});

	it('backs off when the answer names no wait', async () => {
		server.respond({ status: 200, body: rateLimitedBody('Slow down') }, { status: 200, body: { ok: true } });
		await sendRequest(contextFor(), 'emailGatewayApi', post(), acmeLimits, { policy: { maxAttempts: 3, maxTotalWaitMs: 1_000, baseDelayMs: 150 } });
		expect(server.requests).toHaveLength(2);
		expect(arrivedAfterFirst(1)).toBeGreaterThanOrEqual(150);
	});

	it('gives up at once when the wait is beyond the budget, naming the rate limit', async () => {
		server.respond({ status: 200, body: rateLimitedBody('Slow down, retry in 5000 ms') }, { status: 200, body: { ok: true } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acmeLimits, { policy: fast }));
		expect(clock.skippedMs()).toBe(0);
		expect(server.requests).toHaveLength(1);
		expect(error.message).toBe('Acme Mail refused the request: Slow down, retry in 5000 ms [error code rate_limited]');
		expect(error.description).toMatch(/Still rate limited/);
		expect(error.httpCode).toBe('200');
	});

	it('stops after maxAttempts requests when the rate limit persists', async () => {
		server.respond(...Array.from({ length: 5 }, () => ({ status: 200, body: rateLimitedBody('retry in 0 ms') })));
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post(), acmeLimits, { policy: fast }));
		expect(server.requests).toHaveLength(3);
		expect(error.description).toMatch(/Still rate limited/);
	});

	it('is an ordinary failure for a profile without the hook', async () => {
		server.respond({ status: 200, body: rateLimitedBody('retry in 0 ms') }, { status: 200, body: { ok: true } });
		const error = await failureOf(sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true }), acme, { policy: fast }));
		expect(server.requests).toHaveLength(1);
		expect(error.description ?? '').not.toMatch(/rate limited/);
	});
});

describe('sendRequest: a 401 of an API key', () => {
	const RENEWED = 'renewed-key-after-401-7f3a';
	knownKeys.add(RENEWED);
	const refused = (message = 'Wrong key') => ({ status: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: { ok: false, errors: [{ code: '3', message }] } });

	/** The harness' credentials helper, answering a renewal (credentialsExpired) with a new key. */
	function renewingContext() {
		const context = contextFor();
		const preAuthentication = jest
			.spyOn(context.additionalData.credentialsHelper, 'preAuthentication')
			.mockImplementation(async (_helpers, _credentials, _type, _node, expired) => (expired ? { apiKey: RENEWED } : undefined));
		const request = jest.spyOn(context.helpers, 'httpRequestWithAuthentication');
		return { context, preAuthentication, request };
	}

	it('lets n8n see only a 401, and shapes that 401 like any other answer; an API key is not sent again', async () => {
		const { context, preAuthentication, request } = renewingContext();
		server.respond(refused(), { status: 200, body: { ok: true } });
		const error = await failureOf(sendRequest(context, 'emailGatewayApi', post(), acme, { policy: fast, itemIndex: 3 }));
		expect(error.message).toBe('Acme Mail refused the request: Wrong key (The API key is not valid) [error code 3]');
		expect(error.description).toContain('Check the API key of the credential.');
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(3);
		expect(error.context.providerCodes).toEqual(['3']);
		expect(server.requests).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
		const [, options, credentialOptions] = request.mock.calls[0];
		expect(options.ignoreHttpStatusErrors).toEqual({ ignore: true, except: [401] });
		expect(credentialOptions?.preAuthenticationRetryStatusCode).toEqual([]);
		expect(preAuthentication.mock.calls.some((call) => call[4] === true)).toBe(false);
		expectNoSecret(error);
	});
	// Credentials that renew their token (OAuth2, preAuthentication): test/shared/renewal.test.ts, for real.
});

describe('sendRequest: timeouts', () => {
	it('waits 60 s for an answer by default, or as long as the request says', async () => {
		const context = contextFor();
		const request = jest.spyOn(context.helpers, 'httpRequestWithAuthentication');
		server.respond({ status: 200 }, { status: 200 });
		await sendRequest(context, 'emailGatewayApi', post(), acme, { policy: fast });
		await sendRequest(context, 'emailGatewayApi', post({ timeout: 5_000 }), acme, { policy: fast });
		expect(DEFAULT_TIMEOUT_MS).toBe(60_000);
		expect(request.mock.calls.map((call) => call[1].timeout)).toEqual([60_000, 5_000]);
	});

	it('does not repeat a call that sends mail after a timeout, and says it may have been processed', async () => {
		server.respond('hang', { status: 200, body: { ok: true } });
		const context = contextFor();
		const request = jest.spyOn(context.helpers, 'httpRequestWithAuthentication');
		const error = await failureOf(sendRequest(context, 'emailGatewayApi', post({ timeout: 200 }), acme, { policy: fast, itemIndex: 1 }));
		expect(server.requests).toHaveLength(1);
		expect(request.mock.calls.map((call) => call[1].timeout)).toEqual([200]);
		expect(error.message).toBe('Acme Mail did not answer within 0.2 s (ECONNABORTED)');
		expect(error.description).toMatch(/not repeated/);
		expect(error.description).toMatch(/may still have been processed/);
		expect(error.context.itemIndex).toBe(1);
		expectNoSecret(error);
	});

	it('gives up on an idempotent call within the retry budget, counting the time the attempts take', async () => {
		// Ten attempts of 200 ms would take 2 s; the waits alone (1, 2, 4... ms) would never exhaust 700 ms.
		server.respond(...Array.from({ length: 10 }, () => 'hang' as const));
		const error = await failureOf(
			sendRequest(contextFor(), 'emailGatewayApi', post({ idempotent: true, timeout: 200 }), acme, {
				policy: { maxAttempts: 10, maxTotalWaitMs: 700, baseDelayMs: 1 },
			}),
		);
		// Each attempt waits its 200 ms timeout for real (a wait the clock cannot skip), so at most 700 / 200 + 1 retries fit.
		expect(server.requests.length).toBeGreaterThanOrEqual(2);
		expect(server.requests.length).toBeLessThanOrEqual(5);
		expect(error.message).toBe('Acme Mail did not answer within 0.2 s (ECONNABORTED)');
		expect(error.description).toMatch(/retried/);
	});
});

describe('secretsOf', () => {
	it('collects string values at any depth (OAuth2 token data), except the base URL and plain settings', () => {
		const secrets = secretsOf({
			baseUrl: 'https://api.example.org/v3',
			apiKey: 'top-level-key',
			grantType: 'authorizationCode',
			authentication: 'header',
			clientId: 'client-id-1234',
			clientSecret: 'client-secret-5678',
			oauthTokenData: {
				access_token: 'access-token-abcd',
				refresh_token: 'refresh-token-efgh',
				token_type: 'Bearer',
				expires_in: 3600,
				nested: { deeper: ['listed-secret-ijkl', 7] },
			},
			short: 'abc',
		});
		expect(secrets.sort()).toEqual(
			['top-level-key', 'client-id-1234', 'client-secret-5678', 'access-token-abcd', 'refresh-token-efgh', 'listed-secret-ijkl'].sort(),
		);
	});

	it('hides a nested token the provider echoes back', async () => {
		const token = 'nested-access-token-9q8w7e';
		const context = requestContext({ emailGatewayApi: { baseUrl: server.url, apiKey: API_KEY, oauthTokenData: { access_token: token } } });
		server.respond({ status: 400, body: { ok: false, errors: [{ code: '3', message: `Token ${token} expired` }] } });
		const error = await failureOf(sendRequest(context, 'emailGatewayApi', post(), acme, { policy: fast }));
		expect(error.message).toContain('Token *** expired');
		expect(JSON.stringify(error)).not.toContain(token);
	});
});

describe('base URL per request', () => {
	it("overrides the credential's base URL (trailing slash trimmed), path prefix included", async () => {
		server.respond({ status: 200, body: { ok: true } });
		const result = await sendRequest(contextFor(closedPortUrl), 'emailGatewayApi', post({ baseUrl: ` ${server.url}/hooks/ `, path: '/register' }), acme, {
			policy: fast,
		});
		expect(result).toEqual({ ok: true });
		expect(server.requests.map((request) => request.url)).toEqual(['/hooks/register']);
	});

	it('works with a credential that has no base URL', async () => {
		server.respond({ status: 200, body: { ok: true } });
		const context = requestContext({ emailGatewayApi: { apiKey: API_KEY } });
		await expect(sendRequest(context, 'emailGatewayApi', post({ baseUrl: server.url }), acme, { policy: fast })).resolves.toEqual({ ok: true });
		expect(server.requests).toHaveLength(1);
		expect(JSON.parse(server.requests[0].raw).APIKey).toBe(API_KEY);
	});
});
