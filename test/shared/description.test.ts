import type { INodeProperties } from 'n8n-workflow';

import {
	assertCredentialsSeparable,
	credentialsFor,
	fieldProperties,
	isListOperation,
	operationProperties,
	resourceProperty,
	toCatalog,
} from '../../nodes/shared/description';
import type { OperationDefinition } from '../../nodes/shared/types';

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

describe('operationProperties', () => {
	const properties = operationProperties(operations);

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
	const properties = fieldProperties(operations);

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

describe('credentialsFor', () => {
	it('shows each credential only for the operations that use it', () => {
		expect(credentialsFor(operations)).toEqual([
			{ name: 'accountApi', required: true, displayOptions: { show: { operation: ['create', 'getAll', 'delete'] } } },
			{ name: 'senderApi', required: true, displayOptions: { show: { operation: ['send', 'getEvents'] } } },
		]);
	});

	it('lists an operation value shared by two resources once', () => {
		const shared = [
			op({ resource: 'domain', operation: 'get', name: 'Get' }),
			op({ resource: 'list', operation: 'get', name: 'Get' }),
		];
		expect(credentialsFor(shared)).toEqual([{ name: 'accountApi', required: true, displayOptions: { show: { operation: ['get'] } } }]);
	});
});

describe('assertCredentialsSeparable', () => {
	it('accepts operations whose values each belong to one credential', () => {
		expect(() => assertCredentialsSeparable(operations)).not.toThrow();
		expect(() =>
			assertCredentialsSeparable([...operations, op({ resource: 'list', operation: 'getAll', name: 'Get Many' })]),
		).not.toThrow();
	});

	it('throws when one operation value would need two credentials', () => {
		const clash = [...operations, op({ resource: 'list', operation: 'send', name: 'Send', credential: 'accountApi' })];
		expect(() => assertCredentialsSeparable(clash)).toThrow(/"send".*two credentials/);
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
			},
			{ resource: 'domain', operation: 'getAll', title: 'Get Many title', method: 'GET', path: '/api/v1/domains' },
		]);
		expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
	});
});
