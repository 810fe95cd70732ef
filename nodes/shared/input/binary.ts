import type { IExecuteFunctions } from 'n8n-workflow';

import type { FileUpload } from '../model/operation';
import { inputError } from './validation';

/** Names of binary properties from a comma-separated parameter ("data, invoice"). */
export function binaryPropertyNames(text: string): string[] {
	return text
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
}

/** Checks that an item has a binary property, naming the field, the item and what the item has. Loads nothing. */
export function assertBinaryProperty(
	context: IExecuteFunctions,
	itemIndex: number,
	property: string,
	fieldLabel: string,
): void {
	const item = context.getInputData()[itemIndex];
	if (!item?.binary?.[property]) {
		throw inputError(
			context.getNode(),
			itemIndex,
			fieldLabel,
			`item has no binary property "${property}"`,
			`Binary properties on this item: ${Object.keys(item?.binary ?? {}).join(', ') || 'none'}.`,
		);
	}
}

/** Reads one binary property of an item as a file to upload or inline. */
export async function readBinaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	property: string,
	fieldLabel: string,
	formField = property,
): Promise<FileUpload> {
	assertBinaryProperty(context, itemIndex, property, fieldLabel);
	const binary = context.helpers.assertBinaryData(itemIndex, property);
	return {
		field: formField,
		data: await context.helpers.getBinaryDataBuffer(itemIndex, property),
		fileName: binary.fileName ?? property,
		mimeType: binary.mimeType || 'application/octet-stream',
	};
}
