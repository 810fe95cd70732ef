/**
 * A value kept for one run of a node: n8n creates an execution context per node run, so a value keyed on it
 * lives exactly as long as the run (credentials, pacing, parameter reads), and is shared by its items.
 */
export function perRun<T, C extends object = object>(create: (context: C) => T): (context: C) => T {
	const values = new WeakMap<object, T>();
	return (context) => {
		let value = values.get(context);
		if (value === undefined) {
			value = create(context);
			values.set(context, value);
		}
		return value;
	};
}
