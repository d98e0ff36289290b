/**
 * An error in the user's input, found before any request is sent to X.
 *
 * The helpers stay free of n8n runtime imports so they can be unit-tested on their own;
 * the operations turn this error into a `NodeOperationError` (message + description).
 */
export class MediaInputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'MediaInputError';
		// Keep `instanceof` working when compiled to ES5-style classes.
		Object.setPrototypeOf(this, new.target.prototype);
	}
}

/** Quote a user-supplied value for a message: JSON-quoted, cut to `max` characters. */
export function quoteValue(value: string, max = 40): string {
	const chars = [...value];
	const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
	return JSON.stringify(cut);
}

/** The one refusal of an empty file (X takes no file of 0 bytes). */
export function emptyFileError(fileName?: string): MediaInputError {
	return new MediaInputError(
		`The file${fileName ? ` "${fileName}"` : ''} is empty (0 bytes)`,
		'X does not take empty files. Check the node before X Media: a failed download or conversion often yields an empty file.',
	);
}
