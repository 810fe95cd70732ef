import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { EspecialV1 } from './v1/EspecialV1';

/**
 * The Especial node, versioned as n8n's own nodes are: a change that would break saved workflows goes
 * into a new `vN/` folder and version, and workflows saved with version 1 keep running version 1.
 */
export class Especial extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Especial',
			name: 'especial',
			icon: { light: 'file:../../icons/especial.svg', dark: 'file:../../icons/especial.dark.svg' },
			group: ['output'],
			description: 'Manage contacts, lists, campaigns and more, and send transactional email with the Especial email API',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new EspecialV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
