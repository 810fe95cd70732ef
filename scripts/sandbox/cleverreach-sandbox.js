'use strict';
/**
 * The CleverReach part of `npm start`: the fake CleverReach (seeded: group "Newsletter", attribute firstname,
 * a form, one receiver), a CONNECTED example credential (a token the fake accepts across restarts), the
 * example workflows of scripts/sandbox/cleverreach-examples.js, and `fire()` for POST <control>/cleverreach/fire
 * (a receiver event to the trigger's hooks).
 *
 *   const cr = await startCleverReachSandbox({ port, log });
 *   cr.url, cr.port, cr.credentials, cr.workflows, cr.triggerType, cr.triggerWorkflowId, cr.banner(n8nUrl, controlUrl)
 *   await cr.fire({ event: 'receiver.subscribed', email: 'someone@example.org' }); await cr.close();
 */

const examples = require('./cleverreach-examples');

/** The sandbox credential's token: fixed, so the credential stays connected when the fake restarts. */
const SANDBOX_TOKEN = { access_token: 'sandbox-cleverreach-access-token-0001', refresh_token: 'sandbox-cleverreach-refresh-token-0001', token_type: 'bearer', expires_in: 31536000 };

async function startCleverReachSandbox({ port = 0, log = () => {} } = {}) {
	const { fake, groupId } = await examples.startFake({ port, presetTokens: [SANDBOX_TOKEN] });
	fake.addReceiver(groupId, { email: 'jane@example.org', activated: Math.floor(Date.now() / 1000), global_attributes: { firstname: 'Jane' } });
	const requestLog = setInterval(() => {
		for (const q of fake.requests.splice(0)) log(`[fake CleverReach] ${q.method} ${q.rawPath}${q.authorized ? '' : ' (401)'}`);
	}, 500);
	requestLog.unref();
	return {
		url: fake.url,
		port: Number(new URL(fake.url).port),
		fake,
		groupId,
		credentials: examples.credentials({ restUrl: fake.url, oauthTokenData: SANDBOX_TOKEN }),
		workflows: examples.workflows({ groupId }),
		triggerType: examples.NODE_TYPES.trigger,
		triggerWorkflowId: examples.IDS.triggerWorkflow,
		/** A receiver event to every hook registered for it ({url, status, body}, as every fire); a new receiver is created for its email. */
		async fire({ event = 'receiver.subscribed', email = `someone.${Date.now()}@example.org`, callToken } = {}) {
			const receiver = fake.addReceiver(groupId, { email, activated: Math.floor(Date.now() / 1000) });
			const deliveries = await fake.fire(event, { group_id: Number(groupId), pool_id: Number(receiver.id) }, callToken ? { callToken } : {});
			return deliveries.map((delivery) => ({ url: delivery.url, status: delivery.status, body: delivery.body }));
		},
		banner(n8nUrl, controlUrl) {
			const wf = (id) => `${n8nUrl}/workflow/${id}`;
			return [
				` CleverReach:  fake on ${fake.url} (group ${groupId} "Newsletter"); credential "${examples.CREDENTIAL_NAME}" is connected`,
				`               ${wf(examples.IDS.nodeWorkflow)} (upsert 2,500 receivers, read them back)`,
				`               ${wf(examples.IDS.triggerWorkflow)} (CleverReach Trigger, not published: click Execute workflow, then`,
				`               curl -s -X POST ${controlUrl}/cleverreach/fire -H 'content-type: application/json' -d '{"event":"receiver.subscribed","email":"someone@example.org"}'`,
				'               delivers an event; "callToken":"wrong" shows a 401. Published, it gets events without the editor, but then',
				"               the editor's test run is refused: CleverReach sends each event of a group to one URL)",
			];
		},
		async close() {
			clearInterval(requestLog);
			await fake.close();
		},
	};
}

module.exports = { startCleverReachSandbox, SANDBOX_TOKEN };
