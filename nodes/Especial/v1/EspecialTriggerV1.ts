import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACCEPTED_RESPONSE_DATA, receiveDelivery, rememberInExecution, webhookLifecycle } from '../../shared/trigger';
import { ESPECIAL_CREDENTIAL } from '../descriptions/common';
import { ESPECIAL_EVENT_OPTIONS, especialDeliveries, especialWebhooks } from '../trigger';

/** Version 1 of the Especial Trigger: what workflows saved with typeVersion 1 run. */
export class EspecialTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{$parameter["events"].join(", ")}}',
			defaults: { name: 'Especial Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: ESPECIAL_CREDENTIAL, required: true }],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: ACCEPTED_RESPONSE_DATA, path: 'webhook' }],
			properties: [
				{
					displayName: 'Events',
					name: 'events',
					type: 'multiOptions',
					options: ESPECIAL_EVENT_OPTIONS,
					required: true,
					default: ['Email.Bounced'],
					description: 'Events that start the workflow; Especial takes one event per webhook, so one webhook is registered per event',
				},
			],
		};
	}

	webhookMethods = { default: webhookLifecycle(especialWebhooks) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, especialDeliveries);
	}

	/** Runs in the execution a delivery started: keeps its duplicate memory with the workflow. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await rememberInExecution(this)];
	}
}
