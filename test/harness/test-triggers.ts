/**
 * A test-only webhook trigger built on the shared handshake piece (nodes/shared/trigger/handshake.ts): its
 * URL is verified by the provider with a GET handshake, as CleverReach's is. It talks to the fake in
 * test/shared/handshake.test.ts over HTTP, through n8n's request helpers.
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { answerHandshake, handshakeToken, handshakeWebhook, isHandshakeRequest } from '../../nodes/shared/trigger/handshake';

const description = (fields: Partial<INodeTypeDescription>): INodeTypeDescription =>
	({
		group: ['trigger'],
		version: 1,
		description: 'Test-only trigger',
		inputs: [],
		outputs: ['main'],
		...fields,
	}) as INodeTypeDescription;

/** The token the test provider gets with the registration, and the handshake answer built from it. */
const verifyToken = (context: IHookFunctions | IWebhookFunctions) =>
	(context.getNodeParameter('fixedVerifyToken', '') as string) || handshakeToken(context, context.getNodeParameter('signingSecret') as string);

export class HandshakeTestTrigger implements INodeType {
	description = description({
		displayName: 'Handshake Test Trigger',
		name: 'handshakeTestTrigger',
		defaults: { name: 'Handshake Test Trigger' },
		// The GET handshake first: n8n registers webhooks in this order, and the check comes during create().
		webhooks: [handshakeWebhook(), { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{ displayName: 'Provider URL', name: 'providerUrl', type: 'string', default: '' },
			{ displayName: 'Signing Secret', name: 'signingSecret', type: 'string', typeOptions: { password: true }, default: '' },
			// A given token instead of the derived one, to replay a provider's documented example.
			{ displayName: 'Fixed Verify Token', name: 'fixedVerifyToken', type: 'string', default: '' },
		],
	});

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const answer = (await this.helpers.httpRequest({
					method: 'POST',
					url: `${this.getNodeParameter('providerUrl') as string}/hooks`,
					body: { url: this.getNodeWebhookUrl('default'), event: 'receiver', verify: verifyToken(this) },
					json: true,
				})) as IDataObject;
				this.getWorkflowStaticData('node').callToken = answer.call_token;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (isHandshakeRequest(this)) {
			return await answerHandshake(this, { parameter: 'secret', answer: (secret) => `${verifyToken(this)} ${secret}` });
		}
		return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
	}
}
