/**
 * How long to wait on a rate limit.
 */
import { rateLimitWaitMs } from '../../../nodes/XMedia/transport/retryPolicy';

describe('rateLimitWaitMs', () => {
	const now = 1_700_000_000_000;
	it('prefers retry-after in seconds', () => {
		expect(rateLimitWaitMs({ 'retry-after': '3', 'x-rate-limit-reset': String(now / 1000 + 60) }, now)).toBe(3000);
	});
	it('reads retry-after as an HTTP date', () => {
		expect(rateLimitWaitMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
	});
	it('waits until x-rate-limit-reset (epoch seconds) with a small margin', () => {
		expect(rateLimitWaitMs({ 'x-rate-limit-reset': String(now / 1000 + 10) }, now)).toBe(10_250);
	});
	it('never waits a negative time for a reset in the past', () => {
		expect(rateLimitWaitMs({ 'x-rate-limit-reset': String(now / 1000 - 10) }, now)).toBe(250);
	});
	it('says nothing when X says nothing', () => {
		expect(rateLimitWaitMs({}, now)).toBeUndefined();
		expect(rateLimitWaitMs({ 'x-rate-limit-reset': 'soon' }, now)).toBeUndefined();
	});
});
