import type {
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { webhookTriggerDescription } from '../../shared/trigger';
import { ESPECIAL_CREDENTIAL } from '../descriptions/common';
import { ESPECIAL_EVENT_OPTIONS, especialTrigger } from '../trigger';

/** Version 1 of the Especial Trigger: what workflows saved with typeVersion 1 run. */
export class EspecialTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = webhookTriggerDescription(baseDescription, {
			version: 1,
			name: 'Especial Trigger',
			credential: ESPECIAL_CREDENTIAL,
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
		});
	}

	webhookMethods = especialTrigger.webhookMethods;

	webhook = especialTrigger.webhook;

	/** Runs in the execution a delivery started: keeps its duplicate memory with the workflow. */
	execute = especialTrigger.execute;
}
