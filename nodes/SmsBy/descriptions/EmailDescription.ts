import type { IDataObject } from 'n8n-workflow';

import { assertBinaryProperty, readBinaryFile } from '../../shared/input/binary';
import type { OperationContext, OperationDefinition } from '../../shared/model/operation';
import { attachmentField, deliveryOptionFields, listField, messageField, senderFields, smsByMethod, subjectField } from './common';

/** Checks the attachment's binary property before anything is sent; the file itself is read in finishBody. */
function checkAttachment(context: OperationContext, body: IDataObject) {
	if (typeof body.attachment === 'string') assertBinaryProperty(context.ctx, context.itemIndex, body.attachment, 'Attachment');
}

/** Reads the attached file right before the item's request (the transport sends it as multipart). */
async function readAttachment(context: OperationContext, body: IDataObject) {
	if (typeof body.attachment === 'string') {
		body.attachment = (await readBinaryFile(context.ctx, context.itemIndex, body.attachment, 'Attachment', 'attachment')) as unknown as IDataObject;
	}
}

/** Also what the SMS.by Trigger polls for a mailing (trigger.ts). */
export const getEmailDeliveryList: OperationDefinition = smsByMethod({
	resource: 'email',
	operation: 'getDeliveryList',
	name: 'Get Delivery List',
	action: 'Get the recipients of a mailing with their delivery statuses',
	description: 'List the recipients of a mailing with their delivery statuses',
	title: 'Viewing the list of mailing recipients with delivery statuses',
	path: '/api/v2/getEmailDeliveryList',
	idempotent: true,
	itemsKey: 'result',
	fields: [
		{ displayName: 'Mailing ID', name: 'messageId', apiName: 'message_id', type: 'string', default: '', required: true, format: 'integer', placeholder: 'e.g. 1234', description: 'The message_id of a mailing (Send to List, or Bulk → Get Status)' },
	],
});

export const emailOperations: OperationDefinition[] = [
	smsByMethod({
		resource: 'email',
		operation: 'send',
		name: 'Send',
		action: 'Send an email',
		description: 'Send a letter to one address',
		title: 'Sending a letter to the specified address',
		path: '/api/v2/sendEmail',
		// Never repeated after an unclear failure: the letter may already be out.
		idempotent: false,
		buildBody: checkAttachment,
		finishBody: readAttachment,
		fields: [
			...senderFields,
			{ displayName: 'Recipient Email', name: 'email', apiName: 'email', type: 'string', default: '', required: true, format: 'email', placeholder: 'name@example.com', description: "Recipient's email address" },
			subjectField,
			messageField,
			attachmentField,
			...deliveryOptionFields,
		],
	}),
	smsByMethod({
		resource: 'email',
		operation: 'sendToList',
		name: 'Send to List',
		action: 'Send an email to a mailing list',
		description: 'Send a letter to every contact of a mailing list',
		title: 'Sending a letter to a mailing list',
		path: '/api/v2/sendEmailByList',
		idempotent: false,
		buildBody: checkAttachment,
		finishBody: readAttachment,
		fields: [
			listField,
			...senderFields,
			subjectField,
			messageField,
			{ displayName: 'Mailing Name', name: 'mailingName', apiName: 'name', type: 'string', default: '', description: 'Name of the mailing. Empty: SMS.by generates one.' },
			attachmentField,
			...deliveryOptionFields,
		],
	}),
	getEmailDeliveryList,
];
