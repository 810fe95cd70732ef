import type { IDataObject } from 'n8n-workflow';

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

/** Maps a provider's event name ("bounce", "hard_bounce", "opened"...) to the package's vocabulary. */
export function canonicalEvent(name: unknown): string {
	const key = String(name ?? '').toLowerCase().replace(/[^a-z]/g, '');
	return SYNONYMS[key] ?? String(name ?? 'unknown');
}

/** ISO 8601 from unix seconds/milliseconds or a date text; the original text when unreadable. */
export function toIsoTimestamp(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	const number = Number(value);
	if (!Number.isNaN(number) && /^\d+(\.\d+)?$/.test(String(value))) {
		return new Date(number > 1e12 ? number : number * 1000).toISOString();
	}
	const parsed = Date.parse(String(value));
	return Number.isNaN(parsed) ? String(value) : new Date(parsed).toISOString();
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
