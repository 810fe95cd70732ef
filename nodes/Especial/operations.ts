import { toCatalog } from '../shared/description/properties';
import type { INodePropertyOptions } from 'n8n-workflow';

import { ESPECIAL_CREDENTIAL } from './descriptions/common';
import { generatedOperations, generatedResources } from './descriptions/generated';
import { handWrittenOperations, withOverrides } from './descriptions/overrides';
import type { GeneratedOperation } from './descriptions/types';

/**
 * Every operation of the Especial seed (167): generated from the specification
 * (scripts/generate/especial.js), with the hand-written additions of descriptions/overrides.ts; then the
 * package's own (Check Trigger Webhooks). The node's UI, its requests and the package catalog read this list.
 */
export const especialOperations: GeneratedOperation[] = [...generatedOperations.map(withOverrides), ...handWrittenOperations(ESPECIAL_CREDENTIAL)];

const RESOURCE_DESCRIPTIONS: Record<string, string> = {
	account: 'Your own account',
	action: 'Actions of automation workflows (deprecated by Especial)',
	campaign: 'Email campaigns: create, schedule, send tests, archive',
	campaignBlueprint: 'Ready-made campaign designs',
	contact: 'Contacts of a list, their tags and interests, contact exports',
	customAttribute: 'Custom attributes of a list',
	dkim: 'DKIM keys of the brand',
	domain: 'Tracking and sending domains of the brand',
	form: 'Subscription forms',
	interest: 'Interests of a list',
	list: 'Contact lists',
	log: 'Activity logs of lists, campaigns, transactional email and actions, campaign log exports',
	report: 'Reports of lists, campaigns, accounts and actions',
	segment: 'Segments of a list',
	sender: 'Sender addresses',
	subAccount: 'Sub-accounts of a partner account',
	suppressedEmail: 'Suppressed email addresses',
	systemEmail: 'System emails configuration of the brand',
	tag: 'Contact tags',
	task: 'Asynchronous tasks',
	template: 'Email templates',
	token: 'Access tokens',
	transactionalEmail: 'Send transactional email',
	user: 'Users of the account',
	webhook: 'Webhooks for account events',
	workflow: 'Automation workflows (deprecated by Especial)',
	workflowBlueprint: 'Ready-made automation workflows (deprecated by Especial)',
};

export const especialResources: INodePropertyOptions[] = generatedResources.map((resource) => ({
	...resource,
	description: RESOURCE_DESCRIPTIONS[resource.value],
}));

export const especialCatalog = toCatalog(especialOperations);
