/**
 * Email Gateway's part of its trigger, for the shared trigger kit: how its webhooks are registered, and how
 * a delivery is verified and read. The node (v1/EmailGatewayTriggerV1.ts) only describes itself.
 */
import type { IDataObject } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ReplayGuard } from '../shared/trigger/signature';
import type { RetryPolicy } from '../shared/http/retry';
import { EMAIL_EVENT_OPTIONS, emailEvent } from '../shared/trigger/events';
import type { EmailEvent } from '../shared/trigger/events';
import { firstHeader, nodeScope, webhookTriggerMethods } from '../shared/trigger';
import type { DeliveryHandling, DeliveryVerdict, TriggerWebhookCheck, WebhookRegistration } from '../shared/trigger';
import type { RequestContext } from '../shared/http/transport';
import { eventIdOf, verifyDelivery } from './signature';
import type { VerificationResult } from './signature';
import { addWebhook, deleteWebhook, getWebhooks } from './descriptions/webhookCommands';
import { emailGatewayCommand } from './transport';
import { firstText, isObject } from '../shared/util/object';

/** Package event names → the command API's names (EmailGateway.AddWebhook). */
const COMMAND_EVENT: Record<string, string> = {
	delivered: 'delivery',
	bounced: 'bounce',
	opened: 'open',
	clicked: 'click',
	unsubscribed: 'unsubscribe',
	complained: 'complaint',
};

/** Static data of the trigger beyond the kit's (domain and webhook ids). */
interface TriggerState extends IDataObject {
	domainId?: string;
	signingKey?: string;
}

/** Signing-key look-ups per receiver in the last minute, so forged deliveries cannot spend the account's API calls. */
const recentKeyLookups = new ReplayGuard();
const KEY_REFRESH_INTERVAL_SECONDS = 60;
/**
 * Longest wait for the signing-key look-up inside a delivery: Octeth counts a delivery not answered
 * within 5 s as failed, and retries it later anyway.
 */
const KEY_LOOKUP_TIMEOUT_MS = 3_000;
/** One attempt, no waiting: a delivery must be answered within the provider's 5 s. */
const KEY_LOOKUP_POLICY: RetryPolicy = { maxAttempts: 1, maxTotalWaitMs: 0, baseDelayMs: 0 };

function providerCodes(error: unknown): string[] {
	const codes = (error as NodeApiError)?.context?.providerCodes;
	return Array.isArray(codes) ? codes.map(String) : [];
}

/** The command API's event names of a listed webhook (`Events`, as the reference answers; `Event` as some accounts do). */
function eventsOf(webhook: IDataObject): string[] {
	const events = Array.isArray(webhook.Events) ? webhook.Events : webhook.Event !== undefined ? [webhook.Event] : [];
	return events.map((event) => String(event).toLowerCase());
}

async function listWebhooks(
	context: RequestContext,
	domainId: string,
	limits: { policy?: RetryPolicy; timeout?: number } = {},
) {
	const response = await emailGatewayCommand(context, getWebhooks, { DomainID: domainId }, limits);
	return {
		signingKey: response.SigningKey as string | undefined,
		webhooks: ((response.Webhooks ?? []) as IDataObject[]).map((webhook) => ({
			id: String(webhook.WebhookID ?? ''),
			url: String(webhook.URL ?? webhook.WebhookURL ?? ''),
			events: eventsOf(webhook),
		})),
	};
}

/** Email Gateway's part of the webhook lifecycle: one webhook per selected event on the chosen domain. */
export const emailGatewayWebhooks: WebhookRegistration = {
	targetField: 'domainId',
	extraFields: ['signingKey'],
	target: (context) => String(context.getNodeParameter('domainId')),
	wanted: (context) => (context.getNodeParameter('events', []) as string[]).map((event) => COMMAND_EVENT[event]).filter(Boolean),
	async list(context, domainId) {
		const { webhooks, signingKey } = await listWebhooks(context, domainId);
		return { webhooks, state: signingKey ? { signingKey } : undefined };
	},
	async add(context, domainId, event, url) {
		const response = await emailGatewayCommand(context, addWebhook, { DomainID: domainId, Event: event, WebhookURL: url });
		return String(response.NewWebhookID);
	},
	async remove(context, domainId, id) {
		await emailGatewayCommand(context, deleteWebhook, { DomainID: domainId, WebhookID: id });
	},
	// Already gone (code 4) or domain deleted (code 2): nothing left to remove.
	isGone: (error) => providerCodes(error).some((code) => code === '2' || code === '4' || code === '404'),
	async afterCreate(context, domainId) {
		// After an activation every listener of the node may look the key up again at once.
		const prefix = `${nodeScope(context)}@`;
		recentKeyLookups.forget((scope) => scope.startsWith(prefix));
		return { signingKey: (await listWebhooks(context, domainId)).signingKey };
	},
	explainAddError(context, error, url) {
		if (!providerCodes(error).includes('7')) return undefined;
		return new NodeOperationError(context.getNode(), `Email Gateway cannot call this n8n: ${url} is a local address`, {
			description:
				'Email Gateway refuses webhook URLs on localhost, 127.0.0.1, ::1 or *.local (error code 7). Give n8n a public address (set WEBHOOK_URL, for example to a tunnel) and activate again.',
		});
	},
};

/** Email Gateway's part of Check Trigger Webhooks: the trigger's own registration and event mapping. */
export const emailGatewayTriggerCheck: TriggerWebhookCheck = {
	provider: 'Email Gateway',
	registration: emailGatewayWebhooks,
	keyOf: (event) => (Object.prototype.hasOwnProperty.call(COMMAND_EVENT, event) ? COMMAND_EVENT[event] : undefined),
};

/** A header of an email record's headers object, whatever the case of its name ("Message-ID", "message-id"). */
function headerOf(headers: unknown, name: string): unknown {
	if (!isObject(headers)) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/** "Jane <jane@example.org>" → "jane@example.org"; anything else unchanged. */
function addressOf(value: string | undefined): string | undefined {
	const match = value ? /<([^<>\s]+@[^<>\s]+)>/.exec(value) : null;
	return match ? match[1] : value;
}

/**
 * One event of a delivery in the package's shape. The Email Gateway webhook payload is undocumented, so the
 * layouts seen elsewhere are read: Email Gateway's own (`Event`, `Recipient`, `MessageId`, `EventTimestamp`),
 * its event records (`{event, timestamp, message:{headers}}`, `{Event, LoggedAt, Message:{Headers}}`),
 * Octeth's account-webhook envelope (`{id, type, occurred_at, data}`, event also in `X-Octeth-Event`) and
 * Mailgun's (`event-data`).
 */
function eventOf(record: IDataObject, eventHeader: string | undefined): EmailEvent {
	const eventData = isObject(record['event-data']) ? record['event-data'] : {};
	const data = isObject(record.data) ? record.data : {};
	const messageHeaders = [record.message, record.Message, eventData.message, data.message]
		.filter(isObject)
		.map((message) => message.headers ?? message.Headers);
	const fromHeaders = (name: string) => firstText(...messageHeaders.map((headers) => headerOf(headers, name)));
	return emailEvent({
		event: firstText(record.Event, record.EventType, record.event_type, record.event, record.type, eventData.event, eventHeader),
		email:
			firstText(record.Recipient, record.recipient, record.Email, record.email, data.email, eventData.recipient) ??
			addressOf(fromHeaders('to')),
		messageId: firstText(record.MessageId, record.MessageID) ?? fromHeaders('message-id') ?? firstText(data.message_id),
		timestamp: firstText(record.EventTimestamp, record.Timestamp, record.timestamp, record.occurred_at, record.LoggedAt, eventData.timestamp),
		provider: 'emailGateway',
		raw: record,
	});
}

/** Email Gateway's part of a delivery: its signature schemes, a key refetched once after a rotation, its layouts. */
export const emailGatewayDeliveries: DeliveryHandling = {
	provider: 'Email Gateway',
	async verify(context, received, memory): Promise<DeliveryVerdict> {
		const options = context.getNodeParameter('options', {}) as { allowUnsigned?: boolean; maxAgeSeconds?: number };
		const state = context.getWorkflowStaticData('node') as TriggerState;
		const delivery = {
			// Each workflow (and each of its URLs) listening to the domain gets the same signed payload; only a
			// repeat to the same one is a duplicate.
			replayScope: received.receiver,
			headers: received.headers,
			rawBody: received.rawBody,
			body: Array.isArray(received.body) ? received.records : received.records[0],
			allowUnsigned: options.allowUnsigned ?? false,
			maxAgeSeconds: options.maxAgeSeconds ?? 300,
			memory,
			now: received.now,
		};
		let result: VerificationResult = verifyDelivery({ ...delivery, signingKey: state.signingKey });
		if (!result.accepted && result.retryWithFreshKey && recentKeyLookups.accept(received.receiver, KEY_REFRESH_INTERVAL_SECONDS)) {
			// The key may have been regenerated since activation: fetch it once and check again. A failed
			// look-up refuses this delivery (the provider retries it later); it never fails the request.
			const refused = result;
			try {
				const domainId = state.domainId ?? String(context.getNodeParameter('domainId'));
				const { signingKey: fresh } = await listWebhooks(context, domainId, { policy: KEY_LOOKUP_POLICY, timeout: KEY_LOOKUP_TIMEOUT_MS });
				if (fresh && fresh !== state.signingKey) {
					state.signingKey = fresh;
					result = verifyDelivery({ ...delivery, signingKey: fresh });
				}
			} catch (error) {
				// The look-up error can name this installation's host and port: n8n's log only.
				result = { ...refused, reason: `${refused.reason} The signing key could not be looked up again: ${(error as Error).message}` };
			}
		}
		if (!result.accepted) return { accepted: false, refusal: result.refusal, detail: result.reason };
		return { accepted: true, duplicate: result.duplicate, repeatedEventIds: result.repeatedEventIds };
	},
	offeredEvents: EMAIL_EVENT_OPTIONS.map((option) => String(option.value)),
	eventIdOf,
	toEvent(record, received) {
		return eventOf(record, firstText(firstHeader(received, 'x-octeth-event')));
	},
};

/** The Email Gateway Trigger's webhook methods. */
export const emailGatewayTrigger = webhookTriggerMethods({ registration: emailGatewayWebhooks, deliveries: emailGatewayDeliveries });
