import type { OperationDefinition } from '../../shared/model/operation';
import { command, dateRangeFields, domainField } from './common';

export const statisticsOperations: OperationDefinition[] = [
	command({
		resource: 'statistic',
		operation: 'getDomainStatistics',
		name: 'Get Domain Statistics',
		action: 'Get domain statistics',
		description: 'Overall, comparison and tag statistics of a sender domain',
		title: 'Retrieve Domain Statistics',
		command: 'EmailGateway.DomainStats',
		idempotent: true,
		fields: [
			domainField,
			...dateRangeFields('date', 'statistics'),
		],
		errorCodes: { '1': 'Required parameter missing: DomainID', '2': 'Unable to retrieve domain information' },
	}),
];
