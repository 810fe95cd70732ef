import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emailEvent } from '../shared/events';
import type { ProviderClient, RequestFields } from '../shared/execute';
import { pollEvents } from '../shared/polling';
import type { PolledRecord } from '../shared/polling';
import type { OperationDefinition } from '../shared/types';
import { recipientsOfBulkStatus, smsByCall, smsByRequest } from './transport';

/** Workflow static data (global) where the node remembers the mailings it sent, for the trigger of the same workflow. */
export const SENT_MAILINGS_KEY = 'smsBySentMailings';
/** Mailings remembered at most (newest kept). */
const MAX_REMEMBERED_MAILINGS = 200;

/** Which answer field names the mailing a send created, by method: what the delivery-status methods take. */
const MAILING_ID_OF: Record<string, string> = {
	'/api/v2/sendEmailByList': 'message_id',
	'/api/v2/sendBulkEmail': 'uuid',
};

interface SentMailing {
	id: string;
	sentAt: number;
}

/** The node's requests; a mailing it created is remembered in the workflow's static data for the SMS.by Trigger. */
export const smsByClient: ProviderClient = {
	async call(context: IExecuteFunctions, operation: OperationDefinition, fields: RequestFields, itemIndex: number): Promise<IDataObject> {
		const answer = await smsByRequest(context, operation, fields, itemIndex);
		const key = MAILING_ID_OF[operation.path];
		const id = key ? (answer.result as IDataObject | undefined)?.[key] : undefined;
		if (id !== undefined && id !== null && id !== '') {
			const state = context.getWorkflowStaticData('global');
			const sent = ((state[SENT_MAILINGS_KEY] ?? []) as unknown as SentMailing[]).filter((mailing) => mailing.id !== String(id));
			state[SENT_MAILINGS_KEY] = [...sent, { id: String(id), sentAt: Date.now() }].slice(-MAX_REMEMBERED_MAILINGS) as unknown as IDataObject[];
		}
		return answer;
	},
};

/** Statuses after which a recipient's letter changes no more (a refused address has none). */
const FINAL_STATUSES = new Set(['UNDELIVERED', 'CLICK']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One row per recipient of a mailing: a mailing ID (Send to List) or a bulk mailing's uuid (Bulk Send / Send Personal). */
async function recipientRows(context: IPollFunctions, mailing: string): Promise<IDataObject[]> {
	if (UUID.test(mailing)) {
		const answer = recipientsOfBulkStatus(await smsByCall(context, '/api/v2/statusBulkEmail', { uuid: mailing }));
		return answer.result as IDataObject[];
	}
	const answer = await smsByCall(context, '/api/v2/getEmailDeliveryList', { message_id: mailing });
	return (Array.isArray(answer.result) ? answer.result : []) as IDataObject[];
}

const isFinal = (row: IDataObject) => row.refused === true || FINAL_STATUSES.has(String(row.status ?? '').toUpperCase());

/** When the trigger started watching each mailing, and whether every recipient's status is final. */
type WatchState = Record<string, { since: number; done?: boolean }>;
const WATCH_KEY = 'watchedMailings';

function watchedMailings(context: IPollFunctions): string[] {
	const node = context.getNode();
	const given = String(context.getNodeParameter('mailingIds', '') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	for (const id of given) {
		if (!/^\d+$/.test(id) && !UUID.test(id)) {
			throw new NodeOperationError(node, `Mailing IDs: "${id}" is neither a mailing ID nor a bulk mailing uuid`, {
				description: 'Use the message_id of Send to List, or the uuid of Bulk → Send / Send Personal.',
			});
		}
	}
	const sent = context.getNodeParameter('watchSentMailings', true) as boolean;
	const remembered = sent ? ((context.getWorkflowStaticData('global')[SENT_MAILINGS_KEY] ?? []) as unknown as SentMailing[]).map((mailing) => mailing.id) : [];
	return [...new Set([...given, ...remembered])];
}

/**
 * The trigger's poll: each watched mailing's recipients, one change per recipient and status
 * (`<mailing>:<letter>:<status>`), emitted once by the shared polling cursor. A mailing whose every
 * recipient is final, or watched longer than Watch For (Days), is read no more.
 */
export async function pollMailings(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const watchMs = Number(options.watchDays ?? 7) * 86_400_000;
	const manual = context.getMode() === 'manual';
	const state = context.getWorkflowStaticData('node');
	const watch: WatchState = { ...((state[WATCH_KEY] ?? {}) as WatchState) };
	const now = Date.now();
	const mailings = watchedMailings(context);
	for (const id of mailings) watch[id] ??= { since: now };
	const active = mailings.filter((id) => !watch[id].done && now - watch[id].since < watchMs);
	const finished = new Set<string>();
	const polledAt = new Date(now).toISOString();

	const result = await pollEvents(
		context,
		{
			async fetchPage({ page }) {
				const index = Number(page ?? 0);
				const mailing = active[index];
				if (mailing === undefined) return { records: [] };
				const rows = await recipientRows(context, mailing);
				if (rows.length && rows.every(isFinal)) finished.add(mailing);
				const records: PolledRecord[] = rows.map((row) => ({
					key: `${mailing}:${String(row.email_id ?? row.email ?? '')}:${row.refused === true ? 'REFUSED' : String(row.status ?? '')}`,
					event: emailEvent({
						event: row.refused === true ? 'rejected' : row.status,
						email: row.email,
						messageId: row.email_id,
						// The API gives no time of a status: the time the trigger saw it.
						timestamp: polledAt,
						provider: 'smsBy',
						raw: { ...row, mailing },
					}),
				}));
				return { records, next: index + 1 < active.length ? index + 1 : undefined };
			},
		},
		{ maxPages: 100 },
	);

	if (!manual) {
		for (const id of finished) watch[id] = { ...watch[id], done: true };
		// Mailings no longer given nor remembered are forgotten.
		const kept = Object.fromEntries(Object.entries(watch).filter(([id]) => mailings.includes(id)));
		state[WATCH_KEY] = kept as unknown as IDataObject;
	}
	return result;
}
