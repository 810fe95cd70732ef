'use strict';
/**
 * The SMS.by row of `npm run bench` (bench/run.js): N contacts imported into a mailing list.
 * Ours: the SMS.by node, Mailing List › Import Contacts in batch mode (500 contacts per
 * `importContacts` request, the documented maximum). HTTP Request 4.5 with its default settings: the
 * same method once per item with the token and the documented `field_names[0]` / `data[0][0]` form
 * fields, which is how a workflow without our node does it (one HTTP Request node after the items).
 * Against the fake SMS.by (test/fake/smsby-server.js) in the bench process; the added latency and the
 * counts come from bench/common.js.
 */
const { startSmsByServer } = require('../test/fake/smsby-server');
const { PACKAGE, HTTP_VERSION, startInstrumented, benchWorkflow } = require('./common');

const TOKEN = 'bench-smsby-token';
const LIST_ID = '3434';
const CREDENTIAL = { id: 'BenchSmsByApi001', name: 'Bench SMS.by', type: 'smsByApi' };
const OURS = { key: 'smsby-import-ours', impl: 'SMS.by node' };
const HTTP = { key: 'smsby-import-http', impl: `HTTP Request ${HTTP_VERSION}` };

function underTest(variant, fakeUrl) {
	if (variant === OURS.key) {
		return {
			type: `${PACKAGE}.smsBy`,
			typeVersion: 1,
			parameters: { resource: 'mailingList', operation: 'importContacts', listId: { __rl: true, mode: 'id', value: LIST_ID }, email: '={{ $json.email }}' },
			credentials: { smsByApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		};
	}
	const field = (name, value) => ({ name, value });
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_VERSION,
		parameters: {
			method: 'POST',
			url: `${fakeUrl}/api/v2/importContacts`,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: { parameters: [field('token', TOKEN), field('list_id', LIST_ID), field('field_names[0]', 'email'), field('data[0][0]', '={{ $json.email }}')] },
			options: {},
		},
	};
}

/** Starts the fake SMS.by; returns the job bench/run.js runs, with what it imports into n8n first. */
async function prepareSmsByBench({ webhookIndex }) {
	const fake = await startInstrumented(() => startSmsByServer({ token: TOKEN }));
	return {
		credentials: [{ ...CREDENTIAL, data: { baseUrl: fake.url, token: TOKEN } }],
		workflows: [OURS, HTTP].map((variant, i) => benchWorkflow(variant.key, underTest(variant.key, fake.url), webhookIndex + i, 'contact')),
		job: {
			op: 'SMS.by: Import Contacts (batch)',
			kind: 'batch',
			ours: OURS,
			http: HTTP,
			before() {
				fake.reset({ state: true });
			},
			/** Every contact is in the list afterwards. */
			verify(variant, result, n) {
				const stored = fake.state.lists[0].contacts.length;
				if (stored !== n) throw new Error(`${variant}: ${stored} contacts in the list, expected ${n}`);
				return { stored };
			},
		},
		describe: [
			'- **SMS.by: Import Contacts (batch)**: N contacts into one mailing list. Ours: the SMS.by node, Mailing List › Import Contacts, 500 contacts per `POST /api/v2/importContacts` (the documented maximum). HTTP Request: the same method once per item with the `token`, `list_id`, `field_names[0]` and `data[0][0]` form fields, default options. Checked: every contact is in the list afterwards.',
		],
		close: () => fake.close(),
	};
}

module.exports = { prepareSmsByBench };
