/**
 * A tiny client for the emulator's /__emulator control API, for when the emulator runs in another
 * process (benchmarks, the real-n8n end-to-end suite). Uses global fetch.
 */
import type { DirectMessageRecord, EndpointName, FaultSpec, MediaRecord, PostRecord, ProcessingSpec, RecordedRequest, EmulatorOptions, AppendConcurrency } from './types';

export interface EmulatorStats {
	baseUrl: string;
	requests: number;
	media: number;
	posts: number;
	appendConcurrency: AppendConcurrency;
}

export class EmulatorClient {
	readonly baseUrl: string;

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}/__emulator${path}`, {
			method,
			headers: body === undefined ? undefined : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async reset(): Promise<void> {
		await this.call('POST', '/reset', {});
	}

	async addFault(f: FaultSpec): Promise<void> {
		await this.call('POST', '/faults', f);
	}

	async clearFaults(): Promise<void> {
		await this.call('DELETE', '/faults');
	}

	async faults(): Promise<Array<FaultSpec & { seen: number; fired: number; holdUntil?: number }>> {
		return this.call('GET', '/faults');
	}

	async setProcessing(p: ProcessingSpec): Promise<void> {
		await this.call('POST', '/processing', p);
	}

	async setOptions(o: Partial<EmulatorOptions>): Promise<void> {
		await this.call('POST', '/options', o);
	}

	async requests(filter?: { endpoint?: EndpointName }): Promise<RecordedRequest[]> {
		const q = filter?.endpoint ? `?endpoint=${encodeURIComponent(filter.endpoint)}` : '';
		return this.call('GET', `/requests${q}`);
	}

	async media(id: string): Promise<MediaRecord | undefined> {
		const res = await fetch(`${this.baseUrl}/__emulator/media/${encodeURIComponent(id)}`);
		if (res.status === 404) return undefined;
		if (!res.ok) throw new Error(`emulator GET /media/${id}: ${res.status}`);
		return (await res.json()) as MediaRecord;
	}

	async allMedia(): Promise<MediaRecord[]> {
		return this.call('GET', '/media');
	}

	async mediaBytes(id: string): Promise<Buffer> {
		const res = await fetch(`${this.baseUrl}/__emulator/media/${encodeURIComponent(id)}/bytes`);
		if (!res.ok) throw new Error(`emulator GET /media/${id}/bytes: ${res.status}`);
		return Buffer.from(await res.arrayBuffer());
	}

	async expireMedia(id: string): Promise<void> {
		await this.call('POST', `/media/${encodeURIComponent(id)}/expire`, {});
	}

	async posts(): Promise<PostRecord[]> {
		return this.call('GET', '/posts');
	}

	async directMessages(): Promise<DirectMessageRecord[]> {
		return await this.call('GET', '/dms');
	}

	async stats(): Promise<EmulatorStats> {
		return this.call('GET', '/stats');
	}
}
