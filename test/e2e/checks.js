'use strict';
/**
 * How every end-to-end test reports: one `PASS name` or `FAIL name` line per check (test/e2e/run.js counts
 * them), with its time; a failed check marked `fatal` ends the test (throws Fatal). Each e2e file runs in
 * its own process, so `results` is that test's list.
 */

const results = [];
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

class Fatal extends Error {}

async function check(name, fn, { fatal = false } = {}) {
	const start = Date.now();
	try {
		const detail = await fn();
		results.push({ name, ok: true });
		console.log(`PASS ${name} (${secs(Date.now() - start)})${detail ? ` - ${detail}` : ''}`);
		return true;
	} catch (e) {
		results.push({ name, ok: false });
		console.log(`FAIL ${name} (${secs(Date.now() - start)}): ${e && e.stack ? e.stack : e}`);
		if (fatal) throw new Fatal(name);
		return false;
	}
}

function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

/** A CLI run that must have exited 0; otherwise an error with the end of its output. */
function cliOk(r, what) {
	if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
	return r;
}

module.exports = { results, secs, Fatal, check, assert, cliOk };
