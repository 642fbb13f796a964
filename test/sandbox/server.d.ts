import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SandboxNumber {
	id: string;
	[field: string]: any;
}

export interface SandboxTenant {
	keys: Array<{ key: string; name: string; scope: 'tenant' | 'number'; numberId?: string }>;
	numbers: SandboxNumber[];
}

export interface RecordedRequest {
	method: string;
	path: string;
	rawUrl: string;
	query: Record<string, string>;
	keyName: string | undefined;
	hasKey: boolean;
}

/** Answers a request itself (returns true) or lets the API answer it (returns false). */
export type SandboxHandler = (
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
) => boolean | Promise<boolean>;

export interface Sandbox {
	url: string;
	tenants: Record<string, SandboxTenant>;
	requests: RecordedRequest[];
	use(handler: SandboxHandler): Sandbox;
	reset(): void;
	close(): Promise<void>;
}

export function startSandbox(options?: { port?: number }): Promise<Sandbox>;
