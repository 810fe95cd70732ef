'use strict';
/**
 * The Especial row of `npm run bench` (bench/run.js): N contacts imported into a list.
 * Ours: the Especial node, Contact › Import in batch mode (nodes/Especial/descriptions/overrides.ts: the
 * run's items in chunks of up to 1,000 contacts per `POST /lists/{list_id}/import-contacts`, the token
 * from the credential's password login, reused while it is valid). HTTP Request 4.5 with its default
 * settings: the same endpoint once per item with the body `{"contacts":[{"email": …}]}` and the Bearer
 * token in a Header Auth credential, which is how a workflow without our node does it (the token got
 * once beforehand with `POST /token`; that login is not counted against HTTP Request).
 * Against the fake Especial (test/fake/especial-server.js) in the bench process; the added latency and
 * the counts come from bench/common.js.
 */
const { startEspecialServer } = require('../test/fake/especial-server');
const { PACKAGE, HTTP_VERSION, startInstrumented, benchWorkflow } = require('./common');

const USERNAME = 'bench@example.com';
const PASSWORD = 'Bench-Passw0rd';
const CREDENTIALS = {
	ours: { id: 'BenchEspecial0001', name: 'Bench Especial', type: 'especialApi' },
	header: { id: 'BenchEspHeader001', name: 'Bench Especial Bearer', type: 'httpHeaderAuth' },
};
const OURS = { key: 'esp-import-ours', impl: 'Especial node' };
const HTTP = { key: 'esp-import-http', impl: `HTTP Request ${HTTP_VERSION}` };
const LIST_FOR = { [OURS.key]: '41', [HTTP.key]: '42' };

function underTest(variant, fakeUrl) {
	const listId = LIST_FOR[variant];
	if (variant === OURS.key) {
		return {
			type: `${PACKAGE}.especial`,
			typeVersion: 1,
			parameters: { resource: 'contact', operation: 'import', listId, email: '={{ $json.email }}' },
			credentials: { especialApi: { id: CREDENTIALS.ours.id, name: CREDENTIALS.ours.name } },
		};
	}
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_VERSION,
		parameters: {
			method: 'POST',
			url: `${fakeUrl}/lists/${listId}/import-contacts`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ contacts: [{ email: $json.email }] }) }}',
			options: {},
		},
		credentials: { httpHeaderAuth: { id: CREDENTIALS.header.id, name: CREDENTIALS.header.name } },
	};
}

/** Starts the fake Especial and logs in once for HTTP Request; returns the job bench/run.js runs. */
async function prepareEspecialBench({ webhookIndex }) {
	const fake = await startInstrumented(() => startEspecialServer({ username: USERNAME, password: PASSWORD, tokenTtlSeconds: 86400 }));
	for (const listId of Object.values(LIST_FOR)) fake.seedPath(`/lists/${listId}`, { name: `Bench list ${listId}` });
	const login = await fetch(`${fake.url}/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'password', username: USERNAME, password: PASSWORD }),
	});
	const token = (await login.json()).access_token;
	if (!token) throw new Error(`fake Especial: no token (HTTP ${login.status})`);
	const contacts = (variant) => fake.collection(`/lists/${LIST_FOR[variant]}/contacts`);
	return {
		credentials: [
			{ ...CREDENTIALS.ours, data: { baseUrl: fake.url, username: USERNAME, password: PASSWORD, accountId: '' } },
			{ ...CREDENTIALS.header, data: { name: 'Authorization', value: `Bearer ${token}` } },
		],
		workflows: [OURS, HTTP].map((variant, i) => benchWorkflow(variant.key, underTest(variant.key, fake.url), webhookIndex + i, 'contact')),
		job: {
			op: 'Especial: Import Contacts (batch)',
			kind: 'batch',
			ours: OURS,
			http: HTTP,
			before(variant) {
				fake.reset();
				contacts(variant).clear();
			},
			/** Every item came back as its contact and every address is in the list. */
			verify(variant, result, n) {
				const first = result.items[0].json;
				const email = first.email ?? (first.data && first.data[0] && first.data[0].email);
				if (email !== 'contact0@example.org') throw new Error(`${variant}: first output ${JSON.stringify(first).slice(0, 200)}`);
				const stored = contacts(variant).size;
				if (stored !== n) throw new Error(`${variant}: ${stored} contacts in the list, expected ${n}`);
				return { stored };
			},
		},
		describe: [
			'- **Especial: Import Contacts (batch)**: N contacts into one list. Ours: the Especial node, Contact › Import in batch mode, up to 1,000 contacts per `POST /lists/{list_id}/import-contacts` (the `contacts` array; a contact the answer\'s `errors` name becomes that item\'s error), the Bearer token from the credential\'s password login, reused while valid. HTTP Request: the same endpoint once per item with `{"contacts":[{"email": …}]}`, the Bearer token (got once beforehand with `POST /token`, not counted) in a Header Auth credential, default options. Checked: every contact is in the list afterwards.',
		],
		close: () => fake.close(),
	};
}

module.exports = { prepareEspecialBench };
