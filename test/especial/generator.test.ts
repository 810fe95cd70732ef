/**
 * The Especial tables are reproducible: `npm run generate` (scripts/generate/especial.js) writes, from the
 * files in the repo, exactly the committed nodes/Especial/descriptions/generated (same files, same bytes).
 * And every hand-written override in nodes/Especial/descriptions/overrides.ts still meets an operation;
 * what the editor shows from the tables says Especial, masks secrets and offers paging only where it pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { generatedOperations } from '../../nodes/Especial/descriptions/generated';
import { overrideKeys } from '../../nodes/Especial/descriptions/overrides';
import { especialOperations } from '../../nodes/Especial/operations';
import { fieldProperties } from '../../nodes/shared/description/properties';
import type { FieldDefinition } from '../../nodes/shared/model/operation';

const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'nodes', 'Especial', 'descriptions', 'generated');

describe('Especial generator', () => {
	let out: string;

	beforeAll(() => {
		out = mkdtempSync(join(tmpdir(), 'especial-generated-'));
		execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate', 'especial.js'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
	}, 180_000);

	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('writes the same files as the committed ones, none missing and none extra', () => {
		expect(readdirSync(out).sort()).toEqual(readdirSync(COMMITTED).sort());
	});

	it('writes every file byte for byte as committed', () => {
		const differing = readdirSync(COMMITTED).filter((name) => !readFileSync(join(out, name)).equals(readFileSync(join(COMMITTED, name))));
		expect(differing).toEqual([]);
	});
});

/** Every field of the generated tables, sub-fields included, each with where it stands. */
const placedFields = (fields: FieldDefinition[], where: string): Array<{ field: FieldDefinition; where: string }> =>
	fields.flatMap((field) => [{ field, where }, ...placedFields(field.fields ?? [], `${where} → ${field.name}`)]);

describe('Especial generated tables: what stands in several places is written once', () => {
	const placed = generatedOperations.flatMap((operation) => placedFields(operation.fields, `${operation.resource}:${operation.operation}`));

	it('shares each field that stands in several places: equal fields are one object (one definition in the shared files)', () => {
		const byText = new Map<string, FieldDefinition[]>();
		for (const { field } of placed) byText.set(JSON.stringify(field), [...(byText.get(JSON.stringify(field)) ?? []), field]);
		const repeated = [...byText.values()].filter((fields) => fields.length > 1);
		expect(repeated.length).toBeGreaterThan(50);
		expect(repeated.filter((fields) => new Set(fields).size > 1).map(([field]) => field.name)).toEqual([]);
	});

	it('writes the sub-account field (account_id in the query of 141 operations, from 1) once, in commonFields.ts', () => {
		const accountId = placed.filter(({ field }) => field.apiName === 'account_id' && field.location === 'query' && field.minValue === 1);
		expect(accountId.length).toBeGreaterThan(100);
		expect(new Set(accountId.map(({ field }) => field)).size).toBe(1);
		const written = readdirSync(COMMITTED).flatMap((name) =>
			readFileSync(join(COMMITTED, name), 'utf8')
				.split('\n')
				.filter((line) => /apiName: 'account_id', type: 'number', format: 'integer', default: 1, minValue: 1, location: 'query'/.test(line))
				.map(() => name),
		);
		expect(written).toEqual(['commonFields.ts']);
	});

	it('shares each larger JSON shape several fields check: equal shapes are one object', () => {
		const shapes = new Map<string, Set<unknown>>();
		for (const { field } of placed) {
			const text = JSON.stringify(field.jsonShape);
			if (field.jsonShape && text.length >= 80) shapes.set(text, new Set([...(shapes.get(text) ?? []), field.jsonShape]));
		}
		expect([...shapes.values()].filter((objects) => objects.size > 1)).toEqual([]);
	});

	it('shares the paging styles: every operation that pages by page number reads them from one object', () => {
		const styles = new Set(generatedOperations.filter((operation) => operation.pagination).map((operation) => operation.pagination));
		expect(styles.size).toBe(2);
	});
});

describe('Especial overrides', () => {
	it('keys every per-title change on a title the generated operations have', () => {
		const titles = new Set(generatedOperations.map((operation) => operation.title));
		expect(overrideKeys.titles.length).toBeGreaterThan(0);
		expect(overrideKeys.titles.filter((title) => !titles.has(title))).toEqual([]);
	});

	it('keys every dropdown on a path parameter some operation has', () => {
		const pathParameters = new Set(generatedOperations.flatMap((operation) => operation.fields.filter((field) => field.location === 'path').map((field) => field.apiName)));
		expect(overrideKeys.pickers.filter((apiName) => !pathParameters.has(apiName))).toEqual([]);
	});
});

/** Every field of the operations, sub-fields included. */
const allFields = (fields: FieldDefinition[]): FieldDefinition[] => fields.flatMap((field) => [field, ...allFields(field.fields ?? [])]);

describe('Especial tables in the editor', () => {
	const properties = fieldProperties(especialOperations);

	it('shows Return All and Limit exactly on lists: operations that page and GET lists read in one answer (none on Contact → Import)', () => {
		const withPaging = (name: string) =>
			properties
				.filter((property: INodeProperties) => property.name === name)
				.flatMap((property) => (property.displayOptions?.show?.operation ?? []).map((operation) => `${String(property.displayOptions?.show?.resource?.[0])}:${String(operation)}`))
				.sort();
		const lists = especialOperations
			.filter((operation) => operation.pagination || (operation.itemsKey && operation.method === 'GET'))
			.map((operation) => `${operation.resource}:${operation.operation}`)
			.sort();
		expect(lists.length).toBeGreaterThan(20);
		expect(lists).toEqual(expect.arrayContaining(['dkim:getAll']));
		expect(withPaging('returnAll')).toEqual(lists);
		expect(withPaging('limit')).toEqual(lists);
		expect(lists).not.toContain('contact:import');
		expect(especialOperations.filter((operation) => operation.itemsKey && operation.method !== 'GET')).toEqual([]);
	});

	it('masks every text whose name n8n counts as secret (password, token, secret)', () => {
		const secretTexts = especialOperations.flatMap((operation) => allFields(operation.fields)).filter((field) => field.type === 'string' && /password|token|secret|apikey/i.test(field.name) && field.name !== 'password_needs_reset');
		expect(secretTexts.length).toBeGreaterThanOrEqual(7);
		expect(secretTexts.filter((field) => field.password !== true).map((field) => field.name)).toEqual([]);
	});

	it('says Especial, not Cakemail, in operation and field descriptions', () => {
		const texts = especialOperations.flatMap((operation) => [operation.description, ...allFields(operation.fields).map((field) => field.description ?? '')]);
		expect(texts.filter((text) => /cakemail/i.test(text))).toEqual([]);
		expect(especialOperations.find((operation) => operation.title === 'Import contacts')?.description).toMatch(/Especial/);
	});

	it('describes each raw JSON field by its expected shape, with an example', () => {
		const jsonFields = especialOperations.flatMap((operation) => allFields(operation.fields)).filter((field) => field.type === 'json');
		expect(jsonFields.length).toBeGreaterThan(10);
		expect(jsonFields.filter((field) => !field.jsonShape || !/A JSON (object|list).*, e\.g\. [[{]/.test(field.description ?? '')).map((field) => field.name)).toEqual([]);
	});
});
