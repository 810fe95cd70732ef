'use strict';
/**
 * Example credential and workflows for the CleverReach nodes, as n8n import JSON, and the fake CleverReach
 * they run against. Used by `npm start` (the sandbox) and by test/e2e/cleverreach.e2e.js, which runs exactly
 * these workflows, so the examples users see are the ones the tests prove.
 *
 *   const cr = require('./scripts/sandbox/cleverreach-examples');
 *   const fake = await cr.startFake({ port });            // the fake, seeded: group "Newsletter", attribute firstname
 *   cr.credentials({ restUrl, clientId, clientSecret, oauthTokenData? })  -> [ {id,name,type,data} ]
 *   cr.workflows({ groupId })                              -> [ node workflow, trigger workflow ]
 *   cr.IDS, cr.NODE_TYPES, cr.webhookPath(n8nUrl)
 *
 * Credential `data` is plain (n8n encrypts it on `import:credentials`); without `oauthTokenData` it is
 * waiting for "Connect". The ids are fixed, so a second import overwrites instead of duplicating.
 */

const { startCleverReachServer } = require('../../test/fake/cleverreach-server');

const PACKAGE = 'n8n-nodes-email-marketing';
const NODE_TYPES = { node: `${PACKAGE}.cleverReach`, trigger: `${PACKAGE}.cleverReachTrigger` };
const IDS = {
	credential: 'CrSandboxOauth001',
	nodeWorkflow: 'CrExampleNode0001',
	triggerWorkflow: 'CrExampleTrigger01',
	/** The trigger's webhookId: its production URL is <n8n>/webhook/<this>/webhook. */
	triggerWebhookId: '2f6c1d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f',
};
const CREDENTIAL_NAME = 'CleverReach account (fake server)';
const CLIENT = { clientId: 'sandbox-cleverreach-client', clientSecret: 'sandbox-cleverreach-secret-5d1f' };
/** Receivers the example creates or updates in one run: 3 requests of at most 1,000. */
const RECEIVERS = 2500;

/** The fake with what the examples need: a group and the global attribute firstname. */
async function startFake({ port = 0, ...options } = {}) {
	const fake = await startCleverReachServer({ port, ...CLIENT, ...options });
	const group = fake.addGroup('Newsletter');
	fake.addAttribute('firstname');
	fake.addForm(group.id, 'Newsletter sign-up');
	return { fake, groupId: group.id };
}

function credentials({ restUrl, clientId = CLIENT.clientId, clientSecret = CLIENT.clientSecret, oauthTokenData }) {
	return [
		{
			id: IDS.credential,
			name: CREDENTIAL_NAME,
			type: 'cleverReachOAuth2Api',
			data: { grantType: 'authorizationCode', restUrl, clientId, clientSecret, ...(oauthTokenData ? { oauthTokenData } : {}) },
		},
	];
}

const credential = () => ({ cleverReachOAuth2Api: { id: IDS.credential, name: CREDENTIAL_NAME } });
const group = (groupId) => ({ __rl: true, mode: 'id', value: String(groupId) });

/**
 * Manual Trigger → Code (2,500 receivers) → CleverReach "Upsert Receivers" (3 requests) → CleverReach
 * "Get Receivers" (Return All, executed once). One trigger only: with a second one the editor's button
 * becomes "Execute workflow from <that trigger>" (the e2e test runs it as the button does, from the
 * Manual Trigger).
 */
function nodeWorkflow({ groupId }) {
	return {
		id: IDS.nodeWorkflow,
		name: 'Example: CleverReach (upsert 2,500 receivers, read them back)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'cr000000-0000-4000-8000-000000000001', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 100], parameters: {} },
			{
				id: 'cr000000-0000-4000-8000-000000000003',
				name: 'Make Receivers',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 100],
				parameters: {
					jsCode: `return Array.from({ length: ${RECEIVERS} }, (_, i) => ({ json: { email: \`receiver\${i}@example.org\`, firstname: \`Receiver \${i}\` } }));`,
				},
			},
			{
				id: 'cr000000-0000-4000-8000-000000000004',
				name: 'Upsert Receivers',
				type: NODE_TYPES.node,
				typeVersion: 1,
				position: [480, 100],
				parameters: {
					resource: 'receiver',
					operation: 'upsert',
					groupId: group(groupId),
					email: '={{ $json.email }}',
					additionalFields: {
						source: 'n8n example',
						globalAttributes: { values: [{ name: 'firstname', value: '={{ $json.firstname }}' }] },
					},
				},
				credentials: credential(),
			},
			{
				id: 'cr000000-0000-4000-8000-000000000005',
				name: 'Get Receivers',
				type: NODE_TYPES.node,
				typeVersion: 1,
				position: [720, 100],
				executeOnce: true,
				parameters: { resource: 'receiver', operation: 'getAll', groupId: group(groupId), returnAll: true, additionalFields: {} },
				credentials: credential(),
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Make Receivers', type: 'main', index: 0 }]] },
			'Make Receivers': { main: [[{ node: 'Upsert Receivers', type: 'main', index: 0 }]] },
			'Upsert Receivers': { main: [[{ node: 'Get Receivers', type: 'main', index: 0 }]] },
		},
	};
}

/** CleverReach Trigger (receiver subscribed / unsubscribed in the group) → No Op. */
function triggerWorkflow({ groupId }) {
	return {
		id: IDS.triggerWorkflow,
		name: 'Example: CleverReach Trigger (receiver subscribed, unsubscribed)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'cr000000-0000-4000-8000-000000000011',
				name: 'CleverReach Trigger',
				type: NODE_TYPES.trigger,
				typeVersion: 1,
				position: [0, 0],
				webhookId: IDS.triggerWebhookId,
				parameters: { events: ['receiver.subscribed', 'receiver.unsubscribed'], groupId: group(groupId), options: {} },
				credentials: credential(),
			},
			{ id: 'cr000000-0000-4000-8000-000000000012', name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
		],
		connections: { 'CleverReach Trigger': { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
	};
}

function workflows({ groupId }) {
	return [nodeWorkflow({ groupId }), triggerWorkflow({ groupId })];
}

/** Production webhook URL of the example trigger. */
function webhookPath(n8nUrl) {
	return `${String(n8nUrl).replace(/\/+$/, '')}/webhook/${IDS.triggerWebhookId}/webhook`;
}

module.exports = { PACKAGE, NODE_TYPES, IDS, CLIENT, CREDENTIAL_NAME, RECEIVERS, startFake, credentials, workflows, webhookPath };
