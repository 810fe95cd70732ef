import type { IDataObject } from 'n8n-workflow';

import { parseTime } from './dates';

/** The one event vocabulary every trigger of this package emits. */
export const EMAIL_EVENTS = ['delivered', 'bounced', 'opened', 'clicked', 'unsubscribed', 'complained'] as const;
export type EmailEventName = (typeof EMAIL_EVENTS)[number];

export const EMAIL_EVENT_OPTIONS = [
	{ name: 'Bounced', value: 'bounced' },
	{ name: 'Clicked', value: 'clicked' },
	{ name: 'Complained (Marked as Spam)', value: 'complained' },
	{ name: 'Delivered', value: 'delivered' },
	{ name: 'Opened', value: 'opened' },
	{ name: 'Unsubscribed', value: 'unsubscribed' },
];

const SYNONYMS: Record<string, EmailEventName> = {
	delivery: 'delivered',
	delivered: 'delivered',
	bounce: 'bounced',
	bounced: 'bounced',
	hardbounce: 'bounced',
	softbounce: 'bounced',
	failed: 'bounced',
	open: 'opened',
	opened: 'opened',
	click: 'clicked',
	clicked: 'clicked',
	unsubscribe: 'unsubscribed',
	unsubscribed: 'unsubscribed',
	complaint: 'complained',
	complained: 'complained',
	spam: 'complained',
};

const synonymOf = (text: string): EmailEventName | undefined => SYNONYMS[text.toLowerCase().replace(/[^a-z]/g, '')];

/**
 * Maps a provider's event name ("bounce", "hard_bounce", "opened", "email.bounced"...) to the package's
 * vocabulary; a name it does not know is returned unchanged (nothing is dropped), and no name at all is
 * "unknown". A dotted name ("message.opened") is also read by its last part.
 */
export function canonicalEvent(name: unknown): string {
	if (name === undefined || name === null || String(name).trim() === '') return 'unknown';
	const text = String(name);
	return synonymOf(text) ?? (text.includes('.') ? synonymOf(text.slice(text.lastIndexOf('.') + 1)) : undefined) ?? text;
}

/** True for a name of the package's vocabulary (what a trigger's Events option offers). */
export function isEmailEventName(name: string): name is EmailEventName {
	return (EMAIL_EVENTS as readonly string[]).includes(name);
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
	const text = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value));
	return {
		event: canonicalEvent(fields.event),
		email: text(fields.email),
		messageId: text(fields.messageId),
		timestamp: toIsoTimestamp(fields.timestamp),
		provider: fields.provider,
		raw: fields.raw,
	};
}
