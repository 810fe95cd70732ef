/**
 * Limit of list operations must be a whole number of at least 1: checked with the other input before
 * any request (Limit 0 used to send a request and return nothing). Through the Email Gateway node in
 * n8n's engine against its fake.
 */
import { useFakeEmailGateway } from '../email-gateway/fake-gateway';

const { run, requests, server } = useFakeEmailGateway();

const getDomains = { resource: 'domain', operation: 'getAll', returnAll: false };

describe('Limit', () => {
	test.each([0, -3, 2.5])('Limit %p is an input error naming the item, and nothing is sent', async (limit) => {
		const { error, items } = await run({ ...getDomains, limit });

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(`Limit: must be a whole number of at least 1, not ${limit} (item 1)`);
		expect(error?.description).toContain('Return All');
		expect(requests()).toHaveLength(0);
	});

	test('a bad Limit in the second item stops the run before the first item is sent', async () => {
		const { error } = await run({ ...getDomains, limit: '={{ $json.limit }}' }, { items: [{ json: { limit: 5 } }, { json: { limit: 0 } }] });

		expect(error?.message).toBe('Limit: must be a whole number of at least 1, not 0 (item 2)');
		expect(error?.context?.itemIndex).toBe(1);
		expect(requests()).toHaveLength(0);
	});

	test('Limit 1 returns one domain; Return All ignores a Limit of 0', async () => {
		expect(server().state.domains.length).toBeGreaterThan(1);
		const one = await run({ ...getDomains, limit: 1 });
		expect(one.error).toBeUndefined();
		expect(one.items).toHaveLength(1);

		const all = await run({ ...getDomains, returnAll: true, limit: 0 });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(server().state.domains.length);
		expect(requests()).toHaveLength(2);
	});
});
