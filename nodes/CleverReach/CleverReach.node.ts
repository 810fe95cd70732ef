import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { CleverReachV1 } from './v1/CleverReachV1';

/** The CleverReach node, versioned as n8n's own nodes are: workflows saved with version 1 keep running version 1. */
export class CleverReach extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'CleverReach',
			name: 'cleverReach',
			icon: { light: 'file:../../icons/cleverReach.svg', dark: 'file:../../icons/cleverReach.dark.svg' },
			group: ['output'],
			description: 'Manage groups, receivers, forms, mailings and the blacklist of CleverReach (REST v3)',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new CleverReachV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
