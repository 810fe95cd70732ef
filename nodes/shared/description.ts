import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { CatalogEntry, FieldDefinition, OperationDefinition } from './types';

/** Publishes operations as the catalog `index.js` exports: what the package covers, as data. */
export function toCatalog(operations: OperationDefinition[]): CatalogEntry[] {
	return operations.map(({ resource, operation, title, method, path, command }) => ({
		resource,
		operation,
		title,
		method,
		path,
		...(command ? { command } : {}),
	}));
}

function showFor(resource: string, operations: string[]) {
	return { show: { resource: [resource], operation: operations } };
}

function fieldProperty(field: FieldDefinition): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: field.format === 'flag01' ? 'boolean' : field.type,
		default: field.default ?? (field.type === 'boolean' || field.format === 'flag01' ? false : field.type === 'number' ? 0 : ''),
		description: field.description,
	};
	if (field.placeholder) property.placeholder = field.placeholder;
	if (field.options) property.options = field.options;
	if (field.loadOptionsMethod) {
		property.type = 'options';
		property.typeOptions = { loadOptionsMethod: field.loadOptionsMethod };
	}
	if (field.minValue !== undefined || field.maxValue !== undefined) {
		property.typeOptions = { ...property.typeOptions, minValue: field.minValue, maxValue: field.maxValue };
	}
	if (field.rows) property.typeOptions = { ...property.typeOptions, rows: field.rows };
	if (field.password) property.typeOptions = { ...property.typeOptions, password: true };
	return property;
}

/** The Resource dropdown. */
export function resourceProperty(resources: INodePropertyOptions[]): INodeProperties {
	const firstResource = resources[0].value;
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...resources].sort((a, b) => a.name.localeCompare(b.name)),
		default: firstResource,
	};
}

/** One Operation dropdown per resource, from the operations' data. */
export function operationProperties(operations: OperationDefinition[]): INodeProperties[] {
	const resources = [...new Set(operations.map((operation) => operation.resource))];
	return resources.map((resource) => {
		const ofResource = operations.filter((operation) => operation.resource === resource);
		const firstOperation = ofResource[0].operation;
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: ofResource
				.map((operation) => ({
					name: operation.name,
					value: operation.operation,
					description: operation.description,
					action: operation.action,
				}))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: firstOperation,
		};
	});
}

/** Whether an operation answers with a list the user can cap with Return All / Limit. */
export function isListOperation(operation: OperationDefinition): boolean {
	return operation.itemsKey !== undefined || operation.pagination !== undefined;
}

/**
 * The parameters of every operation: required fields on their own, optional ones in an
 * "Additional Fields" collection, and Return All / Limit for lists.
 */
export function fieldProperties(operations: OperationDefinition[]): INodeProperties[] {
	const properties: INodeProperties[] = [];
	for (const operation of operations) {
		const shown = showFor(operation.resource, [operation.operation]);
		for (const field of operation.fields.filter((candidate) => candidate.required || candidate.main)) {
			properties.push({ ...fieldProperty(field), required: field.required === true, displayOptions: shown });
		}
		if (isListOperation(operation)) {
			properties.push(
				{
					displayName: 'Return All',
					name: 'returnAll',
					type: 'boolean',
					default: false,
					description: 'Whether to return all results or only up to a given limit',
					displayOptions: shown,
				},
				{
					displayName: 'Limit',
					name: 'limit',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 50,
					description: 'Max number of results to return',
					displayOptions: { show: { ...shown.show, returnAll: [false] } },
				},
			);
		}
		const optional = operation.fields.filter((candidate) => !candidate.required && !candidate.main);
		if (optional.length) {
			properties.push({
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				displayOptions: shown,
				options: optional.map(fieldProperty).sort((a, b) => a.displayName.localeCompare(b.displayName)),
			});
		}
	}
	return properties;
}

/** Credentials shown for the operations that use them (operation values are unique per credential). */
export function credentialsFor(operations: OperationDefinition[]) {
	const byCredential = new Map<string, Set<string>>();
	for (const operation of operations) {
		const set = byCredential.get(operation.credential) ?? new Set<string>();
		set.add(operation.operation);
		byCredential.set(operation.credential, set);
	}
	return [...byCredential].map(([name, operationValues]) => ({
		name,
		required: true,
		displayOptions: { show: { operation: [...operationValues] } },
	}));
}

/** Fails the build of a node early when two credentials would share an operation value. */
export function assertCredentialsSeparable(operations: OperationDefinition[]): void {
	const owner = new Map<string, string>();
	for (const operation of operations) {
		const existing = owner.get(operation.operation);
		if (existing && existing !== operation.credential) {
			throw new Error(`Operation value "${operation.operation}" is used with two credentials`);
		}
		owner.set(operation.operation, operation.credential);
	}
}
