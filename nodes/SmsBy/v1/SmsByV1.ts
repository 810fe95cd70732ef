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
import { smsByOperations, smsByResources } from '../operations';
import { searchLists } from '../transport';
import { smsByClient } from '../trigger';

/** Version 1 of the SMS.by node: what workflows saved with typeVersion 1 run. */
export class SmsByV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = actionNodeDescription(baseDescription, {
			version: 1,
			name: 'SMS.by',
			resources: smsByResources,
			operations: smsByOperations,
		});
	}

	methods = {
		listSearch: {
			async searchLists(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchLists(this, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, smsByOperations, smsByClient);
	}
}
