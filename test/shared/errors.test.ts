import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, connectionApiError, providerApiError, redact } from '../../nodes/shared/http/errors';
import type { ProviderFailure } from '../../nodes/shared/http/errors';

import { emailGatewayNode } from '../harness/fixtures';

const node = emailGatewayNode;

const codes = {
	'5': 'The domain is already registered',
	'7': 'Invalid domain name',
	'99999': 'Invalid API key',
};

function failure(errors: ProviderFailure['errors'], httpCode = 200, body: unknown = { Success: false }): ProviderFailure {
	return { httpCode, errors, body };
}

describe('providerApiError', () => {
	it('puts the provider message, the documented meaning and the code in the message', () => {
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			operationTitle: 'Add a New Email Sender Domain',
			failure: failure([{ code: '5', message: 'Domain exists' }]),
			errorCodes: codes,
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Email Gateway refused the request to "Add a New Email Sender Domain": Domain exists (The domain is already registered) [error code 5]',
		);
	});

	it('does not repeat a meaning the provider message already says', () => {
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			failure: failure([{ code: '7', message: 'invalid domain name' }]),
			errorCodes: codes,
		});
		expect(error.message).toBe('Email Gateway refused the request: invalid domain name [error code 7]');
	});

	it('uses the documented meaning when the provider sends only a code, or an empty message', () => {
		for (const message of [undefined, '', '   ']) {
			const error = providerApiError(node, {
				provider: 'Email Gateway',
				failure: failure([{ code: '99999', message }]),
				errorCodes: codes,
			});
			expect(error.message).toBe('Email Gateway refused the request: Invalid API key [error code 99999]');
		}
	});

	it('still shows an undocumented code', () => {
		const error = providerApiError(node, { provider: 'Email Gateway', failure: failure([{ code: '42' }]), errorCodes: codes });
		expect(error.message).toContain('[error code 42]');
		expect(error.message).not.toMatch(/undefined/);
	});

	it("keeps the provider's wording even when it contains a Node.js error code n8n would rewrite", () => {
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			failure: failure([{ code: '5', message: 'Cannot overwrite a preexisting domain' }]),
			errorCodes: codes,
		});
		expect(error.message).toBe(
			'Email Gateway refused the request: Cannot overwrite a preexisting domain (The domain is already registered) [error code 5]',
		);
	});

	it('falls back to the HTTP status when the provider gave no error entry', () => {
		const error = providerApiError(node, { provider: 'Especial', failure: failure([], 502, '<html>Bad gateway</html>') });
		expect(error.message).toBe('Especial refused the request: HTTP 502');
		expect(error.description).toContain('HTTP status 502');
		expect(error.httpCode).toBe('502');
	});

	it('lists every error in the description when there are several', () => {
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			failure: failure([{ code: '5', message: 'Domain exists' }, { code: '7' }]),
			errorCodes: codes,
		});
		expect(error.message).toContain('Domain exists');
		expect(error.message).not.toContain('Invalid domain name');
		expect(error.description).toContain('Domain exists (The domain is already registered) [error code 5]');
		expect(error.description).toContain('Invalid domain name [error code 7]');
	});

	it('adds the hint, says when the failure came with HTTP 200, and keeps item index and provider codes', () => {
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			failure: failure([{ code: '99999', message: 'Auth failed' }, { code: '5' }]),
			errorCodes: codes,
			hint: 'Check the API key of the credential.',
			itemIndex: 4,
		});
		expect(error.description).toContain('Check the API key of the credential.');
		expect(error.description).toMatch(/HTTP 200/);
		expect(error.httpCode).toBe('200');
		expect(error.context.itemIndex).toBe(4);
		expect(error.context.providerCodes).toEqual(['99999', '5']);
	});

	it('never shows a secret the provider echoed, in message, description or stored body', () => {
		const apiKey = 'k3y-0123456789abcdef';
		const error = providerApiError(node, {
			provider: 'Email Gateway',
			failure: failure(
				[{ code: '99999', message: `API key ${apiKey} is not valid` }, { code: '5', message: `also ${apiKey}` }],
				401,
				{ Success: false, Echo: { APIKey: apiKey, Command: 'EmailGateway.AddDomain' } },
			),
			errorCodes: codes,
			hint: `Key used: ${apiKey}`,
			secrets: [apiKey],
		});
		expect(error.message).toBe('Email Gateway refused the request: API key *** is not valid (Invalid API key) [error code 99999]');
		expect(error.description).not.toContain(apiKey);
		expect(JSON.stringify(error)).not.toContain(apiKey);
		expect(JSON.stringify(error.errorResponse)).toContain('EmailGateway.AddDomain');
		expect(error.stack ?? '').not.toContain(apiKey);
	});
});

describe('redact', () => {
	it('replaces every occurrence of every secret', () => {
		expect(redact('key=abcd1234 again abcd1234, token tok-9999', ['abcd1234', 'tok-9999'])).toBe('key=*** again ***, token ***');
	});

	it('leaves text alone without secrets, and ignores empty or very short ones', () => {
		expect(redact('nothing to hide')).toBe('nothing to hide');
		expect(redact('a the abc', ['', 'a', 'abc'])).toBe('a the abc');
	});

	it('hides the whole of a longer secret that contains a shorter one', () => {
		const result = redact('user admin, password admin1234', ['admin', 'admin1234']);
		expect(result).not.toContain('1234');
		expect(result).toBe('user ***, password ***');
	});

	it('hides secrets echoed URL-encoded or JSON-escaped', () => {
		const secret = 'ab+c/d=e"f';
		expect(redact(`APIKey=${encodeURIComponent(secret)}&x=1`, [secret])).toBe('APIKey=***&x=1');
		expect(redact(JSON.stringify({ APIKey: secret }), [secret])).toBe('{"APIKey":"***"}');
	});
});

describe('connectionApiError', () => {
	it('names the provider and the connection code, without secrets', () => {
		const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 (key s3cr3t-key)'), { code: 'ECONNREFUSED' });
		const error = connectionApiError(node, 'Email Gateway', 'ECONNREFUSED', cause, 2, ['s3cr3t-key']);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Could not reach Email Gateway \(ECONNREFUSED\): /);
		expect(error.message).not.toContain('s3cr3t-key');
		expect(JSON.stringify(error)).not.toContain('s3cr3t-key');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/not repeated/);
	});

	it('says when the request was already retried', () => {
		const error = connectionApiError(node, 'Email Gateway', undefined, new Error('socket hang up'), undefined, [], true);
		expect(error.message).toBe('Could not reach Email Gateway: socket hang up');
		expect(error.description).toMatch(/retried/);
	});

	it('says how long it waited after a timeout, and that the request may have been processed', () => {
		const cause = Object.assign(new Error('timeout of 60000ms exceeded'), { code: 'ECONNABORTED' });
		const error = connectionApiError(node, 'Email Gateway', 'ECONNABORTED', cause, 0, [], false, 60_000);
		expect(error.message).toBe('Email Gateway did not answer within 60 s (ECONNABORTED)');
		expect(error.description).toMatch(/not repeated/);
		expect(error.description).toMatch(/may still have been processed: check in Email Gateway/);
		expect(connectionApiError(node, 'Email Gateway', 'ECONNABORTED', cause, 0, [], true, 1_500).message).toBe(
			'Email Gateway did not answer within 1.5 s (ECONNABORTED)',
		);
	});
});

describe('asNodeError', () => {
	it('keeps n8n node errors as they are', () => {
		const apiError = new NodeApiError(node, { message: 'x' }, { message: 'Provider said no', itemIndex: 1 });
		const operationError = new NodeOperationError(node, 'Bad input', { itemIndex: 2 });
		expect(asNodeError(node, apiError, 5)).toBe(apiError);
		expect(asNodeError(node, operationError, 5)).toBe(operationError);
		expect(apiError.context.itemIndex).toBe(1);
		expect(operationError.context.itemIndex).toBe(2);
	});

	it('fills in the item index of a kept n8n error that has none', () => {
		const operationError = new NodeOperationError(node, 'Bad input');
		expect(asNodeError(node, operationError, 3).context.itemIndex).toBe(3);
	});

	it('wraps anything else in a NodeOperationError with node and item index', () => {
		const wrapped = asNodeError(node, new TypeError('cannot read x of undefined'), 7);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('cannot read x of undefined');
		expect(wrapped.node).toBe(node);
		expect(wrapped.context.itemIndex).toBe(7);

		const fromString = asNodeError(node, 'plain text failure', 0);
		expect(fromString).toBeInstanceOf(NodeOperationError);
		expect(fromString.message).toBe('plain text failure');
	});
});
