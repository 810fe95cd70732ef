#!/usr/bin/env node
/**
 * Writes the operation references docs/<provider>.md from the package itself, so that what they list and
 * count cannot drift from what the editor shows:
 *
 *   npm run build && node scripts/generate/docs.js      (or: npm run generate:docs)
 *
 * It reads the catalog (`require('./index.js').operations`), the node and credential descriptions in dist/
 * and the operations' data (batching, paging, retries). Counts follow the rules of n8n's nodes panel
 * (editor-ui useActionsGeneration.ts): per resource, the options of the first Operation dropdown shown for
 * it; a trigger's actions are the options of its Events parameter, or one "On new <name> event" when it
 * has none. test/docs.test.ts renders the same pages from the TypeScript sources and compares them with
 * the committed files.
 */
'use strict';

const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');

/** The providers: catalog key, docs page, folder and class names under nodes/. */
const PROVIDERS = [
	{ key: 'emailGateway', page: 'email-gateway.md', folder: 'EmailGateway', node: 'EmailGateway', trigger: 'EmailGatewayTrigger', operations: 'emailGatewayOperations' },
	{ key: 'cleverReach', page: 'cleverreach.md', folder: 'CleverReach', node: 'CleverReach', trigger: 'CleverReachTrigger', operations: 'cleverReachOperations' },
	{ key: 'especial', page: 'especial.md', folder: 'Especial', node: 'Especial', trigger: 'EspecialTrigger', operations: 'especialOperations' },
	{ key: 'smsBy', page: 'sms-by.md', folder: 'SmsBy', node: 'SmsBy', trigger: 'SmsByTrigger', operations: 'smsByOperations' },
];

/** The operation value of the package's own Check Trigger Webhooks (nodes/shared/trigger/health.ts). */
const CHECK_TRIGGER = 'checkTrigger';

/** Credential parents for which n8n adds "Custom API Call" (cli LoadNodesAndCredentials.supportsProxyAuth). */
const PROXY_AUTH_PARENTS = ['oAuth2Api', 'googleOAuth2Api', 'oAuth1Api'];

// ------------------------------------------------------------------------------------------ reading

/** The description n8n serves for a node class: a versioned node's default version. */
function descriptionOf(NodeClass) {
	const node = new NodeClass();
	if (!node.nodeVersions) return node.description;
	return node.nodeVersions[node.getLatestVersion ? node.getLatestVersion() : node.currentVersion].description;
}

/** Every credential class of the package, by type name. `load(relativePath)` requires a module without its extension. */
function credentialTypes(load, packageJson) {
	const types = {};
	for (const file of packageJson.n8n.credentials) {
		const relative = file.replace(/^dist\//, '').replace(/\.js$/, '');
		for (const CredentialClass of Object.values(load(relative))) {
			if (typeof CredentialClass !== 'function') continue;
			const credential = new CredentialClass();
			if (credential.name) types[credential.name] = credential;
		}
	}
	return types;
}

/**
 * Everything the pages are made of. `load(relativePath)` requires a module of the package by its path
 * under the source root (nodes/EmailGateway/operations); `catalog` is the package's exported catalog.
 */
function readPackage(load, catalog) {
	const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
	const credentials = credentialTypes(load, packageJson);
	return PROVIDERS.map((provider) => {
		const base = `nodes/${provider.folder}`;
		return {
			...provider,
			catalog: catalog[provider.key],
			operations: load(`${base}/operations`)[provider.operations],
			node: descriptionOf(load(`${base}/${provider.node}.node`)[provider.node]),
			trigger: descriptionOf(load(`${base}/${provider.trigger}.node`)[provider.trigger]),
			credentials,
		};
	});
}

// ------------------------------------------------------------------------------------------ editor rules

/** The nodes panel's actions of a node: per resource option, the options of the first Operation dropdown shown for it. */
function panelActions(description) {
	const properties = description.properties;
	const resource = properties.find((property) => property.name === 'resource');
	return resource.options.map((resourceOption) => {
		const dropdown = properties.find(
			(property) => property.name === 'operation' && (property.displayOptions?.show?.resource ?? []).includes(resourceOption.value),
		);
		return { resource: resourceOption, operations: dropdown ? dropdown.options : [] };
	});
}

/** lodash startCase, as the nodes panel names a resource's operation that has no `action` label. */
function startCase(text) {
	return text
		.split(/[\s._-]+/)
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/**
 * change-case's noCase, as n8n 2.40's nodes panel writes a trigger event's name after "On " (editor-ui
 * formatTriggerActionName: dots become spaces, then noCase): "Email Marked as Spam" → "email marked as spam".
 */
function noCase(text) {
	return text
		.trim()
		.replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1\0$2')
		.replace(/(\p{Lu})([\p{Lu}][\p{Ll}])/gu, '$1\0$2')
		.replace(/[^\p{L}\d]+/giu, '\0')
		.split('\0')
		.filter(Boolean)
		.map((word) => word.toLowerCase())
		.join(' ');
}

/** The nodes panel's trigger actions: "On <Event>" per option of the Events parameter, or one placeholder. */
function triggerActions(description) {
	const events = description.properties.find((property) => ['event', 'events', 'trigger on'].includes(String(property.displayName).toLowerCase()));
	if (!events?.options) return [{ label: `On new ${description.displayName.replace('Trigger', '').trimEnd()} event`, option: undefined }];
	return events.options.map((option) => ({ label: option.action ?? `On ${noCase(option.name.split('.').join(' '))}`, option }));
}

/** Whether n8n adds its "Custom API Call" option to the node's Resource and Operation dropdowns. */
function hasCustomApiCall(description, credentials) {
	return (description.credentials ?? []).some(({ name }) => {
		const credential = credentials[name];
		if (!credential) return false;
		if (credential.authenticate !== undefined) return true;
		return (credential.extends ?? []).some((parent) => PROXY_AUTH_PARENTS.includes(parent));
	});
}

// ------------------------------------------------------------------------------------------ markdown

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
const code = (text) => `\`${text}\``;
const count = (n) => n.toLocaleString('en-US');
const plural = (n, word, words = `${word}s`) => `${count(n)} ${n === 1 ? word : words}`;
const normalized = (text) => String(text ?? '').toLowerCase().replace(/[.\s]+$/, '').trim();

function table(header, rows) {
	return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

function anchor(title) {
	return title
		.toLowerCase()
		.replace(/[^a-z0-9 -]/g, '')
		.replace(/ /g, '-');
}

/** The label the user reads for a credential type: the node's own label (Email Gateway's keys) or the credential's name. */
function credentialLabel(provider, name) {
	const withLabel = provider.operations.find((operation) => operation.credential === name && operation.credentialLabel);
	return withLabel ? withLabel.credentialLabel : (provider.credentials[name]?.displayName ?? name);
}

function requestOf(entry) {
	return `${code(`${entry.method} ${entry.path}`)}${entry.command ? ` ${code(entry.command)}` : ''}`;
}

/** Whether the node shows Return All / Limit for an operation (read from the node description). */
function showsReturnAll(description, resource, operation) {
	return description.properties.some(
		(property) =>
			property.name === 'returnAll' &&
			(property.displayOptions?.show?.resource ?? []).includes(resource) &&
			(property.displayOptions?.show?.operation ?? []).includes(operation),
	);
}

/** What a user should know about an operation beyond its request: the package's own, batching, paging, hints. */
function operationNotes(provider, definitions, option, resource) {
	const [definition] = definitions;
	const description = option.description ?? '';
	// A size the editor's description already states is not repeated.
	const says = (n) => description.includes(count(n)) || description.includes(String(n));
	const notes = [];
	if (definition.operation === CHECK_TRIGGER) notes.push("The package's own: compares the provider's webhook list with what the trigger registers (see [scale.md](scale.md#a-health-workflow))");
	if (definition.batch && !says(definition.batch.maxSize)) notes.push(`Batch: the items of a run go out ${count(definition.batch.maxSize)} per request`);
	if (showsReturnAll(provider.node, resource, option.value)) {
		const paging = definition.pagination;
		notes.push(paging && !says(paging.maxPageSize) ? `Return All / Limit; pages of ${count(paging.maxPageSize)} until the last` : 'Return All / Limit');
	}
	if (description && ![definition.title, option.action, option.name].some((text) => normalized(text) === normalized(description))) {
		notes.push(description.replace(/\.?$/, '.'));
	}
	return notes.join('. ').replace(/\.\./g, '.');
}

function retriedOf(definitions) {
	return definitions.every((definition) => definition.idempotent) ? 'yes' : 'no';
}

function resourceSection(provider, { resource, operations: options }, multiCredential) {
	const header = ['Operation', 'Action in the nodes panel', "Provider's title", 'Request', ...(multiCredential ? ['Credential'] : []), 'Retried¹', 'Notes'];
	const rows = options.map((option) => {
		const definitions = provider.operations.filter((operation) => operation.resource === resource.value && operation.operation === option.value);
		const entries = provider.catalog.filter((entry) => entry.resource === resource.value && entry.operation === option.value);
		const titles = [...new Set(entries.map((entry) => entry.title))].join(' / ');
		const requests = entries.map((entry) => `${multiCredential && entries.length > 1 ? `${credentialLabel(provider, entry.credential)}: ` : ''}${requestOf(entry)}`);
		const credentialCell = entries.map((entry) => credentialLabel(provider, entry.credential)).join(' or ');
		return [
			option.name,
			option.action ?? `${resource.name} ${startCase(option.name)}`,
			titles,
			requests.join('<br>'),
			...(multiCredential ? [credentialCell] : []),
			retriedOf(definitions),
			operationNotes(provider, definitions, option, resource.value),
		];
	});
	return [`### ${resource.name}`, '', plural(options.length, 'operation') + (resource.description ? `: ${resource.description.replace(/\.$/, '')}.` : '.'), '', table(header, rows)].join('\n');
}

function credentialSection(provider) {
	const names = (provider.node.credentials ?? []).map((credential) => credential.name);
	const rows = names.map((name) => {
		const credential = provider.credentials[name];
		const oauth = (credential.extends ?? []).some((parent) => PROXY_AUTH_PARENTS.includes(parent));
		const own = credential.properties.filter((property) => property.type !== 'hidden').map((property) => property.displayName);
		// An OAuth2 credential also shows the fields of n8n's own OAuth2 credential it extends.
		const fields = oauth ? [...own, 'Client ID', 'Client Secret'] : own;
		const request = credential.test?.request;
		const check = oauth
			? 'n8n does not test OAuth2 credentials: after **Connect** (or Save, with Client Credentials) it shows "Account connected"; run **Debug → Who Am I** to check'
			: request
				? `Saving it makes n8n test it: ${code(`${request.method ?? 'GET'} ${request.url}`)}${request.body?.Command ? ` ${code(request.body.Command)}` : ''}`
				: 'No test request';
		return [`**${credential.displayName}**${credentialLabel(provider, name) !== credential.displayName ? ` (${credentialLabel(provider, name)})` : ''}`, fields.join(', '), check];
	});
	const lines = ['## Credentials', '', table(['Credential', 'Fields', 'How to check it'], rows)];
	if (provider.node.properties.some((property) => property.name === 'authenticationNotice')) {
		lines.push(
			'',
			`The node's Credential dropdown lists credentials of ${names.length === 2 ? 'both' : 'all'} types, and the type of the one picked decides which key the node uses. ` +
				"Every operation is in its resource's Operation dropdown whichever is picked; where the picked credential's key does not serve it, the node shows a notice naming the credential that does, and running it fails with the same advice before any request.",
		);
	}
	return lines.join('\n');
}

function triggerSection(provider) {
	const trigger = provider.trigger;
	const actions = triggerActions(trigger);
	const lines = [`## ${trigger.displayName} events`, ''];
	if (actions.length === 1 && !actions[0].option) {
		lines.push(
			`It has no Events parameter, so the nodes panel lists one trigger action, "${actions[0].label}". Its parameters: ${trigger.properties.map((property) => property.displayName).join(', ')}.`,
		);
		return lines.join('\n');
	}
	lines.push(
		`${plural(actions.length, 'event')}, each a trigger action in the nodes panel:`,
		'',
		table(
			['Action in the nodes panel', 'Event (the Events option)', 'Meaning'],
			actions.map(({ label, option }) => [label, option.name, option.description ?? '']),
		),
	);
	return lines.join('\n');
}

function providerPage(provider) {
	const node = provider.node;
	const sections = panelActions(node);
	const total = sections.reduce((sum, section) => sum + section.operations.length, 0);
	const multiCredential = (node.credentials ?? []).length > 1;
	const customApiCall = hasCustomApiCall(node, provider.credentials);
	const lines = [
		`# ${node.displayName}: node, trigger and every operation`,
		'',
		`<!-- Generated by scripts/generate/docs.js (npm run generate:docs): the lists and counts from the built package, the text under "How ... behaves" from docs/notes/${provider.page}. Edit those, not this file. -->`,
		'',
		`${node.description}.`,
		'',
		`The ${node.displayName} node has **${plural(total, 'operation')}** in ${plural(sections.length, 'resource')}: the nodes panel lists them as ${plural(total, 'action')}, and the ${provider.trigger.displayName} adds ${plural(triggerActions(provider.trigger).length, 'trigger action')}.` +
			(customApiCall
				? ' n8n itself adds one more choice, **Custom API Call**, at the end of the Resource dropdown and of every Operation dropdown (not counted here): it is n8n\'s own, for nodes whose credential can sign other requests, and points to the HTTP Request node, which can call any endpoint of the API with this credential (Authentication: Predefined Credential Type).'
				: ''),
		'',
		'The same list is data: ' + code(`require('n8n-nodes-email-marketing').operations.${provider.key}`) + ` (${plural(provider.catalog.length, 'entry', 'entries')}, one per operation and credential: ${code('{ resource, operation, title, method, path, command?, credential }')}).`,
		'',
		table(
			['Resource', 'Operations'],
			sections.map(({ resource, operations }) => [`[${resource.name}](#${anchor(resource.name)})`, String(operations.length)]),
		),
		'',
		credentialSection(provider),
		'',
		pageNotes(provider).trimEnd(),
		'',
		'## Operations',
		'',
		'¹ Retried: whether the node sends the request again after a server error, a timeout or a dropped connection. ' +
			'"no" for calls that create or send, so nothing is sent twice. A 429 (or 503 with Retry-After) is waited out and resent for every operation: it proves the provider did not take the request.',
		'',
		...sections.flatMap((section) => [resourceSection(provider, section, multiCredential), '']),
		triggerSection(provider),
		'',
	];
	return lines.join('\n');
}

/** The hand-written part of a page: how the node and its trigger behave (docs/notes/<page>). */
function pageNotes(provider) {
	return readFileSync(join(DOCS, 'notes', provider.page), 'utf8').replace(/^<!--[^]*?-->\n+/, '');
}

/** The pages, by file name under docs/. */
function renderDocs(load, catalog) {
	return Object.fromEntries(readPackage(load, catalog).map((provider) => [provider.page, providerPage(provider)]));
}

/** Loads the built package from dist/ (the CLI's source). */
function fromDist() {
	if (!existsSync(join(ROOT, 'dist', 'nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` first (the docs are generated from the built package).');
	}
	const load = (relative) => require(join(ROOT, 'dist', relative));
	return { load, catalog: require(join(ROOT, 'index.js')).operations };
}

function main() {
	const { load, catalog } = fromDist();
	mkdirSync(DOCS, { recursive: true });
	for (const [page, text] of Object.entries(renderDocs(load, catalog))) {
		writeFileSync(join(DOCS, page), text);
		console.log(`docs/${page}`);
	}
}

module.exports = { renderDocs, PROVIDERS, DOCS, panelActions, triggerActions };

if (require.main === module) {
	try {
		main();
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}
