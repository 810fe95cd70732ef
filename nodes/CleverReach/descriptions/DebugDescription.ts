import type { OperationDefinition } from '../../shared/types';
import { endpoint } from './common';

export const debugOperations: OperationDefinition[] = [
	endpoint({
		resource: 'debug',
		operation: 'whoami',
		name: 'Who Am I',
		action: 'Get the account of the token',
		description: 'The CleverReach account (client) the token belongs to',
		title: 'whoami',
		method: 'GET',
		path: '/v3/debug/whoami',
	}),
	endpoint({
		resource: 'debug',
		operation: 'ttl',
		name: 'Token TTL',
		action: 'Get the remaining lifetime of the token',
		description: 'Seconds until the token expires',
		title: 'ttl',
		method: 'GET',
		path: '/v3/debug/ttl',
	}),
];
