import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ExpectedAnswer } from '../model/operation';
import { redact } from './errors';


/** What came back instead of an answer, in words for the error message. */
export type NotAnAnswer = 'an HTML page' | 'JSON that ends early (truncated)' | 'JSON it cannot read (malformed)' | 'an empty body';

export type ReadAnswer = { body: unknown; notAnAnswer?: undefined } | { notAnAnswer: NotAnAnswer; pageTitle?: string };

const NO_CONTENT_STATUSES = new Set([204, 205]);

/** Markup of a web page, not of an API: `<!DOCTYPE html>`, `<html>`, or a fragment of the usual page tags. */
const HTML_START = /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|div|p|h[1-6]|center|pre|table|br|hr|script|style|a)\b/i;

export function expectedAnswerFor(method: string, expects?: ExpectedAnswer): ExpectedAnswer {
	return expects ?? (method.toUpperCase() === 'DELETE' ? 'jsonOrEmpty' : 'json');
}

function headerValue(headers: Record<string, unknown>, name: string): string {
	const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
	const value = Array.isArray(entry?.[1]) ? entry?.[1][0] : entry?.[1];
	return typeof value === 'string' ? value : '';
}

/** The <title> of a page, as plain text (no markup), to name the page without showing it. */
function pageTitleOf(html: string): string | undefined {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
	const text = title
		?.replace(/<[^>]*>/g, '')
		.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_match, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[entity] ?? ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text ? text.slice(0, 100) : undefined;
}

/** The text stops inside a string, an object or an array that it opened: JSON cut off on its way. */
function endsEarly(text: string): boolean {
	const open: string[] = [];
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (inString) {
			if (char === '\\') index++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{' || char === '[') open.push(char === '{' ? '}' : ']');
		else if ((char === '}' || char === ']') && open.pop() !== char) return false;
	}
	return inString || open.length > 0;
}

/**
 * Reads an answer's body (as n8n hands it over: parsed when it was valid JSON, else the raw text) and
 * says whether it is an answer of the API at all.
 */
export function readAnswer(statusCode: number, body: unknown, headers: Record<string, unknown>, expects: ExpectedAnswer): ReadAnswer {
	const raw = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (typeof raw !== 'string') return { body: raw ?? {} };
	const text = raw.trim();
	if (text === '') {
		if (NO_CONTENT_STATUSES.has(statusCode) || expects !== 'json') return { body: expects === 'text' ? raw : {} };
		return { notAnAnswer: 'an empty body' };
	}
	if (expects === 'text') return { body: raw };
	try {
		return { body: JSON.parse(text) };
	} catch {
		if (HTML_START.test(text)) return { notAnAnswer: 'an HTML page', pageTitle: pageTitleOf(text) };
		const declaredJson = /json/i.test(headerValue(headers, 'content-type'));
		if (declaredJson || text.startsWith('{') || text.startsWith('[')) {
			return { notAnAnswer: endsEarly(text) ? 'JSON that ends early (truncated)' : 'JSON it cannot read (malformed)' };
		}
		return { body: raw };
	}
}

/** Reason phrases of the statuses a provider or a proxy in front of it commonly answers with. */
const STATUS_TEXT: Record<number, string> = {
	200: 'OK',
	201: 'Created',
	202: 'Accepted',
	204: 'No Content',
	301: 'Moved Permanently',
	302: 'Found',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** "HTTP status 502 Bad Gateway": a status, never to be confused with a provider's error code. */
export function httpStatusText(statusCode: number, statusMessage?: string): string {
	const phrase = statusMessage?.trim() || STATUS_TEXT[statusCode];
	return `HTTP status ${statusCode}${phrase ? ` ${phrase}` : ''}`;
}

export interface NotAnAnswerErrorInput {
	provider: string;
	operationTitle?: string;
	statusCode: number;
	statusMessage?: string;
	read: Extract<ReadAnswer, { notAnAnswer: NotAnAnswer }>;
	/** The call may have been carried out (it is not idempotent and the status does not prove a refusal). */
	mayHaveBeenProcessed: boolean;
	retried: boolean;
	itemIndex?: number;
	secrets?: string[];
}

/**
 * The error for an answer that is not the provider's: it names what came back and the HTTP status,
 * never the page itself, and for a call that may have been carried out says to check before repeating.
 */
export function notAnAnswerError(node: INode, input: NotAnAnswerErrorInput): NodeApiError {
	const { provider, read, statusCode } = input;
	const where = input.operationTitle ? ` the request to "${input.operationTitle}"` : '';
	const status = httpStatusText(statusCode, input.statusMessage);
	const message = redact(`${provider} answered${where} with ${read.notAnAnswer}, ${status}`, input.secrets);
	const description = [
		read.pageTitle ? `The page is titled "${read.pageTitle}".` : '',
		read.notAnAnswer === 'an HTML page'
			? `This is not an answer of the ${provider} API: the server may be under maintenance, or the Base URL in the credential may point to a web page instead of the API.`
			: read.notAnAnswer === 'an empty body'
				? `A result was expected; the server or a proxy in front of it may have failed.`
				: 'The answer was cut off or damaged on its way, or the server failed while writing it.',
		input.retried ? 'The request was retried and the answer stayed the same.' : '',
		input.mayHaveBeenProcessed
			? `The request may have been processed: check in ${provider} before running it again.`
			: '',
	]
		.filter(Boolean)
		.join(' ');
	const errorResponse = { message, httpCode: String(statusCode), answer: read.notAnAnswer } as unknown as JsonObject;
	const error = new NodeApiError(node, errorResponse, {
		message,
		description: redact(description, input.secrets),
		httpCode: String(statusCode),
		itemIndex: input.itemIndex,
	});
	// NodeApiError may swap a message for a generic one; keep ours (it says what came back).
	error.message = message;
	error.context.providerCodes = [String(statusCode)];
	return error;
}
