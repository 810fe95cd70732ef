import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldDefinition, OperationContext, OperationDefinition, RequestFields } from '../model/operation';
import type { RemoteWebhook, WebhookRegistration } from './webhookLifecycle';

/**
 * "Check Trigger Webhooks": whether the provider still has the webhooks a trigger registered. n8n does
 * not check them when it starts (an active workflow's webhook rows exist, so it skips checkExists and
 * create): webhooks the provider lost meanwhile leave the workflow active and deaf. A scheduled workflow
 * runs this check and, when `healthy` is false, deactivates and activates the trigger's workflow (which
 * registers the webhooks again). The check reads the provider's list through the trigger's own
 * registration (WebhookRegistration.list) and maps events with the trigger's own mapping, so the two
 * never disagree.
 */

/** A provider's part of the check: given to checkTriggerOperation by the description that lists the operation. */
export interface TriggerWebhookCheck {
	/** Name in messages ("Email Gateway"). */
	provider: string;
	/** The trigger's registration: its list() is what the check reads. */
	registration: WebhookRegistration;
	/** The registration key of one of the trigger's Events values (the trigger's own mapping); undefined: that event gets no webhook. */
	keyOf(event: string): string | undefined;
	/** The target to list when the operation has no target field (an account-wide hook). */
	defaultTarget?: string;
}

/** API names the check's fields are read under. */
const TRIGGER_URL = 'triggerUrl';
const TARGET = 'target';
const EVENTS = 'events';

export const CHECK_TRIGGER_OPERATION = 'checkTrigger';

/** The report of one check. */
export interface TriggerWebhookReport {
	healthy: boolean;
	url: string;
	target: string | null;
	/** The events checked (those of the chosen events that get a webhook), as the trigger names them. */
	expected: string[];
	/** The active webhooks at the URL serving an expected event. */
	registered: Array<{ event: string; id: string }>;
	/** Expected events without any webhook at the URL. */
	missing: string[];
	/** Expected events whose webhooks at the URL are all inactive (archived, disabled). */
	inactive: string[];
	/** Expected events with more than one active webhook at the URL (each delivery arrives more than once). */
	duplicates: string[];
	provider: string;
	message: string;
}

const list = (values: string[]) => values.join(', ');

function messageOf(report: Omit<TriggerWebhookReport, 'message'>): string {
	const total = report.expected.length;
	const where = `at ${report.provider} for ${report.url}`;
	if (report.healthy) {
		return `${total === 1 ? 'The webhook' : `All ${total} webhooks`} registered ${where}: ${list(report.expected)}.`;
	}
	const problems: string[] = [];
	if (report.missing.length) problems.push(`${report.missing.length} of ${total} webhooks missing ${where}: ${list(report.missing)}.`);
	if (report.inactive.length) {
		problems.push(`${report.inactive.length} of ${total} webhooks inactive (archived or disabled) ${where}: ${list(report.inactive)}.`);
	}
	if (report.duplicates.length) {
		problems.push(`Registered more than once ${where}, so their events arrive several times: ${list(report.duplicates)}.`);
	}
	problems.push("Deactivate and activate the trigger's workflow to register them again.");
	return problems.join(' ');
}

/**
 * The report for the trigger URL, target and events: what the provider lists at exactly that URL (as the
 * trigger compares it), per event. Missing webhooks are not an error: `healthy` is false and a workflow
 * can branch on it.
 */
export function triggerWebhookReport(
	check: TriggerWebhookCheck,
	webhooks: RemoteWebhook[],
	request: { url: string; target: string | null; events: string[] },
): TriggerWebhookReport {
	const atUrl = webhooks.filter((webhook) => webhook.url === request.url);
	const expected = request.events.filter((event) => check.keyOf(event) !== undefined);
	const report: Omit<TriggerWebhookReport, 'message'> = {
		healthy: true,
		url: request.url,
		target: request.target,
		expected,
		registered: [],
		missing: [],
		inactive: [],
		duplicates: [],
		provider: check.provider,
	};
	for (const event of expected) {
		const key = check.keyOf(event) as string;
		const serving = atUrl.filter((webhook) => webhook.events?.includes(key));
		const active = serving.filter((webhook) => webhook.active !== false);
		report.registered.push(...active.map((webhook) => ({ event, id: webhook.id })));
		if (!active.length) (serving.length ? report.inactive : report.missing).push(event);
		if (active.length > 1) report.duplicates.push(event);
	}
	report.healthy = !report.missing.length && !report.inactive.length && !report.duplicates.length;
	return { ...report, message: messageOf(report) };
}

/** `run` of a Check Trigger Webhooks operation: its fields were read and checked before any request. */
async function runCheck(check: TriggerWebhookCheck, context: OperationContext, fields: RequestFields): Promise<IDataObject> {
	const url = String(fields.body[TRIGGER_URL]);
	const events = (fields.body[EVENTS] ?? []) as string[];
	const given = fields.body[TARGET];
	const target = given === undefined || given === '' ? null : String(given);
	if (!events.some((event) => check.keyOf(event) !== undefined)) {
		throw new NodeOperationError(context.ctx.getNode(), `Events: none of ${list(events)} gets a webhook at ${check.provider} (item ${context.itemIndex + 1})`, {
			itemIndex: context.itemIndex,
			description: "Choose the events the trigger listens to, as in the trigger's Events.",
		});
	}
	const listed = await check.registration.list(context.ctx, target ?? check.defaultTarget ?? '');
	return triggerWebhookReport(check, listed.webhooks, { url, target, events }) as unknown as IDataObject;
}

/** The trigger's target field (its domain, its group) as the check reads it. */
function asTargetField(field: FieldDefinition): FieldDefinition {
	return { ...field, apiName: TARGET, location: 'body' };
}

/**
 * The Check Trigger Webhooks operation of a provider node: Trigger URL (the trigger's Production URL,
 * http(s) checked), the trigger's target field if it has one, and Events with the trigger's own option
 * values. `request` is what the check sends (the catalog's method and path: the list request).
 */
export function checkTriggerOperation(definition: {
	resource: string;
	credential: string;
	trigger: string;
	/** The trigger's registration and event mapping: what the operation reads and compares. */
	check: TriggerWebhookCheck;
	request: Pick<OperationDefinition, 'method' | 'path' | 'command'>;
	eventOptions: INodePropertyOptions[];
	defaultEvents: string[];
	target?: FieldDefinition;
	errorCodes?: Record<string, string>;
}): OperationDefinition {
	const fields: FieldDefinition[] = [
		{
			displayName: 'Trigger URL',
			name: 'triggerUrl',
			apiName: TRIGGER_URL,
			type: 'string',
			required: true,
			default: '',
			format: 'url',
			location: 'body',
			placeholder: 'https://n8n.example.com/webhook/0f7c.../webhook',
			description: `The Production URL of the ${definition.trigger} to check (open the trigger, Webhook URLs, Production URL)`,
		},
		...(definition.target ? [asTargetField(definition.target)] : []),
		{
			displayName: 'Events',
			name: 'events',
			apiName: EVENTS,
			type: 'multiOptions',
			required: true,
			default: [...definition.defaultEvents],
			options: definition.eventOptions.map(({ name, value, description }) => ({ name, value: String(value), ...(description ? { description } : {}) })),
			location: 'body',
			description: `The events chosen in the ${definition.trigger}: one webhook is expected for each`,
		},
	];
	return {
		resource: definition.resource,
		operation: CHECK_TRIGGER_OPERATION,
		name: 'Check Trigger Webhooks',
		action: "Check a trigger's webhooks",
		description: `Whether the webhooks of the ${definition.trigger} are still registered (healthy, missing, inactive, duplicates), for a scheduled health check`,
		title: 'Check Trigger Webhooks',
		...definition.request,
		credential: definition.credential,
		fields,
		idempotent: true,
		...(definition.errorCodes ? { errorCodes: definition.errorCodes } : {}),
		run: async (context, fields) => await runCheck(definition.check, context, fields),
	};
}
