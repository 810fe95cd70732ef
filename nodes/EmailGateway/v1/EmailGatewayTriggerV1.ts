import type {
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { EMAIL_EVENT_OPTIONS } from '../../shared/trigger/events';
import { webhookTriggerDescription } from '../../shared/trigger';
import { ACCOUNT_CREDENTIAL } from '../descriptions/common';
import { loadDomainOptions } from '../transport';
import { emailGatewayTrigger } from '../trigger';

/** Version 1 of the Email Gateway Trigger: what workflows saved with typeVersion 1 run. */
export class EmailGatewayTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = webhookTriggerDescription(baseDescription, {
			version: 1,
			name: 'Email Gateway Trigger',
			credential: ACCOUNT_CREDENTIAL,
			properties: [
				{
					displayName: 'Domain Name or ID',
					name: 'domainId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getDomains' },
					required: true,
					default: '',
					description:
						'Sender domain whose events start the workflow. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Events',
					name: 'events',
					type: 'multiOptions',
					options: EMAIL_EVENT_OPTIONS,
					required: true,
					default: ['bounced', 'complained'],
					description: 'Events that start the workflow; one webhook is registered per event',
				},
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'Accept Unsigned Deliveries',
							name: 'allowUnsigned',
							type: 'boolean',
							default: false,
							description:
								'Whether to accept deliveries that carry no signature at all. Deliveries with a wrong signature are always refused.',
						},
						{
							displayName: 'Maximum Event Age (Seconds)',
							name: 'maxAgeSeconds',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 300,
							description:
								'Refuse deliveries whose signed delivery time (the t= of X-Octeth-Signature, or the timestamp of a Mailgun-style signature) is older than this; 0 turns the check off. The event time in the payload is not checked: retries of old events are accepted.',
						},
					],
				},
			],
		});
	}

	methods = {
		loadOptions: {
			async getDomains(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await loadDomainOptions(this);
			},
		},
	};

	webhookMethods = emailGatewayTrigger.webhookMethods;

	webhook = emailGatewayTrigger.webhook;

	/** Runs in the execution a delivery started: keeps its duplicate memory with the workflow. */
	execute = emailGatewayTrigger.execute;
}
