/**
 * A fake provider whose API accepts only its current access token, with the token endpoint that issues it:
 * OAuth2 refresh (grant_type=refresh_token, client Basic auth), client credentials and a password grant
 * (form-encoded username and password). It counts token requests per grant and records every API call.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret-7c1e';
export const USERNAME = 'owner@example.org';
export const PASSWORD = 'correct horse battery staple';

export interface ApiCall {
	method: string;
	path: string;
	authorization: string | undefined;
	body: unknown;
	accepted: boolean;
}

export interface TokenCall {
	grantType: string;
	/** How the client authenticated: HTTP Basic, client_id/client_secret in the body, or not at all. */
	clientAuth: 'basic' | 'body' | 'none';
	ok: boolean;
}

export class TokenProviderFake {
	readonly apiCalls: ApiCall[] = [];
	readonly tokenCalls: TokenCall[] = [];
	/** The access token the API accepts; undefined: none (every call is refused). */
	accessToken: string | undefined;
	/** The refresh token the token endpoint accepts. */
	refreshToken = 'refresh-token-1-d9f0';
	/** Milliseconds the API waits before answering, so that concurrent requests are in flight together. */
	apiDelayMs = 30;
	/** The token endpoint refuses every request with this OAuth2 error (and HTTP 400 / 401). */
	tokenFailure: { status: number; error: string; description: string } | undefined;
	/** The API refuses even the tokens it issued, echoing the presented token (for redaction tests). */
	refuseEveryToken = false;
	/** The password grant asks for a second factor (HTTP 403 `mfa_required`), whatever the password. */
	twoFactorRequired = false;
	/** The current token expires after the API accepted this many calls with it. */
	expireAfterAccepted: number | undefined;
	private acceptedWithToken = 0;
	private issued = 0;

	private server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
		req.on('end', () => {
			const path = (req.url ?? '').split('?')[0];
			if (req.method === 'POST' && path === '/oauth/token') this.token(req, raw, res);
			else if (path.startsWith('/api/')) setTimeout(() => this.api(req, path, raw, res), this.apiDelayMs);
			else this.send(res, 404, { error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
		});
	});

	get baseUrl(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	get tokenUrl(): string {
		return `${this.baseUrl}/oauth/token`;
	}

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** The current token stops working, as when it expires on the provider's side. */
	expireAccessToken(): void {
		this.accessToken = undefined;
	}

	tokenCallsOf(grantType: string): number {
		return this.tokenCalls.filter((call) => call.grantType === grantType).length;
	}

	private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	}

	private issue(res: http.ServerResponse, grantType: string, clientAuth: TokenCall['clientAuth'], withRefreshToken: boolean) {
		this.issued++;
		this.accessToken = `access-token-${this.issued}-${Math.random().toString(36).slice(2, 10)}`;
		this.acceptedWithToken = 0;
		if (withRefreshToken) this.refreshToken = `refresh-token-${this.issued + 1}-${Math.random().toString(36).slice(2, 10)}`;
		this.tokenCalls.push({ grantType, clientAuth, ok: true });
		this.send(res, 200, {
			access_token: this.accessToken,
			token_type: 'Bearer',
			expires_in: 3600,
			...(withRefreshToken ? { refresh_token: this.refreshToken } : {}),
		});
	}

	private refuseToken(res: http.ServerResponse, grantType: string, clientAuth: TokenCall['clientAuth'], status: number, error: string, description: string) {
		this.tokenCalls.push({ grantType, clientAuth, ok: false });
		this.send(res, status, { error, error_description: description });
	}

	/** RFC 6749 token endpoint: the password grant takes the user's login, the other grants the client's Basic auth. */
	private token(req: http.IncomingMessage, raw: string, res: http.ServerResponse) {
		const contentType = req.headers['content-type'] ?? '';
		const form = new URLSearchParams(raw);
		const grantType = form.get('grant_type') ?? '';
		const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
		const clientAuth: TokenCall['clientAuth'] = basic ? 'basic' : form.has('client_id') ? 'body' : 'none';
		if (!contentType.startsWith('application/x-www-form-urlencoded')) {
			return this.refuseToken(res, grantType, clientAuth, 400, 'invalid_request', `Expected a form-encoded body, got ${contentType || 'none'}`);
		}
		if (this.tokenFailure) {
			const { status, error, description } = this.tokenFailure;
			return this.refuseToken(res, grantType, clientAuth, status, error, description);
		}
		const [clientId, clientSecret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent) : [];
		if (grantType === 'password') {
			if (this.twoFactorRequired) return this.refuseToken(res, grantType, clientAuth, 403, 'mfa_required', 'A one-time code is required');
			if (form.get('username') !== USERNAME || form.get('password') !== PASSWORD) {
				return this.refuseToken(res, grantType, clientAuth, 401, 'invalid_grant', `Wrong username or password for ${form.get('username')}`);
			}
			return this.issue(res, grantType, clientAuth, true);
		}
		// Like CleverReach: the client authenticates with HTTP Basic, never in the body.
		if (clientAuth !== 'basic' || clientId !== CLIENT_ID || clientSecret !== CLIENT_SECRET) {
			return this.refuseToken(res, grantType, clientAuth, 401, 'invalid_client', 'Unknown client or wrong client secret');
		}
		if (grantType === 'client_credentials') return this.issue(res, grantType, clientAuth, false);
		if (grantType === 'refresh_token') {
			if (form.get('refresh_token') !== this.refreshToken) {
				return this.refuseToken(res, grantType, clientAuth, 400, 'invalid_grant', 'The refresh token is invalid or was revoked');
			}
			return this.issue(res, grantType, clientAuth, true);
		}
		return this.refuseToken(res, grantType, clientAuth, 400, 'unsupported_grant_type', `Unsupported grant type ${grantType}`);
	}

	private api(req: http.IncomingMessage, path: string, raw: string, res: http.ServerResponse) {
		const authorization = req.headers.authorization;
		const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
		const accepted = presented !== undefined && presented === this.accessToken && !this.refuseEveryToken;
		let body: unknown = raw;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			// recorded as sent
		}
		this.apiCalls.push({ method: req.method ?? '', path, authorization, body, accepted });
		if (!accepted) {
			return this.send(res, 401, { error: { code: 'token_invalid', message: `Token ${presented ?? '(none)'} is not valid` } }, {
				'WWW-Authenticate': 'Bearer error="invalid_token"',
			});
		}
		if (++this.acceptedWithToken === this.expireAfterAccepted) this.expireAccessToken();
		this.send(res, 200, { ok: true, path, received: body ?? null });
	}
}
