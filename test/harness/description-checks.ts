/**
 * Checks of the operation data and node descriptions that only tests run (they assert the lists are empty):
 * kept out of dist so the package ships none of them.
 */
import type { INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { AUTHENTICATION } from '../../nodes/shared/description/properties';
import { isTopLevelField } from '../../nodes/shared/input/fields';
import type { FieldDefinition, OperationDefinition } from '../../nodes/shared/model/operation';
import { pathPlaceholders } from '../../nodes/shared/util/path';

function fieldProblems(operation: OperationDefinition, fields: FieldDefinition[], where: string): string[] {
	const problems: string[] = [];
	const names = fields.map((field) => field.name);
	for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index))) {
		problems.push(`${where}: field name "${name}" is used twice`);
	}
	for (const field of fields) {
		for (const name of Object.keys(field.showWhen ?? {})) {
			if (!names.includes(name) && name !== AUTHENTICATION) problems.push(`${where}: "${field.name}" is shown by "${name}", which is not a field of it`);
		}
		if (field.type === 'collection' || (field.type === 'fixedCollection' && !field.pairs)) {
			if (!field.fields?.length) problems.push(`${where}: ${field.type} "${field.name}" has no fields`);
			problems.push(...fieldProblems(operation, field.fields ?? [], `${where} → ${field.name}`));
		}
		if ((field.type === 'options' || field.type === 'multiOptions') && !field.options && !field.loadOptionsMethod) {
			problems.push(`${where}: "${field.name}" has no options`);
		}
	}
	return problems;
}

/**
 * What is wrong with a node's operation data, as sentences (empty when nothing): a clash (two
 * definitions for one resource, operation and credential), a path placeholder without its field or a
 * path field without its placeholder, a field shown by a field the operation does not have. Tests
 * assert it is empty; the package never throws this at load time.
 */
export function descriptionProblems(operations: OperationDefinition[]): string[] {
	const problems: string[] = [];
	const seen = new Set<string>();
	for (const operation of operations) {
		const where = `${operation.resource}:${operation.operation} (${operation.credential})`;
		if (seen.has(where)) problems.push(`${where} is defined twice`);
		seen.add(where);
		const placeholders = pathPlaceholders(operation.path);
		const pathFields = operation.fields.filter((field) => field.location === 'path');
		for (const name of placeholders) {
			if (!pathFields.some((field) => field.apiName === name)) problems.push(`${where}: path placeholder {${name}} has no path field`);
		}
		for (const field of pathFields) {
			if (!placeholders.includes(field.apiName)) problems.push(`${where}: path field "${field.name}" has no {${field.apiName}} in ${operation.path}`);
		}
		problems.push(...fieldProblems(operation, operation.fields, where));
		// The editor evaluates a top-level parameter's displayOptions against top-level values only.
		const topLevel = new Set(operation.fields.filter(isTopLevelField).map((field) => field.name));
		for (const field of operation.fields.filter(isTopLevelField)) {
			for (const name of Object.keys(field.showWhen ?? {})) {
				if (!topLevel.has(name) && name !== AUTHENTICATION && operation.fields.some((candidate) => candidate.name === name)) {
					problems.push(`${where}: "${field.name}" is shown by "${name}", which is under Additional Fields: make "${name}" main`);
				}
			}
		}
	}
	return problems;
}

/**
 * What is wrong with a node description's credentials: with several, each must show under one
 * condition on the same single-value parameter, no value shared by two credentials, and every
 * Authentication parameter must offer only declared credentials.
 */
export function credentialProblems(description: Pick<INodeTypeDescription, 'credentials' | 'properties'>): string[] {
	const credentials = description.credentials ?? [];
	if (credentials.length < 2) return [];
	const problems: string[] = [];
	const owner = new Map<string, string>();
	const keys = new Set<string>();
	for (const credential of credentials) {
		const show = credential.displayOptions?.show ?? {};
		const conditions = Object.keys(show);
		if (conditions.length !== 1 || credential.displayOptions?.hide) {
			problems.push(`credential ${credential.name} must show under exactly one condition (it has ${conditions.join(', ') || 'none'})`);
		}
		for (const key of conditions) {
			keys.add(key);
			for (const value of show[key] ?? []) {
				const existing = owner.get(`${key}=${String(value)}`);
				if (existing) problems.push(`${key}=${String(value)} shows both ${existing} and ${credential.name}`);
				owner.set(`${key}=${String(value)}`, credential.name);
			}
		}
	}
	if (keys.size > 1) problems.push(`credentials show under different parameters: ${[...keys].join(', ')}`);
	for (const key of keys) {
		const properties = description.properties.filter((property) => property.name === key);
		if (!properties.length) problems.push(`credentials show by "${key}", which is not a parameter`);
		for (const property of properties) {
			if (!['options', 'hidden'].includes(property.type)) problems.push(`"${key}" must be a single-value parameter, not ${property.type}`);
			const values = property.type === 'hidden' ? [property.default] : (property.options ?? []).map((option) => (option as INodePropertyOptions).value);
			for (const value of values) {
				if (!owner.has(`${key}=${String(value)}`)) problems.push(`"${key}" value ${String(value)} shows no credential`);
			}
		}
	}
	return problems;
}
