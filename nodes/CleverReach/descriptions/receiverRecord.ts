import type { IDataObject } from 'n8n-workflow';

import { inputError } from '../../shared/input/validation';
import type { FieldDefinition, OperationContext } from '../../shared/model/operation';

/**
 * A name CleverReach can have as an attribute: lower-case letters, digits and underscores, starting with
 * a letter (CleverReach turns the description "First Name" into the name "firstname"). Any other name
 * cannot be one of the account's attributes, so it is refused before anything is sent.
 */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

const dateField = (name: string, apiName: string, what: string): FieldDefinition => ({
	displayName: what,
	name,
	apiName,
	type: 'dateTime',
	format: 'unixTime',
	default: '',
	description: `${what} (sent as a unix time)`,
});

const attributeList = (name: string, apiName: string, displayName: string, scope: string): FieldDefinition => ({
	displayName,
	name,
	apiName,
	type: 'fixedCollection',
	default: {},
	pairs: { nameLabel: 'Attribute Name', valueLabel: 'Value' },
	entryName: 'Attribute',
	description: `${scope} attributes by their name (e.g. firstname), as CleverReach lists them under Attributes`,
});

/** The receiver fields of insert, update and the upserts (CleverReach's receiver object). */
export function receiverRecordFields(options: { emailRequired?: boolean; manipulations?: boolean } = {}): FieldDefinition[] {
	const valueNote = options.manipulations
		? ' Upsert Plus reads values such as "+1" or "-5" as changes to the stored number (INFERRED from the changelog\'s "manipulation of certain data values").'
		: '';
	return [
		{
			displayName: 'Email',
			name: 'email',
			apiName: 'email',
			type: 'string',
			format: 'email',
			required: options.emailRequired !== false,
			default: '',
			placeholder: 'name@email.com',
			description: 'Email address of the receiver',
		},
		dateField('activated', 'activated', 'Activated'),
		dateField('registered', 'registered', 'Registered'),
		dateField('deactivated', 'deactivated', 'Deactivated'),
		{ displayName: 'Source', name: 'source', apiName: 'source', type: 'string', default: '', description: 'Where the receiver came from (shown in CleverReach)' },
		{ ...attributeList('globalAttributes', 'global_attributes', 'Global Attributes', 'Account-wide'), description: `Account-wide attributes by their name (e.g. firstname).${valueNote}` },
		{ ...attributeList('groupAttributes', 'attributes', 'Group Attributes', 'This group\'s'), description: `This group's attributes by their name.${valueNote}` },
		{
			displayName: 'Tags',
			name: 'tags',
			apiName: 'tags',
			type: 'string',
			default: '',
			placeholder: 'e.g. customer, newsletter',
			description: 'Comma-separated tags to add; a tag written as -name is removed',
		},
		{
			displayName: 'Orders',
			name: 'orders',
			apiName: 'orders',
			type: 'fixedCollection',
			default: {},
			entryName: 'Order',
			description: 'Order items to add to the receiver',
			fields: orderFields(),
		},
	];
}

/** CleverReach's order item. */
export function orderFields(): FieldDefinition[] {
	return [
		{ displayName: 'Order ID', name: 'orderId', apiName: 'order_id', type: 'string', default: '' },
		{ displayName: 'Product ID', name: 'productId', apiName: 'product_id', type: 'string', default: '' },
		{ displayName: 'Product', name: 'product', apiName: 'product', type: 'string', default: '' },
		{ displayName: 'Quantity', name: 'quantity', apiName: 'quantity', type: 'number', default: 1 },
		{ displayName: 'Price', name: 'price', apiName: 'price', type: 'number', default: 0 },
		{ displayName: 'Currency', name: 'currency', apiName: 'currency', type: 'string', default: 'EUR' },
		{ displayName: 'Amount', name: 'amount', apiName: 'amount', type: 'number', default: 0, description: 'Total of the order item' },
		{ displayName: 'Mailing ID', name: 'mailingId', apiName: 'mailing_id', type: 'string', default: '', description: 'The mailing that led to the order' },
		{ displayName: 'Source', name: 'source', apiName: 'source', type: 'string', default: '' },
		{ displayName: 'Ordered At', name: 'stamp', apiName: 'stamp', type: 'dateTime', format: 'unixTime', default: '' },
	];
}

/** Tags as CleverReach takes them: a list; `-name` removes a tag. */
export function tagList(text: unknown): string[] {
	return String(text ?? '')
		.split(',')
		.map((tag) => tag.trim())
		.filter(Boolean);
}

/** Checks attribute names and turns tags into a list, for every item before anything is sent. */
export function checkReceiverRecord({ ctx, itemIndex }: OperationContext, body: IDataObject): void {
	for (const [key, label] of [
		['global_attributes', 'Global Attributes'],
		['attributes', 'Group Attributes'],
	] as const) {
		const attributes = body[key] as IDataObject | undefined;
		if (!attributes) continue;
		for (const name of Object.keys(attributes)) {
			if (!ATTRIBUTE_NAME.test(name)) {
				throw inputError(
					ctx.getNode(),
					itemIndex,
					label,
					`"${name}" is not an attribute name`,
					'Use the attribute\'s name as CleverReach lists it (lower-case letters, digits and _, e.g. firstname), not its description.',
				);
			}
		}
	}
	if (body.tags !== undefined) {
		const tags = tagList(body.tags);
		if (tags.length) body.tags = tags;
		else delete body.tags;
	}
}
