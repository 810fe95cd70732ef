import type {
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { connectionApiError, providerApiError } from './errors';
import type { ProviderFailure } from './errors';
import { connectionErrorCode, decideRetry, DEFAULT_RETRY_POLICY, waitForRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { RequestSpec } from './types';

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

export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
}

/** Secret values of a credential, so that no error message ever shows them. */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return Object.entries(credentials)
		.filter(([key]) => key !== 'baseUrl')
		.map(([, value]) => (typeof value === 'string' ? value : ''))
		.filter((value) => value.length >= 4);
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return {};
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

/** A fresh body per attempt: authentication adds to it, and a multipart stream is read once. */
function requestBody(spec: RequestSpec): IDataObject | FormData | undefined {
	if (spec.bodyType !== 'multipart') return spec.body === undefined ? undefined : { ...spec.body };
	const form = new FormData();
	for (const [key, value] of Object.entries(spec.body ?? {})) {
		if (value === undefined || value === null) continue;
		form.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
	}
	for (const file of spec.files ?? []) {
		form.append(file.field, new Blob([file.data], { type: file.mimeType }), file.fileName);
	}
	return form;
}

/**
 * Sends one provider request through n8n's httpRequestWithAuthentication: applies the credential's
 * base URL, retries only where that cannot send anything twice, and shapes every error answer
 * (whatever its HTTP status) into a NodeApiError with the provider's code and its documented meaning.
 */
export async function sendRequest(
	context: RequestContext,
	credentialType: string,
	spec: RequestSpec,
	profile: ProviderProfile,
	options: SendOptions = {},
): Promise<IDataObject> {
	const credentials = await getCachedCredentials(context, credentialType);
	const secrets = secretsOf(credentials);
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	const node = context.getNode();
	// n8n's helper would fetch (and decrypt) the credential again for every request; hand it ours.
	const credentialOptions = {
		credentialsDecrypted: {
			id: node.credentials?.[credentialType]?.id ?? '',
			name: node.credentials?.[credentialType]?.name ?? credentialType,
			type: credentialType,
			data: credentials,
		},
	};
	const headers: IDataObject = { ...(spec.headers ?? {}) };
	if (spec.bodyType === 'form') headers['Content-Type'] = 'application/x-www-form-urlencoded';

	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const request: IHttpRequestOptions = {
			method: spec.method,
			baseURL: baseUrlOf(credentials),
			url: spec.path,
			qs: spec.qs,
			body: requestBody(spec),
			headers: { ...headers },
			json: spec.bodyType === undefined || spec.bodyType === 'json',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentialType,
				request,
				credentialOptions,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const errorCode = connectionErrorCode(error);
			const decision = decideRetry({ errorCode }, spec.idempotent, attempt, policy);
			if (decision.retry && (await waitForRetry(decision.delayMs, waitedMs, policy))) {
				waitedMs += decision.delayMs;
				continue;
			}
			throw connectionApiError(node, profile.name, errorCode, error, options.itemIndex, secrets, attempt > 1);
		}

		const body = parseBody(response.body);
		const statusCode = response.statusCode;
		if (statusCode === 429 || statusCode >= 500) {
			const decision = decideRetry(
				{ statusCode, retryAfter: response.headers?.['retry-after'] },
				spec.idempotent,
				attempt,
				policy,
			);
			if (decision.retry && (await waitForRetry(decision.delayMs, waitedMs, policy))) {
				waitedMs += decision.delayMs;
				continue;
			}
		}
		// A profile that only reads envelopes must not turn an HTTP error page into output data.
		const failure =
			profile.detectFailure(statusCode, body) ?? (statusCode >= 400 ? { httpCode: statusCode, errors: [], body } : undefined);
		if (failure) {
			const retryNote =
				statusCode === 429
					? ` Still rate limited after waiting ${Math.round(waitedMs / 1000)} s; lower the batch size or add a Wait node.`
					: '';
			throw providerApiError(node, {
				provider: profile.name,
				operationTitle: options.operationTitle,
				failure,
				errorCodes: { ...(profile.errorCodes ?? {}), ...(options.errorCodes ?? {}) },
				itemIndex: options.itemIndex,
				hint: `${profile.hint?.(failure) ?? ''}${retryNote}`.trim() || undefined,
				secrets,
			});
		}
		if (body === null || typeof body !== 'object') return { data: body as string };
		return body as IDataObject;
	}
}
