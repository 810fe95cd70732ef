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
			description: 'Starts the workflow when receivers subscribe, unsubscribe or change, and on form, group, filter and automation events in CleverReach',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new CleverReachTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
