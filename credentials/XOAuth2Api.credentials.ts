import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * X (Twitter) OAuth 2.0 user context with PKCE. The default scopes include `media.write`,
 * which every v2 media endpoint requires and n8n's built-in X credential does not request.
 */
export class XOAuth2Api implements ICredentialType {
	name = 'xOAuth2Api';

	displayName = 'X OAuth2 API';

	extends = ['oAuth2Api'];

	icon: Icon = { light: 'file:../icons/x.svg', dark: 'file:../icons/x.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-x-media/n8n-nodes-x-media#oauth-20-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Uploading media needs the <code>media.write</code> scope. A token granted without it gets "403 Forbidden" on every upload: add the scope and reconnect. In the X developer portal, set the app\'s callback URL to the OAuth Redirect URL shown above and give it "Read and write" permissions.',
			name: 'mediaWriteNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'pkce',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://x.com/i/oauth2/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://api.x.com/2/oauth2/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'tweet.read tweet.write users.read media.write offline.access',
			description:
				'Space-separated OAuth 2.0 scopes. <code>media.write</code> is required for uploads, <code>tweet.write</code> for posts and <code>offline.access</code> keeps the connection alive. Add others as you need them, for example <code>dm.read dm.write</code> for Direct Messages, then reconnect.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://api.x.com',
			description:
				'Leave as it is; change only for an X API-compatible proxy or a local X API emulator',
		},
	];
}
