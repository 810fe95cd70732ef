import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { BASE_URL_EXPRESSION } from './common';
import { bearerAuthentication } from './shared/bearerAuthentication';

/** What the token endpoint answered when it refused the login, as n8n's httpRequest error carries it. */
interface TokenRefusal {
	response?: { status?: number; data?: unknown };
	httpCode?: string;
	cause?: TokenRefusal;
}

function answerOf(error: TokenRefusal): { status?: number; body: IDataObject } {
	let current: TokenRefusal | undefined = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current.response) {
			let data = current.response.data;
			if (typeof data === 'string') {
				try {
					data = JSON.parse(data);
				} catch {
					data = {};
				}
			}
			return { status: current.response.status, body: (data && typeof data === 'object' ? data : {}) as IDataObject };
		}
		current = current.cause;
	}
	return { body: {} };
}

/**
 * Especial (the Cakemail next-gen API): OAuth2 password grant. n8n's OAuth2 credential has no password
 * grant, so this credential fetches its own access token (`POST /token`, form-encoded) into a hidden
 * expirable field and sends it as a Bearer token; the node renews it once after a 401.
 */
export class EspecialApi implements ICredentialType {
	name = 'especialApi';

	displayName = 'Especial API';

	icon: Icon = { light: 'file:../icons/especial.svg', dark: 'file:../icons/especial.dark.svg' };

	// The package's Especial page (credentials section); it links the API reference, which Cakemail publishes.
	documentationUrl = 'https://github.com/n8n-nodes-email-marketing/n8n-nodes-email-marketing/blob/main/docs/especial.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.cakemail.dev',
			required: true,
			description: 'Address of the Especial API (it runs on the Cakemail API; keep the default unless Especial gave you another)',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'Email address you log in to Especial with',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			description: 'Optional: the account the token is for, when the user belongs to several',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Logs in with the password grant; the token goes into the hidden expirable `accessToken`. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const form: Record<string, string> = {
			grant_type: 'password',
			username: String(credentials.username ?? '').trim(),
			password: String(credentials.password ?? ''),
		};
		const accountId = String(credentials.accountId ?? '').trim();
		if (accountId) form.account_id = accountId;
		let answer: unknown;
		try {
			answer = await this.helpers.httpRequest({
				method: 'POST',
				url: `${String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '')}/token`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: new URLSearchParams(form).toString(),
			});
		} catch (error) {
			const { status, body } = answerOf(error as TokenRefusal);
			// A user with multi-factor authentication gets a challenge instead of a token (HTTP 401 + challenge).
			if (body.challenge !== undefined) {
				throw new Error(
					'Especial asks this user for a second factor (two-factor authentication is on): n8n cannot answer it. Use an Especial user without two-factor authentication for n8n.',
				);
			}
			if (status === 401 || status === 400 || status === 403 || status === 422) {
				throw new Error('Especial refused the login: wrong username or password. Check the Username and Password of the Especial credential.');
			}
			throw error;
		}
		const data = (typeof answer === 'string' ? JSON.parse(answer) : answer) as IDataObject;
		if (typeof data?.access_token !== 'string' || data.access_token === '') {
			throw new Error('Especial answered the login without an access token: check the Base URL of the Especial credential.');
		}
		return { accessToken: data.access_token };
	}

	// The token preAuthentication fetched, as a Bearer header: a function, not the declarative form, which
	// would run n8n's expression engine for every request (see bearerAuthentication).
	authenticate = bearerAuthentication('accessToken');

	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/accounts/self',
			method: 'GET',
		},
	};
}
