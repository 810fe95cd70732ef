import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { EspecialTriggerV1 } from './v1/EspecialTriggerV1';

/** The Especial Trigger, versioned as n8n's own triggers are: workflows saved with version 1 keep it. */
export class EspecialTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Especial Trigger',
			name: 'especialTrigger',
			icon: { light: 'file:../../icons/especial.svg', dark: 'file:../../icons/especial.dark.svg' },
			group: ['trigger'],
			description: 'Starts the workflow when Especial reports an event (email bounced, contact added, campaign scheduled...)',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new EspecialTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
