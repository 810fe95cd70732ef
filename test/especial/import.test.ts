/**
 * Import Contacts in batch mode through n8n's engine: the items of a run go out as one import request per
 * chunk (the documented `contacts` array), and a contact the answer's `errors` name by position is that
 * item's error, the others are imported.
 */
import { IMPORT_CHUNK_SIZE } from '../../nodes/Especial/descriptions/overrides';
import { runNode } from '../harness/engine';
import { useEspecialFake } from './fake';

const { fake, credentials, apiRequests } = useEspecialFake();

const parameters = {
	resource: 'contact',
	operation: 'import',
	listId: '4',
	email: '={{ $json.email }}',
	additionalFields: { customAttributes: { values: [{ name: '={{ $json.attribute }}', value: '={{ $json.value }}' }] } },
};

describe('Especial Import Contacts', () => {
	beforeEach(() => {
		fake().seedPath('/lists/4');
		fake().collection('/lists/4/custom-attributes').set('city', { name: 'city', type: 'text' });
	});

	it('sends the items of a run as one import request and maps each contact back to its item', async () => {
		const items = ['a', 'b', 'c'].map((letter) => ({ json: { email: `${letter}@example.org`, attribute: 'city', value: `City ${letter}` } }));
		const { items: output, error } = await runNode({ nodeType: 'especial', parameters, credentials: credentials(), items });
		expect(error).toBeUndefined();
		const imports = apiRequests();
		expect(imports).toHaveLength(1);
		expect(imports[0].path).toBe('/lists/4/import-contacts');
		expect(imports[0].body.contacts).toEqual(items.map(({ json }) => ({ email: json.email, custom_attributes: [{ name: 'city', value: json.value }] })));
		expect(output.map((item) => [item.json.email, item.pairedItem])).toEqual([
			['a@example.org', { item: 0 }],
			['b@example.org', { item: 1 }],
			['c@example.org', { item: 2 }],
		]);
		expect([...fake().collection('/lists/4/contacts').values()].map((contact) => contact.email)).toEqual(expect.arrayContaining(['a@example.org', 'b@example.org', 'c@example.org']));
	});

	it("a contact Especial rejects (a custom attribute the list lacks) is that item's error; the others are imported", async () => {
		const items = [
			{ json: { email: 'ok1@example.org', attribute: 'city', value: 'Paris' } },
			{ json: { email: 'bad@example.org', attribute: 'shoe_size', value: '42' } },
			{ json: { email: 'ok2@example.org', attribute: 'city', value: 'Oslo' } },
		];
		const { items: output } = await runNode({ nodeType: 'especial', parameters, credentials: credentials(), items, continueOnFail: true });
		expect(apiRequests()).toHaveLength(1);
		expect(output[0].json.email).toBe('ok1@example.org');
		expect(output[1].json.error).toBe('"Import contacts" rejected item 2: Invalid custom attribute [error code 8014]');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.email).toBe('ok2@example.org');
	});

	it(`sends ${IMPORT_CHUNK_SIZE + 5} items as two requests`, async () => {
		const items = Array.from({ length: IMPORT_CHUNK_SIZE + 5 }, (_value, index) => ({ json: { email: `bulk${index}@example.org`, attribute: 'city', value: 'X' } }));
		const { items: output, error } = await runNode({ nodeType: 'especial', parameters, credentials: credentials(), items });
		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => (request.body.contacts as unknown[]).length)).toEqual([IMPORT_CHUNK_SIZE, 5]);
		expect(output).toHaveLength(IMPORT_CHUNK_SIZE + 5);
	});
});
