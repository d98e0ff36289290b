/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Small helpers shared by the integration tests: credentials pointing at the emulator, files on
 * disk, and the secrets a leak check looks for.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ALL_TEST_SECRETS, DM_SCOPES, oauth1Credentials, oauth2Client, oauth2Tokens } from '../emulator';
import type { TestCredentials } from './n8nHarness';

export const AUTHENTICATIONS = ['oAuth2', 'oAuth1'] as const;
export type Authentication = (typeof AUTHENTICATIONS)[number];

export function oauth1Data(baseUrl: string, overrides: Partial<ICredentialDataDecryptedObject> = {}): ICredentialDataDecryptedObject {
	return {
		consumerKey: oauth1Credentials.consumerKey,
		consumerSecret: oauth1Credentials.consumerSecret,
		signatureMethod: 'HMAC-SHA1',
		requestTokenUrl: 'https://api.x.com/oauth/request_token',
		authUrl: 'https://api.x.com/oauth/authorize',
		accessTokenUrl: 'https://api.x.com/oauth/access_token',
		apiBaseUrl: baseUrl,
		oauthTokenData: {
			oauth_token: oauth1Credentials.userA.accessToken,
			oauth_token_secret: oauth1Credentials.userA.accessTokenSecret,
			user_id: oauth1Credentials.userA.userId,
		},
		...overrides,
	};
}

export function oauth2Data(baseUrl: string, accessToken = oauth2Tokens.userA, refreshToken?: string): ICredentialDataDecryptedObject {
	return {
		grantType: 'pkce',
		clientId: oauth2Client.clientId,
		clientSecret: oauth2Client.clientSecret,
		authUrl: 'https://x.com/i/oauth2/authorize',
		accessTokenUrl: `${baseUrl}/2/oauth2/token`,
		scope: DM_SCOPES.join(' '),
		authentication: 'header',
		apiBaseUrl: baseUrl,
		oauthTokenData: {
			token_type: 'bearer',
			access_token: accessToken,
			scope: DM_SCOPES.join(' '),
			...(refreshToken ? { refresh_token: refreshToken } : {}),
		},
	};
}

/** Both credential types of user A, pointing at the emulator. */
export function credentialsFor(baseUrl: string): TestCredentials {
	return { xOAuth1Api: oauth1Data(baseUrl), xOAuth2Api: oauth2Data(baseUrl) };
}

const TMP_ROOT = join(__dirname, '..', '.tmp');

/** Writes bytes to a file under test/.tmp and returns its path. */
export function writeTempFile(name: string, bytes: Buffer): string {
	mkdirSync(TMP_ROOT, { recursive: true });
	const path = join(TMP_ROOT, `${process.pid}-${name}`);
	writeFileSync(path, bytes);
	return path;
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export function b64(bytes: Buffer): string {
	return bytes.toString('base64');
}

/** Every secret of the test identities: none may appear in outputs, errors or logs. */
export const SECRETS = ALL_TEST_SECRETS;

/**
 * Returns the secrets found in any string of `value` (deeply). For a workflow result, what a
 * person sees is checked: the run, the outputs and the error; not the harness's own record of the
 * credential store (`tokenUpdates`, which holds credentials by design).
 */
export function findSecrets(value: unknown): string[] {
	if (value && typeof value === 'object' && 'tokenUpdates' in value) {
		const { tokenUpdates: _stored, ...visible } = value as Record<string, unknown>;
		void _stored;
		value = visible;
	}
	const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (v instanceof Error ? { ...v, message: v.message, description: (v as { description?: unknown }).description } : v));
	return SECRETS.filter((s) => text?.includes(s));
}
