import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { isRealDay, pickerTimeToUtc, writtenDay } from './dates';
import type { FieldDefinition, OperationDefinition } from './types';
import {
	formatDate,
	formatDateTime,
	emailProblem,
	inputError,
	isDomainName,
	isHttpUrl,
	parseDateInput,
} from './validation';

// Reading an operation's fields from the node's parameters: checked, converted and placed where the
// provider expects them. Nothing here sends a request.

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
		case 'email': {
			const problem = emailProblem(String(value));
			if (problem) throw inputError(node, itemIndex, label, problem);
			return String(value).trim();
		}
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

