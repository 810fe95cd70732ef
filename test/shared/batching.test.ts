import { mapBatchResults, mapWithConcurrency, toBatches } from '../../nodes/shared/batching';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('toBatches', () => {
	it('splits into full batches and a remainder, keeping order', () => {
		const batches = toBatches(['a', 'b', 'c', 'd', 'e'], 2);
		expect(batches.map((batch) => batch.values)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
		expect(batches.map((batch) => batch.itemIndexes)).toEqual([[0, 1], [2, 3], [4]]);
	});

	it('makes one batch when everything fits, and none for no values', () => {
		expect(toBatches([1, 2, 3], 3)).toEqual([{ values: [1, 2, 3], itemIndexes: [0, 1, 2] }]);
		expect(toBatches([1, 2, 3], 1000)).toHaveLength(1);
		expect(toBatches([], 10)).toEqual([]);
	});

	it('sends 2,500 values to a 1,000-per-request API as 1000/1000/500, each value traced to its item', () => {
		const values = Array.from({ length: 2500 }, (_, index) => `user${index}@example.com`);
		// Values came from items 10, 11, 12...: the indexes must travel with them.
		const itemIndexes = values.map((_, index) => index + 10);
		const batches = toBatches(values, 1000, itemIndexes);
		expect(batches.map((batch) => batch.values.length)).toEqual([1000, 1000, 500]);
		expect(batches.map((batch) => batch.itemIndexes.length)).toEqual([1000, 1000, 500]);
		expect(batches[0].itemIndexes[0]).toBe(10);
		expect(batches[1].values[0]).toBe('user1000@example.com');
		expect(batches[1].itemIndexes[0]).toBe(1010);
		expect(batches[2].values[499]).toBe('user2499@example.com');
		expect(batches[2].itemIndexes[499]).toBe(2509);
		expect(batches.flatMap((batch) => batch.values)).toEqual(values);
	});

	it('refuses a batch size that is not a positive whole number', () => {
		for (const size of [0, -1, 1.5, Number.NaN, Infinity]) {
			expect(() => toBatches([1, 2], size)).toThrow(RangeError);
		}
	});

	it('does not change its input', () => {
		const values = [1, 2, 3];
		toBatches(values, 2);
		expect(values).toEqual([1, 2, 3]);
	});
});

describe('mapBatchResults', () => {
	it('pairs each result with the item its value came from', () => {
		const [, second] = toBatches(['a', 'b', 'c', 'd'], 2, [4, 5, 6, 7]);
		expect(mapBatchResults(second, ['ok-c', 'ok-d'])).toEqual([
			{ itemIndex: 6, result: 'ok-c' },
			{ itemIndex: 7, result: 'ok-d' },
		]);
	});

	it('leaves a value without a result as undefined rather than shifting the others', () => {
		const batch = toBatches(['a', 'b', 'c'], 3)[0];
		expect(mapBatchResults(batch, ['only-a'])).toEqual([
			{ itemIndex: 0, result: 'only-a' },
			{ itemIndex: 1, result: undefined },
			{ itemIndex: 2, result: undefined },
		]);
	});
});

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
