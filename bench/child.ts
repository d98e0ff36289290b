/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmark code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * One contender, one upload, in its own process (started by run-bench.ts the same way for every
 * contender: `node --expose-gc --import tsx bench/child.ts '<ChildInput JSON>'`).
 * Loads the contender, uploads a small warm-up file (untimed), then times one upload of the case's
 * file and prints `BENCH_RESULT {json}`.
 */
import type { ChildInput, ChildResult } from './lib/common';
import { RESULT_PREFIX } from './lib/common';

async function main(): Promise<void> {
	const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
	let result: ChildResult;
	switch (input.contender) {
		case 'xmedia':
			result = await (await import('./contenders/xmedia')).run(input);
			break;
		case 'xmedia-url':
			result = await (await import('./contenders/xmediaUrl')).run(input);
			break;
		case 'twitter-api-v2':
			result = await (await import('./contenders/twitterApiV2')).run(input);
			break;
		case 'xdk':
			result = await (await import('./contenders/xdk')).run(input);
			break;
		case 'floor':
			result = await (await import('./contenders/floor')).run(input);
			break;
		case 'plain':
			result = await (await import('./contenders/plain')).run(input);
			break;
		default:
			throw new Error(`unknown contender ${String(input.contender)}`);
	}
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
