/**
 * Tokens renewed after a 401, once per run however many requests were refused together, through n8n-core's
 * real request path: the engine harness runs a test node that sends every item at once through the shared
 * transport, with n8n's own OAuth2 code (a type that extends `oAuth2Api`, refresh and client credentials
 * against a token endpoint) and n8n's own preAuthentication rule (an expirable token fetched with a
 * password grant), against a fake provider that accepts only its current token.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { CLIENT_ID, CLIENT_SECRET, PASSWORD, TokenProviderFake, USERNAME } from '../harness/oauth-fake';
import { registerRenewalTypes, TOKEN_CLIENT } from '../harness/test-credentials';

registerRenewalTypes();

let fake: TokenProviderFake;

beforeEach(async () => {
	fake = await new TokenProviderFake().start();
});

afterEach(async () => {
	await fake.stop();
});

const ITEMS = 8;
const items = (count = ITEMS) => Array.from({ length: count }, (_, index) => ({ json: { message: `message ${index}` } }));

async function run(credentialType: string, credentials: Record<string, ICredentialDataDecryptedObject>, count = ITEMS, parameters: IDataObject = {}) {
	return await runNode({
		nodeType: TOKEN_CLIENT,
		parameters: { credentialType, path: '/api/messages', ...parameters },
		credentials,
		items: items(count),
		continueOnFail: true,
	});
}

/** How many times the provider accepted each item's request (it must be exactly once, or never). */
function acceptedPerItem(): number[] {
	const counts = Array.from({ length: ITEMS }, () => 0);
	for (const call of fake.apiCalls) if (call.accepted) counts[(call.body as { item: number }).item]++;
	return counts;
}

function oAuth2Credentials(grantType: 'authorizationCode' | 'clientCredentials', accessToken: string) {
	return {
		testOAuth2Api: {
			grantType,
			authUrl: `${fake.baseUrl}/oauth/authorize`,
			accessTokenUrl: fake.tokenUrl,
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			baseUrl: fake.baseUrl,
			oauthTokenData: {
				access_token: accessToken,
				token_type: 'Bearer',
				...(grantType === 'authorizationCode' ? { refresh_token: fake.refreshToken } : {}),
			},
		},
	} as Record<string, ICredentialDataDecryptedObject>;
}

const storedToken = (credentials: Record<string, ICredentialDataDecryptedObject>, type = 'testOAuth2Api') =>
	(credentials[type].oauthTokenData as IDataObject).access_token;

describe('OAuth2 credential (extends oAuth2Api): refreshed after a 401, once for the run', () => {
	it('an expired token is refreshed with the refresh token (client Basic auth) and the request sent once more', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		const result = await run('testOAuth2Api', credentials, 1);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ ok: true, received: { item: 0 } });
		expect(fake.tokenCalls).toEqual([{ grantType: 'refresh_token', clientAuth: 'basic', ok: true }]);
		expect(fake.apiCalls.map((call) => [call.authorization, call.accepted])).toEqual([
			['Bearer expired-access-token', false],
			[`Bearer ${fake.accessToken}`, true],
		]);
		// n8n stored the new token: the next run uses it without refreshing.
		expect(storedToken(credentials)).toBe(fake.accessToken);
		expect((credentials.testOAuth2Api.oauthTokenData as IDataObject).refresh_token).toBe(fake.refreshToken);
		await run('testOAuth2Api', credentials, 1);
		expect(fake.tokenCalls).toHaveLength(1);
		expect(fake.apiCalls.slice(2).map((call) => call.accepted)).toEqual([true]);
	});

	it('8 items refused together: one refresh, each request sent once more and accepted once', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		const result = await run('testOAuth2Api', credentials);
		expect(result.items.map((item) => item.json.ok)).toEqual(Array.from({ length: ITEMS }, () => true));
		expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));
		expect(fake.tokenCallsOf('refresh_token')).toBe(1);
		expect(fake.apiCalls).toHaveLength(2 * ITEMS);
		expect(fake.apiCalls.filter((call) => !call.accepted).every((call) => call.authorization === 'Bearer expired-access-token')).toBe(true);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
	});

	it('client credentials: a new token is fetched once for 8 refused items', async () => {
		const credentials = oAuth2Credentials('clientCredentials', 'expired-access-token');
		const result = await run('testOAuth2Api', credentials);
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCalls).toEqual([{ grantType: 'client_credentials', clientAuth: 'basic', ok: true }]);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
		expect(storedToken(credentials)).toBe(fake.accessToken);
	});

	it('client credentials, first use: one token for 8 items sent at once, then each request once', async () => {
		const credentials = oAuth2Credentials('clientCredentials', '');
		delete credentials.testOAuth2Api.oauthTokenData;
		const result = await run('testOAuth2Api', credentials);
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCalls).toEqual([{ grantType: 'client_credentials', clientAuth: 'basic', ok: true }]);
		expect(fake.apiCalls).toHaveLength(ITEMS);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
	});

	it('client credentials, first use with a wrong client secret: one token request, a plain error, nothing sent', async () => {
		const credentials = oAuth2Credentials('clientCredentials', '');
		delete credentials.testOAuth2Api.oauthTokenData;
		credentials.testOAuth2Api.clientSecret = 'wrong-client-secret-99';
		const result = await run('testOAuth2Api', credentials);
		expect(fake.tokenCalls).toEqual([{ grantType: 'client_credentials', clientAuth: 'basic', ok: false }]);
		expect(fake.apiCalls).toHaveLength(0);
		expect(result.items.map((item) => item.json.error)).toEqual(
			Array.from({ length: ITEMS }, () => 'Token Provider: could not get an OAuth2 token of the credential "testOAuth2Api": the token endpoint answered "invalid_client"'),
		);
		expect(JSON.stringify(result.items)).not.toContain('wrong-client-secret-99');
	});

	it('a revoked refresh token: one attempt, a plain error naming the credential, no request sent again', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		credentials.testOAuth2Api.oauthTokenData = { access_token: 'expired-access-token', refresh_token: 'revoked-refresh-token', token_type: 'Bearer' };
		const result = await run('testOAuth2Api', credentials);
		expect(fake.tokenCalls).toEqual([{ grantType: 'refresh_token', clientAuth: 'basic', ok: false }]);
		expect(fake.apiCalls).toHaveLength(ITEMS);
		const messages = result.items.map((item) => item.json.error as string);
		expect(new Set(messages).size).toBe(1);
		expect(messages[0]).toBe(
			'Token Provider: could not renew the OAuth2 token of the credential "testOAuth2Api": The credential "testOAuth2Api" needs to be reconnected.',
		);
	});

	it('a token endpoint that refuses the client: says so, without the endpoint\'s secrets', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		fake.tokenFailure = { status: 401, error: 'invalid_client', description: `Client ${CLIENT_SECRET} unknown` };
		const result = await runNode({
			nodeType: TOKEN_CLIENT,
			parameters: { credentialType: 'testOAuth2Api', path: '/api/messages' },
			credentials,
			items: items(3),
		});
		expect(fake.tokenCalls).toHaveLength(1);
		expect(result.error?.message).toBe('Token Provider: could not renew the OAuth2 token of the credential "testOAuth2Api": the token endpoint answered "invalid_client"');
		expect(result.error?.context?.itemIndex).toBeDefined();
		expect(result.error?.description).toMatch(/reconnect it/);
		expect(JSON.stringify({ message: result.error?.message, description: result.error?.description })).not.toContain(CLIENT_SECRET);
	});

	it('the renewed token refused as well: stops with a clear error that never shows the new token', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		fake.refuseEveryToken = true;
		const result = await runNode({
			nodeType: TOKEN_CLIENT,
			parameters: { credentialType: 'testOAuth2Api', path: '/api/messages' },
			credentials,
			items: items(),
		});
		const renewed = fake.accessToken!;
		expect(fake.tokenCallsOf('refresh_token')).toBe(1);
		// Each item once with the old token, once with the renewed one, never a third time.
		expect(fake.apiCalls).toHaveLength(2 * ITEMS);
		expect(fake.apiCalls.filter((call) => call.authorization === `Bearer ${renewed}`)).toHaveLength(ITEMS);
		expect(result.error?.message).toBe('Token Provider refused the request: Token *** is not valid [error code token_invalid]');
		expect(result.error?.description).toContain('Token Provider refused the renewed token: reconnect the credential "testOAuth2Api"');
		const shown = JSON.stringify({ message: result.error?.message, description: result.error?.description, context: result.error?.context });
		expect(shown).not.toContain(renewed);
		expect(shown).not.toContain(fake.refreshToken);
		expect(shown).not.toContain('expired-access-token');
	});
});

describe('OAuth2 in an n8n without refreshOAuth2Token: n8n refreshes, errors still hide its new token', () => {
	const withoutHelper = { withoutRefreshHelper: true };

	it('8 items refused together: n8n refreshes and resends; each item accepted once', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		const result = await run('testOAuth2Api', credentials, ITEMS, withoutHelper);
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCallsOf('refresh_token')).toBeGreaterThanOrEqual(1);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
		expect(storedToken(credentials)).toBe(fake.accessToken);
	});

	it('the renewed token refused as well: the error says so and never shows the token n8n stored', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		fake.refuseEveryToken = true;
		const result = await runNode({
			nodeType: TOKEN_CLIENT,
			parameters: { credentialType: 'testOAuth2Api', path: '/api/messages', ...withoutHelper },
			credentials,
			items: items(1),
		});
		expect(fake.apiCalls).toHaveLength(2);
		expect(result.error?.message).toBe('Token Provider refused the request: Token *** is not valid [error code token_invalid]');
		expect(result.error?.description).toContain('Token Provider refused the renewed token');
		expect(JSON.stringify({ message: result.error?.message, description: result.error?.description })).not.toContain(fake.accessToken!);
	});

	it('a token endpoint that refuses the client: a plain error naming the credential, not a connection error', async () => {
		const credentials = oAuth2Credentials('authorizationCode', 'expired-access-token');
		fake.tokenFailure = { status: 401, error: 'invalid_client', description: `Client ${CLIENT_SECRET} unknown` };
		const result = await run('testOAuth2Api', credentials, 1, withoutHelper);
		expect(result.items[0].json.error).toBe(
			'Token Provider: could not renew the OAuth2 token of the credential "testOAuth2Api": the token endpoint answered "invalid_client"',
		);
	});
});

function passwordCredentials(extra: IDataObject = {}) {
	return { testPasswordGrantApi: { baseUrl: fake.baseUrl, username: USERNAME, password: PASSWORD, ...extra } } as Record<string, ICredentialDataDecryptedObject>;
}

describe('preAuthentication credential with an expirable token (password grant)', () => {
	it('first use: one token request (form-encoded password grant) for 8 items, and the token is stored', async () => {
		const credentials = passwordCredentials();
		const result = await run('testPasswordGrantApi', credentials);
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCalls).toEqual([{ grantType: 'password', clientAuth: 'none', ok: true }]);
		expect(fake.apiCalls).toHaveLength(ITEMS);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
		expect(credentials.testPasswordGrantApi.accessToken).toBe(fake.accessToken);
		// A later run uses the stored token.
		await run('testPasswordGrantApi', credentials, 2);
		expect(fake.tokenCalls).toHaveLength(1);
	});

	it('an expired token: 8 items refused together, renewed once, each sent once more and accepted once', async () => {
		const credentials = passwordCredentials({ accessToken: 'expired-session-token' });
		const result = await run('testPasswordGrantApi', credentials);
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCalls).toEqual([{ grantType: 'password', clientAuth: 'none', ok: true }]);
		expect(fake.apiCalls).toHaveLength(2 * ITEMS);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
		expect(credentials.testPasswordGrantApi.accessToken).toBe(fake.accessToken);
	});

	it('a token that expires in the middle of a run (requests one after another): renewed each time it expires, no item lost or repeated', async () => {
		const credentials = passwordCredentials();
		fake.expireAfterAccepted = 3;
		const result = await run('testPasswordGrantApi', credentials, ITEMS, { sending: 'sequential' });
		expect(result.items.map((item) => (item.json.received as IDataObject).item)).toEqual([...Array(ITEMS).keys()]);
		// A first token, and one renewal each time the token expired (after items 2 and 5).
		expect(fake.tokenCalls).toHaveLength(3);
		expect(fake.apiCalls.filter((call) => !call.accepted).map((call) => (call.body as IDataObject).item)).toEqual([3, 6]);
		expect(acceptedPerItem()).toEqual(Array.from({ length: ITEMS }, () => 1));
	});

	it('a multipart request refused with 401 is sent again whole after the renewal (n8n itself would not resend it)', async () => {
		const credentials = passwordCredentials({ accessToken: 'expired-session-token' });
		const result = await run('testPasswordGrantApi', credentials, 2, { bodyType: 'multipart' });
		expect(result.items.every((item) => item.json.ok === true)).toBe(true);
		expect(fake.tokenCalls).toHaveLength(1);
		expect(fake.apiCalls).toHaveLength(4);
		for (const call of fake.apiCalls.filter((recorded) => recorded.accepted)) {
			expect(String(call.body)).toMatch(/name="item"\r\n\r\n[01]\r\n/);
			expect(String(call.body)).toMatch(/name="message"\r\n\r\nmessage [01]\r\n/);
		}
	});

	it('a wrong password: one token request, a plain error per item, nothing sent to the API, no loop', async () => {
		const credentials = passwordCredentials({ password: 'wrong password 123' });
		const result = await run('testPasswordGrantApi', credentials);
		expect(fake.tokenCalls).toEqual([{ grantType: 'password', clientAuth: 'none', ok: false }]);
		expect(fake.apiCalls).toHaveLength(0);
		const messages = result.items.map((item) => item.json.error as string);
		expect(messages).toEqual(
			Array.from({ length: ITEMS }, () => 'Token Provider: could not get a token of the credential "testPasswordGrantApi": the token endpoint answered "invalid_grant", HTTP status 401'),
		);
		expect(JSON.stringify(result.items)).not.toContain('wrong password 123');
	});

	it("a refusal the credential explains itself (a second factor): its own words, once", async () => {
		fake.twoFactorRequired = true;
		const result = await run('testPasswordGrantApi', passwordCredentials(), 3);
		expect(fake.tokenCalls).toHaveLength(1);
		expect(fake.apiCalls).toHaveLength(0);
		expect(result.items[0].json.error).toBe(
			'Token Provider: could not get a token of the credential "testPasswordGrantApi": This user has two-factor authentication on: use an API user without it',
		);
	});

	it('the renewed token refused as well: one renewal, then a clear error without the new token', async () => {
		const credentials = passwordCredentials({ accessToken: 'expired-session-token' });
		fake.refuseEveryToken = true;
		const result = await runNode({
			nodeType: TOKEN_CLIENT,
			parameters: { credentialType: 'testPasswordGrantApi', path: '/api/messages' },
			credentials,
			items: items(),
		});
		const renewed = fake.accessToken!;
		expect(fake.tokenCalls).toHaveLength(1);
		expect(fake.apiCalls).toHaveLength(2 * ITEMS);
		expect(fake.apiCalls.filter((call) => call.authorization === `Bearer ${renewed}`)).toHaveLength(ITEMS);
		expect(result.error?.message).toBe('Token Provider refused the request: Token *** is not valid [error code token_invalid]');
		expect(result.error?.description).toContain('Token Provider refused the renewed token: reconnect the credential "testPasswordGrantApi"');
		const shown = JSON.stringify({ message: result.error?.message, description: result.error?.description, context: result.error?.context });
		expect(shown).not.toContain(renewed);
		expect(shown).not.toContain('expired-session-token');
		expect(shown).not.toContain(PASSWORD);
	});
});

describe('plain API key', () => {
	it('a 401 is not sent again and renews nothing', async () => {
		const credentials = { testApiKeyApi: { baseUrl: fake.baseUrl, apiKey: 'sk_live_wrong_key_42' } };
		const result = await run('testApiKeyApi', credentials);
		expect(fake.apiCalls).toHaveLength(ITEMS);
		expect(fake.tokenCalls).toHaveLength(0);
		for (const item of result.items) expect(item.json.error).toBe('Token Provider refused the request: Token *** is not valid [error code token_invalid]');
	});
});
