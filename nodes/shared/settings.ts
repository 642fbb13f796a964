/*
 * The node's whole-number settings, each defined once: its default and its bounds serve the
 * parameter the editor shows (descriptions/options.ts), the reader that checks an expression's
 * value (actions/parameters.ts), and the defaults of callers without parameters (the trigger, the
 * Number dropdown). Pure data, so loading a description loads nothing else.
 */

/** A whole-number setting: what the editor offers and what the reader accepts. */
export interface WholeNumberSetting {
	/** The parameter's path, e.g. `options.timeout`. */
	path: string;
	/** How messages name it: the editor's display name. */
	label: string;
	default: number;
	min: number;
	/** Inclusive; `Number.MAX_SAFE_INTEGER` for "no upper bound". */
	max: number;
	/** What one unit is, for messages: `milliseconds`, `requests`... */
	unit: string;
}

/** Options → Timeout: how long one attempt may take, in milliseconds. */
export const TIMEOUT: WholeNumberSetting = {
	path: 'options.timeout',
	label: 'Timeout',
	default: 30_000,
	min: 1,
	max: 600_000,
	unit: 'milliseconds',
};

/** Options → Max Retries: attempts after the first one, for failures worth retrying (retry.ts). */
export const MAX_RETRIES: WholeNumberSetting = {
	path: 'options.maxRetries',
	label: 'Max Retries',
	default: 3,
	min: 0,
	max: 10,
	unit: 'retries',
};

/**
 * Options → Concurrency: PilotStatus requests in flight at once, across all items of a run. 0, the
 * default, is Auto (concurrencyLimit.ts), which moves between 1 and `max`; a number fixes it.
 */
export const CONCURRENCY: WholeNumberSetting = {
	path: 'options.concurrency',
	label: 'Concurrency',
	default: 0,
	min: 0,
	max: 50,
	unit: 'requests (0 for Auto)',
};

/** How each request of a run is bounded: the Timeout and Max Retries settings. */
export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
	/**
	 * When the caller must have its answer, in epoch ms (the trigger's poll budget): no attempt or
	 * retry starts after it, and a running attempt is cut at it.
	 */
	deadline?: number;
}

/** For callers without the node's Options (the trigger, the Number dropdown). */
export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	timeoutMs: TIMEOUT.default,
	maxRetries: MAX_RETRIES.default,
};

/**
 * The parts of a setting's editor field that come from its definition: name, label, default and
 * bounds (whole numbers only). The caller adds the description.
 */
export function numberField(setting: WholeNumberSetting) {
	return {
		displayName: setting.label,
		name: setting.path.split('.').pop()!,
		type: 'number' as const,
		default: setting.default,
		typeOptions: {
			minValue: setting.min,
			...(setting.max === Number.MAX_SAFE_INTEGER ? {} : { maxValue: setting.max }),
			numberPrecision: 0,
		},
	};
}
