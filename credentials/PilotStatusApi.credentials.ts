import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { KEY_REJECTED_HINT, keyRejectedMessage } from '../nodes/shared/errors';

export class PilotStatusApi implements ICredentialType {
	name = 'pilotStatusApi';

	displayName = 'PilotStatus API';

	icon: Icon = {
		light: 'file:../icons/pilotStatus.svg',
		dark: 'file:../icons/pilotStatus.dark.svg',
	};

	documentationUrl = 'https://github.com/pilotstatus/n8n-nodes-pilotstatus#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'ps_...',
			description:
				'Your PilotStatus API key. It starts with ps_. A tenant-scoped key sees every number in the account; a number-scoped key sees only its own number.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://pilotstatus.com.br',
			description:
				'Where the PilotStatus API is served. Change it only to go through a proxy or to use a test server.',
		},
	];

	/*
	 * A function rather than n8n's generic block ({ headers: { 'x-api-key': '={{$credentials.apiKey}}' } }):
	 * n8n evaluates a generic block's expression for every request, in n8n 2.x inside its expression
	 * sandbox, and these nodes make a request per item. Measured in n8n 2.41, that evaluation cost
	 * about a fifth of the node's time per item.
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'x-api-key': credentials.apiKey as string },
	});

	// Listing numbers is the cheapest call that proves the key works.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v1/numbers',
		},
		// Without these n8n shows only the HTTP status text ("Unauthorized").
		rules: [401, 403].map((value) => ({
			type: 'responseCode' as const,
			properties: { value, message: `${keyRejectedMessage(value)}. ${KEY_REJECTED_HINT}` },
		})),
	};
}
