/**
 * The repository needs nothing outside itself: no file of the tests, scripts, bench or sources reads a
 * file by an absolute path (/work, /root, /home, /tmp/...) or by a relative path that climbs out of the
 * repository. Facts from elsewhere live in test/fixtures as data files.
 *
 * Only paths used as file paths count: string literals given to fs, path, require/import or
 * child_process calls, and literals that are plainly paths to files of this machine (/home/x, /work/y).
 * URL paths ('/api/v1/email', '/v3/groups') are not file paths and are left alone.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SCANNED = ['test', 'scripts', 'bench', 'nodes', 'credentials'];
const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** Roots of a machine's own folders: a literal starting with one names a file outside the repo. */
const MACHINE_ROOT = /^(?:\/(?:work|root|home|tmp|Users|var|opt|etc|mnt|srv)(?:\/|$)|[A-Za-z]:\\|~\/)/;

/** Calls whose string arguments are file paths. */
const FILE_CALL =
	/\b(join|resolve|readFileSync|readFile|writeFileSync|writeFile|existsSync|statSync|readdirSync|mkdirSync|rmSync|createReadStream|createWriteStream|copyFileSync|appendFileSync|openSync|require|import|spawn|spawnSync|execFile|execFileSync|fork|accessSync|access|readdir|stat|unlink|unlinkSync)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g;
const STRING = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g;

function trackedFiles(): string[] {
	const listed = execFileSync('git', ['ls-files', '-z', '--', ...SCANNED], { cwd: ROOT, encoding: 'utf8' });
	return listed.split('\0').filter((file) => SOURCE.test(file));
}

/** The string literals of a call's arguments, in order (the '..' steps and names of a join(__dirname, ...) call). */
function literals(args: string): string[] {
	return [...args.matchAll(STRING)].map((match) => match[2]).filter((text) => !text.includes('${'));
}

/**
 * Whether a call's relative path climbs out of the repo. require/import and paths built on a folder
 * (__dirname, a DIR variable) start at the file's folder; paths built on a ROOT-like variable, and bare
 * relative paths given to fs, start at the repo root (the cwd of npm scripts).
 */
function leavesRepo(file: string, callee: string, args: string): boolean {
	const parts = literals(args);
	if (!parts.some((part) => part.split(/[\\/]/).includes('..'))) return false;
	const startsWithLiteral = /^\s*['"`]/.test(args);
	// A folder variable named for the repo root (ROOT, REPO_DIR, repoRoot) stands for the root.
	const fromRoot = /^\s*(?:[\w.]*\.)?\w*(?:root|repo)\w*\s*,/i.test(args) || (startsWithLiteral && callee !== 'require' && callee !== 'import');
	const base = fromRoot ? ROOT : dirname(join(ROOT, file));
	const target = resolve(base, ...parts.filter((part) => !MACHINE_ROOT.test(part) && !part.startsWith('/')));
	return relative(ROOT, target).startsWith('..');
}

/** Problems of one file: each a line with the path literal that leaves the repo. */
function problems(file: string): string[] {
	const text = readFileSync(join(ROOT, file), 'utf8');
	const found: string[] = [];
	const lineOf = (index: number) => text.slice(0, index).split('\n').length;
	for (const call of text.matchAll(FILE_CALL)) {
		const [, callee, args] = call;
		const absolute = literals(args).find((part) => MACHINE_ROOT.test(part));
		if (absolute) found.push(`${file}:${lineOf(call.index!)}: absolute path "${absolute}"`);
		else if (leavesRepo(file, callee, args)) found.push(`${file}:${lineOf(call.index!)}: path out of the repo (${args.trim()})`);
	}
	// A machine path anywhere as a whole literal ('/work/shared/seeds/x.txt'), wherever it is used.
	for (const match of text.matchAll(STRING)) {
		const literal = match[2];
		if (/^(?:\/(?:work|root|home)\/|\/tmp\/[\w.-]+\/?)/.test(literal) && !found.some((line) => line.includes(literal))) {
			found.push(`${file}:${lineOf(match.index!)}: absolute path "${literal}"`);
		}
	}
	return found;
}

describe('the repository is self-contained', () => {
	const files = trackedFiles();

	it('scans the tracked sources of tests, scripts, bench, nodes and credentials', () => {
		expect(files.length).toBeGreaterThan(100);
		expect(files).toEqual(expect.arrayContaining(['test/cleverreach/description.test.ts', 'scripts/generate/especial.js']));
	});

	it('reads no file by an absolute path or a path above the repository root', () => {
		// This file's own probes (below) are the kinds of paths it refuses.
		const self = relative(ROOT, __filename).split('\\').join('/');
		expect(files.filter((file) => file !== self).flatMap(problems)).toEqual([]);
	});

	it('recognizes the kinds of paths it refuses (and leaves URL paths alone)', () => {
		const check = (file: string, code: string) =>
			[...code.matchAll(FILE_CALL)].filter(([, callee, args]) => literals(args).some((part) => MACHINE_ROOT.test(part)) || leavesRepo(file, callee, args));
		// The examples are cut in two so that no scan of this repository for such calls trips over them.
		expect(check('test/x/a.test.ts', "readFileSync(" + "'/work/shared/seeds/operations.json', 'utf8')")).toHaveLength(1);
		expect(check('scripts/generate/g.js', "join(__dirname, '..', '..', '..', " + "'shared', 'x.json')")).toHaveLength(1);
		expect(check('scripts/generate/g.js', "join(__dirname, '..', '..', 'test', 'fixtures')")).toHaveLength(0);
		expect(check('test/x/a.test.ts', "request('/api/v1/email')")).toHaveLength(0);
		expect(check('test/x/a.test.ts', "join(" + "'/v3/groups', id)")).toHaveLength(0);
		expect(check('test/x/a.test.ts', "require('../../scripts/n8n/n8n-env')")).toHaveLength(0);
		expect(check('scripts/generate/g.js', "join(ROOT, '..', " + "'shared', 'seeds', 'operations.json')")).toHaveLength(1);
		expect(check('scripts/generate/g.js', "join(ROOT, 'test', 'fixtures')")).toHaveLength(0);
		expect(check('test/x/a.test.ts', "require('../../../shared/x')")).toHaveLength(1);
		expect(check('test/x/a.test.ts', "readFileSync('../shared/" + "seeds/x.txt')")).toHaveLength(1);
	});
});
