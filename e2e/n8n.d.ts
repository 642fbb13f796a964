/** Types for n8n.js, for the TypeScript tests (ui/). */
export interface N8nInstall {
	version: string;
	dir: string;
	n8n: string;
	node: string;
	env: Record<string, string>;
}

export interface CliResult {
	code: number | null;
	signal: string | null;
	stdout: string;
	stderr: string;
}

export interface N8nFolder {
	version: string;
	install: N8nInstall;
	userFolder: string;
	env: Record<string, string>;
	transcript: string[];
	cli(args: string[]): Promise<CliResult>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(files: string[]): Promise<Record<string, string>>;
	publishWorkflows(workflowIds: string[]): Promise<void>;
	execute(workflowId: string): Promise<CliResult & { run: any }>;
	log(): string;
	remove(): void;
}

export function createN8n(options: {
	version: string;
	tarball?: string;
	userFolder?: string;
	env?: Record<string, string | undefined>;
}): Promise<N8nFolder>;

export function packPackage(destination: string): string;

export const ENCRYPTION_KEY: string;
