#!/usr/bin/env node
/**
 * Generates the Especial operation tables (nodes/Especial/descriptions/generated/*.ts) from files in the repo:
 *
 *   npm run generate                      (or: node scripts/generate/especial.js [--out <folder>])
 *
 * Inputs (test/fixtures, which the tests and the fake server read too):
 * - especial-openapi.json: Especial's OpenAPI file (Cakemail API 1.18.25), the fields and their constraints;
 * - especial-operations.json: the operations the seed documents (sections and titles, in its order);
 * - especial-seed-fields.json: the enums, defaults and required marks the seed (1.12.14) documents per title.
 * What stands in several places of the tables (a field, a JSON shape, a paging style, a long option list) is
 * written once in a shared file and referred to by name (scripts/generate/especialFragments.js).
 * The output is formatted here too (n8n's lint fixes run through ESLint's API), so a rerun reproduces the
 * committed files byte for byte (test/especial/generator.test.ts checks it). What the specification cannot
 * say (dropdowns, nicer shapes, batch mode) is added by hand beside it, in nodes/Especial/descriptions/overrides.ts.
 */
'use strict';

const { mkdirSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const { Constants, literal, referencesIn } = require('./fragments');
const { shareFieldRuns, shareFields, shareJsonShapes, shareOptionLists, sharePaging } = require('./especialFragments');

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Where the committed tables live; ESLint lints the output as if it were there (its rules are set per folder). */
const GENERATED_DIR = join(ROOT, 'nodes', 'Especial', 'descriptions', 'generated');

const readFixture = (name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const spec = readFixture('especial-openapi.json');
const seed = readFixture('especial-operations.json');
const seedFields = readFixture('especial-seed-fields.json').fields;

/**
 * The seed (1.12.14) wins where it differs from the later specification: per title, the enums and
 * defaults it documents for each field, and which it marks required.
 */
function seedFieldNotes(title) {
	return seedFields[title] ?? {};
}

/** Options in the order n8n's lint rule asks (by name). */
function sortOptions(fields) {
	for (const field of fields) {
		if (field.options) field.options.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		if (field.fields) sortOptions(field.fields);
	}
}

/** Applies the seed's enums and defaults to the fields the specification gave an operation. */
function applySeed(title, fields) {
	const notes = seedFieldNotes(title);
	for (const field of fields) {
		const note = notes[field.apiName];
		if (!note) continue;
		if (note.required && field.location !== 'path') field.required = true;
		if (note.enum && field.type === 'options') {
			field.options = note.enum.map((value) => ({ name: value, value }));
			if (!note.enum.includes(field.default)) field.default = note.enum[0];
		}
		if (note.default !== undefined && typeof note.default === typeof field.default && field.type !== 'json' && (!field.options || field.options.some((option) => option.value === note.default))) {
			field.default = note.default;
		}
	}
}

/** Seed titles that 1.18.25 writes differently (same method and path). */
const TITLE_IN_SPEC = {
	'Send a transactional email': 'Send an email',
	'Show transactional email logs': 'Show email activity logs',
	'Show transactional email report': 'Show email stats',
	'Create a token': 'Create or Refresh a token',
	'Show a tag': 'Show a Contact Tag',
	'Delete a tag': 'Delete a Contact Tag',
	'Edit tag': 'Edit a Contact Tag',
	'Show all tags': 'List Contact Tags',
	'Create a tag': 'Create a Contact Tag',
};

/** Seed operations 1.18.25 no longer has: method and path, and the operation whose parameters they share. */
const SEED_ONLY = {
	'Unarchive a list': { method: 'post', path: '/lists/{list_id}/unarchive', like: ['post', '/lists/{list_id}/archive'] },
};

/** Seed section → resource value and name. */
const RESOURCES = {
	Account: ['account', 'Account'],
	Action: ['action', 'Action'],
	Campaign: ['campaign', 'Campaign'],
	'Campaign Blueprint': ['campaignBlueprint', 'Campaign Blueprint'],
	Contact: ['contact', 'Contact'],
	'Custom Attribute': ['customAttribute', 'Custom Attribute'],
	DKIM: ['dkim', 'DKIM'],
	Domain: ['domain', 'Domain'],
	'Transactional Email': ['transactionalEmail', 'Transactional Email'],
	Form: ['form', 'Form'],
	List: ['list', 'List'],
	Log: ['log', 'Log'],
	Segment: ['segment', 'Segment'],
	Sender: ['sender', 'Sender'],
	Interest: ['interest', 'Interest'],
	Task: ['task', 'Task'],
	Template: ['template', 'Template'],
	Report: ['report', 'Report'],
	'Suppressed Email': ['suppressedEmail', 'Suppressed Email'],
	Token: ['token', 'Token'],
	User: ['user', 'User'],
	'Sub-Account': ['subAccount', 'Sub-Account'],
	Workflow: ['workflow', 'Workflow'],
	'Workflow Blueprint': ['workflowBlueprint', 'Workflow Blueprint'],
	'System Email': ['systemEmail', 'System Email'],
	Webhook: ['webhook', 'Webhook'],
	Tags: ['tag', 'Tag'],
};

/**
 * Operation value and label per seed title where the usual reading (Create / Get / Get Many / Update /
 * Delete, else the title's verb) would clash or read badly. Reviewed by hand.
 */
const OPERATION_NAMES = {
	'Show contacts of a list': ['getAll', 'Get Many'],
	'Show contacts of a segment': ['getManyInSegment', 'Get Many in Segment'],
	'Add a contact': ['create', 'Create'],
	'Tags multiple contacts': ['tagMany', 'Tag Many'],
	'Untags multiple contacts': ['untagMany', 'Untag Many'],
	'Tags a contact': ['tag', 'Tag'],
	'Untags a contact': ['untag', 'Untag'],
	'Add interest(s) to contact(s)': ['addInterests', 'Add Interests'],
	'Remove interest(s) from contact(s)': ['removeInterests', 'Remove Interests'],
	'Import contacts': ['import', 'Import'],
	'Unsubscribe a contact from a list': ['unsubscribe', 'Unsubscribe'],
	'Show all Contacts Exports': ['getAllExports', 'Get Many Exports'],
	'Create a Contacts Export': ['createExport', 'Create Export'],
	'Show a Contacts Export': ['getExport', 'Get Export'],
	'Delete a Contacts Export': ['deleteExport', 'Delete Export'],
	'Download a Contacts Export': ['downloadExport', 'Download Export'],
	'Show all campaign revisions': ['getRevisions', 'Get Revisions'],
	'Send a test email': ['sendTest', 'Send Test'],
	'Send a test of an action': ['sendTest', 'Send Test'],
	'Render campaign blueprint': ['render', 'Render'],
	'Change domains': ['update', 'Update'],
	'Validate domains': ['validate', 'Validate'],
	'Show domains': ['get', 'Get'],
	'Send a transactional email': ['send', 'Send'],
	'Update a list parameters': ['update', 'Update'],
	'Show a list parameters': ['get', 'Get'],
	'Accept policy for a list': ['acceptPolicy', 'Accept Policy'],
	'Show list logs': ['getListLogs', 'Get List Logs'],
	'Show campaign logs': ['getCampaignLogs', 'Get Campaign Logs'],
	'Show transactional email logs': ['getTransactionalEmailLogs', 'Get Transactional Email Logs'],
	'Show action logs': ['getActionLogs', 'Get Action Logs'],
	'Show all campaign log exports': ['getAllCampaignLogExports', 'Get Many Campaign Log Exports'],
	'Create a campaign log export': ['createCampaignLogExport', 'Create Campaign Log Export'],
	'Download a campaign log export': ['downloadCampaignLogExport', 'Download Campaign Log Export'],
	'Add a sender': ['create', 'Create'],
	'Confirm a sender': ['confirm', 'Confirm'],
	'Resend confirmation email': ['resendConfirmation', 'Resend Confirmation'],
	'Show list report': ['getListReport', 'Get List Report'],
	'Show campaign report': ['getCampaignReport', 'Get Campaign Report'],
	'Show campaign links report': ['getCampaignLinksReport', 'Get Campaign Links Report'],
	'Show transactional email report': ['getTransactionalEmailReport', 'Get Transactional Email Report'],
	'Show my account report': ['getMyAccountReport', 'Get My Account Report'],
	'Show account report': ['getAccountReport', 'Get Account Report'],
	'Show action report': ['getActionReport', 'Get Action Report'],
	'Add a suppressed email': ['create', 'Create'],
	'Refresh a token': ['refresh', 'Refresh'],
	'Create a token': ['create', 'Create'],
	'Show my user details': ['getSelf', 'Get Me'],
	'Forgot my password': ['forgotPassword', 'Forgot Password'],
	'Reset my password': ['resetMyPassword', 'Reset My Password'],
	'Reset a user password': ['resetPassword', 'Reset Password'],
	'Reset password confirmation': ['confirmPasswordReset', 'Confirm Password Reset'],
	'Show all users in my account': ['getAll', 'Get Many'],
	'Resend the user verification email': ['resendVerification', 'Resend Verification Email'],
	'Show sub-account details': ['get', 'Get'],
	'Confirm sub-account creation': ['confirm', 'Confirm'],
	'Resend the account verification email': ['resendVerification', 'Resend Verification Email'],
	'Show workflow blueprint actions': ['getActions', 'Get Actions'],
	'Show a workflow blueprint action': ['getAction', 'Get Action'],
	'Show system emails configuration': ['get', 'Get'],
	'Set system emails configuration': ['set', 'Set'],
	'Update system emails configuration': ['update', 'Update'],
	'Show my account details': ['get', 'Get'],
	'Update my account': ['update', 'Update'],
	'Patch a webhook': ['update', 'Update'],
	'Edit tag': ['update', 'Update'],
	'List Dkim Keys': ['getAll', 'Get Many'],
	'Create Dkim Key': ['create', 'Create'],
	'Get Dkim Key': ['get', 'Get'],
	'Delete Dkim Key': ['delete', 'Delete'],
};

/** Query parameters the node sets itself for lists (Return All / Limit). */
const PAGING_PARAMETERS = new Set(['page', 'per_page', 'with_count', 'cursor']);
/** Parameter names of the node itself, which an API field must not take. */
const RESERVED = new Set(['resource', 'operation', 'returnAll', 'limit', 'additionalFields', 'authentication']);
/** Query parameters holding Unix times: a date picker, sent as seconds. */
const UNIX_TIME_FIELDS = new Set(['start_time', 'end_time']);

function resolve(schema) {
	let current = schema ?? {};
	for (let depth = 0; depth < 10; depth++) {
		if (current.$ref) current = { ...spec.components.schemas[current.$ref.split('/').pop()], ...omit(current, ['$ref']) };
		else if (current.allOf && current.allOf.length === 1) current = { ...resolve(current.allOf[0]), ...omit(current, ['allOf']) };
		else if (current.anyOf) {
			const [first] = current.anyOf.filter((candidate) => candidate.type !== 'null');
			current = { ...resolve(first), ...omit(current, ['anyOf']) };
		} else break;
	}
	return current;
}

/** A schema with its references followed but its alternatives (anyOf) kept. */
function deref(schema) {
	let current = schema ?? {};
	for (let depth = 0; depth < 10; depth++) {
		if (current.$ref) current = { ...spec.components.schemas[current.$ref.split('/').pop()], ...omit(current, ['$ref']) };
		else if (current.allOf && current.allOf.length === 1) current = { ...deref(current.allOf[0]), ...omit(current, ['allOf']) };
		else break;
	}
	return current;
}

function omit(object, keys) {
	return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function camel(text) {
	const words = String(text).replace(/[^A-Za-z0-9]+/g, ' ').trim().split(/\s+/);
	return words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

function label(apiName) {
	const words = String(apiName).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
	return words
		.map((word) => {
			if (/^(id|url|html|dkim|ip|mfa|api|uri|json|fiql)$/i.test(word)) return word.toUpperCase();
			return word.charAt(0).toUpperCase() + word.slice(1);
		})
		.join(' ');
}

/** The product is Especial where users read it; the OpenAPI text names the API it runs on (Cakemail). */
const especialName = (text) => text.replace(/\bCakemail\b/g, 'Especial');

/** One short sentence from the specification's text, ending with a period (n8n's description style). */
function sentence(text) {
	if (!text) return undefined;
	let first = especialName(String(text).split(/\n\s*\n/)[0].replace(/\s+/g, ' ').replace(/[*`_]/g, '').trim());
	if (/^an enumeration\.?$/i.test(first) || first === '') return undefined;
	if (first.length > 220) first = `${first.slice(0, first.lastIndexOf(' ', 217))}...`;
	return /[.!?]$/.test(first) || first.endsWith('...') ? first : `${first}.`;
}

const isScalar = (schema) => ['string', 'integer', 'number', 'boolean'].includes(schema.type);

/**
 * n8n's rule for secret parameters (its scanner's node-param-type-options-password-missing): a text
 * parameter whose name holds one of these words is masked in the editor.
 */
const { NODE_SENSITIVE_PARAM_NAMES, FALSE_POSITIVE_NODE_SENSITIVE_PARAM_NAMES } = require('eslint-plugin-n8n-nodes-base/dist/lib/constants');
const isSecretName = (name) =>
	!FALSE_POSITIVE_NODE_SENSITIVE_PARAM_NAMES.includes(name) && NODE_SENSITIVE_PARAM_NAMES.some((word) => name.toLowerCase().includes(word.toLowerCase()));

/**
 * Values that end up in an email header (subject, sender name, custom headers, tags): the shared core
 * refuses CR, LF and NUL in them (format headerText) and checks header names (headerName).
 */
function headerFormat(apiName, parent) {
	if (parent === 'additional_headers') return apiName === 'name' ? 'headerName' : apiName === 'value' ? 'headerText' : undefined;
	if (apiName === 'subject' || apiName === 'tag' || apiName === 'tags') return 'headerText';
	if (apiName === 'name' && parent === 'sender') return 'headerText';
	return undefined;
}

/**
 * A JSON Schema `pattern` matches anywhere in the value; a field's `pattern` must match all of it. An
 * unanchored pattern is widened so both mean the same.
 */
function wholeValuePattern(pattern) {
	const anchoredStart = pattern.startsWith('^');
	const anchoredEnd = pattern.endsWith('$') && !pattern.endsWith('\\$');
	if (anchoredStart && anchoredEnd) return pattern;
	return `${anchoredStart ? '' : '[\\s\\S]*?'}(?:${pattern})${anchoredEnd ? '' : '[\\s\\S]*'}`;
}

/** ISO 8601 date and time, as format date-time asks (the time zone may be left out). */
const DATE_TIME_PATTERN = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?';

/** A text's limits from its schema: lengths, pattern, and the formats the shared core checks. */
function textLimits(schema, format) {
	const limits = {};
	if (typeof schema.minLength === 'number' && schema.minLength > 0) limits.minLength = schema.minLength;
	if (typeof schema.maxLength === 'number') limits.maxLength = schema.maxLength;
	if (schema.pattern) limits.pattern = wholeValuePattern(schema.pattern);
	else if (schema.format === 'date-time') limits.pattern = DATE_TIME_PATTERN;
	if (schema.format === 'email') limits.format = 'email';
	else if (schema.format === 'uri') limits.format = 'url';
	else if (format) limits.format = format;
	return limits;
}

/**
 * The shape a raw JSON field must have, from its schema (JSON-Schema-like, checked by nodes/shared/input/jsonShape.ts):
 * types, required keys, enums, text and number limits, list sizes, alternatives (anyOf). Nested shapes
 * stop at a depth where the specification's own schemas start to repeat.
 */
function shapeOf(rawSchema, key, parent, depth = 0) {
	const schema = deref(rawSchema);
	const alternatives = (schema.anyOf ?? schema.oneOf ?? []).filter((candidate) => candidate.type !== 'null');
	const nullable = (schema.anyOf ?? schema.oneOf ?? []).some((candidate) => candidate.type === 'null') || undefined;
	if (alternatives.length > 1) return { anyOf: alternatives.map((candidate) => shapeOf(candidate, key, parent, depth)), nullable };
	if (alternatives.length === 1) return { ...shapeOf({ ...alternatives[0], ...omit(schema, ['anyOf', 'oneOf']) }, key, parent, depth), nullable };
	const shape = {};
	if (['string', 'integer', 'number', 'boolean', 'object', 'array'].includes(schema.type)) shape.type = schema.type;
	else if (schema.properties) shape.type = 'object';
	if (Array.isArray(schema.enum) && schema.enum.length) shape.enum = schema.enum;
	if (shape.type === 'string' && !shape.enum) {
		const { format, ...limits } = textLimits(schema, headerFormat(key, parent));
		Object.assign(shape, limits);
		if (format) shape.format = format === 'url' ? 'uri' : format;
	}
	if (shape.type === 'integer' || shape.type === 'number') {
		if (typeof schema.minimum === 'number') shape.minimum = schema.minimum;
		if (typeof schema.maximum === 'number') shape.maximum = schema.maximum;
	}
	if (shape.type === 'array') {
		if (typeof schema.minItems === 'number') shape.minItems = schema.minItems;
		if (typeof schema.maxItems === 'number') shape.maxItems = schema.maxItems;
		if (schema.items && depth < 6) shape.items = shapeOf(schema.items, key, parent, depth + 1);
	}
	if (shape.type === 'object' && schema.properties && depth < 6) {
		shape.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, shapeOf(property, name, key, depth + 1)]));
		if (schema.required?.length) shape.required = schema.required;
	}
	return shape;
}

/** Words n8n's lint rules want in capitals in descriptions (ID, URL, JSON): as JSON keys they must stay as they are. */
const LINT_CASED_WORD = /^(ids?|urls?|json)$/i;

/** A short example value of a shape, for the field's description. */
function exampleOf(shape, key, depth = 0) {
	if (shape.anyOf) return exampleOf(shape.anyOf[0], key, depth);
	if (shape.enum) return shape.enum[0];
	switch (shape.type) {
		case 'string':
			if (shape.format === 'email') return 'name@example.com';
			if (shape.format === 'uri') return 'https://example.com';
			if (shape.format === 'headerText' && key === 'subject') return 'Hello';
			return key === 'html' ? '<p>Hello</p>' : key === 'tags' || key === 'tag' ? 'customer' : 'text';
		case 'integer':
		case 'number':
			return typeof shape.minimum === 'number' && shape.minimum > 1 ? shape.minimum : 1;
		case 'boolean':
			return true;
		case 'array':
			return depth < 3 && shape.items ? [exampleOf(shape.items, key, depth + 1)] : [];
		case 'object': {
			if (depth >= 3 || !shape.properties) return {};
			// Keys n8n's lint would rewrite in a description ("id" -> "ID") are left out of the example.
			const names = Object.keys(shape.properties).filter((name) => !LINT_CASED_WORD.test(name));
			const required = names.filter((name) => shape.required?.includes(name));
			const shown = (required.length ? required : names).slice(0, 3);
			return Object.fromEntries(shown.map((name) => [name, exampleOf(shape.properties[name], name, depth + 1)]));
		}
		default:
			return 'value';
	}
}

/** What a raw JSON field asks for, in words, with a short example. */
function jsonDescription(text, apiName, shape) {
	const kind = shape.type === 'array' ? 'A JSON list' : shape.type === 'object' ? 'A JSON object' : 'JSON';
	const example = JSON.stringify(exampleOf(shape, apiName)).replace(/,/g, ', ').replace(/:/g, ': ').replace(/: \/\//g, '://');
	const what = text ? `${text.replace(/\.$/, '')}. ` : `${label(apiName)}: `;
	return `${what}${kind}, e.g. ${example}`;
}

/** A field from one schema property (or parameter). */
function fieldOf(apiName, rawSchema, { required, location, description, nested, parent }) {
	const schema = resolve(rawSchema);
	const field = { displayName: label(apiName), name: camel(apiName), apiName };
	const text = sentence(description ?? rawSchema.description ?? schema.description);
	let shape;
	if (schema.enum && schema.enum.length) {
		field.type = 'options';
		field.options = schema.enum.map((value) => ({ name: String(value), value }));
		field.default = schema.default ?? schema.enum[0];
	} else if (schema.type === 'array' && resolve(schema.items).enum) {
		field.type = 'multiOptions';
		field.options = resolve(schema.items).enum.map((value) => ({ name: String(value), value }));
		field.default = Array.isArray(schema.default) ? schema.default : [];
	} else if (UNIX_TIME_FIELDS.has(apiName) && (schema.type === 'integer' || schema.type === 'number')) {
		field.type = 'dateTime';
		field.format = 'unixTime';
		field.default = '';
	} else if (schema.type === 'integer' || schema.type === 'number') {
		field.type = 'number';
		if (schema.type === 'integer') field.format = 'integer';
		field.default = typeof schema.default === 'number' ? schema.default : 0;
		if (typeof schema.minimum === 'number') {
			field.minValue = schema.minimum;
			// A field the user adds starts at a value the API accepts.
			field.default = Math.max(field.default, schema.minimum);
		}
		if (typeof schema.maximum === 'number') field.maxValue = schema.maximum;
	} else if (schema.type === 'boolean') {
		field.type = 'boolean';
		field.default = typeof schema.default === 'boolean' ? schema.default : false;
	} else if (schema.type === 'object' && schema.properties && !nested && Object.values(schema.properties).every((property) => isScalar(resolve(property)) || resolve(property).enum)) {
		field.type = 'collection';
		const requiredKeys = new Set(schema.required ?? []);
		field.fields = Object.entries(schema.properties).map(([key, property]) =>
			fieldOf(key, property, { required: requiredKeys.has(key), nested: true, parent: apiName }),
		);
		field.default = {};
	} else if (schema.type === 'array' && !nested && resolve(schema.items).type === 'object' && resolve(schema.items).properties &&
		Object.values(resolve(schema.items).properties).every((property) => isScalar(resolve(property)) || resolve(property).enum)) {
		const item = resolve(schema.items);
		const requiredKeys = new Set(item.required ?? []);
		field.type = 'fixedCollection';
		field.entryName = label(apiName).replace(/s$/, '');
		field.fields = Object.entries(item.properties).map(([key, property]) =>
			fieldOf(key, property, { required: requiredKeys.has(key), nested: true, parent: apiName }),
		);
		field.default = {};
	} else if (schema.type === 'object' || schema.type === 'array' || !schema.type) {
		field.type = 'json';
		field.default = schema.type === 'array' ? '[]' : '{}';
		if (schema.default !== undefined) field.default = JSON.stringify(schema.default);
		shape = shapeOf(rawSchema, apiName, parent);
		field.jsonShape = shape;
	} else {
		field.type = 'string';
		field.default = typeof schema.default === 'string' ? schema.default : '';
		Object.assign(field, textLimits(schema, headerFormat(apiName, parent)));
		// Written out as n8n's scanner reads it; overrides.ts turns it into the shared `password` flag.
		if (isSecretName(field.name)) field.typeOptions = { password: true };
	}
	if (required) field.required = true;
	if (location) field.location = location;
	if (field.type === 'json' && required) field.default = schema.type === 'array' ? '[]' : '{}';
	field.description = text ?? label(apiName);
	if (field.type === 'json') field.description = jsonDescription(text, apiName, shape);
	if (field.type === 'boolean' && !/^whether\b/i.test(field.description)) {
		field.description = `Whether ${text ? `to ${text.charAt(0).toLowerCase()}${text.slice(1)}` : `to set ${label(apiName).toLowerCase()}`}`;
	}
	field.description = field.description.replace(/\bId(s?)\b/g, 'ID$1').replace(/\bjson\b/gi, 'JSON');
	// One sentence takes no final period (n8n's style); the same words as the label say nothing more.
	if (!/[.!?] /.test(field.description)) field.description = field.description.replace(/\.$/, '');
	if (field.description.toLowerCase() === field.displayName.toLowerCase()) delete field.description;
	if (field.format === 'email') field.placeholder = 'name@email.com';
	if (apiName === 'account_id' && location === 'query') field.description = 'ID of the sub-account to act on (partner accounts); leave out to act on your own account';
	return field;
}

function operationName(title, method, hasPage) {
	if (OPERATION_NAMES[title]) return OPERATION_NAMES[title];
	const verb = title.split(' ')[0].toLowerCase();
	if ((verb === 'show' || verb === 'list') && (/^(Show|List) all /.test(title) || hasPage)) return ['getAll', 'Get Many'];
	if (method === 'get' && ['show', 'get'].includes(verb)) return ['get', 'Get'];
	if (verb === 'create') return ['create', 'Create'];
	if (verb === 'delete') return ['delete', 'Delete'];
	if (['update', 'patch', 'edit', 'change'].includes(verb)) return ['update', 'Update'];
	const word = verb.charAt(0).toUpperCase() + verb.slice(1);
	return [verb, word];
}

function specOperations() {
	const bySummary = new Map();
	for (const [path, item] of Object.entries(spec.paths)) {
		for (const [method, operation] of Object.entries(item)) {
			if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
			bySummary.set(operation.summary, { method, path, operation, pathParameters: item.parameters ?? [] });
		}
	}
	return bySummary;
}

function generate() {
	const bySummary = specOperations();
	const operations = [];
	for (const { section, title } of seed) {
		let found;
		if (SEED_ONLY[title]) {
			const only = SEED_ONLY[title];
			found = { method: only.method, path: only.path, operation: spec.paths[only.like[1]][only.like[0]], pathParameters: [] };
		} else {
			found = bySummary.get(TITLE_IN_SPEC[title] ?? title);
		}
		if (!found) throw new Error(`No operation in the specification for "${title}"`);
		const { method, path, operation } = found;
		const parameters = [...found.pathParameters, ...(operation.parameters ?? [])];
		const hasPage = parameters.some((parameter) => parameter.name === 'page');
		const hasCursor = parameters.some((parameter) => parameter.name === 'cursor');
		const [resource] = RESOURCES[section];
		const [value, name] = operationName(title, method, hasPage);
		const fields = [];
		const names = new Set();
		const addField = (field) => {
			while (names.has(field.name) || RESERVED.has(field.name)) field.name = `${field.name}${field.location === 'query' ? 'Query' : 'Value'}`;
			names.add(field.name);
			fields.push(field);
		};
		for (const parameter of parameters) {
			if (parameter.in === 'header' || parameter.in === 'cookie') continue;
			if (hasPage && PAGING_PARAMETERS.has(parameter.name)) continue;
			const location = parameter.in === 'path' ? 'path' : 'query';
			addField(fieldOf(parameter.name, parameter.schema, { required: parameter.required === true || location === 'path', location, description: parameter.description }));
		}
		const content = operation.requestBody?.content ?? {};
		const bodyType = content['application/x-www-form-urlencoded'] ? 'form' : content['multipart/form-data'] ? 'multipart' : content['application/json'] ? 'json' : undefined;
		const bodySchema = bodyType ? resolve(Object.values(content)[0].schema) : undefined;
		if (bodySchema?.properties) {
			const requiredKeys = new Set(bodySchema.required ?? []);
			for (const [key, property] of Object.entries(bodySchema.properties)) {
				// A sender's name is the From name of its emails.
				const parent = section === 'Sender' ? 'sender' : undefined;
				addField(fieldOf(key, property, { required: requiredKeys.has(key), location: 'body', parent }));
			}
		} else if (bodySchema) {
			const jsonShape = shapeOf(Object.values(content)[0].schema, 'body');
			const description = jsonDescription('The request body', 'body', jsonShape);
			addField({ displayName: 'Body', name: 'body', apiName: '', type: 'json', default: bodySchema.type === 'array' ? '[]' : '{}', required: operation.requestBody?.required === true, location: 'body', description, jsonShape });
		}
		applySeed(title, fields);
		sortOptions(fields);
		const responses = operation.responses ?? {};
		const success = Object.entries(responses).find(([status]) => status.startsWith('2'));
		const definition = {
			resource,
			operation: value,
			name,
			action: title.replace(/^./, (c) => c.toUpperCase()),
			description: sentence(operation.description) && sentence(operation.description).length < 120 ? sentence(operation.description) : `${title}.`,
			title,
			method: method.toUpperCase(),
			path,
			credential: 'especialApi',
			idempotent: method !== 'post',
			fields,
		};
		if (bodyType && bodyType !== 'json') definition.bodyType = bodyType;
		// Render and download endpoints answer with HTML or a file, not JSON.
		const successContent = success?.[1].content;
		if (successContent && !successContent['application/json']) definition.expects = 'text';
		else if (!successContent && method !== 'delete') definition.expects = 'jsonOrEmpty';
		if (hasCursor) {
			definition.pagination = { style: 'cursor', cursorKey: 'cursor', countKey: 'per_page', maxPageSize: 100, itemsKey: 'data', nextCursorPath: 'pagination.cursor.next' };
		} else if (hasPage) {
			definition.pagination = { style: 'page', pageKey: 'page', perPageKey: 'per_page', firstPage: 1, maxPageSize: 100, itemsKey: 'data' };
		} else if (method === 'get' && listsData(success?.[1])) {
			// A list read in one answer (DKIM keys, a report's rows): one item per entry, Limit cuts it.
			definition.itemsKey = 'data';
		}
		// What a call that acts answers with a list (an import's contacts) is one item: no Return All or Limit.
		if (operation.deprecated) definition.deprecated = true;
		operations.push({ section, definition });
	}
	return operations;
}

/** Whether a success answer holds its entries in a `data` array. */
function listsData(response) {
	const schema = response?.content?.['application/json']?.schema;
	const data = schema ? resolve(schema).properties?.data : undefined;
	return data !== undefined && resolve(data).type === 'array';
}

/** A generated file: its header comment, the type imports, the imports of the shared constants it uses, its body. */
function sourceFile(comment, body, { types = [], importsFrom = new Map() } = {}) {
	const typeImport = types.length ? `import type { ${types.join(', ')} } from '../types';\n` : '';
	const imports = [...importsFrom].filter(([, names]) => names.length).map(([file, names]) => `import { ${names.sort().join(', ')} } from './${file}';\n`);
	const head = `${typeImport}${imports.join('')}`;
	return `// ${comment} Do not edit: run npm run generate.\n${head}${head ? '\n' : ''}${body}`;
}

/** The shared constants a value uses, by the file that holds them. */
function importsOf(value, files) {
	const used = [...referencesIn(value)];
	return new Map([...files].map(([file, constants]) => [file, used.filter((name) => constants.entries.some((entry) => entry.name === name))]));
}

/** Operations a line a key (as their section files list them), each field on one line where its values fit. */
const TABLE_LAYOUT = { open: () => false, record: (value) => typeof value.displayName === 'string' && typeof value.type === 'string' };

/** Constants in the order they are made, each after the constants of its file that it refers to. */
function inDefinitionOrder(entries) {
	const byName = new Map(entries.map((entry) => [entry.name, entry]));
	const ordered = new Set();
	const place = (entry) => {
		if (ordered.has(entry)) return;
		for (const name of referencesIn(entry.value)) if (byName.has(name)) place(byName.get(name));
		ordered.add(entry);
	};
	entries.forEach(place);
	return [...ordered];
}

/** Types the shared files name that types.ts does not export, as aliases of what it does. */
const TYPE_ALIASES = { JsonShape: "NonNullable<GeneratedField['jsonShape']>" };

/** A file of shared constants, each `export const name: Type = value;`. */
function constantsFile(comment, constants, files) {
	const typeNames = [...new Set(constants.entries.map(({ type }) => type).filter(Boolean))];
	const aliases = Object.entries(TYPE_ALIASES).filter(([alias]) => typeNames.some((type) => new RegExp(`\\b${alias}\\b`).test(type)));
	const aliasLines = aliases.map(([alias, type]) => `type ${alias} = ${type};\n\n`).join('');
	const typeTexts = [...typeNames, ...aliases.map(([, type]) => type)];
	const types = [...new Set(typeTexts.flatMap((type) => type.match(/\bGenerated\w+/g) ?? []))].sort();
	const body = inDefinitionOrder(constants.entries)
		.map(({ name, value, type }) => `export const ${name}${type ? `: ${type}` : ''} = ${literal(value, '', TABLE_LAYOUT)};\n`)
		.join('\n');
	const others = new Map([...files].filter(([, fileConstants]) => fileConstants !== constants));
	return sourceFile(comment, `${aliasLines}${body}`, { types, importsFrom: importsOf(constants.entries.map(({ value }) => value), others) });
}

/** Names of the constants made so far, which a new one must not take. */
const namesOf = (...sets) => sets.flatMap((constants) => constants.entries.map(({ name }) => name));

/**
 * The shared parts of the operations (copies; especialFragments.js), by the file that holds them: option
 * lists (options.ts), JSON shapes and runs of their properties (shapes.ts), fields and runs of fields
 * (commonFields.ts), paging styles (paging.ts). Order matters: a field is compared with its options and
 * shape already shared, a run of fields with its fields.
 */
function shareParts(definitions) {
	const options = new Constants();
	shareOptionLists(definitions, options);
	const shapes = new Constants(namesOf(options));
	shareJsonShapes(definitions, shapes);
	const common = new Constants(namesOf(options, shapes));
	shareFields(definitions, common);
	shareFieldRuns(definitions, common);
	const paging = new Constants(namesOf(options, shapes, common));
	sharePaging(definitions, paging);
	return new Map([
		['options', { constants: options, comment: 'option lists several fields share.' }],
		['shapes', { constants: shapes, comment: 'JSON shapes several fields check.' }],
		['commonFields', { constants: common, comment: 'fields and runs of fields several operations share.' }],
		['paging', { constants: paging, comment: 'how the operations that page read their pages.' }],
	]);
}

/** One file of operations per seed section, with its name and constant. */
function sectionFiles(definitions, constantsByFile) {
	const bySection = new Map();
	for (const { section, definition } of definitions) bySection.set(section, [...(bySection.get(section) ?? []), definition]);
	return [...bySection].map(([section, sectionDefinitions]) => {
		const [resource] = RESOURCES[section];
		const file = `${resource.charAt(0).toUpperCase()}${resource.slice(1)}`;
		const constant = `${resource}Operations`;
		const layout = { ...TABLE_LAYOUT, open: (value) => sectionDefinitions.includes(value) };
		const text = sourceFile(
			`Generated by scripts/generate/especial.js from the Especial OpenAPI file and the seed's titles (section "${section}").`,
			`export const ${constant}: GeneratedOperation[] = ${literal(sectionDefinitions, '', layout)};\n`,
			{ types: ['GeneratedOperation'], importsFrom: importsOf(sectionDefinitions, constantsByFile) },
		);
		return { section, file, constant, text };
	});
}

/** index.ts: every operation in the seed's order, and the sections as resources. */
function indexFile(sections) {
	return [
		'// Generated by scripts/generate/especial.js. Do not edit: run npm run generate.',
		"import type { GeneratedOperation } from '../types';",
		...sections.map(({ file, constant }) => `import { ${constant} } from './${file}';`),
		'',
		'/** Every operation of the seed, in its order, as the specification describes it. */',
		'export const generatedOperations: GeneratedOperation[] = [',
		...sections.map(({ constant }) => `\t...${constant},`),
		'];',
		'',
		"/** The seed's sections as resources. */",
		'export const generatedResources = [',
		...sections.map(({ section }) => `\t{ name: '${RESOURCES[section][1]}', value: '${RESOURCES[section][0]}' },`),
		'];',
		'',
	].join('\n');
}

/** The generated files by name: the shared parts, one file per seed section, and the index. */
function render(operations) {
	const definitions = operations.map(({ section, definition }) => ({ section, definition: JSON.parse(JSON.stringify(definition)) }));
	const parts = shareParts(definitions.map(({ definition }) => definition));
	const constantsByFile = new Map([...parts].map(([file, { constants }]) => [file, constants]));
	const files = new Map();
	for (const [file, { constants, comment }] of parts) {
		if (constants.entries.length) files.set(`${file}.ts`, constantsFile(`Generated by scripts/generate/especial.js: ${comment}`, constants, constantsByFile));
	}
	const sections = sectionFiles(definitions, constantsByFile);
	for (const { file, text } of sections) files.set(`${file}.ts`, text);
	files.set('index.ts', indexFile(sections));
	return files;
}

/**
 * n8n's lint rules fix what they can themselves (title case of option names, "ID", email placeholders):
 * each file goes through ESLint's API with the project's config, as if it were in the generated folder, so
 * the output is the lint-clean form. Anything left that ESLint cannot fix stops the generator.
 */
async function formatted(files) {
	const { ESLint } = require('eslint');
	const eslint = new ESLint({ cwd: ROOT, fix: true });
	const result = new Map();
	const problems = [];
	for (const [name, text] of files) {
		const [report] = await eslint.lintText(text, { filePath: join(GENERATED_DIR, name) });
		result.set(name, report.output ?? text);
		for (const message of report.messages) problems.push(`${name}:${message.line}: ${message.message} (${message.ruleId})`);
	}
	if (problems.length) throw new Error(`The generated files do not pass lint:\n${problems.join('\n')}`);
	return result;
}

function writeAll(files, outDir) {
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });
	for (const [name, text] of files) writeFileSync(join(outDir, name), text);
}

/** `--out <folder>`: where to write (default: the committed folder). */
function outDir(args) {
	const at = args.indexOf('--out');
	return at >= 0 && args[at + 1] ? args[at + 1] : GENERATED_DIR;
}

async function main() {
	const operations = generate();
	const target = outDir(process.argv.slice(2));
	writeAll(await formatted(render(operations)), target);
	console.log(`Especial: ${operations.length} operations written to ${target}`);
}

main().catch((error) => {
	console.error(error.message);
	process.exitCode = 1;
});
