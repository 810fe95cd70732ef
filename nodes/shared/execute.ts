import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from './batching';
import { asNodeError } from './errors';
import { isListOperation } from './description';
import { isRealDay, pickerTimeToUtc, writtenDay } from './dates';
import { collectPages } from './pagination';
import type { FieldDefinition, OperationDefinition } from './types';
import {
	formatDate,
	formatDateTime,
	inputError,
	isDomainName,
	isEmail,
	isHttpUrl,
	parseDateInput,
} from './validation';

/** Body and query fields of one request, keyed as the provider names them. */
export interface RequestFields {
	body: IDataObject;
	qs: IDataObject;
}

/** A provider folder's way to send one operation. */
export interface ProviderClient {
	call(
		context: IExecuteFunctions,
		operation: OperationDefinition,
		fields: RequestFields,
		itemIndex: number,
	): Promise<IDataObject>;
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Checks one value against its field's format and converts it to what the provider expects. */
export function convertField(
	node: INode,
	itemIndex: number,
	field: FieldDefinition,
	value: unknown,
	timeZone?: string,
): unknown {
	const label = field.displayName;
	switch (field.format) {
		case 'email':
			if (!isEmail(String(value))) {
				throw inputError(node, itemIndex, label, `"${String(value)}" is not a valid email address`);
			}
			return String(value).trim();
		case 'url':
			if (!isHttpUrl(String(value))) {
				throw inputError(node, itemIndex, label, `"${String(value)}" is not a valid http(s) URL`);
			}
			return String(value).trim();
		case 'domainName':
			if (!isDomainName(String(value))) {
				throw inputError(node, itemIndex, label, `"${String(value)}" is not a valid domain name`, 'Use a name like example.com, without http:// or a path.');
			}
			return String(value).trim().toLowerCase();
		case 'date':
		case 'dateTime':
		case 'unixTime': {
			const date = parseDateInput(pickerTimeToUtc(value, timeZone) ?? value);
			const day = writtenDay(value);
			if (!date || (day !== undefined && !isRealDay(day))) {
				throw inputError(node, itemIndex, label, `"${String(value)}" is not a valid date`, 'Use an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z.');
			}
			if (field.format === 'date') return day ?? formatDate(date);
			if (field.format === 'dateTime') return formatDateTime(date);
			return Math.floor(date.getTime() / 1000);
		}
		case 'flag01':
			return value === true || value === 1 || value === '1' || value === 'true' ? 1 : 0;
		case 'integer': {
			const number = Number(value);
			if (!Number.isInteger(number)) throw inputError(node, itemIndex, label, `"${String(value)}" is not a whole number`);
			return number;
		}
		default:
			break;
	}
	if (field.type === 'number') {
		const number = Number(value);
		if (Number.isNaN(number)) throw inputError(node, itemIndex, label, `"${String(value)}" is not a number`);
		if (field.minValue !== undefined && number < field.minValue) {
			throw inputError(node, itemIndex, label, `must be at least ${field.minValue}`);
		}
		if (field.maxValue !== undefined && number > field.maxValue) {
			throw inputError(node, itemIndex, label, `must be at most ${field.maxValue}`);
		}
		return number;
	}
	if (field.type === 'json' && typeof value === 'string') {
		try {
			return JSON.parse(value);
		} catch {
			throw inputError(node, itemIndex, label, 'is not valid JSON');
		}
	}
	return typeof value === 'string' ? value.trim() : value;
}

/** Reads, validates and places every field of an operation for one item. Sends nothing. */
export function readFields(context: IExecuteFunctions, operation: OperationDefinition, itemIndex: number): RequestFields {
	const node = context.getNode();
	const timeZone = context.getTimezone();
	const fields: RequestFields = { body: {}, qs: {} };
	const hasOptional = operation.fields.some((field) => !field.required && !field.main);
	const additional = hasOptional ? (context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) : {};
	for (const field of operation.fields) {
		const value =
			field.required || field.main ? context.getNodeParameter(field.name, itemIndex, '') : additional[field.name];
		if (isEmpty(value)) {
			if (field.required) throw inputError(node, itemIndex, field.displayName, 'is required but empty');
			continue;
		}
		const location = field.location ?? (operation.method === 'GET' ? 'query' : 'body');
		fields[location === 'query' ? 'qs' : 'body'][field.apiName] = convertField(node, itemIndex, field, value, timeZone) as IDataObject[string];
	}
	return fields;
}

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
