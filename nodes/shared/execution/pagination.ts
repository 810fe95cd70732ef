import type { IDataObject } from 'n8n-workflow';

import type { PaginationStyle } from '../model/operation';
import { valueAt } from '../util/object';

/** Return All / Limit as the user set them. */
export interface PageLimit {
	returnAll: boolean;
	limit: number;
}

/** Fetches one page: the transport adds these parameters to the request. */
export type PageFetcher = (pageParameters: IDataObject) => Promise<IDataObject>;

/**
 * Most pages one call may fetch: a guard against a provider that never says it is done (a million items
 * at 100 per page); reaching it is an error, never a silently shortened list. A provider answering the
 * same page again is caught sooner (see collectPages).
 */
export const MAX_PAGES = 10_000;

/** A reported total, or NaN when the response has none (null or "" must not read as 0 and end paging). */
function totalOf(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '') return Number(value);
	return NaN;
}

function itemsOf(response: IDataObject, key: string): IDataObject[] {
	const value = valueAt(response, key);
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

/**
 * Collects items across pages in offset/count, page/per-page or cursor style until the provider has
 * no more or the limit is reached. "No more" is what the provider says: the reported total is reached,
 * there is no next cursor, or a page comes back empty. A page shorter than asked for is never the end
 * by itself: providers cap pages below the size asked for (CleverReach's bounces at 100), so paging
 * goes on after it (offset moves by the rows received, page numbers follow the provider's own size).
 * A page with exactly the items of the page before means the provider ignores the offset (or page,
 * or cursor): paging stops there, without adding that page again.
 */
export async function collectPages(
	style: PaginationStyle,
	limit: PageLimit,
	fetchPage: PageFetcher,
): Promise<IDataObject[]> {
	const wanted = limit.returnAll ? Infinity : Math.max(0, limit.limit);
	const collected: IDataObject[] = [];
	if (wanted === 0) return collected;

	let offset = 0;
	let page = style.style === 'page' ? style.firstPage : 0;
	let cursor: string | undefined;
	const seenCursors = new Set<string>();
	let previousPage: string | undefined;

	for (let pages = 0; pages < MAX_PAGES; pages++) {
		const pageSize = Math.min(style.maxPageSize, wanted - collected.length);
		const parameters: IDataObject = {};
		if (style.style === 'offset') {
			parameters[style.offsetKey] = offset;
			parameters[style.countKey] = pageSize;
		} else if (style.style === 'page') {
			parameters[style.pageKey] = page;
			parameters[style.perPageKey] = style.maxPageSize;
		} else {
			parameters[style.countKey] = pageSize;
			if (cursor !== undefined) parameters[style.cursorKey] = cursor;
		}

		const response = await fetchPage(parameters);
		const items = itemsOf(response, style.itemsKey);
		if (items.length === 0) return collected;
		const fingerprint = JSON.stringify(items);
		if (fingerprint === previousPage) return collected;
		previousPage = fingerprint;
		collected.push(...items.slice(0, wanted - collected.length));
		if (collected.length >= wanted) return collected;

		if (style.style === 'cursor') {
			const next = valueAt(response, style.nextCursorPath);
			if (next === undefined || next === null || next === '' || seenCursors.has(String(next))) return collected;
			cursor = String(next);
			seenCursors.add(cursor);
			continue;
		}
		const total = style.totalKey !== undefined ? totalOf(valueAt(response, style.totalKey)) : NaN;
		offset += items.length;
		page += 1;
		// Without a usable total, only an empty page ends the list (the next round asks for it).
		if (!Number.isNaN(total) && (style.style === 'offset' ? offset : collected.length) >= total) return collected;
	}
	// Never a silent cut: the provider still announced more after the most pages one call may read.
	throw new Error(
		`Read ${MAX_PAGES.toLocaleString('en-US')} pages (${collected.length.toLocaleString('en-US')} items) and the provider still announces more: narrow the list with its filters, or turn off Return All and set a Limit`,
	);
}
