import type { OperationDefinition } from '../../shared/model/operation';
import { command, COMMAND_EVENT_OPTIONS, dateRangeFields, domainField, SENDER_API_ERRORS, senderEndpoint } from './common';

export const eventOperations: OperationDefinition[] = [
	command({
		resource: 'event',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many email events',
		description: 'List the email events of a sender domain',
		title: 'Retrieve Email Events',
		command: 'EmailGateway.GetEvents',
		idempotent: true,
		pagination: { style: 'offset', offsetKey: 'StartFrom', countKey: 'RetrieveCount', maxPageSize: 100, itemsKey: 'Events', totalKey: 'TotalRecords' },
		fields: [
			domainField,
			...dateRangeFields('date'),
			{ displayName: 'Event', name: 'event', apiName: 'Event', type: 'options', options: COMMAND_EVENT_OPTIONS, default: 'open', description: 'Only events of this type' },
			{ displayName: 'Query', name: 'query', apiName: 'Query', type: 'string', default: '', placeholder: 'subject:welcome', description: 'A query string to filter events' },
		],
		errorCodes: {
			'1': 'Required parameter missing: DomainID',
			'2': 'Failed to retrieve sender domain',
			'4': 'Required parameter missing: StartFrom',
			'5': 'Required parameter missing: RetrieveCount',
		},
	}),
	command({
		resource: 'event',
		operation: 'getAggregated',
		name: 'Get Aggregated',
		action: 'Get aggregated email events',
		description: 'Aggregate the email events of a sender domain by a field',
		title: 'Retrieve Aggregated Email Events',
		command: 'EmailGateway.AggrEvents',
		idempotent: true,
		fields: [
			domainField,
			...dateRangeFields('date'),
			{ displayName: 'Aggregated Field', name: 'aggregatedField', apiName: 'AggregatedField', type: 'string', default: '', placeholder: 'eventType', description: 'The field to aggregate the events by' },
			{ displayName: 'Aggregate Size', name: 'aggregateSize', apiName: 'AggregateSize', type: 'number', minValue: 1, default: 10, description: 'The maximum number of aggregation buckets to return' },
		],
		errorCodes: { '1': 'Required parameter missing: DomainID', '2': 'Failed to retrieve sender domain' },
	}),
	senderEndpoint({
		resource: 'event',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many email events',
		description: 'List the events of the sender domain with its API key',
		title: 'Retrieve Email Events (End User Friendly)',
		method: 'GET',
		path: '/api/v1/events',
		idempotent: true,
		pagination: { style: 'offset', offsetKey: 'StartFrom', countKey: 'RetrieveCount', maxPageSize: 100, itemsKey: 'Events', totalKey: 'TotalRecords' },
		fields: [
			...dateRangeFields('unixTime'),
			{ displayName: 'Event', name: 'event', apiName: 'Event', type: 'options', options: COMMAND_EVENT_OPTIONS, default: 'open', description: 'Only events of this type' },
			{ displayName: 'Message ID', name: 'messageId', apiName: 'MessageID', type: 'string', default: '', description: 'Only events of this message' },
		],
		errorCodes: { ...SENDER_API_ERRORS, '1': 'Missing SenderAPIKey', '4': 'Missing StartFrom', '5': 'Missing RetrieveCount' },
	}),
];
