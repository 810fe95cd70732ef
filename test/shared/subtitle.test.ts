/**
 * The subtitle under each action node's name on the canvas, evaluated by n8n's own expression engine as
 * the editor evaluates it (Workflow.expression.getSimpleParameterValue, mode 'internal'): the operation
 * and the resource as their dropdowns show them, never the raw values ("getAll: domain").
 */
import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { nodeTypes } from '../harness/engine';

const PACKAGE = 'n8n-nodes-email-marketing';

function subtitleOf(type: string, parameters: Record<string, string>): unknown {
	const node: INode = { id: 'n1', name: 'Node', type: `${PACKAGE}.${type}`, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const { subtitle } = nodeTypes.getByNameAndVersion(node.type, 1).description;
	return workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {});
}

/** What the editor's Resource and Operation dropdowns show for these values. */
function dropdownNames(type: string, resource: string, operation: string) {
	const { properties } = nodeTypes.getByNameAndVersion(`${PACKAGE}.${type}`, 1).description;
	const optionName = (property: INodeProperties | undefined, value: string) =>
		(property?.options as INodePropertyOptions[] | undefined)?.find((option) => option.value === value)?.name;
	const resourceProperty = properties.find((property) => property.name === 'resource');
	const operationProperty = properties.find(
		(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	return { resource: optionName(resourceProperty, resource), operation: optionName(operationProperty, operation) };
}

test.each([
	['emailGateway', 'domain', 'getAll', 'Get Many: Domain'],
	['emailGateway', 'email', 'send', 'Send: Email'],
	['cleverReach', 'receiver', 'upsert', 'Upsert: Receiver'],
	['smsBy', 'mailingList', 'importContacts', 'Import Contacts: Mailing List'],
	['especial', 'contact', 'import', 'Import: Contact'],
])('%s %s/%s reads "%s", as its dropdowns name them', (type, resource, operation, expected) => {
	const names = dropdownNames(type, resource, operation);
	expect(`${names.operation}: ${names.resource}`).toBe(expected);
	expect(subtitleOf(type, { resource, operation })).toBe(expected);
});

test('every operation of every action node has a readable subtitle', () => {
	for (const type of ['emailGateway', 'cleverReach', 'smsBy', 'especial']) {
		const { properties } = nodeTypes.getByNameAndVersion(`${PACKAGE}.${type}`, 1).description;
		for (const dropdown of properties.filter((property) => property.name === 'operation')) {
			for (const resource of dropdown.displayOptions?.show?.resource as string[]) {
				for (const option of dropdown.options as INodePropertyOptions[]) {
					const names = dropdownNames(type, resource, String(option.value));
					expect(subtitleOf(type, { resource, operation: String(option.value) })).toBe(`${names.operation}: ${names.resource}`);
				}
			}
		}
	}
});

test('a pair the node does not know shows its raw values', () => {
	expect(subtitleOf('cleverReach', { resource: 'receiver', operation: 'noSuchOperation' })).toBe('noSuchOperation: receiver');
});
