import type { Sandbox, SandboxHandler } from './server';

export const HTML_ERROR_PAGE: string;

export const faults: {
	answer(status: number, text: string, headers?: Record<string, string>): SandboxHandler;
	status(code: number, options?: { retryAfter?: string | number; body?: unknown }): SandboxHandler;
	html(code?: number): SandboxHandler;
	json(body: unknown, code?: number): SandboxHandler;
	truncatedJson(fraction?: number): SandboxHandler;
	rewrite(change: (body: any) => unknown): SandboxHandler;
	delay(ms: number): SandboxHandler;
	reset(): SandboxHandler;
	slowDrip(options: { chunks?: number; intervalMs: number }): SandboxHandler;
};

export function injectFault(
	sandbox: Sandbox,
	fault: SandboxHandler,
	when?: {
		path?: string | RegExp | ((pathname: string) => boolean);
		times?: number;
		calls?: number[];
	},
): Sandbox;
