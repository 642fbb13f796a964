import type { SandboxTenant } from './server';

export const KEYS: {
	acmeTenant: string;
	acmeNumber: string;
	globexTenant: string;
	globexNumber: string;
};
export function createTenants(): Record<string, SandboxTenant>;
