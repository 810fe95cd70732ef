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
			// n8n's nodes panel shows one entry per provider, described by the trigger's description: so it says what
			// the actions do first.
			description: 'Send letters and bulk or personal mailings, manage mailing lists, templates and unsubscribes with SMS.by; start workflows when a recipient\'s delivery status changes',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new SmsByTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
