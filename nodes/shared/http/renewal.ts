import type { IAllExecuteFunctions, ICredentialDataDecryptedObject, IDataObject, INode, IOAuth2Options } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { redact } from './errors';

/**
 * Renewal of a credential's token after a 401, once per run however many requests were refused together.
 *
 * A 401 proves the provider did not process the request, so each refused request is sent once more with
 * the renewed token (a multipart body too, which n8n itself does not resend). Left to n8n, a
 * preAuthentication token is fetched once per request that finds it empty and renewed once per refused
 * request (8 items in flight, 8 token requests), and a failed OAuth2 refresh reads as a connection error.
 * Here the first request renews and the others wait for it. Two kinds of credential renew:
 * - OAuth2 (a type that extends `oAuth2Api`): refreshed with n8n's own `refreshOAuth2Token` (refresh
 *   token, or a new client-credentials token), which stores the new token where the next request reads it.
 * - A credential whose `preAuthentication` fetches a token into a hidden expirable field (e.g. a password
 *   grant): the field is emptied, so that n8n's own preAuthentication fetches a new token before the next
 *   request, and only that request is sent until it has. A first use with an empty field goes the same way.
 * A plain API key is never renewed: its refused request is not sent again. In an n8n without
 * `refreshOAuth2Token`, n8n refreshes OAuth2 itself; then only the first token is fetched once here, and
 * errors still hide the token n8n stored.
 */

/** `oAuth2ByN8n`: an n8n without `refreshOAuth2Token`, which refreshes after a 401 itself (and resends once). */
type RenewalKind = 'oAuth2' | 'oAuth2ByN8n' | 'preAuthentication';

interface RenewalFailure {
	message: string;
	description: string;
}

/** What one run knows about one credential's token. */
interface RenewalState {
	/** Counts renewals; a request remembers the generation it was sent with. */
	generation: number;
	/** A renewal (or a first token fetch) under way: requests of this credential wait for it. */
	inFlight?: Promise<void>;
	/** The renewal failed: the rest of the run stops with the same error instead of trying again. */
	failure?: RenewalFailure;
	/** The token of this generation was refused right after it was renewed: renewing again is pointless. */
	refusedGeneration?: number;
	/** The credential as it was before each renewal, so that no old token shows in an error either. */
	previous: ICredentialDataDecryptedObject[];
}

/** Handed out before a request is sent and given back with its outcome. */
export interface SendTicket {
	generation: number;
	/** This request fetches the token (n8n's preAuthentication runs before it is sent); the others wait. */
	fetchesToken?: () => void;
	/** The request was sent with a token fetched for it: a 401 now means the new token is refused. */
	fetchedToken?: boolean;
}

const states = new WeakMap<object, RenewalState>();

/** The parts of an OAuth2 credential n8n's own `oAuth2Api` defines. */
export function isOAuth2Credential(credentials: ICredentialDataDecryptedObject): boolean {
	return (
		(typeof credentials.oauthTokenData === 'object' && credentials.oauthTokenData !== null) ||
		(typeof credentials.grantType === 'string' && typeof credentials.accessTokenUrl === 'string')
	);
}

/** A client-credentials OAuth2 credential that holds no token yet: n8n fetches one before the request. */
function needsFirstToken(credentials: ICredentialDataDecryptedObject): boolean {
	const tokenData = credentials.oauthTokenData as IDataObject | undefined;
	return credentials.grantType === 'clientCredentials' && !tokenData?.access_token;
}

/** client-oauth2's AuthError: the token endpoint answered with an OAuth2 error (`code` EAUTH). */
function isTokenEndpointRefusal(error: unknown): boolean {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		if (current.code === 'EAUTH') return true;
		current = current.cause as typeof current;
	}
	return false;
}

function snapshot(credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return JSON.parse(JSON.stringify(credentials)) as ICredentialDataDecryptedObject;
}

function parsedBody(value: unknown): { error?: unknown } | undefined {
	if (typeof value === 'string') {
		try {
			return JSON.parse(value) as { error?: unknown };
		} catch {
			return undefined;
		}
	}
	return value !== null && typeof value === 'object' ? (value as { error?: unknown }) : undefined;
}

/**
 * Why the token could not be had, in the token endpoint's own terms (its OAuth2 `error` code, its HTTP
 * status), never its body; else the message of the innermost error (a credential's own explanation).
 */
function reasonOf(error: unknown): string {
	type Chain = { body?: unknown; status?: unknown; response?: { status?: unknown; data?: unknown }; cause?: unknown; message?: unknown };
	let current = error as Chain | undefined;
	let innermostMessage: string | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const code = parsedBody(current.body ?? current.response?.data)?.error;
		const status = current.response?.status ?? current.status;
		const said = [typeof code === 'string' ? `"${code}"` : '', typeof status === 'number' ? `HTTP status ${status}` : ''].filter(Boolean);
		if (said.length) return `the token endpoint answered ${said.join(', ')}`;
		if (typeof current.message === 'string' && current.message !== '') innermostMessage = current.message;
		if (current.cause === current) break;
		current = current.cause as Chain | undefined;
	}
	return innermostMessage ?? 'the token request failed';
}

export class CredentialRenewal {
	private readonly state: RenewalState;

	private constructor(
		private readonly context: IAllExecuteFunctions,
		private readonly credentialType: string,
		private readonly credentials: ICredentialDataDecryptedObject,
		private readonly kind: RenewalKind,
		private readonly providerName: string,
		private readonly secretsOf: (credentials: ICredentialDataDecryptedObject) => string[],
		private readonly tokenProperty?: string,
	) {
		let state = states.get(credentials);
		if (!state) {
			state = { generation: 0, previous: [] };
			states.set(credentials, state);
		}
		this.state = state;
	}

	/**
	 * The renewal for a credential of this run, or undefined for a plain API key. `credentials` must be the
	 * run's shared object (getCachedCredentials), which n8n's preAuthentication updates.
	 */
	static for(
		context: IAllExecuteFunctions,
		credentialType: string,
		credentials: ICredentialDataDecryptedObject,
		providerName: string,
		expirableTokenProperty: string | undefined,
		secretsOf: (credentials: ICredentialDataDecryptedObject) => string[],
	): CredentialRenewal | undefined {
		if (isOAuth2Credential(credentials)) {
			const kind = typeof context.helpers.refreshOAuth2Token === 'function' ? 'oAuth2' : 'oAuth2ByN8n';
			return new CredentialRenewal(context, credentialType, credentials, kind, providerName, secretsOf);
		}
		if (expirableTokenProperty !== undefined && expirableTokenProperty in credentials) {
			return new CredentialRenewal(context, credentialType, credentials, 'preAuthentication', providerName, secretsOf, expirableTokenProperty);
		}
		return undefined;
	}

	/** For httpRequestWithAuthentication: n8n must not refresh on its own (once per refused request). */
	get oauth2Options(): IOAuth2Options | undefined {
		return this.kind === 'oAuth2' ? { skipTokenRefresh: true } : undefined;
	}

	/** The secrets of every state the credential had in this run (old and renewed tokens), for redacting errors. */
	secrets(): string[] {
		return [this.credentials, ...this.state.previous].flatMap(this.secretsOf);
	}

	private get credentialName(): string {
		return this.context.getNode().credentials?.[this.credentialType]?.name ?? this.credentialType;
	}

	private failureError(node: INode, itemIndex: number | undefined): NodeOperationError {
		const failure = this.state.failure!;
		return new NodeOperationError(node, failure.message, { description: failure.description, itemIndex });
	}

	private fail(error: unknown, firstToken: boolean): void {
		const what = this.kind === 'preAuthentication' ? 'get a token' : firstToken ? 'get an OAuth2 token' : 'renew the OAuth2 token';
		const advice =
			this.kind === 'oAuth2'
				? 'Open the credential and reconnect it (check its client ID and secret, and that the app still has access).'
				: 'Open the credential and check what it logs in with (for example the username and password), then run again.';
		this.state.failure = {
			message: redact(`${this.providerName}: could not ${what} of the credential "${this.credentialName}": ${reasonOf(error)}`, this.secrets()),
			description: `${advice} The requests that needed the token were not sent again.`,
		};
	}

	/** The token the credential holds now (empty: none yet). */
	private get currentToken(): unknown {
		if (this.kind === 'preAuthentication') return this.credentials[this.tokenProperty!];
		return (this.credentials.oauthTokenData as IDataObject | undefined)?.access_token;
	}

	/** Waits for a renewal under way; the first request with no token at all fetches it while the others wait. */
	async beforeSend(itemIndex?: number): Promise<SendTicket> {
		while (this.state.inFlight) await this.state.inFlight;
		if (this.state.failure) throw this.failureError(this.context.getNode(), itemIndex);
		const ticket: SendTicket = { generation: this.state.generation };
		const fetchesToken = this.kind === 'preAuthentication' ? !this.currentToken : needsFirstToken(this.credentials);
		if (fetchesToken) {
			// n8n's preAuthentication fetches a token when the field is exactly ''.
			if (this.kind === 'preAuthentication') this.credentials[this.tokenProperty!] = '';
			this.state.inFlight = new Promise<void>((resolve) => (ticket.fetchesToken = resolve));
		}
		return ticket;
	}

	/**
	 * After the request came back (answer or error). For the request that fetched the token: no token in
	 * the field means the fetch itself failed, and the request was never sent.
	 */
	async afterSend(ticket: SendTicket, error: unknown, itemIndex?: number): Promise<void> {
		const release = ticket.fetchesToken;
		if (!release) {
			// n8n's own refresh after a 401 failed at the token endpoint (client-oauth2's AuthError).
			if (this.kind === 'oAuth2ByN8n' && isTokenEndpointRefusal(error)) {
				this.fail(error, false);
				throw this.failureError(this.context.getNode(), itemIndex);
			}
			return;
		}
		ticket.fetchesToken = undefined;
		// n8n fetched and stored an OAuth2 token itself (in the credential it reads per request), not in ours.
		if (this.kind !== 'preAuthentication') await this.readStoredToken();
		if (this.currentToken) {
			ticket.generation = ++this.state.generation;
			ticket.fetchedToken = true;
		} else if (error !== undefined) {
			this.fail(error, true);
		}
		this.state.inFlight = undefined;
		release();
		if (this.state.failure) throw this.failureError(this.context.getNode(), itemIndex);
	}

	/**
	 * A request sent with the ticket's token was refused with 401. True: send it once more (the token was
	 * renewed, by this call or by another request's). False: the token was renewed already and refused too.
	 */
	async renewAfterRefusal(ticket: SendTicket, itemIndex?: number): Promise<boolean> {
		if (this.state.failure) throw this.failureError(this.context.getNode(), itemIndex);
		if (this.kind === 'oAuth2ByN8n') {
			// n8n refreshed the token and sent the request once more already: that renewed token was refused.
			await this.readStoredToken();
			return false;
		}
		if (this.state.refusedGeneration === ticket.generation) return false;
		// Renewed since this request was sent: it was refused for its old token, the new one is in place.
		if (ticket.generation !== this.state.generation) return true;
		if (this.kind === 'preAuthentication') {
			if (this.credentials[this.tokenProperty!] !== '') {
				this.state.previous.push(snapshot(this.credentials));
				this.credentials[this.tokenProperty!] = '';
			}
			return true;
		}
		this.state.inFlight ??= this.refreshOAuth2().finally(() => (this.state.inFlight = undefined));
		await this.state.inFlight;
		if (this.state.failure) throw this.failureError(this.context.getNode(), itemIndex);
		return true;
	}

	/** The request was refused again right after its token was renewed: no other request renews it again. */
	refusedAfterRenewal(ticket: SendTicket): void {
		this.state.refusedGeneration = ticket.generation;
	}

	/** Takes the OAuth2 token n8n stored into our credential (the old one is kept for redacting errors). */
	private async readStoredToken(): Promise<void> {
		try {
			const stored = await this.context.getCredentials(this.credentialType);
			const current = (this.credentials.oauthTokenData as IDataObject | undefined)?.access_token;
			if (!stored.oauthTokenData || (stored.oauthTokenData as IDataObject).access_token === current) return;
			if (current) this.state.previous.push(snapshot(this.credentials));
			this.credentials.oauthTokenData = stored.oauthTokenData;
		} catch {
			// the request's own error (if any) says more
		}
	}

	private async refreshOAuth2(): Promise<void> {
		try {
			this.state.previous.push(snapshot(this.credentials));
			const tokenData = (await this.context.helpers.refreshOAuth2Token.call(this.context, this.credentialType)) as IDataObject;
			// n8n stored the new token where the next request reads it; ours is kept for redacting errors.
			this.credentials.oauthTokenData = { ...((this.credentials.oauthTokenData as IDataObject) ?? {}), ...tokenData };
			this.state.generation++;
		} catch (error) {
			this.fail(error, false);
		}
	}
}
