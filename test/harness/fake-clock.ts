/**
 * Fake time for the request path (nodes/shared/util/clock.ts): a sleep returns at once and moves the clock
 * forward instead, so pacing, retry waits and Retry-After run in milliseconds of real time while every
 * wait is still counted. Time that really passes (a request in flight, a timeout) counts too: now() is the
 * real time plus every wait skipped so far. Sleeps that overlap are served in order of their wake times, as
 * real timers would be, so the clock advances to the earliest wake, not by the sum of the waits.
 */
import { systemClock, useClock } from '../../nodes/shared/util/clock';
import type { Clock } from '../../nodes/shared/util/clock';

interface Timer {
	wake: number;
	resolve: () => void;
}

export interface FakeClock extends Clock {
	/** Every sleep asked for, in ms, in the order asked. */
	readonly sleeps: number[];
	/** Milliseconds the clock was moved forward in all. */
	skippedMs(): number;
	restore(): void;
}

export function installFakeClock(): FakeClock {
	let skipped = 0;
	let scheduled = false;
	const timers: Timer[] = [];
	const sleeps: number[] = [];
	const now = () => Date.now() + skipped;

	function fireEarliest() {
		scheduled = false;
		if (!timers.length) return;
		const earliest = Math.min(...timers.map((timer) => timer.wake));
		skipped = Math.max(skipped, earliest - Date.now());
		const due = timers.filter((timer) => timer.wake <= now());
		for (const timer of due) timers.splice(timers.indexOf(timer), 1);
		due.forEach((timer) => timer.resolve());
		schedule();
	}

	function schedule() {
		if (scheduled || !timers.length) return;
		scheduled = true;
		// After whatever else is ready now, so sleeps asked for at the same moment wake together.
		setImmediate(fireEarliest);
	}

	const fake: FakeClock = {
		sleeps,
		now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			await new Promise<void>((resolve) => {
				timers.push({ wake: now() + Math.max(0, ms), resolve });
				schedule();
			});
		},
		skippedMs: () => skipped,
		restore: () => {
			useClock(previous);
		},
	};
	const previous = useClock(fake);
	return fake;
}

/**
 * The real clock, with every sleep recorded: for engine tests whose fake provider answers after a real
 * latency, where skipping waits would let them overtake answers still on the wire.
 */
export function recordSleeps(): { sleeps: Array<{ at: number; ms: number }>; restore(): void } {
	const sleeps: Array<{ at: number; ms: number }> = [];
	const previous = useClock({
		now: () => systemClock.now(),
		sleep: async (ms) => {
			sleeps.push({ at: systemClock.now(), ms });
			await systemClock.sleep(ms);
		},
	});
	return { sleeps, restore: () => useClock(previous) };
}
