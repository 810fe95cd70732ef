import type { IDataObject, IExecuteFunctions, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../http/errors';

/** A webhook as the provider lists it. */
export interface RemoteWebhook {
	id: string;
	url: string;
	/** False for a hook the provider keeps but no longer calls (archived, disabled); absent means active. */
	active?: boolean;
	/**
	 * The keys (as `wanted()` names them) this hook serves on the target it was listed for; what Check
	 * Trigger Webhooks compares (shared/trigger/health.ts). A hook serving none of them (another target) lists none.
	 */
	events?: string[];
}

/**
 * What a provider folder fills in for its trigger's webhook lifecycle. The kit does the rest the same way
 * for every provider: ids kept in the node's static data, `checkExists` by stored id AND URL, stale hooks of
 * this node removed before a new registration, a partial registration rolled back, a hook that is already
 * gone tolerated on removal.
 */
export interface WebhookRegistration {
	/** Static-data field of the place the hooks are registered on (a domain, a list); stored to find them later. */
	targetField: string;
	/** Further static-data fields kept with the hooks (a signing key, a call token); cleared with them. */
	extraFields?: readonly string[];
	/** The place the hooks go now (the node's parameter); '' for an account-wide hook. */
	target(context: IHookFunctions): string;
	/** One key per hook to register (an event name; a single key for one hook taking every event). */
	wanted(context: IHookFunctions): string[];
	/**
	 * The hooks registered on the target, with any state fields worth refreshing (a rotated signing key).
	 * Also called from an action node (Check Trigger Webhooks), hence the execute context.
	 */
	list(context: IHookFunctions | IExecuteFunctions, target: string): Promise<{ webhooks: RemoteWebhook[]; state?: IDataObject }>;
	/** Registers one hook; its id. */
	add(context: IHookFunctions, target: string, key: string, url: string): Promise<string>;
	/** Deletes one hook, or archives it where the API has no delete. */
	remove(context: IHookFunctions, target: string, id: string): Promise<void>;
	/** True for an error of remove() saying the hook (or its target) no longer exists. */
	isGone(error: unknown): boolean;
	/** State fields to store once every hook is registered (a signing key, a call token). */
	afterCreate?(context: IHookFunctions, target: string, ids: Record<string, string>): Promise<IDataObject>;
	/** The failure of a registration in the user's terms (a URL the provider refuses); undefined: the provider's own error. */
	explainAddError?(context: IHookFunctions, error: unknown, url: string): Error | undefined;
	/** Message when no hook is wanted (no event chosen). */
	nothingWantedMessage?: string;
}

type LifecycleState = IDataObject & { webhooks?: Record<string, string> };

/** The node's state holds a registration (hook ids): create() made it and n8n has saved it. */
export function hasRegistration(state: IDataObject): boolean {
	const { webhooks } = state as LifecycleState;
	return !!webhooks && typeof webhooks === 'object' && Object.keys(webhooks).length > 0;
}

const stateOf = (context: IHookFunctions) => context.getWorkflowStaticData('node') as LifecycleState;

function clearState(state: LifecycleState, registration: WebhookRegistration) {
	for (const field of ['webhooks', registration.targetField, ...(registration.extraFields ?? [])]) delete state[field];
}

async function removeQuietly(context: IHookFunctions, registration: WebhookRegistration, target: string, id: string) {
	try {
		await registration.remove(context, target, id);
	} catch (error) {
		if (!registration.isGone(error)) throw asNodeError(context.getNode(), error);
	}
}

/** Removes what this node registered earlier, wherever it is (another target, an old URL). */
async function removeStored(context: IHookFunctions, registration: WebhookRegistration, state: LifecycleState) {
	const target = state[registration.targetField];
	if (!state.webhooks || typeof target !== 'string') return;
	for (const id of Object.values(state.webhooks)) await removeQuietly(context, registration, target, id);
}

/** `webhookMethods.default` of a trigger built on the registration. */
export function webhookLifecycle(registration: WebhookRegistration) {
	return {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const state = stateOf(this);
			const target = registration.target(this);
			const wanted = registration.wanted(this);
			const stored = state.webhooks;
			if (!stored || state[registration.targetField] !== target) return false;
			if (wanted.some((key) => !stored[key])) return false;
			const url = this.getNodeWebhookUrl('default');
			const listed = await registration.list(this, target);
			// Only our stored ids count, and only while they still call our URL.
			const allThere = wanted.every((key) =>
				listed.webhooks.some((webhook) => webhook.id === stored[key] && webhook.url === url && webhook.active !== false),
			);
			if (allThere && listed.state) Object.assign(state, listed.state);
			return allThere;
		},

		async create(this: IHookFunctions): Promise<boolean> {
			const state = stateOf(this);
			const target = registration.target(this);
			const url = this.getNodeWebhookUrl('default') as string;
			const wanted = registration.wanted(this);
			if (wanted.length === 0) {
				throw new NodeOperationError(this.getNode(), registration.nothingWantedMessage ?? 'Events: choose at least one event');
			}
			// What an earlier activation registered (on another target, or with an old URL), then whatever still
			// calls our URL on this target (static data lost, e.g. a re-imported workflow): events never arrive twice.
			await removeStored(this, registration, state);
			clearState(state, registration);
			const existing = await registration.list(this, target);
			for (const webhook of existing.webhooks.filter((candidate) => candidate.url === url && candidate.active !== false)) {
				await removeQuietly(this, registration, target, webhook.id);
			}
			const created: Record<string, string> = {};
			try {
				for (const key of wanted) created[key] = await registration.add(this, target, key, url);
			} catch (error) {
				for (const id of Object.values(created)) await removeQuietly(this, registration, target, id);
				throw registration.explainAddError?.(this, error, url) ?? asNodeError(this.getNode(), error);
			}
			const extra = registration.afterCreate ? await registration.afterCreate(this, target, created) : {};
			Object.assign(state, extra, { [registration.targetField]: target, webhooks: created });
			return true;
		},

		async delete(this: IHookFunctions): Promise<boolean> {
			const state = stateOf(this);
			// A real error (a wrong key) throws here and keeps the ids, so a later deactivation can retry.
			await removeStored(this, registration, state);
			clearState(state, registration);
			return true;
		},
	};
}
