/**
 * How X's words are read from each of its error shapes, and how its answers are parsed.
 */
import { parseBody, xErrorWords } from '../../../nodes/XMedia/transport/xErrors';

describe('xErrorWords', () => {
	it.each([
		[
			'a v2 problem object',
			{ title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' },
			'Forbidden',
		],
		[
			'a v2 problem with errors[]',
			{
				title: 'Invalid Request',
				detail: 'One or more parameters to your request was invalid.',
				errors: [{ parameters: { media_ids: ['x'] }, message: 'The `media_ids` query parameter value [x] is not valid' }],
			},
			'Invalid Request: One or more parameters to your request was invalid.; The `media_ids` query parameter value [x] is not valid',
		],
		[
			"the spec's errors[] of Problem objects (a 200 with errors and no data)",
			{
				errors: [
					{ type: 'https://api.x.com/2/problems/resource-not-found', title: 'Not Found Error', detail: 'Could not find media with id: [1].', resource_type: 'media' },
					{ type: 'https://api.x.com/2/problems/invalid-request', title: 'Invalid Request', detail: 'Invalid Request' },
				],
			},
			'Not Found Error: Could not find media with id: [1].; Invalid Request',
		],
		['a v1 errors[] array', { errors: [{ code: 88, message: 'Rate limit exceeded' }] }, 'Rate limit exceeded (code 88)'],
		['a v1-style code and message', { code: 38, message: 'media parameter is missing.' }, 'media parameter is missing. (code 38)'],
		['a request/error object', { request: '/1.1/media/upload.json', error: 'media type unrecognized.' }, 'media type unrecognized.'],
		['an HTML error page', '<html><head><title>Over capacity</title><style>p{}</style></head><body><h1>Something is technically wrong.</h1></body></html>', 'Over capacity Something is technically wrong.'],
		['an empty body', '', ''],
		['no body', undefined, ''],
	])('reads %s', (_label, body, expected) => {
		expect(xErrorWords(body)).toBe(expected);
	});

	it('cuts very long answers', () => {
		expect(xErrorWords('x'.repeat(5000)).length).toBeLessThanOrEqual(300);
	});
});

describe('parseBody', () => {
	it('parses JSON text and buffers, keeps other text', () => {
		expect(parseBody('{"data":{"id":"1880028106020515840"}}')).toEqual({ data: { id: '1880028106020515840' } });
		expect(parseBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
		expect(parseBody('<html>oops</html>')).toBe('<html>oops</html>');
		expect(parseBody('{"truncated":')).toBe('{"truncated":');
	});
});
