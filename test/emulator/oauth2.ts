/**
 * OAuth 2.0 bearer tokens: the emulator's token table and the scope check that the spec's
 * `security` requirements imply (all scopes listed for OAuth2UserToken are needed).
 */
import { oauth2TokenInfo, type OAuth2TokenInfo } from './testCredentials';

export function parseBearer(authorization: string): string | undefined {
	const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
	return m ? m[1] : undefined;
}

export function lookupBearerToken(token: string): OAuth2TokenInfo | undefined {
	return Object.prototype.hasOwnProperty.call(oauth2TokenInfo, token) ? oauth2TokenInfo[token] : undefined;
}

/** Scopes in `required` that `granted` lacks. */
export function missingScopes(granted: string[], required: string[]): string[] {
	return required.filter((s) => !granted.includes(s));
}
