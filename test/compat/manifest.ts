/**
 * The compatibility manifest of a node version: what a saved workflow depends on, one line per parameter
 * and nothing a user only reads. A saved workflow stores parameter names and the values a user chose
 * (option values, and whatever differs from the default); n8n shows or hides a parameter by its
 * displayOptions. So a line holds the parameter's path, type, default, option values and displayOptions;
 * display names, descriptions, hints and placeholders are left out, so wording can change freely.
 */
import type { INodeProperties, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

type Property = INodeProperties | { name: string; values?: INodeProperties[]; value?: unknown };

const text = (value: unknown) => JSON.stringify(value ?? null);

function displayOptionsOf(property: INodeProperties): string {
	const shown = (kind: 'show' | 'hide') => {
		const conditions = property.displayOptions?.[kind];
		if (!conditions) return '';
		const keys = Object.keys(conditions).sort();
		return ` ${kind}{${keys.map((key) => `${key}=${text(conditions[key])}`).join(';')}}`;
	};
	return shown('show') + shown('hide');
}

function optionValuesOf(property: INodeProperties): string {
	const options = property.options as Property[] | undefined;
	if (!options || property.type === 'collection' || property.type === 'fixedCollection') return '';
	return ` options=${options.map((option) => text((option as { value?: unknown }).value)).join(',')}`;
}

/** The lines of one parameter and of the parameters inside it (collection options, fixedCollection values). */
function linesOf(property: INodeProperties, prefix: string): string[] {
	const path = `${prefix}${property.name}`;
	const shownWhen = displayOptionsOf(property);
	const line = `${path} [${property.type}] default=${text(property.default)}${optionValuesOf(property)}${shownWhen}`;
	// A child's path carries its parent's displayOptions: the same collection name under two operations stays two entries.
	const childPrefix = shownWhen ? `${path}(${shownWhen.trim()})` : path;
	const inner: string[] = [];
	if (property.type === 'collection') {
		for (const child of (property.options ?? []) as INodeProperties[]) inner.push(...linesOf(child, `${childPrefix}.`));
	}
	if (property.type === 'fixedCollection') {
		for (const group of (property.options ?? []) as Array<{ name: string; values: INodeProperties[] }>) {
			for (const child of group.values) inner.push(...linesOf(child, `${childPrefix}.${group.name}.`));
		}
	}
	return [line, ...inner];
}

function manifestOfDescription(description: INodeTypeDescription): string[] {
	const header = [
		`name ${description.name}`,
		`credentials ${(description.credentials ?? []).map((credential) => `${credential.name}${displayOptionsOf(credential as INodeProperties)}`).join(' | ')}`,
		`webhooks ${(description.webhooks ?? []).map((webhook) => `${webhook.name}:${webhook.httpMethod}:${webhook.path}`).join(' | ')}`,
		`polling ${text(description.polling ?? false)}`,
	];
	// A parameter can appear more than once (the same name shown for different operations): sorted lines keep each one.
	const parameters = description.properties.flatMap((property) => linesOf(property, '')).sort();
	return [...header, ...parameters];
}

/** One manifest per version of a node: `{ "1": "<lines>" }`. */
export function manifestsOf(node: INodeType | IVersionedNodeType): Record<string, string> {
	const versions: Record<string, INodeTypeDescription> =
		'nodeVersions' in node
			? Object.fromEntries(Object.entries(node.nodeVersions).map(([version, type]) => [version, type.description]))
			: { [String(node.description.version)]: node.description };
	return Object.fromEntries(Object.entries(versions).map(([version, description]) => [version, `${manifestOfDescription(description).join('\n')}\n`]));
}

/** Lines present in `saved` and missing from `current`: what saved workflows would lose. */
export function missingLines(saved: string, current: string): string[] {
	const now = new Set(current.split('\n'));
	return saved.split('\n').filter((line) => line && !now.has(line));
}
