#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a local n8n sandbox with this package loaded and a fake Email Gateway and a fake SMS.by
 * (scripts/sandbox/smsby-sandbox.js: its credential, example workflows and POST <control>/smsby/advance) and a fake
 * Especial (scripts/sandbox/especial-sandbox.js: its credential, example workflows and POST <control>/especial/fire) and a fake
 * CleverReach (scripts/sandbox/cleverreach-sandbox.js: a connected credential, example workflows and POST <control>/cleverreach/fire) to talk to.
 * <control> is the sandbox's control server (http://127.0.0.1:5681 unless taken; the banner lists every port).
 *
 *   npm start [-- --no-build] [-- --port 5678] [-- --reset] [-- --restore-examples]
 *       builds the package (`npm run build`; --no-build skips it when dist/ exists), installs n8n 2.40.7 + Node 24 into
 *       the cache if needed, starts the fake servers and n8n
 *       (user folder .sandbox/ in the repo, kept between runs; --reset wipes it first), sets up the owner,
 *       imports the example credentials and workflows (scripts/sandbox/*examples.js) when they are missing,
 *       publishes the example triggers the first time, prints the URLs and runs until Ctrl-C.
 *       --restore-examples puts every example workflow back as shipped (edits to them are lost) and publishes
 *       the example triggers again; credentials and your own workflows are left alone.
 *   npm start -- fire <event> [--email a@b.c] [--message-id id] [--domain 123] [--style S]
 *       makes the running sandbox's fake Email Gateway deliver a signed webhook for <event>
 *       (delivered|bounced|opened|clicked|unsubscribed|complained, or bounce/open/...) to every webhook
 *       registered for it. S: header (default), mailgun, unsigned, bad-signature.
 *
 * A second run reuses .sandbox/ (same owner, credentials, workflows, their active state, and the same
 * ports when free). Credentials are re-imported only when missing or when the fake's URL changed;
 * workflows only when missing (or with --restore-examples), so edits made in the editor are kept.
 *
 * Every fire endpoint of the control server answers in one shape:
 *   200 {"deliveries": [{"url": "<the webhook>", "status": <its HTTP status>, "body": "<its answer>"}]}
 * (an "error" instead of status/body when the webhook could not be reached).
 */

const fs = require('fs');
const net = require('net');
const http = require('http');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const SANDBOX = path.join(ROOT, '.sandbox');
const STATE_FILE = path.join(SANDBOX, 'sandbox.json');
const PID_FILE = path.join(SANDBOX, 'start.pid');
const ACCOUNT_API_KEY = 'sandbox-account-key';
const OWNER = { email: 'sandbox@example.com', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Passw0rd' };
const DEFAULT_PORTS = { n8n: 5678, fake: 5680, control: 5681, smsBy: 5682, especial: 5683, cleverReach: 5684 };

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
function option(name) {
	const i = args.indexOf(name);
	return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
}

const readJson = (f) => {
	try {
		return JSON.parse(fs.readFileSync(f, 'utf8'));
	} catch {
		return undefined;
	}
};
const writeJson = (f, v) => fs.writeFileSync(f, `${JSON.stringify(v, null, 2)}\n`);
const say = (m = '') => console.log(m);
const step = (m) => console.log(`[sandbox] ${m}`);

const { pidAlive } = require('./n8n/n8n-env');

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function pickPort(...candidates) {
	for (const p of candidates) if (p && (await portFree(Number(p)))) return Number(p);
	return 0; // any free port
}

function postJson(url, body) {
	return new Promise((resolve, reject) => {
		const payload = JSON.stringify(body);
		const req = http.request(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: 30_000 },
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let json;
					try {
						json = JSON.parse(text);
					} catch {}
					resolve({ status: res.statusCode, json, text });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(payload);
	});
}

/**
 * The one answer of every fire endpoint: each delivery's webhook URL, the HTTP status it answered and its
 * answer text, or the error when it could not be reached.
 */
function deliveriesAnswer(results) {
	return { deliveries: results.map(({ url, status, body, error }) => (error ? { url, error: String(error) } : { url, status, body })) };
}

// ---------------------------------------------------------------------------
// `fire` subcommand: ask the running sandbox to deliver a webhook

async function fireCommand() {
	const event = args[1];
	if (!event || event.startsWith('--')) {
		console.error('usage: npm start -- fire <delivered|bounced|opened|clicked|unsubscribed|complained> [--email a@b.c] [--message-id id] [--domain 123] [--style header|mailgun|unsigned|bad-signature]');
		process.exit(2);
	}
	const state = readJson(STATE_FILE);
	const pid = Number((fs.existsSync(PID_FILE) && fs.readFileSync(PID_FILE, 'utf8').trim()) || 0);
	if (!state || !state.controlUrl || !pidAlive(pid)) {
		console.error('The sandbox is not running: start it with `npm start` first.');
		process.exit(1);
	}
	const body = {
		event,
		domainId: option('--domain') || '123',
		email: option('--email'),
		messageId: option('--message-id'),
		style: option('--style'),
	};
	const res = await postJson(`${state.controlUrl}/fire`, body);
	if (res.status !== 200) {
		console.error(`fire failed (${res.status}): ${res.text}`);
		process.exit(1);
	}
	const deliveries = res.json.deliveries;
	if (!deliveries.length) {
		console.log(
			`No webhook is registered for "${event}" on domain ${body.domainId}. Publish (activate) a workflow with an Email Gateway Trigger listening for it, e.g. ${state.n8nUrl}/workflow/${require('./sandbox/examples').IDS.triggerWorkflow} (bounced, opened).`,
		);
		process.exit(1);
	}
	for (const d of deliveries) console.log(`${d.status || d.error} ← POST ${d.url}${d.body ? `  ${d.body.slice(0, 200)}` : ''}`);
	console.log(`Executions: ${state.n8nUrl}/home/executions`);
	process.exit(deliveries.every((d) => d.status >= 200 && d.status < 300) ? 0 : 1);
}

// ---------------------------------------------------------------------------
// the sandbox

async function main() {
	if (args[0] === 'fire') return fireCommand();
	if (flag('--help') || flag('-h')) {
		const lines = fs.readFileSync(__filename, 'utf8').split('\n');
		console.log(lines.slice(3, lines.indexOf(' */')).map((line) => line.replace(/^ \* ?/, '')).join('\n'));
		return;
	}

	const oldPid = Number((fs.existsSync(PID_FILE) && fs.readFileSync(PID_FILE, 'utf8').trim()) || 0);
	if (oldPid && oldPid !== process.pid && pidAlive(oldPid)) {
		const st = readJson(STATE_FILE) || {};
		console.error(`The sandbox is already running (pid ${oldPid}) at ${st.n8nUrl || '?'}. Stop it with Ctrl-C there first.`);
		process.exit(1);
	}
	const restoring = flag('--restore-examples');
	if (flag('--reset')) {
		step(`--reset: removing ${SANDBOX}`);
		fs.rmSync(SANDBOX, { recursive: true, force: true });
	}

	const built = fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'EmailGateway', 'EmailGateway.node.js'));
	if (!flag('--no-build') || !built) {
		step(flag('--no-build') ? 'dist/ is missing, so building anyway: npm run build' : 'building the package: npm run build');
		const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
		if (r.status !== 0) {
			console.error(`[sandbox] build failed; fix it${built ? ' or start with --no-build to use the current dist/' : ''}`);
			process.exit(1);
		}
	}

	const n8n = require('./n8n/n8n-env');
	const examples = require('./sandbox/examples');
	const { startEmailGatewayServer } = require('../test/fake/email-gateway-server');
	const { startSmsBySandbox } = require('./sandbox/smsby-sandbox');
	const { startEspecialSandbox } = require('./sandbox/especial-sandbox');
	const { startCleverReachSandbox } = require('./sandbox/cleverreach-sandbox');

	if (n8n.isInstalled()) step(`n8n ${n8n.N8N_VERSION} + Node 24: installed in ${n8n.cacheDir()}`);
	else step(`n8n ${n8n.N8N_VERSION} + Node 24 are not in ${n8n.cacheDir()} yet: installing them (once, about 5 minutes)`);
	await n8n.ensureN8n({ log: (m) => step(m) });

	fs.mkdirSync(SANDBOX, { recursive: true });
	fs.writeFileSync(PID_FILE, String(process.pid));
	const previous = readJson(STATE_FILE) || {};
	const firstRun = !fs.existsSync(path.join(SANDBOX, '.n8n', 'database.sqlite'));
	const ports = previous.ports || {};

	// ------------------------------------------------------------- fake Email Gateway + control endpoint
	const fake = await startEmailGatewayServer({
		accountApiKey: ACCOUNT_API_KEY,
		port: await pickPort(ports.fake, DEFAULT_PORTS.fake),
		recordRequests: true,
	});
	const senderKey = fake.senderKeyFor(examples.DOMAIN_ID);
	step(`fake Email Gateway on ${fake.url}`);
	const smsBy = await startSmsBySandbox({ port: await pickPort(ports.smsBy, DEFAULT_PORTS.smsBy), log: (m) => console.log(m) });
	step(`fake SMS.by on ${smsBy.url}`);
	const especial = await startEspecialSandbox({ port: await pickPort(ports.especial, DEFAULT_PORTS.especial), log: (m) => console.log(m) });
	step(`fake Especial on ${especial.url}`);
	const cleverReach = await startCleverReachSandbox({ port: await pickPort(ports.cleverReach, DEFAULT_PORTS.cleverReach), log: (m) => console.log(m) });
	step(`fake CleverReach on ${cleverReach.url}`);
	// Show what n8n sends to the fake, one line per request.
	const requestLog = setInterval(() => {
		for (const q of fake.requests.splice(0)) {
			const what = q.command || `${q.path}`;
			console.log(`[fake]  ${q.method} ${q.path}${q.command ? ` ${what}` : ''}`);
		}
	}, 300);

	const control = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', async () => {
			const send = (status, obj) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(obj));
			};
			try {
				if (req.method === 'POST' && req.url.split('?')[0] === '/smsby/advance') return send(200, { recipients: smsBy.advance(body ? JSON.parse(body) : {}) });
				if (req.method === 'POST' && req.url.split('?')[0] === '/especial/fire') return send(200, deliveriesAnswer(await especial.fire(body ? JSON.parse(body) : {})));
				if (req.method === 'POST' && req.url.split('?')[0] === '/cleverreach/fire') return send(200, deliveriesAnswer(await cleverReach.fire(body ? JSON.parse(body) : {})));
				if (req.method !== 'POST' || req.url.split('?')[0] !== '/fire') return send(404, { error: 'POST /fire {event, email?, messageId?, domainId?, style?}' });
				const q = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
				const p = { ...q, ...(body ? JSON.parse(body) : {}) };
				if (!p.event) return send(400, { error: 'event is required' });
				const opts = {};
				for (const k of ['email', 'messageId', 'style']) if (p[k]) opts[k] = p[k];
				const answer = deliveriesAnswer(await fake.fire(String(p.domainId || examples.DOMAIN_ID), String(p.event), opts));
				for (const d of answer.deliveries) console.log(`[fake]  webhook ${p.event} → ${d.url}: ${d.status || d.error}`);
				if (!answer.deliveries.length) console.log(`[fake]  fire ${p.event}: no webhook registered for it`);
				send(200, answer);
			} catch (e) {
				send(400, { error: String(e.message || e) });
			}
		});
	});
	await new Promise((resolve, reject) => {
		control.once('error', reject);
		pickPort(ports.control, DEFAULT_PORTS.control).then((p) => control.listen(p, '127.0.0.1', resolve));
	});
	const controlUrl = `http://127.0.0.1:${control.address().port}`;

	// ------------------------------------------------------------- credentials that must exist before n8n starts
	const credentials = [...examples.credentials({ baseUrl: fake.url, accountApiKey: ACCOUNT_API_KEY, senderApiKey: senderKey }), ...smsBy.credentials, ...especial.credentials, ...cleverReach.credentials];
	const exampleWorkflows = () => [...examples.workflows(), ...smsBy.workflows, ...especial.workflows, ...cleverReach.workflows];
	const cliOk = (r, what) => {
		if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
	};
	const importJson = async (kind, list) => {
		const file = path.join(SANDBOX, `import-${kind}.json`);
		writeJson(file, list);
		try {
			cliOk(await n8n.runCli([`import:${kind}`, `--input=${file}`], { userFolder: SANDBOX }), `n8n import:${kind}`);
		} finally {
			fs.rmSync(file, { force: true });
		}
	};
	// An active trigger is re-activated while n8n starts: its credential must already point at this fake.
	if (firstRun || previous.fakeUrl !== fake.url || previous.smsByUrl !== smsBy.url || previous.especialUrl !== especial.url || previous.cleverReachUrl !== cleverReach.url) {
		step(firstRun ? 'importing example credentials' : `fake URL changed (${previous.fakeUrl} → ${fake.url}): updating the example credentials`);
		await importJson('credentials', credentials);
	}
	if (firstRun || restoring) {
		step(firstRun ? 'importing example workflows' : '--restore-examples: putting every example workflow back as shipped (credentials and your own workflows stay)');
		await importJson('workflow', exampleWorkflows());
	}

	// ------------------------------------------------------------- n8n
	const n8nPort = Number(option('--port')) || (await pickPort(ports.n8n, DEFAULT_PORTS.n8n)) || (await n8n.freePort());
	step(`starting n8n on port ${n8nPort} (log: ${path.relative(ROOT, path.join(SANDBOX, 'n8n.log'))})`);
	let instance;
	let stopping;
	const stopAll = async (code) => {
		if (stopping) return stopping;
		stopping = (async () => {
			step('stopping...');
			clearInterval(requestLog);
			if (instance) await instance.stop();
			await fake.close();
			await smsBy.close();
			await especial.close();
			await cleverReach.close();
			await new Promise((r) => control.close(() => r()));
			try {
				if (Number(fs.readFileSync(PID_FILE, 'utf8')) === process.pid) fs.rmSync(PID_FILE);
			} catch {}
			step('stopped: n8n and the fake servers. The sandbox stays in .sandbox/ for the next start.');
			process.exit(code);
		})();
		return stopping;
	};

	instance = await n8n.startN8n({ userFolder: SANDBOX, port: n8nPort, packages: [ROOT], log: (m) => step(m) });
	// From here on Ctrl-C stops n8n gracefully (n8n-env would SIGKILL it and exit at once).
	n8n.setExitOnSignal(false);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stopAll(0));
	instance.process.on('exit', (code, signal) => {
		if (!stopping) {
			console.error(`[sandbox] n8n exited unexpectedly (${signal || code}); see .sandbox/n8n.log`);
			stopAll(1);
		}
	});
	const url = instance.url;
	step(`n8n ready in ${(instance.startupMs / 1000).toFixed(1)} s`);

	// ------------------------------------------------------------- owner, API key
	let cookie;
	let ownerNote = `${OWNER.email} / ${OWNER.password}`;
	try {
		cookie = await n8n.ownerSession(url, OWNER);
	} catch (e) {
		ownerNote = `${OWNER.email} (the sandbox password no longer works: ${e.message.slice(0, 120)}; use yours, or --reset)`;
	}
	let apiKey = previous.apiKey;
	if (cookie) {
		if (apiKey) {
			try {
				await n8n.api(url, apiKey, 'GET', '/workflows?limit=1');
			} catch {
				apiKey = undefined;
			}
		}
		if (!apiKey) apiKey = await n8n.createApiKey(url, cookie, { label: 'sandbox' });
	}

	// ------------------------------------------------------------- webhooks of published triggers
	// n8n 2.40 keeps published webhook workflows live across restarts without calling
	// webhookMethods.checkExists/create again (a real provider keeps the registrations). The fake
	// starts empty every time, so unpublish + publish each published Email Gateway Trigger workflow
	// to register its webhooks at this fake.
	if (cookie && apiKey && !firstRun) {
		const active = (await n8n.api(url, apiKey, 'GET', '/workflows?active=true&limit=250')).data || [];
		const triggers = active.filter((w) => (w.nodes || []).some((n) => [examples.NODE_TYPES.trigger, especial.triggerType, cleverReach.triggerType].includes(n.type) && !n.disabled));
		if (triggers.length) step(`re-registering the webhooks of ${triggers.length} published trigger workflow(s) at the fresh fake`);
		for (const w of triggers) {
			try {
				await n8n.deactivateWorkflow(url, apiKey, cookie, w.id);
				await n8n.activateWorkflow(url, apiKey, cookie, w.id);
			} catch (e) {
				console.error(`[sandbox] could not re-publish "${w.name}" (${w.id}): ${e.message}`);
			}
		}
	}

	// ------------------------------------------------------------- restore examples deleted in the editor
	if (cookie) {
		const exists = async (kind, id) => {
			try {
				await n8n.rest(url, cookie, 'GET', `/${kind}/${id}`);
				return true;
			} catch (e) {
				if (e.status === 404 || e.status === 403) return false;
				throw e;
			}
		};
		const missingCreds = [];
		for (const c of credentials) if (!(await exists('credentials', c.id))) missingCreds.push(c);
		if (missingCreds.length) {
			step(`restoring ${missingCreds.length} example credential(s)`);
			await importJson('credentials', missingCreds);
		}
		const missingWfs = [];
		for (const w of exampleWorkflows()) if (!(await exists('workflows', w.id))) missingWfs.push(w);
		if (missingWfs.length && !firstRun && !restoring) {
			step(`restoring ${missingWfs.length} example workflow(s)`);
			await importJson('workflow', missingWfs);
		}
		// Publish the example triggers when they are created (first run, restored, or missing), so `fire` works
		// right away; later runs leave their state to the user (n8n re-activates published workflows itself).
		// Not the CleverReach Trigger: CleverReach sends each event of a group to one URL, so while it is
		// published the editor's Execute workflow (a test run, its own URL) is refused.
		const exampleTriggers = [
			{ id: examples.IDS.triggerWorkflow, what: 'the Email Gateway Trigger example (registers its webhooks at the fake)' },
			{ id: especial.triggerWorkflowId, what: 'the Especial Trigger example (registers its webhooks at the fake Especial)' },
		];
		for (const trigger of exampleTriggers) {
			if (!firstRun && !restoring && !missingWfs.some((w) => w.id === trigger.id)) continue;
			step(`publishing ${trigger.what}`);
			try {
				await n8n.activateWorkflow(url, apiKey, cookie, trigger.id);
			} catch (e) {
				console.error(`[sandbox] could not publish ${trigger.what}: ${e.message}`);
			}
		}
	}

	writeJson(STATE_FILE, {
		n8nUrl: url,
		fakeUrl: fake.url,
		smsByUrl: smsBy.url,
		especialUrl: especial.url,
		cleverReachUrl: cleverReach.url,
		controlUrl,
		ports: { n8n: instance.port, fake: fake.port, control: control.address().port, smsBy: smsBy.port, especial: especial.port, cleverReach: cleverReach.port },
		owner: { email: OWNER.email, password: OWNER.password },
		apiKey,
		updatedAt: new Date().toISOString(),
	});

	const wf = (id) => `${url}/workflow/${id}`;
	const hooks = fake.state.webhooks.filter((w) => w.domainId === examples.DOMAIN_ID).map((w) => w.event);
	say();
	say('================================================================================');
	say(' n8n sandbox with n8n-nodes-email-marketing is running (Ctrl-C stops everything)');
	say('================================================================================');
	say(` Editor:       ${url}`);
	say(` Login:        ${ownerNote}`);
	say(' Fake servers: (the credentials of the examples point at them)');
	say(`               Email Gateway  ${fake.url}`);
	say(`               SMS.by         ${smsBy.url}`);
	say(`               Especial       ${especial.url}`);
	say(`               CleverReach    ${cleverReach.url}`);
	say(`               control        ${controlUrl}  (<control> below: POST /fire, /especial/fire, /cleverreach/fire, /smsby/advance)`);
	say(`               every fire answers {"deliveries":[{"url","status","body"}]}: the webhook, its HTTP status, its answer`);
	say(` Workflows:    ${wf(examples.IDS.nodeWorkflow)}`);
	say('               Example: Email Gateway (get domains, send email) - open it and click "Execute workflow"');
	say(`               ${wf(examples.IDS.triggerWorkflow)}`);
	say(`               Example: Email Gateway Trigger (bounced, opened) - ${hooks.length ? `published, webhooks registered for ${hooks.join(', ')}` : 'not published: publish it to register its webhooks'}`);
	say(` Credentials:  "${examples.CREDENTIAL_NAMES.account}" (account key ${ACCOUNT_API_KEY})`);
	say(`               "${examples.CREDENTIAL_NAMES.sender}" (key ${senderKey})`);
	say(`               fake Email Gateway: domains 123 example.com, 124 example.net; 100 requests/60 s per sender key`);
	if (apiKey) say(` Public API:   ${url}/api/v1  header X-N8N-API-KEY: ${apiKey.slice(0, 16)}... (full key in .sandbox/sandbox.json)`);
	say(' Fire a test event at the published trigger:');
	say('               npm start -- fire bounce --email someone@example.org');
	say(`               curl -s -X POST ${controlUrl}/fire -H 'content-type: application/json' -d '{"event":"opened","email":"someone@example.org"}'`);
	say('               (events: delivered bounced opened clicked unsubscribed complained; --style bad-signature|unsigned to see 401s)');
	for (const line of smsBy.banner(url, controlUrl)) say(line);
	for (const line of especial.banner(url, controlUrl)) say(line);
	for (const line of cleverReach.banner(url, controlUrl)) say(line);
	say(` Sandbox:      ${path.relative(process.cwd(), SANDBOX) || SANDBOX} (kept between starts)`);
	say('               npm start -- --restore-examples   puts the example workflows back as shipped (credentials and your workflows stay)');
	say('               npm start -- --reset              starts from an empty sandbox (everything in it is lost)');
	say('================================================================================');
	say();
}

main().catch((e) => {
	console.error(`[sandbox] ${e && e.stack ? e.stack : e}`);
	try {
		if (Number(fs.readFileSync(PID_FILE, 'utf8')) === process.pid) fs.rmSync(PID_FILE);
	} catch {}
	process.exit(1);
});
