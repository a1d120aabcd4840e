// The one test harness for everything that runs the bundled action (dist/index.js) as a workflow step: the
// e2e, security and examples suites, and the Node 20 smoke test. Each test starts its own local
// Amplify server (closed after the test), runs the step against it exactly as the runner would (inputs
// defaulted from action.yml, INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / event files), on the
// Node that action.yml declares where it can be had (action-runner.ts's RUNTIMES.node24) unless told otherwise,
// and asserts on what a workflow and the service saw.
// Not a test file itself (jest only collects *.test.ts).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, expect } from '@jest/globals'
import {
  actionManifest,
  HAS_NODE24,
  ROOT,
  RUNTIMES,
  runAction,
  type ActionResult,
  type ActionRun,
  type Annotation,
  type Runtime
} from './action-runner.js'
import type { JobsEntry } from '../../src/report.js'
import {
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions,
  type LoggedRequest
} from './amplify-server.js'

export { parseAnnotations, parseOutputFile } from './action-runner.js'
export { HAS_NODE24, ROOT, RUNTIMES, TEST_CREDENTIALS }
export type { ActionResult, AmplifyServer, Annotation, Runtime }

/** The runtime action.yml declares (`runs.using`), which every step runs on unless a test says otherwise. */
export const ACTION_RUNTIME = actionManifest().runs.using as Runtime
if (!(ACTION_RUNTIME in RUNTIMES)) throw new Error(`action.yml runs.using ${ACTION_RUNTIME}: no such runtime`)

/** The inputs action.yml declares, by name. */
export const ACTION_INPUTS: readonly string[] = Object.keys(actionManifest().inputs)
/** The outputs action.yml declares, by name. */
export const ACTION_OUTPUTS: readonly string[] = Object.keys(actionManifest().outputs)

// ---- Servers and clean-up ------------------------------------------------------------------------------

interface Resources {
  servers: AmplifyServer[]
  cleanups: (() => void | Promise<void>)[]
}

/**
 * What each test started, so that a test's afterEach closes only its own. Jest (30) tells which test is
 * running, in the test and in its hooks alike, through expect's state. It runs no afterEach for an
 * it.concurrent test, so what those start, and anything started in beforeAll, is closed in afterAll.
 */
const resources = new Map<unknown, Resources>()
const OUTSIDE_A_TEST = Symbol('outside a test')

function currentTest(): unknown {
  const state = expect.getState() as { currentTestIdentity?: () => unknown }
  return state.currentTestIdentity?.() ?? OUTSIDE_A_TEST
}

function resourcesOfThisTest(): Resources {
  const key = currentTest()
  let owned = resources.get(key)
  if (!owned) resources.set(key, (owned = { servers: [], cleanups: [] }))
  return owned
}

async function release(key: unknown): Promise<void> {
  const owned = resources.get(key)
  if (!owned) return
  resources.delete(key)
  await Promise.all(owned.servers.map(server => server.close()))
  for (const cleanup of owned.cleanups.reverse()) await cleanup()
}

afterEach(() => release(currentTest()))
afterAll(async () => {
  for (const key of [...resources.keys()]) await release(key)
})

/** A fresh local Amplify server for one test; closed after it. */
export async function startServer(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const owned = resourcesOfThisTest()
  const server = await startAmplifyServer(options)
  owned.servers.push(server)
  return server
}

/** Runs something after the current test (closing a proxy, removing a directory), last registered first. */
export function afterThisTest(cleanup: () => void | Promise<void>): void {
  resourcesOfThisTest().cleanups.push(cleanup)
}

// ---- Running the step ----------------------------------------------------------------------------------

/** One step: ActionRun, with the server's URL, the test credentials and ACTION_RUNTIME as defaults. */
export type StepRun = ActionRun

/** One item of the `jobs` output, as the action writes it. */
export type JobItem = JobsEntry

export interface StepResult extends ActionResult {
  /** The `jobs` output, parsed (undefined when the output was not set). */
  jobs: JobItem[] | undefined
  /** The step summary as a reader sees it: tags removed, entities decoded, whitespace collapsed. */
  summaryText: string
  errors: Annotation[]
  warnings: Annotation[]
  notices: Annotation[]
}

/**
 * The session token of the default credentials: configure-aws-credentials with OIDC (as every example
 * does) exports AWS_SESSION_TOKEN beside the keys, so every step runs with one.
 */
export const TEST_SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtest+token/with+base64=='

/**
 * Runs dist/index.js as a workflow step against the server: its URL as the Amplify endpoint, the test
 * credentials with a session token, on ACTION_RUNTIME; anything in `run` (inputs, event, env, endpoint,
 * credentials, runtime) takes precedence. Whatever the step does, no secret of its credentials may show
 * in what a workflow can see of it (checked here, on every run).
 */
export async function runStep(server: AmplifyServer, run: StepRun = {}): Promise<StepResult> {
  const credentials = run.credentials ?? { ...TEST_CREDENTIALS, sessionToken: TEST_SESSION_TOKEN }
  const result = await runAction({
    endpoint: server.url,
    runtime: ACTION_RUNTIME,
    ...run,
    credentials
  })
  expectNoCredentials(result, [
    credentials.secretAccessKey,
    credentials.sessionToken,
    run.env?.AWS_SECRET_ACCESS_KEY,
    run.env?.AWS_SESSION_TOKEN
  ])
  const of = (command: string) => result.annotations.filter(a => a.command === command)
  return {
    ...result,
    jobs: result.outputs.jobs === undefined ? undefined : (JSON.parse(result.outputs.jobs) as JobItem[]),
    summaryText: htmlToText(result.summary),
    errors: of('error'),
    warnings: of('warning'),
    notices: of('notice')
  }
}

/** Everything a workflow can see of a step: its log (stdout and stderr), its summary as shown, its outputs. */
export function visibleText(result: ActionResult): string {
  return [result.stdout, result.stderr, decodeEntities(result.summary), JSON.stringify(result.outputs)].join(
    '\n'
  )
}

/**
 * No secret (plain, URL-encoded or base64), request signature, Authorization header or session token
 * header shows anywhere a workflow can see.
 */
export function expectNoCredentials(result: ActionResult, secrets: (string | undefined)[]): void {
  const text = visibleText(result)
  const forms = secrets
    .filter((secret): secret is string => Boolean(secret))
    .flatMap(secret => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])
  expect(forms.filter(form => text.includes(form))).toEqual([])
  expect(text).not.toMatch(/Signature=(?!\[redacted\])/i) // a SigV4 signature, in a header or a query string
  expect(text).not.toMatch(/AWS4-HMAC-SHA256\s+Credential=\S+,\s*SignedHeaders=\S+,\s*Signature=[0-9a-f]/)
  expect(text).not.toMatch(/authorization\s*[:=]\s*AWS4/i)
  expect(text).not.toMatch(/Credential=AKID/)
  expect(text).not.toMatch(/x-amz-security-token\s*[:=]\s*(?!\[redacted\])\S/i)
}

// ---- What the service saw -----------------------------------------------------------------------------

/** The server's request log as `OPERATION path status` lines, in arrival order. */
export function calls(server: AmplifyServer): string[] {
  return server.requests.map(r => `${r.operation ?? 'unknown'} ${r.path} ${r.status}`)
}

/** Requests by operation, e.g. { ListJobs: 3, StopJob: 2 }; only those `which` keeps, when given. */
export function countByOperation(
  server: AmplifyServer,
  which: (request: LoggedRequest) => boolean = () => true
): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of server.requests.filter(which))
    counts[r.operation ?? 'unknown'] = (counts[r.operation ?? 'unknown'] ?? 0) + 1
  return counts
}

/** Just the operations and statuses, for fault tests: `StopJob 429`. */
export function statuses(server: AmplifyServer): string[] {
  return server.requests.map(r => `${r.operation ?? 'unknown'} ${r.status}`)
}

/** The path of a request, as the SDK encodes it. */
export function jobsPath(appId: string, branchName: string, jobId?: string, stop = false): string {
  const branch = `/apps/${appId}/branches/${encodeURIComponent(branchName)}/jobs`
  if (jobId === undefined) return branch
  return `${branch}/${jobId}${stop ? '/stop' : ''}`
}

/** The status of jobs 1 … count of a branch, as the server holds them now. */
export function jobStates(server: AmplifyServer, appId: string, branchName: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => server.getJob(appId, branchName, String(i + 1)).status)
}

/** Every request carried a valid SigV4 signature for the test credentials and region. */
export function expectAllSigned(server: AmplifyServer): void {
  expect(server.requests.filter(r => r.signature !== 'valid')).toEqual([])
}

// ---- What the workflow saw ----------------------------------------------------------------------------

/** The `jobs` output as `app/branch#job result`, in output order. */
export function jobLines(result: StepResult): string[] {
  return (result.jobs ?? []).map(j => `${j.appId}/${j.branchName}#${j.jobId} ${j.result}`)
}

/** Success: exit 0, no ::error::, nothing on stderr, and every output action.yml declares set. */
export function expectSuccess(result: StepResult): void {
  expect({ exitCode: result.exitCode, errors: result.errors, stderr: result.stderr }).toEqual({
    exitCode: 0,
    errors: [],
    stderr: ''
  })
  expect(Object.keys(result.outputs).sort()).toEqual([...ACTION_OUTPUTS].sort())
}

/** Failure: exit 1 and exactly one ::error:: line, which contains every fragment. Returns its message. */
export function expectFailure(result: StepResult, ...fragments: (string | RegExp)[]): string {
  expect(result.exitCode).toBe(1)
  expect(result.errors).toHaveLength(1)
  const message = result.errors[0].message
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(message).toContain(fragment)
    else expect(message).toMatch(fragment)
  }
  return message
}

/** An input error: exit 1, one ::error:: with every fragment, no output set, and not a single request sent. */
export function expectInputError(
  result: StepResult,
  server: AmplifyServer,
  ...fragments: (string | RegExp)[]
): string {
  const message = expectFailure(result, ...fragments)
  expect(server.requests).toEqual([])
  expect(result.outputs).toEqual({})
  return message
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/** The visible text of escaped HTML, as a browser shows it (&amp; &lt; &gt; &quot; and numeric entities). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/g, (entity, name: string) =>
    name in ENTITIES
      ? ENTITIES[name]
      : name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : entity
  )
}

/** The summary as a reader sees it: tags gone, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
}

// ---- Workflows -----------------------------------------------------------------------------------------

/** A `uses:` of this action in a workflow: the local checkout (`./`) or a release, `…@<ref>`. */
export const THIS_ACTION = /^(\.\/?|amplify-stop-job\/amplify-stop-job@.+)$/

// ---- Fixtures ------------------------------------------------------------------------------------------

/** A workflow event as the runner presents it: GITHUB_EVENT_NAME, GITHUB_REF and the event payload. */
export interface StepEvent {
  name: string
  ref: string
  payload: Record<string, unknown>
}

const REPOSITORY = {
  id: 123456789,
  name: 'octo-site',
  full_name: 'octo-org/octo-site',
  private: false,
  owner: { login: 'octo-org', id: 1, type: 'Organization' },
  default_branch: 'main'
}
const SENDER = { login: 'octocat', id: 583231, type: 'User' }

/** A pull_request event payload shaped like GitHub's (the fields the runner's event file carries). */
export function pullRequestEvent(
  number: number,
  head: { ref: string; sha: string },
  action: 'closed' | 'opened' | 'synchronize' = 'closed',
  merged = true
): StepEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    payload: {
      action,
      number,
      pull_request: {
        url: `https://api.github.com/repos/octo-org/octo-site/pulls/${number}`,
        id: 1000 + number,
        number,
        state: action === 'closed' ? 'closed' : 'open',
        locked: false,
        title: 'Add the login page',
        user: SENDER,
        body: 'Adds /login.',
        created_at: '2025-01-01T10:00:00Z',
        updated_at: '2025-01-02T10:00:00Z',
        closed_at: action === 'closed' ? '2025-01-02T10:00:00Z' : null,
        merged_at: action === 'closed' && merged ? '2025-01-02T10:00:00Z' : null,
        merged: action === 'closed' && merged,
        merge_commit_sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
        draft: false,
        head: { label: `octocat:${head.ref}`, ref: head.ref, sha: head.sha, repo: REPOSITORY },
        base: {
          label: 'octo-org:main',
          ref: 'main',
          sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
          repo: REPOSITORY
        },
        html_url: `https://github.com/octo-org/octo-site/pull/${number}`
      },
      repository: REPOSITORY,
      sender: SENDER
    }
  }
}

/** A push of `after` to a branch (or, with a refs/tags/ ref, a tag). */
export function pushEvent(ref: string, after = '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d'): StepEvent {
  const fullRef = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`
  return {
    name: 'push',
    ref: fullRef,
    payload: {
      ref: fullRef,
      before: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      after,
      head_commit: { id: after, message: 'Update the docs' },
      repository: REPOSITORY,
      sender: SENDER
    }
  }
}

/** A manual run (workflow_dispatch) from a branch, with the inputs the user filled in. */
export function workflowDispatchEvent(inputs: Record<string, string>, branch = 'main'): StepEvent {
  return {
    name: 'workflow_dispatch',
    ref: `refs/heads/${branch}`,
    payload: { inputs, ref: `refs/heads/${branch}`, repository: REPOSITORY, sender: SENDER }
  }
}

/** A workflow_run event: another workflow's run, of a push to `headBranch` at `headSha`, has completed. */
export function workflowRunEvent(run: {
  conclusion: 'success' | 'failure' | 'cancelled'
  headBranch: string
  headSha: string
  event?: string
  workflow?: string
}): StepEvent {
  return {
    name: 'workflow_run',
    // GITHUB_REF of a workflow_run is the default branch.
    ref: 'refs/heads/main',
    payload: {
      action: 'completed',
      workflow_run: {
        id: 30433642,
        name: run.workflow ?? 'CI',
        event: run.event ?? 'push',
        status: 'completed',
        conclusion: run.conclusion,
        head_branch: run.headBranch,
        head_sha: run.headSha,
        repository: REPOSITORY
      },
      repository: REPOSITORY,
      sender: SENDER
    }
  }
}

/** A scheduled run: GITHUB_REF is the default branch. */
export function scheduleEvent(cron = '0 * * * *'): StepEvent {
  return { name: 'schedule', ref: 'refs/heads/main', payload: { schedule: cron, repository: REPOSITORY } }
}

export interface TestCa {
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string
  /** The leaf's key and certificate (PEM), for the server's `tls` option. */
  key: string
  cert: string
}

/**
 * Makes a CA and a leaf certificate for `hostname` (subjectAltName DNS:hostname) signed by it, with
 * openssl (P-256 keys: quick to make), in a temporary directory removed after the test, or after the file
 * when made in beforeAll.
 */
export function makeTestCa(hostname: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-ca-'))
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }))
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const days = ['-days', '1']
  openssl(
    'req',
    '-x509',
    ...key,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    ...days,
    '-subj',
    '/CN=amplify-stop-job test CA'
  )
  openssl('req', ...key, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${hostname}`)
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=DNS:${hostname}\nextendedKeyUsage=serverAuth\n`)
  openssl(
    ...['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
    ...['-out', 'leaf.crt', ...days, '-extfile', 'leaf.ext']
  )
  return {
    caFile: join(dir, 'ca.crt'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.crt'), 'utf8')
  }
}

// ---- Hostile text stays inert --------------------------------------------------------------------------

/** Characters that end or rewrite a line anywhere a log is read: C0/C1 controls (but the line feed), DEL, U+2028/9. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKING_OR_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/

/** The most one line of the log may hold, a line of the step's error included (src/text.ts's MAX_LINE). */
const MAX_LOG_LINE = 1000

const OPERATION = '(?:ListApps|ListBranches|ListJobs|StopJob|GetJob)'

/**
 * How every line the action writes begins, as a plain line, in its own commands, or as a line of the step's
 * error: the first words of each sentence in src/messages.ts that can start one.
 */
const OWN_LINE_STARTS: readonly (string | RegExp)[] = [
  // The run's first line, and failed requests: "Amplify StopJob for …", "Amplify refused …", "Amplify kept …".
  'Amplify ',
  // One line per job, and what reading a branch or waiting showed.
  'Stopped job ',
  'Would stop job ',
  'Kept job ',
  'Could not stop job ',
  'Only job ',
  'Job ',
  'No job ', // … is in progress, … to stop on branch, … was stopped, … building commit
  'Nothing to stop on branch ',
  'App ',
  'Branch ',
  'Still waiting after ',
  'More jobs stuck CANCELLING',
  'The jobs output ',
  'The jobs-file ',
  'No Amplify app ',
  // The step's error: one failure, or several, a line for each group, then what to fix.
  'The AWS credentials expired',
  'Could not reach Amplify',
  'No AWS credentials',
  'Waited ',
  'Unexpected error: ',
  new RegExp(`^\\[(?:app |${OPERATION}\\])`), // [app d1, branch "main", StopJob] … in a run over several
  /^\d+ Amplify requests failed /,
  new RegExp(`^${OPERATION}: `), // a group with no app: "ListApps: denied (…) …"
  'And ',
  'To fix: ',
  // Input errors.
  'Input ',
  'Inputs ',
  'No AWS region',
  'AWS_REGION ',
  'AWS_DEFAULT_REGION ',
  'AWS_ENDPOINT_URL_AMPLIFY ',
  'AWS_ENDPOINT_URL '
]

function isOwnLine(line: string): boolean {
  return OWN_LINE_STARTS.some(start =>
    typeof start === 'string' ? line.startsWith(start) : start.test(line)
  )
}

/**
 * Every line of stdout is the action's own: a plain line that begins with its own words, or a command it
 * issues itself, ::notice::, ::warning:: or ::error:: with its own words (as the runner reads the message:
 * %0D, %0A and %25 unescaped), or ::debug::. Only ::error::, the step's one error, may span several lines,
 * each beginning with the action's own words. No line a reader sees is over 1,000 characters, and no
 * character that ends or rewrites a line reaches stdout. Returns the commands, by name.
 */
export function expectOnlyOwnCommands(stdout: string): string[] {
  expect(stdout).not.toMatch(LINE_BREAKING_OR_CONTROL)
  const commands: string[] = []
  const fail = (why: string, line: string) => new Error(`${why}: ${JSON.stringify(line.slice(0, 200))}`)
  for (const line of stdout.split('\n')) {
    if (line === '') continue
    const [, name, message] = /^::(notice|warning|error|debug)::(.*)$/.exec(line) ?? []
    if (name === undefined && (/^\s*(?:::|##\[)/.test(line) || !isOwnLine(line))) throw fail('Not ours', line)
    if (name !== undefined) commands.push(name)
    if (name === 'debug') continue // diagnostics, shown with debug logging only; a stack trace spans lines
    const shown = name === undefined ? [line] : unescapeCommand(message).split('\n')
    if (shown.length > 1 && name !== 'error') throw fail(`A ::${name}:: over several lines`, line)
    for (const part of shown) {
      if (!isOwnLine(part) || /[\r\u0085\u2028\u2029]/.test(part)) throw fail('Not our words', part)
      if (part.length > MAX_LOG_LINE) throw fail('Over 1,000 characters', part)
    }
  }
  return commands
}

/** A command's message as the runner reads it. */
function unescapeCommand(message: string): string {
  return message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * The tags the summary writer emits itself; anything else in angle brackets came from somewhere else. Links
 * go to the Amplify console only (an app id Amplify listed may hold anything but what html() escapes).
 */
const OWN_TAG =
  /^<(?:\/?(?:h3|p|code|table|tr|th|td|a|strong|ul|li)|a href="https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/amplify\/apps\/[^"<>]*\/branches\/[A-Za-z0-9%.\-&#;]*\/deployments")>$/

/**
 * The summary is only the writer's own HTML: every tag is one it writes, every link goes to the Amplify
 * console, and the text between tags has no character HTML or Markdown would act on.
 */
export function expectInertSummary(summary: string): void {
  const tags = summary.match(/<[^>]*>?/g) ?? []
  for (const tag of tags) if (!OWN_TAG.test(tag)) throw new Error(`Not our tag: ${tag.slice(0, 200)}`)
  const text = summary.replace(/<[^>]*>/g, '')
  expect(text).not.toMatch(/[<>|`[\]()*_~\\]/)
  expect(text).not.toMatch(LINE_BREAKING_OR_CONTROL)
  // No Markdown line may start a block of its own (heading, quote, list, code fence, table row).
  for (const line of summary.split('\n')) expect(line).not.toMatch(/^\s*(?:#|>|[-+*] |\d+[.)] |```|~~~|\|)/)
}
