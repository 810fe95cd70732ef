import type { IDataObject } from 'n8n-workflow';

// Operation paths with placeholders, as the providers document them: `/v3/groups/{id}/receivers/{pool_id}`.

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The placeholder names of a path, in order: `/lists/{list_id}/contacts/{contact_id}` → ['list_id', 'contact_id']. */
export function pathPlaceholders(path: string): string[] {
	return [...path.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/**
 * Fills every placeholder with its value, URL-encoded as one path segment (a `/` or `?` in an id
 * cannot reach another endpoint). A placeholder without a value is left for the caller to report;
 * the description check of the tests (descriptionProblems, test/harness/description-checks.ts) makes sure none is ever without a field.
 */
export function fillPath(path: string, values: IDataObject): string {
	return path.replace(PLACEHOLDER, (placeholder, name: string) =>
		values[name] === undefined ? placeholder : encodeURIComponent(String(values[name])),
	);
}
