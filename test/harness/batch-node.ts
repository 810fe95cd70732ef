/**
 * A test-only provider node with batched operations, built like a provider node (shared description,
 * shared executor, shared transport) against the fake bulk API in test/fake/batch-server.ts. It is
 * registered in the engine harness as `batchTest`, with the credential `batchTestApi`.
 */
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialsFor, fieldProperties, operationProperties, resourceProperty } from '../../nodes/shared/description/properties';
import { executeOperations } from '../../nodes/shared/execution/execute';
import type { RequestFields } from '../../nodes/shared/model/operation';
import { sendRequest } from '../../nodes/shared/http/transport';
import type { ProviderProfile } from '../../nodes/shared/http/transport';
import type { OperationDefinition } from '../../nodes/shared/model/operation';

export const BATCH_CREDENTIAL = 'batchTestApi';

export class BatchTestApi implements ICredentialType {
	name = BATCH_CREDENTIAL;

	displayName = 'Batch Test API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
	];

	authenticate = {
		type: 'generic' as const,
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};
}

/** Receiver upsert, CleverReach-style: results and rejections matched by email, answered in the provider's own order. */
const upsertReceivers: OperationDefinition = {
	resource: 'receiver',
	operation: 'upsert',
	name: 'Upsert',
	action: 'Upsert a receiver',
	description: 'Create or update receivers of a group',
	title: 'Upsert receivers',
	method: 'POST',
	path: '/receivers/upsert',
	credential: BATCH_CREDENTIAL,
	idempotent: true,
	fields: [
		{ name: 'group', displayName: 'Group ID', apiName: 'group', type: 'string', required: true, location: 'query' },
		{ name: 'email', displayName: 'Email', apiName: 'email', type: 'string', required: true, format: 'email' },
		{ name: 'receiverName', displayName: 'Name', apiName: 'name', type: 'string' },
		{ name: 'source', displayName: 'Source', apiName: 'source', type: 'string', required: true },
	],
	batch: {
		maxSize: 1000,
		recordsKey: 'receivers',
		sharedFields: ['source'],
		results: { path: 'results', match: { by: 'email', recordKey: 'email', resultKey: 'email' } },
		rejections: { path: 'errors', match: { by: 'email', recordKey: 'email', resultKey: 'email' }, messageKey: 'message', codeKey: 'code' },
	},
};

/** Contact import, SMS.by-style (columns and rows): results in request order, rejected rows in a log by 1-based index. Not idempotent. */
const importContacts: OperationDefinition = {
	resource: 'contact',
	operation: 'import',
	name: 'Import',
	action: 'Import contacts',
	description: 'Import contacts into a list',
	title: 'Import contacts',
	method: 'POST',
	path: '/contacts/import',
	credential: BATCH_CREDENTIAL,
	idempotent: false,
	fields: [
		{ name: 'list', displayName: 'List ID', apiName: 'list', type: 'string', required: true },
		{ name: 'email', displayName: 'Email', apiName: 'email', type: 'string', required: true, format: 'email' },
		{ name: 'contactName', displayName: 'Name', apiName: 'name', type: 'string' },
	],
	batch: {
		maxSize: 500,
		recordsKey: 'contacts',
		sharedFields: ['list'],
		toRecord: (record) => ({ ...record, email: String(record.email).toLowerCase() }),
		// SMS.by's column layout: the field names once, then one row of values per contact.
		chunkBody: (records, shared) => {
			const fieldNames = [...new Set(records.flatMap((record) => Object.keys(record)))];
			return { ...shared, field_names: fieldNames, data: records.map((record) => fieldNames.map((name) => record[name] ?? '')) };
		},
		results: { path: 'rows', match: { by: 'index' } },
		rejections: { path: 'log', match: { by: 'index', indexKey: 'index', firstIndex: 1 }, messageKey: 'error_message' },
	},
};

/** Orders keyed by the caller's own reference (by id), up to three requests in flight. */
const createOrders: OperationDefinition = {
	resource: 'order',
	operation: 'create',
	name: 'Create',
	action: 'Create an order',
	description: 'Create orders',
	title: 'Create orders',
	method: 'POST',
	path: '/orders',
	credential: BATCH_CREDENTIAL,
	idempotent: true,
	fields: [
		{ name: 'ref', displayName: 'Reference', apiName: 'ref', type: 'string', required: true },
		{ name: 'amount', displayName: 'Amount', apiName: 'amount', type: 'number', required: true, minValue: 0 },
	],
	batch: {
		maxSize: 100,
		recordsKey: 'orders',
		results: { path: 'created', match: { by: 'id', recordKey: 'ref', resultKey: 'ref' } },
		concurrency: 3,
	},
};

/** A personal mailing, SMS.by-style: one request per chunk of recipients; the answer lists no per-row results. Sends mail. */
const sendPersonalMailing: OperationDefinition = {
	resource: 'mailing',
	operation: 'sendPersonal',
	name: 'Send Personal',
	action: 'Send a personal mailing',
	description: 'Send one mailing to many recipients',
	title: 'Send personal mailing',
	method: 'POST',
	path: '/mailings/personal',
	credential: BATCH_CREDENTIAL,
	idempotent: false,
	fields: [
		{ name: 'subject', displayName: 'Subject', apiName: 'subject', type: 'string', required: true },
		{ name: 'email', displayName: 'Email', apiName: 'email', type: 'string', required: true, format: 'email' },
		{ name: 'recipientName', displayName: 'Name', apiName: 'name', type: 'string' },
	],
	batch: { maxSize: 200, recordsKey: 'delivery_list', sharedFields: ['subject'], concurrency: 4 },
};

export const batchTestOperations = [upsertReceivers, importContacts, createOrders, sendPersonalMailing];

const batchTestProfile: ProviderProfile = {
	name: 'Batch Test',
	detectFailure(statusCode, body) {
		if (statusCode < 400) return undefined;
		const error = ((body as IDataObject | undefined)?.error ?? {}) as IDataObject;
		return { httpCode: statusCode, body, errors: [{ code: error.code as string | undefined, message: error.message as string | undefined }] };
	},
};

async function batchTestRequest(context: IExecuteFunctions, operation: OperationDefinition, fields: RequestFields, itemIndex: number) {
	return await sendRequest(
		context,
		operation.credential,
		{ method: operation.method, path: operation.path, body: fields.body, qs: fields.qs, idempotent: operation.idempotent },
		batchTestProfile,
		{ itemIndex, operationTitle: operation.title },
	);
}

export class BatchTest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Batch Test',
		name: 'batchTest',
		group: ['output'],
		version: 1,
		description: 'Test-only node with batched operations',
		defaults: { name: 'Batch Test' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(batchTestOperations),
		properties: [
			resourceProperty([
				{ name: 'Contact', value: 'contact' },
				{ name: 'Mailing', value: 'mailing' },
				{ name: 'Order', value: 'order' },
				{ name: 'Receiver', value: 'receiver' },
			]),
			...operationProperties(batchTestOperations),
			...fieldProperties(batchTestOperations),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, batchTestOperations, { call: batchTestRequest });
	}
}
