import type { INodePropertyOptions } from 'n8n-workflow';

import { generatedOperations } from './descriptions/generated';

// The Especial Trigger's events, read from the generated "Create a webhook" operation (not from
// operations.ts, which the hand-written operations of descriptions/overrides.ts, using these, feed).

/** The seed's EventType enum, as "Create a webhook" documents it. */
export const ESPECIAL_EVENTS: string[] = (
	generatedOperations.find((operation) => operation.title === 'Create a webhook')?.fields.find((field) => field.apiName === 'event')?.options ?? []
).map((option) => String(option.value));

/** "Email.ReportedAsSpam" → "Email Reported As Spam" (n8n lists trigger events as "On ..."). */
function eventLabel(event: string): string {
	return event
		.split('.')
		.map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2'))
		.join(' ');
}

export const ESPECIAL_EVENT_OPTIONS: INodePropertyOptions[] = ESPECIAL_EVENTS.map((event) => ({
	name: eventLabel(event),
	value: event,
	description: `Especial's ${event} event`,
})).sort((a, b) => a.name.localeCompare(b.name));
