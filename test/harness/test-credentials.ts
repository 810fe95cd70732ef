/**
 * Test-only credential types that renew their tokens, and a node that sends one request per item, all
 * items at once, through the shared transport. Registered in the engine harness with `registerRenewalTypes()`.
 * - `oAuth2Api`: n8n's own OAuth2 parent type (packages/nodes-base/credentials/OAuth2Api.credentials.ts),
 *   the properties n8n-core's OAuth2 path reads, so that `extends: ['oAuth2Api']` works as in n8n.
 * - `testOAuth2Api`: a provider's OAuth2 credential on it (CleverReach-like).
 * - `testPasswordGrantApi`: a password grant in `preAuthentication` with an expirable token (Especial-like).
 * - `testApiKeyApi`: a plain API key, which is never renewed.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { sendRequest } from '../../nodes/shared/http/transport';
import type { ProviderProfile } from '../../nodes/shared/http/transport';
import { PACKAGE, registerTestTypes } from './engine';

class OAuth2Api implements ICredentialType {
	name = 'oAuth2Api';

	displayName = 'OAuth2 API';

	genericAuth = true;

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
				{ name: 'PKCE', value: 'pkce' },
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'] } },
			default: '',
			required: true,
		},
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '', required: true },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', required: true },
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Body', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'header',
		},
		{ displayName: 'Ignore SSL Issues (Insecure)', name: 'ignoreSSLIssues', type: 'boolean', default: false, doNotInherit: true },
	];
}

export class TestOAuth2Api implements ICredentialType {
	name = 'testOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Test OAuth2 API';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
			],
			default: 'authorizationCode',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	];
}

/** The form body of a password grant, as the credential's preAuthentication sends it. */
function passwordGrantBody(credentials: ICredentialDataDecryptedObject): string {
	return new URLSearchParams({
		grant_type: 'password',
		username: String(credentials.username ?? ''),
		password: String(credentials.password ?? ''),
	}).toString();
}

export class TestPasswordGrantApi implements ICredentialType {
	name = 'testPasswordGrantApi';

	displayName = 'Test Password Grant API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Access Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const answer = (await this.helpers
			.httpRequest({
				method: 'POST',
				url: `${String(credentials.baseUrl)}/oauth/token`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: passwordGrantBody(credentials),
			})
			.catch((error: { response?: { data?: { error?: string } } }) => {
				// A credential explains the refusals it knows in its own words (Especial: a second factor).
				if (error.response?.data?.error === 'mfa_required') {
					throw new Error('This user has two-factor authentication on: use an API user without it');
				}
				throw error;
			})) as IDataObject | string;
		const token = (typeof answer === 'string' ? (JSON.parse(answer) as IDataObject) : answer).access_token;
		return { accessToken: String(token) };
	}

	authenticate = {
		type: 'generic' as const,
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};
}

export class TestApiKeyApi implements ICredentialType {
	name = 'testApiKeyApi';

	displayName = 'Test API Key API';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
	];

	authenticate = {
		type: 'generic' as const,
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};
}

/** The fake's `{ error: { code, message } }` envelope; the password grant's token lives in `accessToken`. */
export const tokenProviderProfile: ProviderProfile = {
	name: 'Token Provider',
	detectFailure(statusCode, body) {
		if (statusCode < 400) return undefined;
		const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
		return { httpCode: statusCode, errors: error ? [{ code: error.code, message: error.message }] : [], body };
	},
	expirableTokenProperty: 'accessToken',
};

/** Sends one POST per item through sendRequest: every item at once (as a node with concurrency does) or one after another. */
export class TokenClient implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Token Client',
		name: 'tokenClient',
		group: ['transform'],
		version: 1,
		description: 'Test node: one request per item, all in flight together',
		defaults: { name: 'Token Client' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'testOAuth2Api', required: false },
			{ name: 'testPasswordGrantApi', required: false },
			{ name: 'testApiKeyApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: 'testOAuth2Api' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/api/messages' },
			{
				displayName: 'Sending',
				name: 'sending',
				type: 'options',
				options: [
					{ name: 'All Items at Once', value: 'concurrent' },
					{ name: 'One After Another', value: 'sequential' },
				],
				default: 'concurrent',
			},
			{
				displayName: 'Body Type',
				name: 'bodyType',
				type: 'options',
				options: [
					{ name: 'JSON', value: 'json' },
					{ name: 'Multipart', value: 'multipart' },
				],
				default: 'json',
			},
			{
				displayName: 'Without refreshOAuth2Token',
				name: 'withoutRefreshHelper',
				type: 'boolean',
				default: false,
				description: 'Whether to run as in an n8n whose node helpers have no refreshOAuth2Token (n8n then refreshes by itself)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentialType = this.getNodeParameter('credentialType', 0) as string;
		const context: IExecuteFunctions = this.getNodeParameter('withoutRefreshHelper', 0)
			? Object.create(this, { helpers: { value: { ...this.helpers, refreshOAuth2Token: undefined } } })
			: this;
		const send = async (itemIndex: number) =>
			await sendRequest(
				context,
				credentialType,
				{
					method: 'POST',
					path: this.getNodeParameter('path', itemIndex) as string,
					body: { item: itemIndex, ...items[itemIndex].json },
					bodyType: this.getNodeParameter('bodyType', itemIndex) as 'json' | 'multipart',
					idempotent: false,
				},
				tokenProviderProfile,
				{ itemIndex },
			);
		let results: Array<PromiseSettledResult<IDataObject>>;
		if (this.getNodeParameter('sending', 0) === 'sequential') {
			results = [];
			for (const itemIndex of items.keys()) results.push(...(await Promise.allSettled([send(itemIndex)])));
		} else {
			results = await Promise.allSettled(items.map(async (_item, itemIndex) => await send(itemIndex)));
		}
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, result] of results.entries()) {
			if (result.status === 'fulfilled') output.push({ json: result.value, pairedItem: { item: itemIndex } });
			else if (this.continueOnFail()) output.push({ json: { error: (result.reason as Error).message }, pairedItem: { item: itemIndex } });
			else throw result.reason;
		}
		return [output];
	}
}

export const TOKEN_CLIENT = 'tokenClient';

export function registerRenewalTypes(): void {
	registerTestTypes({
		nodes: { [`${PACKAGE}.${TOKEN_CLIENT}`]: new TokenClient() },
		credentials: {
			oAuth2Api: new OAuth2Api(),
			testOAuth2Api: new TestOAuth2Api(),
			testPasswordGrantApi: new TestPasswordGrantApi(),
			testApiKeyApi: new TestApiKeyApi(),
		},
	});
}
