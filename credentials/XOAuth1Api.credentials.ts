import type {
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * X (Twitter) OAuth 1.0a user context (HMAC-SHA1). X accepts it on every v2 media endpoint,
 * and it needs no scopes: the app's "Read and write" permission is what counts.
 */
export class XOAuth1Api implements ICredentialType {
	name = 'xOAuth1Api';

	displayName = 'X OAuth1 API';

	extends = ['oAuth1Api'];

	icon: Icon = { light: 'file:../icons/x.svg', dark: 'file:../icons/x.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-x-media/n8n-nodes-x-media#oauth-10a-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Use the app\'s API Key as Consumer Key and its API Key Secret as Consumer Secret. The app needs "Read and write" permissions and the OAuth Redirect URL shown above as its callback URL; after changing permissions, reconnect.',
			name: 'appNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Request Token URL',
			name: 'requestTokenUrl',
			type: 'hidden',
			default: 'https://api.x.com/oauth/request_token',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://api.x.com/oauth/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://api.x.com/oauth/access_token',
		},
		{
			displayName: 'Signature Method',
			name: 'signatureMethod',
			type: 'hidden',
			default: 'HMAC-SHA1',
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

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBaseUrl}}',
			url: '/2/users/me',
			method: 'GET',
		},
	};
}
