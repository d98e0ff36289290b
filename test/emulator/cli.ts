/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Starts the X API emulator in its own process.
 *   npx tsx test/emulator/cli.ts [--port N] [--latency-ms N] [--rate-limit-headers] [--log]
 *        [--check-after-secs N] [--processing-steps N] [--premium USER_ID]
 * Prints the base URL, the test credentials and a machine-readable `EMULATOR_READY <baseUrl>` line.
 */
import { startEmulator } from './server';
import { DM_SCOPES, oauth1Credentials, oauth2Client, oauth2Tokens, userA, userB } from './testCredentials';
import type { EmulatorOptions } from './types';

function parseArgs(argv: string[]): EmulatorOptions {
	const opts: EmulatorOptions = {};
	const num = (i: number, flag: string) => {
		const v = Number(argv[i + 1]);
		if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
		return v;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		switch (a) {
			case '--port':
				opts.port = num(i++, a);
				break;
			case '--latency-ms':
				opts.latencyMs = num(i++, a);
				break;
			case '--check-after-secs':
				opts.checkAfterSecs = num(i++, a);
				break;
			case '--processing-steps':
				opts.processingSteps = num(i++, a);
				break;
			case '--sink':
				opts.sink = true;
				break;
			case '--bandwidth-mbps':
				opts.bandwidthMbps = num(i++, a);
				break;
			case '--rate-limit-headers':
				opts.rateLimitHeaders = true;
				break;
			case '--log':
				opts.log = true;
				break;
			case '--premium':
				opts.premiumUserIds = [...(opts.premiumUserIds ?? []), String(argv[++i])];
				break;
			case '--help':
			case '-h':
				process.stdout.write('usage: tsx test/emulator/cli.ts [--port N] [--latency-ms N] [--rate-limit-headers] [--log] [--check-after-secs N] [--processing-steps N] [--premium USER_ID] [--sink] [--bandwidth-mbps N]\n');
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${a}`);
		}
	}
	return opts;
}

async function main(): Promise<void> {
	const emu = await startEmulator(parseArgs(process.argv.slice(2)));
	const base = emu.baseUrl;
	const lines = [
		`X API emulator listening on ${base}`,
		'',
		'Test users:',
		`  A  id ${userA.id}  @${userA.username}`,
		`  B  id ${userB.id}  @${userB.username}`,
		'',
		'n8n credential "X OAuth1 API" (xOAuth1Api):',
		`  Consumer Key:       ${oauth1Credentials.consumerKey}`,
		`  Consumer Secret:    ${oauth1Credentials.consumerSecret}`,
		`  API Base URL:       ${base}`,
		'  The OAuth 1.0a handshake URLs point at api.x.com and are not emulated: store the access token in',
		'  the credential data instead (n8n import:credentials, data.oauthTokenData):',
		`    user A: {"oauth_token":"${oauth1Credentials.userA.accessToken}","oauth_token_secret":"${oauth1Credentials.userA.accessTokenSecret}"}`,
		`    user B: {"oauth_token":"${oauth1Credentials.userB.accessToken}","oauth_token_secret":"${oauth1Credentials.userB.accessTokenSecret}"}`,
		`    user A, app read-only (403 on writes): {"oauth_token":"${oauth1Credentials.readOnlyUserA.accessToken}","oauth_token_secret":"${oauth1Credentials.readOnlyUserA.accessTokenSecret}"}`,
		'',
		'n8n credential "X OAuth2 API" (xOAuth2Api):',
		`  Client ID:          ${oauth2Client.clientId}`,
		`  Client Secret:      ${oauth2Client.clientSecret}`,
		`  API Base URL:       ${base}`,
		'  The authorize/token URLs are not emulated: store the token in data.oauthTokenData:',
		`    user A (${DM_SCOPES.join(' ')}): {"token_type":"bearer","access_token":"${oauth2Tokens.userA}"}`,
		`    user A without media.write (403 on /2/media*): {"token_type":"bearer","access_token":"${oauth2Tokens.userANoMediaWrite}"}`,
		`    user B: {"token_type":"bearer","access_token":"${oauth2Tokens.userB}"}`,
		`    app-only bearer (refused on user-context endpoints): ${oauth2Tokens.appOnly}`,
		'',
		`Control API: ${base}/__emulator/{reset,faults,processing,options,requests,media,posts,stats}`,
		'',
		`EMULATOR_READY ${base}`,
	];
	process.stdout.write(lines.join('\n') + '\n');

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping the X API emulator\n`);
		await emu.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
	process.stderr.write(`x-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
