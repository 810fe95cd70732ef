import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';
import { endpoint, mailingField } from './common';

/**
 * The email editor of a new or changed mailing. Since 2026/02 CleverReach uses the new editor (setup_v2)
 * by default for POST /v3/mailings, PUT /v3/mailings/{id} and POST /v3/mailings/template.
 */
export const DEFAULT_EDITOR = 'setup_v2';

const mailingFields = (nameRequired: boolean): FieldDefinition[] => [
	{ displayName: 'Name', name: 'name', apiName: 'name', type: 'string', required: nameRequired, default: '', description: 'Internal name of the mailing' },
	{ displayName: 'Subject', name: 'subject', apiName: 'subject', type: 'string', format: 'headerText', default: '' },
	{ displayName: 'Sender Name', name: 'senderName', apiName: 'sender_name', type: 'string', format: 'headerText', default: '' },
	{ displayName: 'Sender Email', name: 'senderEmail', apiName: 'sender_email', type: 'string', format: 'email', default: '' },
	{
		displayName: 'Content',
		name: 'content',
		apiName: 'content',
		type: 'collection',
		default: {},
		fields: [
			{
				displayName: 'Type',
				name: 'type',
				apiName: 'type',
				type: 'options',
				options: [
					{ name: 'HTML and Text', value: 'html/text' },
					{ name: 'HTML', value: 'html' },
					{ name: 'Text', value: 'text' },
				],
				default: 'html/text',
			},
			{ displayName: 'HTML', name: 'html', apiName: 'html', type: 'string', rows: 6, default: '' },
			{ displayName: 'Text', name: 'text', apiName: 'text', type: 'string', rows: 6, default: '' },
		],
	},
	{
		displayName: 'Receivers',
		name: 'receivers',
		apiName: 'receivers',
		type: 'collection',
		default: {},
		description: 'Who gets the mailing',
		fields: [
			{ displayName: 'Group IDs', name: 'groups', apiName: 'groups', type: 'string', default: '', description: 'Comma-separated group IDs' },
			{ displayName: 'Filter ID', name: 'filter', apiName: 'filter', type: 'string', default: '', description: 'Segment (filter) of those groups' },
		],
	},
	{
		displayName: 'Editor',
		name: 'editor',
		apiName: 'editor',
		type: 'options',
		options: [
			{ name: 'New Editor (Setup_v2)', value: 'setup_v2', description: 'CleverReach\'s default since 2026/02' },
			{ name: 'HTML Source', value: 'html' },
		],
		default: DEFAULT_EDITOR,
		description: 'Editor the mailing is created for; CleverReach uses the new editor when none is sent',
	},
];

/** Group IDs as a list, as CleverReach takes them. */
function groupList(body: Record<string, unknown>) {
	const receivers = body.receivers as { groups?: unknown } | undefined;
	if (receivers?.groups !== undefined) {
		receivers.groups = String(receivers.groups)
			.split(',')
			.map((id) => id.trim())
			.filter(Boolean);
	}
}

const STATES = ['draft', 'waiting', 'running', 'finished'].map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));

export const mailingOperations: OperationDefinition[] = [
	endpoint({
		resource: 'mailing',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many mailings',
		description: 'List mailings by state',
		title: 'Get mailings',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Mailing/Http/Proxy.php.
		path: '/v3/mailings',
		itemsKey: 'data',
		fields: [
			{ displayName: 'State', name: 'state', apiName: 'state', type: 'options', options: STATES, default: 'finished', main: true, description: 'Which mailings to list' },
		],
	}),
	endpoint({
		resource: 'mailing',
		operation: 'get',
		name: 'Get',
		action: 'Get a mailing',
		description: 'Get one mailing',
		title: 'Get a mailing',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Mailing/Http/Proxy.php.
		path: '/v3/mailings/{id}',
		fields: [mailingField()],
	}),
	endpoint({
		resource: 'mailing',
		operation: 'create',
		name: 'Create',
		action: 'Create a mailing',
		description: 'Create a draft mailing (new editor setup_v2 by default)',
		title: 'new email editor (setup_v2) is now the default',
		method: 'POST',
		path: '/v3/mailings',
		fields: mailingFields(true),
		buildBody: (_context, body) => groupList(body),
	}),
	endpoint({
		resource: 'mailing',
		operation: 'update',
		name: 'Update',
		action: 'Update a mailing',
		description: 'Change a draft mailing (new editor setup_v2 by default)',
		title: 'new email editor (setup_v2) is now the default',
		method: 'PUT',
		path: '/v3/mailings/{id}',
		fields: [mailingField(), ...mailingFields(false)],
		buildBody: (_context, body) => groupList(body),
	}),
	endpoint({
		resource: 'mailing',
		operation: 'createFromTemplate',
		name: 'Create From Template',
		action: 'Create a mailing from a template',
		description: 'Create a draft mailing from a template (new editor setup_v2 by default)',
		title: 'new email editor (setup_v2) is now the default',
		method: 'POST',
		path: '/v3/mailings/template',
		fields: [
			{ displayName: 'Template ID', name: 'templateId', apiName: 'template_id', type: 'string', required: true, default: '' },
			...mailingFields(true),
		],
		buildBody: (_context, body) => groupList(body),
	}),
	endpoint({
		resource: 'mailing',
		operation: 'release',
		name: 'Release',
		action: 'Release a mailing',
		description: 'Release a mailing to be sent',
		title: 'release a mailing to be sent',
		method: 'POST',
		path: '/v3/mailings/{id}/release',
		specialPermission: true,
		fields: [
			mailingField(),
			{ displayName: 'Send At', name: 'time', apiName: 'time', type: 'dateTime', format: 'unixTime', default: '', description: 'When to send; empty sends now' },
		],
	}),
	endpoint({
		resource: 'mailing',
		operation: 'stop',
		name: 'Stop',
		action: 'Stop a mailing',
		description: 'Stop a released mailing if it is not sent yet',
		title: 'stop a released mailing if not already sent',
		method: 'POST',
		path: '/v3/mailings/{id}/stop',
		specialPermission: true,
		// Stopping twice leaves it stopped: safe to repeat after a dropped connection.
		idempotent: true,
		fields: [mailingField()],
	}),
	endpoint({
		resource: 'mailing',
		operation: 'getLinks',
		name: 'Get Links',
		action: 'Get the links of a mailing',
		description: 'The tracked links of a mailing and their clicks',
		title: 'Get links of a mailing',
		method: 'GET',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/mailings/{id}/links',
		unconfirmed: true,
		itemsKey: 'data',
		fields: [mailingField()],
	}),
	endpoint({
		resource: 'mailing',
		operation: 'getReport',
		name: 'Get Report',
		action: 'Get the report of a mailing',
		description: 'Sent, opened, clicked and bounced counts of a sent mailing',
		title: 'Get the report of a mailing',
		method: 'GET',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Report/Http/Proxy.php (reports.json/{mailingId}).
		path: '/v3/reports/{id}',
		fields: [mailingField()],
	}),
];
