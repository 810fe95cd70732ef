import type { IDataObject } from 'n8n-workflow';

// Reading the JSON that providers answer and users map: the one place these checks are written.

/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a dot path ("data.items") of an answer; the answer itself for ""; undefined where a step is missing. */
export function valueAt(source: unknown, path: string): unknown {
	if (path === '') return source;
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | null | undefined)?.[key], source);
}

/** The first value that is a non-empty text or a number, trimmed (objects, such as a `Message`, do not count). */
export function firstText(...values: unknown[]): string | undefined {
	for (const value of values) {
		if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) return String(value).trim();
	}
	return undefined;
}
