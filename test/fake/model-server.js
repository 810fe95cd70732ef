'use strict';
/**
 * A fake OpenAI-compatible chat model for the AI-agent end-to-end test: n8n's OpenAI Chat Model node with
 * "Use Responses API" off and its Base URL pointed here sends `POST <url>/v1/chat/completions` (the Chat
 * Completions API) and nothing else. What it answers is the test's script: `reply(body)` gets the request body
 * and returns either `{ content }` (a final answer) or `{ toolCalls: [{ name, arguments }] }` (the model calls
 * tools; `arguments` an object). Every request is recorded (`requests`: method, path, headers, parsed body).
 * A request with `stream: true` gets the same answer as server-sent events (chat.completion.chunk), as the API
 * streams it. Anything else is 404 with the API's error envelope.
 *
 *   const { startModelServer } = require('./test/fake/model-server.js');
 *   const model = await startModelServer({ reply: (body) => ({ content: 'hello' }) });
 *   model.url ('http://127.0.0.1:<port>/v1'), model.requests, model.setReply(fn), await model.close()
 *
 * Plain CommonJS, Node >= 20 built-ins only.
 */

const http = require('node:http');

function sendJson(res, status, payload) {
	const body = JSON.stringify(payload);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
	res.end(body);
}

const apiError = (message, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });

/** The assistant message the script's answer stands for, in the Chat Completions shape. */
function assistantMessage(answer, nextCallId) {
	if (answer.toolCalls && answer.toolCalls.length) {
		return {
			message: {
				role: 'assistant',
				content: null,
				tool_calls: answer.toolCalls.map((call) => ({
					id: nextCallId(),
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
				})),
			},
			finishReason: 'tool_calls',
		};
	}
	return { message: { role: 'assistant', content: String(answer.content ?? '') }, finishReason: 'stop' };
}

const USAGE = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

function completion(id, model, { message, finishReason }) {
	return {
		id,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
		usage: USAGE,
	};
}

/** The same answer as a stream: a role chunk, the content or each tool call, the finish reason, [DONE]. */
function streamChunks(id, model, { message, finishReason }, includeUsage) {
	const created = Math.floor(Date.now() / 1000);
	const chunk = (delta, finish = null) => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
	const chunks = [chunk({ role: 'assistant', content: message.tool_calls ? null : '' })];
	if (message.tool_calls) {
		message.tool_calls.forEach((call, index) => chunks.push(chunk({ tool_calls: [{ index, ...call }] })));
	} else {
		chunks.push(chunk({ content: message.content }));
	}
	chunks.push(chunk({}, finishReason));
	if (includeUsage) chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: USAGE });
	return chunks;
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
		req.on('error', reject);
	});
}

async function startModelServer({ reply = () => ({ content: 'OK' }), port = 0 } = {}) {
	const requests = [];
	let script = reply;
	let calls = 0;
	let completions = 0;
	const nextCallId = () => `call_${++calls}`;

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const text = await readBody(req);
		let body;
		try {
			body = text ? JSON.parse(text) : {};
		} catch {
			return sendJson(res, 400, apiError('We could not parse the JSON body of your request.'));
		}
		requests.push({ method: req.method, path: url.pathname, headers: req.headers, body });
		if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
			return sendJson(res, 404, apiError(`Unknown request URL: ${req.method} ${url.pathname}.`));
		}
		if (!Array.isArray(body.messages) || !body.messages.length) return sendJson(res, 400, apiError("'messages' is a required property"));
		const answer = assistantMessage(await script(body), nextCallId);
		const id = `chatcmpl-fake-${++completions}`;
		if (!body.stream) return sendJson(res, 200, completion(id, body.model, answer));
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		for (const chunk of streamChunks(id, body.model, answer, body.stream_options && body.stream_options.include_usage)) {
			res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		}
		res.end('data: [DONE]\n\n');
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => sendJson(res, 500, apiError(`fake model: ${error.message}`, 'server_error')));
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		setReply(fn) {
			script = fn;
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startModelServer };
