import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { BASE_URL_EXPRESSION, baseUrlProperty } from './common';
import { bodyAuthentication } from './shared/bodyAuthentication';

/** Account API key of an Email Gateway (Octeth) installation, sent as the `APIKey` body field of `/api.php` commands. */
export class EmailGatewayApi implements ICredentialType {
	name = 'emailGatewayApi';

	displayName = 'Email Gateway API';

	icon: Icon = { light: 'file:../icons/emailGateway.svg', dark: 'file:../icons/emailGateway.dark.svg' };

	documentationUrl = 'https://dev.octeth.com/v5.9.1/api-reference/emailgateway';

	properties: INodeProperties[] = [
		baseUrlProperty('/api.php'),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Account API key (Settings → API keys)',
		},
	];

	// In the body of every request, JSON, urlencoded or multipart alike (generic authentication would miss forms).
	authenticate = bodyAuthentication({ APIKey: 'apiKey' });

	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/api.php',
			method: 'POST',
			body: { Command: 'EmailGateway.GetDomains', ResponseFormat: 'JSON' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Success',
					value: false,
					message: 'Email Gateway refused the API key. Check the key and the Base URL.',
				},
			},
		],
	};
}
