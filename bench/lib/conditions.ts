/**
 * The links the bench measures on (a latency per request, and optionally a shaped bandwidth), and
 * the issue-19 targets where X is far away: X Media (and X Media from a URL, when measured) against
 * the plain streaming client and the floor, on each link, in the same run.
 */
import type { Contender } from './common';
import { CONTENDER_LABELS } from './common';

export interface Link {
	latencyMs: number;
	/** The emulator's link shaped to this many Mbit/s (undefined: not shaped). */
	bandwidthMbps?: number;
}

export const linkLabel = (l: Link) => `${l.latencyMs} ms${l.bandwidthMbps ? `, ${l.bandwidthMbps} Mbit/s` : ''}`;

/** `--bandwidth-mbps` only applies to a latency when it is the same link (undefined matches undefined only). */
export const sameLink = (l: Link, latencyMs: number, bandwidthMbps?: number) => l.latencyMs === latencyMs && (l.bandwidthMbps || undefined) === (bandwidthMbps || undefined);

/** The distinct links of some records, in the order they were measured. */
export function conditionsOf(rows: Link[]): Link[] {
	const out: Link[] = [];
	for (const r of rows) if (!out.some((l) => sameLink(l, r.latencyMs, r.bandwidthMbps))) out.push({ latencyMs: r.latencyMs, bandwidthMbps: r.bandwidthMbps || undefined });
	return out;
}

/** The links of one `npm run bench`: every latency unshaped, then each shaped bandwidth at 0 ms. */
export function linksFor(latencies: number[], shapedMbps: number[], allShapedMbps?: number): Link[] {
	const links: Link[] = latencies.map((latencyMs) => ({ latencyMs, bandwidthMbps: allShapedMbps }));
	for (const mbps of shapedMbps) if (!links.some((l) => sameLink(l, 0, mbps))) links.push({ latencyMs: 0, bandwidthMbps: mbps });
	return links;
}

/** X Media's time over plain's that issue 19 asks for, per link (undefined: reported, no target). */
export function plainTarget(l: Link): number | undefined {
	if (l.bandwidthMbps) return undefined;
	if (l.latencyMs === 0 || l.latencyMs === 50) return 1.0;
	if (l.latencyMs >= 200) return 0.75;
	return undefined;
}

interface Row extends Link {
	caseId: string;
	contender: Contender;
	wallMs: number;
	failures: number;
}

/** The X Media contenders that the far-link table compares (X Media from a URL when it was run). */
const OURS: Contender[] = ['xmedia', 'xmedia-url'];

/** One line per X Media contender and link for the largest case measured: times and ratios. */
export function farLinkRows(summary: Row[], caseId: string) {
	const out: Array<{ link: Link; who: Contender; ours: number; plain: number; floor: number; vsPlain: number; vsFloor: number; target?: number; met?: boolean }> = [];
	for (const link of conditionsOf(summary)) {
		const at = (who: Contender) => summary.find((s) => sameLink(s, link.latencyMs, link.bandwidthMbps) && s.caseId === caseId && s.contender === who);
		for (const who of OURS) {
			const ours = at(who);
			if (!ours) continue;
			const plain = at('plain')?.wallMs ?? NaN;
			const floor = at('floor')?.wallMs ?? NaN;
			const vsPlain = ours.wallMs / plain;
			const target = plainTarget(link);
			out.push({
				link,
				who,
				ours: ours.wallMs,
				plain,
				floor,
				vsPlain,
				vsFloor: ours.wallMs / floor,
				target,
				met: target === undefined || !Number.isFinite(vsPlain) ? undefined : vsPlain <= target,
			});
		}
	}
	return out;
}

/** The far-link table in Markdown (times are medians; ratios are of the medians). */
export function farLinkMarkdown(summary: Row[], caseId: string, caseLabel: string): string[] {
	const rows = farLinkRows(summary, caseId);
	if (rows.length === 0) return [];
	const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
	const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
	const md = ['## Where X is far away (issue 19)', ''];
	md.push(`| ${caseLabel} | link | contender | time | plain streaming client | floor | / plain | / floor | target | met |`, '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
	for (const r of rows) {
		md.push(`| | ${linkLabel(r.link)} | ${CONTENDER_LABELS[r.who]} | ${s(r.ours)} | ${s(r.plain)} | ${s(r.floor)} | ${x(r.vsPlain)} | ${x(r.vsFloor)} | ${r.target === undefined ? 'report' : `≤ ${r.target.toFixed(2)}× plain`} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`);
	}
	md.push('');
	return md;
}
