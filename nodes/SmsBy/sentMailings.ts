import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { clock } from '../shared/util/clock';

/**
 * How the SMS.by Trigger learns of the mailings the SMS.by node of its workflow sent.
 *
 * n8n 2.40 gives a node no shared store: each execution loads the workflow's static data from the
 * database and writes the whole of it back when done, while an active polling trigger keeps the copy it
 * loaded at activation, never reads the database again, and writes its whole copy back when it emits.
 * So a send's static data never reaches a running trigger, and the trigger's next save erases it.
 * Two hand-offs remain, and the node uses both:
 * - in-process: the send notes the mailing in this module, which the trigger reads at its next poll.
 *   It works where the send runs in the process that polls: n8n's regular mode (not a queue-mode worker);
 * - static data: the send also writes the mailing to the workflow's static data, which the trigger reads
 *   when the workflow is activated (n8n starts, the workflow is published): a send whose process is not the
 *   trigger's is watched from then on, if the trigger has not written its own state over it meanwhile.
 * Once the trigger has seen a mailing, it keeps it in its own static data (across restarts).
 */

/** Workflow static data (global) where the node remembers the mailings it sent. */
export const SENT_MAILINGS_KEY = 'smsBySentMailings';
/** Mailings remembered at most per workflow (newest kept). */
export const MAX_SENT_MAILINGS = 200;

export interface SentMailing {
	id: string;
	sentAt: number;
}

/** Mailings sent in this process, by workflow id (the in-process hand-off). */
const sentInProcess = new Map<string, SentMailing[]>();

function withMailing(list: SentMailing[], mailing: SentMailing): SentMailing[] {
	return [...list.filter((entry) => entry.id !== mailing.id), mailing].slice(-MAX_SENT_MAILINGS);
}

const storedList = (state: IDataObject) => (Array.isArray(state[SENT_MAILINGS_KEY]) ? (state[SENT_MAILINGS_KEY] as unknown as SentMailing[]) : []);

/** Called by the SMS.by node for each mailing it created (Send to List, Bulk Send, Send Personal). */
export function recordSentMailing(context: IExecuteFunctions, id: string): void {
	const mailing = { id, sentAt: clock().now() };
	const workflowId = String(context.getWorkflow().id ?? '');
	if (workflowId) sentInProcess.set(workflowId, withMailing(sentInProcess.get(workflowId) ?? [], mailing));
	const state = context.getWorkflowStaticData('global');
	state[SENT_MAILINGS_KEY] = withMailing(storedList(state), mailing) as unknown as IDataObject[];
}

/** The mailings the trigger's workflow is known to have sent: noted in this process or in its static data. */
export function sentMailingsOf(context: IPollFunctions): SentMailing[] {
	const workflowId = String(context.getWorkflow().id ?? '');
	const stored = storedList(context.getWorkflowStaticData('global'));
	const noted = workflowId ? sentInProcess.get(workflowId) ?? [] : [];
	return noted.reduce(withMailing, stored);
}
