'use strict';
/**
 * Example credentials and workflows for the Email Gateway nodes, as n8n import JSON.
 *
 * Used by `npm start` (scripts/start.js imports them into the .sandbox/ n8n) and by the end-to-end
 * test (test/e2e/email-gateway.e2e.js runs exactly these workflows), so the examples users see are
 * the ones the tests prove.
 *
 *   const ex = require('./scripts/sandbox/examples');
 *   ex.credentials({ baseUrl, accountApiKey, senderApiKey })  -> [ {id,name,type,data}, ... ]
 *   ex.workflows()                                            -> [ {id,name,nodes,connections,...}, ... ]
 *   ex.IDS, ex.NODE_TYPES, ex.webhookPath(n8nUrl)
 *
 * Credential `data` is plain (n8n encrypts it on `import:credentials`). The ids are fixed, so a
 * second import overwrites instead of duplicating.
 */

const PACKAGE = 'n8n-nodes-email-marketing';

const NODE_TYPES = {
	node: `${PACKAGE}.emailGateway`,
	trigger: `${PACKAGE}.emailGatewayTrigger`,
};

const IDS = {
	accountCredential: 'EgSandboxAcct001',
	senderCredential: 'EgSandboxSend001',
	nodeWorkflow: 'EgExampleNode0001',
	triggerWorkflow: 'EgExampleTrigger01',
	/** The trigger's webhookId: its production URL is <n8n>/webhook/<this>/webhook. */
	triggerWebhookId: '6a1b7c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
};

const CREDENTIAL_NAMES = {
	account: 'Email Gateway account (fake server)',
	sender: 'Email Gateway sender key, domain 123 (fake server)',
};

/** Domain seeded by the fake server (example.com, verified and active). */
const DOMAIN_ID = '123';
const TRIGGER_EVENTS = ['bounced', 'opened'];

function credentials({ baseUrl, accountApiKey, senderApiKey }) {
	return [
		{
			id: IDS.accountCredential,
			name: CREDENTIAL_NAMES.account,
			type: 'emailGatewayApi',
			data: { baseUrl, apiKey: accountApiKey },
		},
		{
			id: IDS.senderCredential,
			name: CREDENTIAL_NAMES.sender,
			type: 'emailGatewaySenderApi',
			data: { baseUrl, apiKey: senderApiKey },
		},
	];
}

const accountCred = () => ({ emailGatewayApi: { id: IDS.accountCredential, name: CREDENTIAL_NAMES.account } });
const senderCred = () => ({ emailGatewaySenderApi: { id: IDS.senderCredential, name: CREDENTIAL_NAMES.sender } });

/** Manual Trigger → Email Gateway "Get Domains" (domain: getAll) and → "Send Email" (email: send). */
function nodeWorkflow() {
	return {
		id: IDS.nodeWorkflow,
		name: 'Example: Email Gateway (get domains, send email)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0a80101-0000-4000-8000-000000000001',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 100],
				parameters: {},
			},
			{
				id: 'c0a80101-0000-4000-8000-000000000002',
				name: 'Get Domains',
				type: NODE_TYPES.node,
				typeVersion: 1,
				position: [260, 0],
				parameters: { resource: 'domain', operation: 'getAll', returnAll: true },
				credentials: accountCred(),
			},
			{
				id: 'c0a80101-0000-4000-8000-000000000003',
				name: 'Send Email',
				type: NODE_TYPES.node,
				typeVersion: 1,
				position: [260, 200],
				parameters: {
					authentication: 'emailGatewaySenderApi',
					resource: 'email',
					operation: 'send',
					fromEmail: 'sender@example.com',
					fromName: 'Example Sender',
					to: 'Jane Doe <jane@example.org>',
					subject: 'Hello from n8n',
					contentType: 'html',
					content: '<p>Hello from the Email Gateway node.</p>',
					additionalFields: { tags: 'sandbox, example' },
				},
				credentials: senderCred(),
			},
		],
		connections: {
			'Manual Trigger': {
				main: [
					[
						{ node: 'Get Domains', type: 'main', index: 0 },
						{ node: 'Send Email', type: 'main', index: 0 },
					],
				],
			},
		},
	};
}

/** Email Gateway Trigger (domain 123: bounced, opened) → No Op. */
function triggerWorkflow() {
	return {
		id: IDS.triggerWorkflow,
		name: 'Example: Email Gateway Trigger (bounced, opened)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0a80101-0000-4000-8000-000000000011',
				name: 'Email Gateway Trigger',
				type: NODE_TYPES.trigger,
				typeVersion: 1,
				position: [0, 0],
				webhookId: IDS.triggerWebhookId,
				parameters: { domainId: DOMAIN_ID, events: TRIGGER_EVENTS, options: {} },
				credentials: accountCred(),
			},
			{
				id: 'c0a80101-0000-4000-8000-000000000012',
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: { 'Email Gateway Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
	};
}

function workflows() {
	return [nodeWorkflow(), triggerWorkflow()];
}

/** Production webhook URL of the example trigger (node webhook path 'webhook', not a full path). */
function webhookPath(n8nUrl) {
	return `${String(n8nUrl).replace(/\/+$/, '')}/webhook/${IDS.triggerWebhookId}/webhook`;
}

module.exports = {
	PACKAGE,
	NODE_TYPES,
	IDS,
	CREDENTIAL_NAMES,
	DOMAIN_ID,
	TRIGGER_EVENTS,
	credentials,
	workflows,
	nodeWorkflow,
	triggerWorkflow,
	webhookPath,
};
