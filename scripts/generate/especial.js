#!/usr/bin/env node
/**
 * Generates the Especial operation tables (nodes/Especial/descriptions/generated/*.ts) from the OpenAPI
 * file and the seed's list of titles, and copies both into test/fixtures for the tests:
 *
 *   node scripts/generate/especial.js [path/to/especial-openapi.json] [path/to/operations.json]
 *
 * (defaults: ../shared/research/especial-openapi-1.18.25.json and ../shared/seeds/operations.json). Rerun
 * by hand when the specification changes; the build and the tests read only the committed output. What
 * the specification cannot say (dropdowns, nicer shapes, batch mode) is added by hand beside it, in
 * nodes/Especial/descriptions/overrides.ts.
 */
'use strict';

const { mkdirSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = join(__dirname, '..', '..');
const SPEC_PATH = process.argv[2] ?? join(ROOT, '..', 'shared', 'research', 'especial-openapi-1.18.25.json');
const SEED_PATH = process.argv[3] ?? join(ROOT, '..', 'shared', 'seeds', 'operations.json');
const SEED_TEXT_PATH = process.argv[4] ?? join(ROOT, '..', 'shared', 'seeds', '002_16a88ef0507f2ed5.txt');
const OUT_DIR = join(ROOT, 'nodes', 'Especial', 'descriptions', 'generated');
const FIXTURES = join(ROOT, 'test', 'fixtures');

const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
const seed = JSON.parse(readFileSync(SEED_PATH, 'utf8')).especial;
const seedText = readFileSync(SEED_TEXT_PATH, 'utf8').split('\n').map((line) => line.trim());

const FIELD_TYPE_LINE = /^(string|integer|boolean|number|object|Array of \w+)\b.*\((\w+)\)/;

/**
 * The seed (1.12.14) wins where it differs from the later specification: per title, the enums and
 * defaults it documents for each field (its rendering: name, [required], "type (name)", Default:, Enum:).
 */
function seedFieldNotes(title) {
	const titles = new Set(seed.map((entry) => entry.title));
	const start = seedText.indexOf(title);
	if (start < 0) return {};
	const notes = {};
	let current;
	for (let index = start + 1; index < seedText.length && !titles.has(seedText[index]); index++) {
		const line = seedText[index];
		if (line === 'Responses') break;
		const typed = FIELD_TYPE_LINE.exec(line);
		if (typed) {
			const name = seedText[index - 1] === 'required' ? seedText[index - 2] : seedText[index - 1];
			current = notes[name] = seedText[index - 1] === 'required' ? { required: true } : {};
			continue;
		}
		if (!current) continue;
		if (line.startsWith('Enum: ')) current.enum = [...line.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
		else if (line.startsWith('Default: ')) {
			try {
				current.default = JSON.parse(line.slice(9));
			} catch {
				current.default = line.slice(9);
			}
		}
	}
	return notes;
}

/** Applies the seed's enums and defaults to the fields the specification gave an operation. */
/** Options in the order n8n's lint rule asks (by name). */
function sortOptions(fields) {
	for (const field of fields) {
		if (field.options) field.options.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		if (field.fields) sortOptions(field.fields);
	}
}

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

/** One short sentence from the specification's text, ending with a period (n8n's description style). */
function sentence(text) {
	if (!text) return undefined;
	let first = String(text).split(/\n\s*\n/)[0].replace(/\s+/g, ' ').replace(/[*`_]/g, '').trim();
	if (/^an enumeration\.?$/i.test(first) || first === '') return undefined;
	if (first.length > 220) first = `${first.slice(0, first.lastIndexOf(' ', 217))}...`;
	return /[.!?]$/.test(first) || first.endsWith('...') ? first : `${first}.`;
}

const isScalar = (schema) => ['string', 'integer', 'number', 'boolean'].includes(schema.type);

/** A field from one schema property (or parameter). */
function fieldOf(apiName, rawSchema, { required, location, description, nested }) {
	const schema = resolve(rawSchema);
	const field = { displayName: label(apiName), name: camel(apiName), apiName };
	const text = sentence(description ?? rawSchema.description ?? schema.description);
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
			fieldOf(key, property, { required: requiredKeys.has(key), nested: true }),
		);
		field.default = {};
	} else if (schema.type === 'array' && !nested && resolve(schema.items).type === 'object' && resolve(schema.items).properties &&
		Object.values(resolve(schema.items).properties).every((property) => isScalar(resolve(property)) || resolve(property).enum)) {
		const item = resolve(schema.items);
		const requiredKeys = new Set(item.required ?? []);
		field.type = 'fixedCollection';
		field.entryName = label(apiName).replace(/s$/, '');
		field.fields = Object.entries(item.properties).map(([key, property]) =>
			fieldOf(key, property, { required: requiredKeys.has(key), nested: true }),
		);
		field.default = {};
	} else if (schema.type === 'object' || schema.type === 'array' || !schema.type) {
		field.type = 'json';
		field.default = schema.type === 'array' ? '[]' : '{}';
		if (schema.default !== undefined) field.default = JSON.stringify(schema.default);
	} else {
		field.type = 'string';
		field.default = typeof schema.default === 'string' ? schema.default : '';
		if (schema.format === 'email') field.format = 'email';
		if (/password|secret|token/i.test(apiName)) field.password = true;
	}
	if (required) field.required = true;
	if (location) field.location = location;
	if (field.type === 'json' && required) field.default = schema.type === 'array' ? '[]' : '{}';
	const what = schema.type === 'array' ? ' (JSON array)' : field.type === 'json' ? ' (JSON object)' : '';
	field.description = text ?? `${label(apiName)}${what}`.replace(/^(.)/, (c) => c.toUpperCase());
	if (field.type === 'json' && !text) field.description = `${label(apiName)} as JSON${schema.type === 'array' ? ' (an array)' : ''}`;
	if (field.type === 'boolean' && !/^whether\b/i.test(field.description)) {
		field.description = `Whether ${text ? `to ${text.charAt(0).toLowerCase()}${text.slice(1)}` : `to set ${label(apiName).toLowerCase()}`}`;
	}
	field.description = field.description.replace(/\bIds?\b/g, (word) => word.toUpperCase()).replace(/\bjson\b/gi, 'JSON');
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
				addField(fieldOf(key, property, { required: requiredKeys.has(key), location: 'body' }));
			}
		} else if (bodySchema) {
			addField({ displayName: 'Body', name: 'body', apiName: '', type: 'json', default: bodySchema.type === 'array' ? '[]' : '{}', required: operation.requestBody?.required === true, location: 'body', description: 'The request body as JSON' });
		}
		applySeed(title, fields);
		sortOptions(fields);
		const responses = operation.responses ?? {};
		const success = Object.entries(responses).find(([status]) => status.startsWith('2'));
		const responseSchema = success ? resolve(success[1].content?.['application/json']?.schema) : {};
		const listsData = responseSchema?.properties?.data && resolve(responseSchema.properties.data).type === 'array';
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
		} else if (listsData) {
			definition.itemsKey = 'data';
		}
		if (operation.deprecated) definition.deprecated = true;
		operations.push({ section, definition });
	}
	return operations;
}

function write(operations) {
	rmSync(OUT_DIR, { recursive: true, force: true });
	mkdirSync(OUT_DIR, { recursive: true });
	const bySection = new Map();
	for (const { section, definition } of operations) {
		if (!bySection.has(section)) bySection.set(section, []);
		bySection.get(section).push(definition);
	}
	// A long option list several fields share (the ISO language codes: 180 entries in five files) is written
	// once, in options.ts, and referenced by name.
	const sharedOptions = new Map();
	const visitFields = (fields, visit) => {
		for (const field of fields ?? []) {
			visit(field);
			visitFields(field.fields, visit);
		}
	};
	const uses = new Map();
	for (const { definition } of operations) {
		visitFields(definition.fields, (field) => {
			if (!Array.isArray(field.options) || field.options.length < 20) return;
			const key = JSON.stringify(field.options);
			uses.set(key, [...(uses.get(key) ?? []), field.name]);
		});
	}
	for (const [key, names] of uses) {
		if (names.length < 2) continue;
		let constant = `${names[0].replace(/_([a-z])/g, (_, letter) => letter.toUpperCase())}Options`;
		while ([...sharedOptions.values()].includes(constant)) constant = `${constant}2`;
		sharedOptions.set(key, constant);
	}
	const reference = (definitions) => {
		const used = new Set();
		const copy = JSON.parse(JSON.stringify(definitions));
		for (const definition of copy) {
			visitFields(definition.fields, (field) => {
				const constant = Array.isArray(field.options) ? sharedOptions.get(JSON.stringify(field.options)) : undefined;
				if (!constant) return;
				field.options = `__SHARED_OPTIONS__${constant}`;
				used.add(constant);
			});
		}
		return { copy, used: [...used].sort() };
	};
	const literal = (value) =>
		JSON.stringify(value, null, '\t')
			.replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1:')
			.replace(/"__SHARED_OPTIONS__([A-Za-z0-9_]+)"/g, '$1');
	if (sharedOptions.size) {
		writeFileSync(
			join(OUT_DIR, 'options.ts'),
			`// Generated by scripts/generate/especial.js: option lists several fields share. Do not edit: rerun the generator.\n${[...sharedOptions]
				.map(([key, constant]) => `export const ${constant} = ${literal(JSON.parse(key))};\n`)
				.join('\n')}`,
		);
	}
	const exports = [];
	for (const [section, all] of bySection) {
		const { copy: definitions, used } = reference(all);
		const [resource] = RESOURCES[section];
		const file = `${resource.charAt(0).toUpperCase()}${resource.slice(1)}`;
		const constant = `${resource}Operations`;
		exports.push({ file, constant, section });
		const body = literal(definitions);
		const optionsImport = used.length ? `import { ${used.join(', ')} } from './options';\n` : '';
		writeFileSync(
			join(OUT_DIR, `${file}.ts`),
			`// Generated by scripts/generate/especial.js from the Especial OpenAPI file and the seed's titles (section "${section}"). Do not edit: rerun the generator.\n/* eslint-disable n8n-nodes-base/node-param-type-options-password-missing -- secret fields carry \`password: true\`, which nodes/shared/description.ts turns into typeOptions.password */\nimport type { GeneratedOperation } from '../types';\n${optionsImport}\nexport const ${constant}: GeneratedOperation[] = ${body};\n`,
		);
	}
	const index = [
		'// Generated by scripts/generate/especial.js. Do not edit: rerun the generator.',
		"import type { GeneratedOperation } from '../types';",
		...exports.map(({ file, constant }) => `import { ${constant} } from './${file}';`),
		'',
		'/** Every operation of the seed, in its order, as the specification describes it. */',
		'export const generatedOperations: GeneratedOperation[] = [',
		...exports.map(({ constant }) => `\t...${constant},`),
		'];',
		'',
		'/** The seed\'s sections as resources. */',
		'export const generatedResources = [',
		...exports.map(({ section }) => `\t{ name: '${RESOURCES[section][1]}', value: '${RESOURCES[section][0]}' },`),
		'];',
		'',
	].join('\n');
	writeFileSync(join(OUT_DIR, 'index.ts'), index);
	mkdirSync(FIXTURES, { recursive: true });
	writeFileSync(join(FIXTURES, 'especial-operations.json'), `${JSON.stringify(seed, null, 1)}\n`);
	writeFileSync(join(FIXTURES, 'especial-openapi.json'), JSON.stringify(spec));
}

const operations = generate();
write(operations);
// n8n's lint rules fix what they can themselves (title case, option order); the rest the generator writes right.
// A fix can make another one possible (renamed options sort differently): a first pass quietly, then a checked one.
const eslint = [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--fix', OUT_DIR];
try {
	execFileSync(process.execPath, eslint, { cwd: ROOT, stdio: 'ignore' });
} catch {
	// reported by the checked pass
}
execFileSync(process.execPath, eslint, { cwd: ROOT, stdio: 'inherit' });
console.log(`Especial: ${operations.length} operations written to ${OUT_DIR}`);
