import { MediaInputError } from '../../nodes/XMedia/helpers/errors';

/** Runs `fn`, expects a MediaInputError, checks its message (and description) and returns it. */
export function expectInputError(fn: () => unknown, message: RegExp | string, description?: RegExp | string): MediaInputError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	if (!(caught instanceof MediaInputError)) {
		throw new Error(`Expected a MediaInputError, got ${caught === undefined ? 'no error' : String(caught)}`);
	}
	expect(caught.message).toMatch(message);
	if (description !== undefined) expect(caught.description ?? '').toMatch(description);
	return caught;
}

/** Same for async functions. */
export async function expectInputErrorAsync(
	fn: () => Promise<unknown>,
	message: RegExp | string,
	description?: RegExp | string,
): Promise<MediaInputError> {
	let caught: unknown;
	try {
		await fn();
	} catch (error) {
		caught = error;
	}
	if (!(caught instanceof MediaInputError)) {
		throw new Error(`Expected a MediaInputError, got ${caught === undefined ? 'no error' : String(caught)}`);
	}
	expect(caught.message).toMatch(message);
	if (description !== undefined) expect(caught.description ?? '').toMatch(description);
	return caught;
}
