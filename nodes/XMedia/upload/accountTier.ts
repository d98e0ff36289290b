/**
 * The posting account's tier (standard, or X Premium / verified), which X's limits follow
 * (https://docs.x.com/x-api/media/quickstart/best-practices, "Size and duration limits"; README,
 * "Limits per account").
 *
 * The Account Tier option says it (`standard`, `premium`), or, with `auto`, the node asks X
 * (`GET /2/users/me?user.fields=subscription_type,verified_type`) — only when a verdict depends on
 * it, once per credential: the answer is kept in this process for at most an hour, in a small
 * bounded table keyed by the credential's type, n8n's id for it and the API Base URL (never a
 * secret). When X does not answer usably (no users.read scope, 429, an error), the standard limits
 * apply and the refusal says so; that is remembered for the execution only.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { POST_TEXT_LIMITS, textDependsOnTier, tierNote } from '../helpers/accountLimits';
import type { AccountTier, AccountTierOption, TierVerdict } from '../helpers/accountLimits';
import { MediaInputError } from '../helpers/errors';
import { textTooLongError, weightedLength } from '../helpers/postText';
import { xErrorWords } from '../transport/xErrors';
import { X_API } from '../transport/endpoints';
import type { XApiClient } from '../transport/xApiClient';

/** How long X's answer is kept. */
export const TIER_CACHE_MS = 60 * 60_000;
/** Most credentials kept at once (oldest dropped first). */
export const MAX_TIER_CACHE_ENTRIES = 100;

const cache = new Map<string, { tier: AccountTier; expiresAtMs: number }>();

function cached(key: string | undefined): AccountTier | undefined {
	if (key === undefined) return undefined;
	const entry = cache.get(key);
	if (!entry) return undefined;
	if (entry.expiresAtMs <= Date.now()) {
		cache.delete(key);
		return undefined;
	}
	return entry.tier;
}

function remember(key: string | undefined, tier: AccountTier): void {
	if (key === undefined) return;
	cache.delete(key);
	while (cache.size >= MAX_TIER_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
	cache.set(key, { tier, expiresAtMs: Date.now() + TIER_CACHE_MS });
}

/** Premium when X reports a subscription other than None, or a verification other than none. */
export function tierFromUser(user: IDataObject | undefined): AccountTier | undefined {
	const subscription = typeof user?.subscription_type === 'string' ? user.subscription_type : undefined;
	const verified = typeof user?.verified_type === 'string' ? user.verified_type : undefined;
	if (subscription === undefined && verified === undefined) return undefined;
	const premium = (subscription !== undefined && subscription.toLowerCase() !== 'none') || (verified !== undefined && verified.toLowerCase() !== 'none');
	return premium ? 'premium' : 'standard';
}

/** The tier answers of one execution: X is asked at most once per credential. */
export class AccountTiers {
	private pending?: Promise<TierVerdict>;

	constructor(
		private readonly client: XApiClient,
		private readonly credentialKey: string | undefined,
	) {}

	/** For one execution of the node: the cache key is the credential (type, n8n's id) and the API Base URL. */
	static forExecution(ctx: IExecuteFunctions, client: XApiClient): AccountTiers {
		const credentialId = ctx.getNode().credentials?.[client.credentialType]?.id;
		return new AccountTiers(client, credentialId ? `${client.credentialType}\u0000${credentialId}\u0000${client.baseUrl}` : undefined);
	}

	/** The tier of one item, from its Account Tier option. */
	forItem(option: AccountTierOption, itemIndex: number): ItemTier {
		return new ItemTier(this, option, itemIndex);
	}

	/** What X says of the account (cached), or standard with why X could not tell. */
	async ask(itemIndex: number): Promise<TierVerdict> {
		const known = cached(this.credentialKey);
		if (known) return { tier: known, source: 'x' };
		this.pending ??= this.lookUp(itemIndex);
		return await this.pending;
	}

	private async lookUp(itemIndex: number): Promise<TierVerdict> {
		let answer;
		try {
			answer = await this.client.request<{ data?: IDataObject }>({
				method: 'GET',
				path: X_API.usersMe.path(),
				endpoint: 'usersMe',
				qs: { 'user.fields': 'subscription_type,verified_type' },
				itemIndex,
				passStatuses: [400, 401, 403, 404, 429],
				retry: { maxAttempts: 2, maxRateLimitWaitMs: 0 },
			});
		} catch (error) {
			return { tier: 'standard', source: null, unanswered: `its account look-up failed: ${error instanceof Error ? error.message : String(error)}` };
		}
		if (answer.statusCode !== 200) {
			const words = xErrorWords(answer.body);
			const why =
				answer.statusCode === 403
					? 'the credential may lack the users.read scope'
					: answer.statusCode === 429
						? 'its rate limit for the account look-up was reached'
						: `its account look-up answered HTTP ${answer.statusCode}`;
			return { tier: 'standard', source: null, unanswered: `GET /2/users/me: HTTP ${answer.statusCode}, ${why}${words ? `; X said: ${words}` : ''}` };
		}
		const body = answer.body && typeof answer.body === 'object' ? answer.body : undefined;
		const tier = tierFromUser(body?.data && typeof body.data === 'object' ? body.data : undefined);
		if (!tier) return { tier: 'standard', source: null, unanswered: 'its account look-up named neither subscription_type nor verified_type' };
		remember(this.credentialKey, tier);
		return { tier, source: 'x' };
	}
}

/** The tier of one item: fixed by its option, or asked of X when a verdict needs it. */
export class ItemTier {
	/** The verdict a check used (null fields in the output when none needed one). */
	used?: TierVerdict;

	constructor(
		private readonly tiers: AccountTiers | undefined,
		readonly option: AccountTierOption,
		private readonly itemIndex: number,
	) {
		if (option !== 'auto') this.used = { tier: option, source: 'option' };
	}

	/** A tier that applies without asking: the option's (undefined with `auto`). */
	get fixed(): TierVerdict | undefined {
		return this.option === 'auto' ? undefined : { tier: this.option, source: 'option' };
	}

	/** The tier to decide with: the option's, or X's answer (standard when X does not answer). */
	async resolve(): Promise<TierVerdict> {
		const verdict =
			this.fixed ??
			(this.tiers
				? await this.tiers.ask(this.itemIndex)
				: { tier: 'standard' as const, source: null, unanswered: 'the account look-up is not available here' });
		this.used = verdict;
		return verdict;
	}

	/** `account_tier` and `account_tier_source` of the output. */
	output(): { account_tier: AccountTier | null; account_tier_source: 'option' | 'x' | null } {
		const used = this.used;
		if (!used || used.unanswered !== undefined) return { account_tier: used ? used.tier : null, account_tier_source: null };
		return { account_tier: used.tier, account_tier_source: used.source };
	}
}

/**
 * Refuses, before anything is uploaded, a post text longer than the account may post, as X counts
 * it (twitter-text weights, helpers/postText.ts); a text over the standard limit but within the
 * Premium one makes the node ask X with Account Tier `auto`. Returns the weighted length.
 */
export async function checkPostTextLength(text: string, tier: ItemTier, subject?: string): Promise<number> {
	const count = weightedLength(text);
	let verdict = tier.used;
	if (count <= POST_TEXT_LIMITS[verdict?.tier ?? 'standard']) return count;
	if (verdict === undefined && textDependsOnTier(count)) {
		verdict = await tier.resolve();
		if (count <= POST_TEXT_LIMITS[verdict.tier]) return count;
	}
	const account = verdict?.tier ?? 'standard';
	const error = textTooLongError(count, POST_TEXT_LIMITS[account], { account, premiumLimit: POST_TEXT_LIMITS.premium, subject });
	const note = verdict && verdict.source !== 'option' ? tierNote(verdict) : '';
	throw new MediaInputError(error.message, `${error.description ?? ''}${note} Nothing was sent to X.`);
}
