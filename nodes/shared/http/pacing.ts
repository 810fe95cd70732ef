import type { IAllExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clock } from '../util/clock';
import { perRun } from '../util/run';
import type { RateLimit } from '../model/operation';

/**
 * How fast one run talks to one provider: requests in flight (adaptive, within a ceiling), spacing
 * within a rate limit, and run-wide pauses asked for by a 429's Retry-After. One Pacer per execution
 * context and credential type, shared by every request of that run (items, pages, chunks, retries).
 */

/** The node's "Request Options", as the executor reads them for the run. */
export interface RunSpeed {
	/** Most requests in flight at once (the user's ceiling). */
	maxConcurrency: number;
	/** Send one request at a time, each after the previous answer. */
	oneAtATime: boolean;
	/** 'documented': the provider's documented limit (if any); 'custom': `customLimit`; 'none': no spacing, 429s are still honoured. */
	pacing: 'documented' | 'custom' | 'none';
	customLimit?: RateLimit;
}

export const DEFAULT_MAX_CONCURRENCY = 250;
/**
 * Requests in flight at the start of a run, before healthy answers raise it. 50, not 20: at 100 ms per
 * answer a start from 20 needed three round trips for 100 items and five for 300 (the bench's +100 ms
 * rows), against one for HTTP Request, which sends them all at once. Still well below the ceiling, so an
 * overloaded provider sees a moderate first burst and the halving on 429/503 works as before.
 */
export const INITIAL_CONCURRENCY = 50;

export const DEFAULT_RUN_SPEED: RunSpeed = { maxConcurrency: DEFAULT_MAX_CONCURRENCY, oneAtATime: false, pacing: 'documented' };

const stoppedErrors = new WeakSet<object>();

/** The error of a request that never went out: the run stopped (a refusal without Continue On Fail) while it waited. */
export function runStoppedError(node: INode, itemIndex?: number): NodeOperationError {
	const error = new NodeOperationError(node, 'Not sent: the run stopped after an earlier item failed', { itemIndex });
	stoppedErrors.add(error);
	return error;
}

/** How an attempt ended, for the concurrency window. */
export type AttemptOutcome =
	/** An answer the provider gave in time (success or a plain error such as 400). */
	| 'answered'
	/** 429, 503 or a timeout: the provider is overloaded, send less at once. */
	| 'congested'
	/** No answer for another reason (connection refused...): says nothing about load. */
	| 'failed';

/** One attempt's hold on a slot, handed back with release(). */
export interface Permit {
	readonly startedAt: number;
	readonly rateSlot: number;
	released: boolean;
}

interface RunPacing {
	speed: RunSpeed;
	stopped: AbortController;
	pacers: Map<string, Pacer>;
}

/** waitForTurn's answer once the run stopped. */
const STOPPED = -2;

const runOf = perRun((): RunPacing => ({ speed: DEFAULT_RUN_SPEED, stopped: new AbortController(), pacers: new Map() }));

/** Sets the run's speed options (from the node's parameters) before its first request. */
export function configureRun(context: object, speed: RunSpeed): void {
	runOf(context).speed = speed;
}

/** Stops the run: requests waiting for a slot or a pause are never sent (they fail with RunStoppedError). */
export function stopRun(context: object): void {
	runOf(context).stopped.abort();
}

export function isRunStopped(error: unknown): boolean {
	return typeof error === 'object' && error !== null && stoppedErrors.has(error);
}

/** The pacer of a run for one credential type; `documented` is the provider's documented limit for it. */
export function pacerFor(context: IAllExecuteFunctions, credentialType: string, documented?: RateLimit): Pacer {
	const run = runOf(context);
	let pacer = run.pacers.get(credentialType);
	if (!pacer) {
		const { speed } = run;
		const limit = speed.pacing === 'custom' ? speed.customLimit : speed.pacing === 'documented' ? documented : undefined;
		pacer = new Pacer(
			{ ceiling: speed.oneAtATime ? 1 : speed.maxConcurrency, rateLimit: limit },
			run.stopped.signal,
			(message) => context.logger?.info(message),
		);
		run.pacers.set(credentialType, pacer);
	}
	return pacer;
}

export interface PacerSettings {
	ceiling: number;
	rateLimit?: RateLimit;
	/** Requests in flight at the start (default INITIAL_CONCURRENCY, never above the ceiling). */
	initial?: number;
}

/**
 * Concurrency by additive increase / multiplicative decrease, as TCP does: the window starts at
 * `initial`, grows by one per healthy answer until the first congestion (doubling per round trip), then
 * by one per round trip; a 429, 503 or timeout halves it, once per round trip. A rate limit of N per W ms
 * is kept with N slots: a slot is free again W ms after the answer of the request that held it, so no
 * W-long stretch of the provider's clock can see more than N of our requests, whatever the latency.
 */
export class Pacer {
	/** Current window (requests in flight allowed); fractional while growing by 1/window. */
	private window: number;
	private threshold = Infinity;
	private lastDecrease = 0;
	private inFlight = 0;
	private waiting: Array<() => void> = [];
	private pausedUntil = 0;
	private slotFreeAt: number[];
	/** Answers that were not a congestion, for the retry loop: a run that moves on is not stuck. */
	successes = 0;
	/** Most requests this pacer had in flight at once. */
	maxInFlight = 0;

	constructor(
		readonly settings: PacerSettings,
		private readonly stopped: AbortSignal = new AbortController().signal,
		private readonly log: (message: string) => void = () => {},
	) {
		const ceiling = Math.max(1, Math.floor(settings.ceiling) || 1);
		this.settings = { ...settings, ceiling };
		this.window = Math.min(ceiling, settings.initial ?? INITIAL_CONCURRENCY);
		this.slotFreeAt = settings.rateLimit ? new Array<number>(Math.max(1, Math.floor(settings.rateLimit.requests))).fill(0) : [];
		// Attempts still waiting for a place are let go once the run stops: each fails as never sent.
		stopped.addEventListener('abort', () => this.wakeNext(), { once: true });
	}

	/** Requests allowed in flight now. */
	get concurrency(): number {
		return Math.max(1, Math.floor(this.window));
	}

	/**
	 * Waits until this attempt may go out: a free place in the window (first come, first served), the end
	 * of any run-wide pause, and a free rate slot. Undefined once the run stopped: the attempt must not go out.
	 */
	async acquire(): Promise<Permit | undefined> {
		if (this.stopped.aborted) return undefined;
		if (this.inFlight < this.concurrency && !this.waiting.length) {
			this.inFlight++;
		} else {
			// wakeNext counts the woken attempt in flight before it resumes, so nothing overtakes it.
			await new Promise<void>((resolve) => this.waiting.push(resolve));
			if (this.stopped.aborted) {
				this.inFlight--;
				return undefined;
			}
		}
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		const rateSlot = await this.waitForTurn();
		if (rateSlot === STOPPED) {
			this.inFlight--;
			this.wakeNext();
			return undefined;
		}
		return { startedAt: clock().now(), rateSlot, released: false };
	}

	/** Hands the slot back: healthy answers widen the window, congestion halves it. */
	release(permit: Permit, outcome: AttemptOutcome): void {
		if (permit.released) return;
		permit.released = true;
		this.inFlight--;
		const now = clock().now();
		if (permit.rateSlot >= 0) this.slotFreeAt[permit.rateSlot] = now + (this.settings.rateLimit as RateLimit).perMs;
		if (outcome === 'congested') {
			// Answers to requests sent before the last decrease belong to the same congestion.
			if (permit.startedAt > this.lastDecrease) {
				this.window = Math.max(1, this.window / 2);
				this.threshold = this.window;
				this.lastDecrease = now;
				this.log(`Request pacing: the provider is overloaded; at most ${this.concurrency} request(s) in flight from now on`);
			}
		} else {
			if (outcome === 'answered') this.successes++;
			const grow = this.window < this.threshold ? 1 : 1 / this.window;
			this.window = Math.min(this.settings.ceiling, this.window + grow);
		}
		this.wakeNext();
	}

	/** Every request of the run waits `delayMs` from now (a 429's Retry-After applies to the whole run). */
	pause(delayMs: number, reason: string): void {
		const until = clock().now() + delayMs;
		if (until <= this.pausedUntil) return;
		this.pausedUntil = until;
		this.log(`Request pacing: ${reason}; every request of this run waits ${Math.ceil(delayMs / 1000)} s (until ${new Date(until).toISOString()})`);
	}

	private wakeNext(): void {
		while (this.waiting.length && (this.inFlight < this.concurrency || this.stopped.aborted)) {
			this.inFlight++;
			(this.waiting.shift() as () => void)();
		}
	}

	/** Sleeps (logged) until no pause holds and a rate slot is free; returns that slot (-1 without a limit), or STOPPED. */
	private async waitForTurn(): Promise<number> {
		let logged = false;
		for (;;) {
			if (this.stopped.aborted) return STOPPED;
			const now = clock().now();
			let slot = -1;
			let slotWait = 0;
			if (this.slotFreeAt.length) {
				slot = this.slotFreeAt.indexOf(Math.min(...this.slotFreeAt));
				slotWait = this.slotFreeAt[slot] - now;
			}
			const wait = Math.max(this.pausedUntil - now, slotWait);
			if (wait <= 0) {
				// Held until release: Infinity keeps it from being taken twice.
				if (slot >= 0) this.slotFreeAt[slot] = Infinity;
				return slot;
			}
			if (!logged && slotWait > 0 && slotWait >= this.pausedUntil - now && slotWait > 50) {
				const { requests, perMs } = this.settings.rateLimit as RateLimit;
				this.log(`Request pacing: keeping to ${requests} requests per ${perMs / 1000} s; waiting ${Math.ceil(slotWait / 100) / 10} s`);
				logged = true;
			}
			// Short sleeps, so that a run that stops meanwhile lets its waiting requests go at once.
			await clock().sleep(Math.min(wait, 250));
		}
	}
}
