/**
 * The fake CleverReach server (test/fake/cleverreach-server.js) as the CleverReach tests use it: started for
 * the enclosing file, with an OAuth2 credential connected to it (a token the fake issued) and node runs.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import type { RunResult } from '../harness/engine';
import { registerRenewalTypes } from '../harness/test-credentials';

// n8n's own oAuth2Api parent type, which the CleverReach credential extends.
registerRenewalTypes();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCleverReachServer } = require('../fake/cleverreach-server.js') as {
	startCleverReachServer: (options?: IDataObject) => Promise<FakeCleverReach>;
};

export interface RecordedRequest {
	method: string;
	path: string;
	rawPath: string;
	query: IDataObject;
	body: unknown;
	headers: Record<string, string | undefined>;
	authorized: boolean;
}

// The fake's records are plain JS objects, read and changed freely by the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FakeRecord = any;

export interface FakeCleverReach {
	url: string;
	clientId: string;
	clientSecret: string;
	requests: RecordedRequest[];
	tokenCalls: Array<{ grantType: string; clientAuth: string; ok: boolean }>;
	deliveries: FakeRecord[];
	state: {
		client: FakeRecord;
		groups: Map<string, FakeRecord>;
		attributes: Map<string, FakeRecord>;
		forms: Map<string, FakeRecord>;
		mailings: Map<string, FakeRecord>;
		blacklist: Map<string, FakeRecord>;
		hooks: FakeRecord[];
		accounts: FakeRecord[];
		sentDoiMails: FakeRecord[];
		bounces: FakeRecord[];
	};
	batchLimit: number;
	/** Most rows a page of a paged list holds, whatever was asked. */
	pageCap: number;
	/** Rows per page of the bounce list (CleverReach's enforced paging). */
	bouncePageSize: number;
	tokenTtlSeconds: number;
	specialPermission: boolean;
	missingScopes: Set<string>;
	issueToken(withRefresh?: boolean): IDataObject;
	expireTokens(): void;
	addGroup(name: string, extra?: IDataObject): FakeRecord;
	addReceiver(groupId: string, record: IDataObject): FakeRecord;
	addAttribute(name: string, type?: string, groupId?: string): FakeRecord;
	addForm(groupId: string, name: string): FakeRecord;
	addMailing(fields: IDataObject): FakeRecord;
	fire(event: string, payload: IDataObject, options?: { callToken?: string }): Promise<Array<{ url: string; status: number; body: string }>>;
	reset(): void;
	close(): Promise<void>;
}

export const CREDENTIAL = 'cleverReachOAuth2Api';

export function useFakeCleverReach(options: IDataObject = {}) {
	let fake: FakeCleverReach | undefined;
	beforeAll(async () => {
		fake = await startCleverReachServer(options);
	});
	afterAll(async () => {
		await fake?.close();
	});
	beforeEach(() => fake?.reset());
	const server = () => {
		if (!fake) throw new Error('fake CleverReach not started');
		return fake;
	};

	/** A connected credential as n8n stores it after "Connect": the hidden URLs resolved against the fake. */
	const credentials = (overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> => ({
		[CREDENTIAL]: {
			grantType: 'authorizationCode',
			restUrl: server().url,
			authUrl: `${server().url}/oauth/authorize.php`,
			accessTokenUrl: `${server().url}/oauth/token.php`,
			authQueryParameters: 'grant=basic',
			authentication: 'header',
			scope: '',
			clientId: server().clientId,
			clientSecret: server().clientSecret,
			oauthTokenData: server().issueToken(),
			...overrides,
		} as ICredentialDataDecryptedObject,
	});

	const run = async (
		parameters: IDataObject,
		items?: INodeExecutionData[],
		extra: { continueOnFail?: boolean; credentials?: Record<string, ICredentialDataDecryptedObject> } = {},
	): Promise<RunResult> =>
		await runNode({ nodeType: 'cleverReach', parameters, credentials: extra.credentials ?? credentials(), items, continueOnFail: extra.continueOnFail });

	/** The API requests the fake accepted (token requests aside). */
	const apiRequests = () => server().requests.filter((request) => request.authorized);

	return { server, credentials, run, apiRequests };
}

/** A resource locator value "By ID". */
export const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
