import { createHmac } from 'crypto';
import type { IHookFunctions, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * A second webhook for providers that verify a hook URL before they use it: while the trigger registers
 * its hook, the provider calls the same URL with a GET carrying a check value and expects a plain-text
 * answer (CleverReach: `GET <url>?secret=<s>` → `<verify> <s>`, where `verify` is the token the trigger
 * sent with the registration).
 */
export const HANDSHAKE_WEBHOOK_NAME = 'setup';

/**
 * The GET webhook entry, on the same path as the trigger's POST webhook. List it FIRST in the node's
 * `webhooks`: on activation n8n stores each webhook and runs its create() in the order listed, and the
 * provider's check arrives while create() (of the POST webhook) waits for the registration to be answered.
 */
export function handshakeWebhook(path = 'webhook'): IWebhookDescription {
	return { name: HANDSHAKE_WEBHOOK_NAME, httpMethod: 'GET', responseMode: 'onReceived', path };
}

/** True when webhook() was called for the handshake webhook (the GET), not for a delivery. */
export function isHandshakeRequest(context: IWebhookFunctions): boolean {
	return context.getWebhookName() === HANDSHAKE_WEBHOOK_NAME;
}

export interface HandshakeProtocol {
	/** Query parameter carrying the provider's check value (CleverReach: "secret"). */
	parameter: string;
	/** The exact text the provider expects back for its check value (CleverReach: `${verify} ${value}`). */
	answer(value: string, context: IWebhookFunctions): string | Promise<string>;
}

/** A check value is a short token: anything else (missing, repeated, long, blanks or control characters) is refused. */
const CHECK_VALUE = /^[\x21-\x7e]{1,200}$/;

interface PlainTextResponse {
	status(code: number): unknown;
	setHeader(name: string, value: string): unknown;
	send(body: string): unknown;
}

function sendPlainText(context: IWebhookFunctions, statusCode: number, text: string): IWebhookResponseData {
	const response = context.getResponseObject() as unknown as PlainTextResponse;
	// Set before send(): express would otherwise label a string body text/html.
	response.setHeader('Content-Type', 'text/plain; charset=utf-8');
	response.setHeader('X-Content-Type-Options', 'nosniff');
	response.status(statusCode);
	response.send(text);
	// Answered here; no execution starts for a handshake.
	return { noWebhookResponse: true };
}

/**
 * Answers the provider's GET check in plain text (200 with exactly the expected text, or 400 when the
 * check value is missing or malformed) and starts no execution. Call it first in the trigger's webhook():
 * `if (isHandshakeRequest(this)) return await answerHandshake(this, protocol);`
 */
export async function answerHandshake(context: IWebhookFunctions, protocol: HandshakeProtocol): Promise<IWebhookResponseData> {
	const value = (context.getQueryData() as Record<string, unknown>)[protocol.parameter];
	if (typeof value !== 'string' || !CHECK_VALUE.test(value)) {
		return sendPlainText(context, 400, `missing or invalid "${protocol.parameter}" parameter`);
	}
	return sendPlainText(context, 200, await protocol.answer(value, context));
}

/**
 * The verification token of this node's hook, computed the same way by create() (which sends it to the
 * provider) and by webhook() (which answers the check with it). It cannot be read back from static data:
 * n8n saves the static data written by create() only after every webhook of the workflow is registered,
 * and the check arrives before that. Keyed with a secret of the credential, so that it cannot be derived
 * from the URL alone. Hex, `length` characters (CleverReach accepts 10 to 50).
 */
export function handshakeToken(context: IHookFunctions | IWebhookFunctions, secret: string, length = 40): string {
	const node = context.getNode();
	return createHmac('sha256', secret)
		.update(`${context.getWorkflow().id ?? ''}/${node.webhookId ?? node.id}`)
		.digest('hex')
		.slice(0, length);
}
