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
			// n8n's nodes panel shows one entry per provider, described by the trigger's description: so it says what
			// the actions do first.
			description: 'Manage contacts, lists, campaigns and more, and send transactional email with Especial; start workflows on its events (email bounced, contact added...)',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new EspecialTriggerV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
