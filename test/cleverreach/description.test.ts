/**
 * The CleverReach node's description as data: every endpoint the changelog names is in the catalog with
 * the changelog's method and path, the generated parameters have no problems, and the calls the
 * changelog marks "* needs special permission" say so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CleverReach } from '../../nodes/CleverReach/CleverReach.node';
import { CleverReachTrigger } from '../../nodes/CleverReach/CleverReachTrigger.node';
import { cleverReachCatalog, cleverReachOperations } from '../../nodes/CleverReach/operations';
import { requestPath } from '../../nodes/CleverReach/transport';
import { credentialProblems, descriptionProblems } from '../harness/description-checks';
import { NodeHelpers } from 'n8n-workflow';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8'));
const seeds = fixture('documented-operations.json') as { cleverReach: Array<{ method: string; path: string }> };
/** The changelog's NEW endpoints marked "* needs special permission by CleverReach". */
const specialPermission = fixture('cleverreach-special-permission.json') as { endpoints: Array<{ method: string; path: string }> };

describe('CleverReach catalog', () => {
	it('has every v3 endpoint of the changelog, with its method and path as the changelog writes them', () => {
		expect(seeds.cleverReach).toHaveLength(22);
		for (const { method, path } of seeds.cleverReach) {
			expect(cleverReachCatalog.filter((entry) => entry.method === method && entry.path === path).length).toBeGreaterThanOrEqual(1);
		}
	});

	it('says "special permission" exactly for the calls the changelog marks with *', () => {
		const marked = specialPermission.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
		expect(marked.sort()).toEqual(['POST /v3/clients/createAccount', 'POST /v3/mailings/{id}/release', 'POST /v3/mailings/{id}/stop']);
		const special = cleverReachOperations.filter((operation) => /special permission/i.test(operation.description));
		expect(special.map((operation) => `${operation.method} ${operation.path}`).sort()).toEqual(marked.sort());
	});

	it('generates parameters and credentials without problems', () => {
		expect(descriptionProblems(cleverReachOperations)).toEqual([]);
		for (const type of [new CleverReach(), new CleverReachTrigger()]) {
			const description = NodeHelpers.getVersionedNodeType(type, 1).description;
			expect(credentialProblems(description)).toEqual([]);
		}
	});

	it('sends v3 paths with .json where CleverReach\'s own code writes it', () => {
		expect(requestPath('/v3/groups/{id}/clear')).toBe('/v3/groups.json/{id}/clear');
		expect(requestPath('/v3/groups/{group_id}/receivers/upsertplus')).toBe('/v3/groups.json/{group_id}/receivers/upsertplus');
		expect(requestPath('/v3/blacklist/{email}')).toBe('/v3/blacklist.json/{email}');
		expect(requestPath('/v3/debug/whoami')).toBe('/v3/debug/whoami.json');
		expect(requestPath('/v3/receivers/filter')).toBe('/v3/receivers/filter.json');
		expect(requestPath('/v3/groups')).toBe('/v3/groups.json');
		expect(requestPath('/hooks/eventhook')).toBe('/hooks/eventhook');
		expect(requestPath('/v3/groups/{id}/clear', '')).toBe('/v3/groups/{id}/clear');
	});
});
