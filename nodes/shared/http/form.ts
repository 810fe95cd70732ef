import type { IDataObject } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import type { FileUpload } from '../model/operation';

/**
 * Form bodies (application/x-www-form-urlencoded and multipart/form-data) as PHP reads them: nested
 * values become bracket keys, the way PHP's http_build_query writes them and $_POST reads them back.
 *
 *   { delivery_list: [{ email: 'a@b.c' }], data: [[1, 2]], field_names: ['email'] }
 *   → delivery_list[0][email]=a@b.c, data[0][0]=1, data[0][1]=2, field_names[0]=email
 *
 * Values: strings as they are; finite numbers and bigints in decimal (`String`); booleans as 1 / 0
 * (what http_build_query sends, and what PHP APIs test with `if ($value)`); Dates as ISO 8601 in UTC
 * (`toISOString`). null and undefined are left out (no key at all, as http_build_query does), and so is
 * an empty array or object. A number that is not finite (NaN, Infinity) has no form; it is refused, not
 * sent as the text "NaN".
 */
export type FormEntry = [key: string, value: string];

/** A value a form cannot carry; the transport turns it into an input error before anything is sent. */
export class FormValueError extends ApplicationError {
	constructor(
		readonly key: string,
		reason: string,
	) {
		super(`Form field "${key}" ${reason}`);
	}
}

function formValue(key: string, value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? '1' : '0';
	if (typeof value === 'bigint') return String(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new FormValueError(key, `is ${String(value)}, which a form cannot carry`);
		return String(value);
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new FormValueError(key, 'is an invalid date');
		return value.toISOString();
	}
	return undefined;
}

/** The body as ordered (key, value) pairs with PHP-style bracket keys; see the module comment for values. */
export function flattenForm(body: IDataObject | undefined): FormEntry[] {
	const entries: FormEntry[] = [];
	const visit = (key: string, value: unknown, depth: number) => {
		if (value === undefined || value === null) return;
		const scalar = formValue(key, value);
		if (scalar !== undefined) {
			entries.push([key, scalar]);
			return;
		}
		if (typeof value !== 'object') throw new FormValueError(key, `is a ${typeof value}, which a form cannot carry`);
		if (depth > 32) throw new FormValueError(key, 'is nested too deeply');
		const children = Array.isArray(value) ? value.map((element, index) => [String(index), element] as const) : Object.entries(value);
		for (const [childKey, child] of children) visit(`${key}[${childKey}]`, child, depth + 1);
	};
	for (const [key, value] of Object.entries(body ?? {})) visit(key, value, 0);
	return entries;
}

/** An application/x-www-form-urlencoded body (URLSearchParams: n8n and axios send it as its toString()). */
export function urlEncodedForm(body: IDataObject | undefined): URLSearchParams {
	return new URLSearchParams(flattenForm(body));
}

/** A multipart/form-data body: the fields flattened like a urlencoded form, then the files. */
export function multipartForm(body: IDataObject | undefined, files: FileUpload[] = []): FormData {
	const form = new FormData();
	for (const [key, value] of flattenForm(body)) form.append(key, value);
	for (const file of files) form.append(file.field, new Blob([file.data], { type: file.mimeType }), file.fileName);
	return form;
}
