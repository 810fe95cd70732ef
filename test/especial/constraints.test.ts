/**
 * The OpenAPI file's constraints, checked before any request, for fixed values and expression results
 * alike: enums, lengths, patterns, formats (uri, email), integer path IDs, header-bound texts and the shape
 * of raw JSON fields. Each bad value ends in a NodeOperationError that names the field (as the editor
 * shows it) and the item, with nothing sent to the fake Especial; the same operations with good values are
 * sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { useEspecialFake } from './fake';

const { fake, credentials, apiRequests } = useEspecialFake();

const WEBHOOK = { resource: 'webhook', operation: 'create', event: 'Email.Bounced', url: 'https://hooks.example.org/especial' };
const TAG = { resource: 'tag', operation: 'create', tag: 'customer' };
const ATTRIBUTE = { resource: 'customAttribute', operation: 'create', listId: 3, name: 'city', type: 'text' };
const TEMPLATE = { resource: 'template', operation: 'create', name: 'Welcome', content: '{"type": "html", "subject": "Hi", "html": "<p>Hi</p>"}' };
const SEND = {
	resource: 'transactionalEmail',
	operation: 'send',
	email: 'jane@example.org',
	sender: { id: '5', name: 'Shop' },
	content: { subject: 'Your order', html: '<p>Thanks</p>' },
};

async function run(parameters: IDataObject) {
	return await runNode({ nodeType: 'especial', parameters, credentials: credentials(), items: [{ json: {} }] });
}

describe('Especial: the specification\'s constraints, before any request', () => {
	beforeEach(() => {
		fake().requests.length = 0;
		fake().seedPath('/lists/3');
		fake().seedPath('/lists/3/contacts/7');
	});

	it.each([
		['an event from an expression that is not one of the enum', { ...WEBHOOK, event: '={{ "Email.Nope" }}' }, 'Event'],
		['a URL that is not a URI', { ...WEBHOOK, url: 'not a url' }, 'URL'],
		['a URL over 2,083 characters', { ...WEBHOOK, url: `https://hooks.example.org/${'a'.repeat(3000)}` }, 'URL'],
		['a URL with a header line inside', { ...WEBHOOK, url: '={{ "https://hooks.example.org/x\\r\\nX-Injected: 1" }}' }, 'URL'],
		['a tag of 100 characters (max 64)', { ...TAG, tag: '={{ "t".repeat(100) }}' }, 'Tag'],
		['a custom attribute name that breaks the pattern', { ...ATTRIBUTE, name: 'bad name!' }, 'Name'],
		['a list ID that is not a number (path)', { resource: 'list', operation: 'get', listId: '={{ "abc" }}' }, 'List Name or ID'],
		['a template content that is not an object', { ...TEMPLATE, content: '"just text"' }, 'Content'],
		['a template content whose type is not one of the enum', { ...TEMPLATE, content: '{"type": "pdf", "subject": "Hi"}' }, 'Content'],
		['a template content without its required type', { ...TEMPLATE, content: '={{ JSON.stringify({ subject: "Hi" }) }}' }, 'Content'],
		['a subject with a line break (email header)', { ...SEND, content: { subject: '={{ "Hello\\r\\nBcc: victim@evil.example" }}', html: '<p>x</p>' } }, 'Content → Subject'],
		['an account ID below the minimum (query, minimum 1)', { resource: 'list', operation: 'get', listId: 3, additionalFields: { accountId: 0 } }, 'Account ID'],
		['an account ID that is not a number (query, from an expression)', { resource: 'list', operation: 'get', listId: 3, additionalFields: { accountId: '={{ "abc" }}' } }, 'Account ID'],
		['a tag name from an expression with a line break', { resource: 'contact', operation: 'tag', listId: 3, contactId: 7, tags: '={{ ["vip", "new\\r\\nBcc: x@evil.example"] }}' }, 'Tag Names'],
		['17 interests from an expression (the specification allows 16 at once)', { resource: 'contact', operation: 'addInterests', listId: 3, interests: '={{ Array.from({ length: 17 }, (_, i) => "interest" + i) }}', contactIds: '12' }, 'Interest Names'],
		['a sender name with a line break (email header)', { ...SEND, sender: { id: '5', name: '={{ "Shop\\nBcc: x@evil.example" }}' } }, 'Sender → Name'],
	])('refuses %s', async (_what, parameters, field) => {
		const { error } = await run(parameters);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message.startsWith(`${field}:`)).toBe(true);
		expect(error?.message).toMatch(/\(item 1\)$/);
		expect(apiRequests()).toEqual([]);
	});

	it.each([
		['a webhook with an event from an expression and a good URL', { ...WEBHOOK, event: '={{ "Email.Opened" }}' }, '/webhooks'],
		['a tag of 64 characters', { ...TAG, tag: `={{ "t".repeat(64) }}` }, '/tags'],
		['16 interests from an expression', { resource: 'contact', operation: 'addInterests', listId: 3, interests: '={{ Array.from({ length: 16 }, (_, i) => "interest" + i) }}', contactIds: '12' }, '/lists/3/contacts/add-interests'],
		['tag names from an expression', { resource: 'contact', operation: 'tag', listId: 3, contactId: 7, tags: '={{ ["vip", "new"] }}' }, '/lists/3/contacts/7/tag'],
		['a custom attribute name of the documented form', ATTRIBUTE, '/lists/3/custom-attributes'],
		['a template whose content has the documented shape', TEMPLATE, '/templates'],
	])('sends %s', async (_what, parameters, path) => {
		const { error } = await run(parameters);
		expect(error).toBeUndefined();
		expect(apiRequests().map((request) => request.path)).toEqual([path]);
	});
});
