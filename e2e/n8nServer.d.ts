/** Types for n8nServer.js, for the TypeScript tests (ui/). */
import type { N8nFolder } from './n8n';

export interface N8nServer {
	role: 'main' | 'worker';
	url: string;
	port: number;
	env: Record<string, string>;
	lines: string[];
	output(): string;
	isRunning(): boolean;
	exited(): Promise<number | string>;
	stop(): Promise<void>;
	start(): Promise<void>;
	restart(): Promise<void>;
}

export function startN8nServer(
	n8n: N8nFolder,
	options?: {
		role?: 'main' | 'worker';
		port?: number;
		env?: Record<string, string>;
		echo?: NodeJS.WritableStream;
	},
): Promise<N8nServer>;
