/**
 * The preamble of every test file that talks to the X API emulator, in one place:
 *
 *   const { emulator, runWorkflow } = emulatorSuite({ processingSteps: 2 });
 *
 * starts one emulator for the file (before its first test), resets it before each test and stops
 * it after the last. `emulator` may be used in any test or hook (it stands for the started one);
 * `runWorkflow` is n8nHarness's (a workflow through n8n-core), with both credentials of user A
 * pointing at the emulator unless the spec brings its own. The emulator's own tests, which
 * need no n8n, take `useEmulator` alone.
 */
import { startEmulator } from '../emulator';
import type { EmulatorOptions, XApiEmulator } from '../emulator';
import type { RunResult, RunSpec } from './n8nHarness';
import { credentialsFor } from './scenario';

/**
 * Registers the jest hooks of one emulator per file (or per `describe`, when called inside one) and
 * returns a stand-in for it, usable once the hooks ran.
 */
export function useEmulator(options?: EmulatorOptions): XApiEmulator {
	let started: XApiEmulator | undefined;
	beforeAll(async () => {
		started = await startEmulator(options);
	});
	afterAll(async () => {
		await started?.stop();
		started = undefined;
	});
	beforeEach(() => started?.reset());
	return new Proxy({} as XApiEmulator, {
		get(_target, property) {
			if (!started) throw new Error(`The emulator is used before it started (emulator.${String(property)} outside a test or hook)`);
			const value: unknown = Reflect.get(started, property);
			return typeof value === 'function' ? value.bind(started) : value;
		},
		set(_target, property, value) {
			if (!started) throw new Error('The emulator is used before it started');
			return Reflect.set(started, property, value);
		},
	});
}

/** A workflow run against the emulator: the credentials default to user A's, both types. */
export type ScenarioSpec = Omit<RunSpec, 'credentials'> & Partial<Pick<RunSpec, 'credentials'>>;

export interface EmulatorSuite {
	emulator: XApiEmulator;
	runWorkflow(spec: ScenarioSpec): Promise<RunResult>;
}

export function emulatorSuite(options?: EmulatorOptions): EmulatorSuite {
	const emulator = useEmulator(options);
	return {
		emulator,
		async runWorkflow(spec) {
			// Loaded here, not at the top: n8n-core loads only in the files that run workflows.
			const { runWorkflow } = await import('./n8nHarness');
			return await runWorkflow({ ...spec, credentials: spec.credentials ?? credentialsFor(emulator.baseUrl) });
		},
	};
}
