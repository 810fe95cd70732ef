/**
 * The shape check of raw JSON fields (nodes/shared/input/jsonShape.ts) on shapes as the generator writes them
 * from Especial's OpenAPI file: where in the value a problem is, alternatives (anyOf), null, list sizes,
 * and keys the shape does not name (let through, as the API's schemas do).
 */
import { shapeProblem } from '../../nodes/shared/input/jsonShape';
import type { JsonShape } from '../../nodes/shared/model/operation';
import { especialOperations } from '../../nodes/Especial/operations';

const fieldOf = (title: string, name: string) => especialOperations.find((operation) => operation.title === title)?.fields.find((field) => field.name === name);

describe('JSON shapes of Especial fields', () => {
	const content = fieldOf('Create a template', 'content')!.jsonShape!;

	it('accepts the documented form, with keys the shape does not name', () => {
		expect(shapeProblem({ type: 'html', subject: 'Hi', html: '<p>Hi</p>', extra: 1 }, content)).toBeUndefined();
	});

	it('names where the problem is', () => {
		expect(shapeProblem('text', content)).toBe('must be an object, not "text"');
		expect(shapeProblem({ subject: 'Hi' }, content)).toBe('needs the key "type"');
		expect(shapeProblem({ type: 'pdf' }, content)).toMatch(/^type: "pdf" is not one of "html", "text"/);
		expect(shapeProblem({ type: 'html', subject: 'Hi\r\nBcc: x@evil.example' }, content)).toMatch(/^subject: .*line break/i);
		expect(shapeProblem({ type: 'html', html: '' }, content)).toBe('html: must not be empty');
	});

	it('checks list sizes and every entry of a list', () => {
		const tags: JsonShape = { type: 'array', minItems: 1, items: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9.\\-+_]+$' } };
		expect(shapeProblem([], tags)).toBe('must have at least 1 entry');
		expect(shapeProblem(['ok', 'bad tag'], tags)).toMatch(/^\[1\]: "bad tag" does not have the expected form/);
		expect(shapeProblem(['x'.repeat(65)], tags)).toBe('[0]: must have at most 64 characters (has 65)');
	});

	it('accepts a value that fits one of its alternatives, and null only where allowed', () => {
		const attachment: JsonShape = { anyOf: [{ type: 'object', required: ['filename'] }, { type: 'array', items: { type: 'object', required: ['filename'] } }] };
		expect(shapeProblem({ filename: 'a.pdf' }, attachment)).toBeUndefined();
		expect(shapeProblem([{ filename: 'a.pdf' }], attachment)).toBeUndefined();
		expect(shapeProblem('a.pdf', attachment)).toBe('must be an object, not "a.pdf"');
		expect(shapeProblem(null, { type: 'object' })).toBe('must not be null');
		expect(shapeProblem(null, { type: 'object', nullable: true })).toBeUndefined();
	});

	it('checks whole numbers and their limits', () => {
		const shape: JsonShape = { type: 'object', properties: { list_id: { type: 'integer', minimum: 1 } } };
		expect(shapeProblem({ list_id: 'abc' }, shape)).toBe('list_id: must be a whole number, not "abc"');
		expect(shapeProblem({ list_id: 1.5 }, shape)).toBe('list_id: must be a whole number, not 1.5');
		expect(shapeProblem({ list_id: 0 }, shape)).toBe('list_id: must be at least 1');
		expect(shapeProblem({ list_id: 3 }, shape)).toBeUndefined();
	});
});
