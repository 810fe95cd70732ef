import type { INode } from 'n8n-workflow';

/** An Email Gateway node as helpers see it (`context.getNode()`), for tests that need no workflow. */
export const emailGatewayNode: INode = {
	id: 'n1',
	name: 'Email Gateway',
	type: 'n8n-nodes-email-marketing.emailGateway',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
