import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ProviderFailure } from '../shared/http/errors';
import type { RequestFields } from '../shared/model/operation';
import { toRequestSpec } from '../shared/input/fields';
import type { RetryPolicy } from '../shared/http/retry';
import { getCachedCredentials, sendRequest } from '../shared/http/transport';
import type { ProviderProfile, RequestContext } from '../shared/http/transport';
import type { OperationDefinition, RequestSpec } from '../shared/model/operation';
import { isObject } from '../shared/util/object';
import { CREDENTIAL } from './descriptions/common';

/** CleverReach's REST server; the credential's hidden REST Server URL (restUrl) overrides it (test servers). */
export const DEFAULT_REST_URL = 'https://rest.cleverreach.com';

/**
 * The format suffix CleverReach's own code writes in v3 paths: after the resource when an id follows
 * (`groups.json/{id}/receivers`, `blacklist.json/{email}`), else at the end (`debug/whoami.json`,
 * `receivers/filter.json`, `groups.json`). The changelog writes the paths without it; both forms are
 * served (INFERRED). '' sends the paths exactly as the changelog writes them.
 */
export const PATH_SUFFIX = '.json';

/**
 * Longest query string a receiver list sends as a GET; a longer email_list/id_list goes to
 * POST /v3/groups/{id}/get_receivers (the 2025/06 route for big lists) instead. URLs beyond about 2,000
 * characters are refused by some proxies.
 */
export const MAX_QUERY_LENGTH = 1800;

/** A v3 path template with CleverReach's suffix (see PATH_SUFFIX); other paths (hooks) unchanged. */
export function requestPath(template: string, suffix = PATH_SUFFIX): string {
	const match = /^\/v3\/([^/]+)(\/.*)?$/.exec(template);
	if (!suffix || !match) return template;
	const [, resource, rest = ''] = match;
	return rest.startsWith('/{') ? `/v3/${resource}${suffix}${rest}` : `${template}${suffix}`;
}

export function restUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const value = String(credentials.restUrl ?? '').trim().replace(/\/+$/, '');
	// An unresolved expression (never stored by n8n) would be no URL.
	return value && !value.startsWith('=') ? value : DEFAULT_REST_URL;
}

/**
 * CleverReach answers errors as {"error":{"code":<int>,"message":"..."}}; the code may differ from the
 * HTTP status (ICore's validateResponse).
 */
export const cleverReachProfile: ProviderProfile = {
	name: 'CleverReach',
	detectFailure(statusCode: number, body: unknown): ProviderFailure | undefined {
		const error = isObject(body) && isObject(body.error) ? body.error : undefined;
		if (error) {
			return {
				httpCode: statusCode,
				body,
				errors: [{ code: error.code !== undefined ? String(error.code) : String(statusCode), message: error.message as string | undefined }],
			};
		}
		return undefined;
	},
	hint(failure) {
		if (failure.httpCode === 401 || failure.errors.some((error) => error.code === '401')) {
			return 'Reconnect the "CleverReach OAuth2 API" credential: REST v3 accepts only v3 tokens issued by OAuth.';
		}
		if (failure.httpCode === 413) return 'CleverReach took none of this request: it was larger than it accepts.';
		return undefined;
	},
	errorCodes: {
		'401': 'the token is not valid for REST v3',
		'404': 'not found',
	},
};

/**
 * Whether CleverReach's 403 message leaves the reason open (a bare "Forbidden") or names a missing scope,
 * token right or permission: then the operation's own 403 hint (which scope, or which special permission)
 * helps. A message with another reason ("group 1 is locked") stands alone: a scope hint would send the user
 * to reconnect a credential that is fine.
 */
export function forbiddenNeedsHint(message: string | undefined): boolean {
	const rest = (message ?? '')
		.toLowerCase()
		.replace(/forbidden|access denied|not allowed|http\s*403|403|[^a-z]+/g, ' ')
		.trim();
	return rest === '' || /scope|permission|token|right|authori[sz]/.test(rest);
}

/** CleverReach's profile for one call whose 403 means `forbidden` unless CleverReach's own message says why. */
function withForbiddenHint(forbidden: string): ProviderProfile {
	return {
		...cleverReachProfile,
		detectFailure(statusCode, body) {
			const failure = cleverReachProfile.detectFailure(statusCode, body);
			if (!failure) return undefined;
			const errors = failure.errors.map((error) => {
				if (error.code !== '403' || !forbiddenNeedsHint(error.message)) return error;
				const message = error.message?.trim();
				return { ...error, message: message ? `${message} (${forbidden})` : forbidden };
			});
			return { ...failure, errors };
		},
	};
}

async function restUrl(context: RequestContext): Promise<string> {
	return restUrlOf(await getCachedCredentials(context, CREDENTIAL));
}

/** CleverReach answers some lists as a bare JSON array: output keeps them under `data`. */
function asObject(answer: unknown): IDataObject {
	if (Array.isArray(answer)) return { data: answer as IDataObject[] };
	const data = (answer as IDataObject).data;
	// A JSON string that reached us unparsed ("\"Essential\"").
	if (typeof data === 'string' && /^".*"$/s.test(data.trim())) {
		try {
			return { data: JSON.parse(data.trim()) as string };
		} catch {
			return answer as IDataObject;
		}
	}
	return answer as IDataObject;
}

function queryLength(qs: IDataObject | undefined): number {
	return new URLSearchParams(Object.entries(qs ?? {}).map(([key, value]): [string, string] => [key, String(value)])).toString().length;
}

/**
 * Operations whose answer is a JSON string (a form's HTML, the plan's name, a JWT): n8n hands it over
 * already parsed, as text, which must not read as malformed JSON.
 */
const TEXT_ANSWERS = new Set(['form:getCode', 'client:getPlan', 'client:getToken']);

/** Operations keyed "resource:operation". */
const BIG_LIST_ROUTE: Record<string, string> = { 'receiver:getAll': '/v3/groups/{id}/get_receivers' };

/** The request of one operation: v3 path with its suffix, on the credential's server. */
export function cleverReachSpec(operation: OperationDefinition, fields: RequestFields): RequestSpec {
	let spec = toRequestSpec({ ...operation, path: requestPath(operation.path) }, fields);
	const bigListPath = BIG_LIST_ROUTE[`${operation.resource}:${operation.operation}`];
	if (bigListPath && queryLength(spec.qs) > MAX_QUERY_LENGTH) {
		// The same filters in the body of CleverReach's route for big email_list/id_list parameters.
		spec = toRequestSpec({ ...operation, method: 'POST', path: requestPath(bigListPath) }, { ...fields, body: { ...fields.qs }, qs: {} });
		spec.idempotent = true;
	}
	if (TEXT_ANSWERS.has(`${operation.resource}:${operation.operation}`)) spec.expects = 'text';
	if (operation.batch) {
		// Insert and the upserts take the receivers themselves as the body: [{...}, ...].
		spec.listBody = (spec.body?.[operation.batch.recordsKey] ?? []) as IDataObject[];
		delete spec.body;
	}
	return spec;
}

/** Sends one v3 request (node, pickers, trigger). */
export async function cleverReachRequest(
	context: RequestContext,
	spec: RequestSpec,
	options: { itemIndex?: number; operationTitle?: string; errorCodes?: Record<string, string>; policy?: RetryPolicy } = {},
): Promise<IDataObject> {
	// The 403 meaning is added by the profile, only where CleverReach's message does not say why already.
	const { '403': forbidden, ...errorCodes } = options.errorCodes ?? {};
	const profile = forbidden ? withForbiddenHint(forbidden) : cleverReachProfile;
	const answer = await sendRequest(context, CREDENTIAL, { ...spec, baseUrl: spec.baseUrl ?? (await restUrl(context)) }, profile, { ...options, errorCodes });
	return asObject(answer);
}

/** The node's client: one operation of one item. */
export async function cleverReachCall(
	context: IExecuteFunctions,
	operation: OperationDefinition,
	fields: RequestFields,
	itemIndex: number,
): Promise<IDataObject> {
	return await cleverReachRequest(context, cleverReachSpec(operation, fields), {
		itemIndex,
		operationTitle: operation.title,
		errorCodes: operation.errorCodes,
	});
}

/** A GET of a v3 list for the pickers. */
async function listOf(context: RequestContext, path: string, qs?: IDataObject): Promise<IDataObject[]> {
	const answer = await cleverReachRequest(context, { method: 'GET', path: requestPath(path), qs, idempotent: true });
	return Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [];
}

function filtered(records: IDataObject[], filter: string | undefined, label: (record: IDataObject) => string): INodeListSearchResult {
	const needle = (filter ?? '').trim().toLowerCase();
	const results = records
		.map((record) => ({ name: label(record), value: String(record.id) }))
		.filter((result) => !needle || result.name.toLowerCase().includes(needle) || result.value.includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export async function searchGroups(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	return filtered(await listOf(context, '/v3/groups'), filter, (group) => String(group.name ?? group.id));
}

export async function searchForms(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	return filtered(await listOf(context, '/v3/forms'), filter, (form) => String(form.name ?? form.id));
}

export async function searchMailings(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	// Drafts first: they are what Update and Release work on.
	const lists = await Promise.all(['draft', 'finished'].map(async (state) => await listOf(context, '/v3/mailings', { state })));
	return filtered(lists.flat(), filter, (mailing) => String(mailing.name ?? mailing.subject ?? mailing.id));
}

export async function searchAttributes(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	return filtered(await listOf(context, '/v3/attributes'), filter, (attribute) =>
		`${String(attribute.description || attribute.name)} (${String(attribute.name)}${attribute.group_id && attribute.group_id !== '0' ? `, group ${String(attribute.group_id)}` : ''})`,
	);
}
