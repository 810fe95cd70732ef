// Both rule sets n8n applies to community packages: eslint-plugin-n8n-nodes-base's community configs
// (package.json, credentials, nodes) and @n8n/eslint-plugin-community-nodes' recommended rules.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import layers from './scripts/eslint/layers.js';

const base = n8nNodesBase.configs;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'bench/**', '*.js', '*.mjs', 'coverage/**'] },
	// n8n's package scanner (scripts/scan-package.mjs) ignores eslint-disable comments: so does this lint.
	{ files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'], linterOptions: { noInlineConfig: true } },
	{
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: base.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.credentials.rules,
			// The documentation URL is a full https address (required by @n8n/community-nodes), not an n8n docs slug.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.nodes.rules,
			// These two predate NodeConnectionTypes and ask for the string 'main'; n8n's own nodes now use NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		...communityNodes.configs.recommended,
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
	},
	// The core's layers import downward only, and nothing in nodes/ imports in a circle (docs/architecture.md).
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { layers },
		rules: { 'layers/downward-imports': 'error', 'layers/no-cycles': 'error' },
	},
];
