/**
 * The generated bad-input cases of issue 17 (test/shared/bad-input.test.ts): for every field of every
 * operation of a provider, values that must be refused before any request (wrong kind, line breaks in
 * header fields, over-long, empty where required, not one of the options, impossible dates, numbers
 * below or above the limits, JSON that does not parse or has the wrong shape), each run on top of a
 * "baseline" of values that pass (so the error can only come from the field under test). Also the values
 * the providers' docs allow that must still go out (test/shared/bad-input.allowed.json).
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { isShown, isTopLevelField, readFields } from '../../nodes/shared/input/fields';
import type { JsonShape } from '../../nodes/shared/model/operation';
import type { FieldDefinition, OperationDefinition } from '../../nodes/shared/model/operation';

/** One bad value of one field: what it is (for the report), the value, and whether an expression gives it. */
export interface BadValue {
	kind: string;
	value: unknown;
}

const DATE_FORMATS = new Set(['date', 'dateTime', 'zonedMinute', 'unixTime']);

/** Texts tried, in order, where a field's pattern decides what is valid. */
const PATTERN_CANDIDATES = ['abc', '1', 'a', 'example', 'abc_def', 'ABC', 'a-b', 'abc123', '2026-01-31', '2026-01-31T12:00:00Z', 'jane@example.org', 'https://example.org/x', 'Abc1'];
/** Texts tried, in order, to break a field's pattern. */
const PATTERN_BREAKERS = ['a b!', '!!', 'abc!', '-', 'ä ö', '1.5e', '<x>'];

const fullMatch = (pattern: string, text: string) => new RegExp(`^(?:${pattern})$`).test(text);

function fitsLength(field: FieldDefinition, text: string): boolean {
	const length = [...text].length;
	return (field.minLength === undefined || length >= field.minLength) && (field.maxLength === undefined || length <= field.maxLength);
}

/** A text that passes the field's pattern and lengths, or undefined when none of the candidates does. */
function patternedText(field: FieldDefinition): string | undefined {
	const candidates = [typeof field.default === 'string' ? field.default : '', field.placeholder ?? '', ...PATTERN_CANDIDATES];
	return candidates.find((text) => text.trim() !== '' && (!field.pattern || fullMatch(field.pattern, text)) && fitsLength(field, text));
}

/** A small value of a JSON shape: required keys, first enum values, shortest texts and lists allowed. */
export function sampleOf(shape: JsonShape | undefined): unknown {
	if (!shape) return {};
	if (shape.enum?.length) return shape.enum[0];
	if (shape.anyOf?.length) return sampleOf(shape.anyOf[0]);
	switch (shape.type) {
		case 'object':
		case undefined: {
			const result: IDataObject = {};
			for (const key of shape.required ?? []) result[key] = sampleOf(shape.properties?.[key]) as IDataObject[string];
			return result;
		}
		case 'array':
			return Array.from({ length: shape.minItems ?? 0 }, () => sampleOf(shape.items));
		case 'integer':
		case 'number':
			return Math.max(shape.minimum ?? 1, Math.min(1, shape.maximum ?? 1));
		case 'boolean':
			return true;
		default: {
			if (shape.format === 'email') return 'jane@example.org';
			if (shape.format === 'uri') return 'https://example.org/x';
			const text = PATTERN_CANDIDATES.find((candidate) => (!shape.pattern || fullMatch(shape.pattern, candidate)) && [...candidate].length >= (shape.minLength ?? 0) && [...candidate].length <= (shape.maxLength ?? Infinity));
			return text ?? 'abc';
		}
	}
}

/** A value the field accepts, as its n8n parameter holds it; undefined when the generator knows none. */
export function goodValue(field: FieldDefinition): unknown {
	switch (field.type) {
		case 'resourceLocator': {
			const id = ['1', '123', 'abc', 'a1'].find((candidate) => !field.locator?.idPattern || fullMatch(field.locator.idPattern, candidate));
			const text = field.pattern ? patternedText({ ...field, default: id }) : id;
			return text === undefined ? undefined : { __rl: true, mode: 'id', value: text };
		}
		case 'options': {
			const values = field.options?.map((option) => option.value) ?? [];
			// Choices loaded from the provider: an ID given by expression, as the editor suggests.
			if (!values.length) return patternedText({ ...field, default: '1' });
			return values.includes(field.default as string | number) ? field.default : values[0];
		}
		case 'multiOptions':
			return field.options?.length ? [field.options[0].value] : ['a'];
		case 'boolean':
			return true;
		case 'number': {
			const number = typeof field.default === 'number' ? field.default : 1;
			return Math.min(Math.max(number, field.minValue ?? -Infinity), field.maxValue ?? Infinity);
		}
		case 'json': {
			const shape = field.jsonShape;
			return JSON.stringify(sampleOf(shape));
		}
		case 'collection':
			return entryOf(field);
		case 'fixedCollection': {
			if (field.pairs) return { values: [{ name: 'X-Test', value: 'v' }] };
			const entry = entryOf(field);
			return entry === undefined ? undefined : { values: [entry] };
		}
		default:
			break;
	}
	if (field.format && DATE_FORMATS.has(field.format)) return '2026-01-31T12:00:00Z';
	switch (field.format) {
		case 'email':
			return 'jane@example.org';
		case 'url':
			return 'https://hooks.example.org/x';
		case 'domainName':
			return 'example.org';
		case 'integer':
			return String(Math.min(Math.max(1, field.minValue ?? 1), field.maxValue ?? Infinity));
		case 'flag01':
			return true;
		case 'headerName':
			return 'X-Test';
		default:
			break;
	}
	if (field.type === 'dateTime') return '2026-01-31T12:00:00Z';
	return patternedText(field);
}

/** One entry of a collection: its required sub-fields (or its first one) with good values. */
export function entryOf(field: FieldDefinition): IDataObject | undefined {
	const subs = field.fields ?? [];
	const chosen = subs.some((sub) => sub.required) ? subs.filter((sub) => sub.required) : subs.slice(0, 1);
	const entry: IDataObject = {};
	for (const sub of chosen) {
		const value = goodValue(sub);
		if (value === undefined) return undefined;
		entry[sub.name] = value as IDataObject[string];
	}
	return entry;
}

/** The bad values of one field, from what its definition says it accepts. */
export function badValues(field: FieldDefinition, required: boolean): BadValue[] {
	const values: BadValue[] = [];
	const add = (kind: string, value: unknown) => values.push({ kind, value });
	if (required) {
		add('empty required', '');
		add('empty required (spaces)', '   ');
	}
	const format = field.format;
	switch (field.type) {
		case 'resourceLocator':
			if (field.locator?.idPattern && !fullMatch(field.locator.idPattern, 'abc!')) add('ID not of the documented form', { __rl: true, mode: 'id', value: 'abc!' });
			return values;
		case 'options':
			if (field.options?.length) {
				add('invalid enum', 'not-an-option');
				add('invalid enum (number)', 987654);
				add('wrong type: object', { a: 1 });
				return values;
			}
			// Choices loaded from the provider: any ID may be given, so it is checked like a text.
			break;
		case 'multiOptions':
			if (field.options?.length) add('invalid enum', ['not-an-option']);
			return values;
		case 'boolean':
			add('not a boolean', 'maybe');
			add('not a boolean (number)', 2);
			add('wrong type: object', { a: 1 });
			return values;
		case 'number':
			add('wrong type: text', 'abc');
			add('wrong type: boolean', true);
			add('wrong type: object', { a: 1 });
			if (field.minValue !== undefined) add(field.minValue > 0 ? 'zero/negative not allowed' : 'below minimum', field.minValue > 0 ? Math.min(0, field.minValue - 1) : field.minValue - 1);
			if (field.maxValue !== undefined) add('above maximum', field.maxValue + 1);
			return values;
		case 'json': {
			add('invalid JSON', '{"a": ');
			add('invalid JSON (list)', '[1,');
			const shape = field.jsonShape;
			if (shape?.type === 'object') add('JSON of the wrong shape', '"a text"');
			if (shape?.type === 'array') add('JSON of the wrong shape', '{"a": 1}');
			return values;
		}
		case 'collection':
		case 'fixedCollection':
			if (format === 'headerName') {
				add('header name with CR/LF', { values: [{ name: 'X-A\r\nBcc', value: 'x' }] });
				add('header name not RFC 5322', { values: [{ name: 'X Bad: Name', value: 'x' }] });
				add('header value with CR/LF', { values: [{ name: 'X-A', value: 'a\r\nBcc: x@evil.example' }] });
			}
			return values;
		default:
			break;
	}
	add('wrong type: object', { a: 1 });
	if (format && DATE_FORMATS.has(format)) {
		add('invalid date', 'not a date');
		add('impossible date', '2026-02-30');
	}
	switch (format) {
		case 'email':
			add('invalid email', 'not-an-email');
			add('email hiding a zero-width space', 'jane\u200b@example.org');
			add('over-long email (RFC 5321)', `${'a'.repeat(65)}@example.org`);
			break;
		case 'url':
			add('invalid URL', 'not a url');
			add('URL with CR/LF', 'https://hooks.example.org/x\r\nX-Injected: 1');
			add('URL not http(s)', 'ftp://example.org/x');
			break;
		case 'domainName':
			add('invalid domain', 'not a domain!');
			break;
		case 'integer':
			add('not a whole number', '12a');
			add('not a whole number (fraction)', '1.5');
			if (field.minValue !== undefined) add('below minimum', String(field.minValue - 1));
			break;
		case 'headerText':
			add('CR/LF (header injection)', 'Hello\r\nBcc: victim@evil.example');
			add('LF', 'Hello\nBcc: victim@evil.example');
			add('NUL', 'Hello\u0000');
			break;
		case 'headerName':
			add('header name with CR/LF', 'X-A\r\nBcc');
			add('header name not RFC 5322', 'X Bad: Name');
			break;
		case 'flag01':
			add('not a boolean', 'maybe');
			break;
		default:
			break;
	}
	if (field.maxLength !== undefined) add(`over-long (max ${field.maxLength})`, patternFill(field, field.maxLength + 1));
	if (field.minLength !== undefined && field.minLength > 1) add(`too short (min ${field.minLength})`, patternFill(field, field.minLength - 1));
	if (field.pattern) {
		const breaker = PATTERN_BREAKERS.find((text) => !fullMatch(field.pattern!, text));
		if (breaker !== undefined) add('breaks the documented pattern', breaker);
	}
	return values;
}

/** A text of the given length, made of a character the pattern accepts where one is known. */
function patternFill(field: FieldDefinition, length: number): string {
	const char = ['a', '1', 'A', 'x'].find((candidate) => !field.pattern || fullMatch(field.pattern, candidate.repeat(Math.max(1, length)))) ?? 'a';
	return char.repeat(length);
}

/**
 * The parameters of one operation whose top-level fields hold good values and that pass our checks
 * offline; an update that needs something to change gets its first optional field that helps. Undefined
 * when the generator knows no such values.
 */
export async function passingBaseline(operation: OperationDefinition, authentication: boolean): Promise<{ parameters?: IDataObject; problem?: string }> {
	const parameters = baseline(operation, authentication);
	if (!parameters) return { problem: 'no valid value known for a required field' };
	const problem = await offlineProblem(operation, parameters);
	if (!problem) return { parameters };
	for (const field of operation.fields.filter((candidate) => !isTopLevelField(candidate))) {
		const value = goodValue(field);
		if (value === undefined) continue;
		const withOne = withField(parameters, operation, field, value);
		if (!(await offlineProblem(operation, withOne))) return { parameters: withOne };
	}
	return { problem };
}

/** The parameters of one operation whose every top-level field holds a good value (undefined: none known). */
export function baseline(operation: OperationDefinition, authentication: boolean): IDataObject | undefined {
	const parameters: IDataObject = { resource: operation.resource, operation: operation.operation, additionalFields: {} };
	if (authentication) parameters.authentication = operation.credential;
	if (operation.itemsKey || operation.pagination) Object.assign(parameters, { returnAll: false, limit: 1 });
	for (const field of operation.fields) {
		if (!isTopLevelField(field)) continue;
		const value = goodValue(field);
		if (value === undefined) return undefined;
		parameters[field.name] = value as IDataObject[string];
	}
	return parameters;
}

/** Sets a field's value in the parameters (top level or Additional Fields), and what shows it. */
export function withField(parameters: IDataObject, operation: OperationDefinition, field: FieldDefinition, value: unknown): IDataObject {
	const result: IDataObject = { ...parameters, additionalFields: { ...(parameters.additionalFields as IDataObject) } };
	const place = (target: FieldDefinition, fieldValue: unknown) => {
		if (isTopLevelField(target)) result[target.name] = fieldValue as IDataObject[string];
		else (result.additionalFields as IDataObject)[target.name] = fieldValue as IDataObject[string];
	};
	for (const [name, allowed] of Object.entries(field.showWhen ?? {})) {
		const controller = operation.fields.find((candidate) => candidate.name === name);
		if (controller) place(controller, allowed[0]);
		else result[name] = allowed[0] as IDataObject[string];
	}
	place(field, value);
	return result;
}

/** A minimal execute context over plain parameters: enough for readFields and an operation's buildBody. */
function offlineContext(parameters: IDataObject): IExecuteFunctions {
	const node = { id: 'offline', name: 'Offline', type: 'offline', typeVersion: 1, position: [0, 0], parameters } as unknown as INode;
	const read = (name: string) => name.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], parameters);
	return {
		getNode: () => node,
		getTimezone: () => 'UTC',
		getInputData: () => [{ json: {} }],
		continueOnFail: () => false,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => read(name) ?? fallback,
	} as unknown as IExecuteFunctions;
}

/**
 * Whether parameters pass our checks without sending anything (readFields and the operation's buildBody);
 * the message of the refusal otherwise.
 */
export async function offlineProblem(operation: OperationDefinition, parameters: IDataObject): Promise<string | undefined> {
	const context = offlineContext(parameters);
	try {
		const fields = readFields(context, operation, 0);
		if (operation.buildBody) await operation.buildBody({ ctx: context, itemIndex: 0, operation }, fields.body);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** Whether the field is read at all with these parameters (its showWhen holds). */
export function isFieldShown(operation: OperationDefinition, field: FieldDefinition, parameters: IDataObject): boolean {
	const additional = parameters.additionalFields as IDataObject;
	return isShown(field, (name) => (name in additional ? additional[name] : parameters[name]));
}
