/**
 * What one post may carry (docs.x.com best practices): 1-4 images, or 1 animated GIF, or
 * 1 video; text or media or both. Checked before posting so the user gets a clear message
 * instead of X's "$.media.media_ids: …" validation error.
 *
 * Pure: no n8n runtime, no Node built-in imports.
 */
import { MediaInputError } from './errors';
import { MAX_MEDIA_PER_POST } from './limits';
import type { MediaKind } from './limits';

export interface PostMedia {
	id: string;
	/** Known when the media was uploaded in this run; undefined for ids from upstream. */
	kind?: MediaKind | undefined;
}

function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

function listIds(media: PostMedia[]): string {
	return media.map((m) => m.id).join(', ');
}

/** Throws a MediaInputError when `media` (with or without text) cannot make one post. */
export function checkPostMedia(media: PostMedia[], hasText: boolean): void {
	const list = media ?? [];
	if (list.length === 0) {
		if (hasText) return;
		throw new MediaInputError(
			'The post has no text and no media',
			'Fill in Text, or pass media ids (for example from an Upload step) or binary files to upload.',
		);
	}

	const subtitles = list.filter((m) => m.kind === 'subtitles');
	if (subtitles.length > 0) {
		throw new MediaInputError(
			`Subtitle files cannot be posted as media (${listIds(subtitles)})`,
			'Subtitles are attached to a video, not posted on their own. Remove the subtitles media id from the post.',
		);
	}

	if (list.length > MAX_MEDIA_PER_POST) {
		throw new MediaInputError(
			`A post can hold at most ${MAX_MEDIA_PER_POST} media, but this one has ${list.length}`,
			`Remove ${list.length - MAX_MEDIA_PER_POST} of them, or split them over several posts (for example a thread: reply to the first post).`,
		);
	}

	const videos = list.filter((m) => m.kind === 'video').length;
	const gifs = list.filter((m) => m.kind === 'gif').length;
	if (videos > 1 || gifs > 1 || (videos > 0 && gifs > 0)) {
		const parts: string[] = [];
		if (videos > 0) parts.push(plural(videos, 'video'));
		if (gifs > 0) parts.push(plural(gifs, 'GIF'));
		throw new MediaInputError(
			`A post can hold only one video or one GIF, but this one has ${parts.join(' and ')}`,
			'Post each video or GIF on its own (one post each, or a thread).',
		);
	}
	if (videos + gifs === 1 && list.length > 1) {
		const what = videos === 1 ? 'video' : 'GIF';
		const others = list.length - 1;
		const images = list.filter((m) => m.kind === 'image').length;
		const otherText =
			images === others ? plural(images, 'image') : plural(others, 'other media item', 'other media items');
		throw new MediaInputError(
			`A ${what} must be the only media in a post, but this one also has ${otherText}`,
			`X allows 1 to ${MAX_MEDIA_PER_POST} images, or 1 GIF, or 1 video per post. Post the ${what} on its own and the images in another post.`,
		);
	}
}
