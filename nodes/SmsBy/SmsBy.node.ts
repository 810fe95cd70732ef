import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { SmsByV1 } from './v1/SmsByV1';

/** The SMS.by node (email API), versioned as n8n's own nodes are: workflows saved with version 1 keep running it. */
export class SmsBy extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'SMS.by',
			name: 'smsBy',
			icon: { light: 'file:../../icons/smsBy.svg', dark: 'file:../../icons/smsBy.dark.svg' },
			group: ['output'],
			description: 'Send letters, bulk and personal mailings, manage unsubscribes, templates and mailing lists with SMS.by',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new SmsByV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
