'use strict';
/**
 * Fake "Email Gateway" (Octeth) API server for tests, the `npm start` sandbox and benchmarks.
 *
 * Contract: /work/shared/seeds/003_864e886e5099f772.txt (20 `POST /api.php` commands `EmailGateway.*`
 * authenticated by the account `APIKey` or `SessionID` body field, 5 `/api/v1/*` endpoints authenticated by
 * `Authorization: Bearer <sender domain API key>`) plus research/providers.md §B (RegenerateSigningKey,
 * v1 rate limit 100 requests / 60 s → 429, v1 envelope `{"Errors":[{"Code":n,"Message":"..."}]}`).
 *
 * Plain CommonJS, Node >= 20 built-ins only. No per-request logging; every generated key / id is derived
 * from a counter and a seed string, so the same sequence of calls gives the same values.
 *
 * Usage:
 *   const { startEmailGatewayServer } = require('./test/fake/email-gateway-server.js');
 *   const server = await startEmailGatewayServer({ accountApiKey: 'acc-key' });
 *   server.url; server.requests; server.state; server.senderKeyFor('123'); server.signingKeyFor('123');
 *   server.failNext({ status: 429, retryAfter: '1' }); server.addEvent('123', { event: 'open', email: 'a@b.c' });
 *   await server.fire('123', 'bounce', { email: 'a@b.c', style: 'header' }); await server.close();
 *
 * Run directly (`node test/fake/email-gateway-server.js`, env PORT / ACCOUNT_API_KEY) for a sandbox server.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { URL, URLSearchParams } = require('node:url');

/**
 * @typedef {Object} DomainRecord
 * @property {string} id              digits, e.g. '123'
 * @property {string} name            e.g. 'example.com'
 * @property {boolean} verified
 * @property {boolean} active         sending via /api/v1/email needs an active domain (error 32)
 * @property {string} verificationStatus 'Pending' | 'Verified'
 * @property {string} dkimStatus      'Pending' | 'Verified'
 * @property {string} spfStatus       'Pending' | 'Verified'
 * @property {boolean} dnsOk          what VerifyDomain finds in DNS (default true; set false to make it fail)
 * @property {string} linkTracking    '1' | '0'
 * @property {string} openTracking    '1' | '0'
 * @property {string} unsubscribeLink '1' | '0'
 * @property {string} hostingProvider
 * @property {string} subdomain
 * @property {string} createdAt       'YYYY-MM-DD HH:MM:SS'
 *
 * @typedef {Object} ApiKeyRecord     a sender-domain API key (the v1 Bearer token)
 * @property {string} id              digits (KeyID / ApiKeyId / NewAPIKeyID)
 * @property {string} domainId
 * @property {string} key             'eg_live_<domainId>_<32 hex>'
 * @property {string} description
 * @property {string} permissions
 * @property {string} userId
 * @property {string} createdAt
 * @property {string|null} lastUsedAt updated on every authenticated /api/v1 request
 *
 * @typedef {Object} SmtpRecord
 * @property {string} id  @property {string} domainId  @property {string} host  @property {string[]} ports
 * @property {string} username  @property {string} password  @property {string} fromEmail  @property {string} fromName
 * @property {string} replyToEmail  @property {string} replyToName  @property {boolean} isActive
 *
 * @typedef {Object} WebhookRecord
 * @property {string} id              digits (first one is '456')
 * @property {string} domainId
 * @property {string} event           normalized command-style name: delivery|bounce|open|click|unsubscribe|complaint
 * @property {string} requestedEvent  the value the client sent (e.g. 'bounced' through v1)
 * @property {string} url
 * @property {'command'|'v1'} source  EmailGateway.AddWebhook or POST /api/v1/webhooks
 * @property {string} status          'Active'
 * @property {string} createdAt
 *
 * @typedef {Object} EventRecord
 * @property {string} id              'evt_<n>'
 * @property {string} domainId
 * @property {string} event           normalized command-style name (unknown names kept as given)
 * @property {number} timestamp       unix seconds
 * @property {string} recipient
 * @property {string} messageId
 * @property {string|null} campaignId
 * @property {string} subject
 * @property {Object} details
 *
 * @typedef {Object} SentEmailRecord  what POST /api/v1/email stored
 * @property {string} messageId       UUID (returned as MessageID)
 * @property {string} domainId  @property {string} apiKeyId
 * @property {{email:string,name:string}} from
 * @property {Array<{email:string,name:string}>} to  @property {Array<{email:string,name:string}>} cc
 * @property {Array<{email:string,name:string}>} bcc @property {Array<{email:string,name:string}>} replyTo
 * @property {string} subject  @property {'html'|'plain'} contentType
 * @property {string|undefined} htmlContent  @property {string|undefined} plainContent
 * @property {Array<{fileName:string,contentType:string,content:string,size:number}>} attachments (content = base64 as sent)
 * @property {Object|undefined} headers  @property {string[]} tags
 * @property {*} trackLinks  @property {*} trackOpens  @property {*} sendAt  @property {string|undefined} targetListId
 * @property {'Queued'|'Failed'} status   ClearDomainQueue turns 'Queued' into 'Failed'
 * @property {string} createdAt
 *
 * @typedef {Object} EmailGatewayState
 * @property {string} accountApiKey
 * @property {string|null} sessionId
 * @property {DomainRecord[]} domains
 * @property {ApiKeyRecord[]} apiKeys
 * @property {SmtpRecord[]} smtps
 * @property {WebhookRecord[]} webhooks     both EmailGateway.AddWebhook and POST /api/v1/webhooks
 * @property {EventRecord[]} events         GetEvents / AggrEvents / DomainStats / GET /api/v1/events read this
 * @property {SentEmailRecord[]} sentEmails
 * @property {Object<string,string>} signingKeys  domainId → 64-char uppercase hex webhook signing key
 * @property {string[]} suppressed           lower-case addresses; sending to one → v1 error 14
 * @property {number} maxDomains             AddDomain error 3 beyond this (default 10)
 * @property {'HTMLContent'|'HtmlContent'|'either'} htmlContentName  the body key Send Email reads HTML from;
 *           the other key alone is error 10 "Missing HTMLContent" (the seed's table and Octeth's reference differ)
 */

const COMMAND_EVENTS = ['delivery', 'bounce', 'open', 'click', 'unsubscribe', 'complaint'];
const V1_EVENTS = ['delivered', 'bounced', 'opened', 'clicked', 'unsubscribed', 'complained'];
const EVENT_ALIASES = {};
COMMAND_EVENTS.forEach((e, i) => {
	EVENT_ALIASES[e] = e;
	EVENT_ALIASES[V1_EVENTS[i]] = e;
});
const TO_V1_EVENT = {};
COMMAND_EVENTS.forEach((e, i) => {
	TO_V1_EVENT[e] = V1_EVENTS[i];
});

/** delivery|delivered → 'delivery' etc.; undefined when not one of the 12 names. */
function normalizeEvent(name) {
	if (name === undefined || name === null) return undefined;
	return EVENT_ALIASES[String(name).trim().toLowerCase()];
}

function hmacHex(key, data) {
	return crypto.createHmac('sha256', key).update(data).digest('hex');
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const DOMAIN_RE = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function isEmail(v) {
	return typeof v === 'string' && v.length <= 254 && EMAIL_RE.test(v.trim());
}

function isMissing(v) {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function str(v) {
	if (Array.isArray(v)) v = v[0];
	return v === undefined || v === null ? '' : String(v).trim();
}

/** Removes matching items in place (keeps array identity, so references held by tests stay valid). */
function removeWhere(arr, pred) {
	let j = 0;
	for (let i = 0; i < arr.length; i++) if (!pred(arr[i])) arr[j++] = arr[i];
	arr.length = j;
}

function pad(n) {
	return n < 10 ? '0' + n : String(n);
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC), the date format Octeth uses in its command API. */
function sqlDate(ms) {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
		d.getUTCMinutes(),
	)}:${pad(d.getUTCSeconds())}`;
}

function isoSeconds(unix) {
	return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 'YYYY-MM-DD' → unix seconds of 00:00:00 UTC that day (endOfDay: 23:59:59); undefined when malformed. */
function parseDay(v, endOfDay) {
	const s = str(v);
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return undefined;
	const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
	if (Number.isNaN(t)) return undefined;
	return t / 1000 + (endOfDay ? 86399 : 0);
}

/** v1 dates: unix timestamp, 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD' (UTC); undefined when malformed. */
function parseV1Date(v, endOfDay) {
	const s = str(v);
	if (s === '') return undefined;
	if (/^\d+$/.test(s)) return Number(s);
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
	if (!m) return undefined;
	if (m[4] === undefined) return parseDay(`${m[1]}-${m[2]}-${m[3]}`, endOfDay);
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) / 1000;
}

function toFlag(v) {
	if (v === true) return '1';
	if (v === false) return '0';
	const s = str(v).toLowerCase();
	return s === '1' || s === 'true' || s === 'on' || s === 'yes' ? '1' : '0';
}

/** Adds key=value to obj; a repeated key becomes an array. */
function addField(obj, key, value) {
	if (Object.prototype.hasOwnProperty.call(obj, key)) {
		obj[key] = Array.isArray(obj[key]) ? obj[key].concat([value]) : [obj[key], value];
	} else {
		obj[key] = value;
	}
}

function searchParamsToObject(sp) {
	const out = {};
	for (const [k, v] of sp) addField(out, k, v);
	return out;
}

/** Minimal multipart/form-data parser: text fields as strings, files as {filename, contentType, size}. */
function parseMultipart(buf, boundary) {
	const out = {};
	const text = buf.toString('latin1');
	const parts = text.split('--' + boundary);
	for (let i = 1; i < parts.length; i++) {
		const part = parts[i];
		if (part.startsWith('--')) break;
		const sep = part.indexOf('\r\n\r\n');
		if (sep < 0) continue;
		const head = part.slice(0, sep);
		let content = part.slice(sep + 4);
		if (content.endsWith('\r\n')) content = content.slice(0, -2);
		const nameM = /name="([^"]*)"/i.exec(head);
		if (!nameM) continue;
		const fileM = /filename="([^"]*)"/i.exec(head);
		if (fileM) {
			const ctM = /content-type:\s*([^\r\n]+)/i.exec(head);
			addField(out, nameM[1], {
				filename: fileM[1],
				contentType: ctM ? ctM[1].trim() : 'application/octet-stream',
				size: Buffer.byteLength(content, 'latin1'),
			});
		} else {
			addField(out, nameM[1], Buffer.from(content, 'latin1').toString('utf8'));
		}
	}
	return out;
}

/**
 * Parses a request body by content type: JSON, urlencoded, multipart; without a (known) content type a body
 * that looks like JSON is read as JSON (curl `-d '{...}'` sends JSON labelled as urlencoded), else urlencoded.
 * Returns { body, jsonError } — body is always a plain object (non-object JSON → {}).
 */
function parseBody(buf, contentType) {
	const raw = buf.toString('utf8');
	const ct = (contentType || '').toLowerCase();
	if (raw.length === 0) return { body: {}, jsonError: false };
	if (ct.startsWith('multipart/form-data')) {
		const bm = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
		return { body: bm ? parseMultipart(buf, (bm[1] || bm[2]).trim()) : {}, jsonError: false };
	}
	const trimmed = raw.trimStart();
	const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
	if (ct.includes('json') || (looksJson && !ct.startsWith('multipart/'))) {
		try {
			const parsed = JSON.parse(raw);
			return { body: parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}, jsonError: false };
		} catch {
			if (ct.includes('json')) return { body: {}, jsonError: true };
		}
	}
	return { body: searchParamsToObject(new URLSearchParams(raw)), jsonError: false };
}

/** Command error texts, exactly as the seed's error tables word them. */
const ERR = {
	addapi: {
		1: "Missing or invalid 'Description' parameter",
		2: "Missing or invalid 'DomainID' parameter",
		3: "Unable to retrieve sender domain with provided 'DomainID'",
	},
	adddomain: {
		1: 'Missing required parameter: DomainName',
		2: 'Invalid domain name provided',
		3: 'User has reached the maximum number of sender domains allowed',
	},
	addsmtp: { 1: "Required field 'DomainID' is missing.", 2: 'Unable to retrieve the sender domain.' },
	addwebhook: {
		1: 'Missing required parameter DomainID',
		2: 'Missing required parameter Event',
		3: 'Invalid event type specified',
		4: 'Domain not found or access denied',
		5: 'Missing required parameter WebhookURL',
		7: 'WebhookURL host is forbidden (localhost, 127.0.0.1, ::1, or *.local)',
	},
	aggrevents: { 1: 'Required parameter missing: DomainID', 2: 'Failed to retrieve sender domain' },
	cleardomainqueue: { 1: 'Missing required parameter: DomainID', 2: 'Unable to retrieve sender domain' },
	deleteapi: { 1: 'Missing required parameter: ApiKeyId', 2: 'Invalid API key or API key not found' },
	deletedomain: {
		1: 'Missing required parameter: DomainID',
		2: 'Domain not found or user does not have permission to delete the domain',
	},
	deletesmtp: { 1: 'Required field is missing', 2: 'SMTP configuration not found or user does not have permission' },
	deletewebhook: {
		1: 'Missing required parameter: WebhookID or DomainID',
		2: 'Invalid DomainID or DomainID not found',
		3: 'Domain validation failed',
		4: 'Webhook not found or user does not have permission to access it',
	},
	domainstats: { 1: 'Required parameter missing: DomainID', 2: 'Unable to retrieve domain information' },
	getapis: { 1: 'Missing required parameter: DomainID', 2: 'Unable to retrieve sender domain' },
	getdomain: { 1: 'Required parameter missing: DomainID', 2: 'Unable to retrieve domain information' },
	getevents: {
		1: 'Required parameter missing: DomainID',
		2: 'Failed to retrieve sender domain',
		4: 'Required parameter missing: StartFrom',
		5: 'Required parameter missing: RetrieveCount',
	},
	getsmtps: { 1: "Missing required parameter 'DomainID'.", 2: 'Unable to retrieve sender domain details.' },
	getwebhooks: { 1: 'Missing required parameter DomainID', 2: 'Invalid domain or domain does not belong to the user' },
	resetsmtppassword: {
		1: "Missing required parameter 'smtpid'",
		2: 'SMTP configuration not found or access denied',
	},
	updatedomain: { 1: "Required field 'DomainID' is missing.", 5: 'Unable to retrieve sender domain information.' },
	verifydomain: {
		1: "Required field 'DomainID' is missing.",
		2: 'Unable to retrieve the sender domain information.',
	},
	// Not in the seed (research §B); texts mirror GetWebhooks.
	regeneratesigningkey: {
		1: 'Missing required parameter DomainID',
		2: 'Invalid domain or domain does not belong to the user',
	},
};

/** v1 error texts (seed). */
const V1_ERR = {
	1: 'Missing SenderAPIKey',
	2: 'Invalid DomainID',
	3: 'From parameter is either missing or invalid. Make sure you pass both name and email address for the from field',
	8: 'Missing Subject',
	9: 'Missing ContentType',
	10: 'Missing HTMLContent',
	11: 'Missing PlainContent',
	13: 'Invalid SenderAPIKey',
	14: 'Email address is in the suppression list. Email delivery is blocked.',
	16: 'Invalid TargetListID',
	17: 'Email sending limit reached',
	18: 'Recipient name or email address is missing',
	19: 'Recipient email address is invalid.',
	20: 'There is no recipient set for the email.',
	21: 'CC name or email address is missing',
	22: 'CC email address is invalid.',
	23: 'Invalid from email address format',
	24: 'BCC email addresses must be set as an array',
	25: 'BCC name or email address is missing',
	26: 'BCC email address is invalid.',
	27: 'The number of BCC email addresses exceed the allowed email address count',
	28: 'Reply-To email addresses must be set as an array',
	29: 'Reply-To name or email address is missing',
	30: 'Reply-To email address is invalid.',
	31: 'The number of Reply-To email addresses exceed the allowed email address count',
	32: 'Domain is not activated',
};

const AUTH_FAILED = { Success: false, ErrorCode: 99998, ErrorMessage: 'Authentication failed: invalid API key or session' };
const UNKNOWN_COMMAND = { Success: false, ErrorCode: 99999, ErrorMessage: 'Unknown command' };

function sendJson(res, status, payload, extraHeaders) {
	const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
	const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
	if (extraHeaders) Object.assign(headers, extraHeaders);
	res.writeHead(status, headers);
	res.end(body);
}

/**
 * Starts the fake server.
 * @param {Object} [options]
 * @param {string} [options.accountApiKey='test-account-key']  account API key for /api.php (`APIKey`)
 * @param {string} [options.sessionId]                          also accepted as `SessionID` (none by default)
 * @param {{limit:number, windowMs:number}|false} [options.rateLimit={limit:100,windowMs:60000}] v1, per sender key
 * @param {boolean} [options.seed=true]      2 domains (123 example.com verified+active, 124 example.net not),
 *                                            one sender key each, one SMTP on 123, 3 events on 123,
 *                                            suppressed 'suppressed@example.com'
 * @param {number} [options.maxDomains=10]    AddDomain error 3 limit (seeded domains count)
 * @param {'HTMLContent'|'HtmlContent'|'either'} [options.htmlContentName='either'] Send Email's HTML key (state.htmlContentName)
 * @param {number} [options.maxBcc=50]        v1 email error 27
 * @param {number} [options.maxReplyTo=10]    v1 email error 31
 * @param {number} [options.sendLimit=Infinity] v1 email error 17 after this many stored emails
 * @param {boolean} [options.recordRequests=true] set false for long benchmarks
 * @param {string} [options.idSeed='octeth-fake'] seed of the deterministic key/id generator
 * @param {number} [options.port=0]  @param {string} [options.host='127.0.0.1']
 */
async function startEmailGatewayServer(options = {}) {
	const opts = {
		accountApiKey: 'test-account-key',
		sessionId: null,
		rateLimit: { limit: 100, windowMs: 60000 },
		seed: true,
		maxDomains: 10,
		maxBcc: 50,
		maxReplyTo: 10,
		sendLimit: Infinity,
		recordRequests: true,
		// Octeth's reference: webhook URLs on localhost / loopback / *.local are refused (code 7).
		// Off by default because tests receive webhooks on 127.0.0.1.
		forbidLocalWebhookUrls: false,
		idSeed: 'octeth-fake',
		port: 0,
		host: '127.0.0.1',
		...options,
	};
	const rateLimit =
		opts.rateLimit === false || opts.rateLimit === null
			? null
			: { limit: 100, windowMs: 60000, ...(opts.rateLimit || {}) };

	let genCounter = 0;
	/** 64 deterministic hex chars. */
	const gen = (label) =>
		crypto.createHash('sha256').update(`${opts.idSeed}|${label}|${++genCounter}`).digest('hex');
	const fixedHex = (label) => crypto.createHash('sha256').update(`${opts.idSeed}|${label}`).digest('hex');
	const uuid = () => {
		const h = gen('uuid');
		const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
	};
	const counters = { apiKey: 0, smtp: 0, webhook: 455, event: 0 };
	const nextId = (kind) => String(++counters[kind]);

	/** @type {EmailGatewayState} */
	const state = {
		accountApiKey: opts.accountApiKey,
		sessionId: opts.sessionId || null,
		domains: [],
		apiKeys: [],
		smtps: [],
		webhooks: [],
		events: [],
		sentEmails: [],
		signingKeys: {},
		suppressed: [],
		maxDomains: opts.maxDomains,
		htmlContentName: opts.htmlContentName || 'either',
	};

	const findDomain = (id) => {
		const s = str(id);
		return s === '' ? undefined : state.domains.find((d) => d.id === s);
	};

	function createDomain(name, id, flags = {}) {
		const domain = {
			id,
			name,
			verified: false,
			active: false,
			verificationStatus: 'Pending',
			dkimStatus: 'Pending',
			spfStatus: 'Pending',
			dnsOk: true,
			linkTracking: '1',
			openTracking: '1',
			unsubscribeLink: '1',
			hostingProvider: '',
			subdomain: '',
			createdAt: sqlDate(Date.now()),
			...flags,
		};
		state.domains.push(domain);
		state.signingKeys[id] = flags.seeded ? fixedHex(`signing|${id}`).toUpperCase() : gen(`signing|${id}`).toUpperCase();
		delete domain.seeded;
		return domain;
	}

	function createApiKey(domainId, description, seeded) {
		const id = nextId('apiKey');
		const hex = seeded ? fixedHex(`sender|${domainId}`) : gen(`sender|${domainId}`);
		const rec = {
			id,
			domainId,
			key: `eg_live_${domainId}_${hex.slice(0, 32)}`,
			description,
			permissions: 'send,events,webhooks',
			userId: '1',
			createdAt: sqlDate(seeded ? Date.UTC(2024, 0, 1) : Date.now()),
			lastUsedAt: null,
		};
		state.apiKeys.push(rec);
		return rec;
	}

	function createSmtp(domain) {
		const id = nextId('smtp');
		const rec = {
			id,
			domainId: domain.id,
			host: 'smtp.example.com',
			ports: ['25', '587', '465'],
			username: `smtp${id}@${domain.name}`,
			password: gen(`smtp-password|${id}`).slice(0, 24),
			fromEmail: `no-reply@${domain.name}`,
			fromName: domain.name,
			replyToEmail: `reply-to@${domain.name}`,
			replyToName: domain.name,
			isActive: true,
		};
		state.smtps.push(rec);
		return rec;
	}

	function addEvent(domainId, ev = {}) {
		const normalized = normalizeEvent(ev.event);
		const rec = {
			id: ev.eventId || ev.id || `evt_${nextId('event')}`,
			domainId: str(domainId),
			event: normalized || str(ev.event) || 'delivery',
			timestamp: ev.timestamp !== undefined ? Number(ev.timestamp) : Math.floor(Date.now() / 1000),
			recipient: ev.email || ev.recipient || 'user@example.com',
			messageId: ev.messageId || `msg_${counters.event}`,
			campaignId: ev.campaignId === undefined ? null : ev.campaignId,
			subject: ev.subject || '',
			details: ev.details || {},
		};
		state.events.push(rec);
		return rec;
	}

	if (opts.seed) {
		createDomain('example.com', '123', {
			seeded: true,
			verified: true,
			active: true,
			verificationStatus: 'Verified',
			dkimStatus: 'Verified',
			spfStatus: 'Verified',
			createdAt: '2024-01-01 00:00:00',
		});
		createDomain('example.net', '124', { seeded: true, createdAt: '2024-01-02 00:00:00' });
		createApiKey('123', 'Default key', true);
		createApiKey('124', 'Default key', true);
		createSmtp(state.domains[0]);
		const base = Date.UTC(2024, 0, 15, 12, 0, 0) / 1000;
		addEvent('123', { event: 'delivery', email: 'user@example.com', messageId: 'msg_1', timestamp: base, subject: 'Welcome to our service!', details: { Status: 'delivered' } });
		addEvent('123', { event: 'open', email: 'user@example.com', messageId: 'msg_1', timestamp: base + 600, subject: 'Welcome to our service!', details: { UserAgent: 'Mozilla/5.0', IpAddress: '192.0.2.1' } });
		addEvent('123', { event: 'click', email: 'user@example.com', messageId: 'msg_1', timestamp: base + 1200, subject: 'Welcome to our service!', details: { Url: 'https://example.com/welcome', IpAddress: '192.0.2.1' } });
		state.suppressed.push('suppressed@example.com');
	}

	const requests = [];
	const faults = [];
	const rateBuckets = new Map();

	// ---------------------------------------------------------------- /api.php commands

	const fail = (cmd, code) => ({ Success: false, ErrorCode: code, ErrorMessage: ERR[cmd][code] });
	const ok = (extra) => ({ Success: true, ErrorCode: 0, ...extra });

	function eventsInRange(domainId, p) {
		const from = parseDay(p.StartDate, false);
		const to = parseDay(p.EndDate, true);
		return state.events.filter(
			(e) => e.domainId === domainId && (from === undefined || e.timestamp >= from) && (to === undefined || e.timestamp <= to),
		);
	}

	function countStats(domainId, events, fromTs, toTs) {
		const c = (name) => events.filter((e) => e.event === name).length;
		const sent = state.sentEmails.filter((m) => {
			if (m.domainId !== domainId) return false;
			const t = Date.parse(m.createdAt.replace(' ', 'T') + 'Z') / 1000;
			return (fromTs === undefined || t >= fromTs) && (toTs === undefined || t <= toTs);
		}).length;
		const delivered = c('delivery');
		const opened = c('open');
		const clicked = c('click');
		const rate = (a, b) => (b > 0 ? Math.round((a / b) * 10000) / 100 : 0);
		return {
			Sent: sent,
			Delivered: delivered,
			Bounced: c('bounce'),
			Opened: opened,
			Clicked: clicked,
			Unsubscribed: c('unsubscribe'),
			Complained: c('complaint'),
			OpenRate: rate(opened, delivered),
			ClickRate: rate(clicked, delivered),
		};
	}

	const domainView = (d) => ({ DomainID: d.id, DomainName: d.name, Verified: d.verified, Active: d.active });
	const smtpView = (s) => ({
		SMTPID: s.id,
		SMTPHost: s.host,
		SMTPPorts: s.ports.slice(),
		Username: s.username,
		Password: s.password,
		FromEmail: s.fromEmail,
		FromName: s.fromName,
		ReplyToEmail: s.replyToEmail,
		ReplyToName: s.replyToName,
		IsActive: s.isActive,
	});

	function commandEventView(e) {
		return {
			id: e.id,
			event_type: e.event,
			timestamp: isoSeconds(e.timestamp),
			recipient: e.recipient,
			message: { headers: { subject: e.subject, 'message-id': e.messageId } },
			details: e.details,
		};
	}

	function matchesQuery(e, q) {
		const s = str(q).toLowerCase();
		if (s === '') return true;
		const m = /^([a-z_-]+):(.*)$/.exec(s);
		const fields = {
			subject: e.subject,
			recipient: e.recipient,
			to: e.recipient,
			email: e.recipient,
			'message-id': e.messageId,
			messageid: e.messageId,
			event: e.event,
		};
		if (m && Object.prototype.hasOwnProperty.call(fields, m[1])) {
			return String(fields[m[1]] || '').toLowerCase().includes(m[2].trim());
		}
		return [e.subject, e.recipient, e.messageId].some((v) => String(v || '').toLowerCase().includes(s));
	}

	const commands = {
		adddomain(p) {
			if (isMissing(p.DomainName)) return fail('adddomain', 1);
			const name = str(p.DomainName).toLowerCase();
			if (!DOMAIN_RE.test(name)) return fail('adddomain', 2);
			if (state.domains.length >= state.maxDomains) return fail('adddomain', 3);
			const maxId = state.domains.reduce((m, d) => Math.max(m, Number(d.id)), 122);
			const d = createDomain(name, String(maxId + 1));
			return ok({
				// The seed shows a number here (and strings in GetDomains): kept as the seed shows it.
				NewSenderDomainID: Number(d.id),
				Domain: { DomainName: d.name, VerificationStatus: d.verificationStatus, DKIMStatus: d.dkimStatus, SPFStatus: d.spfStatus },
			});
		},
		getdomains() {
			return ok({ Domains: state.domains.map(domainView) });
		},
		getdomain(p) {
			if (isMissing(p.DomainID)) return fail('getdomain', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('getdomain', 2);
			// DomainID is a number in the seed's GetDomain example.
			return ok({
				Domain: {
					DomainID: Number(d.id),
					DomainName: d.name,
					IsActive: d.active,
					Verified: d.verified,
					LinkTracking: d.linkTracking,
					OpenTracking: d.openTracking,
					UnsubscribeLink: d.unsubscribeLink,
					HostingProvider: d.hostingProvider,
					Subdomain: d.subdomain,
				},
			});
		},
		updatedomain(p) {
			if (isMissing(p.DomainID)) return fail('updatedomain', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('updatedomain', 5);
			if (p.LinkTracking !== undefined) d.linkTracking = toFlag(p.LinkTracking);
			if (p.OpenTracking !== undefined) d.openTracking = toFlag(p.OpenTracking);
			if (p.UnsubscribeLink !== undefined) d.unsubscribeLink = toFlag(p.UnsubscribeLink);
			if (p.HostingProvider !== undefined) d.hostingProvider = str(p.HostingProvider);
			if (p.Subdomain !== undefined) d.subdomain = str(p.Subdomain);
			return ok({
				Domain: {
					DomainID: d.id,
					LinkTracking: d.linkTracking,
					OpenTracking: d.openTracking,
					UnsubscribeLink: d.unsubscribeLink,
					HostingProvider: d.hostingProvider,
					Subdomain: d.subdomain,
				},
			});
		},
		deletedomain(p) {
			if (isMissing(p.DomainID)) return fail('deletedomain', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('deletedomain', 2);
			const ofDomain = (x) => x.domainId === d.id;
			removeWhere(state.domains, (x) => x === d);
			for (const k of state.apiKeys) if (ofDomain(k)) rateBuckets.delete(k.key);
			removeWhere(state.apiKeys, ofDomain);
			removeWhere(state.smtps, ofDomain);
			removeWhere(state.webhooks, ofDomain);
			removeWhere(state.events, ofDomain);
			delete state.signingKeys[d.id];
			return ok();
		},
		verifydomain(p) {
			if (isMissing(p.DomainID)) return fail('verifydomain', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('verifydomain', 2);
			const v = d.dnsOk !== false;
			if (v) {
				d.verified = true;
				d.active = true;
				d.verificationStatus = d.dkimStatus = d.spfStatus = 'Verified';
			}
			const track = `${d.subdomain || 'email'}.${d.name}`;
			return ok({
				Domain: { DomainID: d.id, DomainName: d.name, Status: d.active ? 'Enabled' : 'Pending' },
				DNSVerificationResults: [
					{ Host: d.name, Type: 'TXT', Value: 'v=spf1 include:mailgun.org ~all', Verified: v },
					{ Host: `k1._domainkey.${d.name}`, Type: 'TXT', Value: `k=rsa; p=${fixedHex(`dkim|${d.name}`)}`, Verified: v },
					{ Host: track, Type: 'CNAME', Value: 'mailgun.org', Verified: v },
				],
			});
		},
		cleardomainqueue(p) {
			if (isMissing(p.DomainID)) return fail('cleardomainqueue', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('cleardomainqueue', 2);
			for (const m of state.sentEmails) if (m.domainId === d.id && m.status === 'Queued') m.status = 'Failed';
			return ok();
		},
		addapi(p) {
			if (isMissing(p.Description)) return fail('addapi', 1);
			if (isMissing(p.DomainID)) return fail('addapi', 2);
			const d = findDomain(p.DomainID);
			if (!d) return fail('addapi', 3);
			const k = createApiKey(d.id, str(p.Description), false);
			return ok({
				NewAPIKeyID: k.id,
				APIKey: { Key: k.key, Permissions: k.permissions, DomainID: d.id, Description: k.description },
			});
		},
		getapis(p) {
			if (isMissing(p.DomainID)) return fail('getapis', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('getapis', 2);
			return ok({
				APIKeys: state.apiKeys
					.filter((k) => k.domainId === d.id)
					.map((k) => ({
						KeyID: k.id,
						DomainID: k.domainId,
						UserID: k.userId,
						Key: k.key,
						Description: k.description,
						Permissions: k.permissions,
						CreationDate: k.createdAt,
						LastUsedDate: k.lastUsedAt,
					})),
			});
		},
		deleteapi(p) {
			if (isMissing(p.ApiKeyId)) return fail('deleteapi', 1);
			const id = str(p.ApiKeyId);
			const k = state.apiKeys.find((x) => x.id === id);
			if (!k) return fail('deleteapi', 2);
			removeWhere(state.apiKeys, (x) => x === k);
			rateBuckets.delete(k.key);
			return ok();
		},
		addsmtp(p) {
			if (isMissing(p.DomainID)) return fail('addsmtp', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('addsmtp', 2);
			const s = createSmtp(d);
			return ok({ NewSMTPID: s.id, SMTP: { SMTPID: s.id, SMTPHost: s.host, SMTPPorts: s.ports.slice(), Username: s.username, Password: s.password } });
		},
		getsmtps(p) {
			if (isMissing(p.DomainID)) return fail('getsmtps', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('getsmtps', 2);
			return ok({ SMTPs: state.smtps.filter((s) => s.domainId === d.id).map(smtpView) });
		},
		deletesmtp(p) {
			if (isMissing(p.smtpid)) return fail('deletesmtp', 1);
			const id = str(p.smtpid);
			const s = state.smtps.find((x) => x.id === id);
			if (!s) return fail('deletesmtp', 2);
			removeWhere(state.smtps, (x) => x === s);
			return ok();
		},
		resetsmtppassword(p) {
			if (isMissing(p.smtpid)) return fail('resetsmtppassword', 1);
			const id = str(p.smtpid);
			const s = state.smtps.find((x) => x.id === id);
			if (!s) return fail('resetsmtppassword', 2);
			s.password = gen(`smtp-password|${id}`).slice(0, 24);
			return ok({ SMTP: { SMTPID: s.id, Server: s.host, Port: 587, Username: s.username, Password: s.password } });
		},
		addwebhook(p) {
			// The seed shows ErrorCode as an array for this command: all applicable codes are collected.
			const codes = [];
			if (isMissing(p.DomainID)) codes.push(1);
			let event;
			if (isMissing(p.Event)) codes.push(2);
			else {
				event = str(p.Event).toLowerCase();
				if (!COMMAND_EVENTS.includes(event)) codes.push(3);
			}
			const url = str(p.WebhookURL);
			if (url === '' || !isHttpUrl(url)) codes.push(5);
			else if (isForbiddenWebhookHost(url)) codes.push(7);
			const d = codes.includes(1) ? undefined : findDomain(p.DomainID);
			if (!codes.includes(1) && !d) codes.push(4);
			codes.sort((a, b) => a - b);
			if (codes.length) {
				return { Success: false, ErrorCode: codes, ErrorMessage: codes.map((c) => ERR.addwebhook[c]).join('; ') };
			}
			const w = addWebhook(d.id, event, str(p.Event), url, 'command');
			return ok({ NewWebhookID: w.id });
		},
		getwebhooks(p) {
			if (isMissing(p.DomainID)) return fail('getwebhooks', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('getwebhooks', 2);
			return ok({
				SigningKey: state.signingKeys[d.id],
				Webhooks: state.webhooks.filter((w) => w.domainId === d.id).map((w) => ({ WebhookID: w.id, URL: w.url, Events: [w.event] })),
			});
		},
		deletewebhook(p) {
			if (isMissing(p.WebhookID) || isMissing(p.DomainID)) return fail('deletewebhook', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('deletewebhook', 2);
			const id = str(p.WebhookID);
			const w = state.webhooks.find((x) => x.id === id && x.domainId === d.id);
			if (!w) return fail('deletewebhook', 4);
			removeWhere(state.webhooks, (x) => x === w);
			return ok();
		},
		regeneratesigningkey(p) {
			if (isMissing(p.DomainID)) return fail('regeneratesigningkey', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('regeneratesigningkey', 2);
			state.signingKeys[d.id] = gen(`signing|${d.id}`).toUpperCase();
			return ok({ SigningKey: state.signingKeys[d.id] });
		},
		domainstats(p) {
			if (isMissing(p.DomainID)) return fail('domainstats', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('domainstats', 2);
			const from = parseDay(p.StartDate, false);
			const to = parseDay(p.EndDate, true);
			const events = eventsInRange(d.id, p);
			let comparison;
			if (from !== undefined && to !== undefined) {
				const len = to - from + 1;
				const prev = state.events.filter((e) => e.domainId === d.id && e.timestamp >= from - len && e.timestamp < from);
				comparison = countStats(d.id, prev, from - len, from - 1);
			} else {
				comparison = countStats(d.id, [], 0, -1);
			}
			const tagStats = {};
			for (const m of state.sentEmails) {
				if (m.domainId !== d.id) continue;
				for (const t of m.tags) {
					tagStats[t] = tagStats[t] || { Sent: 0 };
					tagStats[t].Sent++;
				}
			}
			return ok({ Stats: countStats(d.id, events, from, to), ComparisonStats: comparison, TagStats: tagStats });
		},
		aggrevents(p) {
			if (isMissing(p.DomainID)) return fail('aggrevents', 1);
			const d = findDomain(p.DomainID);
			if (!d) return fail('aggrevents', 2);
			const field = str(p.AggregatedField).toLowerCase() || 'eventtype';
			const size = Math.max(1, Number.parseInt(str(p.AggregateSize), 10) || 10);
			const keyOf = {
				eventtype: (e) => e.event,
				event_type: (e) => e.event,
				event: (e) => e.event,
				recipient: (e) => e.recipient,
				email: (e) => e.recipient,
				messageid: (e) => e.messageId,
				'message-id': (e) => e.messageId,
				domain: (e) => e.recipient.split('@')[1] || '',
				date: (e) => isoSeconds(e.timestamp).slice(0, 10),
			}[field];
			if (!keyOf) return ok({ AggBuckets: [] });
			const counts = new Map();
			for (const e of eventsInRange(d.id, p)) {
				const k = keyOf(e);
				counts.set(k, (counts.get(k) || 0) + 1);
			}
			const buckets = [...counts.entries()]
				.map(([key, count]) => ({ key, doc_count: count }))
				.sort((a, b) => b.doc_count - a.doc_count || String(a.key).localeCompare(String(b.key)))
				.slice(0, size);
			return ok({ AggBuckets: buckets });
		},
		getevents(p) {
			if (isMissing(p.DomainID)) return fail('getevents', 1);
			const startFrom = str(p.StartFrom);
			if (!/^\d+$/.test(startFrom)) return fail('getevents', 4);
			const count = str(p.RetrieveCount);
			if (!/^\d+$/.test(count) || Number(count) < 1) return fail('getevents', 5);
			const d = findDomain(p.DomainID);
			if (!d) return fail('getevents', 2);
			const wanted = isMissing(p.Event) ? undefined : normalizeEvent(p.Event) || str(p.Event).toLowerCase();
			const list = eventsInRange(d.id, p)
				.filter((e) => (wanted === undefined || e.event === wanted) && matchesQuery(e, p.Query))
				.sort((a, b) => a.timestamp - b.timestamp);
			const from = Number(startFrom);
			const n = Math.min(100, Number(count));
			return ok({ TotalRecords: list.length, Events: list.slice(from, from + n).map(commandEventView) });
		},
	};

	function isForbiddenWebhookHost(u) {
		if (!opts.forbidLocalWebhookUrls) return false;
		const host = new URL(u).hostname.toLowerCase().replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host.endsWith('.local');
	}

	function isHttpUrl(u) {
		try {
			const parsed = new URL(u);
			return parsed.protocol === 'http:' || parsed.protocol === 'https:';
		} catch {
			return false;
		}
	}

	function addWebhook(domainId, event, requestedEvent, url, source) {
		const w = {
			id: nextId('webhook'),
			domainId,
			event,
			requestedEvent,
			url,
			source,
			status: 'Active',
			createdAt: sqlDate(Date.now()),
		};
		state.webhooks.push(w);
		return w;
	}

	function handleApiPhp(params) {
		const apiKey = str(params.APIKey);
		const sessionId = str(params.SessionID);
		const authed =
			(apiKey !== '' && apiKey === state.accountApiKey) ||
			(sessionId !== '' && state.sessionId !== null && sessionId === state.sessionId);
		if (!authed) return AUTH_FAILED;
		const cmd = str(params.Command).toLowerCase();
		if (!cmd.startsWith('emailgateway.')) return UNKNOWN_COMMAND;
		const name = cmd.slice('emailgateway.'.length);
		if (!Object.prototype.hasOwnProperty.call(commands, name)) return UNKNOWN_COMMAND;
		return commands[name](params);
	}

	// ---------------------------------------------------------------- /api/v1

	const v1Error = (status, codes) => ({
		status,
		payload: { Errors: codes.map((c) => (typeof c === 'object' ? c : { Code: c, Message: V1_ERR[c] })) },
	});

	function v1Auth(req, params) {
		const h = req.headers.authorization;
		let key = '';
		if (typeof h === 'string' && h.trim() !== '') {
			const m = /^Bearer\s+(.+)$/i.exec(h.trim());
			key = m ? m[1].trim() : '';
			if (!m) return { error: v1Error(401, [13]) };
		} else {
			key = str(params.SenderAPIKey); // the seed lists SenderAPIKey as a request parameter too
		}
		if (key === '') return { error: v1Error(401, [1]) };
		const rec = state.apiKeys.find((k) => k.key === key);
		if (!rec || !findDomain(rec.domainId)) return { error: v1Error(401, [13]) };
		return { apiKey: rec, domain: findDomain(rec.domainId) };
	}

	function v1RateLimit(key) {
		if (!rateLimit) return null;
		const now = Date.now();
		let b = rateBuckets.get(key);
		if (!b || now - b.start >= rateLimit.windowMs) {
			b = { start: now, count: 0 };
			rateBuckets.set(key, b);
		}
		if (b.count >= rateLimit.limit) {
			const secs = Math.max(1, Math.ceil((b.start + rateLimit.windowMs - now) / 1000));
			return {
				status: 429,
				headers: { 'Retry-After': String(secs) },
				payload: {
					Errors: [{ Code: 429, Message: `Too many requests. Wait for ${secs} seconds for another ${rateLimit.limit} attempts.` }],
				},
			};
		}
		b.count++;
		return null;
	}

	function checkRecipients(list, codes, missingCode, invalidCode) {
		let missing = false;
		let invalid = false;
		for (const r of list) {
			if (!r || typeof r !== 'object' || isMissing(r.email) || isMissing(r.name)) missing = true;
			else if (!isEmail(String(r.email))) invalid = true;
		}
		if (missing) codes.push(missingCode);
		if (invalid) codes.push(invalidCode);
	}

	const asList = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : null);

	function v1SendEmail(req, ctx, body, jsonError) {
		const ct = String(req.headers['content-type'] || '').toLowerCase();
		if (!/^application\/json\b/.test(ct)) return v1Error(400, [{ Code: 9999, Message: 'Unsupported content type' }]);
		if (jsonError) return v1Error(400, [{ Code: 9999, Message: 'Invalid JSON body' }]);
		const b = body;
		const codes = [];
		if (!ctx.domain.active) codes.push(32);
		if (isMissing(b.Subject)) codes.push(8);
		const contentType = str(b.ContentType).toLowerCase();
		if (contentType !== 'html' && contentType !== 'plain') codes.push(9);
		// The seed's table names HtmlContent; its error text and Octeth's reference name HTMLContent.
		const htmlContent =
			state.htmlContentName === 'either' ? (isMissing(b.HTMLContent) ? b.HtmlContent : b.HTMLContent) : b[state.htmlContentName];
		// A template (TemplateID, Octeth's reference) supplies the content.
		const templated = !isMissing(b.TemplateID);
		if (contentType === 'html' && isMissing(htmlContent) && !templated) codes.push(10);
		if (contentType === 'plain' && isMissing(b.PlainContent) && !templated) codes.push(11);
		const from = b.From;
		if (!from || typeof from !== 'object' || Array.isArray(from) || isMissing(from.email) || isMissing(from.name)) codes.push(3);
		else if (!isEmail(String(from.email))) codes.push(23);
		// Octeth's reference: To is required unless TargetListID is set.
		const toList = !isMissing(b.TargetListID) && (b.To === undefined || b.To === null) ? [] : b.To;
		const to = asList(toList) ?? (Array.isArray(toList) ? toList : null);
		if (!to || (to.length === 0 && isMissing(b.TargetListID))) codes.push(20);
		else checkRecipients(to, codes, 18, 19);
		let cc = [];
		if (!isMissing(b.CC)) {
			cc = asList(b.CC);
			if (!cc) {
				codes.push(21);
				cc = [];
			} else checkRecipients(cc, codes, 21, 22);
		}
		let bcc = [];
		if (b.BCC !== undefined && b.BCC !== null && b.BCC !== '') {
			if (!Array.isArray(b.BCC)) codes.push(24);
			else {
				bcc = b.BCC;
				checkRecipients(bcc, codes, 25, 26);
				if (bcc.length > opts.maxBcc) codes.push(27);
			}
		}
		let replyTo = [];
		if (b.ReplyTo !== undefined && b.ReplyTo !== null && b.ReplyTo !== '') {
			if (!Array.isArray(b.ReplyTo)) codes.push(28);
			else {
				replyTo = b.ReplyTo;
				checkRecipients(replyTo, codes, 29, 30);
				if (replyTo.length > opts.maxReplyTo) codes.push(31);
			}
		}
		if (b.TargetListID !== undefined && b.TargetListID !== null && b.TargetListID !== '' && !/^\d+$/.test(str(b.TargetListID))) {
			codes.push(16);
		}
		// Octeth's reference: numeric ids with codes 15 and 35-38.
		for (const [key, code] of [['TemplateID', 15], ['ListID', 35], ['SubscriberID', 36], ['JourneyID', 37], ['ActionID', 38]]) {
			if (!isMissing(b[key]) && !/^\d+$/.test(str(b[key]))) codes.push(code);
		}
		const suppressed = new Set(state.suppressed.map((e) => String(e).toLowerCase()));
		const allRecipients = [...(to || []), ...cc, ...bcc];
		if (allRecipients.some((r) => r && typeof r === 'object' && suppressed.has(str(r.email).toLowerCase()))) codes.push(14);
		const errors = codes.map((c) => ({ Code: c, Message: V1_ERR[c] }));
		const attachments = [];
		if (b.Attachments !== undefined && b.Attachments !== null) {
			// Octeth's reference: [{filename, content (base64), type, disposition, contentid}].
			const list = Array.isArray(b.Attachments) ? b.Attachments : null;
			let bad = !list;
			for (const a of list || []) {
				if (!a || typeof a !== 'object' || isMissing(a.filename) || typeof a.content !== 'string' || !isBase64(a.content)) {
					bad = true;
					continue;
				}
				attachments.push({
					fileName: String(a.filename),
					contentType: a.type ? String(a.type) : 'application/octet-stream',
					disposition: a.disposition ? String(a.disposition) : 'attachment',
					content: a.content,
					size: Buffer.from(a.content.replace(/\s+/g, ''), 'base64').length,
				});
			}
			// No documented code: 9998 for attachments that are not {filename, content(base64), ...}.
			if (bad) errors.push({ Code: 9998, Message: 'Invalid Attachments: each attachment needs filename and base64 content' });
		}
		// Octeth's reference: SendAt is a Unix timestamp, TrackLinks/TrackOpens the strings "true"/"false".
		if (!isMissing(b.SendAt) && !/^\d+$/.test(str(b.SendAt))) errors.push({ Code: 9997, Message: 'Invalid SendAt: expected a Unix timestamp' });
		for (const flag of ['TrackLinks', 'TrackOpens']) {
			if (b[flag] !== undefined && !['true', 'false'].includes(str(b[flag]))) errors.push({ Code: 9996, Message: `Invalid ${flag}: expected "true" or "false"` });
		}
		if (errors.length) return v1Error(422, errors);
		if (state.sentEmails.length >= opts.sendLimit) return v1Error(422, [17]);
		const tags = Array.isArray(b.Tags)
			? b.Tags.map(String)
			: typeof b.Tags === 'string' && b.Tags.trim() !== ''
				? b.Tags.split(',').map((t) => t.trim()).filter(Boolean)
				: [];
		const email = {
			messageId: uuid(),
			domainId: ctx.domain.id,
			apiKeyId: ctx.apiKey.id,
			from: { email: String(from.email), name: String(from.name) },
			to: to.map((r) => ({ email: String(r.email), name: String(r.name) })),
			cc: cc.map((r) => ({ email: String(r.email), name: String(r.name) })),
			bcc: bcc.map((r) => ({ email: String(r.email), name: String(r.name) })),
			replyTo: replyTo.map((r) => ({ email: String(r.email), name: String(r.name) })),
			subject: String(b.Subject),
			contentType,
			htmlContent: htmlContent,
			plainContent: b.PlainContent,
			attachments,
			headers: b.Headers,
			tags,
			trackLinks: b.TrackLinks,
			trackOpens: b.TrackOpens,
			sendAt: b.SendAt === undefined ? undefined : Number(b.SendAt),
			templateId: b.TemplateID,
			targetListId: b.TargetListID === undefined || b.TargetListID === null ? undefined : str(b.TargetListID),
			status: 'Queued',
			createdAt: sqlDate(Date.now()),
		};
		state.sentEmails.push(email);
		return { status: 200, payload: { MessageID: email.messageId } };
	}

	function isBase64(s) {
		const clean = s.replace(/\s+/g, '');
		if (clean.length % 4 !== 0) return false;
		return /^[A-Za-z0-9+/]*={0,2}$/.test(clean);
	}

	function v1Webhooks(method, ctx, params) {
		if (method === 'GET') {
			return {
				status: 200,
				payload: {
					Webhooks: state.webhooks
						.filter((w) => w.domainId === ctx.domain.id)
						.map((w) => ({ WebhookID: w.id, Event: TO_V1_EVENT[w.event] || w.event, URL: w.url, Status: w.status })),
				},
			};
		}
		if (method === 'POST') {
			const codes = [];
			let event;
			if (isMissing(params.Event)) codes.push({ Code: 2, Message: 'Event is missing' });
			else {
				event = normalizeEvent(params.Event);
				if (!event) codes.push({ Code: 3, Message: 'Invalid Event value' });
			}
			const url = str(params.WebhookURL);
			// A malformed URL is reported with code 5 too: the seed has no other code for it.
			if (url === '' || !isHttpUrl(url)) codes.push({ Code: 5, Message: 'WebhookURL is missing' });
			else if (isForbiddenWebhookHost(url)) codes.push({ Code: 7, Message: 'WebhookURL cannot point to localhost, loopback, or .local addresses' });
			if (codes.length) return v1Error(422, codes);
			const w = addWebhook(ctx.domain.id, event, str(params.Event), url, 'v1');
			return { status: 200, payload: { NewWebhookID: w.id } };
		}
		if (method === 'DELETE') {
			if (isMissing(params.WebhookID)) return v1Error(422, [{ Code: 1, Message: 'WebhookID is missing' }]);
			const id = str(params.WebhookID);
			const w = state.webhooks.find((x) => x.id === id && x.domainId === ctx.domain.id);
			if (!w) return v1Error(422, [{ Code: 4, Message: 'Invalid WebhookID' }]);
			removeWhere(state.webhooks, (x) => x === w);
			return { status: 200, payload: { Message: 'Webhook successfully deleted.' } };
		}
		return v1Error(405, [{ Code: 405, Message: 'Method not allowed' }]);
	}

	function v1Events(ctx, params) {
		const errors = [];
		let startFrom = 0;
		let count = 5;
		if (!isMissing(params.StartFrom)) {
			if (!/^\d+$/.test(str(params.StartFrom))) errors.push({ Code: 4, Message: 'Missing StartFrom' });
			else startFrom = Number(str(params.StartFrom));
		}
		if (!isMissing(params.RetrieveCount)) {
			if (!/^\d+$/.test(str(params.RetrieveCount)) || Number(str(params.RetrieveCount)) < 1) {
				errors.push({ Code: 5, Message: 'Missing RetrieveCount' });
			} else count = Math.min(100, Number(str(params.RetrieveCount)));
		}
		if (errors.length) return v1Error(422, errors);
		const from = parseV1Date(params.StartDate, false);
		const to = parseV1Date(params.EndDate, true);
		const wanted = isMissing(params.Event) ? undefined : normalizeEvent(params.Event) || str(params.Event).toLowerCase();
		const messageId = str(params.MessageID);
		const list = state.events
			.filter(
				(e) =>
					e.domainId === ctx.domain.id &&
					(from === undefined || e.timestamp >= from) &&
					(to === undefined || e.timestamp <= to) &&
					(wanted === undefined || e.event === wanted) &&
					(messageId === '' || e.messageId === messageId),
			)
			.sort((a, b) => a.timestamp - b.timestamp);
		return {
			status: 200,
			payload: {
				TotalRecords: list.length,
				Events: list.slice(startFrom, startFrom + count).map((e) => ({
					EventId: e.id,
					EventType: e.event,
					EventTimestamp: isoSeconds(e.timestamp),
					Recipient: e.recipient,
					MessageId: e.messageId,
					CampaignId: e.campaignId,
					Details: e.details,
				})),
			},
		};
	}

	const V1_ROUTES = { '/api/v1/webhooks': ['GET', 'POST', 'DELETE'], '/api/v1/events': ['GET'], '/api/v1/email': ['POST'] };

	function handleV1(req, pathname, query, body, jsonError) {
		const methods = V1_ROUTES[pathname];
		if (!methods) return v1Error(404, [{ Code: 404, Message: 'Not found' }]);
		if (!methods.includes(req.method)) return v1Error(405, [{ Code: 405, Message: 'Method not allowed' }]);
		const params = { ...body, ...query };
		const ctx = v1Auth(req, params);
		if (ctx.error) return ctx.error;
		const limited = v1RateLimit(ctx.apiKey.key);
		if (limited) return limited;
		ctx.apiKey.lastUsedAt = sqlDate(Date.now());
		if (pathname === '/api/v1/email') return v1SendEmail(req, ctx, body, jsonError);
		if (pathname === '/api/v1/events') return v1Events(ctx, params);
		return v1Webhooks(req.method, ctx, params);
	}

	// ---------------------------------------------------------------- faults, HTTP server

	function takeFault(method, pathname, params) {
		for (let i = 0; i < faults.length; i++) {
			const f = faults[i];
			if (f.path && f.path !== pathname) continue;
			if (f.method && f.method.toUpperCase() !== method) continue;
			if (f.params && !Object.entries(f.params).every(([k, v]) => params && str(params[k]) === str(v))) continue;
			f.remaining--;
			if (f.remaining <= 0) faults.splice(i, 1);
			return f;
		}
		return undefined;
	}

	function applyFault(req, res, f, pathname) {
		const answer = () => {
			if (f.destroy) {
				req.socket.destroy();
				return;
			}
			const status = f.status || 500;
			const headers = { ...(f.headers || {}) };
			if (f.retryAfter !== undefined && f.retryAfter !== null) headers['Retry-After'] = String(f.retryAfter);
			let body = f.body;
			if (body === undefined) {
				const msg =
					status === 429
						? `Too many requests. Wait for ${f.retryAfter !== undefined ? f.retryAfter : 60} seconds for another ${rateLimit ? rateLimit.limit : 100} attempts.`
						: `Injected failure (HTTP ${status})`;
				body = pathname.startsWith('/api/v1/')
					? { Errors: [{ Code: status, Message: msg }] }
					: { Success: false, ErrorCode: status, ErrorMessage: msg };
			}
			if (typeof body === 'string') {
				res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
				res.end(body);
			} else sendJson(res, status, body, headers);
		};
		if (f.delayMs) setTimeout(answer, f.delayMs);
		else answer();
	}

	function onRequest(req, res) {
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (c) => {
			size += c.length;
			if (size > 30 * 1024 * 1024) tooBig = true;
			else chunks.push(c);
		});
		req.on('end', () => {
			const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
			const qIdx = req.url.indexOf('?');
			const pathname = qIdx < 0 ? req.url : req.url.slice(0, qIdx);
			const query = qIdx < 0 ? {} : searchParamsToObject(new URLSearchParams(req.url.slice(qIdx + 1)));
			const { body, jsonError } = parseBody(buf, req.headers['content-type']);
			const isApiPhp = pathname === '/api.php';
			const apiParams = isApiPhp ? { ...query, ...body } : undefined;
			if (opts.recordRequests) {
				requests.push({
					method: req.method,
					path: pathname,
					query,
					headers: { ...req.headers },
					body,
					rawBody: buf.toString('utf8'),
					command: isApiPhp && apiParams.Command !== undefined ? str(apiParams.Command) : undefined,
					time: Date.now(),
				});
			}
			if (tooBig) return sendJson(res, 413, { Errors: [{ Code: 413, Message: 'Request body too large' }] });
			const fault = faults.length ? takeFault(req.method, pathname, { ...query, ...body }) : undefined;
			if (fault) return applyFault(req, res, fault, pathname);
			try {
				if (isApiPhp) {
					if (req.method !== 'POST' && req.method !== 'GET') return sendJson(res, 405, UNKNOWN_COMMAND);
					return sendJson(res, 200, handleApiPhp(apiParams));
				}
				if (pathname.startsWith('/api/v1/')) {
					const r = handleV1(req, pathname, query, body, jsonError);
					return sendJson(res, r.status, r.payload, r.headers);
				}
				return sendJson(res, 404, { Errors: [{ Code: 404, Message: 'Not found' }] });
			} catch (err) {
				return sendJson(res, 500, { Errors: [{ Code: 500, Message: `Fake server error: ${err && err.message}` }] });
			}
		});
	}

	// ---------------------------------------------------------------- webhook deliveries

	function deliver(url, body, headers) {
		return new Promise((resolve) => {
			let u;
			try {
				u = new URL(url);
			} catch (err) {
				resolve({ url, status: 0, body: '', error: String(err.message) });
				return;
			}
			const mod = u.protocol === 'https:' ? require('node:https') : http;
			const req = mod.request(
				u,
				{ method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, timeout: 10000 },
				(res) => {
					const parts = [];
					res.on('data', (c) => parts.push(c));
					res.on('end', () => resolve({ url, status: res.statusCode, body: Buffer.concat(parts).toString('utf8'), headers: res.headers }));
					res.on('error', (err) => resolve({ url, status: res.statusCode || 0, body: '', error: String(err.message) }));
				},
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (err) => resolve({ url, status: 0, body: '', error: String(err.message) }));
			req.end(body);
		});
	}

	/**
	 * POSTs a webhook delivery of `event` to every webhook of the domain registered for it (either API).
	 * @param {string} domainId
	 * @param {string} event  delivery|bounce|… or delivered|bounced|…
	 * @param {{email?:string, messageId?:string, timestamp?:number, style?:'header'|'timestamped'|'mailgun'|'unsigned'|'bad-signature',
	 *          details?:Object, eventId?:string, record?:boolean, url?:string, signedAt?:number,
	 *          envelope?:'email-gateway'|'octeth', eventName?:string, payload?:Object|Array<Object>,
	 *          alsoSignWith?:string[], repeatSignatureHeader?:boolean, headers?:Object<string,string>}} [o]
	 *   `url` fires at that URL only (even if not registered); `record` also adds the event to state.events.
	 *   `signedAt` is the signed delivery time (the `t=` of 'timestamped', the Mailgun-style `timestamp`;
	 *   default `timestamp`): a retry of the same event is signed anew at a later time.
	 *   `envelope: 'octeth'` sends Octeth's account-webhook envelope {id, type, occurred_at, data} with the
	 *   headers X-Octeth-Event and X-Octeth-Delivery (= id). `eventName` is the event name written in the
	 *   payload (default the command name, or the v1 name for 'mailgun' / 'octeth'); `payload` replaces the
	 *   generated body (an array is a batch) and is signed as it is. `alsoSignWith` adds a `v1` under each of
	 *   those keys before the domain key's ('timestamped': a key rotation); `repeatSignatureHeader` sends
	 *   X-Octeth-Signature twice; `headers` are added to the request.
	 * @returns {Promise<Array<{url:string,status:number,body:string,headers?:Object,error?:string,payload:string,signature?:string}>>}
	 */
	async function fire(domainId, event, o = {}) {
		const id = str(domainId);
		const key = state.signingKeys[id];
		if (!key) throw new Error(`fire(): unknown domain ${id}`);
		const normalized = normalizeEvent(event);
		if (!normalized) throw new Error(`fire(): unknown event ${event}`);
		const style = o.style || 'header';
		const ts = o.timestamp !== undefined ? Number(o.timestamp) : Math.floor(Date.now() / 1000);
		const signedAt = o.signedAt !== undefined ? Number(o.signedAt) : ts;
		const email = o.email || 'user@example.com';
		const messageId = o.messageId || 'msg-1';
		const eventId = o.eventId || `evt_${gen('event-id').slice(0, 16)}`;
		const defaultDetails = {
			delivery: { Status: 'delivered' },
			bounce: { BounceType: 'hard', Reason: '550 5.1.1 User unknown' },
			open: { UserAgent: 'Mozilla/5.0', IpAddress: '192.0.2.1' },
			click: { Url: 'https://example.com/', UserAgent: 'Mozilla/5.0', IpAddress: '192.0.2.1' },
			unsubscribe: { IpAddress: '192.0.2.1' },
			complaint: { FeedbackType: 'abuse' },
		}[normalized];
		const details = o.details || defaultDetails;
		if (o.record) addEvent(id, { event: normalized, email, messageId, timestamp: ts, details, eventId });
		const targets = o.url ? [o.url] : state.webhooks.filter((w) => w.domainId === id && w.event === normalized).map((w) => w.url);
		let payload;
		const headers = { 'Content-Type': 'application/json', 'User-Agent': 'Octeth-Webhook/1.0 (fake)' };
		let signature;
		if (style === 'mailgun') {
			const token = gen('mailgun-token').slice(0, 50);
			signature = hmacHex(key, String(signedAt) + token);
			payload =
				o.payload !== undefined
					? JSON.stringify(o.payload)
					: JSON.stringify({
							signature: { timestamp: String(signedAt), token, signature },
							'event-data': {
								id: eventId,
								event: o.eventName || TO_V1_EVENT[normalized],
								recipient: email,
								timestamp: ts,
								message: { headers: { 'message-id': messageId } },
								'delivery-status':
									normalized === 'bounce' ? { code: 550, message: details.Reason || '', severity: 'permanent' } : undefined,
							},
						});
		} else {
			if (o.payload !== undefined) payload = JSON.stringify(o.payload);
			else if (o.envelope === 'octeth') {
				const type = o.eventName || TO_V1_EVENT[normalized];
				payload = JSON.stringify({
					id: eventId,
					type,
					occurred_at: isoSeconds(ts),
					data: { domain_id: id, email, message_id: messageId, ...details },
				});
				headers['X-Octeth-Event'] = type;
				headers['X-Octeth-Delivery'] = eventId;
			} else {
				payload = JSON.stringify({
					Event: o.eventName || normalized,
					DomainID: id,
					EventId: eventId,
					EventTimestamp: isoSeconds(ts),
					Timestamp: ts,
					Recipient: email,
					MessageId: messageId,
					Details: details,
				});
			}
			if (style === 'header') signature = hmacHex(key, payload);
			// Octeth's account-webhook scheme: t=<unix>,v1=HMAC("<t>.<raw body>").
			else if (style === 'timestamped') {
				const keys = [...(o.alsoSignWith || []), key];
				signature = `t=${signedAt},${keys.map((k) => `v1=${hmacHex(k, `${signedAt}.${payload}`)}`).join(',')}`;
			} else if (style === 'bad-signature') signature = hmacHex(key + '-wrong', payload);
			else if (style !== 'unsigned') throw new Error(`fire(): unknown style ${style}`);
			if (signature) headers['X-Octeth-Signature'] = o.repeatSignatureHeader ? [signature, signature] : signature;
		}
		Object.assign(headers, o.headers || {});
		const results = await Promise.all(targets.map((url) => deliver(url, payload, headers)));
		return results.map((r) => ({ ...r, payload, signature }));
	}

	// ---------------------------------------------------------------- start

	const server = http.createServer({ keepAlive: true }, onRequest);
	server.keepAliveTimeout = 30000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.removeListener('error', reject);
			resolve();
		});
	});
	const port = server.address().port;

	let closed = false;
	return {
		url: `http://${opts.host}:${port}`,
		port,
		requests,
		get state() {
			return state;
		},
		clearRequests() {
			requests.length = 0;
		},
		/** The first sender-domain API key (v1 Bearer token) of a domain; undefined when it has none. */
		senderKeyFor(domainId) {
			const k = state.apiKeys.find((x) => x.domainId === str(domainId));
			return k ? k.key : undefined;
		},
		signingKeyFor(domainId) {
			return state.signingKeys[str(domainId)];
		},
		/**
		 * Queues a fault for the next matching request(s): {status=500, retryAfter, times=1, path, method, params,
		 * body, headers, destroy, delayMs}. `params` matches query/body fields, e.g. { StartFrom: '100' } for a
		 * second page. Faults are matched in the order they were queued.
		 */
		failNext(f = {}) {
			faults.push({ ...f, remaining: f.times === undefined ? 1 : f.times });
		},
		clearFaults() {
			faults.length = 0;
		},
		resetRateLimits() {
			rateBuckets.clear();
		},
		addEvent,
		fire,
		hmacHex,
		async close() {
			if (closed) return;
			closed = true;
			const done = new Promise((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await done;
		},
	};
}

module.exports = { startEmailGatewayServer, normalizeEvent, hmacHex, COMMAND_EVENTS, V1_EVENTS };

if (require.main === module) {
	startEmailGatewayServer({
		port: Number(process.env.PORT || 0),
		accountApiKey: process.env.ACCOUNT_API_KEY || 'test-account-key',
		sessionId: process.env.SESSION_ID || undefined,
	}).then((s) => {
		process.stdout.write(
			JSON.stringify(
				{
					url: s.url,
					accountApiKey: s.state.accountApiKey,
					senderKeys: { 123: s.senderKeyFor('123'), 124: s.senderKeyFor('124') },
					signingKeys: { 123: s.signingKeyFor('123'), 124: s.signingKeyFor('124') },
				},
				null,
				2,
			) + '\n',
		);
		const stop = () => s.close().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
