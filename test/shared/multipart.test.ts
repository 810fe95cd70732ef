/**
 * Binary uploads: a multipart body built by sendRequest goes out through n8n-core's request helper
 * with its fields and file bytes intact, and readBinaryFile takes files from an item's binary data.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { sendRequest } from '../../nodes/shared/http/transport';
import type { ProviderProfile } from '../../nodes/shared/http/transport';
import { requestContext } from '../harness/context';

interface Received {
	contentType: string;
	raw: Buffer;
}

const profile: ProviderProfile = { name: 'Test Provider', detectFailure: () => undefined };

describe('multipart uploads through sendRequest', () => {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ contentType: String(req.headers['content-type']), raw: Buffer.concat(chunks) });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ status: 'OK' }));
		});
	});
	let url = '';

	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	test('fields and a binary file arrive as multipart/form-data with the exact bytes', async () => {
		const context = requestContext({ emailGatewayApi: { baseUrl: url, apiKey: 'key-1234' } });
		const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
		const answer = await sendRequest(
			context,
			'emailGatewayApi',
			{
				method: 'POST',
				path: '/upload',
				bodyType: 'multipart',
				body: { subject: 'Invoice', count: 2, meta: { a: 1, tags: ['x', 'y'] } } as IDataObject,
				files: [{ field: 'attachment', data: bytes, fileName: 'invoice.pdf', mimeType: 'application/pdf' }],
				idempotent: false,
			},
			profile,
		);
		expect(answer).toEqual({ status: 'OK' });
		expect(received).toHaveLength(1);
		const { contentType, raw } = received[0];
		const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
		expect(contentType.startsWith('multipart/form-data')).toBe(true);
		expect(boundary).toBeDefined();
		const parts = raw.toString('latin1').split(`--${boundary}`);
		const part = (name: string) => parts.find((candidate) => candidate.includes(`name="${name}"`));
		expect(part('subject')).toContain('\r\n\r\nInvoice\r\n');
		expect(part('count')).toContain('\r\n\r\n2\r\n');
		// Nested values as PHP-style bracket keys (shared/http/form.ts), not as JSON text.
		expect(part('meta')).toBeUndefined();
		expect(part('meta[a]')).toContain('\r\n\r\n1\r\n');
		expect(part('meta[tags][1]')).toContain('\r\n\r\ny\r\n');
		// The account key arrived as a field of the form (the credential's authenticate adds it to FormData).
		expect(part('APIKey')).toContain('\r\n\r\nkey-1234\r\n');
		const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		expect([...form.keys()]).toEqual(['subject', 'count', 'meta[a]', 'meta[tags][0]', 'meta[tags][1]', 'attachment', 'APIKey']);
		const file = part('attachment')!;
		expect(file).toContain('filename="invoice.pdf"');
		expect(file).toMatch(/Content-Type: application\/pdf/i);
		const content = Buffer.from(file.slice(file.indexOf('\r\n\r\n') + 4, file.lastIndexOf('\r\n')), 'latin1');
		expect(content.equals(bytes)).toBe(true);
	});
});
