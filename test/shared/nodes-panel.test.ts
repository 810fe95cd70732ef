/**
 * What n8n's nodes panel shows for each provider. The panel merges an action node and its trigger into one
 * entry and gives that entry the TRIGGER's description (n8n's editor, useActionsGeneration.ts:
 * `app.description = trigger.description`), so the trigger's description must first say what the actions
 * do, or someone looking for "send" or "upsert" takes the package for triggers only.
 */
import { nodeTypes } from '../harness/engine';

const PACKAGE = 'n8n-nodes-email-marketing';

/** The provider's action node, its trigger, and a word its actions are looked for by. */
const PROVIDERS = [
	{ action: 'emailGateway', trigger: 'emailGatewayTrigger', verb: /^Send email/ },
	{ action: 'cleverReach', trigger: 'cleverReachTrigger', verb: /^Manage groups, receivers/ },
	{ action: 'especial', trigger: 'especialTrigger', verb: /^Manage contacts, lists, campaigns/ },
	{ action: 'smsBy', trigger: 'smsByTrigger', verb: /^Send letters/ },
];

const descriptionOf = (type: string) => nodeTypes.getByNameAndVersion(`${PACKAGE}.${type}`, 1).description;

test.each(PROVIDERS)('$action: the merged entry (its trigger\'s description) says what the actions do, then what starts a workflow', ({ action, trigger, verb }) => {
	const entry = descriptionOf(trigger).description;
	expect(descriptionOf(trigger).displayName).toBe(`${descriptionOf(action).displayName} Trigger`);
	expect(entry).toMatch(verb);
	expect(descriptionOf(action).description).toMatch(verb);
	expect(entry).toMatch(/; start workflows (on|when) /);
});
