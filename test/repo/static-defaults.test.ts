/**
 * No parameter default of this package's action nodes is an expression. The executor reads a parameter
 * that is not saved in the workflow once per run (nodes/shared/input/parameters.ts): that holds only
 * while a default is the same for every item.
 */
import type { INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { CleverReach } from '../../nodes/CleverReach/CleverReach.node';
import { EmailGateway } from '../../nodes/EmailGateway/EmailGateway.node';
import { Especial } from '../../nodes/Especial/Especial.node';
import { SmsBy } from '../../nodes/SmsBy/SmsBy.node';

function versionsOf(node: INodeType | IVersionedNodeType): INodeType[] {
	return 'nodeVersions' in node ? Object.values(node.nodeVersions) : [node];
}

/** Paths of every default (nested collections and fixed collections included) that holds an expression. */
function expressionDefaults(properties: INodeProperties[], path: string): string[] {
	const found: string[] = [];
	const holds = (value: unknown): boolean =>
		typeof value === 'string' ? value.startsWith('=') : value !== null && typeof value === 'object' && Object.values(value).some(holds);
	for (const property of properties) {
		const here = `${path}${property.name}`;
		if (holds(property.default)) found.push(here);
		for (const option of (property.options ?? []) as unknown[]) {
			const entry = option as { values?: INodeProperties[]; type?: string; name: string };
			if (entry.values) found.push(...expressionDefaults(entry.values, `${here}.${entry.name}.`));
			else if (entry.type) found.push(...expressionDefaults([entry as INodeProperties], `${here}.`));
		}
	}
	return found;
}

test.each([
	['Email Gateway', new EmailGateway()],
	['Especial', new Especial()],
	['CleverReach', new CleverReach()],
	['SMS.by', new SmsBy()],
])('%s: no parameter default is an expression', (_name, node) => {
	const versions = versionsOf(node);
	expect(versions.length).toBeGreaterThan(0);
	for (const version of versions) {
		expect(version.description.properties.length).toBeGreaterThan(5);
		expect(expressionDefaults(version.description.properties, '')).toEqual([]);
	}
});

test('the check finds an expression default, nested too', () => {
	const properties = [
		{ displayName: 'A', name: 'a', type: 'string', default: '={{ $json.x }}' },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [{ displayName: 'B', name: 'b', type: 'string', default: '={{ 1 }}' }],
		},
	] as INodeProperties[];
	expect(expressionDefaults(properties, '')).toEqual(['a', 'options.b']);
});
