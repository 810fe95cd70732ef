import { mapWithConcurrency } from '../../nodes/shared/execution/batching';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
	it('returns results in input order even when tasks finish out of order', async () => {
		const delays = [30, 5, 20, 1, 10, 0];
		const results = await mapWithConcurrency(delays, 3, async (delay, index) => {
			await tick(delay);
			return `${index}:${delay}`;
		});
		expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:0']);
	});

	it('never has more than the limit in flight, and uses the limit', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const started: number[] = [];
		await mapWithConcurrency(Array.from({ length: 20 }, (_, index) => index), 4, async (value) => {
			started.push(value);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await tick(value % 3);
			inFlight--;
			return value;
		});
		expect(maxInFlight).toBe(4);
		expect([...started].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
	});

	it('runs one at a time for a limit of 1 (or less)', async () => {
		for (const limit of [1, 0, -3]) {
			let inFlight = 0;
			let maxInFlight = 0;
			await mapWithConcurrency([1, 2, 3, 4], limit, async () => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await tick();
				inFlight--;
			});
			expect(maxInFlight).toBe(1);
		}
	});

	it('still runs every task when the limit is not a number', async () => {
		for (const limit of [Number.NaN, undefined as unknown as number]) {
			let inFlight = 0;
			let maxInFlight = 0;
			const results = await mapWithConcurrency([1, 2, 3], limit, async (value) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await tick();
				inFlight--;
				return value * 2;
			});
			expect(results).toEqual([2, 4, 6]);
			expect(maxInFlight).toBe(1);
		}
	});

	it('handles an empty list without calling the task', async () => {
		const task = jest.fn();
		await expect(mapWithConcurrency([], 4, task)).resolves.toEqual([]);
		expect(task).not.toHaveBeenCalled();
	});

	it('starts no new task after a failure and throws that error', async () => {
		const started: number[] = [];
		const error = new Error('item 2 failed');
		const run = mapWithConcurrency(Array.from({ length: 10 }, (_, index) => index), 2, async (value) => {
			started.push(value);
			await tick(5);
			if (value === 2) throw error;
			return value;
		});
		await expect(run).rejects.toBe(error);
		// Items 0,1 run first, then 2 and 3 together; 2 fails, so 4..9 are never started.
		expect(started).toEqual([0, 1, 2, 3]);
	});

	it('waits for tasks already in flight before throwing', async () => {
		let finished = 0;
		const run = mapWithConcurrency([0, 1, 2], 3, async (value) => {
			if (value === 0) throw new Error('fails fast');
			await tick(15);
			finished++;
		});
		await expect(run).rejects.toThrow('fails fast');
		expect(finished).toBe(2);
	});

	it('throws the error of the earliest item when several fail, whatever the order they fail in', async () => {
		const run = mapWithConcurrency([0, 1, 2, 3], 4, async (value) => {
			// Later items fail first.
			await tick((4 - value) * 5);
			if (value === 1 || value === 3) throw new Error(`item ${value} failed`);
			return value;
		});
		await expect(run).rejects.toThrow('item 1 failed');
	});

	it('keeps a falsy thrown value as the error', async () => {
		await expect(mapWithConcurrency([0], 1, async () => Promise.reject(undefined))).rejects.toBeUndefined();
	});
});
