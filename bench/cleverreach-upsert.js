'use strict';
/**
 * The CleverReach row of `npm run bench` (bench/run.js): N receivers upserted into one group.
 * Ours: the CleverReach node, Receiver › Upsert in batch mode (up to 1,000 receivers per
 * `POST /v3/groups.json/{id}/receivers/upsert`). HTTP Request 4.5 with its default settings: the same
 * endpoint once per item with the body `[{"email": …}]` and the Bearer token in a Header Auth credential,
 * which is how a workflow without our node does it (one HTTP Request node after the items).
 * Against the fake CleverReach (test/fake/cleverreach-server.js) in the bench process, with a token the
 * fake accepts from the start; the added latency and the counts come from bench/common.js.
 */
const { startCleverReachServer } = require('../test/fake/cleverreach-server');
const { PACKAGE, HTTP_VERSION, startInstrumented, benchWorkflow } = require('./common');

const TOKEN = { access_token: 'bench-cleverreach-access-token', refresh_token: 'bench-cleverreach-refresh-token', token_type: 'bearer', expires_in: 31536000 };
const CLIENT = { clientId: 'bench-cleverreach-client', clientSecret: 'bench-cleverreach-secret' };
const CREDENTIALS = {
	ours: { id: 'BenchCrOauth00001', name: 'Bench CleverReach', type: 'cleverReachOAuth2Api' },
	header: { id: 'BenchCrHeader0001', name: 'Bench CleverReach Bearer', type: 'httpHeaderAuth' },
};
const OURS = { key: 'cr-upsert-ours', impl: 'CleverReach node' };
const HTTP = { key: 'cr-upsert-http', impl: `HTTP Request ${HTTP_VERSION}` };

function underTest(variant, fakeUrl, groupId) {
	if (variant === OURS.key) {
		return {
			type: `${PACKAGE}.cleverReach`,
			typeVersion: 1,
			parameters: { resource: 'receiver', operation: 'upsert', groupId: { __rl: true, mode: 'id', value: groupId }, email: '={{ $json.email }}', additionalFields: {} },
			credentials: { cleverReachOAuth2Api: { id: CREDENTIALS.ours.id, name: CREDENTIALS.ours.name } },
		};
	}
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_VERSION,
		parameters: {
			method: 'POST',
			url: `${fakeUrl}/v3/groups.json/${groupId}/receivers/upsert`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify([{ email: $json.email }]) }}',
			options: {},
		},
		credentials: { httpHeaderAuth: { id: CREDENTIALS.header.id, name: CREDENTIALS.header.name } },
	};
}

/** Starts the fake CleverReach; returns the job bench/run.js runs, with what it imports into n8n first. */
async function prepareCleverReachBench({ webhookIndex }) {
	const fake = await startInstrumented(() => startCleverReachServer({ ...CLIENT, presetTokens: [TOKEN] }));
	const groupFor = { [OURS.key]: fake.addGroup('Bench ours').id, [HTTP.key]: fake.addGroup('Bench HTTP Request').id };
	const group = (variant) => fake.state.groups.get(groupFor[variant]);
	return {
		credentials: [
			{ ...CREDENTIALS.ours, data: { grantType: 'authorizationCode', restUrl: fake.url, ...CLIENT, oauthTokenData: TOKEN } },
			{ ...CREDENTIALS.header, data: { name: 'Authorization', value: `Bearer ${TOKEN.access_token}` } },
		],
		workflows: [OURS, HTTP].map((variant, i) => benchWorkflow(variant.key, underTest(variant.key, fake.url, groupFor[variant.key]), webhookIndex + i, 'receiver')),
		job: {
			op: 'CleverReach: Upsert Receivers (batch)',
			kind: 'batch',
			ours: OURS,
			http: HTTP,
			before(variant) {
				fake.reset();
				group(variant).receivers.clear();
			},
			/** Every item came back as a receiver and every address is in the group. */
			verify(variant, result, n) {
				const first = result.items[0].json;
				if (first.email !== 'receiver0@example.org') throw new Error(`${variant}: first output ${JSON.stringify(first).slice(0, 200)}`);
				const stored = group(variant).receivers.size;
				if (stored !== n) throw new Error(`${variant}: ${stored} receivers in the group, expected ${n}`);
				return { stored };
			},
		},
		describe: [
			'- **CleverReach: Upsert Receivers (batch)**: N receivers into one group. Ours: the CleverReach node, Receiver › Upsert, which sends the run\'s items in chunks of up to 1,000 receivers per `POST /v3/groups.json/{id}/receivers/upsert` (HTTP 413 would halve a chunk). HTTP Request: the same endpoint once per item, body `[{"email": …}]`, Bearer token in a Header Auth credential, default options. Checked: every receiver is in the group afterwards.',
		],
		close: () => fake.close(),
	};
}

module.exports = { prepareCleverReachBench };
