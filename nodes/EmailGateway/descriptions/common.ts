import type { FieldDefinition, OperationDefinition } from '../../shared/types';

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

export const domainField: FieldDefinition = {
	displayName: 'Domain Name or ID',
	name: 'domainId',
	apiName: 'DomainID',
	type: 'options',
	loadOptionsMethod: 'getDomains',
	required: true,
	default: '',
	description:
		'Sender domain. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
