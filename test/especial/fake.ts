/**
 * The fake Especial server (test/fake/especial-server.js) as the Especial tests use it: started for the
 * enclosing file, reset between tests, with the credential pointing at it.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

/** One request as the fake recorded it, with what it answered. */
export interface EspecialRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | undefined>;
	body: IDataObject;
	rawBody: string;
	/** "METHOD /path/{template}" of the specification that matched. */
	route?: string;
	status?: number;
	answer?: unknown;
}

export interface EspecialFake {
	url: string;
	requests: EspecialRequest[];
	state: {
		tokenRequests: Array<{ grant: string; refused?: boolean; challenged?: boolean }>;
		deliveries: IDataObject[];
		webhookKeys: Map<string, string>;
	};
	failNext(fault: { status?: number; body?: unknown; path?: string; method?: string; times?: number; destroy?: boolean }): void;
	expireTokens(): void;
	expireTokensAfter(calls: number): void;
	seedPath(path: string, fields?: IDataObject): IDataObject;
	collection(path: string): Map<string, IDataObject>;
	webhookKey(id: string): string | undefined;
	fire(event: string, payload?: IDataObject, options?: { style?: 'signed' | 'unsigned' | 'bad-signature' }): Promise<Array<IDataObject & { status: number; answer: string }>>;
	reset(): void;
	close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require('../fake/especial-server.js') as {
	startEspecialServer(options?: IDataObject): Promise<EspecialFake>;
	ROUTES: Array<{ method: string; path: string; operation: IDataObject; parameters: IDataObject[]; regex: RegExp }>;
	sample(schema: unknown): unknown;
	resolve(schema: unknown): IDataObject;
};

export const { ROUTES, sample, resolve } = server;

export const USERNAME = 'jane@example.com';
export const PASSWORD = 'S3cret-pass!';

/** Starts the fake for the file; `reset()` between tests leaves state but clears requests and faults. */
export function useEspecialFake(options: IDataObject = {}) {
	let fake: EspecialFake | undefined;
	beforeAll(async () => {
		fake = await server.startEspecialServer({ username: USERNAME, password: PASSWORD, ...options });
	});
	afterEach(() => fake?.reset());
	afterAll(async () => await fake?.close());
	const get = () => {
		if (!fake) throw new Error('fake not started');
		return fake;
	};
	return {
		fake: get,
		credentials: (overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> => ({
			especialApi: { baseUrl: get().url, username: USERNAME, password: PASSWORD, accountId: '', accessToken: '', ...overrides },
		}),
		/** The API requests the node sent (token requests left out). */
		apiRequests: () => get().requests.filter((request) => request.path !== '/token'),
	};
}
