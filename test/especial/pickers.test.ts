/**
 * The Especial node's dropdowns in n8n-core's own LoadOptionsContext against the fake Especial: the
 * account's lists, senders, templates and tags, and the chosen list's segments, custom attributes and
 * interests, sorted by name as the editor shows them; and the node's description has no problems the
 * editor would trip on.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, ILoadOptionsFunctions, INode, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { credentialProblems, descriptionProblems } from '../harness/description-checks';
import { especialOperations } from '../../nodes/Especial/operations';
import { additionalData, nodeTypes, PACKAGE } from '../harness/engine';
import { PASSWORD, USERNAME, useEspecialFake } from './fake';

const { fake } = useEspecialFake();

function context(parameters: IDataObject) {
	const node: INode = {
		id: 'picker-node',
		name: 'Picker',
		type: `${PACKAGE}.especial`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { especialApi: { id: 'especialApi', name: 'especialApi' } },
	};
	const workflow = new Workflow({ id: 'picker-workflow', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const credentials = { especialApi: { baseUrl: fake().url, username: USERNAME, password: PASSWORD, accountId: '', accessToken: '' } };
	// The editor sends the node's current parameters with a load-options request.
	const data = additionalData(credentials);
	data.currentNodeParameters = parameters as INode['parameters'];
	return new LoadOptionsContext(workflow, node, data, 'parameters.listId') as unknown as ILoadOptionsFunctions;
}

const nodeType = () => nodeTypes.getByNameAndVersion(`${PACKAGE}.especial`, 1) as INodeType;
const load = async (method: string, parameters: IDataObject = { resource: 'contact', operation: 'getAll' }) =>
	await nodeType().methods!.loadOptions![method].call(context(parameters));

describe('Especial dropdowns', () => {
	beforeAll(() => {
		fake().seedPath('/lists/3', { name: 'Zebra list' });
		fake().seedPath('/lists/4', { name: 'Alpha list' });
		fake().seedPath('/brands/default/senders/5', { name: 'Shop', email: 'shop@example.com' });
		fake().seedPath('/templates/6', { name: 'Welcome' });
		fake().collection('/tags').set('vip', { tag: 'vip' });
		fake().collection('/tags').set('new', { tag: 'new' });
		fake().seedPath('/lists/3/segments/8', { name: 'Openers' });
		fake().collection('/lists/3/custom-attributes').set('city', { name: 'city', type: 'text' });
		fake().collection('/lists/3/interests').set('cycling', { name: 'cycling', alias: 'cycling' });
	});

	it('lists the account\'s lists by name, sorted, paging with page / per_page', async () => {
		expect(await load('getLists')).toEqual([
			{ name: 'Alpha list', value: '4' },
			{ name: 'Zebra list', value: '3' },
		]);
		const request = fake().requests.filter((candidate) => candidate.path === '/lists').at(-1)!;
		expect(request.query).toMatchObject({ page: '1', per_page: '100' });
		expect(request.headers.authorization).toMatch(/^Bearer esp_at_/);
	});

	it('lists senders, templates and tags', async () => {
		expect(await load('getSenders')).toEqual([{ name: 'Shop <shop@example.com>', value: '5' }]);
		expect(await load('getTemplates')).toEqual([{ name: 'Welcome', value: '6' }]);
		expect(await load('getTags')).toEqual([
			{ name: 'new', value: 'new' },
			{ name: 'vip', value: 'vip' },
		]);
	});

	it("lists the chosen list's segments, custom attributes and interests, and nothing before a list is chosen", async () => {
		const withList = { resource: 'contact', operation: 'getManyInSegment', listId: '3' };
		expect(await load('getSegments', withList)).toEqual([{ name: 'Openers', value: '8' }]);
		expect(await load('getCustomAttributes', withList)).toEqual([{ name: 'city', value: 'city', description: 'Type: text' }]);
		expect(await load('getInterests', withList)).toEqual([{ name: 'cycling', value: 'cycling' }]);
		fake().reset();
		expect(await load('getSegments', { resource: 'contact', operation: 'getManyInSegment', listId: '' })).toEqual([]);
		expect(fake().requests).toHaveLength(0);
	});

	it('the node description has no problems (placeholders, fields, credentials)', () => {
		expect(descriptionProblems(especialOperations)).toEqual([]);
		expect(credentialProblems(nodeType().description)).toEqual([]);
		const used = new Set(especialOperations.flatMap((operation) => operation.fields.flatMap((field) => [field.loadOptionsMethod, ...(field.fields ?? []).map((sub) => sub.loadOptionsMethod)])).filter(Boolean));
		expect([...used].sort()).toEqual(Object.keys(nodeType().methods!.loadOptions!).sort());
	});
});
