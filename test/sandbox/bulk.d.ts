import type { Sandbox } from './server';

export function addNumbers(sandbox: Sandbox, count: number, tenant?: string): string[];
