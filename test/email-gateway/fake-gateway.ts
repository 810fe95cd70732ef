/**
 * The fake Email Gateway server (test/fake/email-gateway-server.js) as the Email Gateway tests use it:
 * `useFakeEmailGateway()` starts it for the enclosing file or describe block (or anew for every test),
 * resets what one test leaves behind (recorded requests, queued faults, v1 rate limits), closes it, and
 * hands out the credentials and node runs built on it.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import type { RunResult } from '../harness/engine';

/** One request as the fake recorded it. */
export interface RecordedRequest {
	method: string;
	path: string;
	query: IDataObject;
	headers: Record<string, string | undefined>;
	body: IDataObject;
	rawBody: string;
	/** `Command` of an /api.php call. */
	command?: string;
	/** Date.now() when the fake received it. */
	time: number;
}

/**
 * A record of the fake's state (domain, API key, SMTP, webhook, event, sent email). Their exact shapes are
 * the JSDoc typedefs of the fake; the tests read and change them freely, so they stay loosely typed here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FakeRecord = any;

/** What the fake holds (EmailGatewayState in the fake's JSDoc). */
export interface FakeGatewayState {
	accountApiKey: string;
	sessionId: string | null;
	domains: FakeRecord[];
	apiKeys: FakeRecord[];
	smtps: FakeRecord[];
	webhooks: FakeRecord[];
	events: FakeRecord[];
	sentEmails: FakeRecord[];
	/** domainId → webhook signing key. */
	signingKeys: Record<string, string>;
	/** Lower-case addresses; sending to one is v1 error 14. */
	suppressed: string[];
	/** AddDomain answers error 3 beyond this many domains. */
	maxDomains: number;
	/** The key Send Email reads HTML content from ('either' by default); the other alone is error 10. */
	htmlContentName: 'HTMLContent' | 'HtmlContent' | 'either';
}

/** A fault queued with failNext() for the next matching request(s). */
export interface FakeFault {
	status?: number;
	retryAfter?: string;
	times?: number;
	path?: string;
	method?: string;
	body?: unknown;
	headers?: Record<string, string>;
	destroy?: boolean;
	delayMs?: number;
}

/** One webhook delivery made by fire(). */
export interface FireResult {
	url: string;
	status: number;
	body: string;
	headers?: Record<string, unknown>;
	error?: string;
	/** The raw JSON body that was POSTed. */
	payload: string;
	signature?: string;
}

export interface FireOptions {
	email?: string;
	messageId?: string;
	timestamp?: number;
	style?: 'header' | 'timestamped' | 'mailgun' | 'unsigned' | 'bad-signature';
	details?: IDataObject;
	eventId?: string;
	record?: boolean;
	url?: string;
}

/** The handle startEmailGatewayServer() resolves to. */
export interface FakeEmailGatewayServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	readonly state: FakeGatewayState;
	clearRequests(): void;
	/** The first sender-domain API key (v1 Bearer token) of a domain; undefined when it has none. */
	senderKeyFor(domainId: string): string | undefined;
	signingKeyFor(domainId: string): string | undefined;
	failNext(fault?: FakeFault): void;
	clearFaults(): void;
	resetRateLimits(): void;
	addEvent(domainId: string, event?: IDataObject): FakeRecord;
	fire(domainId: string, event: string, options?: FireOptions): Promise<FireResult[]>;
	hmacHex(key: string, data: string): string;
	close(): Promise<void>;
}

/** Options of startEmailGatewayServer() (see its JSDoc). */
export interface FakeGatewayServerOptions {
	accountApiKey?: string;
	sessionId?: string;
	rateLimit?: { limit: number; windowMs: number } | false;
	seed?: boolean;
	maxDomains?: number;
	htmlContentName?: 'HTMLContent' | 'HtmlContent' | 'either';
	maxBcc?: number;
	maxReplyTo?: number;
	sendLimit?: number;
	recordRequests?: boolean;
	/** Refuse webhook URLs on localhost, loopback or *.local with code 7, as Octeth does. */
	forbidLocalWebhookUrls?: boolean;
	idSeed?: string;
	port?: number;
	host?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fake = require('../fake/email-gateway-server.js') as {
	startEmailGatewayServer(options?: FakeGatewayServerOptions): Promise<FakeEmailGatewayServer>;
};

/** The fake's own default account API key. */
const DEFAULT_ACCOUNT_KEY = 'test-account-key';
/** The seeded, verified and active sender domain (example.com). */
const DEFAULT_SENDER_DOMAIN = '123';

export interface UseFakeEmailGatewayOptions extends Omit<FakeGatewayServerOptions, 'idSeed'> {
	/** A function is called at every start (with perTest: a new seed for each test). */
	idSeed?: string | (() => string);
	/** Start a new fake before every test and close it after, instead of one for the whole block. */
	perTest?: boolean;
}

export interface CredentialOverrides {
	/** Account API key of "Email Gateway API" (default: the fake's). */
	accountKey?: string;
	/** API key of "Email Gateway Sender API" (default: the fake's key of senderDomain). */
	senderKey?: string;
	/** Whose sender key to use (default '123'). */
	senderDomain?: string;
}

/** What the harness needs of a credential of this package. */
export type GatewayCredential = { baseUrl: string; apiKey: string };

/** Only "Email Gateway API" (account API key): what the trigger uses. */
export type AccountCredentials = { emailGatewayApi: GatewayCredential };

/** Both credentials of the Email Gateway node. */
export type NodeCredentials = AccountCredentials & { emailGatewaySenderApi: GatewayCredential };

export interface RunNodeOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Default: credentials({ senderDomain }). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	senderDomain?: string;
}

export interface FakeEmailGateway {
	readonly accountApiKey: string;
	/** The running fake (only inside hooks and tests). */
	server(): FakeEmailGatewayServer;
	/** Both credentials of the node on the fake. */
	credentials(overrides?: CredentialOverrides): NodeCredentials;
	/** Only "Email Gateway API" (what the trigger uses). */
	accountCredentials(accountKey?: string): AccountCredentials;
	/** The sender key of a domain; throws when the fake has none. */
	senderKey(domainId?: string): string;
	/** The webhook signing key of a domain; throws when the fake has none. */
	signingKey(domainId: string): string;
	/** What the fake received since the test started (or since the last clearRequests()). */
	requests(): RecordedRequest[];
	/** Runs the Email Gateway node in n8n's engine against the fake. */
	run(parameters: IDataObject, options?: RunNodeOptions): Promise<RunResult>;
	/** Calls an /api.php command on the fake directly (not through the node), with the account key. */
	accountCommand(command: string, params?: IDataObject): Promise<IDataObject>;
}

/**
 * Registers the hooks that run the fake for the enclosing file or describe block: beforeAll / afterAll (or
 * beforeEach / afterEach with perTest) start and close it, and before each test the requests, faults and
 * v1 rate limits are cleared. Hooks the caller registers afterwards run after the fake has started.
 */
export function useFakeEmailGateway(options: UseFakeEmailGatewayOptions = {}): FakeEmailGateway {
	const { perTest = false, idSeed, ...serverOptions } = options;
	const accountApiKey = serverOptions.accountApiKey ?? DEFAULT_ACCOUNT_KEY;
	let current: FakeEmailGatewayServer | undefined;

	const start = async () => {
		current = await fake.startEmailGatewayServer({
			...serverOptions,
			accountApiKey,
			...(idSeed === undefined ? {} : { idSeed: typeof idSeed === 'function' ? idSeed() : idSeed }),
		});
	};
	const stop = async () => {
		await current?.close();
		current = undefined;
	};
	const server = (): FakeEmailGatewayServer => {
		if (!current) throw new Error('The fake Email Gateway runs only inside hooks and tests of the block that called useFakeEmailGateway()');
		return current;
	};

	if (perTest) {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		afterAll(stop);
		beforeEach(() => {
			server().clearRequests();
			server().clearFaults();
			server().resetRateLimits();
		});
	}

	const senderKey = (domainId = DEFAULT_SENDER_DOMAIN): string => {
		const key = server().senderKeyFor(domainId);
		if (key === undefined) throw new Error(`The fake has no sender API key for domain ${domainId}`);
		return key;
	};

	const signingKey = (domainId: string): string => {
		const key = server().signingKeyFor(domainId);
		if (key === undefined) throw new Error(`The fake has no signing key for domain ${domainId}`);
		return key;
	};

	const accountCredentials = (accountKey = accountApiKey): AccountCredentials => ({
		emailGatewayApi: { baseUrl: server().url, apiKey: accountKey },
	});

	const credentials = (overrides: CredentialOverrides = {}): NodeCredentials => ({
		...accountCredentials(overrides.accountKey),
		emailGatewaySenderApi: { baseUrl: server().url, apiKey: overrides.senderKey ?? senderKey(overrides.senderDomain) },
	});

	return {
		accountApiKey,
		server,
		credentials,
		accountCredentials,
		senderKey,
		signingKey,
		requests: () => server().requests,
		run: async (parameters, runOptions = {}) =>
			await runNode({
				nodeType: 'emailGateway',
				parameters,
				credentials: runOptions.credentials ?? credentials({ senderDomain: runOptions.senderDomain }),
				items: runOptions.items,
				continueOnFail: runOptions.continueOnFail,
			}),
		accountCommand: async (command, params = {}) => {
			const response = await fetch(`${server().url}/api.php`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ APIKey: accountApiKey, Command: command, ...params }),
			});
			return (await response.json()) as IDataObject;
		},
	};
}

/** Parameters of a valid Send Email; `overrides` replace top-level fields, `additionalFields` is the whole collection. */
export const sendParameters = (overrides: IDataObject = {}, additionalFields: IDataObject = {}): IDataObject => ({
	authentication: 'emailGatewaySenderApi',
	resource: 'email',
	operation: 'send',
	fromEmail: 'news@example.com',
	fromName: 'Example News',
	to: 'jane@example.org',
	subject: 'Hello',
	contentType: 'html',
	content: '<p>Hello</p>',
	...overrides,
	additionalFields,
});
