import type { OperationDefinition } from '../../shared/model/operation';
import { smsByMethod } from './common';

export const templateOperations: OperationDefinition[] = [
	smsByMethod({
		resource: 'template',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get email templates',
		description: 'Get all email templates of the account',
		title: 'Get all email templates',
		path: '/api/v2/getEmailTemplates',
		idempotent: true,
		itemsKey: 'result',
	}),
];
