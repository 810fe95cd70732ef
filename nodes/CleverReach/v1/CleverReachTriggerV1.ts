import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { webhookTriggerDescription } from '../../shared/trigger';
import { CREDENTIAL } from '../descriptions/common';
import { searchGroups } from '../transport';
import { cleverReachTrigger, HOOK_EVENT_OPTIONS } from '../trigger';

/** Version 1 of the CleverReach Trigger: what workflows saved with typeVersion 1 run. */
export class CleverReachTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = webhookTriggerDescription(baseDescription, {
			version: 1,
			name: 'CleverReach Trigger',
			credential: CREDENTIAL,
			// CleverReach checks the URL with a GET while the POST webhook's create() waits for the registration.
			handshake: true,
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
		});
	}

	methods = {
		listSearch: {
			async searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchGroups(this, filter);
			},
		},
	};

	webhookMethods = cleverReachTrigger.webhookMethods;

	webhook = cleverReachTrigger.webhook;

	/** Runs in the execution a delivery started: keeps its duplicate memory with the workflow. */
	execute = cleverReachTrigger.execute;
}
