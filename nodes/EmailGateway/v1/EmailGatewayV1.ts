import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionNodeDescription } from '../../shared/description/properties';
import { executeOperations } from '../../shared/execution/execute';
import { CREDENTIAL_LABELS, DOCUMENTED_LIMIT } from '../descriptions/common';
import { emailGatewayOperations, emailGatewayResources } from '../operations';
import { emailGatewayRequest, searchDomains } from '../transport';

/** Version 1 of the Email Gateway node: what workflows saved with typeVersion 1 run. */
export class EmailGatewayV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = actionNodeDescription(baseDescription, {
			version: 1,
			name: 'Email Gateway',
			resources: emailGatewayResources,
			operations: emailGatewayOperations,
			credentialLabels: CREDENTIAL_LABELS,
			documentedLimit: DOCUMENTED_LIMIT,
		});
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
