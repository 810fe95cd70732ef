'use strict';
/**
 * Bench only (`node bench/run.js --floor`): the least a node can do per item while sending through n8n's
 * authenticated request helper, as the non-negotiables require of ours: no checks, no pacing, no retries,
 * every item's request at once, the credential read once. Send reads To per item (the same expression as
 * the other set-ups); Get Domain reads nothing per item. Loaded as a custom extension (CUSTOM.floorRequest).
 */
const SEND = { from: 'sender@example.com', fromName: 'Bench', subject: 'Bench', html: '<p>Hello from the benchmark</p>' };

class FloorRequest {
	constructor() {
		this.description = {
			displayName: 'Floor Request',
			name: 'floorRequest',
			group: ['transform'],
			version: 1,
			description: 'Bench only: one authenticated request per item, nothing else',
			defaults: { name: 'Floor Request' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [
				{ name: 'emailGatewaySenderApi', required: false, displayOptions: { show: { job: ['send'] } } },
				{ name: 'emailGatewayApi', required: false, displayOptions: { show: { job: ['domain'] } } },
			],
			properties: [
				{ displayName: 'Job', name: 'job', type: 'options', options: [{ name: 'Send', value: 'send' }, { name: 'Domain', value: 'domain' }], default: 'send' },
				{ displayName: 'To', name: 'to', type: 'string', default: '', displayOptions: { show: { job: ['send'] } } },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const job = this.getNodeParameter('job', 0);
		const type = job === 'send' ? 'emailGatewaySenderApi' : 'emailGatewayApi';
		const data = await this.getCredentials(type);
		const credentialsDecrypted = { id: 'floor', name: 'floor', type, data };
		const requestOf = (i) => {
			if (job !== 'send') return { method: 'POST', url: `${data.baseUrl}/api.php`, body: { Command: 'EmailGateway.GetDomain', ResponseFormat: 'JSON', DomainID: '123' }, json: true };
			const to = this.getNodeParameter('to', i);
			const body = { From: { email: SEND.from, name: SEND.fromName }, To: [{ email: to, name: to }], Subject: SEND.subject, ContentType: 'html', HtmlContent: SEND.html };
			return { method: 'POST', url: `${data.baseUrl}/api/v1/email`, body, json: true };
		};
		const out = await Promise.all(
			items.map(async (_, i) => ({
				json: await this.helpers.httpRequestWithAuthentication.call(this, type, requestOf(i), { credentialsDecrypted }),
				pairedItem: { item: i },
			})),
		);
		return [out];
	}
}

module.exports = { FloorRequest };
