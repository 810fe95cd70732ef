import type { OperationDefinition } from '../../shared/model/operation';
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
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Authorization/Http/UserProxy.php; blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php.
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
		// Changelog: "Section debug containing the ttl and whoami"; path like whoami's.
		path: '/v3/debug/ttl',
	}),
];
