import type { OperationDefinition } from '../../shared/types';
import { command, domainField } from './common';

export const statisticsOperations: OperationDefinition[] = [
	command({
		resource: 'statistics',
		operation: 'getDomainStatistics',
		name: 'Get Domain Statistics',
		action: 'Get domain statistics',
		description: 'Overall, comparison and tag statistics of a sender domain',
		title: 'Retrieve Domain Statistics',
		command: 'EmailGateway.DomainStats',
		idempotent: true,
		fields: [
			domainField,
			{ displayName: 'Start Date', name: 'startDate', apiName: 'StartDate', type: 'dateTime', default: '', format: 'date', description: 'Start of the statistics period' },
			{ displayName: 'End Date', name: 'endDate', apiName: 'EndDate', type: 'dateTime', default: '', format: 'date', description: 'End of the statistics period' },
		],
		errorCodes: { '1': 'Required parameter missing: DomainID', '2': 'Unable to retrieve domain information' },
	}),
];
