/**
 * What an AI agent reads about each operation. Used as a tool (the node's "Tool" variant, Tool Description "Set
 * Automatically", the default), n8n gives the model a description it builds from our labels: n8n-workflow's
 * NodeHelpers.getToolDescriptionForNode, which is what n8n-core's createNodeAsTool calls. For every operation
 * of every node usable as a tool that description must be there (not the node's generic description, which n8n
 * falls back to when the operation has no action label), distinct within the node (a model picks tools by it)
 * and say what the operation does: a verb first, and the thing it acts on (the resource). The Tool variant
 * (n8n's convertNodeToAiTool, cli tool-generation/ai-tools.ts in 2.40) keeps the node's properties and defaults
 * and only adds Tool Description / Description, so the node's own current version description is what it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodePropertyOptions, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes;

/** The verbs operations start with (imperative, or the provider's own "Tags a contact"). A new verb is added here. */
const VERBS = new Set(
	(
		'accept activate add archive cancel change check clear clone confirm create deactivate delete download edit filter find ' +
		'forgot get import list lock patch refresh regenerate release remove render reschedule resend reset resume schedule send ' +
		'set show stop subscribe suspend tag unarchive unlock unschedule unsubscribe unsuspend untag update validate verify'
	).split(' '),
);

/**
 * Where a resource's own name is not the word its operations use, the words that name the same thing
 * (the providers' documentation says so: SMS.by's emails are mailings of letters, CleverReach's event hooks are
 * webhooks and its debug calls are about the token).
 */
const RESOURCE_WORDS: Record<string, Record<string, string[]>> = {
	smsBy: { email: ['mailing'], bulk: ['letter'], subscription: ['subscribe', 'unsubscribe'] },
	especial: { user: ['password'] },
	cleverReach: {
		blacklist: ['email'],
		client: ['account'],
		debug: ['token'],
		eventHook: ['webhook'],
		form: ['opt-in', 'opt-out'],
	},
};

/**
 * Especial's own operation titles (the documentation's, kept as written) that do not name the resource. Listed so
 * that a new one fails: a model reading "Send a test email" cannot tell it tests a campaign.
 */
const DOCUMENTED_TITLES_WITHOUT_RESOURCE: Record<string, string[]> = {
	especial: ['campaign/sendTest', 'sender/resendConfirmation'],
};

interface ToolOperation {
	resource: string;
	resourceName: string;
	operation: string;
	toolDescription: string;
}

function instanceOf(file: string): INodeType | IVersionedNodeType {
	const source = join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exports = require(source) as Record<string, new () => INodeType | IVersionedNodeType>;
	const [Class] = Object.values(exports);
	return new Class();
}

/** The description of the version a new node gets: what the editor offers as a tool. */
function currentDescription(node: INodeType | IVersionedNodeType): INodeTypeDescription {
	return 'nodeVersions' in node ? node.nodeVersions[node.currentVersion].description : node.description;
}

/** Every resource/operation pair of a node, with the description n8n gives the model for it. */
function toolOperations(description: INodeTypeDescription): ToolOperation[] {
	const resources = description.properties.find((property) => property.name === 'resource')?.options as INodePropertyOptions[];
	return description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => {
			const resource = String(property.displayOptions?.show?.resource?.[0]);
			const resourceName = resources.find((option) => option.value === resource)?.name ?? resource;
			return (property.options as INodePropertyOptions[]).map((option) => {
				const node = { parameters: { resource, operation: option.value, descriptionType: 'auto' } } as unknown as INode;
				const toolDescription = NodeHelpers.getToolDescriptionForNode(node, { description } as INodeType);
				return { resource, resourceName, operation: String(option.value), toolDescription };
			});
		});
}

/** Lower-case words, singular: "Receivers" → "receiver", "Sub-Account" → "sub", "account". */
function words(text: string): string[] {
	return text
		.toLowerCase()
		.split(/[^a-z']+/)
		.filter(Boolean)
		.map((word) => word.replace(/'s$/, '').replace(/ies$/, 'y').replace(/([^s])s$/, '$1'));
}

function namesResource(node: string, { resource, resourceName, toolDescription }: ToolOperation): boolean {
	const said = words(toolDescription);
	if (words(resourceName).some((word) => said.includes(word))) return true;
	return (RESOURCE_WORDS[node]?.[resource] ?? []).some((alias) => toolDescription.toLowerCase().includes(alias));
}

const toolNodes = declared
	.map(instanceOf)
	.map(currentDescription)
	.filter((description) => description.usableAsTool);

test('the four action nodes are usable as tools (the triggers are not)', () => {
	expect(toolNodes.map((description) => description.name).sort()).toEqual(['cleverReach', 'emailGateway', 'especial', 'smsBy']);
});

describe.each(toolNodes.map((description) => [description.name, description] as const))('%s as an AI tool', (name, description) => {
	const operations = toolOperations(description);
	const suffix = ` in ${description.defaults.name}`;

	test('every operation has its own description, not the node-wide fallback', () => {
		expect(operations.length).toBeGreaterThan(5);
		const missing = operations
			.filter(({ toolDescription }) => toolDescription === description.description || !toolDescription.endsWith(suffix))
			.map(({ resource, operation, toolDescription }) => `${resource}/${operation}: "${toolDescription}"`);
		expect(missing).toEqual([]);
	});

	test('no two operations share a description', () => {
		const seen = new Map<string, string>();
		const clashes: string[] = [];
		for (const { resource, operation, toolDescription } of operations) {
			const first = seen.get(toolDescription);
			if (first) clashes.push(`${first} and ${resource}/${operation}: "${toolDescription}"`);
			seen.set(toolDescription, `${resource}/${operation}`);
		}
		expect(clashes).toEqual([]);
	});

	test('each description starts with a verb', () => {
		const notVerbs = operations
			.filter(({ toolDescription }) => !VERBS.has(words(toolDescription)[0]))
			.map(({ resource, operation, toolDescription }) => `${resource}/${operation}: "${toolDescription}"`);
		expect(notVerbs).toEqual([]);
	});

	test('each description names the resource it acts on', () => {
		const documented = DOCUMENTED_TITLES_WITHOUT_RESOURCE[name] ?? [];
		const vague = operations
			.filter((operation) => !namesResource(name, operation))
			.map(({ resource, operation }) => `${resource}/${operation}`);
		expect(vague).toEqual(documented);
	});
});
