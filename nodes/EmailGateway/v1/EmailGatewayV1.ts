import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	authenticationProperties,
	credentialsFor,
	fieldProperties,
	operationProperties,
	resourceProperty,
	subtitleOf,
} from '../../shared/description/properties';
import { executeOperations } from '../../shared/execution/execute';
import { CREDENTIAL_LABELS, DOCUMENTED_LIMIT } from '../descriptions/common';
import { emailGatewayOperations, emailGatewayResources } from '../operations';
import { emailGatewayRequest, searchDomains } from '../transport';

/** Version 1 of the Email Gateway node: what workflows saved with typeVersion 1 run. */
export class EmailGatewayV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: subtitleOf(emailGatewayResources, emailGatewayOperations),
			defaults: { name: 'Email Gateway' },
			usableAsTool: true,
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: credentialsFor(emailGatewayOperations),
			properties: [
				// Authentication first: the Operation dropdowns depend on it (as in n8n's Mailchimp node).
				...authenticationProperties(emailGatewayOperations, CREDENTIAL_LABELS),
				resourceProperty(emailGatewayResources),
				...operationProperties(emailGatewayOperations, CREDENTIAL_LABELS),
				...fieldProperties(emailGatewayOperations, { documentedLimit: DOCUMENTED_LIMIT }),
			],
		};
	}

	methods = {
		listSearch: {
			async searchDomains(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchDomains(this, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, emailGatewayOperations, { call: emailGatewayRequest });
	}
}
