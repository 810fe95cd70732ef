import type { IDataObject } from 'n8n-workflow';

import { checkJsonShape } from '../../shared/input/jsonShape';
import { checkTriggerOperation } from '../../shared/trigger/health';
import { inputError } from '../../shared/input/validation';
import type { FieldDefinition, OperationContext } from '../../shared/model/operation';
import { ESPECIAL_EVENT_OPTIONS } from '../events';
import { especialTriggerCheck } from '../trigger';
import type { GeneratedField, GeneratedOperation } from './types';

// What the specification cannot say, added by hand beside the generated tables: dropdowns that load the
// account's lists, segments, senders, templates, custom attributes, interests and tags; ID lists typed as
// text; Import Contacts in batch mode. And operations the specification does not have (handWrittenOperations).

const FROM_LIST = 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';

/** Parameters (by API name) whose value the account can list: the dropdown that loads it, and its label. */
const PICKERS: Record<string, { method: string; label: string; what: string }> = {
	list_id: { method: 'getLists', label: 'List', what: 'list' },
	segment_id: { method: 'getSegments', label: 'Segment', what: 'segment of the list' },
	sender_id: { method: 'getSenders', label: 'Sender', what: 'sender' },
	template_id: { method: 'getTemplates', label: 'Template', what: 'template' },
	interest_name: { method: 'getInterests', label: 'Interest', what: 'interest of the list' },
	tag: { method: 'getTags', label: 'Tag', what: 'contact tag' },
};

/** Path fields that pick a thing of the account; the custom attribute path field is `{name}` under a list. */
function picker(operation: GeneratedOperation, field: FieldDefinition) {
	if (field.location !== 'path') return undefined;
	if (field.apiName === 'name' && operation.path.includes('/custom-attributes/')) {
		return { method: 'getCustomAttributes', label: 'Custom Attribute', what: 'custom attribute of the list' };
	}
	return PICKERS[field.apiName];
}

function withPickers(operation: GeneratedOperation): GeneratedOperation {
	const fields = operation.fields.map((field): FieldDefinition => {
		const found = picker(operation, field);
		if (!found) return field;
		const byName = found.method === 'getCustomAttributes' || found.method === 'getInterests' || found.method === 'getTags';
		return {
			...field,
			type: 'options',
			// An ID the API types as an integer stays checked as one when an expression gives it ("abc" is refused).
			format: field.format === 'integer' ? 'integer' : undefined,
			minValue: undefined,
			default: '',
			displayName: `${found.label} ${byName ? 'Name' : 'Name or ID'}`,
			loadOptionsMethod: found.method,
			description: `The ${found.what}. ${FROM_LIST}.`,
		};
	});
	return { ...operation, fields };
}

/** Comma-separated IDs as the integers the API takes (contact_ids of the bulk operations). */
function idList(context: OperationContext, body: IDataObject, apiName: string, label: string) {
	const value = body[apiName];
	if (value === undefined) return;
	const list = Array.isArray(value) ? value : String(value).split(',');
	const ids = list.map((entry) => String(entry).trim()).filter(Boolean);
	const bad = ids.find((entry) => !/^\d+$/.test(entry));
	if (bad !== undefined) {
		throw inputError(context.ctx.getNode(), context.itemIndex, label, `"${bad}" is not a contact ID`, 'Give contact IDs (whole numbers) separated by commas.');
	}
	body[apiName] = ids.map(Number);
}

const tagsField = (required: boolean): FieldDefinition => ({
	displayName: 'Tag Names',
	name: 'tags',
	apiName: 'tags',
	type: 'multiOptions',
	loadOptionsMethod: 'getTags',
	default: [],
	required,
	description: `Tags of the account. ${FROM_LIST}.`,
});

const interestsField = (required: boolean): FieldDefinition => ({
	displayName: 'Interest Names',
	name: 'interests',
	apiName: 'interests',
	type: 'multiOptions',
	loadOptionsMethod: 'getInterests',
	default: [],
	required,
	description: `Interests of the list. ${FROM_LIST}.`,
});

const contactIdsField: FieldDefinition = {
	displayName: 'Contact IDs',
	name: 'contactIds',
	apiName: 'contact_ids',
	type: 'string',
	default: '',
	placeholder: '12, 34, 56',
	description: 'IDs of the contacts, separated by commas (or select them with a query)',
};

/** Custom attributes by name: the list's attributes in a dropdown, one value each. */
const customAttributesField: FieldDefinition = {
	displayName: 'Custom Attributes',
	name: 'customAttributes',
	apiName: 'custom_attributes',
	type: 'fixedCollection',
	entryName: 'Custom Attribute',
	default: {},
	description: 'Values of the list\'s custom attributes',
	fields: [
		{
			displayName: 'Attribute Name',
			name: 'name',
			apiName: 'name',
			type: 'options',
			loadOptionsMethod: 'getCustomAttributes',
			default: '',
			required: true,
			description: `Custom attribute of the list. ${FROM_LIST}.`,
		},
		{ displayName: 'Value', name: 'value', apiName: 'value', type: 'string', default: '', description: 'Value of the attribute for this contact' },
	],
};

/** A transactional email's content as users write it: subject, HTML and text. */
const emailContentField: FieldDefinition = {
	displayName: 'Content',
	name: 'content',
	apiName: 'content',
	type: 'collection',
	required: true,
	default: {},
	placeholder: 'Add Content',
	description: 'Subject and body of the email',
	fields: [
		{ displayName: 'Subject', name: 'subject', apiName: 'subject', type: 'string', format: 'headerText', minLength: 1, default: '', required: true, description: 'Subject line of the email' },
		{ displayName: 'HTML', name: 'html', apiName: 'html', type: 'string', default: '', rows: 5, description: 'HTML body of the email' },
		{ displayName: 'Text', name: 'text', apiName: 'text', type: 'string', default: '', rows: 5, description: 'Plain-text body of the email' },
	],
};

function replaceField(operation: GeneratedOperation, apiName: string, replacement: FieldDefinition | undefined): FieldDefinition[] {
	const fields = operation.fields.filter((field) => field.apiName !== apiName || field.location !== 'body');
	const at = operation.fields.findIndex((field) => field.apiName === apiName && field.location === 'body');
	if (replacement === undefined || at < 0) return fields;
	// The specification's shape of the value (list sizes, each tag's form) stays with the friendlier field.
	const { jsonShape } = operation.fields[at];
	const located = { ...replacement, location: 'body' as const, ...(jsonShape ? { jsonShape } : {}) };
	return [...fields.slice(0, at), located, ...fields.slice(at)];
}

/** Most contacts one import request carries: each run's items go in chunks of this size. */
export const IMPORT_CHUNK_SIZE = 1000;

/** Hand-written changes per seed title. */
const BY_TITLE: Record<string, (operation: GeneratedOperation) => GeneratedOperation> = {
	'Tags multiple contacts': bulkTagging(tagsField(true)),
	'Untags multiple contacts': bulkTagging(tagsField(true)),
	'Add interest(s) to contact(s)': bulkTagging(interestsField(true)),
	'Remove interest(s) from contact(s)': bulkTagging(interestsField(true)),
	'Tags a contact': (operation) => ({ ...operation, fields: replaceField(operation, 'tags', tagsField(true)) }),
	'Untags a contact': (operation) => ({ ...operation, fields: replaceField(operation, 'tags', tagsField(true)) }),
	'Add a contact': (operation) => ({ ...operation, fields: replaceField(operation, 'custom_attributes', customAttributesField) }),
	'Update a contact': (operation) => ({
		...operation,
		fields: replaceField({ ...operation, fields: replaceField(operation, 'custom_attributes', customAttributesField) }, 'tags', tagsField(false)),
	}),
	'Import contacts': importContacts,
	'Send a transactional email': (operation) => ({ ...operation, fields: replaceField(operation, 'content', emailContentField) }),
};

/** Bulk tag / interest operations: names from dropdowns, contact IDs as a comma-separated text. */
function bulkTagging(namesField: FieldDefinition) {
	return (operation: GeneratedOperation): GeneratedOperation => {
		const fields = replaceField({ ...operation, fields: replaceField(operation, namesField.apiName, namesField) }, 'contact_ids', contactIdsField);
		return {
			...operation,
			fields,
			buildBody: (context, body) => idList(context, body, 'contact_ids', 'Contact IDs'),
		};
	};
}

/**
 * Import Contacts: each item is one contact (email, custom attributes, tags, interests); the items of a run
 * go out as one import request per chunk (the documented `contacts` array), and a contact the answer's
 * `errors` name (by its position, `loc: ["contacts", <index>, ...]`) is that item's error.
 */
function importContacts(operation: GeneratedOperation): GeneratedOperation {
	const contactFields: FieldDefinition[] = [
		{ displayName: 'Email', name: 'email', apiName: 'email', type: 'string', format: 'email', default: '', required: true, placeholder: 'name@email.com', description: 'Email address of the contact', location: 'body' },
		{ ...customAttributesField, location: 'body' },
		{ ...tagsField(false), location: 'body' },
		{ ...interestsField(false), location: 'body' },
	];
	const fields = [...contactFields, ...operation.fields.filter((field) => field.apiName !== 'contacts' || field.location !== 'body')];
	const shared = fields.filter((field) => field.location === 'body' && !contactFields.includes(field)).map((field) => field.apiName);
	return {
		...operation,
		fields,
		batch: {
			maxSize: IMPORT_CHUNK_SIZE,
			recordsKey: 'contacts',
			sharedFields: shared,
			rejections: { path: 'errors', match: { by: 'index', indexKey: 'loc.1', firstIndex: 0 }, messageKey: 'msg', codeKey: 'code' },
		},
	};
}

/**
 * An update (PATCH / PUT) whose body fields are all optional needs at least one of them: without, the
 * request would only be refused (HTTP 422), so it is not sent.
 */
function withSomethingToUpdate(operation: GeneratedOperation): GeneratedOperation {
	const bodyFields = operation.fields.filter((field) => field.location === 'body');
	if (!['PATCH', 'PUT'].includes(operation.method) || !bodyFields.length || bodyFields.some((field) => field.required)) return operation;
	const { buildBody } = operation;
	return {
		...operation,
		buildBody: async (context, body) => {
			if (Object.keys(body).length === 0) {
				throw inputError(context.ctx.getNode(), context.itemIndex, 'Additional Fields', 'nothing to change', `Add at least one field to "${operation.title}".`);
			}
			await buildBody?.(context, body);
		},
	};
}

/**
 * A replaced field (tag and interest dropdowns, contact IDs as text) keeps the specification's shape of the
 * value it sends: checked on what the body holds after the other checks, so an expression cannot send 100
 * tags of 100 characters.
 */
function withShapeCheck(operation: GeneratedOperation): GeneratedOperation {
	const shaped = operation.fields.filter((field) => field.type !== 'json' && field.jsonShape && field.location === 'body');
	if (!shaped.length) return operation;
	const { buildBody } = operation;
	return {
		...operation,
		buildBody: async (context, body) => {
			await buildBody?.(context, body);
			for (const field of shaped) {
				if (body[field.apiName] !== undefined) checkJsonShape(context.ctx.getNode(), context.itemIndex, field, body[field.apiName]);
			}
		},
	};
}

/** The generated `typeOptions: { password: true }` (written for n8n's scanner) as the shared `password` flag. */
function masked(field: GeneratedField): GeneratedField {
	const { typeOptions, ...rest } = field;
	const fields = field.fields?.map(masked);
	return { ...rest, ...(typeOptions?.password ? { password: true } : {}), ...(fields ? { fields } : {}) };
}

/** The generated operation with the hand-written additions. */
export function withOverrides(operation: GeneratedOperation): GeneratedOperation {
	const picked = withPickers({ ...operation, fields: operation.fields.map(masked) });
	return withSomethingToUpdate(withShapeCheck(BY_TITLE[operation.title]?.(picked) ?? picked));
}

/** What the overrides key on, for the check that each still meets an operation: seed titles and path parameters. */
export const overrideKeys = { titles: Object.keys(BY_TITLE), pickers: Object.keys(PICKERS) };

/**
 * Operations of the package the specification does not have, after the generated ones: Check Trigger
 * Webhooks (the webhooks of an Especial Trigger, as its registration lists them: GET /webhooks).
 */
export function handWrittenOperations(credential: string): GeneratedOperation[] {
	return [
		checkTriggerOperation({
			resource: 'webhook',
			credential,
			trigger: 'Especial Trigger',
			check: especialTriggerCheck,
			request: { method: 'GET', path: '/webhooks' },
			eventOptions: ESPECIAL_EVENT_OPTIONS,
			defaultEvents: ['Email.Bounced'],
		}),
	];
}
