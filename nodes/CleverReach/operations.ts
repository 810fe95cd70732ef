import { toCatalog } from '../shared/description/properties';
import type { OperationDefinition } from '../shared/model/operation';
import { attributeOperations } from './descriptions/AttributeDescription';
import { blacklistOperations } from './descriptions/BlacklistDescription';
import { clientOperations } from './descriptions/ClientDescription';
import { debugOperations } from './descriptions/DebugDescription';
import { eventHookOperations } from './descriptions/EventHookDescription';
import { formOperations } from './descriptions/FormDescription';
import { groupOperations } from './descriptions/GroupDescription';
import { mailingOperations } from './descriptions/MailingDescription';
import { receiverOperations } from './descriptions/ReceiverDescription';

/** Every CleverReach operation: the node's UI, its requests and the package catalog read this list. */
export const cleverReachOperations: OperationDefinition[] = [
	...groupOperations,
	...receiverOperations,
	...attributeOperations,
	...formOperations,
	...mailingOperations,
	...blacklistOperations,
	...clientOperations,
	...debugOperations,
	...eventHookOperations,
];

export const cleverReachResources = [
	{ name: 'Attribute', value: 'attribute', description: 'Global and group attributes of receivers' },
	{ name: 'Blacklist', value: 'blacklist', description: 'Blocked addresses' },
	{ name: 'Client', value: 'client', description: 'Account facts, agency accounts and tokens' },
	{ name: 'Debug', value: 'debug', description: 'The token: its account and lifetime' },
	{ name: 'Event Hook', value: 'eventHook', description: 'Webhooks of a CleverReach Trigger: check they are still registered' },
	{ name: 'Form', value: 'form', description: 'Sign-up forms and double opt-in mails' },
	{ name: 'Group', value: 'group', description: 'Groups (receiver lists)' },
	{ name: 'Mailing', value: 'mailing', description: 'Mailings: drafts, sending, reports' },
	{ name: 'Receiver', value: 'receiver', description: 'Receivers (subscribers) of groups' },
];

/** The catalog: paths as the changelog writes them (`/v3/groups/{id}/clear`); requests add `.json` (transport.ts). */
export const cleverReachCatalog = toCatalog(cleverReachOperations);
