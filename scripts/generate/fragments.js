'use strict';
/**
 * Shared fragments of generated tables: a value that stands in several places of the tables (a field, a
 * list of fields, a paging style, a long option list) is written once, as a named constant of a shared
 * file, and each place refers to it by name. What a table holds does not change, only how it is written.
 *
 * A place that refers to a constant holds a Reference (written as the bare name) or, inside a list, a
 * Spread (written `...name`); literal() writes a value with them as TypeScript source.
 */

/** A value written as the name of a shared constant. */
class Reference {
	constructor(name) {
		this.name = name;
	}
}

/** A shared list spread into a list: `...name`. */
class Spread {
	constructor(name) {
		this.name = name;
	}
}

/** A text that stands for a value: equal values give equal keys; a reference counts as its name. */
function keyOf(value) {
	return JSON.stringify(value, (_, entry) => (entry instanceof Reference || entry instanceof Spread ? `\u0000${entry.constructor.name}:${entry.name}` : entry));
}

/** The names of the constants a value refers to. */
function referencesIn(value, found = new Set()) {
	if (value instanceof Reference || value instanceof Spread) found.add(value.name);
	else if (Array.isArray(value)) value.forEach((entry) => referencesIn(entry, found));
	else if (value !== null && typeof value === 'object') Object.values(value).forEach((entry) => referencesIn(entry, found));
	return found;
}

/** A JavaScript literal of a value, as the tables are written: tabs, single quotes, bare keys, trailing commas. */
function literal(value, indent = '') {
	const inner = `${indent}\t`;
	if (value instanceof Reference) return value.name;
	if (value instanceof Spread) return `...${value.name}`;
	if (Array.isArray(value)) {
		if (!value.length) return '[]';
		return `[\n${value.map((entry) => `${inner}${literal(entry, inner)},\n`).join('')}${indent}]`;
	}
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
		if (!entries.length) return '{}';
		const key = (name) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name));
		return `{\n${entries.map(([name, entry]) => `${inner}${key(name)}: ${literal(entry, inner)},\n`).join('')}${indent}}`;
	}
	if (typeof value === 'string') return quote(value);
	return String(value);
}

function quote(text) {
	return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/**
 * Named constants, each written once: `add` gives the name of a value (the same name for an equal value),
 * picking the first free name of the candidates.
 */
class Constants {
	constructor(taken = []) {
		this.byKey = new Map();
		this.entries = [];
		this.taken = new Set(taken);
	}

	nameOf(value) {
		return this.byKey.get(keyOf(value));
	}

	add(value, candidates, type) {
		const key = keyOf(value);
		if (this.byKey.has(key)) return this.byKey.get(key);
		let name = candidates.find((candidate) => !this.taken.has(candidate));
		for (let number = 2; !name; number++) if (!this.taken.has(`${candidates[0]}${number}`)) name = `${candidates[0]}${number}`;
		this.taken.add(name);
		this.byKey.set(key, name);
		this.entries.push({ name, value, type });
		return name;
	}
}

/** A name from words: the first as it is (lower first letter), the others with a capital. */
function identifier(...words) {
	const parts = words.filter(Boolean).map((word) => String(word).replace(/[^A-Za-z0-9]+(.)?/g, (_, letter) => (letter ?? '').toUpperCase()));
	return parts.map((part, index) => (index === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1))).join('');
}

module.exports = { Constants, Reference, Spread, identifier, keyOf, literal, quote, referencesIn };
