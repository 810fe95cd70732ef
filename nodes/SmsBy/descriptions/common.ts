import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';

export const SMSBY_CREDENTIAL = 'smsByApi';

/** What SMS.by calls its mailings' HTTP errors (every method's "Responses" table). */
export const SMSBY_ERRORS: Record<string, string> = {
	'400': 'Incorrect request',
	'404': 'Page not found',
	'421': 'Data not verified',
	'429': 'Request limit exceeded',
	'500': 'Server is not available',
};

/** Every SMS.by method is a POST with a form body (the token is added by the credential). */
export function smsByMethod(
	definition: Omit<OperationDefinition, 'method' | 'credential' | 'fields'> & { fields?: FieldDefinition[] },
): OperationDefinition {
	return { method: 'POST', credential: SMSBY_CREDENTIAL, fields: [], errorCodes: SMSBY_ERRORS, ...definition };
}

/** The mailing list a call works on: picked from the account's lists or given by ID. */
export const listField: FieldDefinition = {
	displayName: 'Mailing List',
	name: 'listId',
	apiName: 'list_id',
	type: 'resourceLocator',
	locator: { searchMethod: 'searchLists', searchable: true, idPattern: '[0-9]+', idPlaceholder: 'e.g. 3434' },
	required: true,
	default: '',
	description: 'Mailing list, from the list or by its ID',
};

export const senderFields: FieldDefinition[] = [
	{ displayName: 'Sender Email', name: 'senderEmail', apiName: 'sender_email', type: 'string', default: '', required: true, format: 'email', placeholder: 'from@example.com', description: 'The address the letter is sent from' },
	{ displayName: 'Sender Name', name: 'senderName', apiName: 'sender_name', type: 'string', default: '', main: true, format: 'headerText', placeholder: 'Example Shop', description: 'Name shown as the sender' },
];

export const subjectField: FieldDefinition = { displayName: 'Subject', name: 'subject', apiName: 'subject', type: 'string', default: '', required: true, format: 'headerText', description: 'Letter title' };

export const messageField: FieldDefinition = { displayName: 'Message', name: 'message', apiName: 'message', type: 'string', default: '', required: true, rows: 6, description: 'Letter contents (HTML or text)' };

/** Scheduling and tracking: the same on every send method. */
export const deliveryOptionFields: FieldDefinition[] = [
	{
		displayName: 'Send At',
		name: 'sendAt',
		apiName: 'd_schedule',
		type: 'dateTime',
		default: '',
		format: 'zonedMinute',
		description: "Delay sending until this time (sent as 'YYYY-MM-DD HH:MM' in the workflow's time zone). Empty: send now.",
	},
	{ displayName: 'Track Opens', name: 'trackOpen', apiName: 'track_open', type: 'boolean', default: true, format: 'flag01', description: 'Whether to track email opening' },
	{ displayName: 'Track Clicks', name: 'trackClick', apiName: 'track_click', type: 'boolean', default: true, format: 'flag01', description: 'Whether to track clicks on links in the email' },
];

/** An attached file from the item's binary data; read right before the item's request. */
export const attachmentField: FieldDefinition = {
	displayName: 'Attachment',
	name: 'attachment',
	apiName: 'attachment',
	type: 'string',
	default: '',
	placeholder: 'data',
	description: 'Name of the binary property of the item to attach (one file)',
};
