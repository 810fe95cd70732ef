/**
 * The report of Check Trigger Webhooks (shared/trigger/health.ts) from a provider's listed webhooks: the
 * cases the provider fakes do not produce (a hook listed but inactive, one hook serving several events, a
 * hook whose list entry names no event). The provider tests run the whole operation through the engine.
 */
import { triggerWebhookReport } from '../../nodes/shared/trigger/health';
import type { TriggerWebhookCheck, WebhookRegistration } from '../../nodes/shared/trigger';

const URL = 'https://n8n.example.com/webhook/abc/webhook';
const check: TriggerWebhookCheck = {
	provider: 'Example',
	registration: {} as WebhookRegistration,
	keyOf: (event) => ({ bounced: 'bounce', opened: 'open', clicked: 'click' })[event],
};

describe('Check Trigger Webhooks report', () => {
	test('a hook the provider lists as inactive (archived, disabled) is reported inactive, not registered', () => {
		const report = triggerWebhookReport(
			check,
			[
				{ id: '1', url: URL, events: ['bounce'], active: false },
				{ id: '2', url: URL, events: ['open'] },
			],
			{ url: URL, target: '7', events: ['bounced', 'opened'] },
		);
		expect(report).toEqual({
			healthy: false,
			url: URL,
			target: '7',
			expected: ['bounced', 'opened'],
			registered: [{ event: 'opened', id: '2' }],
			missing: [],
			inactive: ['bounced'],
			duplicates: [],
			provider: 'Example',
			message: `1 of 2 webhooks inactive (archived or disabled) at Example for ${URL}: bounced. Deactivate and activate the trigger's workflow to register them again.`,
		});
	});

	test('an inactive hook beside an active one for the same event: registered, healthy', () => {
		const report = triggerWebhookReport(
			check,
			[
				{ id: '1', url: URL, events: ['bounce'], active: false },
				{ id: '3', url: URL, events: ['bounce'], active: true },
			],
			{ url: URL, target: null, events: ['bounced'] },
		);
		expect(report).toMatchObject({ healthy: true, registered: [{ event: 'bounced', id: '3' }], inactive: [], message: `The webhook registered at Example for ${URL}: bounced.` });
	});

	test('one hook serving several events counts for each; a hook naming no event counts for none', () => {
		const report = triggerWebhookReport(
			check,
			[
				{ id: '1', url: URL, events: ['bounce', 'open'] },
				{ id: '2', url: URL },
			],
			{ url: URL, target: null, events: ['bounced', 'opened', 'clicked'] },
		);
		expect(report).toMatchObject({
			healthy: false,
			registered: [
				{ event: 'bounced', id: '1' },
				{ event: 'opened', id: '1' },
			],
			missing: ['clicked'],
		});
	});

	test('missing, inactive and duplicated events together: each said, one advice', () => {
		const report = triggerWebhookReport(
			check,
			[
				{ id: '1', url: URL, events: ['bounce'], active: false },
				{ id: '2', url: URL, events: ['open'] },
				{ id: '3', url: URL, events: ['open'] },
			],
			{ url: URL, target: null, events: ['bounced', 'opened', 'clicked'] },
		);
		expect(report.message).toBe(
			`1 of 3 webhooks missing at Example for ${URL}: clicked. 1 of 3 webhooks inactive (archived or disabled) at Example for ${URL}: bounced. ` +
				`Registered more than once at Example for ${URL}, so their events arrive several times: opened. Deactivate and activate the trigger's workflow to register them again.`,
		);
	});
});
