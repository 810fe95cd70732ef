/**
 * Every operation of the CleverReach catalog, run through n8n's engine against the fake CleverReach: the
 * request the fake received must be the catalog's method and path (placeholders filled) with the query and
 * body CleverReach documents, authenticated with the OAuth2 token as Bearer, and the node's output must be
 * what the fake's state says.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { UNCONFIRMED } from '../../nodes/CleverReach/descriptions/common';
import { cleverReachCatalog, cleverReachOperations } from '../../nodes/CleverReach/operations';
import documented from '../fixtures/documented-operations.json';
import sources from '../fixtures/cleverreach-sources.json';
import type { RunResult } from '../harness/engine';
import { byId, CREDENTIAL, useFakeCleverReach } from './fake-cleverreach';
import type { RecordedRequest } from './fake-cleverreach';

const { server, run, apiRequests, credentials } = useFakeCleverReach();

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const state = () => server().state;
const now = () => Math.floor(Date.now() / 1000);

interface Case {
	/** Prepares state; what it returns is handed to the other functions. */
	setup?: () => IDataObject;
	parameters: (prepared: IDataObject) => IDataObject;
	/** Values of the path placeholders the request must have filled. */
	path?: (prepared: IDataObject) => Record<string, string>;
	items?: (prepared: IDataObject) => INodeExecutionData[];
	/** Requests before the operation's own (the last one): Add / Remove Tags read the receiver first. */
	readsFirst?: (prepared: IDataObject) => string[];
	check: (result: RunResult, request: RecordedRequest, prepared: IDataObject) => void;
}

/** A group with two receivers (one active), an attribute and a form. */
function groupWithReceivers(): IDataObject {
	const group = server().addGroup(`Group ${Math.random().toString(36).slice(2, 7)}`);
	const jane = server().addReceiver(group.id, { email: 'jane@example.org', activated: now() - 60, tags: ['vip'] });
	const joe = server().addReceiver(group.id, { email: 'joe@example.org' });
	return { groupId: group.id, janeId: jane.id, joeId: joe.id };
}

const receiverOf = (groupId: unknown, id: unknown) => state().groups.get(String(groupId)).receivers.get(String(id));

const cases: Record<string, Case> = {
	'group:getAll': {
		setup: () => ({ groupId: server().addGroup('Listed').id }),
		parameters: () => ({ returnAll: true }),
		check: ({ items }, request) => {
			expect(request.query).toEqual({});
			expect(json(items).map((group) => group.id)).toEqual([...state().groups.keys()]);
		},
	},
	'group:get': {
		setup: () => ({ groupId: server().addGroup('One').id }),
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string) }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, _request, { groupId }) => {
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ id: groupId, name: 'One' });
		},
	},
	'group:create': {
		parameters: () => ({ name: 'Customers', additionalFields: { receiverInfo: 'Our customers', locked: true } }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ name: 'Customers', receiver_info: 'Our customers', locked: true });
			const created = [...state().groups.values()].find((group) => group.name === 'Customers');
			expect(created).toMatchObject({ receiver_info: 'Our customers', locked: true });
			expect(items[0].json.id).toBe(created.id);
		},
	},
	'group:update': {
		setup: () => ({ groupId: server().addGroup('Old name').id }),
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), additionalFields: { name: 'New name' } }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, request, { groupId }) => {
			expect(request.body).toEqual({ name: 'New name' });
			expect(state().groups.get(String(groupId)).name).toBe('New name');
			expect(items[0].json.name).toBe('New name');
		},
	},
	'group:delete': {
		setup: () => ({ groupId: server().addGroup('Doomed').id }),
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string) }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, _request, { groupId }) => {
			expect(state().groups.has(String(groupId))).toBe(false);
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'group:clear': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string) }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, _request, { groupId }) => {
			const group = state().groups.get(String(groupId));
			expect(group).toBeDefined();
			expect(group.receivers.size).toBe(0);
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'group:getStats': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string) }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }) => {
			expect(items[0].json).toMatchObject({ total_count: 2, active_count: 1, inactive_count: 1 });
		},
	},
	'receiver:getAll': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), returnAll: true, additionalFields: { type: 'active' } }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, request, { janeId }) => {
			// Return All asks for the largest page CleverReach serves, pages counted from 0.
			expect(request.query).toEqual({ type: 'active', page: '0', pagesize: '5000' });
			expect(json(items).map((receiver) => receiver.id)).toEqual([janeId]);
		},
	},
	'receiver:getManyByList': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), limit: 10, additionalFields: { emailList: 'joe@example.org' } }),
		path: ({ groupId }) => ({ id: String(groupId) }),
		check: ({ items }, request, { joeId }) => {
			expect(request.body).toEqual({ email_list: 'joe@example.org', page: 0, pagesize: 5000 });
			expect(json(items).map((receiver) => receiver.id)).toEqual([joeId]);
		},
	},
	'receiver:get': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), receiverId: 'jane@example.org' }),
		path: ({ groupId }) => ({ group_id: String(groupId), pool_id: 'jane@example.org' }),
		check: ({ items }, _request, { janeId }) => {
			expect(items[0].json).toMatchObject({ id: janeId, email: 'jane@example.org', tags: ['vip'] });
		},
	},
	'receiver:findByEmail': {
		setup: () => {
			const first = groupWithReceivers();
			const second = groupWithReceivers();
			return { first: first.janeId, second: second.janeId };
		},
		parameters: () => ({ email: 'Jane@Example.org', returnAll: true }),
		check: ({ items }, request, { first, second }) => {
			expect(request.body).toEqual({ rules: [{ field: 'email', logic: 'eq', condition: 'Jane@Example.org' }] });
			const ids = json(items).map((receiver) => receiver.id);
			expect(ids).toEqual(expect.arrayContaining([first, second]));
			expect(json(items).every((receiver) => receiver.email === 'jane@example.org')).toBe(true);
		},
	},
	'receiver:create': {
		setup: () => {
			server().addAttribute('firstname');
			return { groupId: server().addGroup('Inserts').id };
		},
		parameters: ({ groupId }) => ({
			groupId: byId(groupId as string),
			email: '={{ $json.email }}',
			additionalFields: { source: 'n8n', tags: 'a, b', globalAttributes: { values: [{ name: 'firstname', value: '={{ $json.name }}' }] } },
		}),
		items: () => [{ json: { email: 'ann@example.org', name: 'Ann' } }, { json: { email: 'bob@example.org', name: 'Bob' } }],
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		check: ({ items }, request, { groupId }) => {
			// Both items in one request: the receivers themselves are the body.
			expect(request.body).toEqual([
				{ email: 'ann@example.org', source: 'n8n', tags: ['a', 'b'], global_attributes: { firstname: 'Ann' } },
				{ email: 'bob@example.org', source: 'n8n', tags: ['a', 'b'], global_attributes: { firstname: 'Bob' } },
			]);
			const stored = [...state().groups.get(String(groupId)).receivers.values()];
			expect(json(items).map((receiver) => [receiver.email, receiver.id])).toEqual(stored.map((receiver) => [receiver.email, receiver.id]));
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		},
	},
	'receiver:upsert': {
		setup: groupWithReceivers,
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), email: '={{ $json.email }}', additionalFields: { tags: '-vip, upserted' } }),
		items: () => [{ json: { email: 'jane@example.org' } }, { json: { email: 'new@example.org' } }],
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		check: ({ items }, request, { groupId, janeId }) => {
			expect(request.body).toEqual([
				{ email: 'jane@example.org', tags: ['-vip', 'upserted'] },
				{ email: 'new@example.org', tags: ['-vip', 'upserted'] },
			]);
			expect(receiverOf(groupId, janeId).tags).toEqual(['upserted']);
			expect(items[0].json).toMatchObject({ id: janeId, email: 'jane@example.org', tags: ['upserted'] });
			expect(items[1].json.email).toBe('new@example.org');
			expect(state().groups.get(String(groupId)).receivers.size).toBe(3);
		},
	},
	'receiver:upsertPlus': {
		setup: () => {
			server().addAttribute('points', 'number');
			const group = server().addGroup('Points');
			const receiver = server().addReceiver(group.id, { email: 'jane@example.org', global_attributes: { points: '10' } });
			return { groupId: group.id, receiverId: receiver.id };
		},
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), email: 'jane@example.org', additionalFields: { globalAttributes: { values: [{ name: 'points', value: '+5' }] } } }),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		check: ({ items }, request, { groupId, receiverId }) => {
			expect(request.body).toEqual([{ email: 'jane@example.org', global_attributes: { points: '+5' } }]);
			expect(receiverOf(groupId, receiverId).global_attributes.points).toBe('15');
			expect(items[0].json).toMatchObject({ id: receiverId, global_attributes: { points: '15' } });
		},
	},
	'receiver:update': {
		setup: groupWithReceivers,
		parameters: ({ groupId, joeId }) => ({ groupId: byId(groupId as string), receiverId: joeId, additionalFields: { source: 'import', deactivated: '2026-01-31T00:00:00Z' } }),
		path: ({ groupId, joeId }) => ({ group_id: String(groupId), pool_id: String(joeId) }),
		check: ({ items }, request, { groupId, joeId }) => {
			expect(request.body).toEqual({ source: 'import', deactivated: 1769817600 });
			expect(receiverOf(groupId, joeId)).toMatchObject({ source: 'import', deactivated: 1769817600 });
			expect(items[0].json).toMatchObject({ id: joeId, source: 'import' });
		},
	},
	'receiver:delete': {
		setup: groupWithReceivers,
		parameters: ({ groupId, joeId }) => ({ groupId: byId(groupId as string), receiverId: joeId }),
		path: ({ groupId, joeId }) => ({ group_id: String(groupId), pool_id: String(joeId) }),
		check: ({ items }, _request, { groupId, joeId }) => {
			expect(receiverOf(groupId, joeId)).toBeUndefined();
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'receiver:activate': {
		setup: groupWithReceivers,
		parameters: ({ groupId, joeId }) => ({ groupId: byId(groupId as string), receiverId: joeId }),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		readsFirst: ({ groupId, joeId }) => [`GET /v3/groups/${String(groupId)}/receivers/${String(joeId)}`],
		check: ({ items }, request, { groupId, joeId }) => {
			// As CleverReach's integration core activates: upsertplus with an activation time.
			expect(request.body).toEqual([{ email: 'joe@example.org', activated: expect.any(Number) }]);
			expect(receiverOf(groupId, joeId).activated).toBeGreaterThan(0);
			expect(items[0].json).toMatchObject({ email: 'joe@example.org', activated: receiverOf(groupId, joeId).activated });
		},
	},
	'receiver:deactivate': {
		setup: groupWithReceivers,
		parameters: ({ groupId, janeId }) => ({ groupId: byId(groupId as string), receiverId: janeId }),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		readsFirst: ({ groupId, janeId }) => [`GET /v3/groups/${String(groupId)}/receivers/${String(janeId)}`],
		check: ({ items }, request, { groupId, janeId }) => {
			// As CleverReach's integration core deactivates: upsertplus with activated 0.
			expect(request.body).toEqual([{ email: 'jane@example.org', activated: 0 }]);
			expect(receiverOf(groupId, janeId).activated).toBe(0);
			expect(items[0].json).toMatchObject({ email: 'jane@example.org', activated: 0, tags: ['vip'] });
		},
	},
	'receiver:clone': {
		setup: groupWithReceivers,
		parameters: ({ janeId }) => ({ receiverId: janeId, newEmail: 'jane.clone@example.org' }),
		path: ({ janeId }) => ({ id: String(janeId) }),
		check: ({ items }, request, { groupId }) => {
			expect(request.body).toEqual({ email: 'jane.clone@example.org' });
			const clone = [...state().groups.get(String(groupId)).receivers.values()].find((receiver) => receiver.email === 'jane.clone@example.org');
			expect(clone).toMatchObject({ tags: ['vip'] });
			expect(items[0].json.id).toBe(clone.id);
		},
	},
	'receiver:changeEmail': {
		setup: groupWithReceivers,
		parameters: ({ joeId }) => ({ receiverId: joeId, newEmail: 'joseph@example.org' }),
		path: ({ joeId }) => ({ id: String(joeId) }),
		check: ({ items }, request, { groupId, joeId }) => {
			expect(request.body).toEqual({ email: 'joseph@example.org' });
			expect(receiverOf(groupId, joeId).email).toBe('joseph@example.org');
			expect(items[0].json.email).toBe('joseph@example.org');
		},
	},
	'receiver:addTags': {
		setup: groupWithReceivers,
		parameters: ({ groupId, janeId }) => ({ groupId: byId(groupId as string), receiverId: janeId, tags: 'gold, -trial' }),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		readsFirst: ({ groupId, janeId }) => [`GET /v3/groups/${String(groupId)}/receivers/${String(janeId)}`],
		check: ({ items }, request, { groupId, janeId }) => {
			// The tags it has, and the new ones: none is lost whether CleverReach merges or replaces.
			expect(request.body).toEqual([{ email: 'jane@example.org', tags: ['vip', 'gold', 'trial'] }]);
			expect(receiverOf(groupId, janeId).tags).toEqual(['vip', 'gold', 'trial']);
			expect(items[0].json.tags).toEqual(['vip', 'gold', 'trial']);
		},
	},
	'receiver:removeTags': {
		setup: () => {
			const prepared = groupWithReceivers();
			receiverOf(prepared.groupId, prepared.janeId).tags.push('gold');
			return prepared;
		},
		parameters: ({ groupId, janeId }) => ({ groupId: byId(groupId as string), receiverId: janeId, tags: 'vip' }),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		readsFirst: ({ groupId, janeId }) => [`GET /v3/groups/${String(groupId)}/receivers/${String(janeId)}`],
		check: ({ items }, request, { groupId, janeId }) => {
			expect(request.body).toEqual([{ email: 'jane@example.org', tags: ['gold', '-vip'] }]);
			expect(receiverOf(groupId, janeId).tags).toEqual(['gold']);
			expect(items[0].json.tags).toEqual(['gold']);
		},
	},
	'receiver:addOrder': {
		setup: groupWithReceivers,
		parameters: ({ groupId, janeId }) => ({
			groupId: byId(groupId as string),
			receiverId: janeId,
			orderId: 'A-1',
			additionalFields: { product: 'Mug', quantity: 2, price: 9.5, currency: 'EUR' },
		}),
		path: ({ groupId }) => ({ group_id: String(groupId) }),
		readsFirst: ({ groupId, janeId }) => [`GET /v3/groups/${String(groupId)}/receivers/${String(janeId)}`],
		check: ({ items }, request, { groupId, janeId }) => {
			// As CleverReach's integration core uploads order items: upsertplus with `orders`.
			expect(request.body).toEqual([{ email: 'jane@example.org', orders: [{ order_id: 'A-1', product: 'Mug', quantity: 2, price: 9.5, currency: 'EUR' }] }]);
			const [order] = receiverOf(groupId, janeId).orders;
			expect(order).toMatchObject({ order_id: 'A-1', product: 'Mug' });
			expect(items[0].json).toMatchObject({ email: 'jane@example.org', orders: [{ id: order.id, order_id: 'A-1' }] });
		},
	},
	'receiver:updateOrder': {
		setup: () => {
			const group = server().addGroup('Orders');
			const receiver = server().addReceiver(group.id, { email: 'jane@example.org', orders: [{ order_id: 'A-1', product: 'Mug', quantity: 1 }] });
			return { groupId: group.id, receiverId: receiver.id, orderItemId: receiver.orders[0].id };
		},
		parameters: ({ receiverId, orderItemId }) => ({ receiverId, orderItemId, additionalFields: { quantity: 3 } }),
		path: ({ receiverId, orderItemId }) => ({ pool_id: String(receiverId), id: String(orderItemId) }),
		check: ({ items }, request, { groupId, receiverId }) => {
			expect(request.body).toEqual({ quantity: 3 });
			expect(receiverOf(groupId, receiverId).orders[0]).toMatchObject({ order_id: 'A-1', quantity: 3 });
			expect(items[0].json).toMatchObject({ order_id: 'A-1', quantity: 3 });
		},
	},
	'receiver:getEvents': {
		setup: () => {
			const prepared = groupWithReceivers();
			receiverOf(prepared.groupId, prepared.janeId).events.push({ type: 'open', mailing_id: '77', stamp: 1767225600 }, { type: 'click', mailing_id: '77', stamp: 1767225660 });
			return prepared;
		},
		parameters: ({ janeId }) => ({ receiverId: janeId, returnAll: true }),
		path: ({ janeId }) => ({ pool_id: String(janeId) }),
		check: ({ items }) => {
			expect(json(items).map((event) => event.type)).toEqual(['open', 'click']);
		},
	},
	'receiver:getBounced': {
		setup: () => {
			state().bounces.length = 0;
			state().bounces.push({ email: 'gone@example.org', type: 'hard', stamp: 1767225600 }, { email: 'full@example.org', type: 'soft', stamp: 1767225601 });
			return {};
		},
		parameters: () => ({ returnAll: true }),
		check: ({ items }, request) => {
			expect(request.query).toEqual({ page: '0', pagesize: '5000' });
			expect(json(items).map((bounce) => bounce.email)).toEqual(['gone@example.org', 'full@example.org']);
		},
	},
	'attribute:getAll': {
		setup: () => {
			const group = server().addGroup('With attributes');
			return { groupId: group.id, attributeId: server().addAttribute('shoesize', 'number', group.id).id };
		},
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), returnAll: true }),
		check: ({ items }, request, { groupId, attributeId }) => {
			expect(request.query).toEqual({ group_id: groupId });
			expect(json(items).map((attribute) => attribute.id)).toEqual([attributeId]);
		},
	},
	'attribute:create': {
		parameters: () => ({ name: 'city', type: 'text', additionalFields: { description: 'City' } }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ name: 'city', type: 'text', description: 'City' });
			const created = [...state().attributes.values()].find((attribute) => attribute.name === 'city');
			expect(created).toMatchObject({ group_id: '0', description: 'City' });
			expect(items[0].json.id).toBe(created.id);
		},
	},
	'attribute:update': {
		setup: () => ({ attributeId: server().addAttribute('zip').id }),
		parameters: ({ attributeId }) => ({ attributeId: byId(attributeId as string), additionalFields: { description: 'Postcode' } }),
		path: ({ attributeId }) => ({ id: String(attributeId) }),
		check: ({ items }, request, { attributeId }) => {
			expect(request.body).toEqual({ description: 'Postcode' });
			expect(state().attributes.get(String(attributeId)).description).toBe('Postcode');
			expect(items[0].json.description).toBe('Postcode');
		},
	},
	'attribute:delete': {
		setup: () => ({ attributeId: server().addAttribute('obsolete').id }),
		parameters: ({ attributeId }) => ({ attributeId: byId(attributeId as string) }),
		path: ({ attributeId }) => ({ id: String(attributeId) }),
		check: ({ items }, _request, { attributeId }) => {
			expect(state().attributes.has(String(attributeId))).toBe(false);
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'form:getAll': {
		setup: () => ({ formId: server().addForm(server().addGroup('Form group').id, 'Sign-up').id }),
		parameters: () => ({ returnAll: true }),
		check: ({ items }) => {
			expect(json(items).map((form) => form.id)).toEqual([...state().forms.keys()]);
		},
	},
	'form:get': {
		setup: () => ({ formId: server().addForm(server().addGroup('Form group').id, 'Get me').id }),
		parameters: ({ formId }) => ({ formId: byId(formId as string) }),
		path: ({ formId }) => ({ id: String(formId) }),
		check: ({ items }, _request, { formId }) => {
			expect(items[0].json).toMatchObject({ id: formId, name: 'Get me' });
		},
	},
	'form:getCode': {
		setup: () => ({ formId: server().addForm(server().addGroup('Form group').id, 'Embed').id }),
		parameters: ({ formId }) => ({ formId: byId(formId as string), additionalFields: { embedded: true, badget: false } }),
		path: ({ formId }) => ({ id: String(formId) }),
		check: ({ items }, request, { formId }) => {
			expect(request.query).toEqual({ embedded: 'true', badget: 'false' });
			expect(items[0].json.data).toBe(`<form class="cr_form embedded" data-id="${String(formId)}"><input name="email"></form>`);
		},
	},
	'form:sendActivation': {
		setup: () => ({ formId: server().addForm(server().addGroup('DOI').id, 'DOI').id }),
		parameters: ({ formId }) => ({ formId: byId(formId as string), email: 'jane@example.org', additionalFields: { doidata: { userIp: '203.0.113.7', userAgent: 'n8n' } } }),
		path: ({ formId }) => ({ id: String(formId) }),
		check: ({ items }, request, { formId }) => {
			expect(request.body).toEqual({ email: 'jane@example.org', doidata: { user_ip: '203.0.113.7', user_agent: 'n8n' } });
			expect(state().sentDoiMails.at(-1)).toMatchObject({ formId, type: 'activate', email: 'jane@example.org' });
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'form:sendDeactivation': {
		setup: () => ({ formId: server().addForm(server().addGroup('DOI').id, 'DOI').id }),
		parameters: ({ formId }) => ({ formId: byId(formId as string), email: 'joe@example.org' }),
		path: ({ formId }) => ({ id: String(formId) }),
		check: ({ items }, request, { formId }) => {
			expect(request.body).toEqual({ email: 'joe@example.org' });
			expect(state().sentDoiMails.at(-1)).toMatchObject({ formId, type: 'deactivate', email: 'joe@example.org' });
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'form:createFromTemplate': {
		setup: () => ({ groupId: server().addGroup('Template forms').id }),
		parameters: ({ groupId }) => ({ groupId: byId(groupId as string), templateType: 'default', additionalFields: { name: 'From template' } }),
		path: ({ groupId }) => ({ group_id: String(groupId), type: 'default' }),
		check: ({ items }, request, { groupId }) => {
			expect(request.body).toEqual({ name: 'From template' });
			const form = [...state().forms.values()].find((candidate) => candidate.name === 'From template');
			expect(form).toMatchObject({ customer_tables_id: groupId, type: 'default' });
			expect(items[0].json.id).toBe(form.id);
		},
	},
	'mailing:getAll': {
		setup: () => ({ draftId: server().addMailing({ name: 'Draft one' }).id }),
		parameters: () => ({ state: 'draft', returnAll: true }),
		check: ({ items }, request) => {
			expect(request.query).toEqual({ state: 'draft' });
			const drafts = [...state().mailings.values()].filter((mailing) => mailing.state === 'draft').map((mailing) => mailing.id);
			expect(json(items).map((mailing) => mailing.id)).toEqual(drafts);
		},
	},
	'mailing:get': {
		setup: () => ({ mailingId: server().addMailing({ name: 'Get me', subject: 'Hi' }).id }),
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string) }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }, _request, { mailingId }) => {
			expect(items[0].json).toMatchObject({ id: mailingId, subject: 'Hi' });
		},
	},
	'mailing:create': {
		setup: () => ({ groupId: server().addGroup('Mailing group').id }),
		parameters: ({ groupId }) => ({
			name: 'December news',
			additionalFields: {
				subject: 'News',
				senderEmail: 'news@example.org',
				content: { type: 'html', html: '<p>Hello</p>' },
				receivers: { groups: `${String(groupId)}` },
			},
		}),
		check: ({ items }, request, { groupId }) => {
			// setup_v2 is CleverReach's default editor since 2026/02: nothing sent selects it.
			expect(request.body).toEqual({
				name: 'December news',
				subject: 'News',
				sender_email: 'news@example.org',
				content: { type: 'html', html: '<p>Hello</p>' },
				receivers: { groups: [groupId] },
			});
			const mailing = state().mailings.get(String(items[0].json.id));
			expect(mailing).toMatchObject({ name: 'December news', editor: 'setup_v2', state: 'draft' });
		},
	},
	'mailing:update': {
		setup: () => ({ mailingId: server().addMailing({ name: 'To change' }).id }),
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string), additionalFields: { subject: 'Changed', editor: 'setup_v2' } }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }, request, { mailingId }) => {
			expect(request.body).toEqual({ subject: 'Changed', editor: 'setup_v2' });
			expect(state().mailings.get(String(mailingId)).subject).toBe('Changed');
			expect(items[0].json.subject).toBe('Changed');
		},
	},
	'mailing:createFromTemplate': {
		parameters: () => ({ templateId: 'tpl-9', name: 'From template' }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ template_id: 'tpl-9', name: 'From template' });
			expect(state().mailings.get(String(items[0].json.id))).toMatchObject({ template_id: 'tpl-9', editor: 'setup_v2' });
		},
	},
	'mailing:release': {
		setup: () => ({ mailingId: server().addMailing({ name: 'Release me' }).id }),
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string), additionalFields: { time: '2026-12-24T08:00:00Z' } }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }, request, { mailingId }) => {
			expect(request.body).toEqual({ time: 1798099200 });
			expect(state().mailings.get(String(mailingId))).toMatchObject({ state: 'waiting', release_time: 1798099200 });
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'mailing:stop': {
		setup: () => {
			const mailing = server().addMailing({ name: 'Stop me' });
			mailing.state = 'waiting';
			return { mailingId: mailing.id };
		},
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string) }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }, _request, { mailingId }) => {
			expect(state().mailings.get(String(mailingId)).state).toBe('draft');
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'mailing:getLinks': {
		setup: () => {
			const mailing = server().addMailing({ name: 'Links' });
			mailing.links.push({ id: '1', link: 'https://example.org/a', clicks: 3 }, { id: '2', link: 'https://example.org/b', clicks: 0 });
			return { mailingId: mailing.id };
		},
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string), returnAll: true }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }) => {
			expect(json(items).map((link) => link.link)).toEqual(['https://example.org/a', 'https://example.org/b']);
		},
	},
	'mailing:getReport': {
		setup: () => {
			const mailing = server().addMailing({ name: 'Sent' });
			mailing.state = 'finished';
			return { mailingId: mailing.id };
		},
		parameters: ({ mailingId }) => ({ mailingId: byId(mailingId as string) }),
		path: ({ mailingId }) => ({ id: String(mailingId) }),
		check: ({ items }, _request, { mailingId }) => {
			expect(items[0].json).toMatchObject({ id: mailingId, sent: 1200, opened: 480 });
		},
	},
	'blacklist:getAll': {
		setup: () => {
			state().blacklist.set('spam@example.org', { email: 'spam@example.org', comment: 'spam', stamp: 1 });
			return {};
		},
		parameters: () => ({ returnAll: true }),
		check: ({ items }) => {
			expect(json(items).map((entry) => entry.email)).toEqual([...state().blacklist.keys()]);
		},
	},
	'blacklist:add': {
		parameters: () => ({ email: '*@spam.example', additionalFields: { comment: 'whole domain' } }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ email: '*@spam.example', comment: 'whole domain' });
			expect(state().blacklist.get('*@spam.example')).toMatchObject({ comment: 'whole domain' });
			expect(items[0].json.email).toBe('*@spam.example');
		},
	},
	'blacklist:update': {
		setup: () => {
			state().blacklist.set('old@example.org', { email: 'old@example.org', comment: 'old', stamp: 1 });
			return {};
		},
		parameters: () => ({ email: 'old@example.org', additionalFields: { comment: 'new reason' } }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ email: 'old@example.org', comment: 'new reason' });
			expect(state().blacklist.get('old@example.org').comment).toBe('new reason');
			expect(items[0].json.comment).toBe('new reason');
		},
	},
	'blacklist:delete': {
		setup: () => {
			state().blacklist.set('free@example.org', { email: 'free@example.org', comment: '', stamp: 1 });
			return {};
		},
		parameters: () => ({ email: 'free@example.org' }),
		path: () => ({ email: 'free@example.org' }),
		check: ({ items }) => {
			expect(state().blacklist.has('free@example.org')).toBe(false);
			expect(items[0].json).toEqual({ data: true });
		},
	},
	'blacklist:validate': {
		setup: () => {
			state().blacklist.set('blocked@example.org', { email: 'blocked@example.org', comment: '', stamp: 1 });
			return {};
		},
		parameters: () => ({ emails: 'ok@example.org, blocked@example.org\nalso-ok@example.org' }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ emails: ['ok@example.org', 'blocked@example.org', 'also-ok@example.org'] });
			expect(items[0].json).toEqual({ data: ['ok@example.org', 'also-ok@example.org'] });
		},
	},
	'client:getReceiverCount': clientFact(() => [...state().groups.values()].reduce((sum, group) => sum + group.receivers.size, 0)),
	'client:getActiveReceiverCount': clientFact(() =>
		[...state().groups.values()].reduce((sum, group) => sum + [...group.receivers.values()].filter((receiver) => receiver.activated > 0 && !receiver.deactivated).length, 0),
	),
	'client:getContingent': clientFact(() => 25000),
	'client:getInvoiceAddress': {
		parameters: () => ({ clientId: state().client.id }),
		path: () => ({ id: state().client.id }),
		check: ({ items }) => expect(items[0].json).toMatchObject({ id: state().client.id, company: 'Example GmbH', city: 'Rastede' }),
	},
	'client:getNextInvoiceDate': clientFact(() => 1798761600),
	'client:getPlan': clientFact(() => 'Essential'),
	'client:getToken': {
		parameters: () => ({ clientId: state().client.id }),
		path: () => ({ id: state().client.id }),
		check: ({ items }) => {
			const [, payload] = String(items[0].json.data).split('.');
			expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual({ client: state().client.id });
		},
	},
	'client:createAccount': {
		parameters: () => ({ company: 'Agency Client Ltd', email: 'owner@client.example', additionalFields: { country: 'DE' } }),
		check: ({ items }, request) => {
			expect(request.body).toEqual({ company: 'Agency Client Ltd', email: 'owner@client.example', country: 'DE' });
			expect(state().accounts.at(-1)).toMatchObject({ company: 'Agency Client Ltd' });
			expect(items[0].json.id).toBe(state().accounts.at(-1).id);
		},
	},
	'eventHook:checkTrigger': {
		setup: () => {
			const group = server().addGroup('Hooked group');
			state().hooks.push({ event: 'receiver.subscribed', condition: group.id, url: 'https://n8n.example.org/webhook/catalog/webhook', verify: 'catalog-verify', call_token: 'catalog-token' });
			return { groupId: group.id };
		},
		parameters: ({ groupId }) => ({ triggerUrl: 'https://n8n.example.org/webhook/catalog/webhook', groupId: byId(String(groupId)), events: ['receiver.subscribed', 'receiver.unsubscribed'] }),
		check: ({ items }, _request, { groupId }) => {
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ healthy: false, registered: [{ event: 'receiver.subscribed', id: `receiver.subscribed@${String(groupId)}` }], missing: ['receiver.unsubscribed'] });
		},
	},
	'debug:whoami': {
		parameters: () => ({}),
		check: ({ items }) => expect(items[0].json).toEqual(state().client),
	},
	'debug:ttl': {
		parameters: () => ({}),
		check: ({ items }) => {
			const ttl = Number(items[0].json.ttl);
			expect(ttl).toBeGreaterThan(3500);
			expect(ttl).toBeLessThanOrEqual(3600);
		},
	},
};

function clientFact(expected: () => unknown): Case {
	return {
		setup: groupWithReceivers,
		parameters: () => ({ clientId: state().client.id }),
		path: () => ({ id: state().client.id }),
		check: ({ items }) => expect(items[0].json).toEqual({ data: expected() }),
	};
}

const fill = (path: string, values: Record<string, string>) => path.replace(/\{([^{}]+)\}/g, (_match, name: string) => values[name]);

describe('CleverReach catalog through the engine', () => {
	it('has a case for every catalog entry', () => {
		expect(Object.keys(cases).sort()).toEqual(cleverReachCatalog.map((entry) => `${entry.resource}:${entry.operation}`).sort());
	});

	it.each(cleverReachCatalog.map((entry) => [`${entry.resource}:${entry.operation}`, entry] as const))('%s', async (key, entry) => {
		const testCase = cases[key];
		const prepared = testCase.setup?.() ?? {};
		const creds = credentials();
		const result = await run({ resource: entry.resource, operation: entry.operation, ...testCase.parameters(prepared) }, testCase.items?.(prepared), { credentials: creds });
		expect(result.error).toBeUndefined();
		const requests = apiRequests();
		// A paged list reads on until an empty page (CleverReach's answers carry no total): its page of data, then the empty one.
		const paged = cleverReachOperations.some((operation) => operation.resource === entry.resource && operation.operation === entry.operation && operation.pagination);
		const before = testCase.readsFirst?.(prepared) ?? [];
		expect(requests).toHaveLength((paged ? 2 : 1) + before.length);
		expect(requests.slice(0, before.length).map((read) => `${read.method} ${read.path}`)).toEqual(before);
		const request = requests[before.length];
		expect(request.method).toBe(entry.method);
		expect(request.path).toBe(fill(entry.path, testCase.path?.(prepared) ?? {}));
		expect(request.headers.authorization).toBe(`Bearer ${String((creds[CREDENTIAL].oauthTokenData as IDataObject).access_token)}`);
		expect(entry.credential).toBe(CREDENTIAL);
		testCase.check(result, request, prepared);
	});
});

describe('CleverReach paths: the changelog, CleverReach\'s public code, or said to be unconfirmed', () => {
	const key = (entry: { method: string; path: string }) => `${entry.method} ${entry.path}`;
	const changelog = new Set((documented.cleverReach as Array<{ method: string; path: string }>).map(key));
	const confirmed = new Set(sources.confirmed.map(key));

	it.each(cleverReachOperations.map((operation) => [`${operation.resource}:${operation.operation}`, operation] as const))('%s', (_name, operation) => {
		const known = changelog.has(key(operation)) || confirmed.has(key(operation));
		// What users read says so when nothing public names the route.
		expect(operation.description.includes(UNCONFIRMED)).toBe(!known);
	});

	it('no route the node dropped for a confirmed one is still served by the fake', async () => {
		for (const path of ['/v3/groups/1/receivers/2/setactive', '/v3/groups/1/receivers/2/setinactive']) {
			const group = server().addGroup('Dropped routes');
			const receiver = server().addReceiver(group.id, { email: 'x@example.org' });
			const response = await fetch(`${server().url}${path.replace('/1/', `/${group.id}/`).replace('/2/', `/${receiver.id}/`)}`, {
				method: 'PUT',
				headers: { authorization: `Bearer ${String(server().issueToken().access_token)}` },
			});
			expect(response.status).toBe(404);
		}
	});
});
