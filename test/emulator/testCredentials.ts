/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]); the secrets are fake test identities of the local emulator */
/**
 * Fixed test identities and secrets known to the X API emulator. The secrets are long and
 * random-looking on purpose, so a leak test can search outputs, errors and logs for them.
 * They are NOT real X credentials.
 */

export interface TestUser {
	id: string;
	name: string;
	username: string;
}

export const userA: TestUser = { id: '1880000000000000001', name: 'X Media Demo', username: 'xmedia_demo' };
export const userB: TestUser = { id: '1880000000000000002', name: 'X Media Partner', username: 'xmedia_partner' };

export const testUsers: Record<'A' | 'B', TestUser> = { A: userA, B: userB };

export interface OAuth1UserToken {
	userId: string;
	accessToken: string;
	accessTokenSecret: string;
	/** The app permission this token was granted under ("Read and write and Direct message" = read-write-dm). */
	permission: 'read-write-dm' | 'read-write' | 'read';
}

/** One X app (consumer) with user tokens for A and B, plus a token of A granted while the app was read-only. */
export const oauth1Credentials = {
	consumerKey: '1ZOlrFGDLFwn7UcM72DcixD6E',
	consumerSecret: 'Cl4yrzHFLbEFs2Il20ru0paAfhKZVcCNfqPJIUtLB3HGmNcCPZ',
	userA: {
		userId: userA.id,
		accessToken: `${userA.id}-ky5FBfaMtNGZHapWMbMUFHfR40J5CHN`,
		accessTokenSecret: 'LJ6X3PnhqXsC1al5nCWmMVkOAUGZ0jGOUuDsG9IiyHXR4',
		permission: 'read-write-dm',
	} as OAuth1UserToken,
	userB: {
		userId: userB.id,
		accessToken: `${userB.id}-SgijOZk69l6jW0XMQG8aY4oUTNaaAd6`,
		accessTokenSecret: 't2VzVVZsC2lspou9DVOgG7hEzs37voj4basIR97iWzArC',
		permission: 'read-write-dm',
	} as OAuth1UserToken,
	readOnlyUserA: {
		userId: userA.id,
		accessToken: `${userA.id}-zRKEB0jT60s5qXLchkuVtsWMkxK3Wys`,
		accessTokenSecret: 'wDFTwthkxt1U0TumSPo6bgXFh7woTOyg3sCYcmwoLOKhz',
		permission: 'read',
	} as OAuth1UserToken,
	/** A token of A granted while the app had "Read and write" but not Direct Message permission. */
	noDmUserA: {
		userId: userA.id,
		accessToken: `${userA.id}-pQ7vNw2LxE9sRt4YbK6mJc3HdF8aGz1`,
		accessTokenSecret: 'Ve5nR2kT9wQxB7mL3pZc8HsJ4yD6fA1gU0iO5tKlNbXr2',
		permission: 'read-write',
	} as OAuth1UserToken,
};

export const FULL_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];
/** The credential's default scopes plus what Direct Messages need (the README tells people to add `dm.read dm.write`). */
export const DM_SCOPES = [...FULL_SCOPES, 'dm.read', 'dm.write'];

export interface OAuth2TokenInfo {
	/** Undefined for the app-only bearer token. */
	userId?: string;
	scopes: string[];
	appOnly?: boolean;
}

/** OAuth 2.0 access tokens (Authorization: Bearer …). */
export const oauth2Tokens = {
	/** User A, `tweet.read tweet.write users.read media.write offline.access dm.read dm.write`. */
	userA: 'yBhvUql3zi-17UJWJz6r03kaZOx-67cRe2APso8hQo3LdM5soF-WvrRucpgTy-sMjc4oPK21rtcBTpzdLtJdHqbi',
	/** User A without `media.write` (e.g. n8n's built-in X credential's scope list): 403 on /2/media*. */
	userANoMediaWrite: 'A3YLMDCUATSz3cqVymFqdgoG3R1T3rrHIpvt1yaMWzpw3mttbo-bQEiqRELycYGp9Vy4PIQJGT63vY3zoOGIRmPr',
	/** User A with the credential's default scopes only (no `dm.write`): 403 on Direct Messages. */
	userANoDmWrite: 'Hq2vT9xLmR4cZ7bN1wK8pY3jF6dS0aG5uE2iO9tV4nB7mX1qW3eR8yU6oP2lK5jHgD0sA4zC7vB9nM1qW3eR5tY8',
	/** User B, full scopes. */
	userB: 'LFic6I9o_Fjkl1KAfa8ioVyz1pUqYl0bypePCZ6zGmU-r1IRTfQzwB_VdLOI3L_pQKrooPkobaeUDBN5rQtM821C',
	/** App-only bearer token (no user): refused on every user-context endpoint. */
	appOnly: 'AAAAAAAAAAAAAAAAAAAAAvks812C6zGboHJMqMmAJ2hY3ddITqD%3DyU9LK5Em5j6TWCrxMal3pbHqCdLezPukWicVWxq57t3PgZCzur',
};

/** OAuth 2.0 refresh tokens (`offline.access`), exchanged at `POST /2/oauth2/token` for new access tokens. */
export const oauth2RefreshTokens = {
	userA: 'cmVmcmVzaC11c2VyQS1XcDNrOVF6TDJ2TnhSN3RZOHVJNG9QNmxLM2pINWdGMWRTMGFa',
};

export const oauth2RefreshTokenInfo: Record<string, OAuth2TokenInfo> = {
	[oauth2RefreshTokens.userA]: { userId: userA.id, scopes: FULL_SCOPES },
};

export const oauth2TokenInfo: Record<string, OAuth2TokenInfo> = {
	[oauth2Tokens.userA]: { userId: userA.id, scopes: DM_SCOPES },
	[oauth2Tokens.userANoDmWrite]: { userId: userA.id, scopes: FULL_SCOPES },
	[oauth2Tokens.userANoMediaWrite]: { userId: userA.id, scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] },
	[oauth2Tokens.userB]: { userId: userB.id, scopes: DM_SCOPES },
	[oauth2Tokens.appOnly]: { scopes: [], appOnly: true },
};

/** OAuth 2.0 client of the fake app (only needed to fill n8n's credential form; the emulator never checks them). */
export const oauth2Client = {
	clientId: 'eE1lZGlhRW11bGF0b3JDbGllbnQ6MTpjaQ',
	clientSecret: 'Wk3rT0c9Qb1sX8vN2mL5pY7hJ4gF6dS0aZ3xC1vB8nM2qW5eR7tY9uI4oP6lK3jH',
};

export const testCredentials = {
	users: testUsers,
	oauth1: oauth1Credentials,
	oauth2: { tokens: oauth2Tokens, tokenInfo: oauth2TokenInfo, client: oauth2Client },
};

/**
 * The signature of a presigned URL (media from a URL): X Media never shows a URL's query. Not in
 * ALL_TEST_SECRETS: the workflow itself holds it (the node's parameter, the items of the nodes
 * before it); harness/leakCheck.ts searches every log line for it, and the tests every output and error.
 */
export const URL_QUERY_SECRET = 'urlsig9F3kQ7ZsecretW2xV8mN4';

/** Every secret above, for leak tests (consumer key included: it is not secret at X but should not be logged either). */
export const ALL_TEST_SECRETS: string[] = [
	oauth2RefreshTokens.userA,
	oauth1Credentials.consumerSecret,
	oauth1Credentials.userA.accessToken,
	oauth1Credentials.userA.accessTokenSecret,
	oauth1Credentials.userB.accessToken,
	oauth1Credentials.userB.accessTokenSecret,
	oauth1Credentials.readOnlyUserA.accessToken,
	oauth1Credentials.readOnlyUserA.accessTokenSecret,
	oauth1Credentials.noDmUserA.accessToken,
	oauth1Credentials.noDmUserA.accessTokenSecret,
	oauth2Tokens.userA,
	oauth2Tokens.userANoDmWrite,
	oauth2Tokens.userANoMediaWrite,
	oauth2Tokens.userB,
	oauth2Tokens.appOnly,
	oauth2Client.clientSecret,
];

export const oauth1Tokens: OAuth1UserToken[] = [oauth1Credentials.userA, oauth1Credentials.userB, oauth1Credentials.readOnlyUserA, oauth1Credentials.noDmUserA];

/**
 * Credential entries for `n8n import:credentials --input file.json` (decrypted `data`, n8n encrypts on
 * import), pointing the package's credential types at the emulator through `apiBaseUrl`.
 */
export function n8nCredentialEntries(baseUrl: string, user: 'A' | 'B' = 'A') {
	const o1 = user === 'A' ? oauth1Credentials.userA : oauth1Credentials.userB;
	const o2 = user === 'A' ? oauth2Tokens.userA : oauth2Tokens.userB;
	return [
		{
			id: `xEmuOAuth1${user}`,
			name: `X emulator OAuth1 (user ${user})`,
			type: 'xOAuth1Api',
			data: {
				consumerKey: oauth1Credentials.consumerKey,
				consumerSecret: oauth1Credentials.consumerSecret,
				signatureMethod: 'HMAC-SHA1',
				requestTokenUrl: 'https://api.x.com/oauth/request_token',
				authUrl: 'https://api.x.com/oauth/authorize',
				accessTokenUrl: 'https://api.x.com/oauth/access_token',
				apiBaseUrl: baseUrl,
				oauthTokenData: { oauth_token: o1.accessToken, oauth_token_secret: o1.accessTokenSecret, user_id: o1.userId },
			},
		},
		{
			id: `xEmuOAuth2${user}`,
			name: `X emulator OAuth2 (user ${user})`,
			type: 'xOAuth2Api',
			data: {
				grantType: 'pkce',
				clientId: oauth2Client.clientId,
				clientSecret: oauth2Client.clientSecret,
				scope: DM_SCOPES.join(' '),
				authentication: 'header',
				apiBaseUrl: baseUrl,
				oauthTokenData: { token_type: 'bearer', access_token: o2, scope: DM_SCOPES.join(' ') },
			},
		},
	];
}
