import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { chunkBody, mapWithConcurrency, readChunkAnswer, sendInChunks, splitBody } from './batching';
import type { ChunkOutcome, ChunkSize, RowOutcome } from './batching';
import { asNodeError } from '../http/errors';
import { isListOperation } from '../description/properties';
import { findOperation, readFields } from '../input/fields';
import { itemParameter, runNode } from '../input/parameters';
import type { ProviderClient, RequestFields } from '../model/operation';
import { configureRun, DEFAULT_MAX_CONCURRENCY, isRunStopped, stopRun } from '../http/pacing';
import type { RunSpeed } from '../http/pacing';
import { collectPages } from './pagination';
import type { BatchDefinition, OperationDefinition } from '../model/operation';
import { inputError } from '../input/validation';
import { isObject } from '../util/object';


function toItems(values: IDataObject[], itemIndex: number): INodeExecutionData[] {
	return values.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/** An item whose input passed validation: the operation and the request fields, ready to send. */
interface PreparedItem {
	operation: OperationDefinition;
	fields: RequestFields;
}

/** Finds the operation of one item, validates its input and builds its body. Sends nothing. */
async function prepareItem(
	context: IExecuteFunctions,
	operations: OperationDefinition[],
	itemIndex: number,
): Promise<PreparedItem> {
	const operation = findOperation(context, operations, itemIndex);
	const fields = readFields(context, operation, itemIndex);
	if (operation.buildBody) await operation.buildBody({ ctx: context, itemIndex, operation }, fields.body);
	return { operation, fields };
}

/** Return All / Limit of a list operation, checked before anything is sent. */
interface ListOptions {
	returnAll: boolean;
	limit: number;
}

function readListOptions(context: IExecuteFunctions, operation: OperationDefinition, itemIndex: number): ListOptions | undefined {
	if (!isListOperation(operation)) return undefined;
	const returnAll = itemParameter(context, 'returnAll', itemIndex, false) as boolean;
	if (returnAll) return { returnAll, limit: Infinity };
	const value: unknown = itemParameter(context, 'limit', itemIndex, 50);
	const limit = Number(value);
	// Limit 0 would still send a request and return nothing; a fraction has no meaning as a count.
	if (value === '' || value === null || !Number.isInteger(limit) || limit < 1) {
		throw inputError(context.getNode(), itemIndex, 'Limit', `must be a whole number of at least 1, not ${JSON.stringify(value)}`, 'Set Limit to 1 or more, or turn on Return All.');
	}
	return { returnAll, limit };
}

/** Sends one prepared item: one call, or pages for lists; returns its output items. */
async function sendItem(
	context: IExecuteFunctions,
	client: ProviderClient,
	itemIndex: number,
	{ operation, fields }: PreparedItem,
	list: ListOptions | undefined,
): Promise<INodeExecutionData[]> {
	if (operation.finishBody) await operation.finishBody({ ctx: context, itemIndex, operation }, fields.body);
	if (operation.run) {
		const result = await operation.run({ ctx: context, itemIndex, operation }, fields, client);
		return toItems(Array.isArray(result) ? result : [result], itemIndex);
	}
	if (!list) {
		return toItems([await client.call(context, operation, fields, itemIndex)], itemIndex);
	}
	const { returnAll, limit } = list;
	if (operation.pagination) {
		const where = operation.method === 'GET' ? 'qs' : 'body';
		const items = await collectPages(operation.pagination, { returnAll, limit }, async (page) =>
			await client.call(context, operation, { ...fields, [where]: { ...fields[where], ...page } }, itemIndex),
		);
		return toItems(items, itemIndex);
	}
	const response = await client.call(context, operation, fields, itemIndex);
	const values = response[operation.itemsKey as string];
	const listed = Array.isArray(values) ? (values as IDataObject[]) : [];
	return toItems(returnAll ? listed : listed.slice(0, limit), itemIndex);
}

function errorItem(error: unknown, itemIndex: number): INodeExecutionData[] {
	const message = (error as Error).message;
	const description = (error as { description?: string }).description;
	return [{ json: { error: message, ...(description ? { description } : {}) }, pairedItem: { item: itemIndex } }];
}

/** What the executor keeps about a run while it sends: every item's output, and how many items the provider took so far. */
interface RunState {
	context: IExecuteFunctions;
	client: ProviderClient;
	continueOnFail: boolean;
	prepared: Array<PreparedItem | { error: unknown }>;
	outputs: INodeExecutionData[][];
	accepted: number;
	/** Items whose request failed without Continue On Fail (the first stops the run; others were in flight with it). */
	failed: number[];
	/** Chunk size of each batched operation for the rest of the run (lowered by HTTP 413). */
	chunkSizes: Map<OperationDefinition, ChunkSize>;
	/** Most chunk requests of one batched operation in flight (the Request Options' ceiling; 1 one at a time). */
	chunkCeiling: number;
}

/** Chunk requests of one batched operation in flight when its definition declares none. */
export const BATCH_CONCURRENCY = 4;

/**
 * A chunk failure that stops the run, reported once every chunk in flight with it has finished, so its
 * counts (accepted, not sent) are final.
 */
class ChunkStop extends Error {
	constructor(readonly report: () => Error) {
		super('chunk failed');
	}
}

/** Items sent together: one item, or every item of a batched operation whose request is the same but for its record. */
interface SendUnit {
	itemIndexes: number[];
	batched: boolean;
}

/**
 * Groups the items of batched operations by everything their requests share (operation, query, path,
 * headers, shared body fields); other items, and items whose input failed, go alone.
 */
function sendUnits(prepared: RunState['prepared']): SendUnit[] {
	const units: SendUnit[] = [];
	const groups = new Map<string, SendUnit>();
	prepared.forEach((item, itemIndex) => {
		if (!('operation' in item) || !item.operation.batch) {
			units.push({ itemIndexes: [itemIndex], batched: false });
			return;
		}
		const { body, ...request } = item.fields;
		const shared = splitBody(item.operation.batch, body).shared;
		const key = JSON.stringify([item.operation.resource, item.operation.operation, request, shared]);
		const group = groups.get(key);
		if (group) {
			group.itemIndexes.push(itemIndex);
			return;
		}
		const unit = { itemIndexes: [itemIndex], batched: true };
		groups.set(key, unit);
		units.push(unit);
	});
	return units;
}

function itemRange(itemIndexes: number[]): string {
	const first = itemIndexes[0] + 1;
	const last = itemIndexes[itemIndexes.length - 1] + 1;
	return itemIndexes.length === 1 ? `item ${first}` : `${itemIndexes.length} items (item ${first} to item ${last})`;
}

function isPayloadTooLarge(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '413';
}

/** A chunk's failed request, with which items it carried and how many the provider had taken before. */
function chunkError(state: RunState, error: unknown, chunk: number[], notSent: number[] = []) {
	const nodeError = asNodeError(state.context.getNode(), error, chunk[0]);
	const tooLarge = isPayloadTooLarge(error)
		? ' This item alone is larger than the provider accepts in one request: shorten its fields.'
		: '';
	const carried = ` This request carried ${itemRange(chunk)}; ${state.accepted} item(s) were accepted in the run's other requests.${notSentText(notSent)}`;
	nodeError.description = `${nodeError.description ?? ''}${tooLarge}${carried}`.trim();
	return nodeError;
}

/** The error of an item whose row the provider rejected (or left out of its answer). */
function rowError(
	state: RunState,
	operation: OperationDefinition,
	itemIndex: number,
	outcome: Exclude<RowOutcome, { accepted: true }>,
	acceptedWith: number,
	notSent: number[] = [],
): NodeApiError {
	const item = `item ${itemIndex + 1}`;
	const message =
		'missing' in outcome
			? `"${operation.title}" answered without a result for ${item}${outcome.lookedFor ? ` (${outcome.lookedFor})` : ''}`
			: `"${operation.title}" rejected ${item}: ${outcome.message}${outcome.code !== undefined ? ` [error code ${outcome.code}]` : ''}`;
	const consequence = state.continueOnFail
		? `The other items of its request were not affected (${acceptedWith} accepted).`
		: `${state.accepted} item(s) were accepted in the run's other requests and ${acceptedWith} in the same request: they stay accepted. No request started after it (those in flight with it finished).${notSentText(notSent)}`;
	const advice =
		'missing' in outcome
			? 'Check in the provider whether it was taken before sending it again.'
			: `Fix ${item} and send it again.`;
	const error = new NodeApiError(
		state.context.getNode(),
		('row' in outcome ? asJsonObject(outcome.row) : { message }) as JsonObject,
		{ message, description: `${consequence} ${advice}`, itemIndex },
	);
	// NodeApiError may swap a message for a generic one (e.g. on words like "EEXIST"); keep ours.
	error.message = message;
	return error;
}

const notSentText = (notSent: number[]) => (notSent.length ? ` Not sent: ${itemList(notSent)}.` : '');

function asJsonObject(row: unknown): JsonObject {
	return (isObject(row) ? row : { row }) as JsonObject;
}

/**
 * Sends the items of one batched group in chunks (see BatchDefinition): a chunk's request goes through
 * the provider client like any other call; each item gets its row's result, or its rejection as an
 * error. A 413 halves the chunk (sendInChunks) because the provider took nothing of it.
 */
async function sendBatch(state: RunState, unit: SendUnit): Promise<void> {
	const batch = new BatchSend(state, unit);
	// Chunks go out in parallel, also those that send mail: nothing is resent, and without Continue On Fail the
	// first failed chunk stops the run (no chunk starts after it; those in flight finish, then it is reported).
	await sendInChunks(unit.itemIndexes, batch.chunkSize, batch.concurrency, async (chunk) => await batch.sendChunk(chunk)).catch(
		async (error: unknown) => await Promise.reject(error instanceof ChunkStop ? saysWhatWentOut(error.report()) : error),
	);
}

/** Errors that already say what the run sent and did not send (a batch's): the run summary leaves them alone. */
const reportsWhatWentOut = new WeakSet<object>();

function saysWhatWentOut(error: Error): Error {
	reportsWhatWentOut.add(error);
	return error;
}

/** One batched group on its way: the chunks' records, their requests, and each row's result for its item. */
class BatchSend {
	readonly chunkSize: ChunkSize;
	readonly concurrency: number;
	private readonly first: PreparedItem;
	private readonly operation: OperationDefinition;
	private readonly batch: BatchDefinition;
	/** Items whose chunk request started: the others are "not sent" when the run stops. */
	private readonly started = new Set<number>();

	constructor(
		private readonly state: RunState,
		private readonly unit: SendUnit,
	) {
		this.first = state.prepared[unit.itemIndexes[0]] as PreparedItem;
		this.operation = this.first.operation;
		this.batch = this.operation.batch as BatchDefinition;
		let chunkSize = state.chunkSizes.get(this.operation);
		if (!chunkSize) {
			chunkSize = { size: this.batch.maxSize };
			state.chunkSizes.set(this.operation, chunkSize);
		}
		this.chunkSize = chunkSize;
		this.concurrency = Math.max(1, Math.min(this.batch.concurrency ?? BATCH_CONCURRENCY, state.chunkCeiling));
	}

	/** One chunk: its records, one request, and what the answer says of each row. */
	async sendChunk(chunk: number[]): Promise<ChunkOutcome> {
		const { records, sent } = await this.recordsOf(chunk);
		if (!sent.length) return;
		const fields = { ...this.first.fields, body: chunkBody(this.batch, records, splitBody(this.batch, this.first.fields.body).shared) };
		sent.forEach((itemIndex) => this.started.add(itemIndex));
		let answer: IDataObject;
		try {
			answer = await this.state.client.call(this.state.context, this.operation, fields, sent[0]);
		} catch (error) {
			return this.chunkFailed(error, sent);
		}
		this.applyAnswer(records, sent, answer);
	}

	/** The record of each item of the chunk; an item whose record cannot be made fails alone (Continue On Fail). */
	private async recordsOf(chunk: number[]): Promise<{ records: IDataObject[]; sent: number[] }> {
		const { context, continueOnFail, prepared, outputs } = this.state;
		const records: IDataObject[] = [];
		const sent: number[] = [];
		for (const itemIndex of chunk) {
			const { fields } = prepared[itemIndex] as PreparedItem;
			const operationContext = { ctx: context, itemIndex, operation: this.operation };
			try {
				if (this.operation.finishBody) await this.operation.finishBody(operationContext, fields.body);
				const { own } = splitBody(this.batch, fields.body);
				records.push(this.batch.toRecord ? this.batch.toRecord(own, operationContext) : own);
				sent.push(itemIndex);
			} catch (error) {
				if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
				outputs[itemIndex] = errorItem(error, itemIndex);
			}
		}
		return { records, sent };
	}

	/** A chunk request that failed: never sent (run stopped), too large (halved and sent again), or an error for its items. */
	private chunkFailed(error: unknown, sent: number[]): ChunkOutcome {
		if (isRunStopped(error)) {
			sent.forEach((itemIndex) => this.started.delete(itemIndex));
			return;
		}
		if (sent.length > 1 && isPayloadTooLarge(error)) return 'tooLarge';
		if (!this.state.continueOnFail) throw this.stop(() => chunkError(this.state, error, sent, this.notSent()));
		const shaped = chunkError(this.state, error, sent);
		for (const itemIndex of sent) this.state.outputs[itemIndex] = errorItem(shaped, itemIndex);
	}

	/** Each row's result goes to its item; a rejected row is that item's error (or stops the run). */
	private applyAnswer(records: IDataObject[], sent: number[], answer: IDataObject): void {
		const { continueOnFail, outputs } = this.state;
		const outcomes = readChunkAnswer(this.batch, records, answer);
		const acceptedWith = outcomes.filter((outcome) => outcome.accepted).length;
		outcomes.forEach((outcome, position) => {
			const itemIndex = sent[position];
			if (outcome.accepted) {
				outputs[itemIndex] = toItems([outcome.json], itemIndex);
				return;
			}
			if (!continueOnFail) throw this.stop(() => rowError(this.state, this.operation, itemIndex, outcome, acceptedWith, this.notSent()));
			outputs[itemIndex] = errorItem(rowError(this.state, this.operation, itemIndex, outcome, acceptedWith), itemIndex);
		});
		this.state.accepted += acceptedWith;
		// A stopping chunk is reported once the chunks in flight with it have finished: its counts are final then.
	}

	private notSent(): number[] {
		return this.unit.itemIndexes.filter((itemIndex) => !this.started.has(itemIndex));
	}

	/** No request of this run starts from now on (other items, other batches); chunks in flight finish. */
	private stop(report: () => Error): ChunkStop {
		stopRun(this.state.context);
		return new ChunkStop(report);
	}
}

/** Item numbers (1-based) as ranges: "item 3", "items 3 to 5, 9". */
function itemList(itemIndexes: number[]): string {
	const sorted = [...itemIndexes].sort((a, b) => a - b);
	const ranges: string[] = [];
	for (let at = 0; at < sorted.length; ) {
		let end = at;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		ranges.push(end === at ? `${sorted[at] + 1}` : `${sorted[at] + 1} to ${sorted[end] + 1}`);
		at = end + 1;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${ranges.join(', ')}`;
}

/** The node's Request Options (speed of the run), checked like any input. */
function readRunSpeed(context: IExecuteFunctions, defaultCeiling: number): RunSpeed {
	const options = context.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const ceiling = Number(options.maxConcurrency ?? defaultCeiling);
	if (!Number.isInteger(ceiling) || ceiling < 1) {
		throw inputError(context.getNode(), 0, 'Max Requests at Once', `must be a whole number of at least 1, not ${JSON.stringify(options.maxConcurrency)}`, 'Set it to 1 or more.');
	}
	const pacing = (options.pacing ?? 'documented') as RunSpeed['pacing'];
	const speed: RunSpeed = { maxConcurrency: ceiling, oneAtATime: options.oneAtATime === true, pacing };
	if (pacing === 'custom') {
		const requests = Number(options.rateLimitRequests ?? 0);
		const seconds = Number(options.rateLimitSeconds ?? 60);
		if (!(requests >= 1) || !(seconds > 0)) {
			throw inputError(context.getNode(), 0, 'Rate Limit', `needs at least 1 request per a positive number of seconds, not ${JSON.stringify(options.rateLimitRequests)} per ${JSON.stringify(options.rateLimitSeconds)}`, 'Set Rate Limit: Requests and Rate Limit: Per Seconds.');
		}
		speed.customLimit = { requests: Math.floor(requests), perMs: seconds * 1000 };
	}
	return speed;
}

/**
 * The execute() of every provider node. First every item's input is checked and its request built,
 * in order and without any request: without "Continue On Fail" one bad item stops the run before
 * anything is sent. Then the items are sent in parallel (the run's pacer, shared/http/pacing.ts, decides how
 * many are in flight: adaptive, within the Request Options' ceiling and the provider's rate limit),
 * output in input order. Without "Continue On Fail" the first failed item stops the run: no request
 * starts after it, those in flight finish, and the error says how many items went out and which were not
 * sent. "One at a Time, in Order" sends each item after the previous answer. Items of a batched
 * operation go out one request per chunk (sendBatch). Every output item is paired with its input item.
 */
export async function executeOperations(
	context: IExecuteFunctions,
	operations: OperationDefinition[],
	client: ProviderClient,
	concurrency = DEFAULT_MAX_CONCURRENCY,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	if (!items.length) return [[]];
	const continueOnFail = continuesOnFail(context);
	const speed = readRunSpeed(context, concurrency);
	configureRun(context, speed);
	const prepared: RunState['prepared'] = [];
	const lists: Array<ListOptions | undefined> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const item = await prepareItem(context, operations, itemIndex);
			lists[itemIndex] = readListOptions(context, item.operation, itemIndex);
			prepared.push(item);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
			prepared.push({ error });
		}
	}
	const chunkCeiling = speed.oneAtATime ? 1 : speed.maxConcurrency;
	const state: RunState = { context, client, continueOnFail, prepared, outputs: [], accepted: 0, failed: [], chunkSizes: new Map(), chunkCeiling };
	const units = sendUnits(prepared);
	try {
		await mapWithConcurrency(units, speed.oneAtATime ? 1 : speed.maxConcurrency, async (unit) => {
			if (unit.batched) {
				try {
					return await sendBatch(state, unit);
				} catch (error) {
					if (isRunStopped(error)) return;
					stopRun(context);
					state.failed.push(...unit.itemIndexes.filter((itemIndex) => !state.outputs[itemIndex]));
					throw asNodeError(context.getNode(), error, unit.itemIndexes[0]);
				}
			}
			const itemIndex = unit.itemIndexes[0];
			const item = prepared[itemIndex];
			if ('error' in item) {
				state.outputs[itemIndex] = errorItem(item.error, itemIndex);
				return;
			}
			try {
				state.outputs[itemIndex] = await sendItem(context, client, itemIndex, item, lists[itemIndex]);
				state.accepted++;
			} catch (error) {
				// Never sent: the run stopped while it waited for its turn.
				if (isRunStopped(error)) return;
				if (!continueOnFail) {
					// No request of this run starts from now on; those in flight finish.
					stopRun(context);
					state.failed.push(itemIndex);
					throw asNodeError(context.getNode(), error, itemIndex);
				}
				state.outputs[itemIndex] = errorItem(error, itemIndex);
			}
		});
	} catch (error) {
		throw withRunSummary(state, error, units.length);
	}
	return [state.outputs.flat()];
}

/**
 * Continue On Fail, or the node runs as an AI agent's tool (n8n's `<name>Tool` variant of a usableAsTool
 * node): then a bad value from the model comes back to it as the tool's answer, which it can correct,
 * instead of failing the agent's whole run. n8n 2.40 does this itself; 2.0 and 1.x do not.
 */
function continuesOnFail(context: IExecuteFunctions): boolean {
	return context.continueOnFail() || runNode(context).type.endsWith('Tool');
}

/**
 * Adds to a stopping error what the run did before it stopped: how many items went out, which others
 * failed with it, which were never sent. Said only where items went out in parallel (a batched
 * operation's error already says what its chunks did).
 */
function withRunSummary(state: RunState, error: unknown, unitCount: number): unknown {
	if (unitCount < 2 || !(error instanceof Error) || reportsWhatWentOut.has(error)) return error;
	const failedAt = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
	const failed = new Set(state.failed);
	const notSent = state.prepared.map((_, itemIndex) => itemIndex).filter((itemIndex) => !state.outputs[itemIndex] && !failed.has(itemIndex) && itemIndex !== failedAt);
	const parts = [`${state.accepted} item(s) went out before the run stopped (the provider accepted them; they are not sent again).`];
	const others = state.failed.filter((itemIndex) => itemIndex !== failedAt);
	if (others.length) parts.push(`In flight with it, ${itemList(others)} failed too: check them in the provider before sending them again.`);
	if (notSent.length) parts.push(`Not sent: ${itemList(notSent)}.`);
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = `${withDescription.description ?? ''} ${parts.join(' ')}`.trim();
	return error;
}
