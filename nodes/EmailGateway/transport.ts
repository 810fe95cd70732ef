import type { IDataObject, IExecuteFunctions, INodeListSearchResult } from 'n8n-workflow';

import { asNodeError } from '../shared/http/errors';
import type { ProviderErrorEntry, ProviderFailure } from '../shared/http/errors';
import type { RequestFields } from '../shared/model/operation';
import { toRequestSpec } from '../shared/input/fields';
import type { RetryPolicy } from '../shared/http/retry';
import { sendRequest } from '../shared/http/transport';
import type { ProviderProfile, RequestContext } from '../shared/http/transport';
import type { OperationDefinition } from '../shared/model/operation';
import { ACCOUNT_CREDENTIAL, COMMAND_PATH, SENDER_RATE_LIMIT } from './descriptions/common';
import { getDomains } from './descriptions/DomainDescription';

function entriesFromCommandError(body: IDataObject): ProviderErrorEntry[] {
	const codes = Array.isArray(body.ErrorCode) ? body.ErrorCode : [body.ErrorCode];
	const message = (body.ErrorMessage ?? body.ErrorText) as string | undefined;
	return codes
		.filter((code) => code !== undefined && code !== null)
		.map((code, index) => ({ code: String(code), message: index === 0 ? message : undefined }));
}

const ACCOUNT_KEY_HINT =
	'Check the Base URL and API key of the "Email Gateway API" credential (Settings → API keys in Email Gateway).';
const SENDER_KEY_HINT =
	'Check the API key in the "Email Gateway Sender API" credential: it must be a key of the sender domain (Domain → API Key).';

function rateLimitHint(failure: ProviderFailure): string | undefined {
	if (failure.errors.some((error) => error.code === '429') || failure.httpCode === 429) {
		return 'The API allows 100 requests per 60 seconds per key.';
	}
	return undefined;
}

/** "Too many requests. Wait for 12 seconds for another 100 attempts." */
const WAIT_FOR = /\bwait for (\d+(?:\.\d+)?) seconds?\b/i;

/**
 * Octeth's /api/v1 endpoints report their rate limit as {"Errors":[{"Code":429,"Message":"Too many requests.
 * Wait for 12 seconds for another 100 attempts."}]}, with HTTP 429 or with HTTP 200; the wait is in the text.
 */
export function emailGatewayRateLimit(failure: ProviderFailure): { delayMs?: number } | undefined {
	const entry = failure.errors.find((error) => error.code === '429');
	if (!entry && failure.httpCode !== 429) return undefined;
	const seconds = (entry ?? failure.errors.find((error) => WAIT_FOR.test(error.message ?? '')))?.message?.match(WAIT_FOR)?.[1];
	return seconds === undefined ? {} : { delayMs: Math.ceil(Number(seconds) * 1000) };
}

/**
 * Email Gateway answers command errors with HTTP 200 and {Success:false, ErrorCode, ErrorMessage},
 * and /api/v1 errors with {Errors:[{Code, Message}]}.
 */
export const emailGatewayProfile: ProviderProfile = {
	name: 'Email Gateway',
	rateLimit: emailGatewayRateLimit,
	detectFailure(statusCode: number, body: unknown): ProviderFailure | undefined {
		const data = (body && typeof body === 'object' ? body : {}) as IDataObject;
		if (Array.isArray(data.Errors) && data.Errors.length) {
			return {
				httpCode: statusCode,
				body,
				errors: (data.Errors as IDataObject[]).map((error) => ({
					code: error.Code !== undefined ? String(error.Code) : undefined,
					message: error.Message as string | undefined,
				})),
			};
		}
		if (data.Success === false) {
			return { httpCode: statusCode, body, errors: entriesFromCommandError(data) };
		}
		// Any other HTTP error is shaped by the shared transport as a status ("HTTP status 502 Bad Gateway"),
		// not as an error code of Octeth's.
		return undefined;
	},
	hint(failure) {
		// Commands authenticate with the account key; a refused key is code 99998 ("Authentication failed").
		// Other texts that mention "API key" (DeleteAPI code 2: "API key not found") are about a parameter.
		const refused =
			failure.httpCode === 401 ||
			failure.httpCode === 403 ||
			failure.errors.some((error) => error.code === '99998' || /authenticat|session/i.test(error.message ?? ''));
		if (refused) return ACCOUNT_KEY_HINT;
		return rateLimitHint(failure);
	},
};

/** The /api/v1 endpoints: same envelopes, but they authenticate with the sender-domain key. */
export const emailGatewaySenderProfile: ProviderProfile = {
	...emailGatewayProfile,
	documentedLimit: SENDER_RATE_LIMIT,
	hint(failure) {
		// Codes differ per endpoint (code 1 is "Missing SenderAPIKey" or "WebhookID is missing"): go by status and text.
		const refused =
			failure.httpCode === 401 ||
			failure.httpCode === 403 ||
			failure.errors.some((error) => error.code === '13' || /SenderAPIKey|invalid user account/i.test(error.message ?? ''));
		if (refused) return SENDER_KEY_HINT;
		return rateLimitHint(failure);
	},
};

/**
 * Calls one `EmailGateway.*` command with the account API key (the node, the trigger and the domain
 * pickers all use it); errors carry that command's documented title and codes.
 */
export async function emailGatewayCommand(
	context: RequestContext,
	operation: OperationDefinition,
	body: IDataObject,
	options: { itemIndex?: number; policy?: RetryPolicy; timeout?: number } = {},
): Promise<IDataObject> {
	return await sendRequest(
		context,
		ACCOUNT_CREDENTIAL,
		{
			method: 'POST',
			path: COMMAND_PATH,
			body: { Command: operation.command, ResponseFormat: 'JSON', ...body },
			idempotent: operation.idempotent,
			timeout: options.timeout,
		},
		emailGatewayProfile,
		{
			itemIndex: options.itemIndex,
			operationTitle: operation.title,
			errorCodes: operation.errorCodes,
			policy: options.policy,
		},
	);
}

/**
 * Send Email's HTML body key. Octeth's reference and the seed's error 10 ("Missing HTMLContent") say
 * HTMLContent, the seed's parameter table HtmlContent: one is sent, never both (that doubled the request).
 */
export const HTML_CONTENT_KEYS = ['HTMLContent', 'HtmlContent'] as const;
type HtmlContentKey = (typeof HTML_CONTENT_KEYS)[number];

/** The HTML key a run switched to after error 10, by the run's execute context: used for the rest of that run. */
const htmlKeyOfRun = new WeakMap<object, HtmlContentKey>();

/** Error 10, "Missing HTMLContent": the API refused the mail for its content key, so nothing was sent. */
function isMissingHtmlContent(error: unknown): boolean {
	const codes = (error as { context?: { providerCodes?: unknown } })?.context?.providerCodes;
	return Array.isArray(codes) && codes.includes('10');
}

/** The fields with the HTML content (buildBody puts it under HTMLContent) under the given key. */
function withHtmlKey(fields: RequestFields, key: HtmlContentKey): RequestFields {
	const { HTMLContent: html, ...body } = fields.body;
	return { ...fields, body: { ...body, [key]: html } };
}

async function sendToV1(context: IExecuteFunctions, operation: OperationDefinition, fields: RequestFields, itemIndex: number): Promise<IDataObject> {
	return await sendRequest(
		context,
		operation.credential,
		toRequestSpec(operation, fields),
		emailGatewaySenderProfile,
		{ itemIndex, operationTitle: operation.title, errorCodes: operation.errorCodes },
	);
}

/**
 * Send Email with HTML content under one key. Error 10 proves the mail was not accepted: it is sent once
 * more under the other key, and the run keeps the key that was not refused.
 */
async function sendEmail(context: IExecuteFunctions, operation: OperationDefinition, fields: RequestFields, itemIndex: number): Promise<IDataObject> {
	if (fields.body.HTMLContent === undefined) return await sendToV1(context, operation, fields, itemIndex);
	const key = htmlKeyOfRun.get(context) ?? HTML_CONTENT_KEYS[0];
	try {
		return await sendToV1(context, operation, withHtmlKey(fields, key), itemIndex);
	} catch (error) {
		if (!isMissingHtmlContent(error)) throw asNodeError(context.getNode(), error, itemIndex);
		const other = key === HTML_CONTENT_KEYS[0] ? HTML_CONTENT_KEYS[1] : HTML_CONTENT_KEYS[0];
		htmlKeyOfRun.set(context, other);
		return await sendToV1(context, operation, withHtmlKey(fields, other), itemIndex);
	}
}

/** Sends one operation of the node: a command, or an /api/v1 endpoint with the sender key. */
export async function emailGatewayRequest(
	context: IExecuteFunctions,
	operation: OperationDefinition,
	fields: RequestFields,
	itemIndex: number,
): Promise<IDataObject> {
	if (operation.command) {
		return await emailGatewayCommand(context, operation, fields.body, { itemIndex });
	}
	if (operation.resource === 'email' && operation.operation === 'send') return await sendEmail(context, operation, fields, itemIndex);
	return await sendToV1(context, operation, fields, itemIndex);
}

/** The Domain locator's "From List": the account's sender domains whose name or ID contains the filter. */
export async function searchDomains(context: RequestContext, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const domains = await loadDomainOptions(context);
	return {
		results: domains.filter((domain) => !needle || domain.name.toLowerCase().includes(needle) || domain.value.includes(needle)),
	};
}

/** Options for domain pickers: the account's sender domains. */
export async function loadDomainOptions(context: RequestContext) {
	const response = await emailGatewayCommand(context, getDomains, {});
	const domains = (response.Domains ?? []) as IDataObject[];
	return domains
		.map((domain) => ({ name: String(domain.DomainName ?? domain.SenderDomain ?? domain.DomainID), value: String(domain.DomainID) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
