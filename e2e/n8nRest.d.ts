/** Types for n8nRest.js, for the TypeScript tests (ui/). */
import type { N8nInstall } from './n8n';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const OWNER: Owner;

export interface N8nSession {
	cookie: string;
	get(restPath: string): Promise<any>;
	executions(workflowId: string): Promise<Array<Record<string, any>>>;
	execution(id: string): Promise<Record<string, any> & { data: any; text: string }>;
	waitUntilPublished(workflowIds: string[]): Promise<void>;
}

export interface SessionOptions {
	owner?: Owner;
	install?: N8nInstall;
}

export function setUpOwner(url: string, options?: SessionOptions): Promise<N8nSession>;
export function signIn(url: string, options?: SessionOptions): Promise<N8nSession>;
