/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * `npm run test:chaos`: the chaos soak as a plain script (tsx). Exits 0 only when every outcome was
 * a success or a clean failure, nothing hung, and no secret showed up in anything printed or output.
 * Settings (environment): CHAOS_SEED, CHAOS_DURATION_MS, CHAOS_RUN_DEADLINE_MS, CHAOS_LANES,
 * CHAOS_MAX_RUNS, CHAOS_ONLY, CHAOS_VERBOSE — see README.md.
 */
import '../harness/env';

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ALL_TEST_SECRETS } from '../emulator';
import { LEAK_LOG_DIR } from '../harness/leakRecorder';
import { optionsFromEnv, runSoak, soakBoundMs, summarize } from './soak';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Searches what this process printed and output (the harness records it) for secrets. */
function leaks(): string[] {
	const file = join(LEAK_LOG_DIR, `${process.pid}.log`);
	if (!existsSync(file)) return [];
	const hits: string[] = [];
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (ALL_TEST_SECRETS.some((s) => line.includes(s))) hits.push('a test secret');
		if (/authorization["']?\s*[:=]\s*["']?(Bearer|OAuth)\s/i.test(line)) hits.push('an Authorization header value');
	}
	rmSync(file, { force: true });
	return hits;
}

async function main(): Promise<number> {
	const options = optionsFromEnv(process.env, out);
	out(
		`X Media chaos soak: seed ${options.seed}, ${options.lanes} lanes, new runs for ${(options.durationMs / 1000).toFixed(0)} s, run deadline ${(options.runDeadlineMs / 1000).toFixed(0)} s, bound ${(soakBoundMs(options) / 1000).toFixed(0)} s${options.only ? `, runs ${options.only.join(',')}` : ''}${options.maxRuns !== undefined ? `, at most ${options.maxRuns} runs` : ''}`,
	);
	// Last resort: if something hangs past the bound without returning, say so and fail.
	const watchdog = setTimeout(() => {
		out(`\nHANG: the soak (seed ${options.seed}) did not return within ${(soakBoundMs(options) / 1000 + 30).toFixed(0)} s`);
		process.exit(2);
	}, soakBoundMs(options) + 30_000);
	watchdog.unref();

	const summary = await runSoak(options);
	const { lines, passed } = summarize(summary, options);
	for (const line of lines) out(line);
	const found = leaks();
	out(`secrets           ${found.length ? `${found.length} FOUND (${[...new Set(found)].join(', ')})` : 'none in any output, error or printed line'}`);
	const ok = passed && found.length === 0;
	out(ok ? '\nCHAOS SOAK PASSED' : '\nCHAOS SOAK FAILED');
	return ok ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		out(`CHAOS SOAK CRASHED: ${(error as Error)?.stack ?? String(error)}`);
		process.exit(1);
	},
);
