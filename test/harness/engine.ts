/**
 * Runs our nodes through n8n's own execution engine (n8n-core's WorkflowExecute and node contexts),
 * the way n8n's node-test-harness does, with credentials applied by a credentials helper that
 * resolves `authenticate` like n8n's server does.
 */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeParameters,
	INodeProperties,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { EmailGatewayApi } from '../../credentials/EmailGatewayApi.credentials';
import { EmailGatewaySenderApi } from '../../credentials/EmailGatewaySenderApi.credentials';
import { CleverReachOAuth2Api } from '../../credentials/CleverReachOAuth2Api.credentials';
import { CleverReach } from '../../nodes/CleverReach/CleverReach.node';
import { CleverReachTrigger } from '../../nodes/CleverReach/CleverReachTrigger.node';
import { EmailGateway } from '../../nodes/EmailGateway/EmailGateway.node';
import { EmailGatewayTrigger } from '../../nodes/EmailGateway/EmailGatewayTrigger.node';
import { EspecialApi } from '../../credentials/EspecialApi.credentials';
import { Especial } from '../../nodes/Especial/Especial.node';
import { EspecialTrigger } from '../../nodes/Especial/EspecialTrigger.node';
import { SmsByApi } from '../../credentials/SmsByApi.credentials';
import { SmsBy } from '../../nodes/SmsBy/SmsBy.node';
import { SmsByTrigger } from '../../nodes/SmsBy/SmsByTrigger.node';
import { BatchTest, BatchTestApi } from './batch-node';
import { FieldsTest } from './fields-node';

export const PACKAGE = 'n8n-nodes-email-marketing';

/** A test-only node that emits the items a test gives it (json and binary), like a previous node would. */
class ItemSource implements INodeType {
	description = {
		displayName: 'Item Source',
		name: 'itemSource',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Item Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as INodeExecutionData[];
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}

const nodeClasses: Record<string, INodeType | IVersionedNodeType> = {
	[`${PACKAGE}.emailGateway`]: new EmailGateway(),
	[`${PACKAGE}.emailGatewayTrigger`]: new EmailGatewayTrigger(),
	[`${PACKAGE}.especial`]: new Especial(),
	[`${PACKAGE}.especialTrigger`]: new EspecialTrigger(),
	[`${PACKAGE}.cleverReach`]: new CleverReach(),
	[`${PACKAGE}.cleverReachTrigger`]: new CleverReachTrigger(),
	[`${PACKAGE}.smsBy`]: new SmsBy(),
	[`${PACKAGE}.smsByTrigger`]: new SmsByTrigger(),
	'test.itemSource': new ItemSource(),
	// Test-only provider node with batched operations (test/harness/batch-node.ts).
	[`${PACKAGE}.batchTest`]: new BatchTest(),
	// Test-only provider node with every shared field kind (test/harness/fields-node.ts).
	[`${PACKAGE}.fieldsTest`]: new FieldsTest(),
};

export const credentialTypes: Record<string, ICredentialType> = {
	emailGatewayApi: new EmailGatewayApi(),
	emailGatewaySenderApi: new EmailGatewaySenderApi(),
	especialApi: new EspecialApi(),
	cleverReachOAuth2Api: new CleverReachOAuth2Api(),
	smsByApi: new SmsByApi(),
	batchTestApi: new BatchTestApi(),
};

class TestNodeTypes implements INodeTypes {
	getByName(type: string) {
		return nodeClasses[type];
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(nodeClasses[type], version);
	}

	getKnownTypes() {
		return {};
	}
}

export const nodeTypes = new TestNodeTypes();

/** Test-only node and credential types (e.g. test/harness/test-credentials.ts), known to the engine from then on. */
export function registerTestTypes(types: { nodes?: Record<string, INodeType | IVersionedNodeType>; credentials?: Record<string, ICredentialType> }) {
	Object.assign(nodeClasses, types.nodes ?? {});
	Object.assign(credentialTypes, types.credentials ?? {});
}

/**
 * The credentials helper of n8n's server (packages/cli/src/credentials-helper.ts), over an in-memory store:
 * `authenticate` (generic: resolve expressions into headers/body/qs), parent types from `extends`,
 * `preAuthentication` with the expirable-property rule, and updates that a later getDecrypted sees (a
 * refreshed OAuth2 token, a fetched session token). The store is the test's credentials object itself.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	/** As n8n's CredentialTypes: the types listed in `extends`, and theirs. */
	getParentTypes(typeName: string): string[] {
		const parents = credentialTypes[typeName]?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const authenticate = type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			for (const [outerKey, values] of Object.entries(authenticate.properties)) {
				const target = ((requestOptions as unknown as IDataObject)[outerKey] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(values as IDataObject)) {
					target[key] = workflow.expression.getSimpleParameterValue(
						node,
						value as string,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					) as string;
				}
			}
		}
		return requestOptions;
	}

	/**
	 * As n8n's: runs the type's `preAuthentication` when its hidden expirable property is empty ('') or the
	 * caller says the credentials expired, stores the output and merges it into the credentials it was given.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		const expirable = this.getCredentialsProperties(typeName).find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type?.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(
			{ helpers: { httpRequest: async (options: IHttpRequestOptions) => await helpers.helpers.httpRequest(options) } },
			credentials,
		);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) this.credentials[typeName] = { ...this.credentials[typeName], ...output } as ICredentialDataDecryptedObject;
		return Object.assign(credentials, output);
	}

	/** As n8n's: the type's `preAuthentication` for in-memory use (OAuth2 requests), nothing stored. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		if (typeof type?.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	/**
	 * A fresh copy of the stored data per call, as n8n decrypts it from its database, with the type's
	 * defaults for what is not stored (e.g. an empty expirable token). Unlike n8n, keys that are no property
	 * of the type are kept, and expressions are not resolved.
	 */
	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string, _mode?: unknown, _executeData?: unknown, raw?: boolean) {
		const stored = this.credentials[type];
		if (!stored) throw new Error(`Test has no credentials of type ${type}`);
		const data = JSON.parse(JSON.stringify(stored)) as ICredentialDataDecryptedObject;
		if (raw === true) return data;
		const defaults = NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), data as INodeParameters, true, false, null, null);
		return { ...(defaults as ICredentialDataDecryptedObject), ...data };
	}

	async updateCredentials(_nodeCredentials: unknown, type: string, data: ICredentialDataDecryptedObject) {
		this.credentials[type] = JSON.parse(JSON.stringify(data)) as ICredentialDataDecryptedObject;
	}

	async updateCredentialsOauthTokenData(_nodeCredentials: unknown, type: string, data: ICredentialDataDecryptedObject) {
		this.credentials[type] = { ...this.credentials[type], oauthTokenData: JSON.parse(JSON.stringify(data.oauthTokenData ?? null)) };
	}

	/** As n8n's: a type that extends others has their properties, its own taking precedence. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = credentialTypes[type];
		if (!credentialType) return [];
		if (!credentialType.extends?.length) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

export function additionalData(credentials: Record<string, ICredentialDataDecryptedObject>, hooks?: ExecutionLifecycleHooks) {
	const data = mock<IWorkflowExecuteAdditionalData>();
	Object.assign(data, {
		executionId: '1',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		currentNodeParameters: undefined,
		hooks,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
	});
	data.credentialsHelper = new TestCredentialsHelper(credentials);
	// A deep mock answers every unknown property with a function; these must read as absent.
	for (const absent of ['ssrfBridge', 'encryptedRunnerIdentity', 'parentCallbackManager', 'executionTimeoutTimestamp', 'userId', 'projectId'] as const) {
		(data as unknown as IDataObject)[absent] = undefined;
	}
	return data;
}

export interface RunOptions {
	nodeType: string;
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
}

export interface RunResult {
	items: INodeExecutionData[];
	error?: Error & { description?: string; context?: IDataObject };
	run: IRun;
}

function nodeCredentialsFor(type: string): INode['credentials'] {
	const description = nodeTypes.getByNameAndVersion(type).description;
	return Object.fromEntries((description.credentials ?? []).map((credential) => [credential.name, { id: credential.name, name: credential.name }]));
}

/** Executes Item Source → node under test in a real WorkflowExecute and returns the node's output. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeType = `${PACKAGE}.${options.nodeType}`;
	const target: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: nodeType,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: nodeCredentialsFor(nodeType),
		continueOnFail: options.continueOnFail,
		onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const source: INode = {
		id: 'source',
		name: 'Source',
		type: 'test.itemSource',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{ json: {} }]) },
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [source, target],
		connections: { Source: { main: [[{ node: target.name, type: 'main', index: 0 }]] } },
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', mock());
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: source, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	const execute = new WorkflowExecute(additionalData(options.credentials, hooks), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const taskData = run.data.resultData.runData[target.name]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
	return { items: taskData?.data?.main?.[0] ?? [], error, run };
}

/** A node instance inside a workflow, for trigger lifecycle and webhook tests. */
export function triggerWorkflow(parameters: IDataObject, staticData: IDataObject = {}, triggerType = 'emailGatewayTrigger') {
	const nodeType = `${PACKAGE}.${triggerType}`;
	const node: INode = {
		id: 'trigger',
		name: 'Email Gateway Trigger',
		type: nodeType,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: nodeCredentialsFor(nodeType),
		webhookId: 'test-webhook-id',
	};
	const workflow = new Workflow({
		id: 'trigger-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: { [`node:${node.name}`]: staticData },
		settings: {},
	});
	return { node, workflow };
}

export function webhookData(node: INode, workflow: Workflow, url: string): IWebhookData {
	return {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/webhook`,
		webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' },
		workflowId: workflow.id,
		workflowExecuteAdditionalData: mock(),
		webhookId: node.webhookId,
		// Where the provider must call us: the test's own receiver.
		isTest: false,
		...({ url } as object),
	} as IWebhookData;
}

/** Runs a webhook lifecycle method (checkExists / create / delete) in n8n's own HookContext. */
export async function runWebhookMethod(
	method: 'checkExists' | 'create' | 'delete',
	trigger: ReturnType<typeof triggerWorkflow>,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	webhookUrl: string,
	mode: WorkflowExecuteMode = 'trigger',
) {
	const data = additionalData(credentials);
	// n8n builds a production webhook URL as <webhookBaseUrl>/<node.webhookId>/<path>; derive the base from
	// exactly that suffix, and refuse a URL the node could never be given (it would silently register another one).
	const suffix = `/${trigger.node.webhookId}/webhook`;
	if (!webhookUrl.endsWith(suffix)) {
		throw new Error(`runWebhookMethod: the webhook URL must end with "${suffix}" (<webhookBaseUrl>/<webhookId>/<path>), got ${webhookUrl}`);
	}
	data.webhookBaseUrl = webhookUrl.slice(0, -suffix.length);
	const context = new HookContext(trigger.workflow, trigger.node, data, mode, 'activate', webhookData(trigger.node, trigger.workflow, webhookUrl));
	if (context.getNodeWebhookUrl('default') !== webhookUrl) {
		throw new Error(`runWebhookMethod: the node would use webhook URL ${context.getNodeWebhookUrl('default')}, not ${webhookUrl}`);
	}
	const type = nodeTypes.getByNameAndVersion(trigger.node.type);
	return await type.webhookMethods!.default![method]!.call(context);
}

export interface FakeResponse {
	statusCode: number;
	body: unknown;
	status(code: number): FakeResponse;
	json(body: unknown): FakeResponse;
	send(body: unknown): FakeResponse;
	end(): FakeResponse;
	setHeader(): FakeResponse;
}

/** Delivers one webhook request to the trigger's webhook() in n8n's own WebhookContext. */
export async function deliverWebhook(
	trigger: ReturnType<typeof triggerWorkflow>,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	request: { headers: Record<string, string>; rawBody: string; path?: string },
) {
	const response: FakeResponse = {
		statusCode: 200,
		body: undefined,
		status(code) {
			this.statusCode = code;
			return this;
		},
		json(body) {
			this.body = body;
			return this;
		},
		send(body) {
			this.body = body;
			return this;
		},
		end() {
			return this;
		},
		setHeader() {
			return this;
		},
	};
	const lowerHeaders = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
	// As n8n's (express) request: with its path, so nodes can tell test from production URLs.
	const path = request.path ?? '/webhook/test-webhook-id/webhook';
	const req = {
		headers: lowerHeaders,
		body: JSON.parse(request.rawBody),
		rawBody: Buffer.from(request.rawBody),
		query: {},
		params: {},
		method: 'POST',
		url: path,
		originalUrl: path,
		path: path.split('?')[0],
	};
	const data = additionalData(credentials);
	data.httpRequest = req as never;
	data.httpResponse = response as never;
	const context = new WebhookContext(
		trigger.workflow,
		trigger.node,
		data,
		'webhook',
		webhookData(trigger.node, trigger.workflow, 'http://127.0.0.1/webhook'),
		[],
		null,
	);
	const type = nodeTypes.getByNameAndVersion(trigger.node.type);
	const result = await type.webhook!.call(context);
	return { result, response, staticData: trigger.workflow.staticData };
}
