/**
 * Especial's part of its trigger, for the shared trigger kit: one webhook per selected event (the API takes
 * one event per webhook), archived on deactivation (the API has no delete), and deliveries verified with
 * `x-signature` = base64 HMAC-SHA256 of the raw body under the webhook's `signature.key`.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import { emailEvent } from '../shared/trigger/events';
import type { RetryPolicy } from '../shared/http/retry';
import { ReplayGuard, verifyHmac } from '../shared/trigger/signature';
import { checkRepeats, firstHeader, nodeScope, REFUSAL, webhookTriggerMethods } from '../shared/trigger';
import type { DeliveryHandling, DeliveryVerdict, TriggerWebhookCheck, WebhookRegistration } from '../shared/trigger';
import { ESPECIAL_EVENTS } from './events';
import { especialCall, listAll } from './transport';
import { firstText, isObject } from '../shared/util/object';

export { ESPECIAL_EVENT_OPTIONS, ESPECIAL_EVENTS } from './events';

/** Static data beyond the kit's: each webhook's signing key, by webhook id. */
interface TriggerState extends IDataObject {
	signingKeys?: Record<string, string>;
}

const SIGNATURE_HEADER = 'x-signature';
/** How long a delivery is remembered, so a retried one runs once. */
const MEMORY_SECONDS = 24 * 3600;

const httpCodeOf = (error: unknown) => String((error as NodeApiError)?.httpCode ?? '');

/** Key look-ups inside deliveries, per receiver, at most once a minute: forged deliveries cannot spend the account's API calls. */
const recentKeyLookups = new ReplayGuard();
const KEY_REFRESH_INTERVAL_SECONDS = 60;
/** A delivery waits at most this long for the look-up, one attempt: the provider retries a refused delivery later. */
const KEY_LOOKUP_TIMEOUT_MS = 3_000;
const KEY_LOOKUP_POLICY: RetryPolicy = { maxAttempts: 1, maxTotalWaitMs: 0, baseDelayMs: 0 };

/** The signing key of one webhook: `GET /webhooks/{id}` → `signature.key`. */
async function signingKeyOf(context: Parameters<typeof especialCall>[0], id: string, inDelivery = false): Promise<string | undefined> {
	const answer = await especialCall(
		context,
		{ method: 'GET', path: `/webhooks/${encodeURIComponent(id)}`, ...(inDelivery ? { timeout: KEY_LOOKUP_TIMEOUT_MS } : {}) },
		{ title: 'Show a webhook', ...(inDelivery ? { policy: KEY_LOOKUP_POLICY } : {}) },
	);
	const key = (answer.signature as IDataObject | undefined)?.key;
	return typeof key === 'string' && key ? key : undefined;
}

/** The path of a webhook URL: the node's own part, the same when n8n's host (WEBHOOK_URL) changes. */
function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

/**
 * An archived webhook of this node for the event (its URL, or its path on an earlier host), to take back
 * instead of creating another: the API has no delete, so every new webhook would stay in the account for good.
 */
async function archivedWebhookOfOurs(context: IHookFunctions, event: string, url: string): Promise<IDataObject | undefined> {
	const hooks = await listAll(context, '/webhooks', { with_archived: true });
	const ours = hooks.filter((hook) => hook.status === 'archived' && hook.event === event && pathOf(String(hook.url ?? '')) === pathOf(url));
	return ours.find((hook) => hook.url === url) ?? ours[0];
}

/** Unarchives a webhook, pointed at the URL first if n8n's host changed (so it never calls the old one); its id. */
async function takeBack(context: IHookFunctions, hook: IDataObject, url: string): Promise<string> {
	const id = String(hook.id);
	const path = `/webhooks/${encodeURIComponent(id)}`;
	if (hook.url !== url) await especialCall(context, { method: 'PATCH', path, body: { url }, idempotent: true }, { title: 'Patch a webhook' });
	await especialCall(context, { method: 'POST', path: `${path}/unarchive`, idempotent: true }, { title: 'Unarchive a webhook' });
	return id;
}

export const especialWebhooks: WebhookRegistration = {
	// Webhooks belong to the account as a whole.
	targetField: 'account',
	extraFields: ['signingKeys'],
	target: () => 'self',
	wanted: (context) => context.getNodeParameter('events', []) as string[],
	async list(context) {
		const hooks = await listAll(context, '/webhooks');
		return {
			webhooks: hooks.map((hook) => ({
				id: String(hook.id),
				url: String(hook.url ?? ''),
				active: hook.status !== 'archived',
				events: [String(hook.event ?? '')],
			})),
		};
	},
	async add(context, _target, event, url) {
		const archived = await archivedWebhookOfOurs(context, event, url);
		if (archived) return await takeBack(context, archived, url);
		const answer = await especialCall(context, { method: 'POST', path: '/webhooks', body: { event, url } }, { title: 'Create a webhook' });
		return String(answer.id ?? (answer.data as IDataObject | undefined)?.id);
	},
	async remove(context, _target, id) {
		await especialCall(context, { method: 'POST', path: `/webhooks/${encodeURIComponent(id)}/archive`, idempotent: true }, { title: 'Archive a webhook' });
	},
	isGone: (error) => httpCodeOf(error) === '404',
	async afterCreate(context, _target, ids) {
		// A new activation may look its keys up again at once.
		const prefix = `${nodeScope(context)}@`;
		recentKeyLookups.forget((scope) => scope.startsWith(prefix));
		const signingKeys: Record<string, string> = {};
		for (const id of Object.values(ids)) {
			const key = await signingKeyOf(context, id);
			if (key) signingKeys[id] = key;
		}
		return { signingKeys };
	},
	nothingWantedMessage: 'Events: choose at least one event',
};

/** Especial's part of Check Trigger Webhooks: the trigger's own registration; its events are Especial's. */
export const especialTriggerCheck: TriggerWebhookCheck = {
	provider: 'Especial',
	registration: especialWebhooks,
	keyOf: (event) => (ESPECIAL_EVENTS.includes(event) ? event : undefined),
	defaultTarget: 'self',
};

export const especialDeliveries: DeliveryHandling = {
	provider: 'Especial',
	async verify(context, received, memory): Promise<DeliveryVerdict> {
		const signature = firstHeader(received, SIGNATURE_HEADER);
		if (!signature) return { accepted: false, refusal: REFUSAL.unsigned, detail: 'no x-signature header' };
		const state = context.getWorkflowStaticData('node') as TriggerState;
		const stored = state.webhooks as Record<string, string> | undefined;
		const keys = state.signingKeys ?? {};
		// The key of the webhook registered for the delivery's event first; any of ours will do.
		const event = firstText(received.records[0]?.event);
		const ownId = event && stored ? stored[event] : undefined;
		const matches = (candidates: string[]) => candidates.some((key) => verifyHmac('sha256', key, received.rawBody, signature, 'base64'));
		let verified = matches([...(ownId && keys[ownId] ? [keys[ownId]] : []), ...Object.values(keys)]);
		let detail = 'x-signature does not match the body under any of the webhooks\' keys';
		// A key missing or changed since activation: look the keys of our webhooks up again, once a minute at most.
		if (!verified && stored && recentKeyLookups.accept(received.receiver, KEY_REFRESH_INTERVAL_SECONDS)) {
			try {
				const fresh: Record<string, string> = {};
				for (const id of Object.values(stored)) {
					const key = await signingKeyOf(context, id, true);
					if (key) fresh[id] = key;
				}
				if (Object.keys(fresh).length) state.signingKeys = fresh;
				verified = matches(Object.values(fresh));
			} catch (error) {
				// The look-up error can name this installation's host: n8n's log only.
				detail = `${detail}; the keys could not be looked up again: ${(error as Error).message}`;
			}
		}
		if (!verified) return { accepted: false, refusal: REFUSAL.invalidSignature, detail };
		const repeats = checkRepeats(
			memory,
			{
				whole: [`${received.receiver}|sig:${signature}`],
				eventIds: received.records.map((record) => especialDeliveries.eventIdOf(record)),
				eventKey: (id) => `${received.receiver}|event:${id}`,
			},
			MEMORY_SECONDS,
			received.now,
		);
		return { accepted: true, ...repeats };
	},
	eventIdOf: (record) => firstText(record.id, record.event_id),
	toEvent(record) {
		const data = isObject(record.data) ? record.data : {};
		const contact = isObject(data.contact) ? data.contact : {};
		const user = isObject(record.user) ? record.user : {};
		return emailEvent({
			event: record.event,
			email: firstText(data.email, contact.email, record.email, user.email),
			messageId: firstText(data.email_id, data.message_id, data.tracking_id),
			timestamp: firstText(record.created_on, data.created_on, record.timestamp),
			provider: 'especial',
			raw: record,
		});
	},
	offeredEvents: ESPECIAL_EVENTS,
};

/** The Especial Trigger's webhook methods. */
export const especialTrigger = webhookTriggerMethods({ registration: especialWebhooks, deliveries: especialDeliveries });
