import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { EmailGatewayTriggerV1 } from './v1/EmailGatewayTriggerV1';

/**
 * The Email Gateway Trigger, versioned as n8n's own triggers are (MailerLite Trigger): a change that would
 * break saved workflows goes into a new `vN/` folder and version; workflows saved with version 1 keep it.
 */
export class EmailGatewayTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Email Gateway Trigger',
			name: 'emailGatewayTrigger',
			icon: { light: 'file:../../icons/emailGateway.svg', dark: 'file:../../icons/emailGateway.dark.svg' },
			group: ['trigger'],
			// n8n's nodes panel shows one entry per provider, described by the trigger's description: so it says what
			// the actions do first.
			description: 'Send email and manage sender domains, keys, SMTP, webhooks and events of Email Gateway (Octeth); start workflows on email events (delivered, bounced, opened...)',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new EmailGatewayTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
