import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../shared/http/errors';
import { emailEvent } from '../shared/trigger/events';
import type { ProviderClient, RequestFields } from '../shared/model/operation';
import { changedRows, POLL_DEFAULTS } from '../shared/trigger/polling';
import type { StatusRow } from '../shared/trigger/polling';
import type { OperationDefinition } from '../shared/model/operation';
import { statusBulkEmail } from './descriptions/BulkDescription';
import { getEmailDeliveryList } from './descriptions/EmailDescription';
import { MAX_SENT_MAILINGS, recordSentMailing, sentMailingsOf } from './sentMailings';
import { recipientsOfBulkStatus, smsByCall, smsByRequest } from './transport';
import { clock } from '../shared/util/clock';

export { SENT_MAILINGS_KEY } from './sentMailings';

/** Which answer field names the mailing a send created, by method: what the delivery-status methods take. */
const MAILING_ID_OF: Record<string, string> = {
	'/api/v2/sendEmailByList': 'message_id',
	'/api/v2/sendBulkEmail': 'uuid',
};

/** The node's requests; a mailing it created is remembered for the SMS.by Trigger of its workflow (see sentMailings.ts). */
export const smsByClient: ProviderClient = {
	async call(context: IExecuteFunctions, operation: OperationDefinition, fields: RequestFields, itemIndex: number): Promise<IDataObject> {
		const answer = await smsByRequest(context, operation, fields, itemIndex);
		const key = MAILING_ID_OF[operation.path];
		const id = key ? (answer.result as IDataObject | undefined)?.[key] : undefined;
		if (id !== undefined && id !== null && id !== '') recordSentMailing(context, String(id));
		return answer;
	},
};


/** Statuses after which a recipient's letter changes no more (a refused address has none). */
const FINAL_STATUSES = new Set(['UNDELIVERED', 'CLICK']);
/** How far a letter got: a manual run's sample shows the furthest first among equally new changes. */
const STATUS_ORDER = ['REFUSED', 'SENT', 'DELIVERED', 'UNDELIVERED', 'OPEN', 'CLICK'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the trigger keeps per watched mailing in its static data. */
interface MailingState {
	/** When the trigger began watching it. */
	since: number;
	/** Sent by this workflow's SMS.by node (kept so that it is not taken for a new one later). */
	sent?: boolean;
	/** Its first read is news (sent after the trigger started): emitted, not taken as the baseline. */
	news?: boolean;
	/** Digests of (recipient, status) as last read (see changedRows). */
	rows?: string;
	/** When it was last read: the least recently read go first when a poll cannot read them all. */
	readAt?: number;
	/** Every recipient's status is final, or Watch For (Days) passed: read no more. */
	done?: boolean;
	/** SMS.by answered that it knows no such mailing, and the user was told once. */
	reported?: boolean;
}
type MailingStates = Record<string, MailingState>;

/** Node static data: the mailings, and when the first poll of the active workflow ran. */
const MAILINGS_KEY = 'mailings';
const STARTED_KEY = 'startedAt';
/** Static data of earlier versions (a shared cursor of seen keys, capped; the watch list). */
const LEGACY_KEYS = ['pollCursor', 'watchedMailings'];

interface Recipient extends StatusRow {
	final: boolean;
}

/** One row per recipient of a mailing: a mailing ID (Send to List) or a bulk mailing's uuid (Bulk Send / Send Personal). */
async function recipientRows(context: IPollFunctions, mailing: string): Promise<IDataObject[]> {
	if (UUID.test(mailing)) {
		const answer = recipientsOfBulkStatus(await smsByCall(context, statusBulkEmail, { uuid: mailing }));
		return answer.result as IDataObject[];
	}
	const answer = await smsByCall(context, getEmailDeliveryList, { message_id: mailing });
	return (Array.isArray(answer.result) ? answer.result : []) as IDataObject[];
}

function toRecipient(mailing: string, row: IDataObject, polledAt: string): Recipient {
	const status = row.refused === true ? 'REFUSED' : String(row.status ?? '').toUpperCase();
	return {
		key: String(row.email_id ?? row.email ?? ''),
		status,
		final: row.refused === true || FINAL_STATUSES.has(status),
		event: emailEvent({
			event: row.refused === true ? 'rejected' : row.status,
			email: row.email,
			messageId: row.email_id,
			// The API gives no time of a status: the time the trigger saw it.
			timestamp: polledAt,
			provider: 'smsBy',
			raw: { ...row, mailing },
		}),
	};
}

function typedMailings(context: IPollFunctions): string[] {
	const ids = String(context.getNodeParameter('mailingIds', '') ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	for (const id of ids) {
		if (!/^\d+$/.test(id) && !UUID.test(id)) {
			throw new NodeOperationError(context.getNode(), `Mailing IDs: "${id}" is neither a mailing ID nor a bulk mailing uuid`, {
				description: 'Use the message_id of Send to List, or the uuid of Bulk → Send / Send Personal.',
			});
		}
	}
	return [...new Set(ids)];
}

/**
 * The mailings to watch with what the trigger knows of each: the typed ones, and (Watch Mailings Sent by
 * This Workflow) those its SMS.by node sent, newest kept. Mailings no longer watched are left out (forgotten).
 */
function watchList(context: IPollFunctions, previous: MailingStates, now: number, started: boolean): MailingStates {
	const typed = typedMailings(context);
	const watchSent = context.getNodeParameter('watchSentMailings', true) as boolean;
	const sentBefore = watchSent ? Object.keys(previous).filter((id) => previous[id].sent) : [];
	const sent = watchSent ? [...new Set([...sentBefore, ...sentMailingsOf(context).map((mailing) => mailing.id)])].slice(-MAX_SENT_MAILINGS) : [];
	const list: MailingStates = {};
	for (const id of typed) list[id] = { ...(previous[id] ?? { since: now }) };
	for (const id of sent) {
		const known = previous[id];
		list[id] = known ? { ...known, sent: true } : { since: now, sent: true, ...(started && !list[id] ? { news: true } : {}) };
	}
	return list;
}

const isNotFound = (error: unknown) => (error as { httpCode?: string }).httpCode === '404';

interface MailingRead {
	id: string;
	recipients?: Recipient[];
	notFound?: boolean;
}

/**
 * Reads the mailings' recipients, least recently read first, until half the poll's time budget is spent
 * (n8n abandons a poll that outlives it; the rest is read next time). A mailing SMS.by does not know is
 * marked; any other failure fails the poll.
 */
async function readMailings(context: IPollFunctions, ids: string[], states: MailingStates): Promise<MailingRead[]> {
	const startedAt = clock().now();
	const budgetMs = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() / 2 : Infinity;
	const polledAt = new Date(startedAt).toISOString();
	const order = [...ids].sort((a, b) => (states[a].readAt ?? 0) - (states[b].readAt ?? 0));
	const reads: MailingRead[] = [];
	for (const id of order) {
		if (reads.length && clock().now() - startedAt > budgetMs) break;
		try {
			reads.push({ id, recipients: (await recipientRows(context, id)).map((row) => toRecipient(id, row, polledAt)) });
		} catch (error) {
			if (!isNotFound(error)) throw asNodeError(context.getNode(), error);
			reads.push({ id, notFound: true });
		}
	}
	return reads;
}

const items = (recipients: Recipient[]): INodeExecutionData[][] | null =>
	recipients.length ? [recipients.map((recipient) => ({ json: recipient.event }))] : null;

function unknownMailingError(context: IPollFunctions, ids: string[]) {
	return new NodeOperationError(context.getNode(), `Mailing IDs: SMS.by knows no mailing ${ids.join(', ')}`, {
		description:
			'Correct or remove it in Mailing IDs (a message_id of Send to List, or a uuid of Bulk → Send / Send Personal). The trigger goes on watching the other mailings.',
	});
}

/**
 * Tells the user once about typed mailings SMS.by does not know, without stopping the others: a warning
 * in n8n's log and a failed execution in the workflow's executions list (which also runs its error
 * workflow). Mailings the workflow sent are not reported: SMS.by may not list a new mailing yet.
 */
function reportUnknown(context: IPollFunctions, ids: string[]) {
	if (!ids.length) return;
	const error = unknownMailingError(context, ids);
	context.logger.warn(`${error.message}. ${error.description}`);
	if (typeof context.__emitError === 'function') context.__emitError(error);
}

/** Mailings watched longer than Watch For (Days) are done: their rows are forgotten. */
function expireMailings(states: MailingStates, now: number, watchMs: number): void {
	for (const [id, mailing] of Object.entries(states)) {
		if (!mailing.done && now - mailing.since >= watchMs) states[id] = { since: mailing.since, sent: mailing.sent, done: true };
	}
}

/**
 * The trigger's poll. Each watched mailing's recipients are read whole; a recipient whose status is not
 * the one of the last read is a change, emitted once. The first poll of an active workflow, and the first
 * read of a typed mailing, record the statuses as they are (the baseline); a mailing this workflow sent
 * after that is news from its first read. A mailing whose recipients are all final, or watched longer
 * than Watch For (Days), is read no more.
 */
export async function pollMailings(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (context.getMode() === 'manual') return await sampleMailings(context);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const watchMs = Number(options.watchDays ?? 7) * 86_400_000;
	const state = context.getWorkflowStaticData('node');
	const now = clock().now();
	const started = state[STARTED_KEY] !== undefined || state.pollCursor !== undefined;
	const previous = (state[MAILINGS_KEY] ?? state.watchedMailings ?? {}) as MailingStates;
	const states = watchList(context, previous, now, started);
	expireMailings(states, now, watchMs);
	const active = Object.keys(states).filter((id) => !states[id].done);
	const reads = await readMailings(context, active, states);

	const changes: Recipient[] = [];
	const unknown: string[] = [];
	for (const { id, recipients, notFound } of reads) {
		const mailing = states[id];
		if (notFound || !recipients) {
			if (!mailing.sent && !mailing.reported) unknown.push(id);
			states[id] = { ...mailing, reported: mailing.reported || !mailing.sent, readAt: now };
			continue;
		}
		const { changed, remember } = changedRows(mailing.rows, recipients);
		if (mailing.rows !== undefined || mailing.news) changes.push(...changed);
		const done = recipients.length > 0 && recipients.every((recipient) => recipient.final);
		states[id] = done ? { since: mailing.since, sent: mailing.sent, done } : { since: mailing.since, sent: mailing.sent, rows: remember, readAt: now };
	}
	reportUnknown(context, unknown);
	for (const key of LEGACY_KEYS) delete state[key];
	// Fresh objects, so that n8n notices the change and saves it.
	state[MAILINGS_KEY] = states as unknown as IDataObject;
	state[STARTED_KEY] ??= now;
	return items(changes);
}

const rank = (recipient: Recipient) => STATUS_ORDER.indexOf(recipient.status);

/**
 * A manual run ("Fetch Test Event"): the newest changes across the watched mailings, the state left
 * alone. The changes since the trigger's last read come first, then the statuses that got furthest
 * (an opened or clicked letter changed after a delivered one), mailings sent last first among equals.
 * A typed mailing SMS.by does not know fails the test, so that the user sees it at once.
 */
async function sampleMailings(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const state = context.getWorkflowStaticData('node');
	const previous = (state[MAILINGS_KEY] ?? {}) as MailingStates;
	const states = watchList(context, previous, clock().now(), false);
	const ids = Object.keys(states).filter((id) => !states[id].done);
	const reads = await readMailings(context, ids, states);
	const unknown = reads.filter((read) => read.notFound && !states[read.id].sent).map((read) => read.id);
	if (unknown.length) throw unknownMailingError(context, unknown);
	const candidates = reads.flatMap(({ id, recipients = [] }) => {
		const pending = new Set(changedRows(states[id].rows, recipients).changed);
		return recipients.map((recipient) => ({ recipient, pending: pending.has(recipient), order: ids.indexOf(id) }));
	});
	candidates.sort((a, b) => Number(b.pending) - Number(a.pending) || rank(b.recipient) - rank(a.recipient) || b.order - a.order);
	return items(candidates.slice(0, POLL_DEFAULTS.sampleSize).map((candidate) => candidate.recipient));
}
