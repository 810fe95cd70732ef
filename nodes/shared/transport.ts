import type {
	IAdditionalCredentialOptions,
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { NodeOperationError, UserError } from 'n8n-workflow';

import { expectedAnswerFor, httpStatusText, notAnAnswerError, readAnswer } from './answer';
import { clock } from './clock';
import type { ExpectedAnswer } from './answer';
import { CredentialRenewal } from './renewal';
import { asNodeError, connectionApiError, providerApiError } from './errors';
import type { ProviderFailure } from './errors';
import { multipartForm, urlEncodedForm } from './form';
import { pacerFor, runStoppedError } from './pacing';
import type { AttemptOutcome, Permit } from './pacing';
import { connectionErrorCode, decideRetry, DEFAULT_RETRY_POLICY, isTimeoutError, waitForRetry } from './retry';
import type { RetryDecision, RetryPolicy } from './retry';
import type { RateLimit, RequestSpec } from './types';

/** Any n8n context that can make authenticated requests (execute, load options, hooks, webhooks, poll). */
export type RequestContext = IAllExecuteFunctions;

/** What a provider folder tells the shared transport about itself. */
export interface ProviderProfile {
	/** Name shown in messages, e.g. "Email Gateway". */
	name: string;
	/** Reads the provider's error envelope; undefined when the answer is a success. */
	detectFailure(statusCode: number, body: unknown): ProviderFailure | undefined;
	/** Advice for the user about a failure (which credential or field to check). */
	hint?(failure: ProviderFailure): string | undefined;
	/** Error codes valid for every operation of the API. */
	errorCodes?: Record<string, string>;
	/**
	 * Recognises a rate limit the provider reports in its answer instead of (or as well as) with HTTP 429,
	 * e.g. HTTP 200 with {"Errors":[{"Code":429,"Message":"... Wait for 12 seconds ..."}]}. Returns
	 * undefined when the failure is not a rate limit, else the wait the answer asks for (`{}` when it names
	 * none). The request is then retried exactly like an HTTP 429, whatever the call: the provider refused
	 * it. The wait is the Retry-After header if there is one, else `delayMs`, else the backoff.
	 */
	rateLimit?(failure: ProviderFailure, headers: IDataObject): { delayMs?: number } | undefined;
	/**
	 * The credential's hidden expirable field (`typeOptions: { expirable: true }`) where its
	 * `preAuthentication` keeps the token it fetched, e.g. a password grant's access token. After a 401 the
	 * token is renewed once for all the requests refused together (see renewal.ts) and each is sent once
	 * more. Leave unset for plain API keys: their refused request is never sent again. OAuth2 credentials
	 * (types that extend `oAuth2Api`) are refreshed the same way without it.
	 */
	expirableTokenProperty?: string;
	/**
	 * What a successful answer of this API holds, when a request does not say (RequestSpec.expects).
	 * Default: JSON, and for DELETE JSON or nothing. See ExpectedAnswer.
	 */
	expects?: ExpectedAnswer;
	/**
	 * The rate limit the provider documents for these requests, per credential (Email Gateway's /api/v1:
	 * 100 per 60 s). The node spaces a run's requests to keep it (shared/pacing.ts) unless the user chose
	 * other pacing in the node's Request Options.
	 */
	documentedLimit?: RateLimit;
}

export interface SendOptions {
	itemIndex?: number;
	operationTitle?: string;
	errorCodes?: Record<string, string>;
	policy?: RetryPolicy;
}

const credentialCache = new WeakMap<object, Map<string, Promise<ICredentialDataDecryptedObject>>>();

/** Credentials once per execution context, not once per item. */
export async function getCachedCredentials(
	context: RequestContext,
	credentialType: string,
): Promise<ICredentialDataDecryptedObject> {
	let byType = credentialCache.get(context);
	if (!byType) {
		byType = new Map();
		credentialCache.set(context, byType);
	}
	let credentials = byType.get(credentialType);
	if (!credentials) {
		credentials = context.getCredentials(credentialType);
		byType.set(credentialType, credentials);
		credentials.catch(() => byType?.delete(credentialType));
	}
	return await credentials;
}

/** Default time to wait for the answer to one attempt. */
export const DEFAULT_TIMEOUT_MS = 60_000;

function normalizeBaseUrl(value: unknown): string {
	return String(value ?? '').trim().replace(/\/+$/, '');
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return normalizeBaseUrl(credentials.baseUrl);
}

/**
 * Settings of a credential that are not secret and whose values are common words ("header", "body",
 * "Bearer"...): hiding them would blank those words in every error message.
 */
const NOT_SECRET_KEYS = new Set([
	'baseUrl',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'scope',
	'authQueryParameters',
	'token_type',
	'tokenType',
	'expires_in',
	'n8n_expires_at',
]);

/**
 * Secret values of a credential, so that no error message ever shows them: every string, at any depth
 * (OAuth2 keeps its tokens in `oauthTokenData.access_token` / `refresh_token`), except the base URL and
 * the plain settings above.
 */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const secrets = new Set<string>();
	const visit = (value: unknown, depth: number) => {
		if (typeof value === 'string') {
			if (value.length >= 4) secrets.add(value);
			return;
		}
		if (value === null || typeof value !== 'object' || depth > 10) return;
		if (Array.isArray(value)) {
			for (const element of value) visit(element, depth + 1);
			return;
		}
		for (const [key, nested] of Object.entries(value)) {
			if (!NOT_SECRET_KEYS.has(key)) visit(nested, depth + 1);
		}
	};
	visit(credentials, 0);
	return [...secrets];
}

/**
 * The HTTP answer carried by an error n8n threw for a status it did not ignore (a 401: n8n-core wraps
 * the axios error in a NodeApiError, so the response is on `cause`); undefined when there was no answer.
 */
function httpResponseOf(error: unknown): IN8nHttpFullResponse | undefined {
	let current = error as { response?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const response = current.response as { status?: unknown; statusText?: unknown; data?: unknown; headers?: unknown } | undefined;
		if (response && typeof response === 'object' && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				statusMessage: typeof response.statusText === 'string' ? response.statusText : undefined,
				body: response.data as IN8nHttpFullResponse['body'],
				headers: (response.headers && typeof response.headers === 'object' ? response.headers : {}) as IDataObject,
			};
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * n8n's own refusal to send the request, e.g. an OAuth2 credential that must be reconnected because its
 * token could not be refreshed after a 401, or one that was never connected. Not a connection problem.
 */
function n8nRefusalOf(error: unknown): NodeOperationError | UserError | undefined {
	let current = error as { cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		if (current instanceof NodeOperationError || current instanceof UserError) return current;
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * A fresh body per attempt, as the bytes the provider gets: authentication adds to it (see
 * credentials/shared/bodyAuthentication.ts for a key sent in the body), and a multipart stream is read once.
 * Form bodies are flattened here (shared/form.ts), so n8n and axios send them as they are and never
 * serialize an object themselves.
 */
function requestBody(spec: RequestSpec): IDataObject | IDataObject[] | URLSearchParams | FormData | undefined {
	if (spec.listBody !== undefined) return spec.listBody.map((record) => ({ ...record }));
	if (spec.bodyType === 'multipart') return multipartForm(spec.body, spec.files);
	if (spec.bodyType === 'form') return urlEncodedForm(spec.body);
	return spec.body === undefined ? undefined : { ...spec.body };
}

/** A failure for an HTTP error status the profile did not recognise: the status, and the provider's text if any. */
function statusFailure(statusCode: number, statusMessage: string | undefined, body: unknown): ProviderFailure {
	const data = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const said = typeof body === 'string' ? body.trim().slice(0, 300) : (data.message ?? data.error);
	const status = httpStatusText(statusCode, statusMessage);
	return { httpCode: statusCode, body, errors: [{ message: typeof said === 'string' && said ? `${said} (${status})` : status }] };
}

/**
 * Sends one provider request through n8n's httpRequestWithAuthentication: applies the base URL (the
 * request's own, else the credential's), retries only where that cannot send anything twice, and shapes
 * every error answer (whatever its HTTP status) into a NodeApiError with the provider's code and its
 * documented meaning.
 *
 * Retries: 429 and rate limits reported in the body (profile.rateLimit) for every call, 5xx and dropped
 * connections or timeouts only for idempotent calls (see decideRetry). A retry starts only while the time
 * spent since the first failure (waits and repeated attempts alike) plus its wait fits in
 * policy.maxTotalWaitMs, so one call lasts at most its first attempt + maxTotalWaitMs + one timeout.
 */
export async function sendRequest(
	context: RequestContext,
	credentialType: string,
	spec: RequestSpec,
	profile: ProviderProfile,
	options: SendOptions = {},
): Promise<IDataObject> {
	const credentials = await getCachedCredentials(context, credentialType);
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	const node = context.getNode();
	// Renews the token after a 401 once for all requests of the run; undefined for an API key.
	const renewal = CredentialRenewal.for(context, credentialType, credentials, profile.name, profile.expirableTokenProperty, secretsOf);
	/** What no error may show: the credential's secrets, old and renewed tokens alike. */
	const secrets = () => renewal?.secrets() ?? secretsOf(credentials);
	const credentialOptions: IAdditionalCredentialOptions = {
		// n8n's helper would fetch (and decrypt) the credential again for every request; hand it ours.
		credentialsDecrypted: {
			id: node.credentials?.[credentialType]?.id ?? '',
			name: node.credentials?.[credentialType]?.name ?? credentialType,
			type: credentialType,
			data: credentials,
		},
		// n8n would renew after a 401 once per refused request (and resend an API key's refused request for
		// nothing); the renewal above does it once for all. OAuth2 without it is refreshed by n8n itself.
		preAuthenticationRetryStatusCode: [],
		oauth2: renewal?.oauth2Options,
	};
	// Each call sends its request once more after its token was renewed, never twice.
	let renewedForThisCall = false;
	const headers: IDataObject = { ...(spec.headers ?? {}) };
	if (spec.bodyType === 'form') headers['Content-Type'] = 'application/x-www-form-urlencoded';
	const baseURL = spec.baseUrl !== undefined ? normalizeBaseUrl(spec.baseUrl) : baseUrlOf(credentials);
	const timeout = spec.timeout ?? DEFAULT_TIMEOUT_MS;
	const expects = expectedAnswerFor(spec.method, spec.expects ?? profile.expects);
	let firstBody: ReturnType<typeof requestBody>;
	try {
		firstBody = requestBody(spec);
	} catch (error) {
		// A value a form cannot carry (FormValueError) is bad input, and bad input never sends a request.
		const item = options.itemIndex !== undefined ? ` (item ${options.itemIndex + 1})` : '';
		throw new NodeOperationError(node, `${(error as Error).message}${item}`, { itemIndex: options.itemIndex });
	}

	// Every attempt of the run to this credential goes through one pacer: requests in flight, rate limit, pauses.
	const pacer = pacerFor(context, credentialType, profile.documentedLimit);
	let permit: Permit | undefined;
	const settle = (outcome: AttemptOutcome) => {
		if (permit) pacer.release(permit, outcome);
	};
	// Time spent in retries other than rate limits: from the end of the first failed attempt, waits and
	// repeated attempts alike.
	let firstFailureAt: number | undefined;
	const spentMs = () => (firstFailureAt === undefined ? 0 : clock().now() - firstFailureAt);
	/**
	 * Waits before the next attempt; false when no retry is allowed or it would not fit in the budget.
	 * The slot is handed back first, so a waiting request never holds a place others could use.
	 */
	const waitToRetry = async (decision: RetryDecision, outcome: AttemptOutcome): Promise<boolean> => {
		settle(outcome);
		if (!decision.retry) return false;
		firstFailureAt ??= clock().now();
		context.logger?.info(`${profile.name}: ${options.operationTitle ?? spec.path}${options.itemIndex !== undefined ? ` (item ${options.itemIndex + 1})` : ''} is retried in ${Math.round(decision.delayMs / 100) / 10} s`);
		return await waitForRetry(decision.delayMs, spentMs(), policy);
	};
	// A rate limit holds the whole run: the wait applies to every request of the run (pacer.pause), counts
	// against no per-request budget, and a request refused again and again fails only when the run made no
	// progress between its refusals (policy.maxAttempts of them), or when one wait alone exceeds the budget.
	let refusedForRateLimit = 0;
	let rateLimitedAttempts = 0;
	let successesAtLastRefusal = -1;
	const pauseForRateLimit = (decision: RetryDecision, statusCode: number): boolean => {
		settle('congested');
		if (!decision.retry || decision.delayMs > policy.maxTotalWaitMs) return false;
		pacer.pause(decision.delayMs, `${profile.name} answered ${statusCode === 503 ? '503 (overloaded)' : 'that the rate limit is reached'}`);
		return true;
	};

	for (let attempt = 1; ; attempt++) {
		try {
			const request: IHttpRequestOptions = {
				method: spec.method,
				baseURL,
				url: spec.path,
				qs: spec.qs,
				body: attempt === 1 ? firstBody : requestBody(spec),
				headers: { ...headers },
				json: spec.bodyType === undefined || spec.bodyType === 'json',
				returnFullResponse: true,
				timeout,
				// Every status is an answer we shape ourselves, except 401: thrown, so that n8n-core refreshes an
				// OAuth2 token itself where our renewal cannot (an n8n without refreshOAuth2Token). A 401 means the
				// provider refused the request without processing it: sending it once more with a renewed token
				// (below, or n8n's own repeat) cannot send anything twice.
				ignoreHttpStatusErrors: { ignore: true, except: [401] },
			};
			let response: IN8nHttpFullResponse;
			permit = await pacer.acquire();
		if (!permit) throw runStoppedError(node, options.itemIndex);
			const ticket = await renewal?.beforeSend(options.itemIndex);
			try {
				response = (await context.helpers.httpRequestWithAuthentication.call(
					context,
					credentialType,
					request,
					credentialOptions,
				)) as IN8nHttpFullResponse;
				if (ticket) await renewal!.afterSend(ticket, undefined, options.itemIndex);
			} catch (error) {
				// A token that could not be fetched stops here: the request itself was never sent.
				if (ticket) await renewal!.afterSend(ticket, error, options.itemIndex);
				// A 401 (after n8n's own renewal, if any) is an answer like any other: the provider's envelope
				// says why, and detectFailure reads it exactly as it would with any other status.
				const answered = httpResponseOf(error);
				if (!answered) {
					const refusal = n8nRefusalOf(error);
					if (refusal) throw asNodeError(node, refusal instanceof UserError ? new NodeOperationError(node, refusal.message) : refusal, options.itemIndex);
					const errorCode = connectionErrorCode(error);
					const decision = decideRetry({ errorCode }, spec.idempotent, attempt - rateLimitedAttempts, policy);
					if (await waitToRetry(decision, isTimeoutError(error) ? 'congested' : 'failed')) continue;
					throw connectionApiError(
						node,
						profile.name,
						errorCode,
						error,
						options.itemIndex,
						secrets(),
						attempt > 1,
						isTimeoutError(error) ? timeout : undefined,
					);
				}
				response = answered;
			}

			const statusCode = response.statusCode;
			// A 401 proves the request was not processed: renew the token (once for all refused requests) and
			// send it once more. A token fetched or renewed for this very request is not renewed again.
			let refusedRenewedToken = false;
			if (statusCode === 401 && renewal && ticket) {
				if (!renewedForThisCall && !ticket.fetchedToken && (await renewal.renewAfterRefusal(ticket, options.itemIndex))) {
					renewedForThisCall = true;
					continue;
				}
				renewal.refusedAfterRenewal(ticket);
				refusedRenewedToken = true;
			}
			const responseHeaders = (response.headers ?? {}) as IDataObject;
			// An HTML page, cut-off JSON or an empty body where a result was expected is no answer of the API
			// (a proxy, a maintenance page, a wrong Base URL): never a success, never shown raw.
			const read = readAnswer(statusCode, response.body, responseHeaders, expects);
			if (read.notAnAnswer !== undefined) {
				// Read like a gateway error (502) when the status itself says nothing is wrong: repeated only where
				// the call is safe to repeat. Error statuses keep their meaning (429 and 503 + Retry-After for every
				// call, other 5xx for idempotent calls, 4xx never).
				const decision = decideRetry(
					{ statusCode: statusCode >= 400 ? statusCode : 502, retryAfter: responseHeaders['retry-after'] },
					spec.idempotent,
					attempt - rateLimitedAttempts,
					policy,
				);
				if (await waitToRetry(decision, statusCode === 429 || statusCode === 503 ? 'congested' : 'answered')) continue;
				throw notAnAnswerError(node, {
					provider: profile.name,
					operationTitle: options.operationTitle,
					statusCode,
					statusMessage: response.statusMessage,
					read,
					// A 4xx (or 429) is a refusal; any other status may come after the provider acted.
					mayHaveBeenProcessed: !spec.idempotent && (statusCode < 400 || statusCode >= 500),
					retried: attempt > 1,
					itemIndex: options.itemIndex,
					secrets: secrets(),
				});
			}
			const body = read.body;
			// A profile that only reads envelopes must not turn an HTTP error page into output data.
			const failure =
				profile.detectFailure(statusCode, body) ?? (statusCode >= 400 ? statusFailure(statusCode, response.statusMessage, body) : undefined);
			const reportedRateLimit = failure ? profile.rateLimit?.(failure, responseHeaders) : undefined;
			const rateLimited = statusCode === 429 || reportedRateLimit !== undefined;
			if (rateLimited) {
				if (pacer.successes !== successesAtLastRefusal) refusedForRateLimit = 0;
				successesAtLastRefusal = pacer.successes;
				refusedForRateLimit++;
				rateLimitedAttempts++;
				const decision = decideRetry(
					{ statusCode, retryAfter: responseHeaders['retry-after'], rateLimited, announcedDelayMs: reportedRateLimit?.delayMs },
					spec.idempotent,
					refusedForRateLimit,
					policy,
				);
				if (pauseForRateLimit(decision, statusCode)) continue;
			} else if (statusCode >= 500) {
				const decision = decideRetry({ statusCode, retryAfter: responseHeaders['retry-after'] }, spec.idempotent, attempt - rateLimitedAttempts, policy);
				// A 503 with Retry-After is an overloaded provider asking the whole run to wait.
				if (statusCode === 503 && decision.retry && responseHeaders['retry-after'] !== undefined) {
					if (pauseForRateLimit(decision, statusCode)) continue;
				} else if (await waitToRetry(decision, statusCode === 503 ? 'congested' : 'answered')) continue;
			}
			settle('answered');
			if (failure) {
				const spent = spentMs();
				const retryNote = rateLimited
					? ` Still rate limited${spent >= 500 ? ` after ${Math.round(spent / 1000)} s of retries` : ''}; lower the batch size or add a Wait node.`
					: '';
				throw providerApiError(node, {
					provider: profile.name,
					operationTitle: options.operationTitle,
					failure,
					errorCodes: { ...(profile.errorCodes ?? {}), ...(options.errorCodes ?? {}) },
					itemIndex: options.itemIndex,
					hint: `${refusedRenewedToken ? `${profile.name} refused the renewed token: reconnect the credential "${credentialOptions.credentialsDecrypted!.name}" (or check its access rights). ` : ''}${profile.hint?.(failure) ?? ''}${retryNote}`.trim() || undefined,
					secrets: secrets(),
				});
			}
			if (body === null || typeof body !== 'object') return { data: body as string };
			return body as IDataObject;
		} finally {
			// Whatever ended the attempt (an answer, a renewal, an error), its slot goes back.
			settle('answered');
		}
	}
}
