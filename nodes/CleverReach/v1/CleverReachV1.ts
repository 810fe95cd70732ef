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
import { cleverReachOperations, cleverReachResources } from '../operations';
import { cleverReachCall, searchAttributes, searchForms, searchGroups, searchMailings } from '../transport';

/** Version 1 of the CleverReach node: what workflows saved with typeVersion 1 run. */
export class CleverReachV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = actionNodeDescription(baseDescription, {
			version: 1,
			name: 'CleverReach',
			resources: cleverReachResources,
			operations: cleverReachOperations,
		});
	}

	methods = {
		listSearch: {
			async searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchGroups(this, filter);
			},
			async searchForms(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchForms(this, filter);
			},
			async searchMailings(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchMailings(this, filter);
			},
			async searchAttributes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchAttributes(this, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, cleverReachOperations, { call: cleverReachCall });
	}
}
