import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialsFor, fieldProperties, operationProperties, resourceProperty } from '../../nodes/shared/description/properties';
import { executeOperations } from '../../nodes/shared/execution/execute';
import { collectPages, MAX_PAGES } from '../../nodes/shared/execution/pagination';
import { sendRequest } from '../../nodes/shared/http/transport';
import type { CursorPaginationStyle, OffsetPaginationStyle, OperationDefinition, PagePaginationStyle, PaginationStyle } from '../../nodes/shared/model/operation';
import { startBatchServer } from '../fake/batch-server';
import type { BatchServer } from '../fake/batch-server';
import { BATCH_CREDENTIAL } from '../harness/batch-node';
import { registerTestTypes, runNode } from '../harness/engine';

const records = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index + 1 }));
const ids = (items: IDataObject[]) => items.map((item) => item.id);

/** A provider with `total` records that honours offset/count and caps a page at `cap`. */
function offsetProvider(total: number, options: { cap?: number; withTotal?: boolean } = {}) {
	const data = records(total);
	const calls: IDataObject[] = [];
	const fetch = async (parameters: IDataObject) => {
		calls.push(parameters);
		const start = Number(parameters.Offset);
		const count = Math.min(Number(parameters.Count), options.cap ?? Infinity);
		const page = data.slice(start, start + count);
		return options.withTotal ? { Result: { Rows: page }, TotalCount: total } : { Result: { Rows: page } };
	};
	return { calls, fetch };
}

const offset = (extra: Partial<OffsetPaginationStyle> = {}): OffsetPaginationStyle => ({
	style: 'offset',
	offsetKey: 'Offset',
	countKey: 'Count',
	maxPageSize: 10,
	itemsKey: 'Result.Rows',
	...extra,
});

describe('collectPages, offset style', () => {
	it('collects everything with Return All: without a total, only an empty page ends the list (a short page does not)', async () => {
		const provider = offsetProvider(25);
		const items = await collectPages(offset(), { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(25)));
		expect(provider.calls).toEqual([
			{ Offset: 0, Count: 10 },
			{ Offset: 10, Count: 10 },
			{ Offset: 20, Count: 10 },
			{ Offset: 25, Count: 10 },
		]);
	});

	it('asks one more (empty) page when the total is an exact multiple of the page size and no total is given', async () => {
		const provider = offsetProvider(20);
		const items = await collectPages(offset(), { returnAll: true, limit: 0 }, provider.fetch);
		expect(items).toHaveLength(20);
		expect(provider.calls.map((call) => call.Offset)).toEqual([0, 10, 20]);
	});

	it('without a total, a provider that caps its pages below the size asked for still gives every row once', async () => {
		const provider = offsetProvider(23, { cap: 4 });
		const items = await collectPages(offset(), { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(23)));
		expect(provider.calls.map((call) => call.Offset)).toEqual([0, 4, 8, 12, 16, 20, 23]);
	});

	it('a limit spanning capped pages is filled and not exceeded', async () => {
		const provider = offsetProvider(100, { cap: 4 });
		const items = await collectPages(offset(), { returnAll: false, limit: 15 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(15)));
		expect(provider.calls.map((call) => call.Count)).toEqual([10, 10, 7, 3]);
	});

	it('stops as soon as the reported total is reached', async () => {
		const provider = offsetProvider(20, { withTotal: true });
		const items = await collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, provider.fetch);
		expect(items).toHaveLength(20);
		expect(provider.calls).toHaveLength(2);
	});

	it('keeps going past short pages while the total says there is more (provider caps pages lower than asked)', async () => {
		const provider = offsetProvider(23, { cap: 4, withTotal: true });
		const items = await collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(23)));
		expect(provider.calls.map((call) => call.Offset)).toEqual([0, 4, 8, 12, 16, 20]);
	});

	it('falls back to reading until an empty page when the response carries no usable total', async () => {
		for (const TotalCount of [undefined, null, '', 'n/a']) {
			const data = records(25);
			const calls: IDataObject[] = [];
			const fetch = async (parameters: IDataObject) => {
				calls.push(parameters);
				const start = Number(parameters.Offset);
				return { Result: { Rows: data.slice(start, start + Number(parameters.Count)) }, TotalCount };
			};
			const items = await collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, fetch);
			expect(items).toHaveLength(25);
			expect(calls).toHaveLength(4);
		}
	});

	it('asks for only as many items as the limit when it is smaller than a page', async () => {
		const provider = offsetProvider(100);
		const items = await collectPages(offset(), { returnAll: false, limit: 3 }, provider.fetch);
		expect(ids(items)).toEqual([1, 2, 3]);
		expect(provider.calls).toEqual([{ Offset: 0, Count: 3 }]);
	});

	it('asks for the remaining count on the last page when the limit spans pages', async () => {
		const provider = offsetProvider(100);
		const items = await collectPages(offset(), { returnAll: false, limit: 25 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(25)));
		expect(provider.calls).toEqual([
			{ Offset: 0, Count: 10 },
			{ Offset: 10, Count: 10 },
			{ Offset: 20, Count: 5 },
		]);
	});

	it('returns fewer than the limit when the provider runs out (an empty page says so)', async () => {
		const provider = offsetProvider(7);
		const items = await collectPages(offset(), { returnAll: false, limit: 50 }, provider.fetch);
		expect(items).toHaveLength(7);
		expect(provider.calls.map((call) => call.Offset)).toEqual([0, 7]);
	});

	it('returns nothing for an empty first page, after one call', async () => {
		const provider = offsetProvider(0, { withTotal: true });
		await expect(collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, provider.fetch)).resolves.toEqual([]);
		expect(provider.calls).toHaveLength(1);
	});

	it('makes no call for a limit of 0 (or less)', async () => {
		const fetch = jest.fn();
		await expect(collectPages(offset(), { returnAll: false, limit: 0 }, fetch)).resolves.toEqual([]);
		await expect(collectPages(offset(), { returnAll: false, limit: -5 }, fetch)).resolves.toEqual([]);
		expect(fetch).not.toHaveBeenCalled();
	});

	it('treats a response without the items key as an empty page', async () => {
		const fetch = jest.fn().mockResolvedValue({ Success: true });
		await expect(collectPages(offset(), { returnAll: true, limit: 0 }, fetch)).resolves.toEqual([]);
		expect(fetch).toHaveBeenCalledTimes(1);
	});
});

describe('collectPages, page style', () => {
	/**
	 * A provider that numbers its pages from `firstPage` and serves `perPage` rows per page, or `cap` rows
	 * when it caps pages lower than asked (its pages are then `cap` rows long).
	 */
	function pageProvider(total: number, firstPage: number, withTotal = false, cap = Infinity) {
		const data = records(total);
		const calls: IDataObject[] = [];
		const fetch = async (parameters: IDataObject) => {
			calls.push(parameters);
			const perPage = Math.min(Number(parameters.pagesize), cap);
			const start = (Number(parameters.page) - firstPage) * perPage;
			return { data: data.slice(start, start + perPage), ...(withTotal ? { total } : {}) };
		};
		return { calls, fetch };
	}
	const pageStyle = (firstPage: number, extra: Partial<PagePaginationStyle> = {}): PagePaginationStyle => ({
		style: 'page',
		pageKey: 'page',
		perPageKey: 'pagesize',
		firstPage,
		maxPageSize: 10,
		itemsKey: 'data',
		...extra,
	});

	for (const firstPage of [0, 1]) {
		it(`walks pages numbered from ${firstPage} without losing or repeating items`, async () => {
			const provider = pageProvider(25, firstPage);
			const items = await collectPages(pageStyle(firstPage), { returnAll: true, limit: 0 }, provider.fetch);
			expect(ids(items)).toEqual(ids(records(25)));
			expect(provider.calls).toEqual([
				{ page: firstPage, pagesize: 10 },
				{ page: firstPage + 1, pagesize: 10 },
				{ page: firstPage + 2, pagesize: 10 },
				{ page: firstPage + 3, pagesize: 10 },
			]);
		});
	}

	it('goes on after pages the provider capped below the size asked for, until an empty page', async () => {
		const provider = pageProvider(25, 0, false, 4);
		const items = await collectPages(pageStyle(0), { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(25)));
		expect(provider.calls.map((call) => call.page)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('with a limit, capped pages are read until the limit and no further', async () => {
		const provider = pageProvider(100, 1, false, 4);
		const items = await collectPages(pageStyle(1), { returnAll: false, limit: 9 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(9)));
		expect(provider.calls.map((call) => call.page)).toEqual([1, 2, 3]);
	});

	it('keeps the page size fixed (page numbers depend on it) and trims to the limit', async () => {
		const provider = pageProvider(100, 1);
		const items = await collectPages(pageStyle(1), { returnAll: false, limit: 15 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(15)));
		expect(provider.calls).toEqual([
			{ page: 1, pagesize: 10 },
			{ page: 2, pagesize: 10 },
		]);
	});

	it('stops when the reported total is reached', async () => {
		const provider = pageProvider(20, 1, true);
		const items = await collectPages(pageStyle(1, { totalKey: 'total' }), { returnAll: true, limit: 0 }, provider.fetch);
		expect(items).toHaveLength(20);
		expect(provider.calls).toHaveLength(2);
	});

	it('returns nothing for an empty first page', async () => {
		const provider = pageProvider(0, 1);
		await expect(collectPages(pageStyle(1), { returnAll: false, limit: 5 }, provider.fetch)).resolves.toEqual([]);
		expect(provider.calls).toHaveLength(1);
	});
});

describe('collectPages, cursor style', () => {
	const cursorStyle: CursorPaginationStyle = {
		style: 'cursor',
		cursorKey: 'cursor',
		countKey: 'limit',
		maxPageSize: 2,
		itemsKey: 'items',
		nextCursorPath: 'meta.next',
	};

	/** Serves the given pages in order; each page's `next` is what the response announces. */
	function scripted(pages: Array<{ items: IDataObject[]; next?: unknown }>) {
		const calls: IDataObject[] = [];
		let index = 0;
		const fetch = async (parameters: IDataObject) => {
			calls.push(parameters);
			const page = pages[index++];
			if (!page) throw new Error('asked for a page the provider does not have');
			return { items: page.items, meta: page.next === undefined ? {} : { next: page.next } };
		};
		return { calls, fetch };
	}

	it('follows the next cursor until it is missing', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }, { id: 2 }], next: 'c2' },
			{ items: [{ id: 3 }, { id: 4 }], next: 'c3' },
			{ items: [{ id: 5 }] },
		]);
		const items = await collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual([1, 2, 3, 4, 5]);
		expect(provider.calls).toEqual([{ limit: 2 }, { limit: 2, cursor: 'c2' }, { limit: 2, cursor: 'c3' }]);
	});

	it('stops on an empty or null cursor', async () => {
		for (const next of ['', null]) {
			const provider = scripted([{ items: [{ id: 1 }, { id: 2 }], next }]);
			await expect(collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch)).resolves.toHaveLength(2);
			expect(provider.calls).toHaveLength(1);
		}
	});

	it('stops when the provider repeats a cursor instead of looping forever', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }, { id: 2 }], next: 'same' },
			{ items: [{ id: 3 }, { id: 4 }], next: 'same' },
			{ items: [{ id: 5 }, { id: 6 }], next: 'same' },
		]);
		const items = await collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual([1, 2, 3, 4]);
		expect(provider.calls).toHaveLength(2);
	});

	it('stops on an empty page even if a cursor is announced', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }, { id: 2 }], next: 'c2' },
			{ items: [], next: 'c3' },
		]);
		await expect(collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch)).resolves.toHaveLength(2);
		expect(provider.calls).toHaveLength(2);
	});

	it('follows the cursor past pages shorter than asked for', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }], next: 'c2' },
			{ items: [{ id: 2 }], next: 'c3' },
			{ items: [{ id: 3 }] },
		]);
		const items = await collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual([1, 2, 3]);
		expect(provider.calls).toHaveLength(3);
	});

	it('asks only for the remaining count and stops at the limit', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }, { id: 2 }], next: 'c2' },
			{ items: [{ id: 3 }], next: 'c3' },
		]);
		const items = await collectPages(cursorStyle, { returnAll: false, limit: 3 }, provider.fetch);
		expect(ids(items)).toEqual([1, 2, 3]);
		expect(provider.calls).toEqual([{ limit: 2 }, { limit: 1, cursor: 'c2' }]);
	});

	it('turns a numeric cursor into the next request unchanged', async () => {
		const provider = scripted([
			{ items: [{ id: 1 }, { id: 2 }], next: 42 },
			{ items: [{ id: 3 }] },
		]);
		await collectPages(cursorStyle, { returnAll: true, limit: 0 }, provider.fetch);
		expect(provider.calls[1]).toEqual({ limit: 2, cursor: '42' });
	});
});

describe('collectPages, providers that never say they are done', () => {
	/** Ignores the offset / page parameters: always the first `size` records, with a large total. */
	function stuckProvider(size: number) {
		const calls: IDataObject[] = [];
		const fetch = async (parameters: IDataObject) => {
			calls.push(parameters);
			return { Result: { Rows: records(size) }, TotalCount: 1_000_000, total: 1_000_000 };
		};
		return { calls, fetch };
	}

	it('offset style: stops when a page repeats the one before, without adding it again', async () => {
		const provider = stuckProvider(10);
		const items = await collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, provider.fetch);
		expect(ids(items)).toEqual(ids(records(10)));
		expect(provider.calls).toEqual([
			{ Offset: 0, Count: 10 },
			{ Offset: 10, Count: 10 },
		]);
	});

	it('offset style with a limit: no duplicates either', async () => {
		const provider = stuckProvider(10);
		const items = await collectPages(offset({ totalKey: 'TotalCount' }), { returnAll: false, limit: 500 }, provider.fetch);
		expect(new Set(ids(items)).size).toBe(items.length);
		expect(items).toHaveLength(10);
		expect(provider.calls).toHaveLength(2);
	});

	it('page style: stops when a page repeats the one before', async () => {
		const provider = stuckProvider(10);
		const style: PagePaginationStyle = {
			style: 'page',
			pageKey: 'page',
			perPageKey: 'per_page',
			firstPage: 1,
			maxPageSize: 10,
			itemsKey: 'Result.Rows',
			totalKey: 'total',
		};
		const items = await collectPages(style, { returnAll: true, limit: 0 }, provider.fetch);
		expect(items).toHaveLength(10);
		expect(provider.calls.map((call) => call.page)).toEqual([1, 2]);
	});

	it('keeps pages that share some items with the page before (only an identical page stops it)', async () => {
		const data = records(25);
		const calls: IDataObject[] = [];
		// Overlapping windows: the provider moves by 5 while we ask for 10 (a record was deleted meanwhile, say).
		const fetch = async (parameters: IDataObject) => {
			calls.push(parameters);
			const start = calls.length === 1 ? 0 : Number(parameters.Offset) - 5;
			return { Result: { Rows: data.slice(start, start + 10) } };
		};
		const items = await collectPages(offset(), { returnAll: true, limit: 0 }, fetch);
		expect(calls.length).toBeGreaterThan(2);
		expect(items.length).toBeGreaterThan(10);
	});

	it(`fails after ${MAX_PAGES} pages of a provider that always has more, saying so (never a silently shortened list)`, async () => {
		expect(MAX_PAGES).toBe(10_000);
		let next = 0;
		const fetch = jest.fn(async () => ({ Result: { Rows: [{ id: ++next }] }, TotalCount: Number.MAX_SAFE_INTEGER }));
		await expect(collectPages(offset({ maxPageSize: 1, totalKey: 'TotalCount' }), { returnAll: true, limit: 0 }, fetch)).rejects.toThrow(
			'Read 10,000 pages (10,000 items) and the provider still announces more: narrow the list with its filters, or turn off Return All and set a Limit',
		);
		expect(fetch).toHaveBeenCalledTimes(MAX_PAGES);
	});

	it(`a Limit reached on page ${MAX_PAGES} is a complete answer`, async () => {
		let next = 0;
		const fetch = jest.fn(async () => ({ Result: { Rows: [{ id: ++next }] } }));
		const items = await collectPages(offset({ maxPageSize: 1 }), { returnAll: false, limit: MAX_PAGES }, fetch);
		expect(items).toHaveLength(MAX_PAGES);
	});
});

/**
 * Through n8n's engine: a test-only node whose Get Many operations page the fake bulk API's listings in
 * each style (test/fake/batch-server.ts), with the fake capping every page below the size asked for.
 */
describe('Return All through the engine, provider caps its pages below the size asked for', () => {
	const listing = (operation: string, path: string, pagination: PaginationStyle): OperationDefinition => ({
		resource: 'record',
		operation,
		name: `Get Many (${operation})`,
		action: `List records (${operation})`,
		description: 'List records',
		title: `List records ${operation}`,
		method: 'GET',
		path,
		credential: BATCH_CREDENTIAL,
		idempotent: true,
		fields: [],
		pagination,
	});
	const operations = [
		listing('offset', '/records/offset', { style: 'offset', offsetKey: 'start', countKey: 'count', maxPageSize: 50, itemsKey: 'rows' }),
		listing('page', '/records/page', { style: 'page', pageKey: 'page', perPageKey: 'per_page', firstPage: 1, maxPageSize: 50, itemsKey: 'rows' }),
		listing('cursor', '/records/cursor', { style: 'cursor', cursorKey: 'cursor', countKey: 'limit', maxPageSize: 50, itemsKey: 'rows', nextCursorPath: 'meta.next' }),
	];
	class PagedTest implements INodeType {
		description: INodeTypeDescription = {
			displayName: 'Paged Test',
			name: 'pagedTest',
			group: ['input'],
			version: 1,
			description: 'Test-only node with paged listings',
			defaults: { name: 'Paged Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: credentialsFor(operations),
			properties: [resourceProperty([{ name: 'Record', value: 'record' }]), ...operationProperties(operations), ...fieldProperties(operations)],
		};

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return await executeOperations(this, operations, {
				call: async (context, operation, fields, itemIndex) =>
					await sendRequest(
						context,
						operation.credential,
						{ method: operation.method, path: operation.path, qs: fields.qs, idempotent: true },
						{ name: 'Paged Test', detectFailure: (status, body) => (status < 400 ? undefined : { httpCode: status, body, errors: [] }) },
						{ itemIndex },
					),
			});
		}
	}

	let server: BatchServer;
	beforeAll(async () => {
		registerTestTypes({ nodes: { 'n8n-nodes-email-marketing.pagedTest': new PagedTest() } });
		server = await startBatchServer();
	});
	afterAll(async () => await server.close());

	async function list(operation: string, listSize: number, pageCap: number, page: IDataObject = { returnAll: true }) {
		server.reset({ listSize, pageCap });
		const { error, items } = await runNode({
			nodeType: 'pagedTest',
			parameters: { resource: 'record', operation, ...page },
			credentials: { [BATCH_CREDENTIAL]: { baseUrl: server.url, apiKey: server.apiKey } },
		});
		expect(error).toBeUndefined();
		return { ids: items.map((item) => item.json.id), rows: server.requests.map((request) => request.rows) };
	}
	const oneToN = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

	it('offset style (no total): 250 records at 20 per page, each comes back exactly once', async () => {
		const { ids: got, rows } = await list('offset', 250, 20);
		expect(got).toEqual(oneToN(250));
		expect(rows).toEqual([...Array<number>(12).fill(20), 10, 0]);
		expect(server.requests[1].query).toEqual({ start: '20', count: '50' });
	});

	it('page style (no total): 250 records at 20 per page, each comes back exactly once', async () => {
		const { ids: got, rows } = await list('page', 250, 20);
		expect(got).toEqual(oneToN(250));
		expect(rows).toEqual([...Array<number>(12).fill(20), 10, 0]);
	});

	it('cursor style: 250 records at 20 per page, each comes back exactly once', async () => {
		const { ids: got, rows } = await list('cursor', 250, 20);
		expect(got).toEqual(oneToN(250));
		// The last page announces no next cursor: no request after it.
		expect(rows).toEqual([...Array<number>(12).fill(20), 10]);
	});

	// Offset and cursor ask for only what the limit still needs; pages keep their size (page numbers depend on it).
	const rowsUpToLimit: Record<string, number[]> = { offset: [20, 20, 20, 10], page: [20, 20, 20, 20], cursor: [20, 20, 20, 10] };
	for (const [operation, expected] of Object.entries(rowsUpToLimit)) {
		it(`${operation} style: a Limit across capped pages returns exactly the limit and reads no page beyond it`, async () => {
			const { ids: got, rows } = await list(operation, 250, 20, { returnAll: false, limit: 70 });
			expect(got).toEqual(oneToN(70));
			expect(rows).toEqual(expected);
		});
	}
});
