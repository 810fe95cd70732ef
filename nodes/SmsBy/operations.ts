import { toCatalog } from '../shared/description/properties';
import type { OperationDefinition } from '../shared/model/operation';
import { bulkOperations } from './descriptions/BulkDescription';
import { emailOperations } from './descriptions/EmailDescription';
import { mailingListOperations } from './descriptions/MailingListDescription';
import { subscriptionOperations } from './descriptions/SubscriptionDescription';
import { templateOperations } from './descriptions/TemplateDescription';

/** Every SMS.by email operation: the node's UI, its requests and the package catalog read this list. */
export const smsByOperations: OperationDefinition[] = [
	...emailOperations,
	...bulkOperations,
	...subscriptionOperations,
	...templateOperations,
	...mailingListOperations,
];

export const smsByResources = [
	{ name: 'Bulk Mailing', value: 'bulk', description: 'One letter to many addresses, or personal letters in one mailing' },
	{ name: 'Email', value: 'email', description: 'Send a letter to one address or a mailing list' },
	{ name: 'Mailing List', value: 'mailingList', description: 'Mailing lists and their contacts' },
	{ name: 'Subscription', value: 'subscription', description: 'Unsubscribe an address, or subscribe it again' },
	{ name: 'Template', value: 'template', description: 'Email templates' },
];

export const smsByCatalog = toCatalog(smsByOperations);
