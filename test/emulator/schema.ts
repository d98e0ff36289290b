/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Validation against the OpenAPI subset copied from X's spec (test/fixtures/x-openapi-subset.json).
 * A small JSON-Schema validator covering exactly the keywords that subset uses, with messages in
 * the style X's API answers with (e.g. `$.media.media_ids: there must be a minimum of 1 item in the array`,
 * quoted in PLhery/node-twitter-api-v2#539).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { InvalidRequestError } from './problems';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = any;

export const SPEC_PATH = path.join(__dirname, '..', 'fixtures', 'x-openapi-subset.json');

let loaded: Schema | undefined;
export function openApiSubset(): Schema {
	if (!loaded) loaded = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
	return loaded;
}

function resolveRef(ref: string): Schema {
	if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
	let node: Schema = openApiSubset();
	for (const part of ref.slice(2).split('/')) {
		node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
		if (node === undefined) throw new Error(`dangling $ref ${ref}`);
	}
	return node;
}

export function componentSchema(name: string): Schema {
	return resolveRef(`#/components/schemas/${name}`);
}

export function operation(specPath: string, method: string): Schema {
	const op = openApiSubset().paths?.[specPath]?.[method.toLowerCase()];
	if (!op) throw new Error(`operation ${method} ${specPath} not in the spec subset`);
	return op;
}

function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
	const actual = jsonType(value);
	if (type === 'number') return actual === 'number' || actual === 'integer';
	return actual === type;
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
	let re = regexCache.get(pattern);
	if (!re) {
		re = new RegExp(pattern, 'u');
		regexCache.set(pattern, re);
	}
	return re;
}

function codePointLength(s: string): number {
	let n = 0;
	for (const _ of s) n++; // eslint-disable-line @typescript-eslint/no-unused-vars
	return n;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `value` against `schema`; returns X-style messages (empty = valid). */
export function validateSchema(schema: Schema, value: unknown, at = '$'): string[] {
	const errors: string[] = [];
	check(schema, value, at, errors);
	return errors;
}

function check(schema: Schema, value: unknown, at: string, errors: string[]): void {
	if (schema === true || schema === undefined) return;
	if (schema === false) {
		errors.push(`${at}: is not allowed`);
		return;
	}
	if (schema.$ref) {
		check(resolveRef(schema.$ref), value, at, errors);
		return;
	}
	if (value === null && schema.nullable === true) return;
	if (Array.isArray(schema.allOf)) for (const s of schema.allOf) check(s, value, at, errors);
	if (Array.isArray(schema.anyOf)) {
		if (!schema.anyOf.some((s: Schema) => validateSchema(s, value, at).length === 0)) {
			errors.push(`${at}: should be valid to any of the schemas ${describeAlternatives(schema.anyOf)}`);
		}
	}
	if (Array.isArray(schema.oneOf)) {
		const valid = schema.oneOf.filter((s: Schema) => validateSchema(s, value, at).length === 0).length;
		if (valid !== 1) errors.push(`${at}: should be valid to one and only one schema, but ${valid} are valid`);
	}
	if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
		errors.push(`${at}: ${jsonType(value)} found, ${schema.type} expected`);
		return;
	}
	if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => deepEqual(e, value))) {
		errors.push(`${at}: does not have a value in the enumeration [${schema.enum.join(', ')}]`);
	}
	if (typeof value === 'string') {
		const len = codePointLength(value);
		if (typeof schema.minLength === 'number' && len < schema.minLength) errors.push(`${at}: must be at least ${plural(schema.minLength, 'character')} long`);
		if (typeof schema.maxLength === 'number' && len > schema.maxLength) errors.push(`${at}: may only be ${plural(schema.maxLength, 'character')} long`);
		if (typeof schema.pattern === 'string' && !regex(schema.pattern).test(value)) errors.push(`${at}: does not match the regex pattern ${schema.pattern}`);
		if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${at}: does not match the date-time pattern`);
	}
	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: must have a minimum value of ${schema.minimum}`);
		if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: must have a maximum value of ${schema.maximum}`);
		if (schema.format === 'int32' && (value < -2147483648 || value > 2147483647)) errors.push(`${at}: does not fit in int32`);
	}
	if (Array.isArray(value)) {
		if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: there must be a minimum of ${plural(schema.minItems, 'item')} in the array`);
		if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: there must be a maximum of ${plural(schema.maxItems, 'item')} in the array`);
		if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at}: the items in the array must be unique`);
		if (schema.items) value.forEach((item, i) => check(schema.items, item, `${at}[${i}]`, errors));
	}
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const obj = value as Record<string, unknown>;
		const props: Record<string, Schema> = schema.properties ?? {};
		if (Array.isArray(schema.required)) {
			for (const name of schema.required) if (!(name in obj)) errors.push(`${at}.${name}: is missing but it is required`);
		}
		for (const [key, val] of Object.entries(obj)) {
			if (key in props) check(props[key], val, `${at}.${key}`, errors);
			else if (schema.additionalProperties === false) {
				errors.push(`${at}.${key}: is not defined in the schema and the schema does not allow additional properties`);
			} else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
				check(schema.additionalProperties, val, `${at}.${key}`, errors);
			}
		}
	}
}

function describeAlternatives(list: Schema[]): string {
	return '[' + list.map((s) => (s.$ref ? s.$ref.split('/').pop() : `${s.type ?? 'any'}${s.format ? `(${s.format})` : ''}`)).join(', ') + ']';
}

/** Validates a JSON request body against the operation's application/json (or multipart) schema. */
export function validateRequestBody(specPath: string, method: string, body: unknown, mediaType = 'application/json'): string[] {
	const schema = operation(specPath, method).requestBody?.content?.[mediaType]?.schema;
	if (!schema) return [];
	return validateSchema(schema, body);
}

/** Validates a response body against the operation's documented answer for that status (tests use this). */
export function validateResponseBody(specPath: string, method: string, status: number, body: unknown): string[] {
	const responses = operation(specPath, method).responses ?? {};
	const r = responses[String(status)] ?? responses.default;
	const schema = r?.content?.['application/json']?.schema;
	if (!schema) return [`no documented response for ${status}`];
	return validateSchema(schema, body);
}

interface Parameter {
	name: string;
	in: 'query' | 'path' | 'header';
	required?: boolean;
	schema: Schema;
	explode?: boolean;
}

export function operationParameters(specPath: string, method: string): Parameter[] {
	return (operation(specPath, method).parameters ?? []).map((p: Schema) => (p.$ref ? resolveRef(p.$ref) : p));
}

function scalarIssue(name: string, kind: string, value: string, schema: Schema): string | undefined {
	const s = schema?.$ref ? resolveRef(schema.$ref) : schema;
	if (!s) return undefined;
	if (s.type === 'integer') {
		if (!/^-?[0-9]+$/.test(value)) return `The \`${name}\` ${kind} parameter value [${value}] is not a valid integer`;
		const n = Number(value);
		if (typeof s.minimum === 'number' && n < s.minimum) return `The \`${name}\` ${kind} parameter value [${value}] is not between ${s.minimum} and ${s.maximum ?? '∞'}`;
		if (typeof s.maximum === 'number' && n > s.maximum) return `The \`${name}\` ${kind} parameter value [${value}] is not between ${s.minimum ?? '-∞'} and ${s.maximum}`;
		return undefined;
	}
	if (s.type === 'boolean') {
		return value === 'true' || value === 'false' ? undefined : `The \`${name}\` ${kind} parameter value [${value}] is not a valid boolean`;
	}
	if (Array.isArray(s.enum) && !s.enum.includes(value)) return `The \`${name}\` ${kind} parameter value [${value}] is not one of [${s.enum.join(',')}]`;
	if (typeof s.pattern === 'string' && !regex(s.pattern).test(value)) return `The \`${name}\` ${kind} parameter value [${value}] does not match ${s.pattern}`;
	if (typeof s.maxLength === 'number' && codePointLength(value) > s.maxLength) return `The \`${name}\` ${kind} parameter value [${value}] is too long`;
	return undefined;
}

/**
 * Checks query parameters the way X's v2 front end does: unknown names are refused, required ones
 * must be present and non-empty, values must fit the declared schema (comma lists for arrays).
 */
export function validateQuery(specPath: string, method: string, query: Record<string, string[]>): InvalidRequestError[] {
	const params = operationParameters(specPath, method).filter((p) => p.in === 'query');
	const names = params.map((p) => p.name);
	const errors: InvalidRequestError[] = [];
	for (const [name, values] of Object.entries(query)) {
		if (!names.includes(name)) {
			errors.push({ parameters: { [name]: values }, message: `The query parameter [${name}] is not one of [${names.join(',')}]` });
		} else if (values.length > 1) {
			errors.push({ parameters: { [name]: values }, message: `Duplicate parameters are not allowed:  the \`${name}\` query parameter` });
		}
	}
	for (const p of params) {
		const values = query[p.name];
		const raw = values?.[0];
		if (raw === undefined || raw === '') {
			if (p.required || raw === '') errors.push({ parameters: { [p.name]: values ?? [] }, message: `The \`${p.name}\` query parameter can not be empty` });
			continue;
		}
		const schema = p.schema?.$ref ? resolveRef(p.schema.$ref) : p.schema;
		if (schema?.type === 'array') {
			const items = raw.split(',');
			if (typeof schema.minItems === 'number' && items.length < schema.minItems) {
				errors.push({ parameters: { [p.name]: [raw] }, message: `The \`${p.name}\` query parameter value [${raw}] must have at least ${schema.minItems} items` });
			}
			if (typeof schema.maxItems === 'number' && items.length > schema.maxItems) {
				errors.push({ parameters: { [p.name]: [raw] }, message: `The number of values in the \`${p.name}\` query parameter list [${items.length}] is not between ${schema.minItems ?? 0} and ${schema.maxItems}` });
			}
			if (schema.uniqueItems && new Set(items).size !== items.length) {
				errors.push({ parameters: { [p.name]: [raw] }, message: `The \`${p.name}\` query parameter [${raw}] contains duplicate items` });
			}
			for (const item of items) {
				const issue = scalarIssue(p.name, 'query', item, schema.items);
				if (issue) errors.push({ parameters: { [p.name]: [raw] }, message: issue });
			}
		} else {
			const issue = scalarIssue(p.name, 'query', raw, schema);
			if (issue) errors.push({ parameters: { [p.name]: [raw] }, message: issue });
		}
	}
	return errors;
}

/** Checks path parameters against their declared schema. */
export function validatePathParams(specPath: string, method: string, values: Record<string, string>): InvalidRequestError[] {
	const errors: InvalidRequestError[] = [];
	for (const p of operationParameters(specPath, method).filter((x) => x.in === 'path')) {
		const v = values[p.name];
		if (v === undefined) continue;
		const issue = scalarIssue(p.name, 'path', v, p.schema);
		if (issue) errors.push({ parameters: { [p.name]: [v] }, message: issue });
	}
	return errors;
}

/** The security alternatives of an operation: e.g. [{OAuth2UserToken:['media.write']},{UserToken:[]}]. */
export function operationSecurity(specPath: string, method: string): Array<Record<string, string[]>> {
	return operation(specPath, method).security ?? [];
}
