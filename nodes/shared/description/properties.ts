import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyMode,
	INodePropertyOptions,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { INITIAL_CONCURRENCY } from '../http/pacing';
import { FIXED_COLLECTION_ENTRIES, isTopLevelField } from '../input/fields';
import type { CatalogEntry, FieldDefinition, OperationDefinition } from '../model/operation';

/** Name of the parameter that picks the credential of an operation two credentials serve. */
export const AUTHENTICATION = 'authentication';

/** Publishes operations as the catalog `index.js` exports: what the package covers, as data. */
export function toCatalog(operations: OperationDefinition[]): CatalogEntry[] {
	return operations.map(({ resource, operation, title, method, path, command, credential }) => ({
		resource,
		operation,
		title,
		method,
		path,
		...(command ? { command } : {}),
		credential,
	}));
}


/**
 * Where an operation's parameters are shown: its resource and operation, and, in a node that several
 * credentials serve, its credential (the Authentication value), since one operation value can be
 * served by two credentials with different fields.
 */
function showFor(operation: OperationDefinition, multiCredential: boolean) {
	return {
		show: {
			resource: [operation.resource],
			operation: [operation.operation],
			...(multiCredential ? { [AUTHENTICATION]: [operation.credential] } : {}),
		},
	};
}

function defaultOf(field: FieldDefinition): INodeProperties['default'] {
	if (field.type === 'collection' || field.type === 'fixedCollection') return {};
	if (field.type === 'resourceLocator') return { mode: field.locator?.searchMethod ? 'list' : 'id', value: '' };
	if (field.type === 'multiOptions') return (field.default as string[] | undefined) ?? [];
	if (field.default !== undefined) return field.default as INodeProperties['default'];
	if (field.type === 'boolean' || field.format === 'flag01') return false;
	return field.type === 'number' ? 0 : '';
}

/**
 * The modes a resource locator offers: From List when it has a search method, By ID always, By URL when
 * it has a URL pattern. Written as one `modes` list, where n8n's lint (and its package scanner, which
 * ignores disable comments) knows a mode needs no default of its own.
 */
function locatorModes(field: FieldDefinition): INodePropertyMode[] {
	const locator = field.locator ?? {};
	const all: { modes: INodePropertyMode[] } = {
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${field.displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod: locator.searchMethod, searchable: locator.searchable === true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: locator.idPlaceholder ?? 'e.g. 123',
				...(locator.idPattern
					? { validation: [{ type: 'regex', properties: { regex: locator.idPattern, errorMessage: 'Not a valid ID' } }] }
					: {}),
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: locator.urlPlaceholder,
				extractValue: { type: 'regex', regex: locator.urlPattern ?? '' },
				validation: [{ type: 'regex', properties: { regex: locator.urlPattern ?? '', errorMessage: 'Not a valid URL' } }],
			},
		],
	};
	const offered = { list: !!locator.searchMethod, id: true, url: !!locator.urlPattern };
	return all.modes.filter((mode) => offered[mode.name as keyof typeof offered]);
}

/**
 * `showWhen` as displayOptions. Inside a collection, n8n reads a plain name as a sibling and `/name`
 * as a top-level parameter.
 */
function displayWhen(field: FieldDefinition, topLevel: Set<string> | undefined) {
	if (!field.showWhen) return {};
	return Object.fromEntries(
		Object.entries(field.showWhen).map(([name, values]) => [topLevel?.has(name) ? `/${name}` : name, values]),
	);
}

/** One field as an n8n parameter. `topLevel` is given for fields inside a collection (names to reach with `/`). */
function fieldProperty(field: FieldDefinition, topLevel?: Set<string>): INodeProperties {
	const type = field.format === 'flag01' ? 'boolean' : field.type;
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type,
		default: defaultOf(field),
		description: field.description,
	};
	if (field.placeholder) property.placeholder = field.placeholder;
	if (field.options) property.options = field.options;
	if (field.loadOptionsMethod) {
		if (type !== 'multiOptions') property.type = 'options';
		property.typeOptions = { loadOptionsMethod: field.loadOptionsMethod };
	}
	if (field.minValue !== undefined || field.maxValue !== undefined) {
		property.typeOptions = { ...property.typeOptions, minValue: field.minValue, maxValue: field.maxValue };
	}
	if (field.rows) property.typeOptions = { ...property.typeOptions, rows: field.rows };
	if (field.password) property.typeOptions = { ...property.typeOptions, password: true };
	if (type === 'collection') {
		property.placeholder = field.placeholder ?? 'Add Field';
		property.options = (field.fields ?? []).map((sub) => fieldProperty(sub)).sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	if (type === 'fixedCollection') {
		const entryName = field.entryName ?? field.displayName;
		property.placeholder = field.placeholder ?? `Add ${entryName}`;
		property.typeOptions = { ...property.typeOptions, multipleValues: true };
		const values: INodeProperties[] = field.pairs
			? [
					{ displayName: field.pairs.nameLabel ?? 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: field.pairs.valueLabel ?? 'Value', name: 'value', type: 'string', default: '' },
				]
			: (field.fields ?? []).map((sub) => ({ ...fieldProperty(sub), ...(sub.required ? { required: true } : {}) }));
		property.options = [{ displayName: entryName, name: FIXED_COLLECTION_ENTRIES, values }];
	}
	if (type === 'resourceLocator') property.modes = locatorModes(field);
	const when = displayWhen(field, topLevel);
	if (Object.keys(when).length) property.displayOptions = { show: when };
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

/**
 * The subtitle under the node's name on the canvas: the chosen operation and resource as their dropdowns
 * name them ("Upsert: Receiver"), from a table built out of the operations' data (n8n evaluates the
 * subtitle as an expression); the raw values for a pair the table lacks.
 */
export function subtitleOf(resources: INodePropertyOptions[], operations: OperationDefinition[]): string {
	const resourceNames = new Map(resources.map((resource) => [resource.value, resource.name]));
	const names: Record<string, string> = {};
	for (const operation of operations) {
		// As the Operation dropdown: the first operation with a value names it.
		names[`${operation.resource}:${operation.operation}`] ??= `${operation.name}: ${resourceNames.get(operation.resource) ?? operation.resource}`;
	}
	const pair = '$parameter["resource"] + ":" + $parameter["operation"]';
	return `={{ ${JSON.stringify(names)}[${pair}] || $parameter["operation"] + ": " + $parameter["resource"] }}`;
}

function operationProperty(resource: string, ofResource: OperationDefinition[], show: IDataObject): INodeProperties {
	const unique = ofResource.filter(
		(operation, index) => ofResource.findIndex((candidate) => candidate.operation === operation.operation) === index,
	);
	const firstOperation = ofResource[0].operation;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource], ...show } },
		options: unique
			.map((operation) => ({
				name: operation.name,
				value: operation.operation,
				description: operation.description,
				action: operation.action,
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: firstOperation,
	};
}

/**
 * The Operation dropdowns, from the operations' data: one per resource. In a node that several credentials
 * serve it lists every operation of the resource whichever credential is chosen: n8n's editor gives a new
 * node the most recently saved credential of any of its types, which sets Authentication, so a dropdown
 * per Authentication value would silently switch the operation the nodes panel's action picked. Where the
 * chosen credential does not serve the chosen operation a notice says which one does (`labels` names them),
 * and running it fails with the same advice before any request.
 */
export function operationProperties(operations: OperationDefinition[], labels: Record<string, string> = {}): INodeProperties[] {
	const resources = [...new Set(operations.map((operation) => operation.resource))];
	const credentials = credentialsUsed(operations);
	return resources.flatMap((resource) => {
		const ofResource = operations.filter((operation) => operation.resource === resource);
		const dropdown = operationProperty(resource, ofResource, {});
		if (credentials.length < 2) return [dropdown];
		const notices = [...new Set(ofResource.map((operation) => operation.operation))].flatMap((value) => {
			const serving = ofResource.filter((operation) => operation.operation === value);
			const servedBy = serving.map((operation) => operation.credential);
			const servedNames = servedBy.map((credential) => labels[credential] ?? credential).join(' or ');
			return credentials
				.filter((credential) => !servedBy.includes(credential))
				.map(
					(credential): INodeProperties => ({
						displayName: `${serving[0].name} works with the ${servedNames} credential, not the ${labels[credential] ?? credential}: pick a credential of that type under Credential`,
						name: 'authenticationNotice',
						type: 'notice',
						default: '',
						displayOptions: { show: { resource: [resource], operation: [value], [AUTHENTICATION]: [credential] } },
					}),
				);
		});
		return [dropdown, ...notices];
	});
}

function credentialsUsed(operations: OperationDefinition[]): string[] {
	return [...new Set(operations.map((operation) => operation.credential))];
}

/**
 * The Authentication parameter of a node that several credentials serve: one top-level choice, as
 * n8n's Mailchimp node has it, whose value (a credential type name) decides which credential the
 * editor shows and which definition runs. It depends on nothing: n8n's editor hides every parameter
 * an authentication field's displayOptions name (resource and operation would vanish from the node).
 * The operations each credential serves are listed under its value (operationProperties). Nothing
 * for a node with one credential. `labels` names each credential in the options ("Account API Key").
 */
export function authenticationProperties(operations: OperationDefinition[], labels: Record<string, string>): INodeProperties[] {
	const credentials = credentialsUsed(operations);
	if (credentials.length < 2) return [];
	const [firstCredential] = credentials;
	return [
		{
			displayName: 'Authentication',
			name: AUTHENTICATION,
			type: 'options',
			noDataExpression: true,
			options: credentials.map((credential) => ({ name: labels[credential] ?? credential, value: credential })),
			default: firstCredential,
		},
	];
}

/** Whether an operation answers with a list the user can cap with Return All / Limit. */
export function isListOperation(operation: OperationDefinition): boolean {
	return operation.itemsKey !== undefined || operation.pagination !== undefined;
}

/**
 * The parameters of every operation: required, main and path fields on their own, optional ones in an
 * "Additional Fields" collection, and Return All / Limit for lists. Fields of an operation several
 * credentials serve show for its Authentication value.
 */
/**
 * The fields of every operation, then Request Options. `documentedLimit` says in the provider's words which
 * limit "Provider's Documented Limit" keeps (its ProviderProfile.documentedLimit); without it, none is documented.
 */
export function fieldProperties(operations: OperationDefinition[], provider: { documentedLimit?: string } = {}): INodeProperties[] {
	const properties: INodeProperties[] = [];
	const multiCredential = credentialsUsed(operations).length > 1;
	for (const operation of operations) {
		const shown = showFor(operation, multiCredential);
		const topLevel = operation.fields.filter(isTopLevelField);
		const topLevelNames = new Set(topLevel.map((field) => field.name));
		for (const field of topLevel) {
			const property = fieldProperty(field);
			properties.push({
				...property,
				required: field.required === true || field.location === 'path',
				displayOptions: { show: { ...shown.show, ...property.displayOptions?.show } },
			});
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
		const optional = operation.fields.filter((candidate) => !isTopLevelField(candidate));
		if (optional.length) {
			properties.push({
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				displayOptions: shown,
				options: optional
					.map((field) => fieldProperty(field, topLevelNames))
					.sort((a, b) => a.displayName.localeCompare(b.displayName)),
			});
		}
	}
	properties.push(requestOptionsProperty(provider.documentedLimit));
	return properties;
}

/**
 * How fast the node talks to the provider, for every operation (read by shared/execution/execute.ts and
 * shared/http/pacing.ts): the ceiling of the adaptive concurrency, strict order, and the rate limit kept.
 */
export function requestOptionsProperty(documentedLimit?: string): INodeProperties {
	return {
		displayName: 'Request Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Requests at Once',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 250,
				description: `Most requests in flight together. The node starts with ${INITIAL_CONCURRENCY} and sends more while the provider answers well; a 429, 503 or timeout halves it.`,
			},
			{
				displayName: 'One at a Time, in Order',
				name: 'oneAtATime',
				type: 'boolean',
				default: false,
				description: 'Whether to send each item only after the answer to the previous one, in input order (slower)',
			},
			{
				displayName: 'Pacing',
				name: 'pacing',
				type: 'options',
				default: 'documented',
				options: [
					{
						name: "Provider's Documented Limit",
						value: 'documented',
						description: documentedLimit
							? `Space requests to keep the limit the provider documents (${documentedLimit})`
							: 'The provider documents no limit: as None, a 429 pauses the run as long as the provider asks',
					},
					{ name: 'Custom Limit', value: 'custom', description: 'Keep the limit set below, e.g. for a plan with a higher limit' },
					{ name: 'None', value: 'none', description: 'Send as fast as allowed in flight; a 429 still pauses the run as long as the provider asks' },
				],
				description: 'Rate limit kept for the whole run, per credential',
			},
			{
				displayName: 'Rate Limit: Per Seconds',
				name: 'rateLimitSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'With Custom Limit: length of the window in seconds',
				displayOptions: { show: { pacing: ['custom'] } },
			},
			{
				displayName: 'Rate Limit: Requests',
				name: 'rateLimitRequests',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 100,
				description: 'With Custom Limit: most requests per window',
				displayOptions: { show: { pacing: ['custom'] } },
			},
		],
	};
}

/**
 * The node's credentials. With several, each shows for its own value of the one Authentication
 * parameter (mutually exclusive conditions, as n8n's single-credential-per-node rule asks).
 */
export function credentialsFor(operations: OperationDefinition[]): INodeCredentialDescription[] {
	const credentials = credentialsUsed(operations);
	if (credentials.length === 1) return [{ name: credentials[0], required: true }];
	return credentials.map((name) => ({ name, required: true, displayOptions: { show: { [AUTHENTICATION]: [name] } } }));
}

/** What a provider node's version describes itself with: everything else comes from its operations. */
export interface ActionNodeData {
	version: number;
	/** The node's default name on the canvas. */
	name: string;
	resources: INodePropertyOptions[];
	operations: OperationDefinition[];
	/** How the Authentication option names each credential type, for a node with several. */
	credentialLabels?: Record<string, string>;
	/** The rate limit the provider documents, in words, for Request Options → Pacing. */
	documentedLimit?: string;
}

/**
 * The description of one version of a provider node: usable as an AI tool, Authentication first where two
 * credentials serve it (the Operation dropdowns depend on it), then Resource, Operation, fields and Request Options.
 */
export function actionNodeDescription(base: INodeTypeBaseDescription, node: ActionNodeData): INodeTypeDescription {
	const labels = node.credentialLabels ?? {};
	return {
		...base,
		version: node.version,
		subtitle: subtitleOf(node.resources, node.operations),
		defaults: { name: node.name },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(node.operations),
		properties: [
			...authenticationProperties(node.operations, labels),
			resourceProperty(node.resources),
			...operationProperties(node.operations, labels),
			...fieldProperties(node.operations, { documentedLimit: node.documentedLimit }),
		],
	};
}
