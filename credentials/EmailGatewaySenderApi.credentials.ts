import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { BASE_URL_EXPRESSION, baseUrlProperty } from './common';
import { bearerAuthentication } from './shared/bearerAuthentication';

/** Sender-domain API key of an Email Gateway (Octeth) installation, for the `/api/v1/*` endpoints. */
export class EmailGatewaySenderApi implements ICredentialType {
	name = 'emailGatewaySenderApi';

	displayName = 'Email Gateway Sender API';

	icon: Icon = { light: 'file:../icons/emailGateway.svg', dark: 'file:../icons/emailGateway.dark.svg' };

	documentationUrl = 'https://dev.octeth.com/v5.9.1/api-reference/emailgateway';

	properties: INodeProperties[] = [
		baseUrlProperty('/api/v1'),
		{
			displayName: 'Sender API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'API key of the sender domain (Email Gateway → domain → API keys)',
		},
	];

	// Every example in the docs sends the sender key as a Bearer token. A function, not the declarative
	// form: n8n would run its expression engine for every send (see bearerAuthentication).
	authenticate = bearerAuthentication('apiKey');

	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/api/v1/webhooks',
			method: 'GET',
		},
		// Octeth may answer a refused key with HTTP 200 and an Errors list, which alone would pass.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'Errors[0].Code', value: 13, message: 'Email Gateway refused the sender API key (Invalid SenderAPIKey).' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'Errors[0].Code', value: 2, message: 'Email Gateway says the account of this sender key is invalid.' },
			},
		],
	};
}
