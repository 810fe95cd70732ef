import { toCatalog } from '../shared/description/properties';
import type { OperationDefinition } from '../shared/model/operation';
import { apiKeyOperations } from './descriptions/ApiKeyDescription';
import { CREDENTIAL_LABELS } from './descriptions/common';
import { domainOperations } from './descriptions/DomainDescription';
import { emailOperations } from './descriptions/EmailDescription';
import { eventOperations } from './descriptions/EventDescription';
import { smtpOperations } from './descriptions/SmtpDescription';
import { statisticsOperations } from './descriptions/StatisticsDescription';
import { webhookOperations } from './descriptions/WebhookDescription';

/** Every Email Gateway operation: the node's UI, its requests and the package catalog read this list. */
export const emailGatewayOperations: OperationDefinition[] = [
	...domainOperations,
	...apiKeyOperations,
	...smtpOperations,
	...webhookOperations,
	...eventOperations,
	...statisticsOperations,
	...emailOperations,
].map((operation) => ({ ...operation, credentialLabel: CREDENTIAL_LABELS[operation.credential] }));

export const emailGatewayResources = [
	{ name: 'API Key', value: 'apiKey', description: 'API keys of sender domains' },
	{ name: 'Domain', value: 'domain', description: 'Sender domains' },
	{ name: 'Email', value: 'email', description: 'Send emails' },
	{ name: 'Event', value: 'event', description: 'Delivery, open, click and other email events' },
	{ name: 'SMTP', value: 'smtp', description: 'SMTP configurations of sender domains' },
	{ name: 'Statistic', value: 'statistic', description: 'Domain statistics' },
	{ name: 'Webhook', value: 'webhook', description: 'Webhooks for email events' },
];

export const emailGatewayCatalog = toCatalog(emailGatewayOperations);
