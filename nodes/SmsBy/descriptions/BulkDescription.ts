import type { IDataObject } from 'n8n-workflow';

import type { OperationContext, OperationDefinition } from '../../shared/model/operation';
import { inputError, readAddressList } from '../../shared/input/validation';
import { deliveryOptionFields, messageField, senderFields, smsByMethod, subjectField } from './common';

/** Personal mailings of one run go out in chunks of this many letters (the docs name no maximum). */
export const PERSONAL_MAILING_CHUNK = 500;

const mailingNameField = { displayName: 'Mailing Name', name: 'mailingName', apiName: 'name', type: 'string' as const, default: '', description: 'Name of the mailing. Empty: SMS.by generates one.' };

/** The Recipients text as the documented `delivery_list` of addresses (sent as delivery_list[0], delivery_list[1]...). */
function buildBulkBody(context: OperationContext, body: IDataObject) {
	const node = context.ctx.getNode();
	// Checked (hidden characters, IDNs in punycode) by the shared address-list reader.
	const addresses = readAddressList(node, context.itemIndex, 'Recipients', body.delivery_list).map((recipient) => recipient.email);
	if (!addresses.length) throw inputError(node, context.itemIndex, 'Recipients', 'has no address', 'Add at least one email address.');
	body.message_type = 'bulk';
	body.delivery_list = addresses;
}

function buildPersonalBody(_context: OperationContext, body: IDataObject) {
	body.message_type = 'personal';
}

/** Also what the SMS.by Trigger polls for a bulk mailing (trigger.ts). */
export const statusBulkEmail: OperationDefinition = smsByMethod({
	resource: 'bulk',
	operation: 'getStatus',
	name: 'Get Status',
	action: 'Get the statuses and errors of a bulk mailing',
	description: 'One item per recipient of a bulk or personal mailing: its status, or why its address was refused',
	title: 'Get email statuses and errors, if any, from a mailing created using the sendBulkEmail method',
	path: '/api/v2/statusBulkEmail',
	idempotent: true,
	itemsKey: 'result',
	fields: [
		{ displayName: 'Mailing UUID', name: 'uuid', apiName: 'uuid', type: 'string', default: '', required: true, placeholder: 'cc9c8043-8caf-11ef-b035-9e8f47954dec', description: 'The uuid that Send or Send Personal returned' },
	],
});

export const bulkOperations: OperationDefinition[] = [
	smsByMethod({
		resource: 'bulk',
		operation: 'send',
		name: 'Send',
		action: 'Send one letter to many addresses',
		description: 'Send one letter to many addresses (message_type bulk)',
		title: 'Sending letters to multiple addresses, as well as personal letters in batch mode',
		path: '/api/v2/sendBulkEmail',
		idempotent: false,
		buildBody: buildBulkBody,
		fields: [
			...senderFields,
			{ displayName: 'Recipients', name: 'recipients', apiName: 'delivery_list', type: 'string', default: '', required: true, placeholder: 'a@example.com, b@example.com', description: 'Comma-separated addresses that all get this letter' },
			subjectField,
			messageField,
			mailingNameField,
			...deliveryOptionFields,
		],
	}),
	smsByMethod({
		resource: 'bulk',
		operation: 'sendPersonal',
		name: 'Send Personal',
		action: 'Send personal letters in one mailing',
		description: 'Send each item its own letter; the items of a run go out as one personal mailing per 500 letters',
		title: 'Sending letters to multiple addresses, as well as personal letters in batch mode',
		path: '/api/v2/sendBulkEmail',
		idempotent: false,
		buildBody: buildPersonalBody,
		fields: [
			...senderFields,
			{ displayName: 'Recipient Email', name: 'email', apiName: 'email', type: 'string', default: '', required: true, format: 'email', placeholder: 'name@example.com', description: "This item's recipient" },
			{ ...subjectField, description: "This item's letter title" },
			{ ...messageField, description: "This item's letter contents" },
			mailingNameField,
			...deliveryOptionFields,
		],
		batch: {
			maxSize: PERSONAL_MAILING_CHUNK,
			recordsKey: 'delivery_list',
			// What the mailing shares; the rest of an item's fields (email, subject, message) is its letter.
			sharedFields: ['sender_email', 'sender_name', 'name', 'message_type', 'd_schedule', 'track_open', 'track_click'],
			// The answer names the mailing (its uuid for Get Status), not each letter.
			chunkResultPath: 'result',
		},
	}),
	statusBulkEmail,
];
