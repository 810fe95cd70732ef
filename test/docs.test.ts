/**
 * The operation references docs/<provider>.md are generated (scripts/generate/docs.js), so their lists and
 * counts follow the package: here they are rendered again from the TypeScript sources (the same modules
 * the build compiles, so no stale dist/ can hide a change) and must equal the committed files. The README's
 * overview must link each page with the count the page states.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { CatalogEntry } from '../nodes/shared/model/operation';

interface DocsGenerator {
	renderDocs(load: (relative: string) => Record<string, unknown>, catalog: Record<string, CatalogEntry[]>): Record<string, string>;
	PROVIDERS: Array<{ key: string; page: string; folder: string; operations: string }>;
	DOCS: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script of the repo, without types
const generator = require('../scripts/generate/docs') as DocsGenerator;

const ROOT = path.resolve(__dirname, '..');
const load = (relative: string) => require(path.join(ROOT, relative)) as Record<string, unknown>;

/** The catalog as index.js exports it, from the sources: `<provider>Catalog` of each nodes/<Provider>/operations. */
function sourceCatalog(): Record<string, CatalogEntry[]> {
	return Object.fromEntries(
		generator.PROVIDERS.map((provider) => [provider.key, load(`nodes/${provider.folder}/operations`)[`${provider.key}Catalog`] as CatalogEntry[]]),
	);
}

const pages = generator.renderDocs(load, sourceCatalog());

describe('docs/<provider>.md', () => {
	it('covers every provider folder under nodes/', () => {
		const folders = fs
			.readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true })
			.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
			.map((entry) => entry.name)
			.sort();
		expect(generator.PROVIDERS.map((provider) => provider.folder).sort()).toEqual(folders);
	});

	it.each(generator.PROVIDERS.map((provider) => provider.page))('docs/%s equals a fresh generation (npm run build && npm run generate:docs)', (page) => {
		const committed = fs.readFileSync(path.join(generator.DOCS, page), 'utf8');
		expect(committed).toBe(pages[page]);
	});

	it("each page states as many operations as the node's data has (unique resource and operation)", () => {
		for (const provider of generator.PROVIDERS) {
			const operations = load(`nodes/${provider.folder}/operations`)[provider.operations] as Array<{ resource: string; operation: string }>;
			const unique = new Set(operations.map((operation) => `${operation.resource}/${operation.operation}`));
			const stated = Number(/has \*\*(\d+) operations?\*\*/.exec(pages[provider.page])?.[1]);
			expect({ page: provider.page, operations: stated }).toEqual({ page: provider.page, operations: unique.size });
		}
	});
});

describe('README.md', () => {
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

	it.each(generator.PROVIDERS.map((provider) => provider.page))('links docs/%s with the operation count the page states', (page) => {
		const stated = /has \*\*(\d+) operations?\*\*/.exec(pages[page])?.[1];
		const linked = [...readme.matchAll(/\[(\d+) operations\]\(docs\/([\w-]+\.md)\)/g)].filter((match) => match[2] === page).map((match) => match[1]);
		expect({ page, counts: linked }).toEqual({ page, counts: [stated] });
	});
});
