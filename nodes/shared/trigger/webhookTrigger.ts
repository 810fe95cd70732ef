import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { handshakeWebhook, isHandshakeRequest } from './handshake';
import { ACCEPTED_RESPONSE_DATA, receiveDelivery, rememberInExecution } from './webhookDelivery';
import type { DeliveryHandling } from './webhookDelivery';
import { webhookLifecycle } from './webhookLifecycle';
import type { WebhookRegistration } from './webhookLifecycle';

/** What a provider folder gives for its webhook trigger; the kit wires the rest the same way for all. */
export interface WebhookTriggerParts {
	registration: WebhookRegistration;
	deliveries: DeliveryHandling;
	/** For a provider that checks the URL with a GET before it uses it (CleverReach): the answer to that check. */
	handshake?: (context: IWebhookFunctions) => Promise<IWebhookResponseData>;
}

/** A webhook trigger's description: no input, one output, its credential, its webhooks (the GET handshake first). */
export function webhookTriggerDescription(
	base: INodeTypeBaseDescription,
	trigger: { version: number; name: string; credential: string; handshake?: boolean; properties: INodeProperties[] },
): INodeTypeDescription {
	return {
		...base,
		version: trigger.version,
		subtitle: '={{$parameter["events"].join(", ")}}',
		defaults: { name: trigger.name },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: trigger.credential, required: true }],
		webhooks: [
			// n8n registers webhooks in this order, and the handshake comes while the POST one is registered.
			...(trigger.handshake ? [handshakeWebhook()] : []),
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: ACCEPTED_RESPONSE_DATA, path: 'webhook' },
		],
		properties: trigger.properties,
	};
}

/**
 * A webhook trigger's methods: the webhook lifecycle on activation, the delivery path, and the execution a
 * delivery starts (it keeps the duplicate memory with the workflow).
 */
export function webhookTriggerMethods(parts: WebhookTriggerParts) {
	return {
		webhookMethods: { default: webhookLifecycle(parts.registration) },
		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			if (parts.handshake && isHandshakeRequest(this)) return await parts.handshake(this);
			return await receiveDelivery(this, parts.deliveries);
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [await rememberInExecution(this)];
		},
	};
}
