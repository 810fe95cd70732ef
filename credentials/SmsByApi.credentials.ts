import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { bodyAuthentication } from './shared/bodyAuthentication';

const REFUSED_KEY = 'SMS.by refused the API key';
const CHECK_KEY = 'Check the API key (SMS.by → Settings → API) and the Base URL.';
const NOT_SMSBY = 'The Base URL did not answer as the SMS.by API does ({"status": "OK", ...}). Check the Base URL (https://app.sms.by, without /api/v2).';

/** SMS.by API key, sent as the `token` form field of every call (urlencoded and multipart alike), never in a URL. */
export class SmsByApi implements ICredentialType {
	name = 'smsByApi';

	displayName = 'SMS.by API';

	icon: Icon = { light: 'file:../icons/smsBy.svg', dark: 'file:../icons/smsBy.dark.svg' };

	documentationUrl = 'https://sms.by/en/api-docs/email';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.sms.by',
			required: true,
			description: 'Address of the SMS.by API, without /api/v2',
		},
		{
			displayName: 'API Key',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your API key (SMS.by → Settings → API)',
		},
	];

	// In the form body of every request (n8n's generic body authentication would miss form bodies).
	authenticate = bodyAuthentication({ token: 'token' });

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v2/getEmailTemplates',
			method: 'POST',
			// A form body (the API reads form fields); the authenticate function adds the token to it.
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {},
		},
		// n8n's credential test: a responseCode rule names an HTTP error status, a responseSuccessBody rule an
		// answer at 2xx whose `key` equals `value` exactly (so each spelling of SMS.by's error status is listed).
		rules: [
			...[421, 401, 403].map((code) => ({ type: 'responseCode' as const, properties: { value: code, message: `${REFUSED_KEY} (HTTP ${code}${code === 421 ? ' Data not verified' : ''}). ${CHECK_KEY}` } })),
			...['error', 'ERROR', 'Error'].map((status) => ({ type: 'responseSuccessBody' as const, properties: { key: 'status', value: status, message: `${REFUSED_KEY}. ${CHECK_KEY}` } })),
			{ type: 'responseSuccessBody', properties: { key: 'status', value: undefined, message: NOT_SMSBY } },
		] as ICredentialTestRequest['rules'],
	};
}
