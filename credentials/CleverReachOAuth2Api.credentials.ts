import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * CleverReach REST v3 through OAuth2 (an OAuth app of CleverReach: My Account → Extras → REST API).
 * v3 accepts only tokens issued by OAuth for a v3 app; the token goes out as `Authorization: Bearer`.
 * n8n's own OAuth2 flow does the rest: the "Connect" button (authorization code, with CleverReach's extra
 * `grant=basic` parameter), the refresh with the client's Basic auth, or client credentials for one's own account.
 */
export class CleverReachOAuth2Api implements ICredentialType {
	name = 'cleverReachOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CleverReach OAuth2 API';

	icon: Icon = { light: 'file:../icons/cleverReach.svg', dark: 'file:../icons/cleverReach.dark.svg' };

	documentationUrl = 'https://rest.cleverreach.com/howto/';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Authorization Code',
					value: 'authorizationCode',
					description: 'Connect a CleverReach account in the browser (an OAuth app for others\' accounts, or your own)',
				},
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'Your own account: the OAuth app\'s Client ID and Secret are enough, no browser step',
				},
			],
			default: 'authorizationCode',
		},
		{
			// Hidden: the REST server every URL below starts with; only a test server (the sandbox) sets another.
			// Not named serverUrl: n8n's oAuth2Api uses that name for dynamic client registration.
			displayName: 'REST Server URL',
			name: 'restUrl',
			type: 'hidden',
			default: 'https://rest.cleverreach.com',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{$self["restUrl"]}}/oauth/authorize.php',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{$self["restUrl"]}}/oauth/token.php',
		},
		{
			// CleverReach's authorize page expects grant=basic besides response_type=code.
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'grant=basic',
		},
		{
			// Scopes are set on the OAuth app in CleverReach, not requested per token.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			// Refresh and client credentials authenticate the client with HTTP Basic.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.restUrl}}/v3',
			url: '/debug/whoami.json',
			method: 'GET',
		},
	};
}
