/**
 * The pickers of the CleverReach node (groups, forms, mailings, attributes) and of its trigger (groups) in
 * n8n-core's own LoadOptionsContext against the fake: what the editor lists, filtered by what the user types.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions, INode, INodeListSearchResult, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { useFakeCleverReach } from './fake-cleverreach';

const { server, credentials } = useFakeCleverReach();

async function search(nodeName: 'cleverReach' | 'cleverReachTrigger', method: string, filter?: string, creds = credentials()): Promise<INodeListSearchResult> {
	const type = `${PACKAGE}.${nodeName}`;
	const node: INode = {
		id: 'picker-node',
		name: 'Picker',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { cleverReachOAuth2Api: { id: 'cleverReachOAuth2Api', name: 'cleverReachOAuth2Api' } },
	};
	const workflow = new Workflow({ id: 'picker-workflow', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const context = new LoadOptionsContext(workflow, node, additionalData(creds), 'parameters.groupId') as unknown as ILoadOptionsFunctions;
	const nodeType = nodeTypes.getByNameAndVersion(type, 1) as INodeType;
	return await nodeType.methods!.listSearch![method].call(context, filter);
}

describe('CleverReach pickers', () => {
	beforeAll(() => {
		const newsletter = server().addGroup('Newsletter');
		server().addGroup('Customers');
		server().addForm(newsletter.id, 'Sign-up form');
		server().addMailing({ name: 'Welcome draft' });
		server().addMailing({ name: 'Sent news' }).state = 'finished';
		server().addAttribute('firstname');
		server().addAttribute('shoesize', 'number', newsletter.id);
	});

	test.each(['cleverReach', 'cleverReachTrigger'] as const)('%s lists the groups by name, sorted, with their ids', async (nodeName) => {
		const { results } = await search(nodeName, 'searchGroups');
		const expected = [...server().state.groups.values()].map((group) => ({ name: group.name, value: group.id })).sort((a, b) => a.name.localeCompare(b.name));
		expect(results).toEqual(expected);
		expect(server().requests.at(-1)).toMatchObject({ method: 'GET', path: '/v3/groups', rawPath: '/v3/groups.json' });
	});

	test('the group list narrows to what the user types', async () => {
		const { results } = await search('cleverReach', 'searchGroups', 'CUST');
		expect(results.map((result) => result.name)).toEqual(['Customers']);
	});

	test('forms, mailings (drafts and sent) and the global attributes (not a group\'s)', async () => {
		expect((await search('cleverReach', 'searchForms')).results.map((result) => result.name)).toEqual(['Sign-up form']);
		expect((await search('cleverReach', 'searchMailings')).results.map((result) => result.name)).toEqual(['Sent news', 'Welcome draft']);
		const attributes = (await search('cleverReach', 'searchAttributes')).results.map((result) => result.name);
		expect(attributes).toEqual(['firstname (firstname)']);
	});

	test('a refused token gives CleverReach\'s error, not an empty list', async () => {
		const creds = credentials();
		server().expireTokens();
		server().tokenTtlSeconds = -1;
		try {
			await expect(search('cleverReach', 'searchGroups', undefined, creds)).rejects.toThrow(/CleverReach/);
		} finally {
			server().tokenTtlSeconds = 3600;
		}
	});
});
