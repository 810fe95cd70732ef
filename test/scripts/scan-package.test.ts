/**
 * scripts/scan-package.mjs, n8n's package scanner as `npm test` runs it: on a small package with the two
 * findings this repository once had (a shipped credentials/*.credentials.d.ts file, a password field that
 * is not masked) it fails, names the rules, and prints which leg (tarball, source) failed. That the
 * repository itself passes is the scan step of `npm test`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '../../scripts/scan-package.mjs');

const CREDENTIAL_SOURCE = `import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class FixtureApi implements ICredentialType {
	name = 'fixtureApi';

	displayName = 'Fixture API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			default: '',
		},
	];
}
`;

let root: string;

function write(file: string, text: string) {
	fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
	fs.writeFileSync(path.join(root, file), text);
}

beforeAll(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-fixture-'));
	write(
		'package.json',
		JSON.stringify({
			name: 'n8n-nodes-scan-fixture',
			version: '0.0.1',
			description: 'A package the scanner must refuse',
			keywords: ['n8n-community-node-package'],
			license: 'MIT',
			author: { name: 'Fixture', email: 'fixture@example.com' },
			homepage: 'https://github.com/example/n8n-nodes-scan-fixture',
			repository: { type: 'git', url: 'git+https://github.com/example/n8n-nodes-scan-fixture.git' },
			peerDependencies: { 'n8n-workflow': '*' },
			files: ['dist'],
			n8n: { n8nNodesApiVersion: 1, credentials: ['dist/credentials/FixtureApi.credentials.js'], nodes: [] },
		}),
	);
	write('credentials/FixtureApi.credentials.ts', CREDENTIAL_SOURCE);
	write('dist/credentials/FixtureApi.credentials.js', 'class FixtureApi {}\nexports.FixtureApi = FixtureApi;\n');
	// What tsc's `declaration: true` wrote next to each compiled credential.
	write(
		'dist/credentials/FixtureApi.credentials.d.ts',
		"import type { ICredentialType, INodeProperties } from 'n8n-workflow';\nexport declare class FixtureApi implements ICredentialType {\n\tname: string;\n\tdisplayName: string;\n\tproperties: INodeProperties[];\n}\n",
	);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('a package with a shipped .d.ts credential file and an unmasked key fails both legs, naming the rules', () => {
	const result = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
	const output = `${result.stdout}${result.stderr}`;
	expect(result.status).toBe(1);
	expect(output).toMatch(/\[scan\] tarball n8n-nodes-scan-fixture-0\.0\.1\.tgz \(\d+ files\): FAILED/);
	expect(output).toContain('FixtureApi.credentials.d.ts');
	expect(output).toContain('cred-filename-against-convention');
	expect(output).toMatch(/\[scan\] source \(.*\): FAILED/);
	expect(output).toContain('credential-password-field');
}, 180_000);
