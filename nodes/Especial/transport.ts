import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../shared/http/errors';
import type { ProviderErrorEntry, ProviderFailure } from '../shared/http/errors';
import type { RequestFields } from '../shared/model/operation';
import { toRequestSpec } from '../shared/input/fields';
import { collectPages } from '../shared/execution/pagination';
import type { RetryPolicy } from '../shared/http/retry';
import { sendRequest } from '../shared/http/transport';
import type { ProviderProfile, RequestContext } from '../shared/http/transport';
import type { RequestSpec } from '../shared/model/operation';
import type { GeneratedOperation } from './descriptions/types';
import { ESPECIAL_CREDENTIAL } from './descriptions/common';

/** Where FastAPI says a field is: "body", "query", "path" first, then the field's path ("contacts", 3, "email"). */
const PLACES: Record<string, string> = { body: 'the body', query: 'the query', path: 'the URL' };

/** One entry of the FastAPI `detail` list in words: the field it names (where), its message and type. */
function entryOf(detail: IDataObject): ProviderErrorEntry {
	const loc = Array.isArray(detail.loc) ? detail.loc.map(String) : [];
	const [place, ...fieldPath] = loc;
	const field = PLACES[place] ? fieldPath.join('.') : loc.join('.');
	const where = field ? `field "${field}"${PLACES[place] ? ` in ${PLACES[place]}` : ''}: ` : '';
	const message = `${where}${String(detail.msg ?? detail.message ?? 'error')}`;
	const code = detail.code ?? detail.type;
	return { code: code === undefined || code === null ? undefined : String(code), message };
}

/**
 * Especial answers errors FastAPI's way: `{detail: [{loc, msg, type}]}` (422 validation, 400 with type
 * bad_request, 401/403 with a code), or `{detail: "text"}`; each entry becomes one readable message
 * naming the field.
 */
export function especialFailure(statusCode: number, body: unknown): ProviderFailure | undefined {
	if (statusCode < 400) return undefined;
	const data = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const detail = data.detail;
	if (Array.isArray(detail) && detail.length) {
		return { httpCode: statusCode, body, errors: detail.map((entry) => entryOf((entry ?? {}) as IDataObject)) };
	}
	if (typeof detail === 'string' && detail.trim()) return { httpCode: statusCode, body, errors: [{ message: detail.trim() }] };
	return undefined;
}

export const especialProfile: ProviderProfile = {
	name: 'Especial',
	detectFailure: especialFailure,
	expirableTokenProperty: 'accessToken',
	hint(failure) {
		if (failure.httpCode === 401) return 'Check the Username and Password of the Especial credential.';
		if (failure.httpCode === 403) {
			return 'The Especial user may not do this: check its role, and the Account ID (a sub-account needs a partner user).';
		}
		if (failure.httpCode === 422) return 'Fix the named field of this item and run again.';
		if (failure.httpCode === 429) return 'Especial is rate limiting the account: lower the batch size or add a Wait node.';
		return undefined;
	},
	errorCodes: { unauthorized: 'Not authenticated', forbidden: 'Not allowed for this user', bad_request: 'Bad request' },
};

/** The request of one operation: its method, path, query and body, encoded as the operation says. */
export function especialRequestSpec(operation: GeneratedOperation, fields: RequestFields): RequestSpec {
	const spec = toRequestSpec(operation, fields);
	// A body the specification describes as a whole (no properties) is one JSON field with no API name.
	if (spec.body && '' in spec.body) {
		const { '': whole, ...rest } = spec.body;
		spec.body = { ...(whole && typeof whole === 'object' ? (whole as IDataObject) : {}), ...rest };
	}
	if (operation.bodyType) spec.bodyType = operation.bodyType;
	if (operation.expects) spec.expects = operation.expects;
	return spec;
}

/** Sends one operation of the node. */
export async function especialRequest(
	context: IExecuteFunctions,
	operation: GeneratedOperation,
	fields: RequestFields,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		return await sendRequest(context, ESPECIAL_CREDENTIAL, especialRequestSpec(operation, fields), especialProfile, {
			itemIndex,
			operationTitle: operation.title,
		});
	} catch (error) {
		// A refused field is this item's to fix: the message names it, as the node's own input checks do.
		if (error instanceof NodeApiError && error.httpCode === '422') error.message = `${error.message} (item ${itemIndex + 1})`;
		throw asNodeError(context.getNode(), error, itemIndex);
	}
}

/** A plain API call (trigger, dropdowns): method, path, query and body. */
export async function especialCall(
	context: RequestContext,
	request: Omit<RequestSpec, 'idempotent'> & { idempotent?: boolean },
	options: { title?: string; policy?: RetryPolicy } = {},
): Promise<IDataObject> {
	return await sendRequest(
		context,
		ESPECIAL_CREDENTIAL,
		{ ...request, idempotent: request.idempotent ?? request.method !== 'POST' },
		especialProfile,
		{ operationTitle: options.title, policy: options.policy },
	);
}

/**
 * Every entry of a paged listing (`page` / `per_page`, `data`), up to `max`. `with_count` makes the API
 * report its total (`pagination.count`), so the last page ends the reading without asking for an empty one.
 */
export async function listAll(context: RequestContext, path: string, qs: IDataObject = {}, max = 1000): Promise<IDataObject[]> {
	return await collectPages(
		{ style: 'page', pageKey: 'page', perPageKey: 'per_page', firstPage: 1, maxPageSize: 100, itemsKey: 'data', totalKey: 'pagination.count' },
		{ returnAll: false, limit: max },
		async (page) => await especialCall(context, { method: 'GET', path, qs: { ...qs, with_count: true, ...page } }),
	);
}

/** The list the node's List field holds now, for the dropdowns of things inside a list. */
function currentListId(context: ILoadOptionsFunctions): string | undefined {
	const value = context.getCurrentNodeParameter('listId') as unknown;
	const id = value && typeof value === 'object' ? (value as IDataObject).value : value;
	return id === undefined || id === null || String(id).trim() === '' ? undefined : encodeURIComponent(String(id).trim());
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The dropdowns of the node: the account's lists, senders, templates and tags, a list's segments, attributes and interests. */
export const especialLoadOptions = {
	async getLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const lists = await listAll(this, '/lists');
		return lists.map((list) => ({ name: String(list.name ?? list.id), value: String(list.id) })).sort(byName);
	},
	async getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const senders = await listAll(this, '/brands/default/senders');
		return senders
			.map((sender) => ({ name: `${String(sender.name ?? '')} <${String(sender.email ?? '')}>`.trim(), value: String(sender.id) }))
			.sort(byName);
	},
	async getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const templates = await listAll(this, '/templates');
		return templates.map((template) => ({ name: String(template.name ?? template.id), value: String(template.id) })).sort(byName);
	},
	async getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const tags = await listAll(this, '/tags');
		return tags.map((tag) => ({ name: String(tag.tag ?? tag.name), value: String(tag.tag ?? tag.name) })).sort(byName);
	},
	async getSegments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const listId = currentListId(this);
		if (!listId) return [];
		const segments = await listAll(this, `/lists/${listId}/segments`);
		return segments.map((segment) => ({ name: String(segment.name ?? segment.id), value: String(segment.id) })).sort(byName);
	},
	async getCustomAttributes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const listId = currentListId(this);
		if (!listId) return [];
		const attributes = await listAll(this, `/lists/${listId}/custom-attributes`);
		return attributes
			.map((attribute) => ({ name: String(attribute.name), value: String(attribute.name), description: attribute.type ? `Type: ${String(attribute.type)}` : undefined }))
			.sort(byName);
	},
	async getInterests(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const listId = currentListId(this);
		if (!listId) return [];
		const interests = await listAll(this, `/lists/${listId}/interests`);
		return interests.map((interest) => ({ name: String(interest.name), value: String(interest.name) })).sort(byName);
	},
};
