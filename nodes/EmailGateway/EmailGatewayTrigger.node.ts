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
import { EMAIL_EVENT_OPTIONS, emailEvent } from '../shared/events';
import { ACCOUNT_CREDENTIAL } from './descriptions/common';
import { verifyDelivery } from './signature';
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

/** Last signing-key look-up per trigger, so forged deliveries cannot spend the account's API calls. */
const keyRefreshedAt = new Map<string, number>();
const KEY_REFRESH_INTERVAL_MS = 60_000;

/** Who is receiving: each workflow listening to a domain gets the same signed payloads. */
function receiverScope(context: IHookFunctions | IWebhookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}/${node.webhookId ?? node.id ?? node.name}`;
}

function mayRefreshKey(triggerKey: string, now = Date.now()): boolean {
	const last = keyRefreshedAt.get(triggerKey);
	if (last !== undefined && now - last < KEY_REFRESH_INTERVAL_MS) return false;
	keyRefreshedAt.set(triggerKey, now);
	return true;
}

function providerCodes(error: unknown): string[] {
	const codes = (error as NodeApiError)?.context?.providerCodes;
	return Array.isArray(codes) ? codes.map(String) : [];
}

function selectedCommandEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	return events.map((event) => COMMAND_EVENT[event]).filter(Boolean);
}

async function listWebhooks(context: IHookFunctions | IWebhookFunctions, domainId: string) {
	const response = await emailGatewayCommand(context, 'EmailGateway.GetWebhooks', { DomainID: domainId });
	return {
		signingKey: response.SigningKey as string | undefined,
		webhooks: ((response.Webhooks ?? []) as IDataObject[]).map((webhook) => ({
			id: String(webhook.WebhookID ?? ''),
			url: String(webhook.URL ?? webhook.WebhookURL ?? ''),
			events: (Array.isArray(webhook.Events) ? webhook.Events : [webhook.Event]).filter(Boolean).map(String),
		})),
	};
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
						description: 'Refuse signed deliveries whose timestamp is older than this; 0 turns the check off',
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
				keyRefreshedAt.delete(receiverScope(this));
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
		const body = (this.getBodyData() ?? {}) as IDataObject;
		const options = this.getNodeParameter('options', {}) as { allowUnsigned?: boolean; maxAgeSeconds?: number };
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const rawBody = (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(body));
		const delivery = {
			// Each workflow listening to the domain gets the same signed payload; only a repeat to this one is a replay.
			replayScope: receiverScope(this),
			headers: request.headers,
			rawBody,
			body,
			allowUnsigned: options.allowUnsigned ?? false,
			maxAgeSeconds: options.maxAgeSeconds ?? 300,
		};

		let result = verifyDelivery({ ...delivery, signingKey: state.signingKey });
		if (!result.accepted && result.retryWithFreshKey && mayRefreshKey(delivery.replayScope)) {
			// The key may have been regenerated since activation: fetch it once and check again.
			const domainId = state.domainId ?? String(this.getNodeParameter('domainId'));
			const fresh = (await listWebhooks(this, domainId)).signingKey;
			if (fresh && fresh !== state.signingKey) {
				state.signingKey = fresh;
				result = verifyDelivery({ ...delivery, signingKey: fresh });
			}
		}
		if (!result.accepted) {
			response.status(401).json({ error: result.reason });
			return { noWebhookResponse: true };
		}

		const eventData = (body['event-data'] ?? {}) as IDataObject;
		const message = (eventData.message ?? {}) as IDataObject;
		const headers = (message.headers ?? {}) as IDataObject;
		const wanted = this.getNodeParameter('events', []) as string[];
		const event = emailEvent({
			event: body.Event ?? body.EventType ?? body.event_type ?? eventData.event,
			email: body.Recipient ?? body.Email ?? body.email ?? eventData.recipient,
			messageId: body.MessageId ?? body.MessageID ?? headers['message-id'],
			timestamp: body.EventTimestamp ?? body.Timestamp ?? eventData.timestamp,
			provider: 'emailGateway',
			raw: body,
		});
		if (wanted.length && !wanted.includes(event.event)) {
			return { webhookResponse: { received: true, ignored: event.event } };
		}
		return { workflowData: [[{ json: event }]], webhookResponse: { received: true } };
	}
}
