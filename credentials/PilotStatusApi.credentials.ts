import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { authorizeRequest } from '../nodes/shared/connection';
import {
	KEY_REJECTED_HINT,
	keyRejectedMessage,
	redirectRefusedMessage,
} from '../nodes/shared/errors';

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
	 * it puts the key only on requests to the Base URL, as the nodes mean it, turns redirects off
	 * (n8n would carry the key along a redirect to any host), and runs for the Test too, so the Test
	 * refuses what the nodes refuse before sending anything (nodes/shared/connection.ts). Also
	 * faster: n8n evaluates a generic block's expression for every request, in n8n 2.x inside its
	 * expression sandbox; measured in n8n 2.41, that cost about a fifth of the node's time per item.
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) =>
		authorizeRequest(credentials, requestOptions);

	// Listing numbers is the cheapest call that proves the key works. The URL is resolved against
	// the Base URL by authenticate, exactly as the nodes' requests are.
	test: ICredentialTestRequest = {
		request: { url: '/v1/numbers' },
		// Without these n8n shows only the HTTP status text ("Unauthorized", "Found").
		rules: [
			...[401, 403].map((value) => ({
				type: 'responseCode' as const,
				properties: { value, message: `${keyRejectedMessage(value)}. ${KEY_REJECTED_HINT}` },
			})),
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: { value, message: redirectRefusedMessage(value) },
			})),
		],
	};
}
