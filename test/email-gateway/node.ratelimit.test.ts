/**
 * Rate limits Email Gateway (Octeth) reports in the body: its /api/v1 endpoints may answer a refused
 * request with HTTP 200 and {"Errors":[{"Code":429,"Message":"Too many requests. Wait for N seconds..."}]}.
 * Through n8n's engine against the fake: retried like an HTTP 429 (even Send Email: the provider refused
 * it), after the wait the message names, within the retry budget.
 */
import type { ProviderFailure } from '../../nodes/shared/http/errors';
import { emailGatewayRateLimit } from '../../nodes/EmailGateway/transport';
import { sendParameters, useFakeEmailGateway } from './fake-gateway';
import { recordSleeps } from '../harness/fake-clock';

const fake = useFakeEmailGateway();
const { server, requests, run } = fake;
const sentCount = () => server().state.sentEmails.length;

const tooManyRequests = (seconds: number) => ({
	Errors: [{ Code: 429, Message: `Too many requests. Wait for ${seconds} seconds for another 100 attempts.` }],
});

describe('emailGatewayRateLimit', () => {
	const failure = (httpCode: number, errors: ProviderFailure['errors']): ProviderFailure => ({ httpCode, errors, body: {} });

	it('reads the wait from the message', () => {
		expect(emailGatewayRateLimit(failure(200, [{ code: '429', message: 'Too many requests. Wait for 12 seconds for another 100 attempts.' }]))).toEqual({
			delayMs: 12_000,
		});
		expect(emailGatewayRateLimit(failure(429, [{ code: '429', message: 'too many requests, wait for 1 second' }]))).toEqual({ delayMs: 1_000 });
	});

	it('is a rate limit without a wait when the message names none', () => {
		expect(emailGatewayRateLimit(failure(200, [{ code: '429', message: 'Too many requests' }]))).toEqual({});
		expect(emailGatewayRateLimit(failure(429, [{ code: '429' }]))).toEqual({});
	});

	it('is not a rate limit for other errors', () => {
		expect(emailGatewayRateLimit(failure(200, [{ code: '13', message: 'Invalid SenderAPIKey' }]))).toBeUndefined();
		expect(emailGatewayRateLimit(failure(422, [{ code: '14', message: 'Wait for 3 seconds' }]))).toBeUndefined();
	});
});

describe('a rate limit reported with HTTP 200', () => {
	test('Send Email is retried once, after the wait the message names, and sends once', async () => {
		const before = sentCount();
		server().failNext({ path: '/api/v1/email', status: 200, body: tooManyRequests(2) });
		const result = await run(sendParameters({ to: 'after-body-429@example.org' }));

		expect(result.error).toBeUndefined();
		const made = requests();
		expect(made).toHaveLength(2);
		expect(made.every((request) => request.method === 'POST' && request.path === '/api/v1/email')).toBe(true);
		expect(made[1].rawBody).toBe(made[0].rawBody);
		// 2 s as the message says, not the 1 s backoff.
		expect(made[1].time - made[0].time).toBeGreaterThanOrEqual(1_950);
		expect(sentCount()).toBe(before + 1);
		const email = server().state.sentEmails[before];
		expect(result.items).toEqual([{ json: { MessageID: email.messageId }, pairedItem: { item: 0 } }]);
	});

	test('a wait beyond the retry budget: one request, and the error names the rate limit', async () => {
		const before = sentCount();
		server().failNext({ path: '/api/v1/email', status: 200, body: tooManyRequests(120) });
		const clock = recordSleeps();
		const { error, items } = await run(sendParameters()).finally(() => clock.restore());

		// Refused at once: no wait was even started.
		expect(clock.sleeps).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Too many requests. Wait for 120 seconds');
		expect(error?.message).toContain('error code 429');
		expect(error?.description).toContain('Still rate limited');
		expect(error?.description).toContain('100 requests per 60 seconds');
		expect(error?.description).toContain('HTTP 200');
		expect(items).toEqual([]);
		expect(requests()).toHaveLength(1);
		expect(sentCount()).toBe(before);
	});

	test('a command answered with a rate limit in its envelope is retried too', async () => {
		server().failNext({
			path: '/api.php',
			status: 200,
			body: { Success: false, ErrorCode: 429, ErrorMessage: 'Too many requests. Wait for 1 seconds for another 100 attempts.' },
		});
		const { error, items } = await run({ resource: 'domain', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(requests().map((request) => request.command)).toEqual(['EmailGateway.GetDomains', 'EmailGateway.GetDomains']);
		expect(items).toHaveLength(server().state.domains.length);
	});
});
