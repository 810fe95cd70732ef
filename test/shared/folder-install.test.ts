/**
 * Installs from a folder: n8n also loads private nodes from `~/.n8n/custom` or `N8N_CUSTOM_EXTENSIONS`. Its
 * CustomDirectoryLoader (n8n-core) takes every `*.node.js` and `*.credentials.js` below the folder, whatever
 * package.json lists; n8n then adds a "<name>Tool" variant of every node that is usable as an AI tool
 * (LoadNodesAndCredentials in n8n's cli). This loads the built dist/ with n8n's own loader and lists the node
 * types a user would then see: exactly the package's 8 nodes and the 4 Tool variants of its action nodes, none
 * without a name (a versioned node's v1 file named `*.node.js` once added 8 nameless types and 4 "undefined Tool").
 * It needs a built package (`npm run build`; `npm test` builds before jest).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CustomDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';
import type { DirectoryLoader } from 'n8n-core';
import type { INodeTypeDescription } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'nodes'));

if (!built) {
	// eslint-disable-next-line no-console
	console.warn(`folder-install.test.ts SKIPPED: ${dist} is missing. Run \`npm run build\` first (npm test builds before jest).`);
}
const describeIfBuilt = built ? describe : describe.skip;

const ACTION_NODES = ['cleverReach', 'emailGateway', 'especial', 'smsBy'];
const TRIGGERS = ['cleverReachTrigger', 'emailGatewayTrigger', 'especialTrigger', 'smsByTrigger'];
const TOOLS = ACTION_NODES.map((name) => `${name}Tool`);

interface ListedType {
	name: string;
	displayName: string;
}

/**
 * What n8n lists after loading: each loaded description, plus for each one marked usableAsTool its Tool variant,
 * named as n8n names it (`<name>Tool`, display name `<displayName> Tool`).
 */
function listedTypes(loader: DirectoryLoader): ListedType[] {
	const loaded = loader.types.nodes as INodeTypeDescription[];
	const tools = loaded.filter((description) => description.usableAsTool);
	return [
		...loaded.map(({ name, displayName }) => ({ name, displayName })),
		...tools.map(({ name, displayName }) => ({ name: `${name}Tool`, displayName: `${displayName} Tool` })),
	];
}

async function loadFolder(): Promise<DirectoryLoader> {
	const loader = new CustomDirectoryLoader(dist);
	await loader.loadAll();
	return loader;
}

describeIfBuilt('dist/ loaded as a folder of custom nodes (N8N_CUSTOM_EXTENSIONS, ~/.n8n/custom)', () => {
	let folder: DirectoryLoader;

	beforeAll(async () => {
		folder = await loadFolder();
	});

	test('lists exactly the 12 real node types: 8 nodes and the Tool variants of the 4 action nodes', () => {
		const names = listedTypes(folder).map(({ name }) => name);
		expect([...names].sort()).toEqual([...ACTION_NODES, ...TRIGGERS, ...TOOLS].sort());
	});

	test('every listed type has a name and a display name (no "undefined Tool")', () => {
		for (const type of listedTypes(folder)) {
			expect(type.name).toMatch(/^[a-zA-Z]+$/);
			expect(type.displayName).toMatch(/^[A-Z]/);
			expect(type.displayName).not.toMatch(/undefined/);
		}
	});

	test('only the node files are taken: one *.node.js per node type, each a class named as its file', () => {
		const files = Object.entries(folder.known.nodes).map(([name, { className, sourcePath }]) => ({
			name,
			className,
			file: sourcePath.slice(dist.length + 1),
		}));
		expect(files).toHaveLength(8);
		for (const { className, file } of files) expect(file).toMatch(new RegExp(`^nodes/\\w+/${className}\\.node\\.js$`));
	});

	test('the same node types and credentials as the community-package install (package.json n8n.nodes)', async () => {
		const asPackage = new PackageDirectoryLoader(root);
		await asPackage.loadAll();
		const namesOf = (loader: DirectoryLoader) => listedTypes(loader).map(({ name }) => name).sort();
		const credentialsOf = (loader: DirectoryLoader) => loader.types.credentials.map(({ name }) => name).sort();
		expect(namesOf(folder)).toEqual(namesOf(asPackage));
		expect(credentialsOf(folder)).toEqual(credentialsOf(asPackage));
		expect(credentialsOf(folder)).toHaveLength(5);
	});
});
