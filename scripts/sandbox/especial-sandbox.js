'use strict';
/**
 * The Especial part of `npm start` (scripts/start.js): the fake Especial (test/fake/especial-server.js) on
 * its own port, seeded with the list, sender and campaign the examples use (the fake starts afresh every
 * time, so the ids are the same on every start), the example credential and workflows
 * (scripts/sandbox/especial-examples.js), a control route that makes the fake deliver a signed event to
 * the webhooks registered for it, and the lines the sandbox prints.
 */
const examples = require('./especial-examples');
const { startEspecialServer } = require('../../test/fake/especial-server');

async function startEspecialSandbox({ port, log }) {
	const fake = await startEspecialServer({ port, username: examples.USERNAME, password: examples.PASSWORD });
	examples.seedFake(fake);
	const requestLog = setInterval(() => {
		for (const request of fake.requests.splice(0)) log(`[fake Especial]  ${request.method} ${request.path}${request.status ? ` → ${request.status}` : ''}`);
	}, 300);

	return {
		fake,
		url: fake.url,
		port: Number(new URL(fake.url).port),
		credentials: examples.credentials({ baseUrl: fake.url }),
		workflows: examples.workflows(),
		triggerWorkflowId: examples.IDS.triggerWorkflow,
		triggerType: examples.NODE_TYPES.trigger,
		/** POST /especial/fire {event?, email?, style?}: a delivery of the event to each webhook registered for it ({url, status, body}, as every fire). */
		async fire(body = {}) {
			const event = body.event || 'Email.Bounced';
			const deliveries = await fake.fire(event, { email: body.email || 'someone@example.org', email_id: `em-${Date.now()}` }, { style: body.style || 'signed' });
			for (const delivery of deliveries) log(`[fake Especial]  webhook ${event} → ${delivery.url}: ${delivery.status} ${delivery.answer}`);
			if (!deliveries.length) log(`[fake Especial]  ${event}: no active webhook registered for it (publish the Especial Trigger example)`);
			return deliveries.map((delivery) => ({ url: delivery.url, status: delivery.status, body: delivery.answer }));
		},
		banner(n8nUrl, controlUrl) {
			const wf = (id) => `${n8nUrl}/workflow/${id}`;
			return [
				` Especial:     fake ${fake.url} (login ${examples.USERNAME} / ${examples.PASSWORD}); credential "${examples.CREDENTIAL_NAME}"`,
				`               ${wf(examples.IDS.contactsWorkflow)} (import contacts, then list them)`,
				`               ${wf(examples.IDS.listsWorkflow)} (lists), ${wf(examples.IDS.campaignsWorkflow)} (schedule a campaign)`,
				`               ${wf(examples.IDS.transactionalWorkflow)} (transactional email), ${wf(examples.IDS.reportsWorkflow)} (reports)`,
				`               ${wf(examples.IDS.triggerWorkflow)} (Especial Trigger: bounced, marked as spam)`,
				`               curl -s -X POST ${controlUrl}/especial/fire -H 'content-type: application/json' -d '{"event":"Email.Bounced","email":"someone@example.org"}'`,
				'               ("style":"bad-signature" or "unsigned" shows the 401 refusals)',
			];
		},
		async close() {
			clearInterval(requestLog);
			await fake.close();
		},
	};
}

module.exports = { startEspecialSandbox };
