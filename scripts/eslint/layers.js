// Local ESLint rules that keep nodes/ layered (see docs/architecture.md):
// - layers/downward-imports: a file of nodes/shared imports only from its own folder or from a lower layer,
//   and never from a provider folder.
// - layers/no-cycles: no file of nodes/ reaches itself through its relative imports (type-only ones too).
const fs = require('node:fs');
const path = require('node:path');

/** The layers of nodes/shared, lowest first: a folder may import from the folders before it. */
const LAYERS = [['util'], ['model'], ['http', 'input'], ['description'], ['execution', 'trigger']];

const rankOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((folder) => [folder, rank])));
const SHARED = `${path.sep}nodes${path.sep}shared${path.sep}`;

/** The folder of nodes/shared a file is in ('util', 'http', ...), or undefined outside nodes/shared. */
function sharedFolderOf(file) {
	const at = file.lastIndexOf(SHARED);
	if (at === -1) return undefined;
	const rest = file.slice(at + SHARED.length).split(path.sep);
	return rest.length > 1 ? rest[0] : '';
}

function resolveImport(fromFile, specifier) {
	const base = path.resolve(path.dirname(fromFile), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	return undefined;
}

const downwardImports = {
	meta: { type: 'problem', docs: { description: 'nodes/shared imports only downward' }, schema: [] },
	create(context) {
		const file = context.filename;
		const folder = sharedFolderOf(file);
		if (folder === undefined) return {};
		const check = (node) => {
			const specifier = node.source?.value;
			if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
			const target = resolveImport(file, specifier) ?? path.resolve(path.dirname(file), specifier);
			const targetFolder = sharedFolderOf(target);
			if (targetFolder === undefined) {
				context.report({ node: node.source, message: `nodes/shared must not import from outside it ('${specifier}'): providers build on the core, not the other way round.` });
			} else if (targetFolder !== folder && !(rankOf.get(targetFolder) < rankOf.get(folder))) {
				context.report({
					node: node.source,
					message: `'${folder || 'nodes/shared'}' must not import from '${targetFolder || 'nodes/shared'}' ('${specifier}'): layers import downward only (${LAYERS.map((l) => l.join('|')).join(' < ')}).`,
				});
			}
		};
		return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
	},
};

const IMPORT_PATTERN = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g;
const importsCache = new Map();

/** The files a file imports relatively, read from disk (so a cycle through files not being linted is seen too). */
function importsOf(file) {
	// A file being written (the generator lints its output before saving it) has no imports on disk yet.
	if (!fs.existsSync(file)) return [];
	const stamp = fs.statSync(file).mtimeMs;
	const cached = importsCache.get(file);
	if (cached?.stamp === stamp) return cached.imports;
	const text = fs.readFileSync(file, 'utf8');
	const imports = [...text.matchAll(IMPORT_PATTERN)].map((match) => resolveImport(file, match[1] ?? match[2])).filter(Boolean);
	importsCache.set(file, { stamp, imports });
	return imports;
}

/** A path of imports from `start` back to `start`, or undefined. */
function cycleFrom(start) {
	const seen = new Set();
	const walk = (file, trail) => {
		for (const next of importsOf(file)) {
			if (next === start) return [...trail, next];
			if (seen.has(next)) continue;
			seen.add(next);
			const found = walk(next, [...trail, next]);
			if (found) return found;
		}
		return undefined;
	};
	return walk(start, [start]);
}

const noCycles = {
	meta: { type: 'problem', docs: { description: 'no import cycles in nodes/' }, schema: [] },
	create(context) {
		return {
			'Program:exit'(program) {
				const cycle = cycleFrom(context.filename);
				if (!cycle) return;
				const root = context.cwd ?? process.cwd();
				const chain = cycle.map((file) => path.relative(root, file)).join(' → ');
				context.report({ node: program, message: `Import cycle: ${chain}. Move what both sides need into a lower module.` });
			},
		};
	},
};

module.exports = { LAYERS, rules: { 'downward-imports': downwardImports, 'no-cycles': noCycles } };
