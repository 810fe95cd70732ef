import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from './batching';
import { asNodeError } from './errors';
import { isListOperation } from './description';
import { readFields } from './fields';
import type { ProviderClient, RequestFields } from './fields';
import { collectPages } from './pagination';
import type { OperationDefinition } from './types';
import { inputError } from './validation';

export type { ProviderClient, RequestFields } from './fields';

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
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operationValue = context.getNodeParameter('operation', itemIndex) as string;
	const operation = operations.find(
		(candidate) => candidate.resource === resource && candidate.operation === operationValue,
	);
	if (!operation) {
		throw inputError(context.getNode(), itemIndex, 'Operation', `"${operationValue}" is not an operation of "${resource}"`);
	}
	const fields = readFields(context, operation, itemIndex);
	if (operation.buildBody) await operation.buildBody({ ctx: context, itemIndex, operation }, fields.body);
	return { operation, fields };
}

/** Sends one prepared item: one call, or pages for lists; returns its output items. */
async function sendItem(
	context: IExecuteFunctions,
	client: ProviderClient,
	itemIndex: number,
	{ operation, fields }: PreparedItem,
): Promise<INodeExecutionData[]> {
	if (operation.finishBody) await operation.finishBody({ ctx: context, itemIndex, operation }, fields.body);
	if (!isListOperation(operation)) {
		return toItems([await client.call(context, operation, fields, itemIndex)], itemIndex);
	}
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (context.getNodeParameter('limit', itemIndex, 50) as number);
	if (operation.pagination) {
		const where = operation.method === 'GET' ? 'qs' : 'body';
		const items = await collectPages(operation.pagination, { returnAll, limit }, async (page) =>
			await client.call(context, operation, { ...fields, [where]: { ...fields[where], ...page } }, itemIndex),
		);
		return toItems(items, itemIndex);
	}
	const response = await client.call(context, operation, fields, itemIndex);
	const list = response[operation.itemsKey as string];
	const values = Array.isArray(list) ? (list as IDataObject[]) : [];
	return toItems(returnAll ? values : values.slice(0, limit), itemIndex);
}

function errorItem(error: unknown, itemIndex: number): INodeExecutionData[] {
	const message = (error as Error).message;
	const description = (error as { description?: string }).description;
	return [{ json: { error: message, ...(description ? { description } : {}) }, pairedItem: { item: itemIndex } }];
}

/**
 * The execute() of every provider node. First every item's input is checked and its request built,
 * in order and without any request: without "Continue On Fail" one bad item stops the run before
 * anything is sent. Then the items are sent a few at a time, output in input order; calls that may
 * send mail (not idempotent) go one at a time unless "Continue On Fail" is set, so a refused item
 * stops the run before any later item goes out. Every output item is paired with its input item.
 */
export async function executeOperations(
	context: IExecuteFunctions,
	operations: OperationDefinition[],
	client: ProviderClient,
	concurrency = 8,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const continueOnFail = context.continueOnFail();
	const prepared: Array<PreparedItem | { error: unknown }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push(await prepareItem(context, operations, itemIndex));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
			prepared.push({ error });
		}
	}
	const sendsOneByOne = !continueOnFail && prepared.some((item) => 'operation' in item && !item.operation.idempotent);
	const results = await mapWithConcurrency(prepared, sendsOneByOne ? 1 : concurrency, async (item, itemIndex) => {
		if ('error' in item) return errorItem(item.error, itemIndex);
		try {
			return await sendItem(context, client, itemIndex, item);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context.getNode(), error, itemIndex);
			return errorItem(error, itemIndex);
		}
	});
	return [results.flat()];
}
