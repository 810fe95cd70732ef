'use strict';
/**
 * Which parts of the Especial tables are written once and shared (scripts/generate/fragments.js): the same
 * field in several operations (account_id alone stands in 141), the same run of fields in several
 * operations (a create and an update of the same thing), the paging styles, and long option lists.
 * Each step replaces the shared parts of the operations with references and adds their constants.
 */
const { Reference, identifier, keyOf, literal } = require('./fragments');

/** Fewest lines a shared part takes: the size of a repeated run worth folding. */
const MIN_SHARED_LINES = 6;

/** Every field of a list and of its collections, depth first. */
function visitFields(fields, visit, parent) {
	for (const field of fields ?? []) {
		if (visit(field, parent) === false) continue;
		visitFields(field.fields, visit, field);
	}
}

/**
 * A long option list several fields share (the ISO language codes: 180 entries in five files), as a constant
 * named after the first field that has it.
 */
function shareOptionLists(operations, constants) {
	const uses = new Map();
	for (const operation of operations) {
		visitFields(operation.fields, (field) => {
			if (!Array.isArray(field.options) || field.options.length < 20) return;
			const key = keyOf(field.options);
			uses.set(key, [...(uses.get(key) ?? []), field]);
		});
	}
	for (const fields of uses.values()) {
		if (fields.length < 2) continue;
		const name = constants.add(fields[0].options, [identifier(fields[0].name, 'options')]);
		for (const field of fields) field.options = new Reference(name);
	}
}

/**
 * How often each field stands in the tables, counting the fields of a collection once however many
 * operations share the collection; with where it stands first (for its name).
 */
function countFields(operations) {
	const counts = new Map();
	for (const operation of operations) {
		visitFields(operation.fields, (field, parent) => {
			const key = keyOf(field);
			const seen = counts.get(key);
			if (seen) {
				seen.count++;
				return false;
			}
			counts.set(key, { count: 1, operation, parent });
			return true;
		});
	}
	return counts;
}

/** Names for a shared field, plainest first: by its name and where it goes (or its collection), then by where it first stands. */
function fieldNames(field, { operation, parent }) {
	// A sub-field named after its collection (password → passwordStrengthRequirement) needs no prefix.
	const own = !parent ? [field.name, field.location] : field.name.startsWith(parent.name) ? [field.name] : [parent.name, field.name];
	return [identifier(...own), identifier(operation.resource, ...own), identifier(operation.resource, operation.operation, ...own)];
}

/** Every field that stands in two places or more becomes a constant; collections refer to their shared fields too. */
function shareFields(operations, constants) {
	const counts = countFields(operations);
	const rewrite = (field) => {
		const body = field.fields ? { ...field, fields: field.fields.map(rewrite) } : field;
		const seen = counts.get(keyOf(field));
		return seen.count < 2 ? body : new Reference(constants.add(body, fieldNames(field, seen), 'GeneratedField'));
	};
	for (const operation of operations) operation.fields = operation.fields.map(rewrite);
}

/** Every distinct field once, sub-fields included (a field that stands in several places is one field). */
function distinctFields(operations) {
	const seen = new Map();
	for (const operation of operations) {
		visitFields(operation.fields, (field, parent) => {
			const key = keyOf(field);
			if (seen.has(key)) return false;
			seen.set(key, { field, operation, parent });
			return true;
		});
	}
	return [...seen.values()];
}

/** The shapes a JSON shape is made of, with the key (property name) each stands under. */
function innerShapes(shape, key) {
	return [
		...Object.entries(shape.properties ?? {}),
		...(shape.items ? [[`${key}Item`, shape.items]] : []),
		...(shape.anyOf ?? []).map((alternative, index) => [`${key}Alternative${index + 1}`, alternative]),
	];
}

/** Replaces a shape's inner shapes (in place) by what `rewrite` gives for each. */
function rewriteInnerShapes(shape, key, rewrite) {
	for (const name of Object.keys(shape.properties ?? {})) shape.properties[name] = rewrite(shape.properties[name], name);
	if (shape.items) shape.items = rewrite(shape.items, `${key}Item`);
	if (shape.anyOf) shape.anyOf = shape.anyOf.map((alternative, index) => rewrite(alternative, `${key}Alternative${index + 1}`));
}

/** Lines a value takes when written out: small shapes are not worth a name. */
const linesOf = (value) => literal(value).split('\n').length;

/**
 * A JSON shape (or part of one) that several distinct fields check, as a constant: the shapes of a
 * campaign's content or a system email's texts stand in several fields. Counted once per distinct field,
 * and the parts of a shared shape once.
 */
function shareJsonShapes(operations, constants) {
	const counts = new Map();
	const count = (shape, key, where) => {
		const seen = counts.get(keyOf(shape));
		if (seen) return void seen.count++;
		counts.set(keyOf(shape), { count: 1, key, where });
		for (const [name, inner] of innerShapes(shape, key)) count(inner, name, where);
	};
	for (const { field, operation } of distinctFields(operations)) if (field.jsonShape) count(field.jsonShape, field.name, operation);
	const rewrite = (shape, key) => {
		const seen = counts.get(keyOf(shape));
		const body = JSON.parse(JSON.stringify(shape));
		rewriteInnerShapes(body, key, rewrite);
		if (seen.count < 2 || linesOf(body) < MIN_SHARED_LINES) return body;
		return new Reference(constants.add(body, [identifier(seen.key, 'shape'), identifier(seen.where.resource, seen.key, 'shape')], 'JsonShape'));
	};
	for (const operation of operations) {
		visitFields(operation.fields, (field) => {
			if (field.jsonShape) field.jsonShape = rewrite(field.jsonShape, field.name);
		});
	}
}

/** The paging styles: each operation that pages refers to one of them. */
function sharePaging(operations, constants) {
	for (const operation of operations) {
		if (!operation.pagination) continue;
		operation.pagination = new Reference(constants.add(operation.pagination, [identifier(operation.pagination.style, 'paging')], "NonNullable<GeneratedOperation['pagination']>"));
	}
}

module.exports = { shareFields, shareJsonShapes, shareOptionLists, sharePaging };
