import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { SmsByTriggerV1 } from './v1/SmsByTriggerV1';

/** The SMS.by Trigger (polling: the email API has no webhooks), versioned like the node. */
export class SmsByTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'SMS.by Trigger',
			name: 'smsByTrigger',
			icon: { light: 'file:../../icons/smsBy.svg', dark: 'file:../../icons/smsBy.dark.svg' },
			group: ['trigger'],
			description: 'Starts the workflow when a recipient of an SMS.by mailing changes delivery status (delivered, opened, clicked...)',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new SmsByTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
