import type { FieldDefinition, OperationDefinition } from '../../shared/model/operation';
import { command, domainField } from './common';

const smtpIdField: FieldDefinition = {
	displayName: 'SMTP ID',
	name: 'smtpId',
	apiName: 'smtpid',
	type: 'string',
	default: '',
	required: true,
	description: 'The unique identifier of the SMTP configuration',
};

export const smtpOperations: OperationDefinition[] = [
	command({
		resource: 'smtp',
		operation: 'create',
		name: 'Create',
		action: 'Create an SMTP configuration',
		description: 'Add a new SMTP configuration for a sender domain',
		title: 'Add a New SMTP Configuration',
		command: 'EmailGateway.AddSMTP',
		fields: [domainField],
		errorCodes: { '1': "Required field 'DomainID' is missing.", '2': 'Unable to retrieve the sender domain.' },
	}),
	command({
		resource: 'smtp',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many SMTP configurations',
		description: 'Retrieve the SMTP server details of a sender domain',
		title: 'Retrieve SMTP Server Details',
		command: 'EmailGateway.GetSMTPs',
		idempotent: true,
		itemsKey: 'SMTPs',
		fields: [domainField],
		errorCodes: { '1': "Missing required parameter 'DomainID'.", '2': 'Unable to retrieve sender domain details.' },
	}),
	command({
		resource: 'smtp',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete an SMTP configuration',
		description: 'Delete an SMTP configuration',
		title: 'Delete SMTP Configuration',
		command: 'EmailGateway.DeleteSMTP',
		idempotent: true,
		fields: [smtpIdField],
		errorCodes: { '1': 'Required field is missing', '2': 'SMTP configuration not found or user does not have permission' },
	}),
	command({
		resource: 'smtp',
		operation: 'resetPassword',
		name: 'Reset Password',
		action: 'Reset an SMTP password',
		description: 'Reset the password of an SMTP configuration',
		title: 'Reset SMTP Password',
		command: 'EmailGateway.ResetSMTPPassword',
		fields: [smtpIdField],
		errorCodes: { '1': "Missing required parameter 'smtpid'", '2': 'SMTP configuration not found or access denied' },
	}),
];
