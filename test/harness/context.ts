/**
 * A real n8n-core node context for calling shared helpers (sendRequest, getCachedCredentials)
 * directly, outside a workflow run: a HookContext for a throwaway workflow with one Email Gateway
 * node that has the `emailGatewayApi` and `emailGatewaySenderApi` credentials set.
 */
import { HookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE } from './engine';

export function requestContext(credentials: Record<string, ICredentialDataDecryptedObject>): HookContext {
	const node: INode = {
		id: 'request-context-node',
		name: 'Request Context Node',
		type: `${PACKAGE}.emailGateway`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			emailGatewayApi: { id: 'emailGatewayApi', name: 'emailGatewayApi' },
			emailGatewaySenderApi: { id: 'emailGatewaySenderApi', name: 'emailGatewaySenderApi' },
		},
	};
	const workflow = new Workflow({
		id: 'request-context-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
		settings: {},
	});
	return new HookContext(workflow, node, additionalData(credentials), 'manual', 'manual', undefined);
}
