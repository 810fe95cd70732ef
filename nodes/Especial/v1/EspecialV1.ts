import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionNodeDescription } from '../../shared/description/properties';
import { executeOperations } from '../../shared/execution/execute';
import { especialOperations, especialResources } from '../operations';
import { especialLoadOptions, especialRequest } from '../transport';

/** Version 1 of the Especial node: what workflows saved with typeVersion 1 run. */
export class EspecialV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = actionNodeDescription(baseDescription, {
			version: 1,
			name: 'Especial',
			resources: especialResources,
			operations: especialOperations,
		});
	}

	methods = { loadOptions: especialLoadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, especialOperations, { call: especialRequest });
	}
}
