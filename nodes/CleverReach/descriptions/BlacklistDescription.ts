import type { OperationDefinition } from '../../shared/model/operation';
import { inputError } from '../../shared/input/validation';
import { emailField, endpoint } from './common';

const comment = { displayName: 'Comment', name: 'comment', apiName: 'comment', type: 'string' as const, default: '', description: 'Why the address is blocked' };

export const blacklistOperations: OperationDefinition[] = [
	endpoint({
		resource: 'blacklist',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many blacklist entries',
		description: 'List the blocked addresses of the account',
		title: 'Get the blacklist',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Receiver/Http/Proxy.php getBlacklisted().
		path: '/v3/blacklist',
		itemsKey: 'data',
	}),
	endpoint({
		resource: 'blacklist',
		operation: 'add',
		name: 'Add',
		action: 'Add an address to the blacklist',
		description: 'Block an address (or a pattern such as *@example.com) from every mailing',
		title: 'Add to the blacklist',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Receiver/Http/Proxy.php blacklist().
		path: '/v3/blacklist',
		fields: [{ ...emailField({ description: 'Address to block' }), format: undefined, placeholder: 'name@email.com or *@example.com' }, comment],
	}),
	endpoint({
		resource: 'blacklist',
		operation: 'update',
		name: 'Update',
		action: 'Update a blacklist entry',
		description: 'Change the comment of a blocked address',
		title: 'update an entry of blacklist',
		method: 'PUT',
		path: '/v3/blacklist',
		fields: [{ ...emailField({ description: 'The blocked address' }), format: undefined }, comment],
	}),
	endpoint({
		resource: 'blacklist',
		operation: 'delete',
		name: 'Delete',
		action: 'Remove an address from the blacklist',
		description: 'Unblock an address',
		title: 'Delete from the blacklist',
		method: 'DELETE',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Receiver/Http/Proxy.php whitelist().
		path: '/v3/blacklist/{email}',
		fields: [{ ...emailField({ description: 'The blocked address' }), format: undefined, location: 'path' }],
	}),
	endpoint({
		resource: 'blacklist',
		operation: 'validate',
		name: 'Validate Emails',
		action: 'Filter a list of emails to valid ones',
		description: 'Of a list of addresses, the ones that are neither blocked nor invalid',
		title: 'filter list of emails to valid ones',
		method: 'POST',
		path: '/v3/blacklist/validate',
		idempotent: true,
		fields: [
			{
				displayName: 'Emails',
				name: 'emails',
				apiName: 'emails',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'jane@example.com, joe@example.com',
				description: 'Addresses separated by commas or new lines',
			},
		],
		buildBody: ({ ctx, itemIndex }, body) => {
			const addresses = String(body.emails)
				.split(/[\s,;]+/)
				.map((address) => address.trim())
				.filter(Boolean);
			if (!addresses.length) throw inputError(ctx.getNode(), itemIndex, 'Emails', 'holds no address');
			body.emails = addresses;
		},
	}),
];
