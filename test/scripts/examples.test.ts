/**
 * The example workflows `npm start` imports (scripts/sandbox/*examples.js), as the editor opens them: each
 * has exactly one trigger, so the editor's default button is "Execute workflow" (an example with a Manual
 * Trigger) or the trigger's own, never "Execute workflow from <another trigger>" that waits forever. The
 * nodes they use are this package's or n8n's core nodes.
 */
import * as path from 'path';

const SANDBOX = path.resolve(__dirname, '../../scripts/sandbox');
const examples = require(path.join(SANDBOX, 'examples.js'));
const especial = require(path.join(SANDBOX, 'especial-examples.js'));
const cleverReach = require(path.join(SANDBOX, 'cleverreach-examples.js'));
const smsBy = require(path.join(SANDBOX, 'smsby-examples.js'));

interface ExampleNode {
	name: string;
	type: string;
	disabled?: boolean;
}
interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
}

const ALL: ExampleWorkflow[] = [
	...examples.workflows(),
	...especial.workflows(),
	...cleverReach.workflows({ groupId: '1001' }),
	...smsBy.workflows({ mailingIds: '1234' }),
];

/** What n8n's editor counts as a trigger: a node type in the trigger group; ours and core's are named so. */
const isTrigger = (node: ExampleNode) => /Trigger$|^n8n-nodes-base\.(webhook|formTrigger|scheduleTrigger)$/.test(node.type);

test('every example workflow is found (one list per provider)', () => {
	const providers = ['emailGateway', 'especial', 'cleverReach', 'smsBy'];
	for (const provider of providers) expect(ALL.some((workflow) => workflow.nodes.some((node) => node.type.endsWith(`.${provider}`)))).toBe(true);
	expect(new Set(ALL.map((workflow) => workflow.id)).size).toBe(ALL.length);
});

test.each(ALL.map((workflow) => [workflow.name, workflow] as const))('"%s" has exactly one trigger, and it starts the workflow', (_name, workflow) => {
	const triggers = workflow.nodes.filter((node) => isTrigger(node) && !node.disabled);
	expect(triggers.map((node) => node.type)).toHaveLength(1);
	expect(Object.keys(workflow.connections)).toContain(triggers[0].name);
});

test('workflows that act (not the trigger examples) start with the Manual Trigger', () => {
	const acting = ALL.filter((workflow) => !workflow.nodes.some((node) => node.type.startsWith('n8n-nodes-email-marketing.') && node.type.endsWith('Trigger')));
	expect(acting.length).toBeGreaterThan(4);
	for (const workflow of acting) expect(workflow.nodes.filter(isTrigger).map((node) => node.type)).toEqual(['n8n-nodes-base.manualTrigger']);
});
