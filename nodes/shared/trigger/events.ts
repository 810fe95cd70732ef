import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { parseTime } from '../util/dates';

/**
 * The one event vocabulary every trigger of this package emits: the life of a sent email (queued → sent →
 * delivered / deferred / bounced / failed / rejected), what its recipient did with it (opened, clicked,
 * complained) and the contact's subscription (subscribed, unsubscribed).
 */
export const EMAIL_EVENTS = [
	'queued',
	'sent',
	'delivered',
	'deferred',
	'bounced',
	'failed',
	'rejected',
	'opened',
	'clicked',
	'complained',
	'subscribed',
	'unsubscribed',
] as const;
export type EmailEventName = (typeof EMAIL_EVENTS)[number];

/**
 * Labels and meanings of the vocabulary for a trigger's Events option. n8n's node panel lists a trigger's
 * events as "On <label>", so each label is a short sentence subject + verb ("On Email Marked as Spam").
 */
const EVENT_DESCRIPTIONS: Record<EmailEventName, { name: string; description: string }> = {
	queued: { name: 'Email Queued', description: 'The provider accepted the email and has not sent it yet' },
	sent: { name: 'Email Sent', description: "The provider handed the email to the recipient's mail server" },
	delivered: { name: 'Email Delivered', description: "The recipient's mail server accepted the email" },
	deferred: {
		name: 'Delivery Deferred',
		description: "The recipient's mail server refused the email for now; the provider tries again",
	},
	bounced: { name: 'Email Bounced', description: "The recipient's mail server returned the email" },
	failed: {
		name: 'Delivery Failed',
		description: 'The email could not be delivered (provider error, invalid address), without a bounce',
	},
	rejected: {
		name: 'Email Rejected',
		description: 'The provider refused to send the email (suppressed address, policy)',
	},
	opened: { name: 'Email Opened', description: 'The recipient opened the email' },
	clicked: { name: 'Link Clicked', description: 'The recipient clicked a tracked link' },
	complained: { name: 'Email Marked as Spam', description: 'The recipient reported the email as spam' },
	subscribed: { name: 'Contact Subscribed', description: 'An address subscribed to a list' },
	unsubscribed: { name: 'Contact Unsubscribed', description: 'An address unsubscribed' },
};

/**
 * Options for a trigger's Events dropdown, sorted by label as n8n lists options: the given names (those
 * the provider reports), or the whole vocabulary.
 */
export function emailEventOptions(names: readonly EmailEventName[] = EMAIL_EVENTS): INodePropertyOptions[] {
	return names
		.map((value) => ({ ...EVENT_DESCRIPTIONS[value], value }))
		.sort((left, right) => left.name.localeCompare(right.name));
}

/** The six events Email Gateway (Octeth) webhooks report; kept for its trigger. */
export const EMAIL_EVENT_OPTIONS = emailEventOptions(['bounced', 'clicked', 'complained', 'delivered', 'opened', 'unsubscribed']);

/**
 * Provider names → the vocabulary, as written by Octeth (delivery, complaint), Especial (`Email.Sent`,
 * `Email.ReportedAsSpam`, `submitted`, `error`, `in_queue`, `bounce_hb`...), SMS.by delivery statuses
 * (`DELIVERED`, `UNDELIVERED`, `OPEN`, `CLICK`), CleverReach hooks (`receiver.subscribed`) and the common
 * ESP names. Keys are lower case letters only (see `normalized`). A failure is never a bounce: a bounce is
 * the receiving server's answer, a failure may never have reached one.
 */
const SYNONYMS: Record<string, EmailEventName> = {
	queued: 'queued',
	queue: 'queued',
	inqueue: 'queued',
	submitted: 'queued',
	processing: 'queued',
	accepted: 'queued',
	sent: 'sent',
	delivery: 'delivered',
	delivered: 'delivered',
	deferred: 'deferred',
	deferral: 'deferred',
	delayed: 'deferred',
	bounce: 'bounced',
	bounced: 'bounced',
	hardbounce: 'bounced',
	softbounce: 'bounced',
	bouncehb: 'bounced',
	bouncesb: 'bounced',
	failed: 'failed',
	failure: 'failed',
	fail: 'failed',
	error: 'failed',
	undelivered: 'failed',
	notdelivered: 'failed',
	rejected: 'rejected',
	reject: 'rejected',
	dropped: 'rejected',
	blocked: 'rejected',
	open: 'opened',
	opened: 'opened',
	click: 'clicked',
	clicked: 'clicked',
	clickthru: 'clicked',
	complaint: 'complained',
	complained: 'complained',
	spam: 'complained',
	reportedasspam: 'complained',
	markedasspam: 'complained',
	spamcomplaint: 'complained',
	subscribe: 'subscribed',
	subscribed: 'subscribed',
	unsubscribe: 'unsubscribed',
	unsubscribed: 'unsubscribed',
	globalunsubscribe: 'unsubscribed',
	globalunsubscribed: 'unsubscribed',
};

const normalized = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
const synonymOf = (text: string): EmailEventName | undefined => SYNONYMS[normalized(text)];

/**
 * Maps a provider's event name ("bounce", "hard_bounce", "Email.Opened", "UNDELIVERED"...) to the
 * package's vocabulary; a name it does not know is returned unchanged (nothing is dropped), and no name
 * at all is "unknown". A dotted name ("message.opened") is also read by its last part.
 */
export function canonicalEvent(name: unknown): string {
	if (name === undefined || name === null || String(name).trim() === '') return 'unknown';
	const text = String(name);
	return synonymOf(text) ?? (text.includes('.') ? synonymOf(text.slice(text.lastIndexOf('.') + 1)) : undefined) ?? text;
}

/**
 * ISO 8601 from unix seconds/milliseconds or a date text; the original text when unreadable (or out of
 * the date range). A date without zone, Octeth's "YYYY-MM-DD HH:MM:SS", is UTC, not the server's local time.
 */
export function toIsoTimestamp(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	return parseTime(value)?.toISOString() ?? String(value);
}

/** The shape every trigger emits, so a workflow can switch providers without rewiring. */
export interface EmailEvent extends IDataObject {
	event: string;
	email: string | null;
	messageId: string | null;
	timestamp: string | null;
	provider: string;
	raw: IDataObject;
}

export function emailEvent(fields: {
	event: unknown;
	email: unknown;
	messageId: unknown;
	timestamp: unknown;
	provider: string;
	raw: IDataObject;
}): EmailEvent {
	const text = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value).trim() || null);
	return {
		event: canonicalEvent(fields.event),
		email: text(fields.email),
		messageId: text(fields.messageId),
		timestamp: toIsoTimestamp(fields.timestamp),
		provider: fields.provider,
		raw: fields.raw,
	};
}
