import type {
	IAdditionalCredentialOptions,
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { NodeOperationError, UserError } from 'n8n-workflow';

import { expectedAnswerFor, httpStatusText, notAnAnswerError, readAnswer } from './answer';
import { clock } from '../util/clock';
import { perRun } from '../util/run';
import type { ExpectedAnswer } from '../model/operation';
import { CredentialRenewal } from './renewal';
import { asNodeError, connectionApiError, providerApiError } from './errors';
import type { ProviderFailure } from './errors';
import { multipartForm, urlEncodedForm } from './form';
import { pacerFor, runStoppedError } from './pacing';
import type { AttemptOutcome, Permit } from './pacing';
import { connectionErrorCode, decideRetry, DEFAULT_RETRY_POLICY, isTimeoutError, waitForRetry } from './retry';
import type { RetryDecision, RetryPolicy } from './retry';
import type { RateLimit, RequestSpec } from '../model/operation';

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
	 * 100 per 60 s). The node spaces a run's requests to keep it (shared/http/pacing.ts) unless the user chose
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

const credentialsOfRun = perRun(() => new Map<string, Promise<ICredentialDataDecryptedObject>>());

/** Credentials once per execution context, not once per item. */
export async function getCachedCredentials(
	context: RequestContext,
	credentialType: string,
): Promise<ICredentialDataDecryptedObject> {
	const byType = credentialsOfRun(context);
	let credentials = byType.get(credentialType);
	if (!credentials) {
		credentials = context.getCredentials(credentialType);
		byType.set(credentialType, credentials);
		credentials.catch(() => byType.delete(credentialType));
	}
	return await credentials;
}

const decryptedOfRun = perRun(() => new Map<string, ICredentialsDecrypted>());

/** The credential as n8n's request helper takes it, once per run and credential type. */
function decryptedCredential(context: RequestContext, credentialType: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const byType = decryptedOfRun(context);
	let decrypted = byType.get(credentialType);
	if (!decrypted || decrypted.data !== data) {
		const saved = context.getNode().credentials?.[credentialType];
		decrypted = { id: saved?.id ?? '', name: saved?.name ?? credentialType, type: credentialType, data };
		byType.set(credentialType, decrypted);
	}
	return decrypted;
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
 * Form bodies are flattened here (shared/http/form.ts), so n8n and axios send them as they are and never
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
 * What one attempt came to, for the policy loop in RequestCall.run: an answer to return, a token renewed
 * (send again at once), a fault that may be retried after `decision.delayMs`, or a rate limit that pauses
 * the whole run. `pacing` is how the attempt counts for the pacer's window; `failure` builds the error to
 * throw when no retry follows (built late, so it can say how long the retries took).
 */
type AttemptResult =
	| { kind: 'answer'; body: IDataObject }
	| { kind: 'renewed' }
	| { kind: 'fault'; decision: RetryDecision; pacing: AttemptOutcome; failure: () => Error }
	| { kind: 'rateLimited'; decision: RetryDecision; statusCode: number; failure: () => Error };

/** An HTTP exchange: the answer (any status), or the error of a request that got none. */
type Exchange = { response: IN8nHttpFullResponse; ticket?: RenewalTicket } | { error: unknown };

type RenewalTicket = NonNullable<Awaited<ReturnType<CredentialRenewal['beforeSend']>>>;

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
	return await new RequestCall(context, credentialType, credentials, spec, profile, options).run();
}

/** One call of sendRequest: its attempts (attempt) and the policy that decides what follows each (run). */
class RequestCall {
	private readonly policy: RetryPolicy;
	/** Renews the token after a 401 once for all requests of the run; undefined for an API key. */
	private readonly renewal: CredentialRenewal | undefined;
	private readonly credentialOptions: IAdditionalCredentialOptions;
	/** Every attempt of the run to this credential goes through one pacer: requests in flight, rate limit, pauses. */
	private readonly pacer;
	private readonly firstBody: ReturnType<typeof requestBody>;
	private permit: Permit | undefined;
	/** Each call sends its request once more after its token was renewed, never twice. */
	private renewedForThisCall = false;
	/** Start of the time spent in retries other than rate limits: the end of the first failed attempt. */
	private firstFailureAt: number | undefined;
	/** Rate-limit refusals in a row without progress of the run, and rate-limited attempts in all. */
	private refusedForRateLimit = 0;
	private rateLimitedAttempts = 0;
	private successesAtLastRefusal = -1;

	constructor(
		private readonly context: RequestContext,
		private readonly credentialType: string,
		private readonly credentials: ICredentialDataDecryptedObject,
		private readonly spec: RequestSpec,
		private readonly profile: ProviderProfile,
		private readonly options: SendOptions,
	) {
		this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
		this.renewal = CredentialRenewal.for(context, credentialType, credentials, profile.name, profile.expirableTokenProperty, secretsOf);
		this.credentialOptions = {
			// n8n's helper would fetch (and decrypt) the credential again for every request; hand it ours.
			credentialsDecrypted: decryptedCredential(context, credentialType, credentials),
			// n8n would renew after a 401 once per refused request (and resend an API key's refused request for
			// nothing); the renewal above does it once for all. OAuth2 without it is refreshed by n8n itself.
			preAuthenticationRetryStatusCode: [],
			oauth2: this.renewal?.oauth2Options,
		};
		this.firstBody = this.readBody();
		this.pacer = pacerFor(context, credentialType, profile.documentedLimit);
	}

	/** The node, for errors only: n8n copies it on every getNode(). */
	private get node() {
		return this.context.getNode();
	}

	/** The policy: attempt, and after each attempt return, send again, wait and retry, pause the run, or fail. */
	async run(): Promise<IDataObject> {
		for (let attempt = 1; ; attempt++) {
			let result: AttemptResult | undefined;
			try {
				result = await this.attempt(attempt);
			} finally {
				// An attempt that threw (run stopped, n8n's own refusal, bad input) hands its slot back too.
				if (!result) this.settle('answered');
			}
			// The slot goes back before any wait, so a waiting request never holds a place others could use.
			this.settle(result.kind === 'fault' ? result.pacing : result.kind === 'rateLimited' ? 'congested' : 'answered');
			if (result.kind === 'answer') return result.body;
			if (result.kind === 'renewed') continue;
			if (result.kind === 'fault' && (await this.waitToRetry(result.decision))) continue;
			if (result.kind === 'rateLimited' && this.pauseRun(result.decision, result.statusCode)) continue;
			throw result.failure();
		}
	}

	/** One attempt: a place in the pacer, the exchange, and what its answer (or the lack of one) means. */
	private async attempt(attempt: number): Promise<AttemptResult> {
		this.permit = await this.pacer.acquire();
		if (!this.permit) throw runStoppedError(this.node, this.options.itemIndex);
		const exchange = await this.exchange(this.requestOptions(attempt === 1 ? this.firstBody : this.readBody()));
		if ('error' in exchange) return this.connectionFault(exchange.error, attempt);
		// A 401 proves the request was not processed: renew the token (once for all refused requests) and
		// send it once more. A token fetched or renewed for this very request is not renewed again.
		let refusedRenewedToken = false;
		if (exchange.response.statusCode === 401 && this.renewal && exchange.ticket) {
			const { ticket } = exchange;
			if (!this.renewedForThisCall && !ticket.fetchedToken && (await this.renewal.renewAfterRefusal(ticket, this.options.itemIndex))) {
				this.renewedForThisCall = true;
				return { kind: 'renewed' };
			}
			this.renewal.refusedAfterRenewal(ticket);
			refusedRenewedToken = true;
		}
		return this.readResponse(exchange.response, attempt, refusedRenewedToken);
	}

	/** Sends the request; a 401 n8n threw (after its own renewal, if any) is an answer like any other. */
	private async exchange(request: IHttpRequestOptions): Promise<Exchange> {
		const ticket = await this.renewal?.beforeSend(this.options.itemIndex);
		try {
			const response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				this.credentialType,
				request,
				this.credentialOptions,
			)) as IN8nHttpFullResponse;
			if (ticket) await this.renewal!.afterSend(ticket, undefined, this.options.itemIndex);
			return { response, ticket };
		} catch (error) {
			// A token that could not be fetched stops here: the request itself was never sent.
			if (ticket) await this.renewal!.afterSend(ticket, error, this.options.itemIndex);
			const answered = httpResponseOf(error);
			if (answered) return { response: answered, ticket };
			const refusal = n8nRefusalOf(error);
			if (refusal) throw asNodeError(this.node, refusal instanceof UserError ? new NodeOperationError(this.node, refusal.message) : refusal, this.options.itemIndex);
			return { error };
		}
	}

	/** No answer at all (reset, refused connection, timeout): retried only where nothing can be sent twice. */
	private connectionFault(error: unknown, attempt: number): AttemptResult {
		const errorCode = connectionErrorCode(error);
		const timedOut = isTimeoutError(error);
		return {
			kind: 'fault',
			decision: decideRetry({ errorCode }, this.spec.idempotent, attempt - this.rateLimitedAttempts, this.policy),
			pacing: timedOut ? 'congested' : 'failed',
			failure: () =>
				connectionApiError(this.node, this.profile.name, errorCode, error, this.options.itemIndex, this.secrets(), attempt > 1, timedOut ? this.timeout : undefined),
		};
	}

	/** What an answer means: the body, something that is no answer of the API, a rate limit, a 5xx, or a refusal. */
	private readResponse(response: IN8nHttpFullResponse, attempt: number, refusedRenewedToken: boolean): AttemptResult {
		const { statusCode } = response;
		const headers = (response.headers ?? {}) as IDataObject;
		// An HTML page, cut-off JSON or an empty body where a result was expected is no answer of the API
		// (a proxy, a maintenance page, a wrong Base URL): never a success, never shown raw.
		const read = readAnswer(statusCode, response.body, headers, expectedAnswerFor(this.spec.method, this.spec.expects ?? this.profile.expects));
		if (read.notAnAnswer !== undefined) return this.notAnAnswer(response, read, attempt);
		const body = read.body;
		// A profile that only reads envelopes must not turn an HTTP error page into output data.
		const failure = this.profile.detectFailure(statusCode, body) ?? (statusCode >= 400 ? statusFailure(statusCode, response.statusMessage, body) : undefined);
		const reportedRateLimit = failure ? this.profile.rateLimit?.(failure, headers) : undefined;
		const rateLimited = statusCode === 429 || reportedRateLimit !== undefined;
		const refusal = () => this.refusalError(failure as ProviderFailure, rateLimited, refusedRenewedToken);
		if (rateLimited) {
			const decision = decideRetry(
				{ statusCode, retryAfter: headers['retry-after'], rateLimited, announcedDelayMs: reportedRateLimit?.delayMs },
				this.spec.idempotent,
				this.countRateLimitRefusal(),
				this.policy,
			);
			return { kind: 'rateLimited', decision, statusCode, failure: refusal };
		}
		if (statusCode >= 500) {
			const decision = decideRetry({ statusCode, retryAfter: headers['retry-after'] }, this.spec.idempotent, attempt - this.rateLimitedAttempts, this.policy);
			// A 503 with Retry-After is an overloaded provider asking the whole run to wait.
			if (statusCode === 503 && decision.retry && headers['retry-after'] !== undefined) return { kind: 'rateLimited', decision, statusCode, failure: refusal };
			return { kind: 'fault', decision, pacing: statusCode === 503 ? 'congested' : 'answered', failure: refusal };
		}
		if (failure) return { kind: 'fault', decision: { retry: false }, pacing: 'answered', failure: refusal };
		return { kind: 'answer', body: body === null || typeof body !== 'object' ? { data: body as string } : (body as IDataObject) };
	}

	/**
	 * Not an answer of the API. Read like a gateway error (502) when the status itself says nothing is wrong:
	 * repeated only where the call is safe to repeat. Error statuses keep their meaning (429 and 503 +
	 * Retry-After for every call, other 5xx for idempotent calls, 4xx never).
	 */
	private notAnAnswer(response: IN8nHttpFullResponse, read: Parameters<typeof notAnAnswerError>[1]['read'], attempt: number): AttemptResult {
		const { statusCode } = response;
		const retryAfter = ((response.headers ?? {}) as IDataObject)['retry-after'];
		return {
			kind: 'fault',
			decision: decideRetry({ statusCode: statusCode >= 400 ? statusCode : 502, retryAfter }, this.spec.idempotent, attempt - this.rateLimitedAttempts, this.policy),
			pacing: statusCode === 429 || statusCode === 503 ? 'congested' : 'answered',
			failure: () =>
				notAnAnswerError(this.node, {
					provider: this.profile.name,
					operationTitle: this.options.operationTitle,
					statusCode,
					statusMessage: response.statusMessage,
					read,
					// A 4xx (or 429) is a refusal; any other status may come after the provider acted.
					mayHaveBeenProcessed: !this.spec.idempotent && (statusCode < 400 || statusCode >= 500),
					retried: attempt > 1,
					itemIndex: this.options.itemIndex,
					secrets: this.secrets(),
				}),
		};
	}

	/**
	 * A rate limit holds the whole run: its wait counts against no per-request budget, and a request refused
	 * again and again fails only when the run made no progress between its refusals (policy.maxAttempts of
	 * them). Returns the refusals in a row, the attempt number decideRetry counts.
	 */
	private countRateLimitRefusal(): number {
		if (this.pacer.successes !== this.successesAtLastRefusal) this.refusedForRateLimit = 0;
		this.successesAtLastRefusal = this.pacer.successes;
		this.rateLimitedAttempts++;
		return ++this.refusedForRateLimit;
	}

	/** The provider's refusal as the user reads it: its code and meaning, and what to do. */
	private refusalError(failure: ProviderFailure, rateLimited: boolean, refusedRenewedToken: boolean): Error {
		const spent = this.spentMs();
		const retryNote = rateLimited
			? ` Still rate limited${spent >= 500 ? ` after ${Math.round(spent / 1000)} s of retries` : ''}; lower the batch size or add a Wait node.`
			: '';
		const renewedNote = refusedRenewedToken
			? `${this.profile.name} refused the renewed token: reconnect the credential "${this.credentialOptions.credentialsDecrypted!.name}" (or check its access rights). `
			: '';
		return providerApiError(this.node, {
			provider: this.profile.name,
			operationTitle: this.options.operationTitle,
			failure,
			errorCodes: { ...(this.profile.errorCodes ?? {}), ...(this.options.errorCodes ?? {}) },
			itemIndex: this.options.itemIndex,
			hint: `${renewedNote}${this.profile.hint?.(failure) ?? ''}${retryNote}`.trim() || undefined,
			secrets: this.secrets(),
		});
	}

	/** Waits before the next attempt; false when no retry is allowed or it would not fit in the budget. */
	private async waitToRetry(decision: RetryDecision): Promise<boolean> {
		if (!decision.retry) return false;
		this.firstFailureAt ??= clock().now();
		const { itemIndex, operationTitle } = this.options;
		this.context.logger?.info(
			`${this.profile.name}: ${operationTitle ?? this.spec.path}${itemIndex !== undefined ? ` (item ${itemIndex + 1})` : ''} is retried in ${Math.round(decision.delayMs / 100) / 10} s`,
		);
		return await waitForRetry(decision.delayMs, this.spentMs(), this.policy);
	}

	/** A rate limit's wait applies to every request of the run (pacer.pause); false when it exceeds the budget. */
	private pauseRun(decision: RetryDecision, statusCode: number): boolean {
		if (!decision.retry || decision.delayMs > this.policy.maxTotalWaitMs) return false;
		this.pacer.pause(decision.delayMs, `${this.profile.name} answered ${statusCode === 503 ? '503 (overloaded)' : 'that the rate limit is reached'}`);
		return true;
	}

	/** Hands the attempt's slot back to the pacer (once per permit): healthy answers widen the window, congestion halves it. */
	private settle(outcome: AttemptOutcome): void {
		if (this.permit) this.pacer.release(this.permit, outcome);
	}

	private spentMs(): number {
		return this.firstFailureAt === undefined ? 0 : clock().now() - this.firstFailureAt;
	}

	/** What no error may show: the credential's secrets, old and renewed tokens alike. */
	private secrets(): string[] {
		return this.renewal?.secrets() ?? secretsOf(this.credentials);
	}

	private get timeout(): number {
		return this.spec.timeout ?? DEFAULT_TIMEOUT_MS;
	}

	/** The body of the first attempt; a value a form cannot carry (FormValueError) is bad input, never sent. */
	private readBody(): ReturnType<typeof requestBody> {
		try {
			return requestBody(this.spec);
		} catch (error) {
			const item = this.options.itemIndex !== undefined ? ` (item ${this.options.itemIndex + 1})` : '';
			throw new NodeOperationError(this.node, `${(error as Error).message}${item}`, { itemIndex: this.options.itemIndex });
		}
	}

	private requestOptions(body: ReturnType<typeof requestBody>): IHttpRequestOptions {
		const headers: IDataObject = { ...(this.spec.headers ?? {}) };
		if (this.spec.bodyType === 'form') headers['Content-Type'] = 'application/x-www-form-urlencoded';
		return {
			method: this.spec.method,
			baseURL: this.spec.baseUrl !== undefined ? normalizeBaseUrl(this.spec.baseUrl) : baseUrlOf(this.credentials),
			url: this.spec.path,
			qs: this.spec.qs,
			body,
			headers,
			json: this.spec.bodyType === undefined || this.spec.bodyType === 'json',
			returnFullResponse: true,
			timeout: this.timeout,
			// Every status is an answer we shape ourselves, except 401: thrown, so that n8n-core refreshes an
			// OAuth2 token itself where our renewal cannot (an n8n without refreshOAuth2Token). A 401 means the
			// provider refused the request without processing it: sending it once more with a renewed token
			// (below, or n8n's own repeat) cannot send anything twice.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};
	}
}
