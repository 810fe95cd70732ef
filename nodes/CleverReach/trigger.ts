/**
 * CleverReach's part of its trigger, for the shared trigger kit: hooks registered at /hooks/eventhook
 * (outside /v3) with a `verify` token that answers CleverReach's GET check, deliveries authenticated by the
 * `X-CR-Calltoken` the registration returned, and the receiver fetched because deliveries carry ids only.
 */
import type { IDataObject, IExecuteFunctions, IHookFunctions, IWebhookFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emailEvent } from '../shared/trigger/events';
import { fillPath } from '../shared/util/path';
import type { EmailEvent } from '../shared/trigger/events';
import type { RetryPolicy } from '../shared/http/retry';
import { safeEqual } from '../shared/trigger/signature';
import { getCachedCredentials } from '../shared/http/transport';
import { answerHandshake, checkRepeats, firstHeader, handshakeToken, REFUSAL, webhookTriggerMethods } from '../shared/trigger';
import type { DeliveryHandling, DeliveryVerdict, ReceivedDelivery, RepeatCheck, SeenStore, TriggerWebhookCheck, WebhookRegistration } from '../shared/trigger';
import { CREDENTIAL } from './descriptions/common';
import { cleverReachRequest, requestPath } from './transport';
import { firstText, isObject } from '../shared/util/object';

/** Where hooks are registered, listed and deleted: on the REST server, outside /v3. */
export const HOOKS_PATH = '/hooks/eventhook';

/** The header of a delivery carrying the call token of the registration. */
export const CALL_TOKEN_HEADER = 'x-cr-calltoken';

/** CleverReach's hook events (CRHook), by category. */
export const HOOK_EVENTS = [
	'receiver.subscribed',
	'receiver.unsubscribed',
	'receiver.created',
	'receiver.updated',
	'receiver.deleted',
	'form.created',
	'form.updated',
	'form.deleted',
	'group.created',
	'group.updated',
	'group.deleted',
	'filter.created',
	'filter.updated',
	'filter.deleted',
	'automation.activated',
	'automation.deactivated',
	'automation.deleted',
] as const;

const title = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "On Receiver Subscribed", as n8n lists a trigger's events. */
export const HOOK_EVENT_OPTIONS = HOOK_EVENTS.map((event) => {
	const [category, action] = event.split('.');
	return { name: `${title(category)} ${title(action)}`, value: event, description: `CleverReach event ${event}` };
});

/** Only receiver events are limited to a group (the registration's `condition`). */
const takesGroup = (event: string) => event.startsWith('receiver.');

/** One registration as the kit stores it: event and group, as CleverReach has no hook ids. */
const hookId = (event: string, condition: string) => `${event}@${condition}`;
const eventOfHookId = (id: string) => id.slice(0, id.lastIndexOf('@'));

interface TriggerState extends IDataObject {
	groupId?: string;
	/** The call token of each registered event: deliveries carry it in X-CR-Calltoken. */
	callTokens?: Record<string, string>;
}

/** The verify token of this node's hooks, the same in create() and in the handshake (see handshakeToken). */
export async function verifyToken(context: IHookFunctions | IWebhookFunctions): Promise<string> {
	const credentials = await getCachedCredentials(context, CREDENTIAL);
	return handshakeToken(context, String(credentials.clientSecret ?? credentials.clientId ?? ''));
}

function providerCodes(error: unknown): string[] {
	const codes = (error as NodeApiError)?.context?.providerCodes;
	return Array.isArray(codes) ? codes.map(String) : [];
}

const hooksPath = (suffix = '') => `${HOOKS_PATH}${suffix}`;

/** A hook as GET /hooks/eventhook lists it. */
interface ListedHook {
	event: string;
	condition: string;
	url: string;
}

async function listHooks(context: IHookFunctions | IExecuteFunctions): Promise<ListedHook[]> {
	const answer = await cleverReachRequest(context, { method: 'GET', path: hooksPath(), idempotent: true });
	const hooks = (Array.isArray(answer.data) ? answer.data : []) as IDataObject[];
	return hooks.map((hook) => ({ event: String(hook.event), condition: String(hook.condition ?? ''), url: String(hook.url ?? '') }));
}

/**
 * Hooks of another URL on the same event and condition. CleverReach tells hooks apart by event and condition
 * only: it deletes them by those two (DELETE /hooks/eventhook/{event}?condition=, its integration core's only
 * deletion), with no hook id and no URL filter, so deleting ours would delete these too.
 */
async function othersOnSameHook(context: IHookFunctions, event: string, condition: string): Promise<ListedHook[]> {
	const ours = context.getNodeWebhookUrl('default');
	return (await listHooks(context)).filter((hook) => hook.event === event && hook.condition === condition && hook.url !== ours);
}

const RECEIVER_EVENTS_NEED_GROUP =
	'Group: choose the group whose receiver events start the workflow. CleverReach registers receiver events for one group each; only form, group, filter and automation events need no group';

/** The selected events; receiver events without a group are refused before any request (CleverReach answers 400). */
function wantedEvents(context: IHookFunctions): string[] {
	const events = context.getNodeParameter('events', []) as string[];
	if (events.some(takesGroup) && cleverReachHooks.target(context) === '') {
		throw new NodeOperationError(context.getNode(), RECEIVER_EVENTS_NEED_GROUP, {
			description: `Selected receiver events: ${events.filter(takesGroup).join(', ')}`,
		});
	}
	return events;
}

function sharedHookError(context: IHookFunctions, event: string, condition: string, others: ListedHook[]): NodeOperationError {
	const where = condition ? ` of group ${condition}` : '';
	return new NodeOperationError(
		context.getNode(),
		`Events: CleverReach already sends ${event}${where} to another URL (${others.map((hook) => hook.url).join(', ')})`,
		{
			description:
				'CleverReach tells hooks apart only by event and group, so removing one removes the other: two triggers on the same event and group would silence each other. ' +
				'Use one CleverReach Trigger per event and group (call the other workflow from it with Execute Workflow), or deactivate the workflow that owns that URL first. ' +
				'If no workflow uses that URL any more, delete the hook at CleverReach (DELETE /hooks/eventhook/' + event + (condition ? `?condition=${condition}` : '') + ').',
		},
	);
}

/** CleverReach's part of the webhook lifecycle: one hook per selected event, limited to the group for receiver events. */
export const cleverReachHooks: WebhookRegistration = {
	targetField: 'groupId',
	extraFields: ['callTokens'],
	target: (context) => String(context.getNodeParameter('groupId', '', { extractValue: true }) ?? '').trim(),
	wanted: wantedEvents,
	nothingWantedMessage: 'Events: choose at least one CleverReach event',
	async list(context, groupId) {
		const hooks = await listHooks(context);
		return {
			webhooks: hooks.map(({ event, condition, url }) => {
				// It serves its event on this target when its condition is the one add() gives it there.
				const servesTarget = condition === (takesGroup(event) ? groupId : '');
				return { id: hookId(event, condition), url, events: servesTarget ? [event] : [] };
			}),
		};
	},
	async add(context, groupId, event, url) {
		const condition = takesGroup(event) ? groupId : '';
		// A second hook on the same event and group would be deleted with the first: refused, nothing registered.
		const others = await othersOnSameHook(context, event, condition);
		if (others.length > 0) throw sharedHookError(context, event, condition, others);
		const answer = await cleverReachRequest(
			context,
			{
				method: 'POST',
				path: hooksPath(),
				body: { url, event, verify: await verifyToken(context), ...(condition ? { condition } : {}) },
				idempotent: false,
			},
			{ operationTitle: 'Register an event hook' },
		);
		// Kept beside the kit's hook ids (extraFields): the kit clears it before registering and on delete.
		const state = context.getWorkflowStaticData('node') as TriggerState;
		state.callTokens = { ...(state.callTokens ?? {}), [event]: String(answer.call_token ?? '') };
		return hookId(event, condition);
	},
	async remove(context, _groupId, id) {
		const event = eventOfHookId(id);
		const condition = id.slice(event.length + 1);
		// The deletion would take another URL's hook on the same event and group with ours (hooks registered before
		// this version, or by another tool): ours is left in place (n8n answers its calls with 404 once inactive).
		const others = await othersOnSameHook(context, event, condition);
		if (others.length > 0) {
			context.logger.warn(
				`CleverReach Trigger left its hook for ${event}${condition ? ` of group ${condition}` : ''} in place: deleting it would delete the hook of ${others.map((hook) => hook.url).join(', ')} too (CleverReach deletes by event and group)`,
			);
			return;
		}
		await cleverReachRequest(context, {
			method: 'DELETE',
			path: hooksPath(`/${encodeURIComponent(event)}`),
			qs: condition ? { condition } : {},
			idempotent: true,
		});
	},
	isGone: (error) => providerCodes(error).includes('404'),
};

/** CleverReach's part of Check Trigger Webhooks: the trigger's own registration; its events are CleverReach's. */
export const cleverReachTriggerCheck: TriggerWebhookCheck = {
	provider: 'CleverReach',
	registration: cleverReachHooks,
	keyOf: (event) => ((HOOK_EVENTS as readonly string[]).includes(event) ? event : undefined),
};

/** One attempt, no waiting: a delivery is answered while the receiver is fetched. */
const LOOKUP_POLICY: RetryPolicy = { maxAttempts: 1, maxTotalWaitMs: 0, baseDelayMs: 0 };
const LOOKUP_TIMEOUT_MS = 3_000;

const payloadOf = (record: IDataObject): IDataObject => (isObject(record.payload) ? record.payload : {});

/** How long a delivery is remembered: CleverReach's retries of an unanswered delivery come within this. */
const MEMORY_SECONDS = 24 * 3600;

/** What a record is about (the receiver in its group, the form, the group...): its events replace each other. */
function subjectOf(receiver: string, record: IDataObject): string {
	const payload = payloadOf(record);
	const category = String(record.event ?? '').split('.')[0];
	return [receiver, category, String(record.condition ?? ''), firstText(payload.group_id) ?? '', firstText(payload.pool_id, payload.id) ?? ''].join('|');
}

const memoryKey = (subject: string, event: string, record: IDataObject) => `${subject}|${event}|${JSON.stringify(payloadOf(record))}`;

/**
 * CleverReach deliveries carry no id or time, so a repeat is told by its content: the same event with the same
 * payload as the last delivery about the same subject. Each new delivery forgets the subject's other events,
 * so subscribed → unsubscribed → subscribed runs three times, while a retried copy of any of them runs once.
 */
function checkDeliveryRepeats(memory: SeenStore, received: ReceivedDelivery): RepeatCheck {
	const keys = received.records.map((record) => {
		const subject = subjectOf(received.receiver, record);
		const event = String(record.event ?? '');
		const category = event.split('.')[0];
		const siblings = HOOK_EVENTS.filter((other) => other !== event && other.startsWith(`${category}.`));
		return { key: memoryKey(subject, event, record), siblings: siblings.map((other) => memoryKey(subject, other, record)) };
	});
	const repeats = checkRepeats(memory, { whole: keys.map(({ key }) => key), eventIds: [], eventKey: (id) => id }, MEMORY_SECONDS, received.now);
	if (!repeats.duplicate) for (const { siblings } of keys) for (const key of siblings) memory.drop?.(key);
	return repeats;
}

/** CleverReach's part of a delivery: the call token, the event in the package's shape, the receiver's email. */
export const cleverReachDeliveries: DeliveryHandling = {
	provider: 'CleverReach',
	async verify(context, received, memory): Promise<DeliveryVerdict> {
		const presented = firstHeader(received, CALL_TOKEN_HEADER);
		if (!presented) return { accepted: false, refusal: REFUSAL.unsigned, detail: 'no X-CR-Calltoken header' };
		const tokens = Object.values((context.getWorkflowStaticData('node') as TriggerState).callTokens ?? {}).filter(Boolean);
		if (!tokens.some((token) => safeEqual(token, presented))) {
			return { accepted: false, refusal: REFUSAL.invalidSignature, detail: 'X-CR-Calltoken is not the call token of this hook' };
		}
		return { accepted: true, ...checkDeliveryRepeats(memory, received) };
	},
	// Hooks are registered for the selected events only: nothing needs to be left out here.
	offeredEvents: [],
	eventIdOf: () => undefined,
	toEvent(record, received): EmailEvent {
		const payload = payloadOf(record);
		return emailEvent({
			event: firstText(record.event),
			email: firstText(payload.email, payload.receiver_email),
			messageId: firstText(payload.mailing_id),
			timestamp: firstText(payload.stamp, payload.timestamp) ?? received.now,
			provider: 'cleverReach',
			raw: record,
		});
	},
	async completeEvents(context, events) {
		const options = context.getNodeParameter('options', {}) as { fetchReceiver?: boolean };
		if (options.fetchReceiver === false) return events;
		return await Promise.all(
			events.map(async (event) => {
				const payload = payloadOf(event.raw);
				const groupId = firstText(payload.group_id);
				const poolId = firstText(payload.pool_id, payload.id);
				if (event.email || !groupId || !poolId || !String(event.raw.event ?? '').startsWith('receiver.')) return event;
				try {
					const receiver = await cleverReachRequest(
						context,
						{
							method: 'GET',
							path: fillPath(requestPath('/v3/groups/{group_id}/receivers/{pool_id}'), { group_id: groupId, pool_id: poolId }),
							idempotent: true,
							timeout: LOOKUP_TIMEOUT_MS,
						},
						{ policy: LOOKUP_POLICY },
					);
					return { ...event, email: firstText(receiver.email) ?? null, raw: { ...event.raw, receiver } };
				} catch (error) {
					// A deleted receiver (receiver.deleted) or a slow API: the event still starts the workflow.
					context.logger.warn(`CleverReach Trigger could not fetch receiver ${poolId} of group ${groupId}: ${(error as Error).message}`);
					return event;
				}
			}),
		);
	},
};

/** The CleverReach Trigger's webhook methods: the kit's, with CleverReach's URL check (the call token and the secret it sends). */
export const cleverReachTrigger = webhookTriggerMethods({
	registration: cleverReachHooks,
	deliveries: cleverReachDeliveries,
	async handshake(context) {
		const token = await verifyToken(context);
		return await answerHandshake(context, { parameter: 'secret', answer: (value) => `${token} ${value}` });
	},
});
