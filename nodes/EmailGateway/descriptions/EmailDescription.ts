import type { IDataObject } from 'n8n-workflow';

import { assertBinaryProperty, binaryPropertyNames, readBinaryFile } from '../../shared/input/binary';
import type { OperationContext, OperationDefinition } from '../../shared/model/operation';
import { headersProblem, inputError, readAddressList } from '../../shared/input/validation';
import { SENDER_API_ERRORS, senderEndpoint } from './common';

const addressHelp = 'Comma-separated addresses, each "email@example.com" or "Name <email@example.com>"';

/**
 * Turns a recipient text into the provider's [{email, name}] list (names without line breaks, IDNs in
 * punycode: shared readAddressList); the name defaults to the address (the API requires one).
 */
function recipients(context: OperationContext, label: string, text: unknown, required: boolean) {
	const node = context.ctx.getNode();
	const list = readAddressList(node, context.itemIndex, label, text);
	if (required && list.length === 0) {
		throw inputError(node, context.itemIndex, label, 'has no recipient', 'Add at least one email address.');
	}
	return list.map(({ email, name }) => ({ email, name: name || email }));
}

/** Inlines the item's binary properties as base64 attachments, in the shape Octeth's reference gives. */
async function attachments(context: OperationContext, propertyNames: string[]) {
	const files = [];
	for (const property of propertyNames) {
		const file = await readBinaryFile(context.ctx, context.itemIndex, property, 'Attachments');
		files.push({
			filename: file.fileName,
			content: file.data.toString('base64'),
			type: file.mimeType,
			disposition: 'attachment',
		});
	}
	return files;
}

async function buildSendEmailBody(context: OperationContext, body: IDataObject) {
	const node = context.ctx.getNode();
	body.From = { email: body.From, name: body.FromName };
	delete body.FromName;
	// A send to a subscriber list (Target List ID) needs no To.
	const toRequired = body.TargetListID === undefined;
	if (body.To !== undefined || toRequired) body.To = recipients(context, 'To', body.To, toRequired);
	for (const [key, label] of [
		['CC', 'CC'],
		['BCC', 'BCC'],
		['ReplyTo', 'Reply-To'],
	] as const) {
		if (body[key] !== undefined) body[key] = recipients(context, label, body[key], false);
	}

	const content = body.Content;
	delete body.Content;
	if (content === undefined && body.TemplateID === undefined) {
		throw inputError(node, context.itemIndex, 'Content', 'is required but empty', 'Write the email body, or set a Template ID.');
	}
	if (content === undefined) {
		// A template supplies the body.
	} else if (body.ContentType === 'html') {
		// One key only; the transport switches to HtmlContent (the seed's table) if the API answers error 10.
		body.HTMLContent = content;
	} else {
		body.PlainContent = content;
	}

	if (typeof body.Tags === 'string') {
		body.Tags = body.Tags.split(',').map((tag) => tag.trim()).filter(Boolean);
	}
	if (body.Headers !== undefined) {
		const headers = body.Headers;
		if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
			throw inputError(node, context.itemIndex, 'Headers (JSON)', 'must be a JSON object such as {"X-Campaign": "spring"}');
		}
		// Headers merged with Headers (JSON): the JSON's names and values get the same header checks.
		const problem = headersProblem(headers as IDataObject);
		if (problem) throw inputError(node, context.itemIndex, 'Headers', problem, 'Fix the header names and values in Headers and Headers (JSON).');
	}
	// Octeth's reference: tracking flags are the strings "true" / "false".
	for (const flag of ['TrackLinks', 'TrackOpens']) {
		if (typeof body[flag] === 'boolean') body[flag] = body[flag] ? 'true' : 'false';
	}
	if (body.Attachments !== undefined) {
		if (typeof body.Attachments !== 'string') {
			// A number or an object from an expression is not a binary property name: never passed through.
			throw inputError(node, context.itemIndex, 'Attachments', `must be names of binary properties, not ${JSON.stringify(body.Attachments)}`, 'Write the names of the binary properties of the item to attach, e.g. data, invoice.');
		}
		// Only checked here; the files are read right before this item is sent (finishSendEmailBody).
		const properties = binaryPropertyNames(body.Attachments);
		for (const property of properties) assertBinaryProperty(context.ctx, context.itemIndex, property, 'Attachments');
		body.Attachments = properties;
	}
}

async function finishSendEmailBody(context: OperationContext, body: IDataObject) {
	if (Array.isArray(body.Attachments) && body.Attachments.every((entry) => typeof entry === 'string')) {
		body.Attachments = await attachments(context, body.Attachments as string[]);
	}
}

export const emailOperations: OperationDefinition[] = [
	senderEndpoint({
		resource: 'email',
		operation: 'send',
		name: 'Send',
		action: 'Send an email',
		description: 'Send an email through the sender domain',
		title: 'Send Email',
		method: 'POST',
		path: '/api/v1/email',
		// Sending is never repeated after an unclear failure: the mail may already be out.
		idempotent: false,
		buildBody: buildSendEmailBody,
		finishBody: finishSendEmailBody,
		fields: [
			{ displayName: 'From Email', name: 'fromEmail', apiName: 'From', type: 'string', default: '', required: true, format: 'email', placeholder: 'sender@example.com', description: 'Sender address, on the sender domain' },
			{ displayName: 'From Name', name: 'fromName', apiName: 'FromName', type: 'string', default: '', required: true, format: 'headerText', placeholder: 'Jane from Example', description: 'Sender name (the API requires both name and address)' },
			{ displayName: 'To', name: 'to', apiName: 'To', type: 'string', default: '', main: true, placeholder: 'Jane Doe <jane@example.com>, joe@example.com', description: `${addressHelp}. Required unless Target List ID is set.` },
			{ displayName: 'Subject', name: 'subject', apiName: 'Subject', type: 'string', default: '', required: true, format: 'headerText', description: 'The subject of the email' },
			{
				displayName: 'Content Type',
				name: 'contentType',
				apiName: 'ContentType',
				type: 'options',
				required: true,
				default: 'html',
				options: [
					{ name: 'HTML', value: 'html' },
					{ name: 'Plain Text', value: 'plain' },
				],
				description: 'Whether the content is HTML or plain text',
			},
			{ displayName: 'Content', name: 'content', apiName: 'Content', type: 'string', default: '', main: true, rows: 6, description: 'Body of the email, HTML or plain text as chosen above. May stay empty when a Template ID is set.' },
			{ displayName: 'Plain Text Alternative', name: 'plainContent', apiName: 'PlainContent', type: 'string', default: '', rows: 4, description: 'Plain-text version sent alongside HTML content' },
			{ displayName: 'CC', name: 'cc', apiName: 'CC', type: 'string', default: '', description: addressHelp },
			{ displayName: 'BCC', name: 'bcc', apiName: 'BCC', type: 'string', default: '', description: addressHelp },
			{ displayName: 'Reply-To', name: 'replyTo', apiName: 'ReplyTo', type: 'string', default: '', description: addressHelp },
			{ displayName: 'Tags', name: 'tags', apiName: 'Tags', type: 'string', default: '', format: 'headerText', placeholder: 'welcome, onboarding', description: 'Comma-separated tags for tracking' },
			{
				displayName: 'Headers',
				name: 'customHeaders',
				apiName: 'Headers',
				type: 'fixedCollection',
				entryName: 'Header',
				default: {},
				// Header names (RFC 5322) and values without line breaks, checked per pair.
				format: 'headerName',
				pairs: { nameLabel: 'Name', valueLabel: 'Value' },
				description: 'Custom email headers, e.g. X-Campaign',
			},
			// Placed after Headers: a JSON object merges into it (its names win); anything else is refused in buildBody.
			{ displayName: 'Headers (JSON)', name: 'headers', apiName: 'Headers', type: 'json', default: '{}', description: 'Custom headers as a JSON object, e.g. {"X-Campaign": "spring"}, for headers built by an expression; merged with Headers' },
			{ displayName: 'Track Links', name: 'trackLinks', apiName: 'TrackLinks', type: 'boolean', default: true, description: 'Whether to track link clicks' },
			{ displayName: 'Track Opens', name: 'trackOpens', apiName: 'TrackOpens', type: 'boolean', default: true, description: 'Whether to track opens' },
			{ displayName: 'Send At', name: 'sendAt', apiName: 'SendAt', type: 'dateTime', default: '', format: 'unixTime', description: 'Planned delivery time (sent as a Unix timestamp)' },
			{ displayName: 'Target List ID', name: 'targetListId', apiName: 'TargetListID', type: 'string', default: '', format: 'integer', description: 'ID of the target subscriber list, when sending to a list' },
			{ displayName: 'Template ID', name: 'templateId', apiName: 'TemplateID', type: 'string', default: '', format: 'integer', description: 'ID of an email template to use' },
			{ displayName: 'List ID', name: 'listId', apiName: 'ListID', type: 'string', default: '', format: 'integer', description: 'List of the subscriber this email is about (personalization context)' },
			{ displayName: 'Subscriber ID', name: 'subscriberId', apiName: 'SubscriberID', type: 'string', default: '', format: 'integer', description: 'Subscriber this email is about (personalization)' },
			{ displayName: 'Journey ID', name: 'journeyId', apiName: 'JourneyID', type: 'string', default: '', format: 'integer', description: 'Journey that sends this email (tracking)' },
			{ displayName: 'Journey Action ID', name: 'actionId', apiName: 'ActionID', type: 'string', default: '', format: 'integer', description: 'Journey action that sends this email (tracking)' },
			{ displayName: 'Attachments', name: 'attachments', apiName: 'Attachments', type: 'string', default: '', placeholder: 'data, invoice', description: 'Comma-separated names of binary properties of the item to attach' },
		],
		errorCodes: {
			...SENDER_API_ERRORS,
			'1': 'Missing SenderAPIKey',
			'2': 'Invalid DomainID',
			'3': 'From parameter is either missing or invalid. Make sure you pass both name and email address for the from field',
			'8': 'Missing Subject',
			'9': 'Missing ContentType',
			'10': 'Missing HTMLContent',
			'11': 'Missing PlainContent',
			'12': 'Invalid or deactivated user account',
			'14': 'Email address is in the suppression list. Email delivery is blocked.',
			'15': 'Invalid TemplateID',
			'16': 'Invalid TargetListID',
			'17': 'Email sending limit reached',
			'18': 'Recipient name or email address is missing',
			'19': 'Recipient email address is invalid.',
			'20': 'There is no recipient set for the email.',
			'21': 'CC name or email address is missing',
			'22': 'CC email address is invalid.',
			'23': 'Invalid from email address format',
			'24': 'BCC email addresses must be set as an array',
			'25': 'BCC name or email address is missing',
			'26': 'BCC email address is invalid.',
			'27': 'The number of BCC email addresses exceed the allowed email address count',
			'28': 'Reply-To email addresses must be set as an array',
			'29': 'Reply-To name or email address is missing',
			'30': 'Reply-To email address is invalid.',
			'31': 'The number of Reply-To email addresses exceed the allowed email address count',
			'32': 'Domain is not activated',
			'34': 'User account is not verified',
			'35': 'Invalid ListID',
			'36': 'Invalid SubscriberID',
			'37': 'Invalid JourneyID',
			'38': 'Invalid ActionID',
			'39': 'Failed to resolve list recipients (HTTP 502)',
			'429': 'Too many requests, or the send rate limit was exceeded',
		},
	}),
];
