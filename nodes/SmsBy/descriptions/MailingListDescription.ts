import type { IDataObject } from 'n8n-workflow';

import type { OperationContext, OperationDefinition } from '../../shared/model/operation';
import { inputError } from '../../shared/input/validation';
import { listField, smsByMethod } from './common';

/** The documented limits of one importContacts call. */
export const IMPORT_MAX_CONTACTS = 500;
export const IMPORT_MAX_FIELDS = 30;

/** Body keys of the request itself; a custom field cannot take these names. */
const REQUEST_KEYS = new Set(['list_id', 'field_names', 'data', 'token']);

/**
 * One contact as the columns SMS.by imports: email, phone and the custom fields side by side. Its
 * column names go into `field_names`, a shared field, so only contacts with the same columns share a
 * request: a column a contact lacks is never sent empty (the import would blank it on an existing contact).
 */
function buildContact(context: OperationContext, body: IDataObject) {
	const node = context.ctx.getNode();
	const custom = (body.fields ?? {}) as IDataObject;
	delete body.fields;
	for (const [name, value] of Object.entries(custom)) {
		if (REQUEST_KEYS.has(name)) throw inputError(node, context.itemIndex, 'Custom Fields', `"${name}" is a name the request itself uses`, 'Rename the field.');
		if (name in body) throw inputError(node, context.itemIndex, 'Custom Fields', `"${name}" is already set by its own field`, `Remove "${name}" from Custom Fields.`);
		body[name] = value;
	}
	const columns = Object.keys(body).filter((key) => key !== 'list_id');
	if (body.email === undefined && body.phone === undefined) {
		throw inputError(node, context.itemIndex, 'Email', 'and Phone are both empty', 'A contact needs an email address or a phone number.');
	}
	if (columns.length > IMPORT_MAX_FIELDS) {
		throw inputError(node, context.itemIndex, 'Custom Fields', `has ${columns.length} fields, more than the ${IMPORT_MAX_FIELDS} SMS.by imports`, 'Send fewer fields.');
	}
	body.field_names = columns.sort();
}

/** Also the Mailing List picker's list (transport.ts). */
export const getSubscriberLists: OperationDefinition = smsByMethod({
	resource: 'mailingList',
	operation: 'getAll',
	name: 'Get Many',
	action: 'Get mailing lists',
	description: 'Get the mailing lists of the account',
	title: 'Getting mailing lists',
	// The docs name this method ("Getting mailing lists") without showing its path; named like its siblings.
	path: '/api/v2/getSubscriberLists',
	idempotent: true,
	itemsKey: 'result',
});

export const mailingListOperations: OperationDefinition[] = [
	smsByMethod({
		resource: 'mailingList',
		operation: 'create',
		name: 'Create',
		action: 'Create a mailing list',
		description: 'Create a new mailing list',
		title: 'Creating a new mailing list',
		path: '/api/v2/createSubscriberList',
		// A second call would create a second list.
		idempotent: false,
		fields: [{ displayName: 'Name', name: 'listName', apiName: 'name', type: 'string', default: '', required: true, description: 'Mailing list name' }],
	}),
	getSubscriberLists,
	smsByMethod({
		resource: 'mailingList',
		operation: 'importContacts',
		name: 'Import Contacts',
		action: 'Import contacts to a mailing list',
		description: 'Add or update contacts of a mailing list; the items of a run go out 500 per request',
		title: 'Import contacts to mailing list',
		path: '/api/v2/importContacts',
		// Adds or updates by email / phone: sending the same rows again changes nothing.
		idempotent: true,
		buildBody: buildContact,
		fields: [
			listField,
			{ displayName: 'Email', name: 'email', apiName: 'email', type: 'string', default: '', main: true, format: 'email', placeholder: 'name@example.com', description: "The contact's email address (an email or a phone is required)" },
			{ displayName: 'Phone', name: 'phone', apiName: 'phone', type: 'string', default: '', main: true, placeholder: '375291111111', description: "The contact's phone number, international format without + (an email or a phone is required)" },
			{
				displayName: 'Custom Fields',
				name: 'customFields',
				apiName: 'fields',
				type: 'fixedCollection',
				entryName: 'Field',
				default: {},
				pairs: { nameLabel: 'Field Name', valueLabel: 'Value' },
				description: 'Other fields of the contact, e.g. name',
			},
		],
		batch: {
			maxSize: IMPORT_MAX_CONTACTS,
			recordsKey: 'data',
			sharedFields: ['list_id', 'field_names'],
			// Columns and rows: field_names[i] once, then data[row][i] per contact.
			chunkBody: (records, shared) => ({
				...shared,
				data: records.map((record) => (shared.field_names as string[]).map((name) => record[name] ?? '')),
			}),
			// Rows not imported are in result.log by their index in the data array (from 0).
			rejections: { path: 'result.log', match: { by: 'index', indexKey: 'index', firstIndex: 0 }, messageKey: 'error_message' },
		},
	}),
];
