import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';

export const CREDENTIAL = 'cleverReachOAuth2Api';

/** Said in the description of the calls the changelog marks "* needs special permission by CleverReach". */
export const SPECIAL_PERMISSION = 'Needs a special permission that CleverReach grants on request.';

type EndpointInput = Omit<OperationDefinition, 'credential' | 'fields' | 'idempotent'> & {
	fields?: FieldDefinition[];
	idempotent?: boolean;
	/** The changelog marks the call "* needs special permission by CleverReach". */
	specialPermission?: boolean;
	/** Neither the changelog nor CleverReach's public code (PHP SDK, integration core) names this v3 path. */
	unconfirmed?: boolean;
};

/** Said in the description of a call whose path rests on no public source (see EndpointInput.unconfirmed). */
export const UNCONFIRMED = 'Unconfirmed: CleverReach\'s changelog and public code do not name this v3 route; it may answer 404.';

/** A description followed by notes (sentences), each ending with one period. */
function withNotes(description: string, notes: string[]): string {
	const added = notes.filter(Boolean);
	if (!added.length) return description;
	return [description, ...added].map((sentence) => sentence.replace(/\.$/, '')).join('. ') + '.';
}

/**
 * One REST v3 endpoint. Reads, updates and deletes by id are safe to repeat; a POST is not unless it says
 * so. A 403 names what is missing: CleverReach's special permission, or the token's scope for this part.
 */
export function endpoint({ specialPermission, unconfirmed, ...definition }: EndpointInput): OperationDefinition {
	const forbidden = specialPermission
		? `this call needs a special permission by CleverReach ("${definition.title}"): ask CleverReach support to enable it for your account or OAuth app`
		: `the token has no scope for ${definition.resource}s: add that scope to the OAuth app in CleverReach and reconnect the credential`;
	return {
		credential: CREDENTIAL,
		fields: [],
		idempotent: definition.method !== 'POST',
		...definition,
		description: withNotes(definition.description, [specialPermission ? SPECIAL_PERMISSION : '', unconfirmed ? UNCONFIRMED : '']),
		errorCodes: { '403': forbidden, ...(definition.errorCodes ?? {}) },
	};
}

/** A thing CleverReach numbers (group, form, mailing, attribute), picked from its list or by its numeric ID, in the path. */
function numberedThingField(thing: { label: string; name: string; searchMethod: string; example: string; description: string }, apiName: string): FieldDefinition {
	return {
		displayName: thing.label,
		name: thing.name,
		apiName,
		type: 'resourceLocator',
		location: 'path',
		locator: { searchMethod: thing.searchMethod, searchable: true, idPattern: '[0-9]+', idPlaceholder: `e.g. ${thing.example}` },
		required: true,
		default: '',
		description: thing.description,
	};
}

export function groupField(apiName = 'id', overrides: Partial<FieldDefinition> = {}): FieldDefinition {
	const group = { label: 'Group', name: 'groupId', searchMethod: 'searchGroups', example: '123456', description: 'Group (receiver list), from the list or by its ID' };
	return { ...numberedThingField(group, apiName), ...overrides };
}

export const formField = (apiName = 'id'): FieldDefinition =>
	numberedThingField({ label: 'Form', name: 'formId', searchMethod: 'searchForms', example: '98765', description: 'Form, from the list or by its ID' }, apiName);

export const mailingField = (apiName = 'id'): FieldDefinition =>
	numberedThingField({ label: 'Mailing', name: 'mailingId', searchMethod: 'searchMailings', example: '4567890', description: 'Mailing, from the list or by its ID' }, apiName);

export const attributeField = (apiName = 'id'): FieldDefinition =>
	numberedThingField(
		{ label: 'Attribute', name: 'attributeId', searchMethod: 'searchAttributes', example: '112233', description: 'Attribute, from the list (the global attributes) or by its ID (also a group attribute)' },
		apiName,
	);

/** A receiver of a group, by its ID (pool_id) or its email address: CleverReach takes either in the path. */
export function receiverField(apiName = 'pool_id'): FieldDefinition {
	return {
		displayName: 'Receiver ID or Email',
		name: 'receiverId',
		apiName,
		type: 'string',
		location: 'path',
		required: true,
		default: '',
		placeholder: 'e.g. 1234567 or jane@example.com',
		description: 'The receiver\'s ID or email address',
	};
}

export function clientField(): FieldDefinition {
	return {
		displayName: 'Client ID',
		name: 'clientId',
		apiName: 'id',
		type: 'string',
		location: 'path',
		// CleverReach's customer numbers are numeric.
		pattern: '[0-9]+',
		required: true,
		default: '',
		placeholder: 'e.g. 123456',
		description: 'Customer number of the CleverReach account (Debug → Who Am I shows it as its ID)',
	};
}

/** The email address of a receiver, checked before anything is sent. */
export function emailField(overrides: Partial<FieldDefinition> = {}): FieldDefinition {
	return {
		displayName: 'Email',
		name: 'email',
		apiName: 'email',
		type: 'string',
		format: 'email',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		...overrides,
	};
}
