/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Records everything a person could see during the test run (every console and log line, every
 * workflow's output items and errors) into test/.tmp/leak-log/, so that the global teardown
 * (leakCheck.ts) can search the whole suite's output for tokens and secrets.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const LEAK_LOG_DIR = join(__dirname, '..', '.tmp', 'leak-log');

let file: string | undefined;

function logFile(): string {
	if (!file) {
		mkdirSync(LEAK_LOG_DIR, { recursive: true });
		file = join(LEAK_LOG_DIR, `${process.pid}.log`);
	}
	return file;
}

export function recordVisible(kind: string, value: unknown): void {
	let text: string;
	try {
		text = typeof value === 'string' ? value : JSON.stringify(value, errorReplacer);
	} catch {
		text = String(value);
	}
	appendFileSync(logFile(), `[${kind}] ${text}\n`);
}

function errorReplacer(_key: string, value: unknown): unknown {
	if (value instanceof Error) {
		const e = value as Error & { description?: unknown; httpCode?: unknown; context?: unknown };
		return { name: e.name, message: e.message, description: e.description, httpCode: e.httpCode, context: e.context, stack: e.stack };
	}
	return value;
}

/** Wraps console and the process streams so their lines are recorded too. */
export function installLeakRecorder(): void {
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const original = console[method].bind(console);
		console[method] = (...args: unknown[]) => {
			recordVisible(`console.${method}`, args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, errorReplacer))).join(' '));
			original(...args);
		};
	}
	for (const stream of [process.stdout, process.stderr]) {
		const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
		(stream as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
			recordVisible(stream === process.stdout ? 'stdout' : 'stderr', typeof chunk === 'string' ? chunk : String(chunk));
			return original(chunk, ...rest);
		};
	}
}
