import type { INodeExecutionData, INodeListSearchResult, IRun, IRunData } from 'n8n-workflow';

export interface TestCredentials {
	apiKey: string;
	baseUrl?: string;
}

export interface OutputItem extends INodeExecutionData {
	json: Record<string, any>;
}

export interface NodeRun {
	items: OutputItem[];
	error:
		| (Error & { description?: string; httpCode?: string; context?: Record<string, unknown> })
		| undefined;
	runData: IRunData;
	/** How many times the run read the credential (each a database read and a decryption in n8n). */
	credentialReads: number;
}

export function runNode(options: {
	type?: string;
	parameters: Record<string, unknown>;
	credentials: TestCredentials;
	input?: Array<Record<string, unknown>>;
	continueOnFail?: boolean;
}): Promise<NodeRun>;

export function runWorkflow(options: {
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	credentials: TestCredentials;
	/** Credentials of other types, by type name, e.g. `{ httpHeaderAuth: { name, value } }`. */
	otherCredentials?: Record<string, Record<string, unknown>>;
}): Promise<{
	run: IRun;
	runData: IRunData;
	error: Error | undefined;
	output: (name: string) => OutputItem[];
	credentialReads: number;
}>;

export function listSearch(options: {
	type?: string;
	method: string;
	filter?: string;
	parameters?: Record<string, unknown>;
	credentials: TestCredentials;
}): Promise<INodeListSearchResult>;

export function registerTypes(types: {
	nodes?: Record<string, object>;
	credentials?: Array<{ name: string }>;
}): void;

export const PACKAGE: string;

export interface PollTick {
	/** What n8n would start an execution with (the first output), or null when the poll emitted nothing. */
	items: OutputItem[] | null;
	error: NodeRun['error'];
	/** The workflow's static data after the tick, through JSON as n8n stores it. */
	staticData: Record<string, any>;
	/** Whether n8n would see the static data as changed (and so save it). */
	staticDataChanged: boolean;
	/** How many times this tick read the credential. */
	credentialReads: number;
}

export interface PollOptions {
	type?: string;
	parameters: Record<string, unknown>;
	credentials: TestCredentials;
	staticData?: Record<string, any>;
	mode?: 'trigger' | 'manual';
}

export function poll(options: PollOptions): Promise<PollTick>;

export function pollTicks(
	options: PollOptions & { ticks: number; beforeTick?: (index: number) => void | Promise<void> },
): Promise<PollTick[]>;
