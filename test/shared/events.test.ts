/**
 * The package's event vocabulary (nodes/shared/trigger/events.ts) against each provider's own event names, as
 * their documents write them: Octeth's webhook events (seed 003), Especial's EventType enum and the
 * Email API / log event types (seed 002, research/especial-openapi-1.18.25.json), SMS.by's delivery
 * statuses (seed 004 and issue 7), CleverReach's hook events (research/providers.md section A).
 */
import { canonicalEvent, EMAIL_EVENT_OPTIONS, EMAIL_EVENTS, emailEvent, emailEventOptions } from '../../nodes/shared/trigger/events';
import { isEmailEventName } from '../harness/checks';

describe('canonicalEvent with each provider’s own names', () => {
	test.each([
		// Email Gateway (Octeth) AddWebhook events and the v1 API's names.
		['delivery', 'delivered'],
		['bounce', 'bounced'],
		['open', 'opened'],
		['click', 'clicked'],
		['unsubscribe', 'unsubscribed'],
		['complaint', 'complained'],
		['complained', 'complained'],
	])('Email Gateway %s → %s', (name, expected) => expect(canonicalEvent(name)).toBe(expected));

	test.each([
		// Especial webhook EventType (the Email.* part).
		['Email.Submitted', 'queued'],
		['Email.Queued', 'queued'],
		['Email.Processing', 'queued'],
		['Email.Sent', 'sent'],
		['Email.Delivered', 'delivered'],
		['Email.Bounced', 'bounced'],
		['Email.Error', 'failed'],
		['Email.Rejected', 'rejected'],
		['Email.Opened', 'opened'],
		['Email.Clicked', 'clicked'],
		['Email.ReportedAsSpam', 'complained'],
		['Email.Unsubscribed', 'unsubscribed'],
		['Email.GlobalUnsubscribed', 'unsubscribed'],
		// Especial Email API event types and campaign log event types.
		['submitted', 'queued'],
		['in_queue', 'queued'],
		['error', 'failed'],
		['spam', 'complained'],
		['global_unsubscribe', 'unsubscribed'],
		['bounce_hb', 'bounced'],
		['bounce_sb', 'bounced'],
		['clickthru', 'clicked'],
	])('Especial %s → %s', (name, expected) => expect(canonicalEvent(name)).toBe(expected));

	test.each([
		['DELIVERED', 'delivered'],
		['UNDELIVERED', 'failed'],
		['OPEN', 'opened'],
		['CLICK', 'clicked'],
	])('SMS.by delivery status %s → %s', (name, expected) => expect(canonicalEvent(name)).toBe(expected));

	test.each([
		['receiver.subscribed', 'subscribed'],
		['receiver.unsubscribed', 'unsubscribed'],
	])('CleverReach %s → %s', (name, expected) => expect(canonicalEvent(name)).toBe(expected));

	test('a failure is reported as a failure, never as a bounce', () => {
		for (const name of ['failed', 'FAILED', 'failure', 'Email.Error', 'UNDELIVERED', 'not_delivered']) {
			expect(canonicalEvent(name)).toBe('failed');
		}
		expect(canonicalEvent('deferred')).toBe('deferred');
		expect(canonicalEvent('delayed')).toBe('deferred');
		expect(canonicalEvent('dropped')).toBe('rejected');
	});

	test('events that are not about an email keep the provider’s name', () => {
		for (const name of [
			'receiver.created',
			'receiver.updated',
			'form.deleted',
			'group.created',
			'automation.activated',
			'Contact.Added',
			'Campaign.Scheduled',
			'Campaign.Created',
			'User.LoggedIn',
			'unsubscribe_reason',
		]) {
			expect(canonicalEvent(name)).toBe(name);
		}
	});
});

describe('the vocabulary and its options', () => {
	test('every name of the vocabulary maps to itself and is recognised', () => {
		for (const name of EMAIL_EVENTS) {
			expect(canonicalEvent(name)).toBe(name);
			expect(isEmailEventName(name)).toBe(true);
		}
		expect(isEmailEventName('bounce')).toBe(false);
		expect(isEmailEventName('Email.Sent')).toBe(false);
	});

	test('options cover the vocabulary once each, sorted by label, and read as "On <label>" in n8n', () => {
		const options = emailEventOptions();
		expect(options.map((option) => option.value).sort()).toEqual([...EMAIL_EVENTS].sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(new Set(names).size).toBe(names.length);
		// n8n's node creator shows trigger events as "On <startCase(name)>": no brackets, no bare past participles.
		for (const option of options) {
			expect(option.name).toMatch(/^[A-Z][a-z]+( [A-Za-z]+)+$/);
			expect(option.description).toEqual(expect.any(String));
		}
		expect(options.find((option) => option.value === 'complained')?.name).toBe('Email Marked as Spam');
		expect(options.find((option) => option.value === 'failed')?.name).toBe('Delivery Failed');
	});

	test('a trigger offers only the events its provider reports', () => {
		expect(emailEventOptions(['opened', 'delivered', 'failed']).map((option) => option.value)).toEqual(['failed', 'delivered', 'opened']);
		expect(EMAIL_EVENT_OPTIONS.map((option) => option.value).sort()).toEqual(
			['bounced', 'clicked', 'complained', 'delivered', 'opened', 'unsubscribed'],
		);
	});
});

describe('emailEvent', () => {
	test('an SMS.by delivery-list row (address with a leading blank, as in the docs) becomes the shared shape', () => {
		const row = { email_id: '654322', email: ' email2@email.by', status: 'UNDELIVERED', error: 'Bad recipient address syntax' };
		expect(
			emailEvent({ event: row.status, email: row.email, messageId: row.email_id, timestamp: 1705320000, provider: 'smsBy', raw: row }),
		).toEqual({
			event: 'failed',
			email: 'email2@email.by',
			messageId: '654322',
			timestamp: '2024-01-15T12:00:00.000Z',
			provider: 'smsBy',
			raw: row,
		});
	});

	test('missing values are null, not empty strings', () => {
		expect(emailEvent({ event: undefined, email: '', messageId: null, timestamp: undefined, provider: 'x', raw: {} })).toEqual({
			event: 'unknown',
			email: null,
			messageId: null,
			timestamp: null,
			provider: 'x',
			raw: {},
		});
	});
});
