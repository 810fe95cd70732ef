#!/usr/bin/env node
'use strict';
/**
 * The nodes as AI-agent tools in a REAL n8n 2.40.7, as a user builds an agent: Webhook → AI Agent
 * (@n8n/n8n-nodes-langchain.agent) with the OpenAI Chat Model ("Use Responses API" off, Base URL pointed at
 * the fake model of test/fake/model-server.js) and one Tool variant per provider, whose fields come from the
 * model through `$fromAI(...)`: Email Gateway Send Email, CleverReach Upsert Receiver, Especial Create Contact,
 * SMS.by Send Email. The package is loaded as users install it; n8n gets no extra setting.
 *
 *   npm run build && node test/e2e/agent-tools.e2e.js [--keep]   (--keep: keep the temp folder)
 *
 * The fake model answers with scripted tool calls. Checks:
 *   - the model is offered the four tools, each with the description n8n builds from our labels and the
 *     `$fromAI` keys as its parameters;
 *   - per provider: the model calls the tool → the provider fake gets exactly the request the call asked for,
 *     and the model's next request carries the provider's answer as the tool result;
 *   - per provider: the model calls the tool with a bad email → no request reaches the provider, the node's
 *     message ("... is not a valid email address") is the tool result in the model's next request, and the
 *     run does not fail;
 *   - streaming: through a Webhook that streams, the model is asked with `stream: true` and the answer with the
 *     tool's result streams back.
 * One n8n start, one webhook call per case. Another release: N8N_E2E_VERSION=<version> (`npm run test:versions` runs
 * it on 2.0.3 and 1.123.81 too: there n8n fails an agent's run on a tool node's error, so the node run as a tool
 * answers with its error itself, as 2.40.7 does). Prints one PASS/FAIL line per check; exit code 1 on any failure.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const n8n = require('../../scripts/n8n/n8n-env');
const egExamples = require('../../scripts/sandbox/examples');
const crExamples = require('../../scripts/sandbox/cleverreach-examples');
const esExamples = require('../../scripts/sandbox/especial-examples');
const sbExamples = require('../../scripts/sandbox/smsby-examples');
const { startEmailGatewayServer } = require('../fake/email-gateway-server');
const { startEspecialServer } = require('../fake/especial-server');
const { startSmsByServer } = require('../fake/smsby-server');
const { startModelServer } = require('../fake/model-server');

const KEEP = process.argv.includes('--keep');
const PKG_DIR = path.resolve(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-email-marketing';
const ACCOUNT_KEY = 'e2e-account-key';
const SMSBY_TOKEN = 'e2e-smsby-token';
const CR_TOKEN = { access_token: 'e2e-cleverreach-access-token', refresh_token: 'e2e-cleverreach-refresh-token', token_type: 'bearer', expires_in: 31536000 };
const OPENAI_CREDENTIAL = { id: 'AgentE2eOpenAi001', name: 'OpenAI (fake model)' };
const WEBHOOK_PATH = 'agent-tools-e2e';
const STREAM_PATH = 'agent-tools-e2e-stream';
const MODEL = 'gpt-fake-tools';
const BAD_EMAIL = 'not-an-email';

// ---------------------------------------------------------------------------
// reporting: one PASS/FAIL line per check; a failed `fatal` check ends the run

const { results, secs, Fatal, check, assert, cliOk } = require('./checks');

const short = (v, n = 300) => {
	const s = typeof v === 'string' ? v : String(JSON.stringify(v));
	return s.length > n ? `${s.slice(0, n)}...` : s;
};

// ---------------------------------------------------------------------------
// the agent workflow

const fromAI = (key, description) => `={{ $fromAI('${key}', '${description}', 'string') }}`;

/** One Tool variant per provider: what the model fills comes from $fromAI, the rest is fixed by the user. */
function toolNodes({ groupId }) {
	return [
		{
			name: 'Email Gateway Send Email',
			type: `${PACKAGE}.emailGatewayTool`,
			credentials: { emailGatewaySenderApi: { id: egExamples.IDS.senderCredential, name: egExamples.CREDENTIAL_NAMES.sender } },
			parameters: {
				authentication: 'emailGatewaySenderApi',
				resource: 'email',
				operation: 'send',
				fromEmail: 'sender@example.com',
				fromName: 'Example Sender',
				to: fromAI('to', 'The recipient email address'),
				subject: fromAI('subject', 'The subject line'),
				contentType: 'html',
				content: fromAI('content', 'The HTML body'),
				additionalFields: {},
			},
		},
		{
			name: 'CleverReach Upsert Receiver',
			type: `${PACKAGE}.cleverReachTool`,
			credentials: { cleverReachOAuth2Api: { id: crExamples.IDS.credential, name: crExamples.CREDENTIAL_NAME } },
			parameters: {
				resource: 'receiver',
				operation: 'upsert',
				groupId: { __rl: true, mode: 'id', value: String(groupId) },
				email: fromAI('email', 'The email address of the receiver'),
				additionalFields: { source: 'n8n agent' },
			},
		},
		{
			name: 'Especial Create Contact',
			type: `${PACKAGE}.especialTool`,
			credentials: { especialApi: { id: esExamples.IDS.credential, name: esExamples.CREDENTIAL_NAME } },
			parameters: {
				resource: 'contact',
				operation: 'create',
				listId: esExamples.LIST_ID,
				email: fromAI('email', 'The email address of the contact'),
				additionalFields: {},
			},
		},
		{
			name: 'SMS.by Send Email',
			type: `${PACKAGE}.smsByTool`,
			credentials: { smsByApi: { id: sbExamples.IDS.credential, name: sbExamples.CREDENTIAL_NAME } },
			parameters: {
				resource: 'email',
				operation: 'send',
				senderEmail: 'shop@example.com',
				senderName: 'Example Shop',
				email: fromAI('email', 'The recipient email address'),
				subject: fromAI('subject', 'The subject line'),
				message: fromAI('message', 'The HTML body'),
				additionalFields: {},
			},
		},
	].map((node, index) => ({ id: `a9e70000-0000-4000-8000-00000000001${index}`, typeVersion: 1, position: [400 + 200 * index, 300], ...node }));
}

function agentWorkflow({ modelUrl, groupId }) {
	const tools = toolNodes({ groupId });
	const toAgent = (type) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		name: 'e2e: AI Agent with the four providers as tools',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a9e70000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a9e70000-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'a9e70000-0000-4000-8000-000000000004',
				name: 'Webhook (streaming)',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 200],
				webhookId: 'a9e70000-0000-4000-8000-0000000000bb',
				parameters: { httpMethod: 'POST', path: STREAM_PATH, responseMode: 'streaming', options: {} },
			},
			{
				id: 'a9e70000-0000-4000-8000-000000000002',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3, // 3.1 exists from n8n 2.x's later releases on; 3 in every release since 1.x's last
				position: [240, 0],
				parameters: { promptType: 'define', text: '={{ $json.body.prompt }}', options: { systemMessage: 'You send emails and keep contact lists with the tools you have.' } },
			},
			{
				id: 'a9e70000-0000-4000-8000-000000000003',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [200, 300],
				parameters: { model: { __rl: true, mode: 'id', value: MODEL }, responsesApiEnabled: false, options: { baseURL: modelUrl } },
				credentials: { openAiApi: OPENAI_CREDENTIAL },
			},
			...tools,
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Webhook (streaming)': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': toAgent('ai_languageModel'),
			...Object.fromEntries(tools.map((tool) => [tool.name, toAgent('ai_tool')])),
		},
	};
}

// ---------------------------------------------------------------------------
// the model's script: call the tool the case names with the case's arguments, then answer with the tool's result

const toolName = (nodeName) => nodeName.replace(/[^a-zA-Z0-9_-]/g, '_');
const textOf = (content) => (Array.isArray(content) ? content.map((part) => part.text ?? '').join('') : String(content ?? ''));

/** The first request calls the tool; once a tool result is back, the model answers with it. */
function scriptFor(testCase) {
	return (body) => {
		const last = body.messages[body.messages.length - 1];
		if (last.role === 'tool') return { content: `Done. The tool said: ${textOf(last.content)}` };
		return { toolCalls: [{ name: toolName(testCase.tool), arguments: testCase.arguments }] };
	};
}

/** The model requests one webhook call caused: the tool call, and the request that carries its result. */
function exchange(requests) {
	assert(requests.length === 2, `the model got ${requests.length} requests (want the tool call and the answer): ${short(requests.map((r) => r.body.messages.map((m) => m.role)))}`);
	const [first, second] = requests.map((request) => request.body);
	const toolMessages = second.messages.filter((message) => message.role === 'tool');
	assert(toolMessages.length === 1, `${toolMessages.length} tool messages in the second request`);
	const call = second.messages.find((message) => message.role === 'assistant' && message.tool_calls);
	assert(call && call.tool_calls[0].id === toolMessages[0].tool_call_id, 'the tool result answers the call');
	return { first, second, toolResult: textOf(toolMessages[0].content) };
}

// ---------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-agent-'));
	const userFolder = path.join(tmp, 'user');
	const log = (m) => console.log(`  ${m}`);
	const model = await startModelServer();
	const eg = await startEmailGatewayServer({ accountApiKey: ACCOUNT_KEY });
	const { fake: cr, groupId } = await crExamples.startFake({ presetTokens: [CR_TOKEN] });
	const es = await startEspecialServer({ username: esExamples.USERNAME, password: esExamples.PASSWORD });
	esExamples.seedFake(es);
	const sb = await startSmsByServer({ token: SMSBY_TOKEN });
	let instance;
	console.log(`agent-tools e2e: package ${PKG_DIR}, temp ${tmp}, fake model ${model.url}`);

	try {
		await check(
			'package is built (dist/ present)',
			async () => assert(fs.existsSync(path.join(PKG_DIR, 'dist', 'nodes', 'SmsBy', 'SmsBy.node.js')), 'dist/ missing: run `npm run build` first'),
			{ fatal: true },
		);

		await check(`ensureN8n (n8n ${n8n.N8N_VERSION} + Node 24)`, async () => (await n8n.ensureN8n({ log })).dir, { fatal: true });

		await check(
			'import:credentials (OpenAI pointed at the fake model + one per provider)',
			async () => {
				const credentials = [
					{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-fake-e2e', url: model.url } },
					...egExamples.credentials({ baseUrl: eg.url, accountApiKey: ACCOUNT_KEY, senderApiKey: eg.senderKeyFor(egExamples.DOMAIN_ID) }),
					...crExamples.credentials({ restUrl: cr.url, oauthTokenData: CR_TOKEN }),
					...esExamples.credentials({ baseUrl: es.url }),
					...sbExamples.credentials({ baseUrl: sb.url, token: SMSBY_TOKEN }),
				];
				const credFile = path.join(tmp, 'credentials.json');
				fs.writeFileSync(credFile, JSON.stringify(credentials, null, 2));
				const a = cliOk(await n8n.runCli(['import:credentials', `--input=${credFile}`], { userFolder }), 'import:credentials');
				return `${credentials.length} credentials ${secs(a.ms)}`;
			},
			{ fatal: true },
		);

		await check(
			'n8n start with the package; owner, API key; the agent workflow created (public API) and activated',
			async () => {
				instance = await n8n.startN8n({ userFolder, packages: [PKG_DIR], log });
				const cookie = await n8n.ownerSession(instance.url);
				const apiKey = await n8n.createApiKey(instance.url, cookie);
				// Created through the API rather than imported: it saves the version n8n activates, in every release.
				const { id } = await n8n.api(instance.url, apiKey, 'POST', '/workflows', agentWorkflow({ modelUrl: model.url, groupId }));
				await n8n.activateWorkflow(instance.url, apiKey, cookie, id);
				instance.apiKey = apiKey;
				instance.workflowId = id;
				return `${instance.url}, startup ${secs(instance.startupMs)}`;
			},
			{ fatal: true },
		);

		/** POSTs the case's prompt to the agent's webhook; returns n8n's answer and the model requests it caused. */
		async function runCase(testCase, webhookPath = WEBHOOK_PATH) {
			model.setReply(scriptFor(testCase));
			const before = model.requests.length;
			const res = await n8n.request(`${instance.url}/webhook/${webhookPath}`, { method: 'POST', body: { prompt: testCase.prompt } });
			assert(res.status === 200, `webhook answered ${res.status}: ${short(res.text, 1500)}`);
			return { res, ...exchange(model.requests.slice(before)) };
		}

		const cases = [
			{
				tool: 'Email Gateway Send Email',
				prompt: 'Email jane@example.org that her order shipped.',
				arguments: { to: 'jane@example.org', subject: 'Your order shipped', content: '<p>It is on its way.</p>' },
				provider: () => eg.requests.filter((q) => q.path === '/api/v1/email'),
				sent(requests) {
					assert(requests.length === 1, `${requests.length} sends`);
					const { body, headers } = requests[0];
					assert(headers.authorization === `Bearer ${eg.senderKeyFor(egExamples.DOMAIN_ID)}`, `Authorization ${headers.authorization}`);
					assert(body.To && JSON.stringify(body.To).includes('jane@example.org'), `To ${short(body.To)}`);
					// Octeth's docs name the HTML field HTMLContent and HtmlContent; the node sends HTMLContent first.
					assert(body.Subject === 'Your order shipped' && /on its way/.test(body.HTMLContent), `body ${short(body)}`);
					assert(body.From && body.From.email === 'sender@example.com', `From ${short(body.From)}`);
				},
				answer: () => eg.state.sentEmails.at(-1).messageId,
			},
			{
				tool: 'CleverReach Upsert Receiver',
				prompt: 'Add ann@example.org to the newsletter.',
				arguments: { email: 'ann@example.org' },
				provider: () => cr.requests.filter((q) => q.path === `/v3/groups/${groupId}/receivers/upsert`),
				sent(requests) {
					assert(requests.length === 1, `${requests.length} upserts`);
					const { body, headers } = requests[0];
					assert(headers.authorization === `Bearer ${CR_TOKEN.access_token}`, `Authorization ${headers.authorization}`);
					const rows = Array.isArray(body) ? body : [body];
					assert(rows.length === 1 && rows[0].email === 'ann@example.org' && rows[0].source === 'n8n agent', `body ${short(body)}`);
				},
				answer: () => 'ann@example.org',
			},
			{
				tool: 'Especial Create Contact',
				prompt: 'Put bob@example.org on the newsletter list.',
				arguments: { email: 'bob@example.org' },
				provider: () => es.requests.filter((q) => q.method === 'POST' && q.path === `/lists/${esExamples.LIST_ID}/contacts`),
				sent(requests) {
					assert(requests.length === 1, `${requests.length} creates`);
					assert(requests[0].body.email === 'bob@example.org', `body ${short(requests[0].body)}`);
					assert(/^Bearer /.test(requests[0].headers.authorization || ''), 'a bearer token');
				},
				answer: () => 'bob@example.org',
			},
			{
				tool: 'SMS.by Send Email',
				prompt: 'Write cid@example.org that the shop opens at 9.',
				arguments: { email: 'cid@example.org', subject: 'Opening hours', message: '<p>We open at 9.</p>' },
				provider: () => sb.requests.filter((q) => q.path === '/api/v2/sendEmail'),
				sent(requests) {
					assert(requests.length === 1, `${requests.length} sends`);
					const { body } = requests[0];
					assert(body.email === 'cid@example.org' && body.subject === 'Opening hours' && body.sender_email === 'shop@example.com', `body ${short(body)}`);
					assert(body.token === SMSBY_TOKEN, 'the token form field');
				},
				answer: () => `"email_id":${sb.state.letters.at(-1).email_id}`,
			},
		];

		await check('the model is offered the four tools with the descriptions n8n builds from our labels and the $fromAI keys', async () => {
			const { first } = await runCase({ tool: 'SMS.by Send Email', prompt: 'Say hello to dee@example.org.', arguments: { email: 'dee@example.org', subject: 'Hello', message: '<p>Hello</p>' } });
			const offered = Object.fromEntries((first.tools || []).map((tool) => [tool.function.name, tool.function]));
			const want = {
				Email_Gateway_Send_Email: ['Send an email in Email Gateway', ['content', 'subject', 'to']],
				CleverReach_Upsert_Receiver: ['Create or update receivers in CleverReach', ['email']],
				Especial_Create_Contact: ['Add a contact in Especial', ['email']],
				SMS_by_Send_Email: ['Send an email in SMS.by', ['email', 'message', 'subject']],
			};
			assert(JSON.stringify(Object.keys(offered).sort()) === JSON.stringify(Object.keys(want).sort()), `tools ${Object.keys(offered)}`);
			for (const [name, [description, keys]] of Object.entries(want)) {
				assert(offered[name].description === description, `${name}: description "${offered[name].description}"`);
				const properties = Object.keys(offered[name].parameters.properties).sort();
				assert(JSON.stringify(properties) === JSON.stringify(keys), `${name}: parameters ${properties}`);
			}
			assert(first.model === MODEL, `model ${first.model}`);
			return Object.entries(offered).map(([name, f]) => `${name}: "${f.description}"`).join('; ');
		});

		for (const testCase of cases) {
			await check(`${testCase.tool}: the provider gets the request the tool call asked for, the model gets its answer`, async () => {
				const before = testCase.provider().length;
				const { res, toolResult } = await runCase(testCase);
				testCase.sent(testCase.provider().slice(before));
				const answer = testCase.answer();
				assert(toolResult.includes(answer), `tool result ${short(toolResult, 800)} lacks ${answer}`);
				assert(textOf(res.json && res.json.output).includes(answer), `agent output ${short(res.text)}`);
				return `tool result ${short(toolResult, 160)}`;
			});
		}

		for (const testCase of cases) {
			await check(`${testCase.tool}: a bad email from the model comes back as the node's message, nothing reaches the provider, the run succeeds`, async () => {
				const badKey = Object.keys(testCase.arguments).find((key) => key === 'to' || key === 'email');
				const before = testCase.provider().length;
				const { res, toolResult } = await runCase({ ...testCase, arguments: { ...testCase.arguments, [badKey]: BAD_EMAIL } });
				assert(testCase.provider().length === before, `${testCase.provider().length - before} requests reached the provider`);
				// n8n hands the model the node's error as the tool's JSON result: [{ "error": "<the node's message>" }].
				const [result] = JSON.parse(toolResult);
				const said = new RegExp(`^[A-Z][A-Za-z ]+: "${BAD_EMAIL}" is not a valid email address \\(item 1\\)$`);
				assert(result && said.test(result.error), `tool result ${short(toolResult, 800)}`);
				assert(textOf(res.json && res.json.output).includes('is not a valid email address'), `agent output ${short(res.text)}`);
				const [latest] = await n8n.listExecutions(instance.url, instance.apiKey, instance.workflowId);
				assert(latest && latest.status === 'success', `latest execution ${latest && latest.id}: ${latest && latest.status}`);
				return `tool result ${short(toolResult, 200)}`;
			});
		}

		await check('streaming: through a Webhook that streams, the model is asked to stream, the tool runs, its answer streams back', async () => {
			const testCase = cases[3];
			const before = testCase.provider().length;
			const { res, first, toolResult } = await runCase(testCase, STREAM_PATH);
			assert(first.stream === true, `the model was asked with stream ${first.stream}`);
			testCase.sent(testCase.provider().slice(before));
			// n8n streams one JSON object per line: begin, the items (text chunks), end.
			const chunks = res.text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
			const streamed = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content).join('');
			assert(streamed.includes(testCase.answer()) && toolResult.includes(testCase.answer()), `streamed ${short(res.text, 800)}`);
			return `${chunks.length} chunks (${[...new Set(chunks.map((chunk) => chunk.type))].join(', ')})`;
		});
	} catch (e) {
		if (!(e instanceof Fatal)) {
			results.push({ name: 'unexpected error', ok: false });
			console.log(`FAIL unexpected error: ${e && e.stack ? e.stack : e}`);
		}
	} finally {
		if (instance) await instance.stop();
		await Promise.all([model.close(), eg.close(), cr.close(), es.close(), sb.close()]);
		const failed = results.filter((r) => !r.ok).length;
		if (KEEP || failed) console.log(`  temp folder kept: ${tmp}${instance ? ` (n8n log: ${instance.logFile})` : ''}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
		console.log(`  agent-tools e2e: ${results.length - failed} passed, ${failed} failed in ${secs(Date.now() - t0)}`);
		process.exitCode = failed ? 1 : 0;
	}
}

main().catch((e) => {
	console.log(`FAIL agent-tools e2e crashed: ${e && e.stack ? e.stack : e}`);
	process.exitCode = 1;
});
