/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and tooling code: runs in plain Node and never ships in the package (files: ["dist"]) */
/**
 * Runs workflows through n8n's real execution engine (n8n-core `WorkflowExecute`), with n8n's
 * filesystem binary storage, the built package loaded the way n8n loads a community package
 * (`PackageDirectoryLoader` reading package.json's `n8n` attribute and dist/), and a credentials
 * helper that reports the real parent types so n8n itself signs the OAuth requests.
 * Nothing of n8n and nothing of the network is mocked.
 */
import 'reflect-metadata';

import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsEncrypted,
	IConnections,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

import { recordVisible } from './leakRecorder';
import type { TestItemSpec } from './testFilesNode';
import { XMediaTestFiles } from './testFilesNode';

export const PACKAGE_ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-x-media';
export const X_MEDIA_TYPE = `${PACKAGE_NAME}.xMedia`;
export const TEST_FILES_TYPE = 'xMediaTest.testFiles';

const PARENT_TYPES: Record<string, string[]> = {
	xOAuth1Api: ['oAuth1Api'],
	xOAuth2Api: ['oAuth2Api'],
};

/** Decrypted credential data by type, as n8n would hand it to the node. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

class TestCredentialsHelper extends ICredentialsHelper {
	readonly tokenUpdates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(private readonly credentials: TestCredentials) {
		super();
	}

	getParentTypes(name: string): string[] {
		return PARENT_TYPES[name] ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return requestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by the X Media node');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		return structuredClone(data);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.tokenUpdates.push({ type, data });
		this.credentials[type] = data;
	}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

/** Node types: the package as n8n loads it, plus the test-files helper node. */
class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type "${nodeType}"`);
		return type;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((t) => [t, {}]));
	}
}

let nodeTypesPromise: Promise<TestNodeTypes> | undefined;

async function loadNodeTypes(): Promise<TestNodeTypes> {
	const entry = join(PACKAGE_ROOT, 'dist', 'nodes', 'XMedia', 'XMedia.node.js');
	if (!existsSync(entry)) {
		throw new Error('The package is not built: run `npm run build` first (npm test does it).');
	}
	const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
	await loader.loadAll();
	const types: Record<string, INodeType> = {};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		types[`${PACKAGE_NAME}.${name}`] = type as INodeType;
	}
	if (!types[X_MEDIA_TYPE]) throw new Error(`The package did not load ${X_MEDIA_TYPE}`);
	types[TEST_FILES_TYPE] = new XMediaTestFiles();
	return new TestNodeTypes(types);
}

let binaryReady: Promise<void> | undefined;

/** Starts n8n's binary data service once per test file (filesystem mode, like a default n8n 2.x). */
export async function initBinaryData(): Promise<void> {
	binaryReady ??= Container.get(BinaryDataService).init();
	await binaryReady;
}

export interface XMediaNodeSpec {
	name?: string;
	parameters: INodeParameters;
	/** Which credential types the node has (default: both test credentials). */
	credentials?: Record<string, { id: string; name: string }>;
	continueOnFail?: boolean;
	/** The node settings Retry On Fail, Max. Tries (n8n clamps it to 2–5) and Wait Between Tries (ms). */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunSpec {
	/** Items the test-files node outputs (binary from files or bytes). */
	items: TestItemSpec[];
	/** X Media nodes, chained in order after the test-files node. */
	nodes: XMediaNodeSpec[];
	credentials: TestCredentials;
	/** An AbortSignal-like cancel: the engine's `cancel()` is called when it fires. */
	cancelAfterMs?: number;
	/** With `cancelAfterMs`: the wait starts only once this is true (polled every 20 ms), e.g. "an APPEND arrived". */
	cancelOnceTrue?: () => boolean;
}

export interface RunResult {
	run: IRun;
	/** Output items of each node, by node name (first output, last run). */
	output: Record<string, INodeExecutionData[]>;
	/** The error of the run, if it failed. */
	error?: Error & { description?: string; httpCode?: string; node?: INode; itemIndex?: number };
	tokenUpdates: Array<{ type: string; data: ICredentialDataDecryptedObject }>;
	/** When the harness cancelled the execution (epoch ms), if it did. */
	cancelledAt?: number;
}

let executionCounter = 0;
/** Numeric like n8n's, and different in every test file (each loads this module anew). */
const EXECUTION_ID_BASE = Date.now() * 1000 + Math.floor(Math.random() * 1000);

export const DEFAULT_CREDENTIAL_REFS = {
	xOAuth2Api: { id: 'cred-oauth2', name: 'X OAuth2 (test)' },
	xOAuth1Api: { id: 'cred-oauth1', name: 'X OAuth1 (test)' },
};

/** Runs test-files → X Media (→ X Media …) through n8n-core's WorkflowExecute and returns what came out. */
export async function runWorkflow(spec: RunSpec): Promise<RunResult> {
	await initBinaryData();
	nodeTypesPromise ??= loadNodeTypes();
	const nodeTypes = await nodeTypesPromise;

	const filesNode: INode = {
		id: 'node-files',
		name: 'Test Files',
		type: TEST_FILES_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(spec.items) },
	};
	const xNodes: INode[] = spec.nodes.map((n, i) => ({
		id: `node-x-${i}`,
		name: n.name ?? (i === 0 ? 'X Media' : `X Media ${i + 1}`),
		type: X_MEDIA_TYPE,
		typeVersion: 1,
		position: [200 * (i + 1), 0],
		parameters: n.parameters,
		credentials: n.credentials ?? DEFAULT_CREDENTIAL_REFS,
		...(n.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(n.retryOnFail ? { retryOnFail: true, maxTries: n.maxTries, waitBetweenTries: n.waitBetweenTries } : {}),
	}));
	const nodes = [filesNode, ...xNodes];
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}

	const workflowId = `wf${++executionCounter}`;
	const workflow = new Workflow({
		id: workflowId,
		name: 'X Media test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: 'X Media test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	// Unique in the process, as n8n's execution ids are in one instance: the node remembers what it
	// did per execution id (README, "Exactly once"), so two test files must not share one.
	const executionId = `${EXECUTION_ID_BASE + executionCounter}`;
	const mode: WorkflowExecuteMode = 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const done = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData: IRun) => resolve(fullRunData));
	});
	const credentialsHelper = new TestCredentialsHelper(structuredClone(spec.credentials));
	const additionalData = {
		executionId,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		hooks,
		credentialsHelper,
		currentNodeParameters: undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const executeData: IExecuteData = {
		node: filesNode,
		data: { main: [[{ json: {} }]] },
		source: null,
	};
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [executeData] },
	});
	const engine = new WorkflowExecute(additionalData, mode, runExecutionData);
	const promise = engine.processRunExecutionData(workflow);
	let timer: NodeJS.Timeout | undefined;
	let cancelledAt: number | undefined;
	if (spec.cancelAfterMs !== undefined) {
		const delay = spec.cancelAfterMs;
		const arm = () => {
			timer = setTimeout(() => {
				cancelledAt = Date.now();
				promise.cancel();
			}, delay);
		};
		const ready = spec.cancelOnceTrue;
		if (!ready) arm();
		else {
			const poll = () => {
				if (ready()) arm();
				else timer = setTimeout(poll, 20);
			};
			poll();
		}
	}
	let run: IRun;
	try {
		const direct = await promise;
		run = direct ?? (await done);
	} finally {
		if (timer) clearTimeout(timer);
	}

	const output: Record<string, INodeExecutionData[]> = {};
	recordVisible('run', { resultData: run.data.resultData, status: run.status });
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		const last = runs[runs.length - 1];
		output[name] = last?.data?.main?.[0] ?? [];
	}
	return {
		run,
		output,
		error: run.data.resultData.error as RunResult['error'],
		tokenUpdates: credentialsHelper.tokenUpdates,
		cancelledAt,
	};
}

/** Keeps type-only imports used (they document what the harness builds). */
export type { ICredentialsEncrypted };
