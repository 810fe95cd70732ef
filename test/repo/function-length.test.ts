/**
 * The shared core stays readable: no function in nodes/shared is 80 lines or longer (issue 18). Counted
 * from a function's first line to its last, comments inside included; nested functions count on their own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SHARED = join(ROOT, 'nodes', 'shared');
const LIMIT = 80;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Every function with a body in a file, with its length in lines. */
function functionLengths(file: string): Array<{ where: string; lines: number }> {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const found: Array<{ where: string; lines: number }> = [];
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
			const name = node.name ? node.name.getText(source) : '(anonymous)';
			found.push({ where: `${relative(ROOT, file)}:${first + 1} ${name}`, lines: last - first + 1 });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

it(`no function in nodes/shared has ${LIMIT} lines or more`, () => {
	const all = sourceFiles(SHARED).flatMap(functionLengths);
	expect(all.length).toBeGreaterThan(100);
	expect(all.filter((entry) => entry.lines >= LIMIT)).toEqual([]);
});
