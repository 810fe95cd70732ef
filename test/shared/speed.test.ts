/**
 * Speed with its guarantees, through n8n's engine (the Email Gateway node) against a scripted fake
 * Email Gateway on 127.0.0.1 that answers after a latency and records when each request arrived and
 * how many were in flight: parallel sends never resend after a reset or a 500, stop starting after a
 * refusal, keep output order and pairedItem; concurrency halves on 429/503 and grows again; a rate
 * limit is kept; a 429's Retry-After pauses the whole run. Not timed against HTTP Request (bench/run.js).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { emailGatewaySenderProfile } from '../../nodes/EmailGateway/transport';
import { DEFAULT_MAX_CONCURRENCY, Pacer } from '../../nodes/shared/http/pacing';
import { runNode } from '../harness/engine';
import { recordSleeps } from '../harness/fake-clock';

const SENDER_KEY = 'eg_live_123_speedtest0000000000000000000000';
const ACCOUNT_KEY = 'speed-account-key';

/** What the fake does with one request: answer after `latencyMs`, or fail in one of these ways. */
type Behaviour = 'ok' | 'refuse' | 'reset' | 'error500' | 'tooMany' | 'overloaded';

interface Arrival {
	seq: number;
	to?: string;
	command?: string;
	at: number;
	inFlight: number;
	answeredAt?: number;
	status?: number;
}

class FakeGateway {
	latencyMs = 20;
	arrivals: Arrival[] = [];
	sent = new Map<string, number>();
	inFlight = 0;
	maxInFlight = 0;
	tooManyAnswers = 0;
	/** Fixed window per key, as Octeth's: `limit` requests per `windowMs` from the window's first request. */
	rateLimit: { limit: number; windowMs: number } | undefined;
	private window = { start: 0, count: 0 };
	/** Per arrival number (1-based) or per recipient, what to do instead of answering OK. */
	bySeq = new Map<number, Behaviour>();
	byRecipient = new Map<string, Behaviour>();
	private server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as IDataObject;
			const to = ((body.To as IDataObject[] | undefined)?.[0]?.email as string | undefined) ?? undefined;
			const arrival: Arrival = { seq: this.arrivals.length + 1, to, command: body.Command as string | undefined, at: Date.now(), inFlight: ++this.inFlight };
			this.arrivals.push(arrival);
			this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
			const authorized = req.url === '/api/v1/email' ? req.headers.authorization === `Bearer ${SENDER_KEY}` : body.APIKey === ACCOUNT_KEY;
			let behaviour: Behaviour = this.bySeq.get(arrival.seq) ?? (to ? this.byRecipient.get(to) : undefined) ?? 'ok';
			if (behaviour === 'ok' && this.rateLimit) {
				const now = Date.now();
				if (now - this.window.start >= this.rateLimit.windowMs) this.window = { start: now, count: 0 };
				if (++this.window.count > this.rateLimit.limit) behaviour = 'tooMany';
			}
			const retryAfter = this.rateLimit ? Math.max(1, Math.ceil((this.window.start + this.rateLimit.windowMs - Date.now()) / 1000)) : 1;
			const answer = () => {
				this.inFlight--;
				arrival.answeredAt = Date.now();
				const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
					arrival.status = status;
					res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
					res.end(JSON.stringify(payload));
				};
				if (!authorized) return send(401, { Errors: [{ Code: 13, Message: 'Invalid SenderAPIKey' }] });
				switch (behaviour) {
					case 'reset':
						arrival.status = 0;
						return req.socket.destroy();
					case 'error500':
						return send(500, { Errors: [{ Code: 500, Message: 'Internal error' }] });
					case 'refuse':
						return send(422, { Errors: [{ Code: 14, Message: 'Email address is in the suppression list' }] });
					case 'overloaded':
						return send(503, { Errors: [{ Code: 503, Message: 'Service unavailable' }] }, { 'Retry-After': '0' });
					case 'tooMany':
						this.tooManyAnswers++;
						return send(429, { Errors: [{ Code: 429, Message: `Too many requests. Wait for ${retryAfter} seconds for another ${this.rateLimit?.limit ?? 100} attempts.` }] }, this.rateLimit ? { 'Retry-After': String(retryAfter) } : { 'Retry-After': '0' });
					default:
						if (to) {
							this.sent.set(to, (this.sent.get(to) ?? 0) + 1);
							return send(200, { MessageID: `m-${to}` });
						}
						return send(200, { Success: true, ErrorCode: 0, Domain: { DomainID: 123, DomainName: 'example.com' } });
				}
			};
			setTimeout(answer, this.latencyMs);
		});
	});

	async start() {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	reset() {
		Object.assign(this, { latencyMs: 20, arrivals: [], sent: new Map(), inFlight: 0, maxInFlight: 0, tooManyAnswers: 0, rateLimit: undefined });
		this.window = { start: 0, count: 0 };
		this.bySeq.clear();
		this.byRecipient.clear();
	}

	async close() {
		await new Promise((resolve) => this.server.close(resolve));
	}
}

const fake = new FakeGateway();
let baseUrl = '';
beforeAll(async () => {
	baseUrl = await fake.start();
});
afterAll(async () => await fake.close());
beforeEach(() => fake.reset());

const recipients = (count: number) => Array.from({ length: count }, (_, index) => `r${index}@example.org`);

async function send(to: string[], requestOptions: IDataObject = {}, continueOnFail = false) {
	return await runNode({
		nodeType: 'emailGateway',
		parameters: {
			authentication: 'emailGatewaySenderApi',
			resource: 'email',
			operation: 'send',
			fromEmail: 'news@example.com',
			fromName: 'News',
			to: '={{ $json.to }}',
			subject: 'Hello',
			contentType: 'plain',
			content: 'Hi',
			additionalFields: {},
			requestOptions,
		},
		credentials: {
			emailGatewayApi: { baseUrl, apiKey: ACCOUNT_KEY },
			emailGatewaySenderApi: { baseUrl, apiKey: SENDER_KEY },
		},
		items: to.map((address) => ({ json: { to: address } })),
		continueOnFail,
	});
}

async function getDomain(count: number, requestOptions: IDataObject = {}) {
	return await runNode({
		nodeType: 'emailGateway',
		parameters: { resource: 'domain', operation: 'get', domainId: '123', requestOptions },
		credentials: { emailGatewayApi: { baseUrl, apiKey: ACCOUNT_KEY }, emailGatewaySenderApi: { baseUrl, apiKey: SENDER_KEY } },
		items: Array.from({ length: count }, (_, i) => ({ json: { i } })),
	});
}

function expectInOrderAndPaired(items: INodeExecutionData[], to: string[]) {
	expect(items.map((item) => item.pairedItem)).toEqual(to.map((_, index) => ({ item: index })));
	expect(items.map((item) => item.json.MessageID)).toEqual(to.map((address) => `m-${address}`));
}

const sendsTo = (address: string) => fake.arrivals.filter((arrival) => arrival.to === address).length;

describe('parallel sends', () => {
	test('go out many at once by default, each once, output in input order and paired', async () => {
		// 95: within the documented 100 per 60 s, which the default pacing keeps.
		const to = recipients(95);
		const { error, items } = await send(to);

		expect(error).toBeUndefined();
		expect(fake.maxInFlight).toBeGreaterThanOrEqual(20);
		expect(fake.maxInFlight).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENCY);
		expect([...fake.sent.values()].every((count) => count === 1)).toBe(true);
		expect(fake.sent.size).toBe(95);
		expectInOrderAndPaired(items, to);
	});

	test('never above the ceiling the user sets', async () => {
		const to = recipients(60);
		const { error } = await send(to, { maxConcurrency: 4 });

		expect(error).toBeUndefined();
		expect(fake.maxInFlight).toBe(4);
		expect(fake.sent.size).toBe(60);
	});

	test('"One at a Time, in Order" sends each item after the previous answer, in input order', async () => {
		const to = recipients(25);
		const { error, items } = await send(to, { oneAtATime: true });

		expect(error).toBeUndefined();
		expect(fake.maxInFlight).toBe(1);
		expect(fake.arrivals.map((arrival) => arrival.to)).toEqual(to);
		fake.arrivals.slice(1).forEach((arrival, index) => expect(arrival.at).toBeGreaterThanOrEqual(fake.arrivals[index].answeredAt as number));
		expectInOrderAndPaired(items, to);
	});

	test('after a refusal no new send starts; those in flight finish; the error says how many went out and which were not sent', async () => {
		const to = recipients(600);
		fake.byRecipient.set('r60@example.org', 'refuse');
		const { error, items } = await send(to, { pacing: 'none' });

		expect(items).toEqual([]);
		expect(error?.message).toContain('suppression list');
		expect(error?.context?.itemIndex).toBe(60);
		const refusal = fake.arrivals.find((arrival) => arrival.to === 'r60@example.org') as Arrival;
		// What arrived after the refusal was answered had left before n8n read that answer: at most the ceiling's worth.
		expect(fake.arrivals.filter((arrival) => arrival.at > (refusal.answeredAt as number)).length).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENCY);
		expect(fake.arrivals.length).toBeLessThan(300);
		const accepted = fake.sent.size;
		expect(accepted).toBe(fake.arrivals.length - 1);
		expect([...fake.sent.values()].every((count) => count === 1)).toBe(true);
		expect(error?.description).toContain(`${accepted} item(s) went out before the run stopped`);
		const notSent = to.map((address, index) => (fake.sent.has(address) || index === 60 ? -1 : index + 1)).filter((n) => n > 0);
		expect(error?.description).toContain(`Not sent: items ${notSent[0]}`);
		expect(error?.description).toContain(' to 600.');
	});

	test('a send whose connection was reset, or answered 500, is never sent again; under Continue On Fail the others stand', async () => {
		const to = recipients(80);
		fake.byRecipient.set('r10@example.org', 'reset');
		fake.byRecipient.set('r50@example.org', 'error500');
		const { error, items } = await send(to, { pacing: 'none' }, true);

		expect(error).toBeUndefined();
		expect(sendsTo('r10@example.org')).toBe(1);
		expect(sendsTo('r50@example.org')).toBe(1);
		expect(fake.arrivals).toHaveLength(80);
		expect(items.map((item) => item.pairedItem)).toEqual(to.map((_, index) => ({ item: index })));
		expect(items[10].json.error).toBeDefined();
		expect(items[50].json.error).toBeDefined();
		expect(items.filter((item) => item.json.MessageID).length).toBe(78);
	});

	test('a reset without Continue On Fail stops the run and is not sent again', async () => {
		const to = recipients(100);
		fake.byRecipient.set('r20@example.org', 'reset');
		const { error } = await send(to, { pacing: 'none' });

		expect(error).toBeDefined();
		expect(sendsTo('r20@example.org')).toBe(1);
		expect(fake.arrivals.length).toBeLessThan(100);
		expect([...fake.sent.values()].every((count) => count === 1)).toBe(true);
	});
});

describe('adaptive concurrency', () => {
	test('halves on 429s and 503s, then grows again while answers are healthy', async () => {
		fake.latencyMs = 30;
		// A burst of 429s, then of 503s, once the run has grown.
		for (let seq = 120; seq < 130; seq++) fake.bySeq.set(seq, 'tooMany');
		for (let seq = 400; seq < 405; seq++) fake.bySeq.set(seq, 'overloaded');
		const { error, items } = await getDomain(700);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(700);
		const inFlight = (from: number, to: number) => fake.arrivals.filter((arrival) => arrival.seq >= from && arrival.seq < to).map((arrival) => arrival.inFlight);
		const peakBefore = Math.max(...inFlight(60, 120));
		const answeredAt = Math.max(...fake.arrivals.filter((arrival) => arrival.seq >= 120 && arrival.seq < 130).map((arrival) => arrival.answeredAt as number));
		const justAfter = fake.arrivals.filter((arrival) => arrival.at > answeredAt + 5).slice(0, 20).map((arrival) => arrival.inFlight);
		expect(peakBefore).toBeGreaterThanOrEqual(20);
		expect(Math.min(...justAfter)).toBeLessThanOrEqual(Math.ceil(peakBefore / 2) + 1);
		expect(Math.max(...inFlight(300, 400))).toBeGreaterThan(Math.min(...justAfter));
		const after503 = Math.max(...fake.arrivals.filter((arrival) => arrival.seq >= 400 && arrival.seq < 405).map((arrival) => arrival.answeredAt as number));
		const justAfter503 = fake.arrivals.filter((arrival) => arrival.at > after503 + 5).slice(0, 10).map((arrival) => arrival.inFlight);
		expect(Math.min(...justAfter503)).toBeLessThan(Math.max(...inFlight(300, 400)));
		// Every refused read was sent again: 700 answered, 15 refused.
		expect(fake.arrivals).toHaveLength(715);
	});

	test('the window itself: +1 per healthy answer until congestion, halved once per round trip, never below 1 or above the ceiling', async () => {
		const pacer = new Pacer({ ceiling: 40, initial: 4 });
		const permits = await Promise.all(Array.from({ length: 4 }, () => pacer.acquire()));
		expect(pacer.concurrency).toBe(4);
		for (const permit of permits) pacer.release(permit!, 'answered');
		expect(pacer.concurrency).toBe(8);
		const second = await Promise.all(Array.from({ length: 8 }, () => pacer.acquire()));
		// Eight 429s of one round trip halve it once.
		for (const permit of second) pacer.release(permit!, 'congested');
		expect(pacer.concurrency).toBe(4);
		// After congestion it grows by one per round trip (1/window per answer).
		const third = await Promise.all(Array.from({ length: 4 }, () => pacer.acquire()));
		for (const permit of third) pacer.release(permit!, 'answered');
		expect(pacer.concurrency).toBe(4);
		pacer.release((await pacer.acquire())!, 'answered');
		expect(pacer.concurrency).toBe(5);
		for (let round = 0; round < 200; round++) {
			const permit = await pacer.acquire();
			pacer.release(permit!, 'answered');
		}
		expect(pacer.concurrency).toBeLessThanOrEqual(40);
	});
});

describe('rate limits', () => {
	test('the documented limit of Email Gateway v1 is declared: 100 requests per 60 s', () => {
		expect(emailGatewaySenderProfile.documentedLimit).toEqual({ requests: 100, perMs: 60_000 });
	});

	test('pacing keeps a limit of 10 per 1 s: 45 sends, none refused, each once, in about the window minimum', async () => {
		fake.rateLimit = { limit: 10, windowMs: 1_000 };
		const to = recipients(45);
		const { error, items } = await send(to, { pacing: 'custom', rateLimitRequests: 10, rateLimitSeconds: 1 });

		expect(error).toBeUndefined();
		expect(fake.tooManyAnswers).toBe(0);
		expect(fake.sent.size).toBe(45);
		expect([...fake.sent.values()].every((count) => count === 1)).toBe(true);
		// 5 windows: the last 5 go out at least 4 s after the first 10 (order, not speed: a slow machine only adds).
		expect(fake.arrivals[44].at - fake.arrivals[0].at).toBeGreaterThanOrEqual(4_000);
		// No 1-second stretch holds more than 10 arrivals.
		fake.arrivals.forEach((arrival, index) => {
			const within = fake.arrivals.slice(index).filter((later) => later.at - arrival.at < 1_000);
			expect(within.length).toBeLessThanOrEqual(10);
		});
		expectInOrderAndPaired(items, to);
	});

	test("without a known limit, a 429's Retry-After pauses the whole run (logged); every item goes out once, none fails however often it was refused", async () => {
		fake.rateLimit = { limit: 10, windowMs: 1_000 };
		const info = jest.spyOn(Container.get(Logger), 'info');
		const to = recipients(60);
		const { error, items } = await send(to, { pacing: 'none' });

		expect(error).toBeUndefined();
		expect(fake.sent.size).toBe(60);
		expect([...fake.sent.values()].every((count) => count === 1)).toBe(true);
		expect(fake.tooManyAnswers).toBeGreaterThan(0);
		expectInOrderAndPaired(items, to);
		const logged = info.mock.calls.map((call) => String(call[0]));
		expect(logged.some((message) => /every request of this run waits \d+ s/.test(message))).toBe(true);
		info.mockRestore();
	});

	test('a run stopped by a refusal does not wait out a pause: the waiting items are not sent', async () => {
		fake.rateLimit = { limit: 5, windowMs: 3_000 };
		fake.byRecipient.set('r2@example.org', 'refuse');
		const clock = recordSleeps();
		const { error } = await send(recipients(20), { pacing: 'custom', rateLimitRequests: 5, rateLimitSeconds: 3 }).finally(() => clock.restore());

		expect(error?.message).toContain('suppression list');
		// The waiting items were let go when the run stopped: the pacer did not sleep out the 3 s window.
		const sleptUntil = Math.max(...clock.sleeps.map((sleep) => sleep.at + sleep.ms));
		expect(sleptUntil - clock.sleeps[0].at).toBeLessThan(3_000);
		expect(fake.arrivals.length).toBeLessThanOrEqual(5);
		expect(error?.description).toContain('Not sent: items');
	});
});
