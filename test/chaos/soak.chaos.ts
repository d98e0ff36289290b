/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The chaos soak under jest (test/chaos/jest.config.js); `npm run test:chaos` runs the same soak
 * through run.ts. Same settings (CHAOS_* environment variables, see README.md).
 */
import { optionsFromEnv, runSoak, soakBoundMs, summarize } from './soak';

const options = optionsFromEnv(process.env, (line) => process.stdout.write(`${line}\n`));

it(
	`uploads and posts under random faults: every outcome a success or a clean failure (seed ${options.seed})`,
	async () => {
		const summary = await runSoak(options);
		const { lines, passed } = summarize(summary, options);
		process.stdout.write(`${lines.join('\n')}\n`);
		expect(summary.timedOut).toBe(false);
		expect(summary.others).toEqual([]);
		expect(passed).toBe(true);
	},
	soakBoundMs(options) + 30_000,
);
