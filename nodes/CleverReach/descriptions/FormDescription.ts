import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';
import { emailField, endpoint, formField, groupField } from './common';

/** What CleverReach records about the subscriber's double opt-in click (DoiData). */
const doiFields: FieldDefinition[] = [
	emailField({ description: 'Receiver who gets the mail' }),
	{
		displayName: 'Double Opt-In Data',
		name: 'doidata',
		apiName: 'doidata',
		type: 'collection',
		default: {},
		description: 'Where the request came from, as CleverReach records it for the opt-in proof',
		fields: [
			{ displayName: 'User IP', name: 'userIp', apiName: 'user_ip', type: 'string', format: 'headerText', default: '' },
			{ displayName: 'Referer', name: 'referer', apiName: 'referer', type: 'string', format: 'headerText', default: '' },
			{ displayName: 'User Agent', name: 'userAgent', apiName: 'user_agent', type: 'string', format: 'headerText', default: '' },
		],
	},
];

export const formOperations: OperationDefinition[] = [
	endpoint({
		resource: 'form',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many forms',
		description: 'List the sign-up forms of the account',
		title: 'Get forms',
		method: 'GET',
		// Unconfirmed: the integration core lists a group's forms (groups.json/{id}/forms), not /forms.
		path: '/v3/forms',
		unconfirmed: true,
		itemsKey: 'data',
	}),
	endpoint({
		resource: 'form',
		operation: 'get',
		name: 'Get',
		action: 'Get a form',
		description: 'Get one form',
		title: 'Get a form',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Form/Http/Proxy.php.
		path: '/v3/forms/{id}',
		fields: [formField()],
	}),
	endpoint({
		resource: 'form',
		operation: 'getCode',
		name: 'Get Embed Code',
		action: 'Get the embed code of a form',
		description: 'The HTML code to put a form on a website',
		title: 'Get the code of a form',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Form/Http/Proxy.php (badget, embedded).
		path: '/v3/forms/{id}/code',
		fields: [
			formField(),
			{ displayName: 'Embedded', name: 'embedded', apiName: 'embedded', type: 'boolean', default: true, description: 'Whether to get the code for embedding (without a page around it)' },
			{ displayName: 'Badge', name: 'badget', apiName: 'badget', type: 'boolean', default: false, description: 'Whether the code shows the CleverReach badge' },
		],
	}),
	endpoint({
		resource: 'form',
		operation: 'sendActivation',
		name: 'Send Activation Mail',
		action: 'Send the double opt-in activation mail',
		description: 'Send the form\'s double opt-in mail that activates a receiver',
		title: 'Send the activation mail of a form',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/DoubleOptIn/Http/Proxy.php.
		path: '/v3/forms/{id}/send/activate',
		fields: [formField(), ...doiFields],
	}),
	endpoint({
		resource: 'form',
		operation: 'sendDeactivation',
		name: 'Send Deactivation Mail',
		action: 'Send the double opt-out deactivation mail',
		description: 'Send the form\'s mail that confirms unsubscribing',
		title: 'Send the deactivation mail of a form',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/DoubleOptIn/Http/Proxy.php.
		path: '/v3/forms/{id}/send/deactivate',
		fields: [formField(), ...doiFields],
	}),
	endpoint({
		resource: 'form',
		operation: 'createFromTemplate',
		name: 'Create From Template',
		action: 'Create a form from a template',
		description: 'Create a form for a group from one of CleverReach\'s templates',
		title: 'creates a form by using a template',
		method: 'POST',
		path: '/v3/forms/{group_id}/createfromtemplate/{type}',
		fields: [
			groupField('group_id'),
			{
				displayName: 'Template Type',
				name: 'templateType',
				apiName: 'type',
				type: 'string',
				location: 'path',
				required: true,
				default: 'default',
				description: 'The template to start from (e.g. default)',
			},
			{ displayName: 'Name', name: 'name', apiName: 'name', type: 'string', default: '', description: 'Name of the new form' },
		],
	}),
];
