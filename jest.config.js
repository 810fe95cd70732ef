/** Unit and engine tests. End-to-end tests against a real n8n run separately (test/e2e). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test', '<rootDir>/nodes'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/dist/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', esModuleInterop: true, target: 'es2022', experimentalDecorators: true } }],
	},
	setupFiles: ['<rootDir>/test/setup/quiet-n8n.js'],
	testTimeout: 30000,
};
