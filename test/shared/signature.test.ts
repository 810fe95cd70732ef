/**
 * HMAC over the raw body in hex and base64 (nodes/shared/trigger/signature.ts). Expected digests are the
 * published RFC 4231 vectors and values computed here with node:crypto, the way each provider's docs
 * tell a receiver to compute them (Especial: `createHmac('sha256', secret).update(rawBody).digest('base64')`
 * compared with the `x-signature` header).
 */
import { createHmac } from 'node:crypto';

import { hmacDigest, hmacHex, verifyHmac } from '../../nodes/shared/trigger/signature';

// RFC 4231 test case 2 (HMAC-SHA256) and test case 1 (HMAC-SHA512, key 0x0b × 20, "Hi There").
const RFC4231_KEY = 'Jefe';
const RFC4231_DATA = 'what do ya want for nothing?';
const RFC4231_SHA256_HEX = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const RFC4231_CASE1_KEY = Buffer.alloc(20, 0x0b);
const RFC4231_CASE1_SHA512_HEX =
	'87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854';
// The same digest in base64, as Especial writes it (derived from the published hex, not by the code under test).
const RFC4231_SHA256_BASE64 = Buffer.from(RFC4231_SHA256_HEX, 'hex').toString('base64');

// A delivery as Especial documents it (raw bytes as sent: the signature covers exactly these).
const SECRET = 'whsec-3f1c2b9a7e';
const RAW_BODY = Buffer.from(
	'{"event":"Email.Bounced","account_id":123,"created_on":1627069315,"data":{"email":"jane@example.com","message_id":"m-1"}}',
);
const especialSignature = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('base64');

describe('hmacDigest / hmacHex', () => {
	test('match the RFC 4231 vectors in both encodings', () => {
		expect(hmacHex('sha256', RFC4231_KEY, RFC4231_DATA)).toBe(RFC4231_SHA256_HEX);
		expect(hmacDigest('sha256', RFC4231_KEY, RFC4231_DATA, 'base64')).toBe(RFC4231_SHA256_BASE64);
		// Written out as computed with Python's hmac/base64 modules, a second implementation.
		expect(RFC4231_SHA256_BASE64).toBe('W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
		expect(hmacDigest('sha512', RFC4231_CASE1_KEY, 'Hi There', 'hex')).toBe(RFC4231_CASE1_SHA512_HEX);
	});
});

describe('verifyHmac', () => {
	test('hex: the published vector, with or without a "sha256=" prefix, in any case', () => {
		expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, RFC4231_SHA256_HEX)).toBe(true);
		expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, `sha256=${RFC4231_SHA256_HEX.toUpperCase()}`, 'hex')).toBe(true);
		expect(verifyHmac('sha512', RFC4231_CASE1_KEY, 'Hi There', RFC4231_CASE1_SHA512_HEX)).toBe(true);
	});

	test('base64: the published vector and an Especial delivery signed as its docs say', () => {
		expect(verifyHmac('sha256', RFC4231_KEY, RFC4231_DATA, RFC4231_SHA256_BASE64, 'base64')).toBe(true);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, especialSignature(SECRET, RAW_BODY), 'base64')).toBe(true);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, `sha256=${especialSignature(SECRET, RAW_BODY)}`, 'base64')).toBe(true);
	});

	test('base64 without padding and URL-safe base64 stand for the same digest', () => {
		const signature = especialSignature(SECRET, RAW_BODY);
		expect(signature.endsWith('=')).toBe(true);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, signature.replace(/=+$/, ''), 'base64')).toBe(true);
		const urlSafe = createHmac('sha256', SECRET).update(RAW_BODY).digest('base64url');
		expect(verifyHmac('sha256', SECRET, RAW_BODY, urlSafe, 'base64')).toBe(true);
	});

	test('the signature covers the raw bytes: a re-serialised body (same JSON) does not match', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(RAW_BODY.toString()), null, 1));
		expect(reserialised.equals(RAW_BODY)).toBe(false);
		expect(verifyHmac('sha256', SECRET, reserialised, especialSignature(SECRET, RAW_BODY), 'base64')).toBe(false);
	});

	test('refuses another secret, a changed body, a changed character, a truncated or empty signature', () => {
		const signature = especialSignature(SECRET, RAW_BODY);
		expect(verifyHmac('sha256', 'another-secret', RAW_BODY, signature, 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, Buffer.concat([RAW_BODY, Buffer.from(' ')]), signature, 'base64')).toBe(false);
		const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, flipped, 'base64')).toBe(false);
		// Base64 is case-sensitive: lower-casing it is a different digest.
		expect(verifyHmac('sha256', SECRET, RAW_BODY, signature.toLowerCase(), 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, signature.slice(0, -4), 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, '', 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, 'sha256=', 'base64')).toBe(false);
	});

	test('a digest in the wrong encoding, or text with stray characters, is refused, not decoded leniently', () => {
		const hex = createHmac('sha256', SECRET).update(RAW_BODY).digest('hex');
		const base64 = especialSignature(SECRET, RAW_BODY);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, hex, 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, base64, 'hex')).toBe(false);
		// Buffer.from(text, 'base64') would skip the "!" and accept this.
		expect(verifyHmac('sha256', SECRET, RAW_BODY, `${base64.slice(0, 10)}!${base64.slice(10)}`, 'base64')).toBe(false);
		expect(verifyHmac('sha256', SECRET, RAW_BODY, `${hex}zz`, 'hex')).toBe(false);
	});

	test('a digest of another algorithm (other length) is false, not an exception', () => {
		const sha1 = createHmac('sha1', SECRET).update(RAW_BODY).digest('base64');
		expect(() => verifyHmac('sha256', SECRET, RAW_BODY, sha1, 'base64')).not.toThrow();
		expect(verifyHmac('sha256', SECRET, RAW_BODY, sha1, 'base64')).toBe(false);
		expect(verifyHmac('sha1', SECRET, RAW_BODY, sha1, 'base64')).toBe(true);
	});
});
