import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	ACCEPTED_RESPONSE_DATA,
	answerHandshake,
	handshakeWebhook,
	isHandshakeRequest,
	receiveDelivery,
	rememberInExecution,
	webhookLifecycle,
} from '../../shared/trigger';
import { CREDENTIAL } from '../descriptions/common';
import { searchGroups } from '../transport';
import { cleverReachDeliveries, cleverReachHooks, HOOK_EVENT_OPTIONS, verifyToken } from '../trigger';

/** Version 1 of the CleverReach Trigger: what workflows saved with typeVersion 1 run. */
export class CleverReachTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{$parameter["events"].join(", ")}}',
			defaults: { name: 'CleverReach Trigger' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: CREDENTIAL, required: true }],
			// The GET check first: CleverReach calls it while the POST webhook's create() waits for the registration.
			webhooks: [
				handshakeWebhook(),
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: ACCEPTED_RESPONSE_DATA, path: 'webhook' },
			],
			properties: [
				{
					displayName: 'Events',
					name: 'events',
					type: 'multiOptions',
					options: HOOK_EVENT_OPTIONS,
					required: true,
					default: ['receiver.subscribed', 'receiver.unsubscribed'],
					description: 'Events that start the workflow; one hook is registered per event',
				},
				{
					displayName: 'Group',
					name: 'groupId',
					type: 'resourceLocator',
					default: { mode: 'list', value: '' },
					description:
						'Group whose receiver events start the workflow; required for receiver events (CleverReach registers them per group). Form, group, filter and automation events are account-wide and ignore it.',
					modes: [
						{
							displayName: 'From List',
							name: 'list',
							type: 'list',
							placeholder: 'Select a group...',
							typeOptions: { searchListMethod: 'searchGroups', searchable: true },
						},
						{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 123456' },
					],
				},
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'Fetch Receiver',
							name: 'fetchReceiver',
							type: 'boolean',
							default: true,
							description:
								'Whether to fetch the receiver of a receiver event, so that the output has its email address (deliveries carry IDs only; one request per event)',
						},
					],
				},
			],
		};
	}

	methods = {
		listSearch: {
			async searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchGroups(this, filter);
			},
		},
	};

	webhookMethods = { default: webhookLifecycle(cleverReachHooks) };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (isHandshakeRequest(this)) {
			const token = await verifyToken(this);
			return await answerHandshake(this, { parameter: 'secret', answer: (value) => `${token} ${value}` });
		}
		return await receiveDelivery(this, cleverReachDeliveries);
	}

	/** Runs in the execution a delivery started: keeps its duplicate memory with the workflow. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await rememberInExecution(this)];
	}
}
