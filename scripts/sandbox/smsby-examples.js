'use strict';
/**
 * Example credential and workflows for the SMS.by nodes, as n8n import JSON: `npm start` imports them
 * into the sandbox n8n and test/e2e/sms-by.e2e.js runs exactly these, so the examples users see are
 * the ones the tests prove.
 *
 *   const ex = require('./scripts/sandbox/smsby-examples');
 *   ex.credentials({ baseUrl, token })   -> [ {id,name,type,data} ]
 *   ex.workflows({ mailingIds })         -> [ {id,name,nodes,connections,...}, ... ]
 *
 * Fixed ids: a second import overwrites instead of duplicating.
 */

const PACKAGE = 'n8n-nodes-email-marketing';

const NODE_TYPES = { node: `${PACKAGE}.smsBy`, trigger: `${PACKAGE}.smsByTrigger` };

const IDS = {
	credential: 'SmsBySandbox0001',
	sendWorkflow: 'SmsByExampleSend1',
	personalWorkflow: 'SmsByExamplePers1',
	importWorkflow: 'SmsByExampleImpo1',
	triggerWorkflow: 'SmsByExampleTrig1',
};

const CREDENTIAL_NAME = 'SMS.by account (fake server)';

/** The mailing list the fake SMS.by starts with. */
const LIST_ID = '3434';

function credentials({ baseUrl, token }) {
	return [{ id: IDS.credential, name: CREDENTIAL_NAME, type: 'smsByApi', data: { baseUrl, token } }];
}

const credential = () => ({ smsByApi: { id: IDS.credential, name: CREDENTIAL_NAME } });

let nodeCounter = 0;
const nodeId = () => `5b5b0000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

const manualTrigger = () => ({ id: nodeId(), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });

const code = (name, jsCode, position) => ({ id: nodeId(), name, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode } });

const smsBy = (name, parameters, position, extra = {}) => ({
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

/** A letter with a PDF from the item's binary data (the Code node makes the file). */
function sendWorkflow() {
	const invoice = Buffer.from('%PDF-1.4\n% example invoice\n').toString('base64');
	return workflow(
		IDS.sendWorkflow,
		'Example: SMS.by send a letter with an attachment',
		[
			manualTrigger(),
			code('Invoice File', `return [{ json: { to: 'jane@example.org' }, binary: { invoice: { data: '${invoice}', mimeType: 'application/pdf', fileName: 'invoice.pdf' } } }];`, [220, 0]),
			smsBy('Send Letter', {
				resource: 'email',
				operation: 'send',
				senderEmail: 'shop@example.com',
				senderName: 'Example Shop',
				email: '={{ $json.to }}',
				subject: 'Your invoice',
				message: '<p>Hello Jane, your invoice is attached.</p>',
				additionalFields: { attachment: 'invoice', sendAt: '2030-12-31T12:00:00' },
			}, [440, 0]),
		],
		chain('Manual Trigger', 'Invoice File', 'Send Letter'),
	);
}

/** One personal letter per item, all items as one mailing (batch mode), then its status per recipient. */
function personalWorkflow() {
	return workflow(
		IDS.personalWorkflow,
		'Example: SMS.by personal mailing and its status',
		[
			manualTrigger(),
			code('Recipients', `return [
  { json: { email: 'ann@example.org', name: 'Ann' } },
  { json: { email: 'bob@example.org', name: 'Bob' } },
  { json: { email: 'cid@example.org', name: 'Cid' } },
];`, [220, 0]),
			smsBy('Send Personal', {
				resource: 'bulk',
				operation: 'sendPersonal',
				senderEmail: 'shop@example.com',
				senderName: 'Example Shop',
				email: '={{ $json.email }}',
				subject: '={{ "A note for " + $json.name }}',
				message: '={{ "<p>Dear " + $json.name + ", thank you.</p>" }}',
				additionalFields: { mailingName: 'Thank-you notes' },
			}, [440, 0]),
			smsBy('Get Status', { resource: 'bulk', operation: 'getStatus', uuid: '={{ $json.uuid }}', returnAll: true }, [660, 0], { executeOnce: true }),
		],
		chain('Manual Trigger', 'Recipients', 'Send Personal', 'Get Status'),
	);
}

/** 1,200 contacts into the list: 3 requests of at most 500. */
function importWorkflow() {
	return workflow(
		IDS.importWorkflow,
		'Example: SMS.by import 1,200 contacts',
		[
			manualTrigger(),
			code('Contacts', "return Array.from({ length: 1200 }, (_, i) => ({ json: { email: `contact${i}@example.org`, name: `Contact ${i}` } }));", [220, 0]),
			smsBy('Import Contacts', {
				resource: 'mailingList',
				operation: 'importContacts',
				listId: { __rl: true, mode: 'id', value: LIST_ID },
				email: '={{ $json.email }}',
				additionalFields: { customFields: { values: [{ name: 'name', value: '={{ $json.name }}' }] } },
			}, [440, 0]),
		],
		chain('Manual Trigger', 'Contacts', 'Import Contacts'),
	);
}

/** Polls the given mailings every minute; each recipient's status change starts one execution. */
function triggerWorkflow({ mailingIds = '' } = {}) {
	return workflow(
		IDS.triggerWorkflow,
		'Example: SMS.by Trigger (delivery statuses)',
		[
			{
				id: nodeId(),
				name: 'SMS.by Trigger',
				type: NODE_TYPES.trigger,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, watchSentMailings: true, mailingIds },
				credentials: credential(),
			},
			{ id: nodeId(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		chain('SMS.by Trigger', 'No Op'),
	);
}

function workflows(options = {}) {
	nodeCounter = 0;
	return [sendWorkflow(), personalWorkflow(), importWorkflow(), triggerWorkflow(options)];
}

module.exports = { PACKAGE, NODE_TYPES, IDS, CREDENTIAL_NAME, LIST_ID, credentials, workflows };
