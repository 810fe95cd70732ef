import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import { formatDate, formatDateTime, formatZonedMinute, isDateObject, isRealDay, parseDateInput, pickerTimeToUtc, writtenDay } from '../util/dates';
import { fillPath, pathPlaceholders } from '../util/path';
import { checkJsonShape } from './jsonShape';
import { itemParameter, runNode } from './parameters';
import type { FieldDefinition, FieldFormat, OperationDefinition, RequestFields, RequestSpec } from '../model/operation';
import { isObject } from '../util/object';
import {
	asciiDomain,
	emailProblem,
	headerNameProblem,
	headersProblem,
	headerTextProblem,
	inputError,
	isDomainName,
	normalizeEmail,
	urlProblem,
	visible,
} from './validation';

// Reading an operation's fields from the node's parameters: checked, converted and placed where the
// provider expects them. Nothing here sends a request.


function isEmpty(value: unknown): boolean {
	if (Array.isArray(value)) return value.length === 0;
	// A resource locator left empty is {__rl, mode, value: ''}.
	if (isObject(value) && 'mode' in value && 'value' in value) return isEmpty(value.value);
	if (value !== null && typeof value === 'object' && !isDateObject(value)) {
		return Object.keys(value).length === 0;
	}
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Name of the one option of a generated fixedCollection (its entries are `value[ENTRIES]`). */
export const FIXED_COLLECTION_ENTRIES = 'values';

/** Whether a field's `showWhen` holds for the values its operation's other fields have (by field name). */
export function isShown(field: FieldDefinition, valueOf: (name: string) => unknown): boolean {
	if (!field.showWhen) return true;
	return Object.entries(field.showWhen).every(([name, allowed]) => {
		const value = valueOf(name);
		const values = Array.isArray(value) ? value : [value];
		return values.some((candidate) => allowed.includes(candidate as string | number | boolean));
	});
}

/** The id a resource locator value holds: {__rl, mode, value} or, as saved before, a plain id. */
function locatorValue(node: INode, itemIndex: number, field: FieldDefinition, value: unknown): unknown {
	if (!isObject(value) || !('value' in value)) return value;
	const picked = value.value;
	if (value.mode === 'url' && field.locator?.urlPattern && !isEmpty(picked)) {
		// Anchored as n8n anchors the mode's validation, so what the editor accepts is what is read.
		const match = new RegExp(`^(?:${field.locator.urlPattern})$`).exec(String(picked).trim());
		if (!match?.[1]) {
			throw inputError(node, itemIndex, field.displayName, `"${String(picked)}" is not a URL this field accepts`, `Paste a URL like ${field.locator.urlPlaceholder ?? 'the one in your browser'}, or pick By ID.`);
		}
		return match[1];
	}
	if (value.mode === 'id' && field.locator?.idPattern && !isEmpty(picked) && !new RegExp(`^(?:${field.locator.idPattern})$`).test(String(picked))) {
		throw inputError(node, itemIndex, field.displayName, `"${String(picked)}" is not a valid ID`);
	}
	return picked;
}

/** Reads sub-fields from their parameter values into an object keyed by API names (empty ones left out). */
function readObject(
	node: INode,
	itemIndex: number,
	parent: FieldDefinition,
	subFields: FieldDefinition[],
	values: IDataObject,
	timeZone: string | undefined,
	entry?: number,
): IDataObject {
	const result: IDataObject = {};
	for (const sub of subFields) {
		if (!isShown(sub, (name) => values[name])) continue;
		const label = `${parent.displayName}${entry === undefined ? '' : ` ${entry + 1}`} → ${sub.displayName}`;
		const value = values[sub.name];
		if (isEmpty(value)) {
			if (sub.required) throw inputError(node, itemIndex, label, 'is required but empty');
			continue;
		}
		place(result, sub.apiName, convertField(node, itemIndex, { ...sub, displayName: label }, value, timeZone));
	}
	return result;
}

/** Sets a value; an object placed where an object already is merges into it (a later field wins per key). */
function place(target: IDataObject, key: string, value: unknown) {
	const existing = target[key];
	target[key] = (isObject(existing) && isObject(value) ? { ...existing, ...value } : value) as IDataObject[string];
}

/** collection, fixedCollection, multiOptions and resource locator values, converted; undefined for other types. */
function convertStructured(node: INode, itemIndex: number, field: FieldDefinition, value: unknown, timeZone?: string): { value: unknown } | undefined {
	switch (field.type) {
		case 'collection':
			if (!isObject(value)) throw inputError(node, itemIndex, field.displayName, 'must be a set of fields');
			return { value: readObject(node, itemIndex, field, field.fields ?? [], value, timeZone) };
		case 'fixedCollection': {
			const entries = isObject(value) ? value[FIXED_COLLECTION_ENTRIES] ?? [] : value;
			if (!Array.isArray(entries)) throw inputError(node, itemIndex, field.displayName, 'must be a list of entries');
			if (field.pairs) {
				const pairs = (entries as IDataObject[])
					.map((pair) => ({ name: String(pair.name ?? '').trim(), value: pair.value ?? '' }))
					.filter((pair) => pair.name !== '');
				// Header pairs (format headerName): RFC 5322 names, values without line breaks.
				if (field.format === 'headerName') {
					const problem = headersProblem(Object.fromEntries(pairs.map((pair) => [pair.name, pair.value])));
					if (problem) throw inputError(node, itemIndex, field.displayName, problem, `Fix the headers in "${field.displayName}".`);
				}
				const { keyApiName, valueApiName } = field.pairs;
				if (keyApiName && valueApiName) return { value: pairs.map((pair) => ({ [keyApiName]: pair.name, [valueApiName]: pair.value })) };
				return { value: Object.fromEntries(pairs.map((pair) => [pair.name, pair.value])) };
			}
			return {
				value: (entries as IDataObject[])
					.map((entry, index) => readObject(node, itemIndex, field, field.fields ?? [], entry, timeZone, index))
					.filter((entry) => Object.keys(entry).length > 0),
			};
		}
		case 'multiOptions': {
			const list = (Array.isArray(value) ? value : String(value).split(',')).map((entry) => (typeof entry === 'string' ? entry.trim() : entry));
			const allowed = field.options?.map((option) => option.value);
			const unknown = allowed ? list.filter((entry) => !allowed.includes(entry as string | number)) : [];
			if (unknown.length) {
				throw inputError(node, itemIndex, field.displayName, `${unknown.map((entry) => `"${String(entry)}"`).join(', ')} is not one of the choices`, `Use ${allowed!.map((entry) => `"${entry}"`).join(', ')}.`);
			}
			return { value: field.separator === undefined ? list : list.join(field.separator) };
		}
		case 'resourceLocator': {
			const id = locatorValue(node, itemIndex, field, value);
			if (isEmpty(id)) throw inputError(node, itemIndex, field.displayName, 'is required but empty');
			return { value: convertField(node, itemIndex, { ...field, type: 'string' }, id, timeZone) };
		}
		default:
			return undefined;
	}
}

/** A value that is an object (not a list, a date or a luxon DateTime): never what a text or number field means. */
function isPlainObject(value: unknown): boolean {
	return isObject(value) && !isDateObject(value);
}

/** A value as it reads in a message: text quoted, anything else as JSON, line breaks and hidden characters shown. */
function shown(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
	const readable = visible(text);
	return readable.length > 80 ? `${readable.slice(0, 38)}…${readable.slice(-38)}` : readable;
}

/**
 * What a boolean field accepts, from the toggle or an expression: true / false, the texts "true" / "false"
 * (any case, spaces around ignored), and 1 / 0 (number or text). Anything else is undefined (refused).
 */
export function readBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value !== 'string') return undefined;
	const text = value.trim().toLowerCase();
	if (text === 'true' || text === '1') return true;
	if (text === 'false' || text === '0') return false;
	return undefined;
}

/** The values an options field accepts, for messages: at most 30, then "…". */
function choicesText(field: FieldDefinition): string {
	const values = (field.options ?? []).map((option) => JSON.stringify(option.value));
	return values.length > 30 ? `${values.slice(0, 30).join(', ')}, …` : values.join(', ');
}

/** A value of the wrong kind for its field (an object where text or a number belongs), refused by name. */
function checkKind(node: INode, itemIndex: number, field: FieldDefinition, value: unknown) {
	const label = field.displayName;
	if (field.type === 'number' && (typeof value === 'boolean' || typeof value === 'object')) {
		throw inputError(node, itemIndex, label, `${shown(value)} is not a number`);
	}
	if ((field.type === 'string' || field.type === 'options') && isPlainObject(value)) {
		throw inputError(node, itemIndex, label, `must be a text, not an object (${shown(value)})`, `Give "${label}" a text, e.g. with an expression that picks one value of the object.`);
	}
}

/** An options field's value: one of its options (a number option also matches its text, "2" for 2). */
function pickOption(node: INode, itemIndex: number, field: FieldDefinition, value: unknown): unknown {
	if (!field.options?.length) return value;
	const text = typeof value === 'string' ? value.trim() : value;
	const match = field.options.find((option) => option.value === text || (typeof option.value === 'number' && String(option.value) === String(text)));
	if (!match) {
		throw inputError(node, itemIndex, field.displayName, `${shown(value)} is not one of the choices; allowed: ${choicesText(field)}`, `Pick one of the listed values for "${field.displayName}".`);
	}
	return match.value;
}

/** A value checked against its field's format and converted (no limits yet). */
/** Where a value is converted: for the messages of its checks. */
interface ConversionSite {
	node: INode;
	itemIndex: number;
	label: string;
	timeZone?: string;
}

function dateOf(value: unknown, at: ConversionSite): { date: Date; day?: string } {
	const date = parseDateInput(pickerTimeToUtc(value, at.timeZone) ?? value);
	const day = writtenDay(value);
	if (!date || (day !== undefined && !isRealDay(day))) {
		throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} is not a valid date`, 'Use an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z.');
	}
	return { date, day };
}

/** Each field format's check and conversion; the value has its field type already (options, boolean). */
const FORMATS: Record<FieldFormat, (value: unknown, at: ConversionSite) => unknown> = {
	email(value, at) {
		const problem = emailProblem(String(value));
		if (problem) throw inputError(at.node, at.itemIndex, at.label, problem);
		return normalizeEmail(String(value));
	},
	url(value, at) {
		const problem = urlProblem(String(value));
		if (problem) throw inputError(at.node, at.itemIndex, at.label, problem, 'Use a full http:// or https:// address, without spaces or line breaks.');
		return String(value).trim();
	},
	headerText(value, at) {
		const problem = headerTextProblem(String(value));
		if (problem) throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} ${problem}`, `Remove line breaks from "${at.label}": it becomes part of an email header.`);
		return typeof value === 'string' ? value.trim() : value;
	},
	headerName(value, at) {
		const problem = headerNameProblem(String(value).trim());
		if (problem) throw inputError(at.node, at.itemIndex, at.label, problem);
		return String(value).trim();
	},
	domainName(value, at) {
		const ascii = isDomainName(String(value)) ? asciiDomain(String(value).trim()) : undefined;
		if (ascii === undefined) {
			throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} is not a valid domain name`, 'Use a name like example.com, without http:// or a path.');
		}
		return ascii.toLowerCase();
	},
	date: (value, at) => {
		const { date, day } = dateOf(value, at);
		return day ?? formatDate(date);
	},
	dateTime: (value, at) => formatDateTime(dateOf(value, at).date),
	zonedMinute: (value, at) => formatZonedMinute(dateOf(value, at).date, at.timeZone),
	unixTime: (value, at) => Math.floor(dateOf(value, at).date.getTime() / 1000),
	flag01(value, at) {
		const flag = readBoolean(value);
		if (flag === undefined) throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} is not true or false`);
		return flag ? 1 : 0;
	},
	integer(value, at) {
		const number = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
		if (typeof value === 'boolean' || !Number.isInteger(number)) throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} is not a whole number`);
		return number;
	},
};

/** An options or boolean field's value as its type says (an option value, true / false). */
function typedValue(node: INode, itemIndex: number, field: FieldDefinition, raw: unknown): unknown {
	if (field.type === 'options') return pickOption(node, itemIndex, field, raw);
	if (field.type !== 'boolean') return raw;
	const flag = readBoolean(raw);
	if (flag === undefined) {
		const label = field.displayName;
		throw inputError(node, itemIndex, label, `${shown(raw)} is not true or false`, `Set "${label}" to true or false (an expression may also give "true", "false", 1 or 0).`);
	}
	return flag;
}

/** A value without a format: numbers and JSON parsed, text trimmed. */
function convertByType(field: FieldDefinition, value: unknown, at: ConversionSite): unknown {
	if (field.type === 'number') {
		const number = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
		if (!Number.isFinite(number)) throw inputError(at.node, at.itemIndex, at.label, `${shown(value)} is not a number`);
		return number;
	}
	if (field.type === 'json' && typeof value === 'string') {
		try {
			return JSON.parse(value);
		} catch {
			throw inputError(at.node, at.itemIndex, at.label, 'is not valid JSON');
		}
	}
	return typeof value === 'string' ? value.trim() : value;
}

function convertScalar(node: INode, itemIndex: number, field: FieldDefinition, raw: unknown, timeZone?: string): unknown {
	checkKind(node, itemIndex, field, raw);
	const value = typedValue(node, itemIndex, field, raw);
	const at: ConversionSite = { node, itemIndex, label: field.displayName, timeZone };
	return field.format ? FORMATS[field.format](value, at) : convertByType(field, value, at);
}

/** `pattern` of a comma-separated list of numeric IDs ("123, 456"). */
export const NUMERIC_ID_LIST = '[0-9]+(?:\\s*,\\s*[0-9]+)*';

/** Patterns said in words in messages. */
const PATTERN_WORDS: Record<string, string> = {
	'[0-9]+': 'digits only, a numeric ID',
	[NUMERIC_ID_LIST]: 'numeric IDs separated by commas, e.g. 123, 456',
};

/** The field's limits (minLength, maxLength, pattern for texts; minValue, maxValue for numbers), on the converted value. */
function checkLimits(node: INode, itemIndex: number, field: FieldDefinition, value: unknown) {
	const label = field.displayName;
	if (typeof value === 'string') {
		// Characters as people count them (code points), as JSON Schema does.
		const length = [...value].length;
		if (field.minLength !== undefined && length < field.minLength) {
			throw inputError(node, itemIndex, label, `is ${length} characters long, at least ${field.minLength} are needed`);
		}
		if (field.maxLength !== undefined && length > field.maxLength) {
			throw inputError(node, itemIndex, label, `is ${length} characters long, at most ${field.maxLength} are allowed`, `Shorten "${label}".`);
		}
		if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
			const form = PATTERN_WORDS[field.pattern] ?? `matching ${field.pattern}`;
			throw inputError(node, itemIndex, label, `${shown(value)} does not have the expected form (${form})`);
		}
	}
	if (typeof value === 'number') {
		if (field.minValue !== undefined && value < field.minValue) throw inputError(node, itemIndex, label, `must be at least ${field.minValue}, not ${value}`);
		if (field.maxValue !== undefined && value > field.maxValue) throw inputError(node, itemIndex, label, `must be at most ${field.maxValue}, not ${value}`);
	}
}

/**
 * Checks one value against its field (kind, choices, format, limits) and converts it to what the provider
 * expects. The same checks apply to fixed values and to what expressions give.
 */
export function convertField(
	node: INode,
	itemIndex: number,
	field: FieldDefinition,
	value: unknown,
	timeZone?: string,
): unknown {
	const structured = convertStructured(node, itemIndex, field, value, timeZone);
	if (structured) return structured.value;
	const converted = convertScalar(node, itemIndex, field, value, timeZone);
	checkLimits(node, itemIndex, field, converted);
	checkJsonShape(node, itemIndex, field, converted);
	return converted;
}

/**
 * The definition an item runs: by resource and operation and, in a node several credentials serve, by
 * the Authentication parameter (a credential type name).
 */
export function findOperation(context: IExecuteFunctions, operations: OperationDefinition[], itemIndex: number): OperationDefinition {
	const resource = itemParameter(context, 'resource', itemIndex) as string;
	const operationValue = itemParameter(context, 'operation', itemIndex) as string;
	const candidates = operations.filter((candidate) => candidate.resource === resource && candidate.operation === operationValue);
	if (!candidates.length) {
		throw inputError(context.getNode(), itemIndex, 'Operation', `"${operationValue}" is not an operation of "${resource}"`);
	}
	// A node several credentials serve has one Authentication choice (see authenticationProperties); the
	// operation runs with the definition of the chosen credential. A node with one credential has none.
	const authentication = itemParameter(context, 'authentication', itemIndex, '') as string;
	if (!authentication) return candidates[0];
	const chosen = candidates.find((candidate) => candidate.credential === authentication);
	if (!chosen) {
		const labelOf = (credential: string) => operations.find((candidate) => candidate.credential === credential)?.credentialLabel ?? credential;
		const served = candidates.map((candidate) => labelOf(candidate.credential)).join(' or ');
		throw inputError(
			context.getNode(),
			itemIndex,
			'Credential',
			`"${candidates[0].name}" (${resource}) works with the ${served} credential, not the ${labelOf(authentication)}`,
			`Under Credential, pick a credential of the ${served} type (its type sets Authentication).`,
		);
	}
	return chosen;
}

/** Whether a field is its own parameter (required, main or in the path), not one of the Additional Fields. */
export function isTopLevelField(field: FieldDefinition): boolean {
	return field.required === true || field.main === true || field.location === 'path';
}

const FIELD_TARGET = { body: 'body', query: 'qs', path: 'path', header: 'headers' } as const;

/**
 * An expression of a field that n8n could not evaluate ("Referenced node doesn't exist"), as bad input
 * of that field: named by its label, the item counted from 1 once (n8n's "[item 0]" dropped).
 */
function expressionFailure(node: INode, itemIndex: number, label: string, error: unknown) {
	const message = String((error as Error)?.message ?? error).replace(/\s*(?:in )?\[item \d+\]\s*$/, '');
	const description = (error as { description?: string }).description;
	return inputError(node, itemIndex, label, `its expression failed: ${message}`, description || `Fix the expression of "${label}" for item ${itemIndex + 1}.`);
}

/** A parameter's value for one item; a failing expression is reported as the field's bad input. */
function readParameter(context: IExecuteFunctions, itemIndex: number, label: string, name: string, fallback: unknown): unknown {
	try {
		return itemParameter(context, name, itemIndex, fallback);
	} catch (error) {
		throw expressionFailure(context.getNode(), itemIndex, label, error);
	}
}

/** The Additional Fields of an item; when one of their expressions fails, that field is named. */
function readAdditionalFields(context: IExecuteFunctions, operation: OperationDefinition, itemIndex: number): IDataObject {
	try {
		return itemParameter(context, 'additionalFields', itemIndex, {}) as IDataObject;
	} catch (error) {
		const raw = context.getNodeParameter('additionalFields', itemIndex, {}, { rawExpressions: true }) as IDataObject;
		for (const name of Object.keys(raw)) {
			const field = operation.fields.find((candidate) => candidate.name === name);
			readParameter(context, itemIndex, field?.displayName ?? name, `additionalFields.${name}`, undefined);
		}
		throw expressionFailure(context.getNode(), itemIndex, 'Additional Fields', error);
	}
}

/** Reads, validates and places every field of an operation for one item. Sends nothing. */
export function readFields(context: IExecuteFunctions, operation: OperationDefinition, itemIndex: number): RequestFields {
	const node = runNode(context);
	const timeZone = context.getTimezone();
	const fields: Required<RequestFields> = { body: {}, qs: {}, path: {}, headers: {} };
	const hasOptional = operation.fields.some((field) => !isTopLevelField(field));
	const additional = hasOptional ? readAdditionalFields(context, operation, itemIndex) : {};
	const topLevel = new Set(operation.fields.filter(isTopLevelField).map((field) => field.name));
	const labelOf = (name: string) => operation.fields.find((field) => field.name === name)?.displayName ?? name;
	// What a showWhen condition compares: the parameter as the editor holds it (defaults included).
	const valueOf = (name: string): unknown =>
		name in additional && !topLevel.has(name) ? additional[name] : readParameter(context, itemIndex, labelOf(name), name, undefined);
	for (const field of operation.fields) {
		if (!isShown(field, valueOf)) continue;
		const value = isTopLevelField(field) ? readParameter(context, itemIndex, field.displayName, field.name, '') : additional[field.name];
		if (isEmpty(value)) {
			if (isTopLevelField(field) && (field.required || field.location === 'path')) {
				throw inputError(node, itemIndex, field.displayName, 'is required but empty');
			}
			continue;
		}
		const location = field.location ?? (operation.method === 'GET' ? 'query' : 'body');
		const converted = convertField(node, itemIndex, field, value, timeZone);
		if (location === 'path' && isEmpty(converted)) throw inputError(node, itemIndex, field.displayName, 'is required but empty');
		place(fields[FIELD_TARGET[location]], field.apiName, location === 'header' ? String(converted) : converted);
	}
	return fields;
}

/**
 * The request of one operation from its read fields: method, path with its placeholders filled
 * (URL-encoded), query, body (none for GET) and headers. Provider transports add only what is theirs
 * (command envelopes, profiles).
 */
export function toRequestSpec(operation: OperationDefinition, fields: RequestFields): RequestSpec {
	const values = fields.path ?? {};
	const unfilled = pathPlaceholders(operation.path).filter((name) => isEmpty(values[name]));
	if (unfilled.length) {
		// readFields refuses empty path fields and the description check a placeholder without a field.
		throw new ApplicationError(`Path ${operation.path} of "${operation.title}" has no value for ${unfilled.join(', ')}`);
	}
	const headers = fields.headers && Object.keys(fields.headers).length ? fields.headers : undefined;
	return {
		method: operation.method,
		path: fillPath(operation.path, values),
		qs: fields.qs,
		body: operation.method === 'GET' ? undefined : fields.body,
		...(headers ? { headers } : {}),
		idempotent: operation.idempotent,
	};
}
