import type { INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { SMSBY_CREDENTIAL } from '../descriptions/common';
import { pollMailings } from '../trigger';

/** Version 1 of the SMS.by Trigger: what workflows saved with typeVersion 1 run. */
export class SmsByTriggerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: 'Delivery statuses',
			defaults: { name: 'SMS.by Trigger' },
			polling: true,
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: SMSBY_CREDENTIAL, required: true }],
			properties: [
				{
					displayName: 'Watch Mailings Sent by This Workflow',
					name: 'watchSentMailings',
					type: 'boolean',
					default: true,
					description:
						"Whether to watch, without typing their IDs, the mailings this workflow's SMS.by node creates (Send to List, Bulk Send, Send Personal): from the next poll when the send runs in the process that polls (n8n's regular mode). A running trigger does not see a send made on a queue-mode worker: type those IDs in Mailing IDs.",
				},
				{
					displayName: 'Mailing IDs',
					name: 'mailingIds',
					type: 'string',
					default: '',
					placeholder: '1234, cc9c8043-8caf-11ef-b035-9e8f47954dec',
					description: 'Comma-separated mailings to watch as well: message_id of Send to List, or uuid of a bulk mailing',
				},
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'Watch For (Days)',
							name: 'watchDays',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 7,
							description: 'A mailing is read no more this many days after the trigger began watching it (earlier when every recipient is undelivered or clicked)',
						},
					],
				},
			],
		};
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollMailings(this);
	}
}
