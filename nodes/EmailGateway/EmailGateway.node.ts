import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { EmailGatewayV1 } from './v1/EmailGatewayV1';

/**
 * The Email Gateway node, versioned as n8n's own nodes are (MailerLite): a change that would break
 * saved workflows goes into a new `vN/` folder and version, and workflows saved with version 1 keep
 * running version 1.
 */
export class EmailGateway extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Email Gateway',
			name: 'emailGateway',
			icon: { light: 'file:../../icons/emailGateway.svg', dark: 'file:../../icons/emailGateway.dark.svg' },
			group: ['output'],
			description: 'Send email and manage sender domains, keys, SMTP, webhooks and events of an Email Gateway (Octeth) installation',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new EmailGatewayV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
