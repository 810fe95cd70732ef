/** A slice of the input items sent in one provider call, with the item indexes it came from. */
export interface Batch<T> {
	values: T[];
	itemIndexes: number[];
}

/** Splits values into provider-sized batches, remembering which item each value came from. */
export function toBatches<T>(values: T[], batchSize: number, itemIndexes?: number[]): Array<Batch<T>> {
	if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
	const batches: Array<Batch<T>> = [];
	for (let start = 0; start < values.length; start += batchSize) {
		batches.push({
			values: values.slice(start, start + batchSize),
			itemIndexes: (itemIndexes ?? values.map((_, index) => index)).slice(start, start + batchSize),
		});
	}
	return batches;
}

/**
 * Maps per-value results of a batch back to the items they came from, so every output item keeps
 * its pairedItem. Results are matched by position.
 */
export function mapBatchResults<R>(batch: Batch<unknown>, results: R[]): Array<{ itemIndex: number; result: R | undefined }> {
	return batch.itemIndexes.map((itemIndex, position) => ({ itemIndex, result: results[position] }));
}

/** Runs tasks with at most `concurrency` in flight; results keep the input order. Stops starting new tasks after a failure. */
export async function mapWithConcurrency<T, R>(
	values: T[],
	concurrency: number,
	task: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(values.length);
	let next = 0;
	let failed = false;
	let firstError: unknown;
	const worker = async () => {
		while (!failed && next < values.length) {
			const index = next++;
			try {
				results[index] = await task(values[index], index);
			} catch (error) {
				if (!failed || index < (firstError as { index: number }).index) {
					firstError = { error, index };
				}
				failed = true;
			}
		}
	};
	// A limit that is not a number (NaN, undefined) would start no worker and silently skip every task.
	const limit = Number.isNaN(Number(concurrency)) ? 1 : Math.floor(Number(concurrency));
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, values.length)) }, worker));
	if (failed) throw (firstError as { error: unknown }).error;
	return results;
}
