'use strict';
/**
 * Example credential and workflows for the Especial nodes, as n8n import JSON: `npm start` imports them
 * into the sandbox n8n and test/e2e/especial.e2e.js runs exactly these, so the examples users see are the
 * ones the tests prove.
 *
 *   const ex = require('./scripts/sandbox/especial-examples');
 *   ex.credentials({ baseUrl, username, password })  -> [ {id,name,type,data} ]
 *   ex.workflows()                                   -> [ {id,name,nodes,connections,...}, ... ]
 *   ex.seedFake(fake)                                -> the list, sender and campaign the examples use
 *
 * Fixed ids: a second import overwrites instead of duplicating.
 */

const PACKAGE = 'n8n-nodes-email-marketing';

const NODE_TYPES = { node: `${PACKAGE}.especial`, trigger: `${PACKAGE}.especialTrigger` };

const IDS = {
	credential: 'EspecialSandbox01',
	contactsWorkflow: 'EspecialExContact',
	listsWorkflow: 'EspecialExLists01',
	campaignsWorkflow: 'EspecialExCampaig',
	transactionalWorkflow: 'EspecialExTransac',
	reportsWorkflow: 'EspecialExReports',
	triggerWorkflow: 'EspecialExTrigger',
};

const CREDENTIAL_NAME = 'Especial account (fake server)';
const USERNAME = 'sandbox@example.com';
const PASSWORD = 'Sandbox-Passw0rd';

/** What the examples act on, as the fake holds it. */
const LIST_ID = '3';
const SENDER_ID = '5';
const CAMPAIGN_ID = '7';

function credentials({ baseUrl, username = USERNAME, password = PASSWORD }) {
	return [{ id: IDS.credential, name: CREDENTIAL_NAME, type: 'especialApi', data: { baseUrl, username, password, accountId: '' } }];
}

/** Creates the list (with a "city" attribute), the sender and the campaign the examples use, in a fake Especial. */
function seedFake(fake) {
	fake.seedPath(`/lists/${LIST_ID}`, { name: 'Newsletter', language: 'en_US' });
	fake.collection(`/lists/${LIST_ID}/custom-attributes`).set('city', { name: 'city', type: 'text' });
	fake.seedPath(`/brands/default/senders/${SENDER_ID}`, { name: 'Example Shop', email: 'shop@example.com', confirmed: true });
	fake.seedPath(`/campaigns/${CAMPAIGN_ID}`, { name: 'December news', status: 'draft' });
}

const credential = () => ({ especialApi: { id: IDS.credential, name: CREDENTIAL_NAME } });

let nodeCounter = 0;
const nodeId = () => `e5e50000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

const manualTrigger = () => ({ id: nodeId(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });

const code = (name, jsCode, position) => ({ id: nodeId(), name, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode } });

const especial = (name, parameters, position, extra = {}) => ({
	id: nodeId(),
	name,
	type: NODE_TYPES.node,
	typeVersion: 1,
	position,
	parameters,
	credentials: credential(),
	...extra,
});

const chain = (...names) =>
	Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

const workflow = (id, name, nodes, connections) => ({ id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections });

/** Contacts: three contacts imported in one request (batch mode), then the list's contacts. */
function contactsWorkflow() {
	return workflow(
		IDS.contactsWorkflow,
		'Example: Especial import contacts, then list them',
		[
			manualTrigger(),
			code('Contacts', `return [
  { json: { email: 'ann@example.org', city: 'Oslo' } },
  { json: { email: 'bob@example.org', city: 'Lima' } },
  { json: { email: 'cid@example.org', city: 'Pune' } },
];`, [220, 0]),
			especial('Import Contacts', {
				resource: 'contact',
				operation: 'import',
				listId: LIST_ID,
				email: '={{ $json.email }}',
				additionalFields: { customAttributes: { values: [{ name: 'city', value: '={{ $json.city }}' }] } },
			}, [440, 0]),
			especial('Get Contacts', { resource: 'contact', operation: 'getAll', listId: LIST_ID, returnAll: true }, [660, 0], { executeOnce: true }),
		],
		chain('Manual Trigger', 'Contacts', 'Import Contacts', 'Get Contacts'),
	);
}

/** Lists: every list of the account. */
function listsWorkflow() {
	return workflow(
		IDS.listsWorkflow,
		'Example: Especial get lists',
		[manualTrigger(), especial('Get Lists', { resource: 'list', operation: 'getAll', returnAll: true }, [220, 0])],
		chain('Manual Trigger', 'Get Lists'),
	);
}

/** Campaigns: schedule a campaign, then read it back. */
function campaignsWorkflow() {
	return workflow(
		IDS.campaignsWorkflow,
		'Example: Especial schedule a campaign',
		[
			manualTrigger(),
			especial('Schedule Campaign', { resource: 'campaign', operation: 'schedule', campaignId: CAMPAIGN_ID, additionalFields: { date: 1893456000 } }, [220, 0]),
			especial('Get Campaign', { resource: 'campaign', operation: 'get', campaignId: CAMPAIGN_ID }, [440, 0]),
		],
		chain('Manual Trigger', 'Schedule Campaign', 'Get Campaign'),
	);
}

/** Transactional email: one email from the example sender. */
function transactionalWorkflow() {
	return workflow(
		IDS.transactionalWorkflow,
		'Example: Especial send a transactional email',
		[
			manualTrigger(),
			especial('Send Email', {
				resource: 'transactionalEmail',
				operation: 'send',
				email: 'jane@example.org',
				sender: { id: SENDER_ID, name: 'Example Shop' },
				content: { subject: 'Your order has shipped', html: '<p>Hello Jane, your order is on its way.</p>', text: 'Hello Jane, your order is on its way.' },
			}, [220, 0]),
		],
		chain('Manual Trigger', 'Send Email'),
	);
}

/** Reports: the campaign's report and the account's. */
function reportsWorkflow() {
	return workflow(
		IDS.reportsWorkflow,
		'Example: Especial campaign and account reports',
		[
			manualTrigger(),
			especial('Campaign Report', { resource: 'report', operation: 'getCampaignReport', campaignId: CAMPAIGN_ID }, [220, 0]),
			especial('Account Report', { resource: 'report', operation: 'getMyAccountReport' }, [440, 0]),
		],
		chain('Manual Trigger', 'Campaign Report', 'Account Report'),
	);
}

/** One webhook per event (bounced, marked as spam); each signed delivery starts one execution. */
function triggerWorkflow() {
	return workflow(
		IDS.triggerWorkflow,
		'Example: Especial Trigger (bounced, marked as spam)',
		[
			{
				id: nodeId(),
				name: 'Especial Trigger',
				type: NODE_TYPES.trigger,
				typeVersion: 1,
				position: [0, 0],
				parameters: { events: ['Email.Bounced', 'Email.ReportedAsSpam'] },
				credentials: credential(),
				webhookId: 'e5e5e5e5-0000-4000-8000-000000000001',
			},
			{ id: nodeId(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		chain('Especial Trigger', 'No Op'),
	);
}

function workflows() {
	nodeCounter = 0;
	return [contactsWorkflow(), listsWorkflow(), campaignsWorkflow(), transactionalWorkflow(), reportsWorkflow(), triggerWorkflow()];
}

module.exports = { PACKAGE, NODE_TYPES, IDS, CREDENTIAL_NAME, USERNAME, PASSWORD, LIST_ID, SENDER_ID, CAMPAIGN_ID, credentials, workflows, seedFake };
