/**
 * Create Thread's errors: a thread that stops part-way says which posts X already made (their ids
 * and links), so that nobody posts them again by hand, and how to go on; a refused reply names X's
 * reply restriction.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './itemLoop';

/** A post of the thread that X made: its output item. */
export interface ThreadPost {
	item: INodeExecutionData;
}

/** Where the thread was when it failed. */
export interface ThreadProgress {
	stage: 'check' | 'upload' | 'post';
	/** The input item being read, uploaded or posted. */
	itemIndex: number;
	/** Posts planned (0 until the plan is made). */
	total: number;
	/** The post the failing post replied to, if any. */
	replyTo?: string;
}

/**
 * X's reply rule for self-serve apps since 2026-02-23 (docs.x.com/changelog; docs.x.com/x-api/posts/
 * manage-tweets/integrate: "Replies via the API are only permitted if the replying account has been
 * explicitly summoned by the original post's author").
 */
function replyRestriction(replyTo: string): string {
	return (
		`This post replies to post ${replyTo}. Since February 2026 X lets the API post a reply only where the original post's author summoned the account (mentioned or quoted it); ` +
		'X does not say whether replies to the account\'s own posts count. X also refuses a reply to a post that was deleted or is not visible to the account. ' +
		'Check that the post exists and that its author mentioned or quoted the posting account.'
	);
}

function postedList(posted: ThreadPost[]): string {
	if (posted.length === 0) return 'No post of the thread was made.';
	const list = posted.map((p) => `${String(p.item.json.position)}. ${String(p.item.json.id)} (${String(p.item.json.url)})`).join('; ');
	return `Posts already made (${posted.length}; do not post them again by hand): ${list}.`;
}

function howToGoOn(posted: ThreadPost[], stoppedAt: number): string {
	const rerun =
		'With the node setting Retry On Fail on, n8n\'s retry in this execution goes on with the post that failed and makes none of the others again.';
	if (posted.length === 0) return rerun;
	const last = posted[posted.length - 1].item.json.id as string;
	return `${rerun} To finish the thread in a new run, set "Reply to Post ID" to ${last} and pass only the posts from post ${stoppedAt} on.`;
}

/** The node's error for a thread that failed, with what was already posted. */
export function threadFailure(ctx: IExecuteFunctions, error: unknown, posted: ThreadPost[], progress: ThreadProgress): Error {
	const nodeError = toNodeError(ctx, error, progress.itemIndex) as Error & { description?: string | null; httpCode?: string | null };
	if (progress.stage === 'check') return nodeError;
	const before = nodeError.description ? [nodeError.description] : [];
	if (progress.stage === 'upload') {
		nodeError.description = [...before, 'No post of the thread was made: every upload finishes before the first post.'].join(' ');
		return nodeError;
	}
	const stoppedAt = posted.length + 1;
	const notes: string[] = [];
	if (nodeError.httpCode === '403') {
		if (/duplicate/i.test(nodeError.message)) {
			notes.push('X refuses a text that the account already posted: change the text of this post (for example with Number Parts, or a date).');
		} else if (progress.replyTo) {
			notes.push(replyRestriction(progress.replyTo));
		}
	}
	nodeError.message = `The thread stopped at post ${stoppedAt} of ${progress.total}: ${nodeError.message}`;
	nodeError.description = [...notes, postedList(posted), howToGoOn(posted, stoppedAt), ...before].join(' ');
	return nodeError;
}
