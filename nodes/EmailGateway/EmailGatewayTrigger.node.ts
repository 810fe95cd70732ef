import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import { ReplayGuard } from '../shared/signature';
import type { RetryPolicy } from '../shared/retry';
import { EMAIL_EVENT_OPTIONS, emailEvent, isEmailEventName } from '../shared/events';
import type { EmailEvent } from '../shared/events';
import { ACCOUNT_CREDENTIAL } from './descriptions/common';
import { eventIdOf, verifyDelivery } from './signature';
import type { DeliveryToVerify, VerificationResult } from './signature';
import { emailGatewayCommand, loadDomainOptions } from './transport';

/** Package event names → the command API's names (EmailGateway.AddWebhook). */
const COMMAND_EVENT: Record<string, string> = {
	delivered: 'delivery',
	bounced: 'bounce',
	opened: 'open',
	clicked: 'click',
	unsubscribed: 'unsubscribe',
	complained: 'complaint',
};

interface TriggerState {
	domainId?: string;
	/** Command-API event name → webhook id registered for it. */
	webhooks?: Record<string, string>;
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

/** The node this trigger runs as: each workflow listening to a domain gets the same signed payloads. */
function nodeScope(context: IHookFunctions | IWebhookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}/${node.webhookId ?? node.id ?? node.name}`;
}

/** The path a delivery came in on: the test URL (webhook-test/...) and the production URL are two receivers. */
function requestPath(request: { originalUrl?: string; url?: string; path?: string }): string {
	const url = request.originalUrl ?? request.url ?? request.path ?? '';
	return url.split('?')[0];
}

/** Who is receiving a delivery: the node, and on which of its URLs. */
function receiverScope(context: IWebhookFunctions): string {
	return `${nodeScope(context)}@${requestPath(context.getRequestObject() as { originalUrl?: string; url?: string; path?: string })}`;
}

/** After an activation every listener of the node may look the key up again at once. */
function resetKeyRefresh(context: IHookFunctions) {
	const prefix = `${nodeScope(context)}@`;
	recentKeyLookups.forget((scope) => scope.startsWith(prefix));
}

function mayRefreshKey(receiver: string): boolean {
	return recentKeyLookups.accept(receiver, KEY_REFRESH_INTERVAL_SECONDS);
}

function providerCodes(error: unknown): string[] {
	const codes = (error as NodeApiError)?.context?.providerCodes;
	return Array.isArray(codes) ? codes.map(String) : [];
}

function selectedCommandEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	return events.map((event) => COMMAND_EVENT[event]).filter(Boolean);
}

async function listWebhooks(
	context: IHookFunctions | IWebhookFunctions,
	domainId: string,
	limits: { policy?: RetryPolicy; timeout?: number } = {},
) {
	const response = await emailGatewayCommand(context, 'EmailGateway.GetWebhooks', { DomainID: domainId }, limits);
	return {
		signingKey: response.SigningKey as string | undefined,
		webhooks: ((response.Webhooks ?? []) as IDataObject[]).map((webhook) => ({
			id: String(webhook.WebhookID ?? ''),
			url: String(webhook.URL ?? webhook.WebhookURL ?? ''),
			events: (Array.isArray(webhook.Events) ? webhook.Events : [webhook.Event]).filter(Boolean).map(String),
		})),
	};
}

/** One attempt, no waiting: a delivery must be answered within the provider's 5 s. */
const KEY_LOOKUP_POLICY: RetryPolicy = { maxAttempts: 1, maxTotalWaitMs: 0, baseDelayMs: 0 };

/** The domain's current signing key, within KEY_LOOKUP_TIMEOUT_MS; throws with the reason otherwise. */
async function lookUpSigningKey(context: IWebhookFunctions, domainId: string): Promise<string | undefined> {
	return (await listWebhooks(context, domainId, { policy: KEY_LOOKUP_POLICY, timeout: KEY_LOOKUP_TIMEOUT_MS })).signingKey;
}

async function deleteWebhook(context: IHookFunctions, domainId: string, webhookId: string) {
	try {
		await emailGatewayCommand(context, 'EmailGateway.DeleteWebhook', { DomainID: domainId, WebhookID: webhookId });
	} catch (error) {
		// Already gone (code 4) or domain deleted (code 2): nothing left to remove.
		const gone = providerCodes(error).some((code) => code === '2' || code === '4' || code === '404');
		if (!gone) throw asNodeError(context.getNode(), error);
	}
}

const isObject = (value: unknown): value is IDataObject => !!value && typeof value === 'object' && !Array.isArray(value);

/** The first value that is a non-empty text or a number (objects, such as a `Message`, do not count). */
function firstText(...values: unknown[]): string | undefined {
	for (const value of values) {
		if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) return String(value).trim();
	}
	return undefined;
}

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

export class EmailGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Email Gateway Trigger',
		name: 'emailGatewayTrigger',
		icon: { light: 'file:../../icons/emailGateway.svg', dark: 'file:../../icons/emailGateway.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Email Gateway (Octeth) reports an email event',
		defaults: { name: 'Email Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ACCOUNT_CREDENTIAL, required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Domain Name or ID',
				name: 'domainId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getDomains' },
				required: true,
				default: '',
				description:
					'Sender domain whose events start the workflow. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EMAIL_EVENT_OPTIONS,
				required: true,
				default: ['bounced', 'complained'],
				description: 'Events that start the workflow; one webhook is registered per event',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Accept Unsigned Deliveries',
						name: 'allowUnsigned',
						type: 'boolean',
						default: false,
						description:
							'Whether to accept deliveries that carry no signature at all. Deliveries with a wrong signature are always refused.',
					},
					{
						displayName: 'Maximum Event Age (Seconds)',
						name: 'maxAgeSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 300,
						description:
							'Refuse deliveries whose signed delivery time (the t= of X-Octeth-Signature, or the timestamp of a Mailgun-style signature) is older than this; 0 turns the check off. The event time in the payload is not checked: retries of old events are accepted.',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getDomains(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await loadDomainOptions(this);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as TriggerState;
				const domainId = String(this.getNodeParameter('domainId'));
				const wanted = selectedCommandEvents(this);
				if (!state.webhooks || state.domainId !== domainId) return false;
				if (wanted.some((event) => !state.webhooks?.[event])) return false;
				const url = this.getNodeWebhookUrl('default');
				const { webhooks, signingKey } = await listWebhooks(this, domainId);
				// Only our stored ids count, and only while they still point at our URL.
				const allThere = wanted.every((event) =>
					webhooks.some((webhook) => webhook.id === state.webhooks?.[event] && webhook.url === url),
				);
				if (allThere && signingKey) state.signingKey = signingKey;
				return allThere;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as TriggerState;
				const domainId = String(this.getNodeParameter('domainId'));
				const url = this.getNodeWebhookUrl('default') as string;
				const events = selectedCommandEvents(this);
				if (events.length === 0) {
					throw new NodeOperationError(this.getNode(), 'Events: choose at least one event');
				}
				// Remove what an earlier activation of this node registered, wherever it is: on another domain
				// (the domain was changed while the workflow was inactive) or pointing at an old URL.
				if (state.webhooks && state.domainId) {
					for (const id of Object.values(state.webhooks)) await deleteWebhook(this, state.domainId, id);
				}
				delete state.webhooks;
				delete state.domainId;
				delete state.signingKey;
				// Remove what an earlier activation of this node left behind, so events never arrive twice.
				const existing = await listWebhooks(this, domainId);
				for (const webhook of existing.webhooks.filter((candidate) => candidate.url === url)) {
					await deleteWebhook(this, domainId, webhook.id);
				}
				const created: Record<string, string> = {};
				try {
					for (const event of events) {
						const response = await emailGatewayCommand(this, 'EmailGateway.AddWebhook', {
							DomainID: domainId,
							Event: event,
							WebhookURL: url,
						});
						created[event] = String(response.NewWebhookID);
					}
				} catch (error) {
					for (const id of Object.values(created)) await deleteWebhook(this, domainId, id);
					if (providerCodes(error).includes('7')) {
						throw new NodeOperationError(this.getNode(), `Email Gateway cannot call this n8n: ${url} is a local address`, {
							description:
								'Email Gateway refuses webhook URLs on localhost, 127.0.0.1, ::1 or *.local (error code 7). Give n8n a public address (set WEBHOOK_URL, for example to a tunnel) and activate again.',
						});
					}
					throw asNodeError(this.getNode(), error);
				}
				const { signingKey } = await listWebhooks(this, domainId);
				state.domainId = domainId;
				state.webhooks = created;
				state.signingKey = signingKey;
				resetKeyRefresh(this);
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as TriggerState;
				if (state.webhooks && state.domainId) {
					for (const id of Object.values(state.webhooks)) await deleteWebhook(this, state.domainId, id);
				}
				delete state.webhooks;
				delete state.domainId;
				delete state.signingKey;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const body = (this.getBodyData() ?? {}) as unknown;
		const options = this.getNodeParameter('options', {}) as { allowUnsigned?: boolean; maxAgeSeconds?: number };
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const rawBody = (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(body));
		// A batch (JSON array) gives one item per element; anything that is not an object is kept as its value.
		const records = (Array.isArray(body) ? body : [body]).map((record) => (isObject(record) ? record : { value: record }));
		const delivery: Omit<DeliveryToVerify, 'signingKey'> = {
			// Each workflow (and each of its URLs) listening to the domain gets the same signed payload; only a
			// repeat to the same one is a duplicate.
			replayScope: receiverScope(this),
			headers: request.headers,
			rawBody,
			body: Array.isArray(body) ? records : (records[0] as IDataObject),
			allowUnsigned: options.allowUnsigned ?? false,
			maxAgeSeconds: options.maxAgeSeconds ?? 300,
		};

		let result: VerificationResult = verifyDelivery({ ...delivery, signingKey: state.signingKey });
		if (!result.accepted && result.retryWithFreshKey && mayRefreshKey(delivery.replayScope as string)) {
			// The key may have been regenerated since activation: fetch it once and check again. A failed
			// look-up refuses this delivery (the provider retries it later); it never fails the request.
			const reason = result.reason;
			try {
				const domainId = state.domainId ?? String(this.getNodeParameter('domainId'));
				const fresh = await lookUpSigningKey(this, domainId);
				if (fresh && fresh !== state.signingKey) {
					state.signingKey = fresh;
					result = verifyDelivery({ ...delivery, signingKey: fresh });
				}
			} catch (error) {
				result = {
					accepted: false,
					reason: `${reason} The signing key could not be looked up again: ${(error as Error).message}`,
					retryWithFreshKey: false,
				};
			}
		}
		if (!result.accepted) {
			response.status(401).json({ error: result.reason });
			return { noWebhookResponse: true };
		}
		// Received before: acknowledge, so the provider stops retrying, and run nothing twice.
		if (result.duplicate) return { webhookResponse: { received: true, duplicate: true } };

		const headerText = (name: string) => {
			const value = request.headers[name];
			return firstText(Array.isArray(value) ? value[0] : value);
		};
		const eventHeader = headerText('x-octeth-event');
		const repeated = new Set(result.repeatedEventIds);
		const events = records
			.filter((record) => {
				const id = eventIdOf(record);
				return id === undefined || !repeated.has(id);
			})
			.map((record) => eventOf(record, eventHeader));
		// Our webhooks are registered only for the selected events: a name we do not know still starts the
		// workflow (as the provider calls it); only a known event the user did not select is left out.
		const wanted = this.getNodeParameter('events', []) as string[];
		const selected = events.filter((event) => !wanted.length || !isEmailEventName(event.event) || wanted.includes(event.event));
		if (selected.length === 0) {
			if (events.length === 0) return { webhookResponse: { received: true, ...(repeated.size ? { duplicate: true } : {}) } };
			const ignored = events.map((event) => event.event);
			return { webhookResponse: { received: true, ignored: Array.isArray(body) ? ignored : ignored[0] } };
		}
		return { workflowData: [selected.map((event) => ({ json: event }))], webhookResponse: { received: true } };
	}
}
