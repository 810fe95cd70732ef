import type { INodeProperties, INodePropertyOptions, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { CleverReach } from '../../nodes/CleverReach/CleverReach.node';
import { Especial } from '../../nodes/Especial/Especial.node';
import { SmsBy } from '../../nodes/SmsBy/SmsBy.node';

import { CREDENTIAL_LABELS } from '../../nodes/EmailGateway/descriptions/common';
import { emailGatewayOperations } from '../../nodes/EmailGateway/operations';
import { EmailGateway } from '../../nodes/EmailGateway/EmailGateway.node';
import {
	authenticationProperties,
	credentialsFor,
	fieldProperties,
	isListOperation,
	operationProperties,
	resourceProperty,
	toCatalog,
} from '../../nodes/shared/description/properties';
import { credentialProblems, descriptionProblems } from '../harness/description-checks';
import type { FieldDefinition, OperationDefinition } from '../../nodes/shared/model/operation';

function op(partial: Partial<OperationDefinition> & Pick<OperationDefinition, 'resource' | 'operation' | 'name'>): OperationDefinition {
	return {
		action: partial.name,
		description: `${partial.name} description`,
		title: `${partial.name} title`,
		method: 'POST',
		path: '/api.php',
		credential: 'accountApi',
		fields: [],
		idempotent: false,
		...partial,
	};
}

// A small made-up provider: two resources, two credentials, one paginated and one plain list.
const operations: OperationDefinition[] = [
	op({
		resource: 'domain',
		operation: 'create',
		name: 'Create',
		title: 'Add a New Email Sender Domain',
		command: 'Domain.Create',
		fields: [
			{ name: 'domainName', displayName: 'Domain Name', apiName: 'DomainName', type: 'string', required: true, format: 'domainName' },
			{ name: 'trackOpens', displayName: 'Track Opens', apiName: 'TrackOpens', type: 'boolean', format: 'flag01' },
			{ name: 'bounceAddress', displayName: 'Bounce Address', apiName: 'Bounce', type: 'string', format: 'email' },
			{ name: 'apiSecret', displayName: 'API Secret', apiName: 'Secret', type: 'string', password: true },
		],
	}),
	op({
		resource: 'domain',
		operation: 'getAll',
		name: 'Get Many',
		method: 'GET',
		path: '/api/v1/domains',
		idempotent: true,
		pagination: { style: 'offset', offsetKey: 'Offset', countKey: 'Count', maxPageSize: 100, itemsKey: 'Domains' },
		fields: [],
	}),
	op({
		resource: 'domain',
		operation: 'delete',
		name: 'Delete',
		idempotent: true,
		fields: [
			{ name: 'domainId', displayName: 'Domain', apiName: 'DomainID', type: 'options', required: true, loadOptionsMethod: 'getDomains' },
		],
	}),
	op({
		resource: 'email',
		operation: 'send',
		name: 'Send',
		credential: 'senderApi',
		fields: [
			{ name: 'to', displayName: 'To', apiName: 'To', type: 'string', required: true },
			{ name: 'body', displayName: 'Body', apiName: 'Body', type: 'string', rows: 5 },
			{ name: 'priority', displayName: 'Priority', apiName: 'Priority', type: 'number', minValue: 1, maxValue: 5, default: 3 },
		],
	}),
	op({
		resource: 'email',
		operation: 'getEvents',
		name: 'Get Events',
		credential: 'senderApi',
		itemsKey: 'Events',
		idempotent: true,
		fields: [],
	}),
];

const shownFor = (properties: INodeProperties[], resource: string, operation: string) =>
	properties.filter(
		(property) =>
			property.displayOptions?.show?.resource?.includes(resource) && property.displayOptions?.show?.operation?.includes(operation),
	);

describe('resourceProperty', () => {
	it('is a dropdown with options sorted by name, defaulting to the first resource given', () => {
		const property = resourceProperty([
			{ name: 'Subscriber', value: 'subscriber' },
			{ name: 'Domain', value: 'domain' },
			{ name: 'Email', value: 'email' },
		]);
		expect(property).toMatchObject({ name: 'resource', type: 'options', noDataExpression: true, default: 'subscriber' });
		expect(property.options!.map((option) => (option as { name: string }).name)).toEqual(['Domain', 'Email', 'Subscriber']);
	});
});

// The generic layout, as a node with one credential has it (Authentication is tested below).
const oneCredential = operations.map((operation) => ({ ...operation, credential: 'accountApi' }));

describe('operationProperties', () => {
	const properties = operationProperties(oneCredential);

	it('makes one Operation dropdown per resource, shown only for that resource', () => {
		expect(properties).toHaveLength(2);
		expect(properties.every((property) => property.name === 'operation' && property.type === 'options')).toBe(true);
		expect(properties.map((property) => property.displayOptions)).toEqual([
			{ show: { resource: ['domain'] } },
			{ show: { resource: ['email'] } },
		]);
	});

	it('lists the resource operations sorted by name, with value, description and action', () => {
		const domain = properties[0];
		expect(domain.options).toEqual([
			{ name: 'Create', value: 'create', description: 'Create description', action: 'Create' },
			{ name: 'Delete', value: 'delete', description: 'Delete description', action: 'Delete' },
			{ name: 'Get Many', value: 'getAll', description: 'Get Many description', action: 'Get Many' },
		]);
		expect(properties[1].options!.map((option) => (option as { value: string }).value)).toEqual(['getEvents', 'send']);
	});

	it('defaults to an operation of that resource', () => {
		expect(properties[0].default).toBe('create');
		expect(properties[1].default).toBe('send');
	});
});

describe('fieldProperties', () => {
	const properties = fieldProperties(oneCredential);

	it('puts required fields at top level, marked required and shown only for their operation', () => {
		const create = shownFor(properties, 'domain', 'create');
		const domainName = create.find((property) => property.name === 'domainName')!;
		expect(domainName).toMatchObject({ displayName: 'Domain Name', type: 'string', required: true, default: '' });
		expect(domainName.displayOptions).toEqual({ show: { resource: ['domain'], operation: ['create'] } });
		expect(shownFor(properties, 'email', 'send').find((property) => property.name === 'domainName')).toBeUndefined();
	});

	it('collects optional fields into Additional Fields, sorted by display name', () => {
		const additional = shownFor(properties, 'domain', 'create').find((property) => property.name === 'additionalFields')!;
		expect(additional).toMatchObject({ type: 'collection', default: {} });
		const options = additional.options as INodeProperties[];
		expect(options.map((option) => option.displayName)).toEqual(['API Secret', 'Bounce Address', 'Track Opens']);
		expect(options.find((option) => option.name === 'trackOpens')).toMatchObject({ type: 'boolean', default: false });
		expect(options.find((option) => option.name === 'apiSecret')!.typeOptions).toEqual({ password: true });
		// Optional fields never appear at top level.
		expect(properties.find((property) => property.name === 'trackOpens')).toBeUndefined();
	});

	it('adds no Additional Fields for operations without optional fields', () => {
		expect(shownFor(properties, 'domain', 'delete').map((property) => property.name)).toEqual(['domainId']);
	});

	it('turns a load-options field into a dropdown and carries number limits and rows', () => {
		const domainId = properties.find((property) => property.name === 'domainId')!;
		expect(domainId).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getDomains' }, required: true });
		const sendOptions = shownFor(properties, 'email', 'send').find((property) => property.name === 'additionalFields')!
			.options as INodeProperties[];
		expect(sendOptions.find((option) => option.name === 'priority')).toMatchObject({
			type: 'number',
			default: 3,
			typeOptions: { minValue: 1, maxValue: 5 },
		});
		expect(sendOptions.find((option) => option.name === 'body')!.typeOptions).toEqual({ rows: 5 });
	});

	it('adds Return All and Limit for list operations only, Limit hidden when Return All is on', () => {
		for (const [resource, operation] of [
			['domain', 'getAll'],
			['email', 'getEvents'],
		]) {
			const shown = shownFor(properties, resource, operation);
			const returnAll = shown.find((property) => property.name === 'returnAll')!;
			const limit = shown.find((property) => property.name === 'limit')!;
			expect(returnAll).toMatchObject({ type: 'boolean', default: false });
			expect(limit).toMatchObject({ type: 'number', typeOptions: { minValue: 1 } });
			expect(limit.displayOptions!.show).toEqual({ resource: [resource], operation: [operation], returnAll: [false] });
		}
		for (const [resource, operation] of [
			['domain', 'create'],
			['domain', 'delete'],
			['email', 'send'],
		]) {
			const names = shownFor(properties, resource, operation).map((property) => property.name);
			expect(names).not.toContain('returnAll');
			expect(names).not.toContain('limit');
		}
	});

	it('recognises list operations by items key or pagination', () => {
		expect(operations.filter(isListOperation).map((operation) => operation.operation)).toEqual(['getAll', 'getEvents']);
	});
});

// One operation two credentials serve (Email Gateway's webhooks: account key or sender key).
const sharedOperations: OperationDefinition[] = [
	...operations,
	op({
		resource: 'domain',
		operation: 'getAll',
		name: 'Get Many',
		credential: 'senderApi',
		method: 'GET',
		path: '/api/v2/domains',
		itemsKey: 'Domains',
		fields: [{ name: 'search', displayName: 'Search', apiName: 'q', type: 'string' }],
	}),
];

describe('one operation, whichever credential serves it', () => {
	const authentication = authenticationProperties(sharedOperations, { accountApi: 'Account Key', senderApi: 'Sender Key' });
	const operationDropdowns = operationProperties(sharedOperations, { accountApi: 'Account Key', senderApi: 'Sender Key' });

	it('has one top-level Authentication that depends on nothing (the n8n editor hides whatever an auth field depends on)', () => {
		expect(authentication).toEqual([
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account Key', value: 'accountApi' },
					{ name: 'Sender Key', value: 'senderApi' },
				],
				default: 'accountApi',
			},
		]);
	});

	it('lists every operation of a resource whichever credential is chosen (n8n picks the credential, and so Authentication, for a new node)', () => {
		const listed = operationDropdowns
			.filter((property) => property.name === 'operation')
			.map((property) => [property.displayOptions!.show, (property.options as Array<{ value: string }>).map((option) => option.value)]);
		expect(listed).toEqual([
			[{ resource: ['domain'] }, ['create', 'delete', 'getAll']],
			[{ resource: ['email'] }, ['getEvents', 'send']],
		]);
	});

	it('shows a notice naming the credential that serves the operation where the chosen one does not', () => {
		const notices = operationDropdowns.filter((property) => property.type === 'notice');
		expect(notices.map((property) => [property.displayOptions!.show, property.displayName])).toEqual([
			[{ resource: ['domain'], operation: ['create'], authentication: ['senderApi'] }, 'Create works with the Account Key credential, not the Sender Key: pick a credential of that type under Credential'],
			[{ resource: ['domain'], operation: ['delete'], authentication: ['senderApi'] }, 'Delete works with the Account Key credential, not the Sender Key: pick a credential of that type under Credential'],
			[{ resource: ['email'], operation: ['send'], authentication: ['accountApi'] }, expect.stringMatching(/^Send works with the Sender Key credential, not the Account Key/)],
			[{ resource: ['email'], operation: ['getEvents'], authentication: ['accountApi'] }, expect.stringMatching(/works with the Sender Key credential, not the Account Key/)],
		]);
	});

	it('shows each credential for its own Authentication value only (mutually exclusive)', () => {
		expect(credentialsFor(sharedOperations)).toEqual([
			{ name: 'accountApi', required: true, displayOptions: { show: { authentication: ['accountApi'] } } },
			{ name: 'senderApi', required: true, displayOptions: { show: { authentication: ['senderApi'] } } },
		]);
		expect(credentialProblems({ credentials: credentialsFor(sharedOperations), properties: authentication })).toEqual([]);
	});

	it('needs no Authentication and no condition for a node with one credential', () => {
		const single = operations.filter((operation) => operation.credential === 'accountApi');
		expect(authenticationProperties(single, {})).toEqual([]);
		expect(credentialsFor(single)).toEqual([{ name: 'accountApi', required: true }]);
	});

	it('shows the fields, Return All and Limit of every operation per Authentication value', () => {
		const properties = fieldProperties(sharedOperations);
		const search = properties.filter((property) => property.name === 'additionalFields' && property.displayOptions?.show?.operation?.includes('getAll'));
		expect(search.map((property) => property.displayOptions!.show)).toEqual([
			{ resource: ['domain'], operation: ['getAll'], authentication: ['senderApi'] },
		]);
		const limits = properties.filter((property) => property.name === 'limit' && property.displayOptions?.show?.resource?.includes('domain'));
		expect(limits.map((property) => property.displayOptions!.show!.authentication)).toEqual([['accountApi'], ['senderApi']]);
		expect(properties.find((property) => property.name === 'domainName')!.displayOptions!.show).toEqual({
			resource: ['domain'],
			operation: ['create'],
			authentication: ['accountApi'],
		});
	});
});

describe('credentialProblems (description data checks)', () => {
	const options = (values: string[]) => ({
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options' as const,
		default: values[0],
		options: values.map((value) => ({ name: value, value })),
	});

	it('finds a credential shown by two conditions, or under another parameter', () => {
		expect(
			credentialProblems({
				credentials: [
					{ name: 'a', displayOptions: { show: { authentication: ['a'], operation: ['get'] } } },
					{ name: 'b', displayOptions: { show: { operation: ['send'] } } },
				],
				properties: [options(['a'])],
			}),
		).toEqual([
			'credential a must show under exactly one condition (it has authentication, operation)',
			'credentials show under different parameters: authentication, operation',
			'credentials show by "operation", which is not a parameter',
		]);
	});

	it('finds a value that shows two credentials and an option that shows none', () => {
		expect(
			credentialProblems({
				credentials: [
					{ name: 'a', displayOptions: { show: { authentication: ['a', 'both'] } } },
					{ name: 'b', displayOptions: { show: { authentication: ['both'] } } },
				],
				properties: [options(['a', 'both', 'c'])],
			}),
		).toEqual(['authentication=both shows both a and b', '"authentication" value c shows no credential']);
	});

	it('finds a multi-value Authentication parameter', () => {
		const multi = { ...options(['a', 'b']), type: 'multiOptions' as const, default: [] };
		expect(
			credentialProblems({
				credentials: [
					{ name: 'a', displayOptions: { show: { authentication: ['a'] } } },
					{ name: 'b', displayOptions: { show: { authentication: ['b'] } } },
				],
				properties: [multi],
			}),
		).toEqual(['"authentication" must be a single-value parameter, not multiOptions']);
	});
});

describe('descriptionProblems (operation data checks)', () => {
	const field = (partial: Partial<FieldDefinition> & Pick<FieldDefinition, 'name'>): FieldDefinition => ({
		displayName: partial.name,
		apiName: partial.name,
		type: 'string',
		...partial,
	});

	it('finds nothing wrong in sound data', () => {
		expect(descriptionProblems(sharedOperations)).toEqual([]);
	});

	it('finds two definitions for one resource, operation and credential', () => {
		expect(descriptionProblems([...operations, op({ resource: 'domain', operation: 'create', name: 'Create again' })])).toEqual([
			'domain:create (accountApi) is defined twice',
		]);
	});

	it('finds a path placeholder without a field and a path field without a placeholder', () => {
		const problems = descriptionProblems([
			op({
				resource: 'receiver',
				operation: 'get',
				name: 'Get',
				path: '/v3/groups/{id}/receivers/{pool_id}',
				fields: [field({ name: 'groupId', apiName: 'id', location: 'path' }), field({ name: 'listId', apiName: 'list_id', location: 'path' })],
			}),
		]);
		expect(problems).toEqual([
			'receiver:get (accountApi): path placeholder {pool_id} has no path field',
			'receiver:get (accountApi): path field "listId" has no {list_id} in /v3/groups/{id}/receivers/{pool_id}',
		]);
	});

	it('finds a field shown by a field the operation does not have or the editor cannot see, a duplicate name, an empty collection', () => {
		const problems = descriptionProblems([
			op({
				resource: 'contact',
				operation: 'create',
				name: 'Create',
				fields: [
					field({ name: 'email', showWhen: { kind: ['person'] } }),
					field({ name: 'email' }),
					field({ name: 'extra', type: 'collection' }),
					field({ name: 'tags', type: 'multiOptions' }),
					field({ name: 'company', required: true, showWhen: { tags: ['b2b'] } }),
				],
			}),
		]);
		expect(problems).toEqual([
			'contact:create (accountApi): field name "email" is used twice',
			'contact:create (accountApi): "email" is shown by "kind", which is not a field of it',
			'contact:create (accountApi): collection "extra" has no fields',
			'contact:create (accountApi): "tags" has no options',
			'contact:create (accountApi): "company" is shown by "tags", which is under Additional Fields: make "tags" main',
		]);
	});
});

describe('Email Gateway description data', () => {
	const v1 = new EmailGateway().nodeVersions[1].description;

	it('has no clash, no path placeholder without its field, no unknown field reference', () => {
		expect(descriptionProblems(emailGatewayOperations)).toEqual([]);
	});

	it('shows its two credentials under mutually exclusive Authentication values', () => {
		expect(credentialProblems(v1)).toEqual([]);
		expect(v1.credentials).toEqual([
			{ name: 'emailGatewayApi', required: true, displayOptions: { show: { authentication: ['emailGatewayApi'] } } },
			{ name: 'emailGatewaySenderApi', required: true, displayOptions: { show: { authentication: ['emailGatewaySenderApi'] } } },
		]);
	});

	it('offers Authentication once, on top; one Operation dropdown per resource; a notice names the key an operation needs', () => {
		const choices = v1.properties.filter((property) => property.name === 'authentication');
		expect(choices).toHaveLength(1);
		expect(choices[0].displayOptions).toBeUndefined();
		expect(v1.properties[0].name).toBe('authentication');
		expect(choices[0].options).toEqual([
			{ name: CREDENTIAL_LABELS.emailGatewayApi, value: 'emailGatewayApi' },
			{ name: CREDENTIAL_LABELS.emailGatewaySenderApi, value: 'emailGatewaySenderApi' },
		]);
		const dropdowns = v1.properties.filter((property) => property.name === 'operation');
		expect(dropdowns.every((property) => property.displayOptions?.show?.authentication === undefined)).toBe(true);
		expect(new Set(dropdowns.map((property) => property.displayOptions!.show!.resource![0])).size).toBe(dropdowns.length);
		// The operations the sender key serves are exactly those without a notice under it.
		const notices = v1.properties.filter((property) => property.name === 'authenticationNotice');
		const senderServes = dropdowns.map((property): [string, string[]] => {
			const resource = property.displayOptions!.show!.resource![0] as string;
			const values = (property.options as Array<{ value: string }>).map((option) => option.value);
			const blocked = (value: string) =>
				notices.some((notice) => notice.displayOptions!.show!.resource![0] === resource && notice.displayOptions!.show!.operation![0] === value && notice.displayOptions!.show!.authentication![0] === 'emailGatewaySenderApi');
			return [resource, values.filter((value) => !blocked(value))];
		}).filter(([, values]) => values.length);
		expect(senderServes).toEqual([
			['webhook', ['create', 'delete', 'getAll']],
			['event', ['getAll']],
			['email', ['send']],
		]);
		const sendNotice = notices.find((notice) => notice.displayOptions!.show!.operation![0] === 'send');
		expect(sendNotice?.displayName).toBe(`Send works with the ${CREDENTIAL_LABELS.emailGatewaySenderApi} credential, not the ${CREDENTIAL_LABELS.emailGatewayApi}: pick a credential of that type under Credential`);
	});
});

describe('toCatalog', () => {
	it('publishes what each operation calls, with the command only for command-style operations', () => {
		const catalog = toCatalog(operations.slice(0, 2));
		expect(catalog).toEqual([
			{
				resource: 'domain',
				operation: 'create',
				title: 'Add a New Email Sender Domain',
				method: 'POST',
				path: '/api.php',
				command: 'Domain.Create',
				credential: 'accountApi',
			},
			{ resource: 'domain', operation: 'getAll', title: 'Get Many title', method: 'GET', path: '/api/v1/domains', credential: 'accountApi' },
		]);
		expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
	});
});

describe('Request Options → Pacing', () => {
	// Each node's own current version, as the editor shows it.
	const pacingOf = (node: INodeType | IVersionedNodeType) => {
		const description = 'nodeVersions' in node ? node.nodeVersions[node.currentVersion].description : node.description;
		const requestOptions = description.properties.find((property) => property.name === 'requestOptions');
		const pacing = (requestOptions?.options as INodeProperties[]).find((option) => option.name === 'pacing');
		return (pacing?.options as INodePropertyOptions[]).find((option) => option.value === 'documented')?.description;
	};

	it("names Email Gateway's documented limit in Email Gateway only; the other nodes say none is documented", () => {
		expect(pacingOf(new EmailGateway())).toBe('Space requests to keep the limit the provider documents (Email Gateway /api/v1: 100 requests per 60 s per sender key)');
		for (const node of [new CleverReach(), new Especial(), new SmsBy()]) {
			expect(pacingOf(node)).toBe('The provider documents no limit: as None, a 429 pauses the run as long as the provider asks');
		}
	});
});
