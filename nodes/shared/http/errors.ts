import { ExpressionError, NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** One error as the provider reported it. */
export interface ProviderErrorEntry {
	code?: string;
	message?: string;
}

/** A request the provider answered with an error (whatever the HTTP status). */
export interface ProviderFailure {
	httpCode: number;
	errors: ProviderErrorEntry[];
	body: unknown;
}

export interface ErrorShapingInput {
	provider: string;
	/** The operation's title as the provider documents it, e.g. "Add a New Email Sender Domain". */
	operationTitle?: string;
	failure: ProviderFailure;
	/** Documented meaning per code, for this operation and for the whole API. */
	errorCodes?: Record<string, string>;
	itemIndex?: number;
	/** What the user can do about it. */
	hint?: string;
	/** Values that must never appear in an error (API keys, tokens). */
	secrets?: string[];
}

/** A secret as a provider may echo it: raw, URL-encoded (form bodies, query strings) or JSON-escaped. */
function secretForms(secret: string): string[] {
	return [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
	];
}

export function redact(text: string, secrets: string[] = []): string {
	const forms = [...new Set(secrets.filter((secret) => secret && secret.length >= 4).flatMap(secretForms))];
	// Longest first, so a secret that contains a shorter one is hidden whole, not left as "***tail".
	forms.sort((a, b) => b.length - a.length);
	let result = text;
	for (const form of forms) result = result.split(form).join('***');
	return result;
}

function describeEntry(entry: ProviderErrorEntry, errorCodes: Record<string, string>): string {
	const meaning = entry.code !== undefined ? errorCodes[entry.code] : undefined;
	// An empty message ("" from the provider) must not hide the documented meaning.
	const message = entry.message?.trim() || undefined;
	const text =
		message && meaning && message.toLowerCase() !== meaning.toLowerCase()
			? `${message} (${meaning})`
			: (message ?? meaning ?? 'Unknown error');
	return entry.code !== undefined ? `${text} [error code ${entry.code}]` : text;
}

/**
 * Turns a provider's error answer into a NodeApiError whose message carries the provider's own
 * message and code plus the documented meaning of that code, never a bare "Bad request".
 */
export function providerApiError(node: INode, input: ErrorShapingInput): NodeApiError {
	const { failure, provider, operationTitle, secrets } = input;
	const codes = input.errorCodes ?? {};
	const entries = failure.errors.length ? failure.errors : [{ message: `HTTP ${failure.httpCode}` }];
	const described = entries.map((entry) => describeEntry(entry, codes));
	const where = operationTitle ? ` to "${operationTitle}"` : '';
	const message = redact(`${provider} refused the request${where}: ${described[0]}`, secrets);
	const details = [
		described.length > 1 ? `All errors: ${described.join('; ')}.` : '',
		input.hint ?? '',
		failure.httpCode !== 200 ? `HTTP status ${failure.httpCode}.` : `${provider} answered with HTTP 200 but reported a failure.`,
	]
		.filter(Boolean)
		.join(' ');
	const errorResponse = {
		message,
		httpCode: String(failure.httpCode),
		codes: entries.map((entry) => entry.code ?? null),
		body: JSON.parse(redact(JSON.stringify(failure.body ?? null), secrets)),
	} as unknown as JsonObject;
	const apiError = new NodeApiError(node, errorResponse, {
		message,
		description: redact(details, secrets),
		httpCode: String(failure.httpCode),
		itemIndex: input.itemIndex,
	});
	// NodeApiError swaps a message containing e.g. "EEXIST" ("preexisting") for a generic one; keep ours.
	apiError.message = message;
	// Callers (e.g. a trigger's delete) decide on the provider's codes, not on message text.
	apiError.context.providerCodes = entries.map((entry) => entry.code ?? String(failure.httpCode));
	return apiError;
}

/**
 * A connection-level failure (refused, reset, timeout), without the request's secrets. `timeoutMs` is
 * set when the request got no answer within that time: the provider may still have processed it.
 */
export function connectionApiError(
	node: INode,
	provider: string,
	errorCode: string | undefined,
	error: unknown,
	itemIndex: number | undefined,
	secrets: string[] = [],
	retried = false,
	timeoutMs?: number,
): NodeApiError {
	const reason = redact(String((error as Error)?.message ?? error), secrets);
	const code = errorCode ? ` (${errorCode})` : '';
	const message =
		timeoutMs !== undefined
			? `${provider} did not answer within ${formatSeconds(timeoutMs)}${code}`
			: `Could not reach ${provider}${code}: ${reason}`;
	const description = [
		retried
			? 'The request was retried and still failed. Check the Base URL in the credential and that the server is up.'
			: 'Check the Base URL in the credential and that the server is up. Calls that may already have been processed are not repeated, so nothing is sent twice.',
		timeoutMs !== undefined ? `The request may still have been processed: check in ${provider} before running it again.` : '',
	]
		.filter(Boolean)
		.join(' ');
	const apiError = new NodeApiError(node, { message, code: errorCode ?? null } as JsonObject, {
		message,
		description,
		itemIndex,
	});
	// NodeApiError replaces any message naming a Node.js error code (ECONNREFUSED...) with a generic
	// sentence that drops the provider's name and the reason; keep ours.
	apiError.message = message;
	return apiError;
}

function formatSeconds(ms: number): string {
	const seconds = ms / 1000;
	return `${Number(seconds.toFixed(seconds >= 1 ? 1 : 3))} s`;
}

/** n8n's own item number: " [item 0]" or " in [item 0]", counted from 0, at the end of some of its messages. */
const N8N_ITEM_SUFFIX = /\s*(?:in )?\[item \d+\]\s*$/;

/**
 * A message with one item number, in the words users read ("(item 1)", counted from 1): n8n's 0-based
 * "[item 0]" (expression and binary-data errors) is dropped, and "(item N)" added when missing.
 */
export function withOneItemNumber(message: string, itemIndex: number): string {
	const plain = message.replace(N8N_ITEM_SUFFIX, '');
	const ours = `(item ${itemIndex + 1})`;
	return plain.includes(ours) ? plain : `${plain} ${ours}`;
}

/**
 * Keeps n8n errors as they are and wraps anything else, so the UI always gets node context. An operation
 * error of an item (n8n's expression and binary-data errors included) names that item once, 1-based.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		const index = error.context.itemIndex as number | undefined;
		if (index !== undefined && N8N_ITEM_SUFFIX.test(error.message)) error.message = withOneItemNumber(error.message, index);
		return error;
	}
	const wrapped = new NodeOperationError(node, error as Error, { itemIndex });
	if (itemIndex !== undefined && (error instanceof ExpressionError || N8N_ITEM_SUFFIX.test(wrapped.message))) {
		wrapped.message = withOneItemNumber(wrapped.message, itemIndex);
	}
	return wrapped;
}
