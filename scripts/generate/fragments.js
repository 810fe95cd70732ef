'use strict';
/**
 * Shared fragments of generated tables: a value that stands in several places of the tables (a field, a
 * run of fields, a JSON shape or a run of its properties, a paging style, an option list) is written once,
 * as a named constant of a shared file, and each place refers to it by name. What a table holds does not
 * change, only how it is written.
 *
 * A place that refers to a constant holds a Reference (written as the bare name) or, inside a list, a
 * Spread (written `...name`; inside an object, an entry under spreadKey(name)); literal() writes a value
 * with them as TypeScript source.
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

/** The key under which an object holds a spread of a shared object: `...name` where it is written. */
const SPREAD_KEY = '\u0000...';
const spreadKey = (name) => `${SPREAD_KEY}${name}`;

const keyName = (name) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name));

/** An object entry as written: `key: value`, or `...name` for a spread. */
function entryText(name, text) {
	return name.startsWith(SPREAD_KEY) ? `...${name.slice(SPREAD_KEY.length)}` : `${keyName(name)}: ${text}`;
}

/** A text that stands for a value: equal values give equal keys; a reference counts as its name. */
function keyOf(value) {
	return JSON.stringify(value, (_, entry) => (entry instanceof Reference || entry instanceof Spread ? `\u0000${entry.constructor.name}:${entry.name}` : entry));
}

/** The names of the constants a value refers to. */
function referencesIn(value, found = new Set()) {
	if (value instanceof Reference || value instanceof Spread) found.add(value.name);
	else if (Array.isArray(value)) value.forEach((entry) => referencesIn(entry, found));
	else if (value !== null && typeof value === 'object') {
		for (const [name, entry] of Object.entries(value)) {
			if (name.startsWith(SPREAD_KEY)) found.add(name.slice(SPREAD_KEY.length));
			else referencesIn(entry, found);
		}
	}
	return found;
}

/** Longest nested value written on one line (a list of names, an option list, a small shape). */
const ONE_LINE = 160;

/**
 * How a table is laid out: `open(object)` keeps a line a key (operations, whose keys are read one by one);
 * `record(object)` goes on one line whenever each of its values fits on one (a field, as the hand-written
 * tables write one).
 */
const PLAIN_LAYOUT = { open: () => false, record: () => false };

/**
 * A value on one line, or undefined where it does not fit on one: a plain value; a list or object whose
 * entries fit on one line, within ONE_LINE characters; an object of plain values at any length; a record
 * whose values each fit on one line.
 */
function oneLine(value, layout) {
	if (isPlain(value)) return literal(value);
	const list = Array.isArray(value);
	if (!list && layout.open(value)) return undefined;
	const entries = list ? value.map((entry) => [undefined, entry]) : Object.entries(value).filter(([, entry]) => entry !== undefined);
	const written = entries.map(([name, entry]) => [name, oneLine(entry, layout)]);
	if (written.some(([, text]) => text === undefined)) return undefined;
	const text = list ? `[${written.map(([, entry]) => entry).join(', ')}]` : `{ ${written.map(([name, entry]) => entryText(name, entry)).join(', ')} }`;
	if (text.length <= ONE_LINE || list) return text.length <= ONE_LINE ? text : undefined;
	const plainValues = entries.every(([, entry]) => isPlain(entry) || (Array.isArray(entry) && entry.every(isPlain)));
	const record = layout.record(value) && written.every(([, entry]) => entry.length <= ONE_LINE);
	return plainValues || record ? text : undefined;
}

/**
 * A JavaScript literal of a value, as the tables are written: tabs, single quotes, bare keys, trailing commas;
 * on one line where it fits (oneLine, with the layout given).
 */
function literal(value, indent = '', layout = PLAIN_LAYOUT) {
	const inner = `${indent}\t`;
	if (value instanceof Reference) return value.name;
	if (value instanceof Spread) return `...${value.name}`;
	if (value === null || typeof value !== 'object') return typeof value === 'string' ? quote(value) : String(value);
	if (isPlain(value)) return Array.isArray(value) ? '[]' : '{}';
	const short = oneLine(value, layout);
	if (short !== undefined) return short;
	if (Array.isArray(value)) return `[\n${value.map((entry) => `${inner}${literal(entry, inner, layout)},\n`).join('')}${indent}]`;
	const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
	return `{\n${entries.map(([name, entry]) => `${inner}${entryText(name, literal(entry, inner, layout))},\n`).join('')}${indent}}`;
}

/** A value with nothing inside it: a text, number, flag, name of a constant, or an empty list or object. */
function isPlain(value) {
	if (value === null || typeof value !== 'object' || value instanceof Reference || value instanceof Spread) return true;
	return Array.isArray(value) ? value.length === 0 : Object.values(value).every((entry) => entry === undefined);
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

	/** Gives a constant another value (the same, written with other constants). */
	set(name, value) {
		this.entries.find((entry) => entry.name === name).value = value;
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

module.exports = { Constants, Reference, Spread, identifier, keyOf, literal, quote, referencesIn, spreadKey };
