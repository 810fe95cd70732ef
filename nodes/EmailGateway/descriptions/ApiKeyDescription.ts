import type { OperationDefinition } from '../../shared/model/operation';
import { command, domainField } from './common';

export const apiKeyOperations: OperationDefinition[] = [
	command({
		resource: 'apiKey',
		operation: 'create',
		name: 'Create',
		action: 'Create a sender API key',
		description: 'Create a new API key for a sender domain',
		title: 'Add a New API Key for Email Gateway',
		command: 'EmailGateway.AddAPI',
		fields: [
			domainField,
			{ displayName: 'Description', name: 'description', apiName: 'Description', type: 'string', default: '', required: true, description: "A brief description of the API key's intended use" },
			{ displayName: 'List ID', name: 'listId', apiName: 'ListID', type: 'string', default: '', description: 'The list ID of the target subscriber' },
			{ displayName: 'Subscriber ID', name: 'subscriberId', apiName: 'SubscriberID', type: 'string', default: '', description: 'The subscriber ID of the subscriber this email belongs to' },
			{ displayName: 'Journey ID', name: 'journeyId', apiName: 'JourneyID', type: 'string', default: '', description: 'The journey ID this email is sent by' },
			{ displayName: 'Action ID', name: 'actionId', apiName: 'ActionID', type: 'string', default: '', description: 'The action ID of the journey this email is sent by' },
		],
		errorCodes: {
			'1': "Missing or invalid 'Description' parameter",
			'2': "Missing or invalid 'DomainID' parameter",
			'3': "Unable to retrieve sender domain with provided 'DomainID'",
		},
	}),
	command({
		resource: 'apiKey',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many sender API keys',
		description: 'List the API keys of a sender domain',
		title: 'Retrieve Sender Domain API Keys',
		command: 'EmailGateway.GetAPIs',
		idempotent: true,
		itemsKey: 'APIKeys',
		fields: [domainField],
		errorCodes: { '1': 'Missing required parameter: DomainID', '2': 'Unable to retrieve sender domain' },
	}),
	command({
		resource: 'apiKey',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a sender API key',
		description: 'Delete an API key of the email gateway',
		title: 'Delete an Email Gateway API Key',
		command: 'EmailGateway.DeleteAPI',
		idempotent: true,
		fields: [{ displayName: 'Key ID', name: 'keyId', apiName: 'ApiKeyId', type: 'string', default: '', required: true, pattern: '[0-9]+', description: 'The unique identifier of the API key to delete' }],
		errorCodes: { '1': 'Missing required parameter: ApiKeyId', '2': 'Invalid API key or API key not found' },
	}),
];
