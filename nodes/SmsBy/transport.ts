import type { IDataObject, IExecuteFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ProviderFailure } from '../shared/http/errors';
import type { RequestFields } from '../shared/model/operation';
import { toRequestSpec } from '../shared/input/fields';
import { sendRequest } from '../shared/http/transport';
import type { ProviderProfile, RequestContext } from '../shared/http/transport';
import type { FileUpload, OperationDefinition, RequestSpec } from '../shared/model/operation';
import { isObject } from '../shared/util/object';
import { SMSBY_CREDENTIAL, SMSBY_ERRORS } from './descriptions/common';
import { getSubscriberLists } from './descriptions/MailingListDescription';

export const SMSBY_PROVIDER = 'SMS.by';

const TOKEN_HINT = 'Check the API key and the Base URL of the "SMS.by API" credential (SMS.by → Settings → API).';

/** The provider's own words from an error body: `message`, `error` (a text or {message, code}), or `errors`. */
function errorEntry(data: IDataObject, httpCode: number) {
	const error = data.error;
	const nested = isObject(error) ? error : undefined;
	const text = [data.message, typeof error === 'string' ? error : undefined, nested?.message, Array.isArray(data.errors) ? data.errors.join('; ') : undefined].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	) as string | undefined;
	const code = data.code ?? nested?.code ?? (httpCode >= 400 ? httpCode : undefined);
	return { code: code === undefined || code === null ? undefined : String(code), message: text };
}

/**
 * SMS.by answers {"status":"OK","result":...}; anything else is a failure, whatever the HTTP status: the
 * documented 400 / 404 / 421 / 429 / 500, or a 200 whose status is not OK.
 */
export const smsByProfile: ProviderProfile = {
	name: SMSBY_PROVIDER,
	errorCodes: SMSBY_ERRORS,
	detectFailure(statusCode: number, body: unknown): ProviderFailure | undefined {
		const data = isObject(body) ? body : {};
		if (statusCode < 400 && String(data.status ?? '').toUpperCase() === 'OK') return undefined;
		return { httpCode: statusCode, body, errors: [errorEntry(data, statusCode)] };
	},
	hint(failure) {
		const refused =
			failure.httpCode === 401 ||
			failure.httpCode === 403 ||
			failure.errors.some((error) => /token|api key|unauthori[sz]ed/i.test(error.message ?? ''));
		if (refused) return TOKEN_HINT;
		// The documented 421 ("Data not verified") is SMS.by's answer to a key it does not accept, whatever its text.
		if (failure.httpCode === 421) return `SMS.by answers 421 for an API key it does not accept and for data it has not verified (e.g. an unconfirmed sender address). ${TOKEN_HINT}`;
		if (failure.httpCode === 429) return 'SMS.by limits the requests per key: lower the number of items per run or add a Wait node.';
		return undefined;
	},
};

function isFile(value: unknown): value is FileUpload {
	return typeof value === 'object' && value !== null && Buffer.isBuffer((value as FileUpload).data);
}

/** Every call is a form; one with an attached file (read by the operation's finishBody) is multipart. */
export function smsBySpec(operation: OperationDefinition, fields: RequestFields): RequestSpec {
	const spec = toRequestSpec(operation, fields);
	const body = { ...(spec.body ?? {}) };
	const files = Object.entries(body).filter(([, value]) => isFile(value));
	for (const [key] of files) delete body[key];
	return files.length
		? { ...spec, body, bodyType: 'multipart', files: files.map(([, file]) => file as unknown as FileUpload) }
		: { ...spec, body, bodyType: 'form' };
}

/**
 * statusBulkEmail lists a mailing's letters under each of its parts (`success` rows with a status,
 * `errors` rows for addresses it refused): one row per recipient, so a refused address is one item.
 */
export function recipientsOfBulkStatus(answer: IDataObject): IDataObject {
	const mailings = Array.isArray(answer.result) ? (answer.result as IDataObject[]) : [];
	const rows = mailings.flatMap((mailing) => {
		const mailingFields = { message_id: mailing.message_id, name: mailing.name };
		const accepted = ((mailing.success ?? []) as IDataObject[]).map((row) => ({
			...mailingFields,
			email: row.recipient,
			email_id: row.email_id,
			status: row.status,
			error: row.error ?? null,
			refused: false,
		}));
		const refused = ((mailing.errors ?? []) as IDataObject[]).map((row) => ({
			...mailingFields,
			email: row.email,
			email_id: null,
			status: null,
			error: row.error,
			refused: true,
		}));
		return [...accepted, ...refused];
	});
	return { ...answer, result: rows };
}

const ANSWER_SHAPES: Record<string, (answer: IDataObject) => IDataObject> = {
	'/api/v2/statusBulkEmail': recipientsOfBulkStatus,
};

/** Sends one operation of the SMS.by node. */
export async function smsByRequest(
	context: IExecuteFunctions,
	operation: OperationDefinition,
	fields: RequestFields,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await sendRequest(context, operation.credential, smsBySpec(operation, fields), smsByProfile, {
		itemIndex,
		operationTitle: operation.title,
		errorCodes: operation.errorCodes,
	});
	return ANSWER_SHAPES[operation.path]?.(answer) ?? answer;
}

/** Calls an SMS.by method outside the node's operations (pickers, the trigger), with its documented title. */
export async function smsByCall(context: RequestContext, operation: OperationDefinition, body: IDataObject = {}): Promise<IDataObject> {
	return await sendRequest(
		context,
		SMSBY_CREDENTIAL,
		{ method: 'POST', path: operation.path, body, bodyType: 'form', idempotent: operation.idempotent },
		smsByProfile,
		{ operationTitle: operation.title, errorCodes: operation.errorCodes },
	);
}

/** The Mailing List locator's "From List": the account's lists whose name or ID contains the filter. */
export async function searchLists(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const answer = await smsByCall(context, getSubscriberLists);
	const lists = (Array.isArray(answer.result) ? answer.result : []) as IDataObject[];
	const options = lists
		.map((list) => ({ name: String(list.name ?? list.title ?? list.list_id ?? list.id), value: String(list.list_id ?? list.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results: options.filter((option) => !needle || option.name.toLowerCase().includes(needle) || option.value.includes(needle)) };
}
