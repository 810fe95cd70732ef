import type { OperationDefinition } from '../../shared/model/operation';
import { command, COMMAND_EVENT_OPTIONS, domainField } from './common';

// The webhook commands the Email Gateway Trigger calls to register its webhooks: defined here, below both
// the Webhook resource's operation list and the trigger, so each reads the same title and error codes.

export const webhookUrlField = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	apiName: 'WebhookURL',
	type: 'string' as const,
	required: true,
	format: 'url' as const,
	placeholder: 'https://example.com/webhook',
	description: 'The URL that receives the event notifications',
};

export const addWebhook: OperationDefinition = command({
	resource: 'webhook',
	operation: 'create',
	name: 'Create',
	action: 'Create a webhook',
	description: 'Create a webhook for an email event',
	title: 'Add a New Webhook for Email Events',
	command: 'EmailGateway.AddWebhook',
	fields: [
		domainField,
		{ displayName: 'Event', name: 'event', apiName: 'Event', type: 'options', required: true, default: 'delivery', options: COMMAND_EVENT_OPTIONS, description: 'The email event to track' },
		webhookUrlField,
	],
	errorCodes: {
		'1': 'Missing required parameter DomainID',
		'2': 'Missing required parameter Event',
		'3': 'Invalid event type specified',
		'4': 'Domain not found or access denied',
		'5': 'Missing required parameter WebhookURL',
		// 6 and 7: not in the seed; as Octeth's reference documents them.
		'6': 'WebhookURL is not a valid HTTP or HTTPS URL',
		'7': 'WebhookURL host is forbidden (localhost, 127.0.0.1, ::1 or *.local): use an address the provider can reach',
	},
});

export const getWebhooks: OperationDefinition = command({
	resource: 'webhook',
	operation: 'getAll',
	name: 'Get Many',
	action: 'Get the webhooks of a domain',
	description: "List a domain's webhooks (with the account key: and its signing key)",
	title: 'Retrieve Domain Webhooks',
	command: 'EmailGateway.GetWebhooks',
	idempotent: true,
	fields: [domainField],
	errorCodes: { '1': 'Missing required parameter DomainID', '2': 'Invalid domain or domain does not belong to the user' },
});

export const deleteWebhook: OperationDefinition = command({
	resource: 'webhook',
	operation: 'delete',
	name: 'Delete',
	action: 'Delete a webhook',
	description: 'Delete a webhook of a domain',
	title: 'Delete an Email Webhook',
	command: 'EmailGateway.DeleteWebhook',
	idempotent: true,
	fields: [
		domainField,
		{ displayName: 'Webhook ID', name: 'webhookId', apiName: 'WebhookID', type: 'string', default: '', required: true, pattern: '[0-9]+', description: 'The unique identifier of the webhook to delete' },
	],
	errorCodes: {
		'1': 'Missing required parameter: WebhookID or DomainID',
		'2': 'Invalid DomainID or DomainID not found',
		'3': 'Domain validation failed',
		'4': 'Webhook not found or user does not have permission to access it',
	},
});
