import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';
import { attributeField, endpoint, groupField } from './common';

const TYPES = ['text', 'number', 'gender', 'date'].map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));

/** 0 or empty: a global (account-wide) attribute; a group's ID: that group's attribute. */
const scopeGroup = (location: 'query' | 'body'): FieldDefinition =>
	groupField('group_id', {
		required: false,
		main: true,
		location,
		description: 'Only this group\'s attributes; leave empty for global (account-wide) attributes',
	});

const attributeSettings: FieldDefinition[] = [
	{ displayName: 'Description', name: 'description', apiName: 'description', type: 'string', default: '', description: 'Label shown in CleverReach' },
	{ displayName: 'Preview Value', name: 'previewValue', apiName: 'preview_value', type: 'string', default: '' },
	{ displayName: 'Default Value', name: 'defaultValue', apiName: 'default_value', type: 'string', default: '' },
];

export const attributeOperations: OperationDefinition[] = [
	endpoint({
		resource: 'attribute',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many attributes',
		description: 'List the global attributes, or a group\'s attributes',
		title: 'Get attributes',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Field/Http/Proxy.php; blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php.
		path: '/v3/attributes',
		itemsKey: 'data',
		fields: [scopeGroup('query')],
	}),
	endpoint({
		resource: 'attribute',
		operation: 'create',
		name: 'Create',
		action: 'Create an attribute',
		description: 'Create a global attribute, or one of a group',
		title: 'Create an attribute',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Field/Http/Proxy.php; blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php.
		path: '/v3/attributes',
		fields: [
			{ displayName: 'Name', name: 'name', apiName: 'name', type: 'string', required: true, default: '', placeholder: 'e.g. firstname' },
			{ displayName: 'Type', name: 'type', apiName: 'type', type: 'options', options: TYPES, required: true, default: 'text' },
			scopeGroup('body'),
			...attributeSettings,
		],
	}),
	endpoint({
		resource: 'attribute',
		operation: 'update',
		name: 'Update',
		action: 'Update an attribute',
		description: 'Change an attribute\'s description, preview or default value',
		title: 'Update an attribute',
		method: 'PUT',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Field/Http/Proxy.php (PUT attributes.json/{id}).
		path: '/v3/attributes/{id}',
		fields: [attributeField(), ...attributeSettings],
	}),
	endpoint({
		resource: 'attribute',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete an attribute',
		description: 'Delete an attribute and its values',
		title: 'Delete an attribute',
		method: 'DELETE',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/attributes/{id}',
		unconfirmed: true,
		fields: [attributeField()],
	}),
];
