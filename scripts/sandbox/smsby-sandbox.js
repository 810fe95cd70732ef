'use strict';
/**
 * The SMS.by part of `npm start` (scripts/start.js): the fake SMS.by on its own port, seeded with a
 * mailing to two contacts (message_id 1234: the fake starts afresh every time, so the id is the same on
 * every start) for the example trigger to watch, the example credential and workflows
 * (scripts/sandbox/smsby-examples.js), a control route to move the recipients' statuses on, and the
 * lines the sandbox prints.
 */
const examples = require('./smsby-examples');
const { startSmsByServer } = require('../../test/fake/smsby-server');

const TOKEN = 'sandbox-smsby-token';

async function startSmsBySandbox({ port, log }) {
	const fake = await startSmsByServer({ token: TOKEN, port });
	const call = async (pathName, fields) => {
		const response = await fetch(`${fake.url}${pathName}`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, ...fields }) });
		return (await response.json()).result;
	};
	await call('/api/v2/importContacts', { list_id: examples.LIST_ID, 'field_names[0]': 'email', 'field_names[1]': 'name', 'data[0][0]': 'ann@example.org', 'data[0][1]': 'Ann', 'data[1][0]': 'bob@example.org', 'data[1][1]': 'Bob' });
	const { message_id: mailing } = await call('/api/v2/sendEmailByList', { list_id: examples.LIST_ID, sender_email: 'shop@example.com', subject: 'Welcome', message: 'Hello' });
	fake.reset();
	const requestLog = setInterval(() => {
		for (const request of fake.requests.splice(0)) log(`[fake SMS.by]  ${request.method} ${request.path}`);
	}, 300);

	return {
		fake,
		url: fake.url,
		port: Number(new URL(fake.url).port),
		credentials: examples.credentials({ baseUrl: fake.url, token: TOKEN }),
		workflows: examples.workflows({ mailingIds: String(mailing) }),
		triggerWorkflowId: examples.IDS.triggerWorkflow,
		/** POST /smsby/advance {mailing?}: every recipient of the mailing one status on (SENT → DELIVERED → OPEN → CLICK). */
		advance(body = {}) {
			const rows = fake.advance(body.mailing ?? mailing);
			log(`[fake SMS.by]  mailing ${body.mailing ?? mailing}: ${rows.map((row) => `${row.email} ${row.status}`).join(', ')}`);
			return rows.map((row) => ({ email: row.email, status: row.status }));
		},
		banner(n8nUrl, controlUrl) {
			const wf = (id) => `${n8nUrl}/workflow/${id}`;
			return [
				` SMS.by:       fake ${fake.url} (token ${TOKEN}); credential "${examples.CREDENTIAL_NAME}"`,
				`               ${wf(examples.IDS.sendWorkflow)} (a letter with an attachment)`,
				`               ${wf(examples.IDS.personalWorkflow)} (personal mailing + status)`,
				`               ${wf(examples.IDS.importWorkflow)} (1,200 contacts, 3 requests)`,
				`               ${wf(examples.IDS.triggerWorkflow)} (SMS.by Trigger on mailing ${mailing}: publish it, then`,
				`               curl -s -X POST ${controlUrl}/smsby/advance  moves its recipients on; the next poll, within a minute, emits them)`,
			];
		},
		async close() {
			clearInterval(requestLog);
			await fake.close();
		},
	};
}

module.exports = { startSmsBySandbox };
