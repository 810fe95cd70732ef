import type { OperationDefinition } from '../../shared/model/operation';
import { clientField, endpoint } from './common';

/** GET /v3/clients/{id}/<what>: the changelog's client facts. */
const clientFact = (operation: string, name: string, what: string, title: string, description: string, unconfirmed = false): OperationDefinition =>
	endpoint({
		unconfirmed,
		resource: 'client',
		operation,
		name,
		action: `Get the ${name.replace(/^Get /, '').toLowerCase()} of a client`,
		description,
		title,
		method: 'GET',
		path: `/v3/clients/{id}/${what}`,
		fields: [clientField()],
	});

export const clientOperations: OperationDefinition[] = [
	clientFact('getReceiverCount', 'Get Receiver Count', 'receivercount', 'get count of receivers of a certain client', 'Number of receivers of a client'),
	clientFact('getActiveReceiverCount', 'Get Active Receiver Count', 'activereceivercount', 'get count of active receivers of a certain client', 'Number of active receivers of a client'),
	clientFact('getContingent', 'Get Contingent', 'contingent', 'get available amount of mails to send for a client', 'How many mails the client can still send'),
	clientFact('getInvoiceAddress', 'Get Invoice Address', 'invoiceaddress', 'gets invoice address of a client', 'Invoice address of a client'),
	clientFact('getNextInvoiceDate', 'Get Next Invoice Date', 'nextinvoicedate', 'gets date of the next invoice as timestamp', 'Date of the next invoice (unix time)'),
	clientFact('getPlan', 'Get Plan', 'plan', 'gets the name of the current plan of the client', 'Name of the client\'s current plan'),
	// Unconfirmed: the changelog names GET /v2/clients/{id}/token (v2 only); no v3 source names it.
	clientFact('getToken', 'Get Token', 'token', 'Get JWT token for the desired client', 'A JWT token for a client of your agency', true),
	endpoint({
		resource: 'client',
		operation: 'createAccount',
		name: 'Create Account',
		action: 'Create an account in your agency',
		description: 'Create a CleverReach account within your agency account',
		title: 'create an account within your agency account',
		method: 'POST',
		path: '/v3/clients/createAccount',
		specialPermission: true,
		fields: [
			{ displayName: 'Company', name: 'company', apiName: 'company', type: 'string', required: true, default: '' },
			{ displayName: 'Email', name: 'email', apiName: 'email', type: 'string', format: 'email', required: true, default: '', placeholder: 'name@email.com', description: 'Login email of the new account' },
			{ displayName: 'First Name', name: 'firstname', apiName: 'firstname', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastname', apiName: 'name', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone', apiName: 'phone', type: 'string', default: '' },
			{ displayName: 'Street', name: 'street', apiName: 'street', type: 'string', default: '' },
			{ displayName: 'ZIP', name: 'zip', apiName: 'zip', type: 'string', default: '' },
			{ displayName: 'City', name: 'city', apiName: 'city', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', apiName: 'country', type: 'string', default: '', placeholder: 'e.g. DE' },
		],
	}),
];
