/**
 * Domain pickers: the node's Domain locator ("From List", `searchDomains`) and the trigger's
 * `getDomains` run in n8n-core's own LoadOptionsContext against the fake server and list the
 * account's domains, as the editor shows them.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions, INode, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { useFakeEmailGateway } from './fake-gateway';

const ACCOUNT_KEY = 'pickers-account-key-3c8e';
const fake = useFakeEmailGateway({ accountApiKey: ACCOUNT_KEY });

function loadOptionsContext(nodeName: 'emailGateway' | 'emailGatewayTrigger', apiKey: string) {
	const type = `${PACKAGE}.${nodeName}`;
	const node: INode = {
		id: 'picker-node',
		name: 'Picker',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: nodeName === 'emailGateway' ? { resource: 'domain', operation: 'get' } : { events: ['bounced'] },
		credentials: { emailGatewayApi: { id: 'emailGatewayApi', name: 'emailGatewayApi' } },
	};
	const workflow = new Workflow({ id: 'picker-workflow', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const credentials = { emailGatewayApi: { baseUrl: fake.server().url, apiKey } };
	const context = new LoadOptionsContext(workflow, node, additionalData(credentials), 'parameters.domainId');
	return { context: context as unknown as ILoadOptionsFunctions, nodeType: nodeTypes.getByNameAndVersion(type, 1) as INodeType };
}

/** The domains a picker offers: the node's locator list (with an optional filter) or the trigger's dropdown. */
async function pickDomains(nodeName: 'emailGateway' | 'emailGatewayTrigger', apiKey = ACCOUNT_KEY, filter?: string) {
	const { context, nodeType } = loadOptionsContext(nodeName, apiKey);
	if (nodeName === 'emailGateway') return (await nodeType.methods!.listSearch!.searchDomains.call(context, filter)).results;
	return await nodeType.methods!.loadOptions!.getDomains.call(context);
}

describe('domain pickers', () => {
	test.each(['emailGateway', 'emailGatewayTrigger'] as const)('%s lists the account domains by name, sorted, with their ids', async (nodeName) => {
		await fake.accountCommand('EmailGateway.AddDomain', { DomainName: 'alpha.example.org' });
		const options = await pickDomains(nodeName);
		const expected = fake
			.server()
			.state.domains.map((domain: { name: string; id: string | number }) => ({ name: domain.name, value: String(domain.id) }))
			.sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
		expect(options).toEqual(expected);
		expect(options.map((option) => option.name)).toContain('alpha.example.org');
		const request = fake.requests().at(-1)!;
		expect(request.command).toBe('EmailGateway.GetDomains');
		expect(request.body.APIKey).toBe(ACCOUNT_KEY);
	});

	test('the Domain locator list narrows to the domains whose name contains what the user types', async () => {
		await fake.accountCommand('EmailGateway.AddDomain', { DomainName: 'Beta-Search.example.org' });
		const options = await pickDomains('emailGateway', ACCOUNT_KEY, 'BETA-search');
		const domain = fake.server().state.domains.find((candidate: { name: string }) => candidate.name === 'beta-search.example.org');
		expect(options).toEqual([{ name: domain.name, value: String(domain.id) }]);
		expect(await pickDomains('emailGateway', ACCOUNT_KEY, 'no-such-domain')).toEqual([]);
	});

	test('a wrong key gives the provider error, not an empty list', async () => {
		await expect(pickDomains('emailGateway', 'wrong-key-0000')).rejects.toThrow(/Email Gateway refused the request/);
	});
});
