import { sleep } from 'n8n-workflow';

/**
 * Time as the package reads it: pacing, retry waits and budgets, poll budgets, signed-time and delivery
 * memory checks ask this clock, never Date.now() or sleep directly, so that tests can run them on fake
 * time (test/harness/fake-clock.ts).
 */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

let current: Clock = systemClock;

/** The clock in use. */
export const clock = (): Clock => current;

/** Replaces the clock in use (tests) and returns the one it replaced. */
export function useClock(next: Clock): Clock {
	const previous = current;
	current = next;
	return previous;
}
