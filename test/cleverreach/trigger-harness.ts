/**
 * The CleverReach Trigger in n8n-core's HookContext and WebhookContext, for the trigger and Check Trigger Webhooks
 * tests: the trigger in its workflow with the static data n8n's database holds, its lifecycle methods as n8n
 * runs them on (de)activation, and a real HTTP server standing in for n8n's webhook server (CleverReach's GET
 * check and deliveries reach the trigger's webhook()).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData, IWebhookData, IWebhookDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { expressLikeResponse, webhookRequest } from '../harness/trigger-runners';

const NODE_TYPE = `${PACKAGE}.cleverReachTrigger`;

/** The trigger in its workflow, with the static data n8n's database holds for it (a JSON copy, as n8n loads it). */
export function triggerWorkflow(parameters: IDataObject, saved: IDataObject, webhookId = 'cr-trigger-hook') {
	const node: INode = {
		id: 'cr-trigger',
		name: 'CleverReach Trigger',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { cleverReachOAuth2Api: { id: 'cr', name: 'CleverReach account' } },
		webhookId,
	};
	const workflow = new Workflow({
		id: 'cr-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: JSON.parse(JSON.stringify({ [`node:${node.name}`]: saved })) as IDataObject,
		settings: { timezone: 'UTC' },
	});
	return { node, workflow, type: nodeTypes.getByNameAndVersion(NODE_TYPE) };
}

export type Trigger = ReturnType<typeof triggerWorkflow>;

export function webhookDataFor(trigger: Trigger, description: IWebhookDescription): IWebhookData {
	return {
		httpMethod: description.httpMethod,
		node: trigger.node.name,
		path: `${trigger.node.webhookId}/${String(description.path)}`,
		webhookDescription: description,
		workflowId: String(trigger.workflow.id),
		workflowExecuteAdditionalData: additionalData({}),
		webhookId: trigger.node.webhookId,
		isTest: false,
	} as IWebhookData;
}

/** n8n's webhook server for the trigger: loads the workflow per request (static data as saved so far). */
export async function startN8nWebhooks(makeTrigger: () => Trigger, creds: () => Record<string, ICredentialDataDecryptedObject>) {
	const started: INodeExecutionData[][] = [];
	const calls: Array<{ method: string; webhookName: string; status: number; startedExecution: boolean }> = [];
	const http = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			void (async () => {
				const trigger = makeTrigger();
				const url = new URL(request.url ?? '/', 'http://127.0.0.1');
				const description = trigger.type.description.webhooks!.find((webhook) => webhook.httpMethod === request.method)!;
				const rawBody = Buffer.concat(chunks);
				const data = additionalData(creds());
				data.httpRequest = webhookRequest(request, url, rawBody);
				const facade = expressLikeResponse(response);
				data.httpResponse = facade as never;
				const context = new WebhookContext(trigger.workflow, trigger.node, data, 'webhook', webhookDataFor(trigger, description), [], null);
				const result = await trigger.type.webhook!.call(context);
				if (result.workflowData) started.push(result.workflowData[0]);
				calls.push({ method: request.method ?? '', webhookName: description.name, status: 0, startedExecution: !!result.workflowData });
				if (!result.noWebhookResponse) facade.json(result.webhookResponse ?? {});
				calls[calls.length - 1].status = response.statusCode;
			})().catch((error: Error) => {
				response.statusCode = 500;
				response.end(error.message);
			});
		});
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/webhook`,
		started,
		calls,
		close: async () => await new Promise<void>((resolve) => http.close(() => resolve())),
	};
}

/**
 * Runs a lifecycle method of the trigger as n8n does on (de)activation, with the static data saved so far,
 * and returns its result with the static data it left (what n8n saves).
 */
export async function runLifecycle(
	trigger: Trigger,
	method: 'checkExists' | 'create' | 'delete',
	credentials: Record<string, ICredentialDataDecryptedObject>,
	webhookBaseUrl: string,
) {
	const data = additionalData(credentials);
	data.webhookBaseUrl = webhookBaseUrl;
	const description = trigger.type.description.webhooks!.find((webhook) => webhook.name === 'default')!;
	const context = new HookContext(trigger.workflow, trigger.node, data, 'trigger', 'activate', webhookDataFor(trigger, description));
	const result = await trigger.type.webhookMethods!.default![method]!.call(context);
	return { result, saved: JSON.parse(JSON.stringify(trigger.workflow.getStaticData('node', trigger.node))) as IDataObject };
}
