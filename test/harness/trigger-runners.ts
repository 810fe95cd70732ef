/**
 * Runs the test-only triggers of test/harness/test-triggers.ts in n8n-core's own contexts: poll() in a
 * PollContext, webhook lifecycle methods in a HookContext, and webhook() in a WebhookContext behind a
 * real HTTP server on 127.0.0.1 that stands in for n8n's webhook server, so a provider's fake can call
 * the hook URL (the GET handshake) and read the answer with its real status and headers.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, PollContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { additionalData } from './engine';
import { HandshakeTestTrigger } from './test-triggers';

const testTriggers: Record<string, INodeType> = {
	'test.handshakeTrigger': new HandshakeTestTrigger(),
};

const triggerTypes: INodeTypes = {
	getByName: (type) => testTriggers[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(testTriggers[type], version),
	getKnownTypes: () => ({}),
};

export type TestTriggerType = keyof typeof testTriggers;

/**
 * A workflow holding one test trigger, with the node's static data as n8n loads it from the database
 * (a JSON copy: what a restart of n8n sees).
 */
export function testTriggerWorkflow(type: TestTriggerType, parameters: IDataObject, savedStaticData: IDataObject = {}) {
	const node: INode = {
		id: 'test-trigger',
		name: 'Test Trigger',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		webhookId: 'test-trigger-hook',
	};
	const workflow = new Workflow({
		id: 'test-trigger-workflow',
		nodes: [node],
		connections: {},
		nodeTypes: triggerTypes,
		active: true,
		staticData: JSON.parse(JSON.stringify({ [`node:${node.name}`]: savedStaticData })) as IDataObject,
		settings: { timezone: 'UTC' },
	});
	return { node, workflow, type: triggerTypes.getByNameAndVersion(type) };
}

/** What the node's static data holds now, as n8n would save it. */
export const savedStaticData = (trigger: ReturnType<typeof testTriggerWorkflow>) =>
	JSON.parse(JSON.stringify(trigger.workflow.getStaticData('node', trigger.node))) as IDataObject;

function runlessData(webhookBaseUrl?: string): IWorkflowExecuteAdditionalData {
	const data = additionalData({});
	// Absent in n8n outside its server (a deep mock would answer with a function).
	(data as unknown as IDataObject).ssrfBridge = undefined;
	if (webhookBaseUrl) data.webhookBaseUrl = webhookBaseUrl;
	return data;
}

/** One poll, as n8n's poll trigger executor runs it: in `trigger` mode (active workflow) or `manual` (Fetch Test Event). */
export async function pollOnce(trigger: ReturnType<typeof testTriggerWorkflow>, mode: 'trigger' | 'manual' = 'trigger') {
	const context = new PollContext(trigger.workflow, trigger.node, runlessData(), mode, mode === 'manual' ? 'manual' : 'activate');
	const result = await trigger.type.poll!.call(context);
	return result?.[0]?.map((item) => item.json) ?? null;
}

function webhookDataFor(trigger: ReturnType<typeof testTriggerWorkflow>, description: IWebhookDescription): IWebhookData {
	return {
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: trigger.node.name,
		path: `${trigger.node.webhookId}/${String(description.path)}`,
		webhookDescription: description,
		workflowId: String(trigger.workflow.id),
		workflowExecuteAdditionalData: runlessData(),
		webhookId: trigger.node.webhookId,
		isTest: false,
	} as IWebhookData;
}

/** Runs webhookMethods.default.<method> in n8n's HookContext, with n8n's production webhook URL under webhookBaseUrl. */
export async function runHookMethod(
	trigger: ReturnType<typeof testTriggerWorkflow>,
	method: 'checkExists' | 'create' | 'delete',
	webhookBaseUrl: string,
	mode: WorkflowExecuteMode = 'trigger',
) {
	const description = trigger.type.description.webhooks!.find((webhook) => webhook.name === 'default')!;
	const context = new HookContext(trigger.workflow, trigger.node, runlessData(webhookBaseUrl), mode, 'activate', webhookDataFor(trigger, description));
	return await trigger.type.webhookMethods!.default![method]!.call(context);
}

/** What n8n's webhook server answered, and whether the node asked for an execution. */
export interface HookCall {
	method: string;
	url: string;
	webhookName: string;
	status: number;
	headers: Record<string, string>;
	body: string;
	startedExecution: boolean;
}

/**
 * An express-like response over node's ServerResponse, with express's rule that matters here: send() of a
 * string sets `Content-Type: text/html` unless a content type was set before.
 */
export function expressLikeResponse(response: import('node:http').ServerResponse) {
	const facade = {
		status(code: number) {
			response.statusCode = code;
			return facade;
		},
		setHeader(name: string, value: string) {
			response.setHeader(name, value);
			return facade;
		},
		getHeader: (name: string) => response.getHeader(name),
		send(body: unknown) {
			if (typeof body === 'string') {
				if (!response.hasHeader('content-type')) response.setHeader('Content-Type', 'text/html; charset=utf-8');
				response.end(body);
			} else facade.json(body);
			return facade;
		},
		json(body: unknown) {
			response.setHeader('Content-Type', 'application/json; charset=utf-8');
			response.end(JSON.stringify(body));
			return facade;
		},
		end(body?: string) {
			response.end(body);
			return facade;
		},
	};
	return facade;
}

/** The query as express parses it: a repeated parameter becomes an array. */
function queryOf(url: URL): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const [name, value] of url.searchParams) {
		const before = query[name];
		query[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
	}
	return query;
}

/** A received request as n8n's webhook server hands it to webhook() (express's fields the package reads). */
export function webhookRequest(request: import('node:http').IncomingMessage, url: URL, rawBody: Buffer) {
	return {
		method: request.method,
		headers: request.headers,
		query: queryOf(url),
		params: {},
		body: rawBody.length ? JSON.parse(rawBody.toString()) : {},
		rawBody,
		url: request.url,
		originalUrl: request.url,
		path: url.pathname,
	} as never;
}

/**
 * n8n's webhook server for one test trigger: each request loads the workflow with the static data saved
 * so far (`saved()`; n8n reads it from the database per request), picks the node's webhook by method, and
 * calls webhook() in a WebhookContext. Answers as n8n does: the node's own answer when it sent one
 * (`noWebhookResponse`), otherwise 200 `{"message":"Workflow was started"}` when it returned workflow data.
 */
export async function startWebhookServer(makeTrigger: () => ReturnType<typeof testTriggerWorkflow>) {
	const calls: HookCall[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			void (async () => {
				const trigger = makeTrigger();
				const url = new URL(request.url ?? '/', 'http://127.0.0.1');
				const description = trigger.type.description.webhooks!.find((webhook) => webhook.httpMethod === request.method);
				const call: HookCall = {
					method: request.method ?? '',
					url: request.url ?? '',
					webhookName: description?.name ?? '',
					status: 0,
					headers: {},
					body: '',
					startedExecution: false,
				};
				const finish = () => {
					call.status = response.statusCode;
					call.headers = Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
					calls.push(call);
				};
				response.on('finish', finish);
				if (!description || url.pathname !== `/webhook/${trigger.node.webhookId}/${String(description.path)}`) {
					response.statusCode = 404;
					response.end('not registered');
					return;
				}
				const rawBody = Buffer.concat(chunks);
				const data = runlessData();
				data.httpRequest = webhookRequest(request, url, rawBody);
				const facade = expressLikeResponse(response);
				data.httpResponse = facade as never;
				const context = new WebhookContext(trigger.workflow, trigger.node, data, 'webhook', webhookDataFor(trigger, description), [], null);
				const result = await trigger.type.webhook!.call(context);
				call.startedExecution = result.workflowData !== undefined;
				if (!result.noWebhookResponse) facade.json(call.startedExecution ? { message: 'Workflow was started' } : {});
			})().catch((error: Error) => {
				response.statusCode = 500;
				response.end(error.message);
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
	return {
		/** n8n's webhookBaseUrl: hook URLs are <baseUrl>/<webhookId>/<path>. */
		baseUrl,
		calls,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/**
 * n8n's processed-data store as n8n 2.40's DeduplicationHelper (packages/cli/src/deduplication) keeps it for
 * `helpers.checkProcessedAndRecord` in "entries" mode: one row per node holding a list of md5 hashes, read,
 * changed in memory and written back whole, with nothing that stops two callers from overlapping. `hold`
 * pauses the next call between its read and its write, so a test can make two writes overlap as under load.
 */
export function processedDataStore() {
	const rows = new Map<string, string[]>();
	let held: { reached: () => void; release: Promise<void> } | undefined;
	const hash = (value: string | number) => createHash('md5').update(value.toString()).digest('base64');

	const failures: Error[] = [];

	async function checkProcessedAndRecord(node: string, items: Array<string | number>, maxEntries?: number) {
		const failure = failures.shift();
		if (failure) throw failure;
		const stored = rows.get(node);
		const list = stored ? [...stored] : undefined;
		const pause = held;
		held = undefined;
		if (pause) {
			pause.reached();
			await pause.release;
		}
		const seen = new Set(list ?? []);
		const result = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
		const next = list ?? [];
		for (const item of items) {
			if (list && seen.has(hash(item))) result.processed.push(item);
			else {
				result.new.push(item);
				next.push(hash(item));
			}
		}
		rows.set(node, maxEntries ? next.slice(-maxEntries) : next);
		return result;
	}

	return {
		/** The helpers n8n gives a node's execute() for the store, for the node with this id. */
		helpersFor: (node: string) => ({
			checkProcessedAndRecord: async (items: Array<string | number>, _scope: string, options: { maxEntries?: number }) =>
				await checkProcessedAndRecord(node, items, options.maxEntries),
			removeProcessed: async (items: Array<string | number>) => {
				const drop = new Set(items.map(hash));
				rows.set(node, (rows.get(node) ?? []).filter((stored) => !drop.has(stored)));
			},
		}),
		has: (node: string, item: string) => (rows.get(node) ?? []).includes(hash(item)),
		/** The next call fails with this error (n8n's insert of the row losing to another execution's). */
		failNext: (error: Error) => failures.push(error),
		/** The next call stops after its read until release(); `reached` resolves once it has read. */
		hold() {
			let release!: () => void;
			let reached!: () => void;
			const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
			held = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
			return { reached: reachedPromise, release };
		},
	};
}
