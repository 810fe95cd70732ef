/**
 * Test-only trigger nodes built on the shared trigger pieces, standing in for the provider triggers to
 * come: a polling trigger over a provider's event log or delivery-status list (nodes/shared/trigger/polling.ts,
 * as SMS.by's will be) and a webhook trigger whose URL the provider verifies with a GET handshake
 * (nodes/shared/trigger/handshake.ts, as CleverReach's will be). They talk to the fakes in
 * test/shared/polling.test.ts and test/shared/handshake.test.ts over HTTP, through n8n's request helpers.
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { emailEvent } from '../../nodes/shared/trigger/events';
import { parseTime } from '../../nodes/shared/util/dates';
import { pollEvents } from '../../nodes/shared/trigger/polling';
import type { PolledRecord, PollSource } from '../../nodes/shared/trigger/polling';
import { answerHandshake, handshakeToken, handshakeWebhook, isHandshakeRequest } from '../../nodes/shared/trigger/handshake';

const description = (fields: Partial<INodeTypeDescription>): INodeTypeDescription =>
	({
		group: ['trigger'],
		version: 1,
		description: 'Test-only trigger',
		inputs: [],
		outputs: ['main'],
		...fields,
	}) as INodeTypeDescription;

/** A log row of the fake: `{ id, type, recipient, message_id, logged_at }`, times as the provider writes them. */
function logRecord(row: IDataObject, timeZone: string | undefined): PolledRecord {
	const time = parseTime(row.logged_at, timeZone);
	return {
		key: String(row.id),
		time,
		event: emailEvent({
			event: row.type,
			email: row.recipient,
			messageId: row.message_id,
			timestamp: time?.toISOString(),
			provider: 'testLog',
			raw: row,
		}),
	};
}

/** A delivery-list row (SMS.by's shape): `{ email_id, email, status }`, no time; a new status is a new change. */
function statusRecord(row: IDataObject): PolledRecord {
	return {
		key: `${String(row.email_id)}:${String(row.status)}`,
		event: emailEvent({ event: row.status, email: row.email, messageId: row.email_id, timestamp: undefined, provider: 'testStatus', raw: row }),
	};
}

export class PollingTestTrigger implements INodeType {
	description = description({
		displayName: 'Polling Test Trigger',
		name: 'pollingTestTrigger',
		defaults: { name: 'Polling Test Trigger' },
		polling: true,
		properties: [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				options: [
					{ name: 'Event Log', value: 'log' },
					{ name: 'Delivery Statuses', value: 'statuses' },
				],
				default: 'log',
			},
			{ displayName: 'Provider Time Zone', name: 'timeZone', type: 'string', default: '' },
			{ displayName: 'Max Pages', name: 'maxPages', type: 'number', default: 20 },
			// A log API that can only list newest first and cannot filter by time.
			{ displayName: 'Newest First Only', name: 'newestFirstOnly', type: 'boolean', default: false },
		],
	});

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const baseUrl = this.getNodeParameter('baseUrl') as string;
		const timeZone = (this.getNodeParameter('timeZone') as string) || undefined;
		const kind = this.getNodeParameter('source') as string;
		const source: PollSource = {
			fetchPage: async ({ purpose, since, page }) => {
				const qs: IDataObject = { page: page ?? 1 };
				if (kind === 'log') {
					// The latest records for a baseline or a sample; the rest of the time, everything since the cursor.
					const newestFirstOnly = this.getNodeParameter('newestFirstOnly') as boolean;
					qs.order = purpose === 'poll' && !newestFirstOnly ? 'asc' : 'desc';
					if (since && !newestFirstOnly) qs.since = Math.floor(since.getTime() / 1000);
				}
				const body = (await this.helpers.httpRequest({ method: 'GET', url: `${baseUrl}/${kind}`, qs, json: true })) as IDataObject;
				const rows = (body.rows as IDataObject[]) ?? [];
				// A baseline of a log needs only its newest page.
				const next = kind === 'log' && purpose === 'baseline' ? undefined : (body.next_page as number | undefined);
				return { records: rows.map((row) => (kind === 'log' ? logRecord(row, timeZone) : statusRecord(row))), next };
			},
		};
		return await pollEvents(this, source, { maxPages: this.getNodeParameter('maxPages') as number });
	}
}

/** The token the test provider gets with the registration, and the handshake answer built from it. */
const verifyToken = (context: IHookFunctions | IWebhookFunctions) =>
	(context.getNodeParameter('fixedVerifyToken', '') as string) || handshakeToken(context, context.getNodeParameter('signingSecret') as string);

export class HandshakeTestTrigger implements INodeType {
	description = description({
		displayName: 'Handshake Test Trigger',
		name: 'handshakeTestTrigger',
		defaults: { name: 'Handshake Test Trigger' },
		// The GET handshake first: n8n registers webhooks in this order, and the check comes during create().
		webhooks: [handshakeWebhook(), { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{ displayName: 'Provider URL', name: 'providerUrl', type: 'string', default: '' },
			{ displayName: 'Signing Secret', name: 'signingSecret', type: 'string', typeOptions: { password: true }, default: '' },
			// A given token instead of the derived one, to replay a provider's documented example.
			{ displayName: 'Fixed Verify Token', name: 'fixedVerifyToken', type: 'string', default: '' },
		],
	});

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const answer = (await this.helpers.httpRequest({
					method: 'POST',
					url: `${this.getNodeParameter('providerUrl') as string}/hooks`,
					body: { url: this.getNodeWebhookUrl('default'), event: 'receiver', verify: verifyToken(this) },
					json: true,
				})) as IDataObject;
				this.getWorkflowStaticData('node').callToken = answer.call_token;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (isHandshakeRequest(this)) {
			return await answerHandshake(this, { parameter: 'secret', answer: (secret) => `${verifyToken(this)} ${secret}` });
		}
		return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
	}
}
