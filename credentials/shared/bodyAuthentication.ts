import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

/**
 * A credential's `authenticate` for APIs that take their key as a field of the request body (Email
 * Gateway's `APIKey`, SMS.by's `token`), whatever the body is: a JSON object, a urlencoded form
 * (URLSearchParams) or a multipart form (FormData).
 *
 * n8n's generic authentication (`{ type: 'generic', properties: { body: {...} } }`) sets a property on the
 * body object: right for a JSON object, but on URLSearchParams or FormData that property is never sent,
 * so the key would be silently missing. n8n calls a function `authenticate` with the request (for node
 * requests and for the credential's Test button alike), so the field goes in the way each body type
 * carries fields. Run again on the same request (after n8n renews a credential on a 401), it replaces the
 * field instead of adding a second one.
 *
 * @param fields body field name → credential property, e.g. `{ APIKey: 'apiKey' }`
 */
export function bodyAuthentication(fields: Record<string, string>) {
	return async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const values = Object.entries(fields).map(([field, property]) => [field, String(credentials[property] ?? '')] as const);
		const { body } = requestOptions;
		if (body instanceof URLSearchParams || body instanceof FormData) {
			for (const [field, value] of values) body.set(field, value);
			return requestOptions;
		}
		if (body === undefined || body === null || (typeof body === 'object' && !Buffer.isBuffer(body) && !Array.isArray(body))) {
			return { ...requestOptions, body: { ...((body ?? {}) as IDataObject), ...Object.fromEntries(values) } };
		}
		// A text, Buffer or stream body has no fields: sending it without the key would fail at the provider
		// with a misleading "authentication failed".
		throw new ApplicationError(`The credential must add ${Object.keys(fields).join(', ')} to the request body, which has no fields`);
	};
}
