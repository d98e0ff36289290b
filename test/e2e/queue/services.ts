/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling: runs in plain Node, starts servers as processes, and never ships in the package (files: ["dist"]) */
/**
 * The real parts of an n8n queue-mode deployment, started by the test on 127.0.0.1 and free ports:
 * Debian's redis-server and PostgreSQL (initdb + pg_ctl on a temporary data directory), and
 * long-running processes (n8n main, workers) in their own process groups.
 *
 * Everything started is registered in `cleanup`, which the suite runs in `finally` and on
 * SIGINT/SIGTERM/uncaught errors: process groups are killed, pg_ctl stops the server, folders go.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, killGroup } from '../n8nApp';

// ---------------------------------------------------------------- cleanup

type Cleaner = { name: string; run: () => void | Promise<void> };
const cleaners: Cleaner[] = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, run: () => void | Promise<void>): void {
	cleaners.push({ name, run });
}

/** Runs every cleaner once, newest first; errors are reported and do not stop the others. */
export async function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		while (cleaners.length) {
			const c = cleaners.pop()!;
			try {
				await c.run();
			} catch (e) {
				process.stderr.write(`[queue-e2e] cleanup of ${c.name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
			}
		}
	})();
	await cleaning;
}

/** SIGINT, SIGTERM, SIGHUP and uncaught errors clean up, then exit non-zero. */
export function installSignalCleanup(): void {
	const bail = (why: string) => {
		process.stderr.write(`\n[queue-e2e] ${why}: stopping everything that was started\n`);
		void cleanup().finally(() => process.exit(1));
	};
	for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => bail(s));
	process.once('uncaughtException', (e) => bail(`uncaught ${e.stack ?? e.message}`));
	process.once('unhandledRejection', (e) => bail(`unhandled rejection ${e instanceof Error ? e.stack : String(e)}`));
}

// ---------------------------------------------------------------- long-running processes

export interface Managed {
	name: string;
	child: ChildProcess;
	/** Everything it wrote, stdout and stderr interleaved. */
	output: () => string;
	/** Resolves with the first match of `re` in its output (or rejects after `timeoutMs` / when it exits). */
	waitFor: (re: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
	stop: (signal?: NodeJS.Signals) => Promise<void>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startManaged(name: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string }): Managed {
	const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const listeners = new Set<() => void>();
	const onData = (d: Buffer) => {
		out += d.toString();
		for (const l of listeners) l();
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.once('exit', (code, signal) => {
			for (const l of listeners) l();
			resolve({ code, signal });
		});
	});
	const waitFor = (re: RegExp, timeoutMs: number) =>
		new Promise<RegExpExecArray>((resolve, reject) => {
			const check = () => {
				const m = re.exec(out);
				if (m) {
					done();
					resolve(m);
				} else if (child.exitCode !== null || child.signalCode !== null) {
					done();
					reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before printing ${re}; output tail:\n${out.slice(-4000)}`));
				}
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`${name} did not print ${re} within ${timeoutMs / 1000} s; output tail:\n${out.slice(-4000)}`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				listeners.delete(check);
			};
			listeners.add(check);
			check();
		});
	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child, signal);
		const timeout = new Promise((r) => setTimeout(r, 10_000));
		await Promise.race([exited, timeout]);
		if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
	};
	const m: Managed = { name, child, output: () => out, waitFor, stop, exited };
	onCleanup(name, () => stop());
	return m;
}

// ---------------------------------------------------------------- redis

export interface Redis {
	port: number;
}

export async function startRedis(dir: string): Promise<Redis> {
	const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? 'redis-server';
	const port = await freePort();
	mkdirSync(dir, { recursive: true });
	const m = startManaged('redis-server', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'], {});
	await m.waitFor(/Ready to accept connections/, 30_000);
	return { port };
}

// ---------------------------------------------------------------- postgres

export interface Postgres {
	port: number;
	user: string;
	database: string;
	/** Runs one SQL statement with psql-free access: through the pg driver n8n ships. */
	query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
}

function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const preferred = join(root, '15', 'bin');
	if (existsSync(join(preferred, 'initdb'))) return preferred;
	const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	if (!versions.length) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql): no /usr/lib/postgresql/*/bin/initdb');
	return join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: then it runs as `postgres` (or `nobody`) through runuser. */
function asServiceUser(): { wrap: (cmd: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return { wrap: (cmd, args) => [cmd, args] };
	for (const user of ['postgres', 'nobody']) {
		const id = spawnSync('id', ['-u', user], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
		if (id.status === 0) {
			return { wrap: (cmd, args) => ['runuser', ['-u', user, '--', cmd, ...args]], uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
		}
	}
	throw new Error('running as root and neither the user postgres nor nobody exists to run PostgreSQL');
}

/** A fresh cluster in its own temporary folder (reachable by the service user), on a free port. */
export async function startPostgres(runtimeRequire: NodeJS.Require): Promise<Postgres> {
	const bin = postgresBinDir();
	const port = await freePort();
	const user = 'n8n';
	const database = 'postgres';
	const svc = asServiceUser();
	const dir = mkdtempSync(join(tmpdir(), 'x-media-queue-pg-'));
	chmodSync(dir, 0o755);
	const data = join(dir, 'data');
	const sock = join(dir, 'sock');
	mkdirSync(sock, { recursive: true });
	if (svc.uid !== undefined) {
		chownSync(dir, svc.uid, svc.gid!);
		chownSync(sock, svc.uid, svc.gid!);
	}
	const run = (cmd: string, args: string[]) => {
		const [c, a] = svc.wrap(join(bin, cmd), args);
		const r = spawnSync(c, a, { encoding: 'utf8', cwd: dir });
		if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
		return r;
	};
	run('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
	const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
	// Cleaners run newest first: the data directory goes after the server stopped.
	onCleanup('postgres data directory', () => rmSync(dir, { recursive: true, force: true }));
	run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start']);
	onCleanup('postgres', () => {
		const [c, a] = svc.wrap(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop']);
		const r = spawnSync(c, a, { encoding: 'utf8', cwd: dir });
		if (r.status !== 0) {
			// pg_ctl could not stop it: kill the postmaster by the pid in its lock file.
			try {
				const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
				if (pid > 1) process.kill(pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
	});

	const { Client } = runtimeRequire('pg') as { Client: new (o: object) => { connect(): Promise<void>; query(q: string, p?: unknown[]): Promise<{ rows: unknown[] }>; end(): Promise<void> } };
	const query = async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
		const client = new Client({ host: '127.0.0.1', port, user, database });
		await client.connect();
		try {
			return (await client.query(sql, params)).rows as T[];
		} finally {
			await client.end();
		}
	};
	return { port, user, database, query };
}

// ---------------------------------------------------------------- memory of a process (as the bench reads it)

export interface RssSampler {
	/** RSS when sampling started, bytes. */
	startRss: number;
	/** Largest RSS the 50 ms sampler saw, bytes. */
	peakRss: () => number;
	/** The kernel's own peak (VmHWM) since the process started or since `resetPeak`, bytes. */
	hwm: () => number | undefined;
	stop: () => void;
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Samples a process's RSS from /proc/<pid>/status every 50 ms (the bench's method, from outside the
 * process) and resets its kernel peak counter (clear_refs 5, as the bench does) so VmHWM covers
 * only the sampled period.
 */
export function sampleRss(pid: number): RssSampler {
	const startRss = statusField(pid, 'VmRSS') ?? 0;
	let peak = startRss;
	let hwmReset = false;
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		hwmReset = true;
	} catch {
		/* not permitted: the sampler alone */
	}
	const timer = setInterval(() => {
		const rss = statusField(pid, 'VmRSS');
		if (rss !== undefined && rss > peak) peak = rss;
	}, 50);
	return {
		startRss,
		peakRss: () => peak,
		hwm: () => (hwmReset ? statusField(pid, 'VmHWM') : undefined),
		stop: () => clearInterval(timer),
	};
}
