import type { IDataObject } from 'n8n-workflow';

/**
 * One WhatsApp number as the PilotStatus API returns it (list item or detail). Only the fields
 * this package reads are named; the API may send more, and they are kept.
 */
export interface PilotStatusNumber extends IDataObject {
	id?: string;
	number?: string;
	name?: string;
	provider?: string;
	state?: string;
	isFullyConnected?: boolean;
}
