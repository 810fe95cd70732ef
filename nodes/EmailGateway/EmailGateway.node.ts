import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	assertCredentialsSeparable,
	credentialsFor,
	fieldProperties,
	operationProperties,
	resourceProperty,
} from '../shared/description';
import { executeOperations } from '../shared/execute';
import { emailGatewayOperations, emailGatewayResources } from './operations';
import { emailGatewayRequest, loadDomainOptions } from './transport';

assertCredentialsSeparable(emailGatewayOperations);

export class EmailGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Email Gateway',
		name: 'emailGateway',
		icon: { light: 'file:../../icons/emailGateway.svg', dark: 'file:../../icons/emailGateway.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send email and manage sender domains, keys, SMTP, webhooks and events of an Email Gateway (Octeth) installation',
		defaults: { name: 'Email Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(emailGatewayOperations),
		properties: [
			resourceProperty(emailGatewayResources),
			...operationProperties(emailGatewayOperations),
			...fieldProperties(emailGatewayOperations),
		],
	};

	methods = {
		loadOptions: {
			async getDomains(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await loadDomainOptions(this);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, emailGatewayOperations, { call: emailGatewayRequest });
	}
}
