import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { CleverReachTriggerV1 } from './v1/CleverReachTriggerV1';

/** Starts a workflow on CleverReach's hook events (receivers, forms, groups, filters, automations). */
export class CleverReachTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'CleverReach Trigger',
			name: 'cleverReachTrigger',
			icon: { light: 'file:../../icons/cleverReach.svg', dark: 'file:../../icons/cleverReach.dark.svg' },
			group: ['trigger'],
			// n8n's nodes panel shows one entry per provider, described by the trigger's description: so it says what
			// the actions do first.
			description: 'Manage groups, receivers, forms, mailings and the blacklist of CleverReach; start workflows when receivers subscribe, unsubscribe or change',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new CleverReachTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
