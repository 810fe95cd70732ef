import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';

export const ACCOUNT_CREDENTIAL = 'emailGatewayApi';
export const SENDER_CREDENTIAL = 'emailGatewaySenderApi';
export const COMMAND_PATH = '/api.php';

/** Event names of the command API (EmailGateway.AddWebhook / GetEvents). */
export const COMMAND_EVENTS = ['delivery', 'bounce', 'open', 'click', 'unsubscribe', 'complaint'];

export const COMMAND_EVENT_OPTIONS = COMMAND_EVENTS.map((event) => ({
	name: event.charAt(0).toUpperCase() + event.slice(1),
	value: event,
}));

/** Event names of the /api/v1 webhooks endpoint. */
export const SENDER_EVENT_OPTIONS = ['delivered', 'bounced', 'opened', 'clicked', 'unsubscribed', 'complained'].map((event) => ({
	name: event.charAt(0).toUpperCase() + event.slice(1),
	value: event,
}));

/** Names of the credentials in the Authentication option of operations both keys serve. */
export const CREDENTIAL_LABELS: Record<string, string> = {
	[ACCOUNT_CREDENTIAL]: 'Account API Key',
	[SENDER_CREDENTIAL]: 'Sender API Key',
};

/**
 * The sender domain an operation works on: picked from the account's domains (searchable) or given by
 * ID. A plain ID saved by the earlier dropdown still reads as that ID.
 */
export const domainField: FieldDefinition = {
	displayName: 'Domain',
	name: 'domainId',
	apiName: 'DomainID',
	type: 'resourceLocator',
	locator: { searchMethod: 'searchDomains', searchable: true, idPattern: '[0-9]+', idPlaceholder: 'e.g. 123' },
	required: true,
	default: '',
	description: 'Sender domain, from the list or by its ID',
};

/** A command of the `/api.php` API, authenticated with the account API key. */
export function command(
	definition: Omit<OperationDefinition, 'method' | 'path' | 'credential' | 'fields' | 'idempotent'> & {
		fields?: FieldDefinition[];
		idempotent?: boolean;
	},
): OperationDefinition {
	return {
		method: 'POST',
		path: COMMAND_PATH,
		credential: ACCOUNT_CREDENTIAL,
		fields: [],
		idempotent: false,
		...definition,
	};
}

/** An "end user friendly" `/api/v1/*` endpoint, authenticated with the sender-domain API key. */
export function senderEndpoint(
	definition: Omit<OperationDefinition, 'credential' | 'fields'> & { fields?: FieldDefinition[] },
): OperationDefinition {
	return { credential: SENDER_CREDENTIAL, fields: [], ...definition };
}

/** The limit Email Gateway documents for its /api/v1 endpoints, per sender key (Request Options → Pacing keeps it). */
export const SENDER_RATE_LIMIT = { requests: 100, perMs: 60_000 };
/** That limit in words, for the Pacing option. */
export const DOCUMENTED_LIMIT = 'Email Gateway /api/v1: 100 requests per 60 s per sender key';

/** Errors every `/api/v1/*` endpoint can return. */
export const SENDER_API_ERRORS: Record<string, string> = {
	'2': 'Invalid user account',
	'13': 'Invalid SenderAPIKey',
	'429': 'Too many requests: the API allows 100 requests per 60 seconds',
};

/** The optional StartDate / EndDate pair: whole days for commands, instants for the v1 API. */
export function dateRangeFields(format: 'date' | 'unixTime', what = 'events'): FieldDefinition[] {
	const unit = format === 'date' ? 'day' : 'time';
	return [
		{ displayName: 'Start Date', name: 'startDate', apiName: 'StartDate', type: 'dateTime', default: '', format, description: `Only ${what} on or after this ${unit}` },
		{ displayName: 'End Date', name: 'endDate', apiName: 'EndDate', type: 'dateTime', default: '', format, description: `Only ${what} on or before this ${unit}` },
	];
}
