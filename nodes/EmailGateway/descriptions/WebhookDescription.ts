import { EMAIL_EVENT_OPTIONS } from '../../shared/trigger/events';
import { checkTriggerOperation } from '../../shared/trigger/health';
import type { OperationDefinition } from '../../shared/model/operation';
import { emailGatewayTriggerCheck } from '../trigger';
import { ACCOUNT_CREDENTIAL, command, domainField, SENDER_API_ERRORS, SENDER_EVENT_OPTIONS, senderEndpoint } from './common';
import { addWebhook, deleteWebhook, getWebhooks, webhookUrlField } from './webhookCommands';

export const webhookOperations: OperationDefinition[] = [
	addWebhook,
	getWebhooks,
	deleteWebhook,
	command({
		resource: 'webhook',
		operation: 'regenerateSigningKey',
		name: 'Regenerate Signing Key',
		action: 'Regenerate the webhook signing key',
		description: 'Replace the key that signs webhook payloads of a domain; existing receivers must use the new key',
		title: 'Regenerate the Webhook Signing Key',
		command: 'EmailGateway.RegenerateSigningKey',
		fields: [domainField],
		// Not in the seed; codes as Octeth's own API reference documents them.
		errorCodes: {
			'1': 'Missing required parameter (DomainID)',
			'2': 'Domain not found or not owned by the caller',
			'3': 'Rotation failed: the domain was deleted meanwhile; no key was stored, safe to retry',
		},
	}),
	// A package extra: the webhooks of an Email Gateway Trigger, as its registration lists them (EmailGateway.GetWebhooks).
	checkTriggerOperation({
		resource: 'webhook',
		credential: ACCOUNT_CREDENTIAL,
		trigger: 'Email Gateway Trigger',
		check: emailGatewayTriggerCheck,
		request: { method: getWebhooks.method, path: getWebhooks.path, command: getWebhooks.command },
		target: { ...domainField, description: "The trigger's sender domain, from the list or by its ID" },
		eventOptions: EMAIL_EVENT_OPTIONS,
		defaultEvents: ['bounced', 'complained'],
		errorCodes: getWebhooks.errorCodes,
	}),
	senderEndpoint({
		resource: 'webhook',
		operation: 'create',
		name: 'Create',
		action: 'Create a webhook',
		description: 'Register a webhook for an event with the sender domain API key',
		title: 'Add a New Webhook for Email Events (End User Friendly)',
		method: 'POST',
		path: '/api/v1/webhooks',
		idempotent: false,
		fields: [
			{
				// Its own name: the v1 API spells events in the past tense (Octeth's reference and the
				// seed's example), so a value chosen for the command API must not carry over.
				displayName: 'Event',
				name: 'senderEvent',
				apiName: 'Event',
				type: 'options',
				required: true,
				default: 'delivered',
				options: SENDER_EVENT_OPTIONS,
				description: 'The email event to register the webhook for',
			},
			webhookUrlField,
		],
		errorCodes: {
			...SENDER_API_ERRORS,
			'2': 'Event is missing',
			'3': 'Invalid Event value',
			'5': 'WebhookURL is missing',
			'6': 'WebhookURL must be a valid HTTP or HTTPS URL',
			'7': 'WebhookURL cannot point to localhost, loopback or .local addresses: use an address the provider can reach',
		},
	}),
	senderEndpoint({
		resource: 'webhook',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get the webhooks of a domain',
		description: 'List the webhooks of the sender domain with its API key',
		title: 'Retrieve Domain Webhooks (End User Friendly)',
		method: 'GET',
		path: '/api/v1/webhooks',
		idempotent: true,
		itemsKey: 'Webhooks',
		errorCodes: SENDER_API_ERRORS,
	}),
	senderEndpoint({
		resource: 'webhook',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a webhook',
		description: 'Delete a webhook of the sender domain with its API key',
		title: 'Delete an Email Webhook (End User Friendly)',
		method: 'DELETE',
		path: '/api/v1/webhooks',
		idempotent: true,
		fields: [
			{ displayName: 'Webhook ID', name: 'webhookId', apiName: 'WebhookID', type: 'string', default: '', required: true, location: 'body', pattern: '[0-9]+', description: 'The unique identifier of the webhook to delete' },
		],
		errorCodes: { ...SENDER_API_ERRORS, '1': 'WebhookID is missing', '4': 'Invalid WebhookID' },
	}),
];
