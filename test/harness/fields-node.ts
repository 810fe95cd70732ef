/**
 * A test-only provider node for the shared field kinds (test/shared/fields.test.ts): a CleverReach-like
 * receiver read (path placeholders, a resource locator, a header, a multi-option query) and an
 * Especial-like contact create (fields shown per kind, collections, key/value and repeated-object
 * lists), built with the shared description and executor like a provider node.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { emailGatewaySenderProfile } from '../../nodes/EmailGateway/transport';
import { credentialsFor, fieldProperties, operationProperties, resourceProperty } from '../../nodes/shared/description/properties';
import { executeOperations } from '../../nodes/shared/execution/execute';
import { toRequestSpec } from '../../nodes/shared/input/fields';
import { sendRequest } from '../../nodes/shared/http/transport';
import type { OperationDefinition } from '../../nodes/shared/model/operation';

/** The test node authenticates with the Email Gateway sender credential type (Bearer key, base URL). */
export const FIELDS_TEST_CREDENTIAL = 'emailGatewaySenderApi';
const CREDENTIAL = FIELDS_TEST_CREDENTIAL;

/** A CleverReach-like receiver read and an Especial-like contact create, as operation data. */
export const fieldsTestOperations: OperationDefinition[] = [
	{
		resource: 'receiver',
		operation: 'get',
		name: 'Get',
		action: 'Get a receiver',
		description: 'Get a receiver of a group',
		title: 'Get Receiver',
		method: 'GET',
		path: '/v3/groups/{id}/receivers/{pool_id}',
		credential: CREDENTIAL,
		idempotent: true,
		fields: [
			{
				displayName: 'Group',
				name: 'groupId',
				apiName: 'id',
				type: 'resourceLocator',
				location: 'path',
				locator: {
					searchMethod: 'searchGroups',
					idPattern: '[0-9]+',
					urlPattern: 'https://app\\.example\\.com/groups/([0-9]+)(?:/.*)?',
					urlPlaceholder: 'https://app.example.com/groups/123',
				},
			},
			{ displayName: 'Receiver', name: 'receiverId', apiName: 'pool_id', type: 'string', location: 'path', description: 'ID or email of the receiver' },
			{ displayName: 'Request Tag', name: 'requestTag', apiName: 'X-Request-Tag', type: 'string', location: 'header' },
			{
				displayName: 'Fields',
				name: 'fields',
				apiName: 'fields',
				type: 'multiOptions',
				separator: ',',
				options: [
					{ name: 'Email', value: 'email' },
					{ name: 'Tags', value: 'tags' },
					{ name: 'Attributes', value: 'attributes' },
				],
			},
		],
	},
	{
		resource: 'contact',
		operation: 'create',
		name: 'Create',
		action: 'Create a contact',
		description: 'Create a contact in a list',
		title: 'Create Contact',
		method: 'POST',
		path: '/lists/{list_id}/contacts',
		credential: CREDENTIAL,
		idempotent: false,
		fields: [
			{ displayName: 'List ID', name: 'listId', apiName: 'list_id', type: 'string', location: 'path' },
			{ displayName: 'Email', name: 'email', apiName: 'email', type: 'string', required: true, format: 'email' },
			{
				displayName: 'Kind',
				name: 'kind',
				apiName: 'kind',
				type: 'options',
				main: true,
				default: 'person',
				options: [
					{ name: 'Person', value: 'person' },
					{ name: 'Company', value: 'company' },
				],
			},
			{ displayName: 'First Name', name: 'firstName', apiName: 'first_name', type: 'string', required: true, showWhen: { kind: ['person'] } },
			{ displayName: 'Company Name', name: 'companyName', apiName: 'company', type: 'string', required: true, showWhen: { kind: ['company'] } },
			{ displayName: 'VAT ID', name: 'vatId', apiName: 'vat_id', type: 'string', showWhen: { kind: ['company'] } },
			{
				displayName: 'Tags',
				name: 'tags',
				apiName: 'tags',
				type: 'multiOptions',
				options: [
					{ name: 'VIP', value: 'vip' },
					{ name: 'Newsletter', value: 'newsletter' },
				],
			},
			{
				displayName: 'Address',
				name: 'address',
				apiName: 'address',
				type: 'collection',
				fields: [
					{ displayName: 'Street', name: 'street', apiName: 'street', type: 'string' },
					{ displayName: 'Postcode', name: 'postcode', apiName: 'zip', type: 'string', format: 'integer' },
				],
			},
			{
				displayName: 'Custom Fields',
				name: 'customFields',
				apiName: 'attributes',
				type: 'fixedCollection',
				entryName: 'Field',
				pairs: { nameLabel: 'Field Name', keyApiName: 'key', valueApiName: 'value' },
			},
			{ displayName: 'Owner', name: 'owner', apiName: 'owner_id', type: 'resourceLocator', locator: { idPattern: '[0-9]+' } },
			{ displayName: 'Metadata', name: 'metadata', apiName: 'meta', type: 'fixedCollection', entryName: 'Entry', pairs: {} },
			{
				displayName: 'Phones',
				name: 'phones',
				apiName: 'phones',
				type: 'fixedCollection',
				entryName: 'Phone',
				fields: [
					{ displayName: 'Number', name: 'number', apiName: 'number', type: 'string', required: true },
					{
						displayName: 'Type',
						name: 'type',
						apiName: 'type',
						type: 'options',
						default: 'mobile',
						options: [
							{ name: 'Mobile', value: 'mobile' },
							{ name: 'Work', value: 'work' },
						],
					},
				],
			},
		],
	},
];

/** The test-only provider node: the shared description and executor, one generic transport call. */
export class FieldsTest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fields Test',
		name: 'fieldsTest',
		group: ['output'],
		version: 1,
		description: 'Test-only node for the shared field kinds',
		defaults: { name: 'Fields Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(fieldsTestOperations),
		properties: [
			resourceProperty([
				{ name: 'Receiver', value: 'receiver' },
				{ name: 'Contact', value: 'contact' },
			]),
			...operationProperties(fieldsTestOperations),
			...fieldProperties(fieldsTestOperations),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, fieldsTestOperations, {
			call: async (context, operation, fields, itemIndex) =>
				await sendRequest(context, operation.credential, toRequestSpec(operation, fields), emailGatewaySenderProfile, { itemIndex, operationTitle: operation.title }),
		});
	}
}
