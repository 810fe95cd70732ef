import type { IDataObject } from 'n8n-workflow';

import type { FieldDefinition, OperationContext, OperationDefinition } from '../../shared/model/operation';
import { inputError } from '../../shared/input/validation';
import { smsByMethod } from './common';

/** "3434, 3435" as the documented comma-separated IDs ("3434,3435"); anything but IDs is refused before sending. */
function normalizeListIds(context: OperationContext, body: IDataObject) {
	if (body.list_ids === undefined) return;
	const ids = String(body.list_ids).split(',').map((id) => id.trim()).filter(Boolean);
	const wrong = ids.find((id) => !/^\d+$/.test(id));
	if (wrong !== undefined) {
		throw inputError(context.ctx.getNode(), context.itemIndex, 'Mailing List IDs', `"${wrong}" is not a mailing list ID`, 'Use the numeric IDs of mailing lists, separated by commas.');
	}
	body.list_ids = ids.join(',');
}

const emailField: FieldDefinition = { displayName: 'Email', name: 'email', apiName: 'email', type: 'string', default: '', required: true, format: 'email', placeholder: 'name@example.com', description: 'The address' };

const listIdsField: FieldDefinition = {
	displayName: 'Mailing List IDs',
	name: 'listIds',
	apiName: 'list_ids',
	type: 'string',
	default: '',
	placeholder: '3434, 3435',
	description: 'Comma-separated mailing list IDs. Empty: all mailing lists.',
};

export const subscriptionOperations: OperationDefinition[] = [
	smsByMethod({
		resource: 'subscription',
		operation: 'unsubscribe',
		name: 'Unsubscribe',
		action: 'Unsubscribe an address',
		description: 'Add an address to those who unsubscribed from email newsletters',
		title: 'Adding an address to the list of those who have unsubscribed from email newsletters',
		path: '/api/v2/unsubscribeEmail',
		idempotent: true,
		buildBody: normalizeListIds,
		fields: [
			emailField,
			listIdsField,
			{ displayName: 'Reason', name: 'reason', apiName: 'reason', type: 'string', default: '', description: 'Unsubscribe comment' },
		],
	}),
	smsByMethod({
		resource: 'subscription',
		operation: 'subscribe',
		name: 'Subscribe',
		action: 'Subscribe an address again',
		description: 'Remove an address from those who unsubscribed from email newsletters',
		title: 'Removing an address from the list of those who have unsubscribed from email newsletters',
		path: '/api/v2/subscribeEmail',
		idempotent: true,
		buildBody: normalizeListIds,
		fields: [emailField, listIdsField],
	}),
];
