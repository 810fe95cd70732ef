'use strict';
/**
 * Which parts of the Especial tables are written once and shared (scripts/generate/fragments.js): an option
 * list several fields offer, a JSON shape (or a run of its properties) several fields check, the same field
 * in several operations (account_id alone stands in 141), the same run of fields in several operations (a
 * create and an update of the same thing), the paging styles. Each step replaces the shared parts of the
 * operations (copies) with references and adds their constants.
 */
const { Reference, Spread, identifier, keyOf, spreadKey } = require('./fragments');

/** Every field of a list and of its collections, depth first. */
function visitFields(fields, visit, parent) {
	for (const field of fields ?? []) {
		if (visit(field, parent) === false) continue;
		visitFields(field.fields, visit, field);
	}
}

/** Fewest characters a shared option list or JSON shape takes: a small one ({ type: 'boolean' }) reads better where it stands. */
const MIN_SHARED_SIZE = 80;

/**
 * An option list several distinct fields offer (the ISO language codes: 180 entries in five files; an
 * action's conditions in its create and update), as a constant named after the first field that has it.
 */
function shareOptionLists(operations, constants) {
	const uses = new Map();
	for (const { field, operation } of distinctFields(operations)) {
		if (!Array.isArray(field.options)) continue;
		const key = keyOf(field.options);
		uses.set(key, [...(uses.get(key) ?? []), { field, operation }]);
	}
	const shared = new Map();
	for (const [key, [first, ...others]] of uses) {
		if (!others.length || key.length < MIN_SHARED_SIZE) continue;
		shared.set(key, constants.add(first.field.options, [identifier(first.field.name, 'options'), identifier(first.operation.resource, first.field.name, 'options')]));
	}
	for (const operation of operations) {
		visitFields(operation.fields, (field) => {
			const name = Array.isArray(field.options) ? shared.get(keyOf(field.options)) : undefined;
			if (name) field.options = new Reference(name);
		});
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

/** A required field's optional twin: the same field without `required` (a create's name and an update's). */
const optionalTwin = (field) => (field.required === true ? Object.fromEntries(Object.entries(field).filter(([key]) => key !== 'required')) : undefined);

/**
 * Every field that stands in two places or more becomes a constant; collections refer to their shared fields
 * too. A required field whose optional twin stands elsewhere is written as the twin plus `required: true`.
 */
function shareFields(operations, constants) {
	const counts = countFields(operations);
	const twinOf = (field) => {
		const twin = optionalTwin(field);
		return twin && counts.has(keyOf(twin)) ? twin : undefined;
	};
	for (const { field } of distinctFields(operations)) if (twinOf(field)) counts.get(keyOf(twinOf(field))).count++;
	const rewrite = (field) => {
		const twin = twinOf(field);
		const body = twin ? { [spreadKey(rewrite(twin).name)]: true, required: true } : field.fields ? { ...field, fields: field.fields.map(rewrite) } : field;
		const seen = counts.get(keyOf(field));
		const names = fieldNames(field, seen).map((name) => (twin ? identifier('required', name) : name));
		return seen.count < 2 ? body : new Reference(constants.add(body, names, 'GeneratedField'));
	};
	for (const operation of operations) operation.fields = operation.fields.map(rewrite);
}

/** Fewest entries a shared run holds (fields of an operation, properties of a JSON shape). */
const MIN_RUN = 3;

/** The longest run (at least MIN_RUN entries) that stands in two lists or more, with where it stands (not overlapping). */
function longestSharedRun(lists) {
	const keys = lists.map((list) => list.map(keyOf));
	const longest = Math.max(0, ...keys.map((list) => list.length));
	for (let length = longest; length >= MIN_RUN; length--) {
		const places = new Map();
		keys.forEach((list, index) => {
			for (let start = 0; start + length <= list.length; start++) {
				const key = list.slice(start, start + length).join('\n');
				const found = places.get(key) ?? [];
				if (found.some((place) => place.index === index && start < place.start + length)) continue;
				places.set(key, [...found, { index, start }]);
			}
		});
		const shared = [...places.values()].find((found) => found.length > 1);
		if (shared) return { length, places: shared };
	}
	return undefined;
}

/**
 * Runs that stand in several lists, longest first, each as one constant spread into every list that has it;
 * a shorter run can then fold into a longer one's constant. `name(entries, owners)` names a run's constant
 * from the indexes of the given lists it stands in (a run inside a constant counts as where that constant
 * first stood). Returns the lists, and the entries of each constant by name.
 */
function foldRuns(lists, name) {
	const folded = lists.map((list) => [...list]);
	const origin = lists.map((_, index) => index);
	const constants = new Map();
	for (let run = longestSharedRun(folded); run; run = longestSharedRun(folded)) {
		const [first] = run.places;
		const entries = folded[first.index].slice(first.start, first.start + run.length);
		const constant = name(entries, [...new Set(run.places.map(({ index }) => origin[index]))]);
		for (const { index, start } of [...run.places].reverse()) folded[index].splice(start, run.length, new Spread(constant));
		constants.set(constant, entries);
		folded.push(entries);
		origin.push(origin[first.index]);
	}
	return { lists: folded.slice(0, lists.length), constants };
}

/** Names for a run of fields: after the operation it first stands in, where all its operations are of one resource; else after its first and last fields. */
function fieldRunNames(fields, [first, ...operations]) {
	const byOperation = identifier(first.resource, first.operation, 'fields');
	const [from, to] = [fields[0], fields[fields.length - 1]].map((field) => (field instanceof Reference || field instanceof Spread ? field.name.replace(/Fields$/, '') : field.name));
	const byFields = identifier(from, 'to', to, 'fields');
	return operations.every(({ resource }) => resource === first.resource) ? [byOperation, byFields] : [byFields, byOperation];
}

/**
 * A run of fields several operations have alike (a create and an update of the same thing, the fields of
 * the bulk contact operations) as a constant list, spread into each; an operation whose fields are all the
 * run refers to the list itself.
 */
function shareFieldRuns(operations, constants) {
	const { lists, constants: runs } = foldRuns(
		operations.map((operation) => operation.fields),
		(fields, owners) => constants.add(fields, fieldRunNames(fields, owners.map((owner) => operations[owner])), 'GeneratedField[]'),
	);
	for (const [name, fields] of runs) constants.set(name, fields);
	operations.forEach((operation, index) => {
		const [only] = lists[index];
		operation.fields = lists[index].length === 1 && only instanceof Spread ? new Reference(only.name) : lists[index];
	});
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
		if (seen.count < 2 || keyOf(body).length < MIN_SHARED_SIZE) return body;
		return new Reference(constants.add(body, [identifier(seen.key, 'shape'), identifier(seen.where.resource, seen.key, 'shape')], 'JsonShape'));
	};
	for (const operation of operations) {
		visitFields(operation.fields, (field) => {
			if (field.jsonShape) field.jsonShape = rewrite(field.jsonShape, field.name);
		});
	}
	sharePropertyRuns(operations, constants);
}

/** Every `properties` object of the JSON shapes written inline in these fields and shared shapes, with the key of its shape. */
function propertyObjects(fields, constants) {
	const found = [];
	const visit = (shape, key) => {
		if (!shape || shape instanceof Reference) return;
		if (shape.properties) found.push({ shape, key });
		for (const [name, inner] of innerShapes(shape, key)) visit(inner, name);
	};
	for (const field of fields) visit(field.jsonShape, field.name);
	for (const { name, value } of constants.entries) visit(value, name.replace(/Shape$/, ''));
	return found;
}

/**
 * Properties several JSON shapes have alike, all of them (the content of a template's create and update) or
 * a run of them (a content's subject, html and text), as a constant, spread into each shape's properties.
 * Counted once per distinct field.
 */
function sharePropertyRuns(operations, constants) {
	const owners = propertyObjects(
		distinctFields(operations).map(({ field }) => field),
		constants,
	);
	const asObject = (entries) => Object.fromEntries(entries.map((entry) => (entry instanceof Spread ? [spreadKey(entry.name), true] : entry)));
	const { lists, constants: runs } = foldRuns(
		owners.map(({ shape }) => Object.entries(shape.properties)),
		(entries, [first]) => {
			// Named after its shape, then after its first and last properties (content: subject to text).
			const [firstKey, lastKey] = [entries[0], entries[entries.length - 1]].map((entry) => (entry instanceof Spread ? entry.name.replace(/Properties$/, '') : entry[0]));
			const names = [identifier(owners[first].key, 'properties'), identifier(owners[first].key, firstKey, 'to', lastKey, 'properties')];
			return constants.add(asObject(entries), names, 'Record<string, JsonShape>');
		},
	);
	for (const [name, entries] of runs) constants.set(name, asObject(entries));
	const asProperties = (entries) => (entries.length === 1 && entries[0] instanceof Spread ? new Reference(entries[0].name) : asObject(entries));
	// Equal properties fold alike; the first place that has them gives the written form (a Map keeps the last).
	const folded = new Map(owners.map(({ shape }, index) => [keyOf(shape.properties), asProperties(lists[index])]).reverse());
	const everywhere = [];
	for (const operation of operations) visitFields(operation.fields, (field) => void everywhere.push(field));
	for (const { shape } of propertyObjects(everywhere, constants)) shape.properties = folded.get(keyOf(shape.properties)) ?? shape.properties;
}

/** The paging styles: each operation that pages refers to one of them. */
function sharePaging(operations, constants) {
	for (const operation of operations) {
		if (!operation.pagination) continue;
		operation.pagination = new Reference(constants.add(operation.pagination, [identifier(operation.pagination.style, 'paging')], "NonNullable<GeneratedOperation['pagination']>"));
	}
}

module.exports = { shareFieldRuns, shareFields, shareJsonShapes, shareOptionLists, sharePaging };
