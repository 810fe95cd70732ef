/**
 * The fake SMS.by server (test/fake/smsby-server.js) as the SMS.by tests use it: `useFakeSmsBy()` starts
 * it for the enclosing file, clears what a test leaves behind, and runs the SMS.by node (registered in
 * test/harness/engine.ts) or one poll of the SMS.by Trigger in n8n-core's own contexts against it.
 */
import { PollContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE, runNode } from '../harness/engine';
import type { RunResult } from '../harness/engine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSmsByServer } = require('../fake/smsby-server.js') as { startSmsByServer: (options: { token: string }) => Promise<FakeSmsBy> };

export interface RecordedFile {
	field: string;
	filename: string;
	contentType?: string;
	data: Buffer;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: IDataObject;
	headers: Record<string, string | undefined>;
	contentType: string;
	rawBody: string;
	encoding?: 'urlencoded' | 'multipart' | 'none';
	/** The form's fields in order, with their bracket keys as sent. */
	entries: Array<[string, string]>;
	/** The form read as PHP reads it (bracket keys → arrays and objects). */
	body: IDataObject;
	files: RecordedFile[];
	time: number;
}

/** The fake's data; loosely typed: the tests read and change it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FakeState = any;

export interface FakeSmsBy {
	url: string;
	token: string;
	state: FakeState;
	requests: RecordedRequest[];
	failNext(fault: { path?: string; status?: number; body?: unknown; headers?: Record<string, string>; times?: number; destroy?: boolean }): void;
	advance(mailing: string | number): FakeState[];
	setStatus(mailing: string | number, email: string, status: string, error?: string): void;
	reset(options?: { state?: boolean }): void;
	close(): Promise<void>;
}

export function useFakeSmsBy(token = 'smsby-test-token-5c1d') {
	let fake: FakeSmsBy;
	beforeAll(async () => {
		fake = await startSmsByServer({ token });
	});
	afterAll(async () => await fake.close());
	beforeEach(() => fake.reset({ state: true }));

	const credentials = (overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> => ({
		smsByApi: { baseUrl: fake.url, token, ...overrides } as ICredentialDataDecryptedObject,
	});

	return {
		token,
		fake: () => fake,
		credentials,
		/** Runs the SMS.by node once (Item Source → SMS.by) in n8n's WorkflowExecute. */
		run: async (
			parameters: IDataObject,
			options: { items?: INodeExecutionData[]; continueOnFail?: boolean; credentials?: IDataObject } = {},
		): Promise<RunResult> =>
			await runNode({
				nodeType: 'smsBy',
				parameters,
				credentials: credentials(options.credentials),
				items: options.items,
				continueOnFail: options.continueOnFail,
			}),
	};
}

/**
 * An active workflow holding the SMS.by Trigger, with its static data as n8n loads it from the database
 * (a JSON copy of what was saved: what a restart of n8n sees).
 */
export function smsByTriggerWorkflow(parameters: IDataObject, savedStaticData: IDataObject = {}, workflowId = 'smsby-trigger-workflow') {
	const node: INode = {
		id: 'smsby-trigger',
		name: 'SMS.by Trigger',
		type: `${PACKAGE}.smsByTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { smsByApi: { id: 'smsByApi', name: 'SMS.by account' } },
	};
	const workflow = new Workflow({
		id: workflowId,
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: JSON.parse(JSON.stringify(savedStaticData)) as IDataObject,
		settings: { timezone: 'UTC' },
	});
	/** Errors the trigger reported to n8n (`__emitError`: a failed execution in the executions list). */
	const reported: Error[] = [];
	return { node, workflow, reported };
}

/** The workflow's whole static data, as n8n would save it (a JSON copy). */
export const savedWorkflowStaticData = (trigger: ReturnType<typeof smsByTriggerWorkflow>) =>
	JSON.parse(JSON.stringify(trigger.workflow.staticData)) as IDataObject;

/** One poll as n8n's poll executor runs it: `trigger` (active workflow) or `manual` (Fetch Test Event). */
export async function pollSmsBy(
	trigger: ReturnType<typeof smsByTriggerWorkflow>,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	mode: 'trigger' | 'manual' = 'trigger',
) {
	const data = additionalData(credentials);
	(data as unknown as IDataObject).ssrfBridge = undefined;
	const emitNotExpected = () => {
		throw new Error('poll() returns its items; it does not call __emit');
	};
	const context = new PollContext(trigger.workflow, trigger.node, data, mode, mode === 'manual' ? 'manual' : 'activate', emitNotExpected, (error) => trigger.reported.push(error));
	const type = nodeTypes.getByNameAndVersion(trigger.node.type, 1);
	const result = await type.poll!.call(context);
	return result?.[0]?.map((item) => item.json) ?? null;
}
