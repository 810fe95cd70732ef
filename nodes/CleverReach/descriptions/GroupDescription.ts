import type { OperationDefinition } from '../../shared/model/operation';
import { endpoint, groupField } from './common';

export const groupOperations: OperationDefinition[] = [
	endpoint({
		resource: 'group',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many groups',
		description: 'List the groups (receiver lists) of the account',
		title: 'Get groups',
		method: 'GET',
		// Source: cleverreach/php-sdk src/Service/GroupsService.php all(); common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Group/Http/Proxy.php.
		path: '/v3/groups',
		itemsKey: 'data',
	}),
	endpoint({
		resource: 'group',
		operation: 'get',
		name: 'Get',
		action: 'Get a group',
		description: 'Get one group',
		title: 'Get a group',
		method: 'GET',
		// Source: cleverreach/php-sdk src/Service/GroupsService.php get().
		path: '/v3/groups/{id}',
		fields: [groupField()],
	}),
	endpoint({
		resource: 'group',
		operation: 'create',
		name: 'Create',
		action: 'Create a group',
		description: 'Create a group',
		title: 'Create a group',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Group/Http/Proxy.php (POST groups.json).
		path: '/v3/groups',
		fields: [
			{ displayName: 'Name', name: 'name', apiName: 'name', type: 'string', required: true, default: '' },
			{ displayName: 'Receiver Info', name: 'receiverInfo', apiName: 'receiver_info', type: 'string', default: '', description: 'Note shown to receivers about this list' },
			{ displayName: 'Locked', name: 'locked', apiName: 'locked', type: 'boolean', default: false, description: 'Whether the group is locked against changes' },
			{ displayName: 'Backup', name: 'backup', apiName: 'backup', type: 'boolean', default: true, description: 'Whether CleverReach keeps backups of the group' },
		],
	}),
	endpoint({
		resource: 'group',
		operation: 'update',
		name: 'Update',
		action: 'Update a group',
		description: 'Rename a group or change its settings',
		title: 'Update a group',
		method: 'PUT',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/groups/{id}',
		unconfirmed: true,
		fields: [
			groupField(),
			{ displayName: 'Name', name: 'name', apiName: 'name', type: 'string', default: '' },
			{ displayName: 'Receiver Info', name: 'receiverInfo', apiName: 'receiver_info', type: 'string', default: '' },
			{ displayName: 'Locked', name: 'locked', apiName: 'locked', type: 'boolean', default: false },
			{ displayName: 'Backup', name: 'backup', apiName: 'backup', type: 'boolean', default: true },
		],
	}),
	endpoint({
		resource: 'group',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a group',
		description: 'Delete a group and its receivers',
		title: 'Delete a group',
		method: 'DELETE',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/groups/{id}',
		unconfirmed: true,
		fields: [groupField()],
	}),
	endpoint({
		resource: 'group',
		operation: 'clear',
		name: 'Clear',
		action: 'Clear a group',
		description: 'Remove every receiver from a group, keeping the group',
		title: 'clears the given group',
		method: 'DELETE',
		path: '/v3/groups/{id}/clear',
		fields: [groupField()],
	}),
	endpoint({
		resource: 'group',
		operation: 'getStats',
		name: 'Get Statistics',
		action: 'Get statistics of a group',
		description: 'Receiver counts and rates of a group',
		title: 'Get group statistics',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Stats/Http/Proxy.php.
		path: '/v3/groups/{id}/stats',
		fields: [groupField()],
	}),
];
