/**
 * The node as an AI agent's tool (n8n's `emailGatewayTool` variant): a bad value from the model becomes the
 * tool's answer, so the agent can correct it, and the run goes on. n8n 2.40 does that itself for any tool;
 * on n8n 2.0 and 1.x a thrown error failed the whole agent run (test/e2e/agent-tools.e2e.js on those releases).
 */
import type { IDataObject } from 'n8n-workflow';

import { EmailGateway } from '../../nodes/EmailGateway/EmailGateway.node';
import { PACKAGE, registerTestTypes, runNode } from '../harness/engine';
import { sendParameters, useFakeEmailGateway } from './fake-gateway';

const { credentials, requests, run } = useFakeEmailGateway();

beforeAll(() => registerTestTypes({ nodes: { [`${PACKAGE}.emailGatewayTool`]: new EmailGateway() } }));

/** The same class under its tool name, as n8n runs it for an agent. */
const runAsTool = async (parameters: IDataObject) => await runNode({ nodeType: 'emailGatewayTool', parameters, credentials: credentials() });

test('a bad email from the model is the tool answer, naming the field and item; nothing reaches the provider', async () => {
	const result = await runAsTool(sendParameters({ to: 'not-an-email' }));
	expect(result.error).toBeUndefined();
	expect(requests()).toHaveLength(0);
	expect(result.items).toHaveLength(1);
	expect(result.items[0].pairedItem).toEqual({ item: 0 });
	expect(result.items[0].json.error).toMatch(/^To: "not-an-email" is not a valid email address \(item 1\)$/);
});

test('a good call answers as the node does', async () => {
	const result = await runAsTool(sendParameters({ to: 'jane@example.org' }));
	expect(result.error).toBeUndefined();
	expect(requests()).toHaveLength(1);
	expect(result.items).toEqual([{ json: { MessageID: expect.any(String) }, pairedItem: { item: 0 } }]);
});

test('the node itself (not a tool) still stops on the bad email without Continue On Fail', async () => {
	const result = await run(sendParameters({ to: 'not-an-email' }));
	expect(result.error?.message).toMatch(/^To: "not-an-email" is not a valid email address/);
	expect(result.items).toEqual([]);
	expect(requests()).toHaveLength(0);
});
