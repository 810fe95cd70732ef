import type { INodeProperties } from 'n8n-workflow';

// What the Email Gateway credentials share (icon and docs URL stay literal: the linters read them).

/** The credential's Base URL without trailing slashes, as an expression for test requests. */
export const BASE_URL_EXPRESSION = '={{$credentials.baseUrl.replace(/\\/+$/, "")}}';

export function baseUrlProperty(apiPath: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://mail.example.com',
		required: true,
		description: `Address of the Email Gateway installation, without ${apiPath}`,
	};
}
