import type { IDataObject } from 'n8n-workflow';

import { providerApiError } from '../../shared/http/errors';
import { NUMERIC_ID_LIST } from '../../shared/input/fields';
import type { BatchDefinition, FieldDefinition, OperationContext, OperationDefinition, PagePaginationStyle } from '../../shared/model/operation';
import { inputError } from '../../shared/input/validation';
import { emailField, endpoint, groupField, receiverField } from './common';
import { checkReceiverRecord, orderFields, receiverRecordFields, tagList } from './receiverRecord';
import { clock } from '../../shared/util/clock';

/**
 * Largest page CleverReach serves for receiver lists (`pagesize`, pages counted from 0). INFERRED from
 * v3's explorer (max 5000); a smaller real limit is a one-line change here.
 */
export const RECEIVER_PAGE_SIZE = 5000;

/** Receivers per upsert/insert request to start with; HTTP 413 halves it for the rest of the run. */
export const RECEIVER_BATCH_SIZE = 1000;

export const receiverPages: PagePaginationStyle = {
	style: 'page',
	pageKey: 'page',
	perPageKey: 'pagesize',
	firstPage: 0,
	maxPageSize: RECEIVER_PAGE_SIZE,
	itemsKey: 'data',
};

/**
 * Insert, upsert and upsertplus take a list of receivers: the items of a run go out 1,000 per request,
 * and each answer row (a receiver, or one with an `error`) finds its item by email address.
 */
const receiverBatch: BatchDefinition = {
	maxSize: RECEIVER_BATCH_SIZE,
	recordsKey: 'receivers',
	results: { path: 'data', match: { by: 'email', recordKey: 'email', resultKey: 'email' } },
	rejections: {
		path: 'data',
		match: { by: 'email', recordKey: 'email', resultKey: 'email' },
		messageKey: 'error.message',
		codeKey: 'error.code',
	},
};

const listFilters: FieldDefinition[] = [
	{
		displayName: 'Type',
		name: 'type',
		apiName: 'type',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Active', value: 'active' },
			{ name: 'Inactive', value: 'inactive' },
		],
		default: 'all',
		description: 'Which receivers to list',
	},
	{
		displayName: 'Detail',
		name: 'detail',
		apiName: 'detail',
		type: 'number',
		minValue: 0,
		maxValue: 4,
		default: 0,
		description: 'How much each receiver holds: 0 the basics, up to 4 with attributes, tags, orders and events',
	},
	{
		displayName: 'Emails',
		name: 'emailList',
		apiName: 'email_list',
		type: 'string',
		default: '',
		description: 'Only these receivers: comma-separated email addresses. A list too long for a URL is sent with the get_receivers route.',
	},
	{
		displayName: 'IDs',
		name: 'idList',
		apiName: 'id_list',
		type: 'string',
		// Receiver IDs are numbers: "a,b" would be sent and answered with no receiver, as if none matched.
		pattern: NUMERIC_ID_LIST,
		default: '',
		description: 'Only these receivers: comma-separated receiver IDs (numbers)',
	},
];

const returnAllNote = `Return All pages through ${RECEIVER_PAGE_SIZE} receivers per request`;

const upsertLike = (operation: string, name: string, action: string, path: string, title: string, description: string, manipulations = false, unconfirmed = false) =>
	endpoint({
		unconfirmed,
		resource: 'receiver',
		operation,
		name,
		action,
		description,
		title,
		method: 'POST',
		path,
		fields: [groupField('group_id'), ...receiverRecordFields({ manipulations })],
		buildBody: checkReceiverRecord,
		batch: receiverBatch,
	});

const upsertPlus = upsertLike(
	'upsertPlus',
	'Upsert Plus',
	'Create or update receivers, changing stored values',
	'/v3/groups/{group_id}/receivers/upsertplus',
	'like upsert but with manipulation certain data values',
	'Like Upsert, with attribute values that change stored numbers (e.g. +1)',
	true,
);

/** GET /v3/groups/{group_id}/receivers/{pool_id}: ICore Receiver/Http/Proxy.php getReceiver (common-repository/cleverreach-wc). */
const readReceiver: OperationDefinition = endpoint({
	resource: 'receiver',
	operation: 'get',
	name: 'Get',
	action: 'Get a receiver',
	description: 'Get one receiver of a group by ID or email address',
	title: 'Get a receiver of a group',
	method: 'GET',
	path: '/v3/groups/{group_id}/receivers/{pool_id}',
	fields: [groupField('group_id'), receiverField()],
});

/** The tags of a Tags field as a list; an empty list (" , ") is refused: it would change nothing and still be sent. */
function tagsToChange({ ctx, itemIndex }: OperationContext, body: IDataObject): void {
	const tags = tagList(body.tags).map((tag) => tag.replace(/^-+/, '')).filter(Boolean);
	if (!tags.length) throw inputError(ctx.getNode(), itemIndex, 'Tags', 'lists no tag', 'Give one or more tags, separated by commas.');
	body.tags = tags;
}

/**
 * The receiver's tags after the change, as CleverReach's own integration core writes them with upsertplus:
 * the tags it has (plus the new ones), and each tag to remove once more with a leading "-"
 * (blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php, formatAndMergeExistingAndTagsForDelete).
 * Sending the tags it keeps means no tag is lost whether CleverReach merges or replaces the list.
 */
export function changedTags(current: unknown, tags: string[], remove: boolean): string[] {
	const had = Array.isArray(current) ? current.map(String) : [];
	if (!remove) return [...new Set([...had, ...tags])];
	return [...had.filter((tag) => !tags.includes(tag)), ...tags.map((tag) => `-${tag}`)];
}

/** What one receiver change sends: its operation, extra fields, and the record written for the receiver as read. */
interface ReceiverChange {
	operation: string;
	name: string;
	action: string;
	description: string;
	fields: FieldDefinition[];
	buildBody?: OperationDefinition['buildBody'];
	/** The upsertplus record: the receiver's email and what changes, from the receiver as read and this item's body. */
	record: (receiver: IDataObject, body: IDataObject) => IDataObject;
}

/** A receiver row of upsertplus that carries an `error` (blacklisted...) fails the item with CleverReach's words. */
function checkedRow(ctx: OperationContext['ctx'], itemIndex: number, name: string, answer: IDataObject): IDataObject {
	const [row] = Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [answer];
	const error = row?.error as IDataObject | undefined;
	if (!error) return row ?? answer;
	throw providerApiError(ctx.getNode(), {
		provider: 'CleverReach',
		operationTitle: name,
		failure: { httpCode: 200, body: answer, errors: [{ code: error.code !== undefined ? String(error.code) : undefined, message: error.message as string | undefined }] },
		itemIndex,
	});
}

/**
 * A change of one receiver (tags, activation, an order) made the way CleverReach's own integration core
 * makes it: read the receiver (GET groups/{id}/receivers/{id|email}, for its email and tags), then write
 * the change with POST groups/{id}/receivers/upsertplus (blueDigit/CleverReach_IntegrationCore
 * src/BusinessLogic/Proxy.php: upsertPlus, uploadOrderItems, deactivateRecipients). The v2 routes
 * (PUT …/setactive, …/setinactive) and PUT on a receiver for its tags are confirmed by no v3 source.
 */
function receiverChange(change: ReceiverChange): OperationDefinition {
	return endpoint({
		resource: 'receiver',
		operation: change.operation,
		name: change.name,
		action: change.action,
		description: change.description,
		title: 'like upsert but with manipulation certain data values',
		method: 'POST',
		path: '/v3/groups/{group_id}/receivers/upsertplus',
		fields: [
			groupField('group_id'),
			// Not in this operation's own path: the receiver is read first, by this ID or email.
			{ ...receiverField(), location: 'body' },
			...change.fields,
		],
		buildBody: change.buildBody,
		run: async ({ ctx, itemIndex }, fields, client) => {
			const { pool_id: receiverId, ...body } = fields.body;
			const group = { group_id: fields.path?.group_id };
			const receiver = await client.call(ctx, readReceiver, { ...fields, path: { ...group, pool_id: String(receiverId) }, body: {}, qs: {} }, itemIndex);
			const record = { email: receiver.email, ...change.record(receiver, body) };
			const answer = await client.call(ctx, upsertPlus, { ...fields, path: group, body: { receivers: [record] } }, itemIndex);
			return checkedRow(ctx, itemIndex, change.name, answer);
		},
	});
}

const tagsField = (placeholder: string): FieldDefinition => ({
	displayName: 'Tags',
	name: 'tags',
	apiName: 'tags',
	type: 'string',
	required: true,
	default: '',
	placeholder,
	description: 'Comma-separated tags',
});

/** Unix time now, for `activated`. */
const nowSeconds = () => Math.floor(clock().now() / 1000);

/** Tags, activation and orders of one receiver (see receiverChange). */
const receiverChanges: OperationDefinition[] = [
	receiverChange({
		operation: 'activate',
		name: 'Activate',
		action: 'Activate a receiver',
		description: 'Set a receiver of a group active (receives mailings). One who unsubscribed stays inactive: CleverReach keeps that.',
		fields: [],
		// The core reactivates with an activation time; it works unless CleverReach itself deactivated the receiver.
		record: () => ({ activated: nowSeconds() }),
	}),
	receiverChange({
		operation: 'deactivate',
		name: 'Deactivate',
		action: 'Deactivate a receiver',
		description: 'Set a receiver of a group inactive (receives no mailings)',
		fields: [],
		// The core deactivates with activated 0.
		record: () => ({ activated: 0 }),
	}),
	receiverChange({
		operation: 'addTags',
		name: 'Add Tags',
		action: 'Add tags to a receiver',
		description: 'Add tags to a receiver of a group; its other tags stay',
		fields: [tagsField('e.g. customer, vip')],
		buildBody: tagsToChange,
		record: (receiver, body) => ({ tags: changedTags(receiver.tags, body.tags as string[], false) }),
	}),
	receiverChange({
		operation: 'removeTags',
		name: 'Remove Tags',
		action: 'Remove tags from a receiver',
		description: 'Remove tags from a receiver of a group; its other tags stay',
		fields: [tagsField('e.g. trial')],
		buildBody: tagsToChange,
		record: (receiver, body) => ({ tags: changedTags(receiver.tags, body.tags as string[], true) }),
	}),
	receiverChange({
		operation: 'addOrder',
		name: 'Add Order',
		action: 'Add an order to a receiver',
		description: 'Add an order item to a receiver of a group',
		fields: orderFields().map((field) => (field.name === 'orderId' ? { ...field, required: true } : field)),
		// The core's uploadOrderItems: the receiver with `orders` [order item].
		record: (_receiver, order) => ({ orders: [order] }),
	}),
];

export const receiverOperations: OperationDefinition[] = [
	endpoint({
		resource: 'receiver',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many receivers of a group',
		description: `List the receivers of a group. ${returnAllNote}.`,
		title: 'Get receivers of a group',
		method: 'GET',
		// Source: cleverreach/php-sdk src/Service/GroupsService.php getReceivers() (page from 0, pagesize up to 5000).
		path: '/v3/groups/{id}/receivers',
		fields: [groupField(), ...listFilters],
		pagination: receiverPages,
	}),
	endpoint({
		resource: 'receiver',
		operation: 'getManyByList',
		name: 'Get Many by IDs or Emails',
		action: 'Get receivers of a group by IDs or emails',
		description: 'List the receivers of a group whose IDs or email addresses are given, however long the list',
		title: 'alternative route for /groups/{id}/receivers to handle big email_list/id_list parameters',
		method: 'POST',
		path: '/v3/groups/{id}/get_receivers',
		idempotent: true,
		fields: [groupField(), ...listFilters],
		pagination: receiverPages,
	}),
	readReceiver,
	endpoint({
		resource: 'receiver',
		operation: 'findByEmail',
		name: 'Find by Email',
		action: 'Find a receiver by email in every group',
		description: 'Find the receivers with an email address across groups',
		title: 'Filter receivers',
		method: 'POST',
		// Source: common-repository/cleverreach-wc vendor/cleverreach/integration-core/src/BusinessLogic/Receiver/Http/Proxy.php findReceiverByEmail().
		path: '/v3/receivers/filter',
		idempotent: true,
		itemsKey: 'data',
		fields: [emailField({ description: 'Email address to look for' })],
		buildBody: (_context, body) => {
			body.rules = [{ field: 'email', logic: 'eq', condition: body.email }];
			delete body.email;
		},
	}),
	// Unconfirmed (insert, upsert): in no v3 changelog entry, SDK or integration core (which use upsertplus only).
	upsertLike('create', 'Create', 'Create receivers in a group', '/v3/groups/{group_id}/receivers/insert', 'Insert receivers', 'Add new receivers to a group (existing addresses are refused)', false, true),
	upsertLike('upsert', 'Upsert', 'Create or update receivers', '/v3/groups/{group_id}/receivers/upsert', 'Upsert receivers', 'Add receivers to a group or update those that exist, 1,000 per request', false, true),
	upsertPlus,
	endpoint({
		resource: 'receiver',
		operation: 'update',
		name: 'Update',
		action: 'Update a receiver',
		description: 'Change a receiver of a group',
		title: 'Update a receiver',
		method: 'PUT',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/groups/{group_id}/receivers/{pool_id}',
		unconfirmed: true,
		fields: [groupField('group_id'), receiverField(), ...receiverRecordFields({ emailRequired: false })],
		buildBody: checkReceiverRecord,
	}),
	endpoint({
		resource: 'receiver',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a receiver',
		description: 'Remove a receiver from a group',
		title: 'Delete a receiver',
		method: 'DELETE',
		// Source: blueDigit/CleverReach_IntegrationCore src/BusinessLogic/Proxy.php (DELETE groups.json/{gid}/receivers/{poolId}).
		path: '/v3/groups/{group_id}/receivers/{pool_id}',
		fields: [groupField('group_id'), receiverField()],
	}),
	...receiverChanges,
	endpoint({
		resource: 'receiver',
		operation: 'clone',
		name: 'Clone',
		action: 'Clone a receiver',
		description: 'Copy a receiver under another email address',
		title: 'clone a receiver and change the email of the clone',
		method: 'POST',
		path: '/v3/receivers/{id}/clone',
		fields: [receiverField('id'), emailField({ displayName: 'New Email', name: 'newEmail', description: 'Email address of the clone' })],
	}),
	endpoint({
		resource: 'receiver',
		operation: 'changeEmail',
		name: 'Change Email',
		action: 'Change the email of a receiver',
		description: 'Give a receiver another email address',
		title: 'change email of a receiver',
		method: 'PUT',
		path: '/v3/receivers/{id}/email',
		fields: [receiverField('id'), emailField({ displayName: 'New Email', name: 'newEmail', description: 'The receiver\'s new email address' })],
	}),
	endpoint({
		resource: 'receiver',
		operation: 'updateOrder',
		name: 'Update Order',
		action: 'Update an order of a receiver',
		description: 'Change an order item of a receiver',
		title: 'update an order item',
		method: 'PUT',
		path: '/v3/receivers/{pool_id}/orders/{id}',
		fields: [
			receiverField(),
			{ displayName: 'Order Item ID', name: 'orderItemId', apiName: 'id', type: 'string', location: 'path', required: true, default: '' },
			...orderFields(),
		],
	}),
	endpoint({
		resource: 'receiver',
		operation: 'getEvents',
		name: 'Get Events',
		action: 'Get events of a receiver',
		description: 'What happened to a receiver (opens, clicks, bounces...)',
		title: 'Get events of a receiver',
		method: 'GET',
		// Unconfirmed: in no changelog entry, SDK or integration core.
		path: '/v3/receivers/{pool_id}/events',
		unconfirmed: true,
		itemsKey: 'data',
		fields: [receiverField()],
	}),
	endpoint({
		resource: 'receiver',
		operation: 'getBounced',
		name: 'Get Bounced',
		action: 'Get bounced receivers',
		description: `All bounces of the account, page by page as CleverReach enforces since 2024/11. ${returnAllNote}.`,
		title: 'get all bounces of the account',
		method: 'GET',
		path: '/v3/receivers/bounced',
		pagination: receiverPages,
	}),
];
