// The README's workflow examples, run. For each file in docs/examples/ (the README shows them byte for byte),
// a scenario: the trigger's event payload, Amplify seeded to fit. The test reads the workflow, checks that
// the event triggers it and that the action's job would run (its `if:`), takes the region from the
// configure-aws-credentials step, fills the `${{ }}` expressions of the action step's `with:` block from the
// event, the repository variables and the dispatch inputs, and runs the step through dist/index.js against
// the local server. Then it asserts what the example promises: which builds are stopped (and that nothing
// else is touched), the outputs, and what each later `run:` step prints with those outputs, run in bash as
// the runner runs it (`aws` is a stub that prints its arguments).
//
// Adding an example means adding its scenarios to EXAMPLES below: the event, the jobs on each branch, and
// what is stopped and printed. Expressions are evaluated by a small evaluator (end of this file) that knows
// the contexts and functions the examples use, and fails loudly on anything else.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { AppMeta, JobSeed } from '../support/amplify-server.js'
import {
  afterThisTest,
  expectSuccess,
  pullRequestEvent,
  pushEvent,
  ROOT,
  scheduleEvent,
  runStep,
  startServer,
  TEST_CREDENTIALS,
  workflowDispatchEvent,
  workflowRunEvent,
  type AmplifyServer,
  type StepEvent
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7' // the app id pull-request-closed.yml spells out, and vars.AMPLIFY_APP_ID
/** The repository variables the examples read (Settings → Variables). */
const VARS: Record<string, string> = {
  AMPLIFY_APP_ID: APP,
  AMPLIFY_REGION: 'eu-west-2',
  AMPLIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/amplify-stop-job'
}
const SHA = { failed: 'f'.repeat(40), newer: 'a'.repeat(40) }
/** The repository the runner's GITHUB_REPOSITORY names, as an Amplify app's repository. */
const REPOSITORY = 'https://github.com/octo-org/octo-site'
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000)

interface Scenario {
  /** What happens, in a few words. */
  title: string
  event: StepEvent
  /** A job this workflow's job `needs:` failed (for `if: failure()`). Default: none did. */
  upstreamFailed?: boolean
  /** Apps to create first, with what ListApps reports (their repository). Default: only jobs' apps. */
  apps?: Record<string, AppMeta>
  /** The jobs before the run, by app and branch, oldest first (ids 1, 2, ...): a status, or a seed. */
  jobs: Record<string, Record<string, (string | JobSeed)[]>>
  /** Exactly the jobs StopJob is sent for, as `app branch#id`. Every other job is left as it was. */
  stopped: string[]
  /** Outputs of the step (a subset). */
  outputs?: Record<string, string>
  /** The `jobs` output as `app branch#id result`, in its order. */
  results?: string[]
  /** The step's ::warning:: messages. Default: none (every example is quiet when all goes well). */
  warnings?: string[]
  /** What each `run:` step after the action prints, in order. */
  printed?: string[]
}

const EXAMPLES: Record<string, Scenario[]> = {
  'docs/examples/pull-request-closed.yml': [
    {
      title: 'pull request #42 closed: its preview branch pr-42 has two builds in progress',
      event: pullRequestEvent(42, { ref: 'feature/login', sha: SHA.newer }),
      jobs: {
        [APP]: { 'pr-42': ['SUCCEED', 'RUNNING', 'PENDING'], 'feature/login': ['RUNNING'], main: ['RUNNING'] }
      },
      stopped: [`${APP} pr-42#2`, `${APP} pr-42#3`],
      outputs: { 'job-id': '3', status: 'CANCELLING', 'stopped-count': '2' }
    },
    {
      title: 'pull request #42 closed, and Amplify already deleted pr-42: nothing to stop, quietly',
      event: pullRequestEvent(42, { ref: 'feature/login', sha: SHA.newer }),
      jobs: { [APP]: { main: ['RUNNING'] } },
      stopped: [],
      outputs: { 'job-id': '', 'stopped-count': '0' }
    }
  ],
  'docs/examples/cancel-superseded.yml': [
    {
      title: 'a push while an older build runs: the older is stopped, the newest kept',
      event: pushEvent('feature/login'),
      jobs: { [APP]: { 'feature/login': ['SUCCEED', 'RUNNING', 'PENDING'], main: ['RUNNING'] } },
      stopped: [`${APP} feature/login#2`],
      outputs: { 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' }
    }
  ],
  'docs/examples/dry-run.yml': [
    {
      title: 'dispatched for main: lists what would be stopped, stops nothing',
      event: workflowDispatchEvent({ 'branch-name': 'main' }),
      jobs: { [APP]: { main: ['SUCCEED', 'RUNNING', 'PENDING'] } },
      stopped: [],
      outputs: { 'job-id': '3', status: 'PENDING', 'stopped-count': '0' },
      printed: ['3 PENDING would-stop\n2 RUNNING would-stop']
    }
  ],
  'docs/examples/manual-stop.yml': [
    {
      title: 'dispatched with a job id: stops that job only, and waits until it is cancelled',
      event: workflowDispatchEvent({ 'app-id': APP, 'branch-name': 'release/2.0', 'job-id': '3' }),
      jobs: { [APP]: { 'release/2.0': ['SUCCEED', 'RUNNING', 'RUNNING'], main: ['RUNNING'] } },
      stopped: [`${APP} release/2.0#3`],
      outputs: { 'job-id': '3', status: 'CANCELLED', 'stopped-count': '1' }
    },
    {
      title: 'dispatched without a job id: stops every job in progress on the branch',
      event: workflowDispatchEvent({ 'app-id': APP, 'branch-name': 'release/2.0' }),
      jobs: { [APP]: { 'release/2.0': ['SUCCEED', 'RUNNING', 'PENDING'], main: ['RUNNING'] } },
      stopped: [`${APP} release/2.0#2`, `${APP} release/2.0#3`],
      outputs: { 'job-id': '3', status: 'CANCELLED', 'stopped-count': '2' }
    }
  ],
  'docs/examples/stop-branch-builds.yml': [
    {
      title: 'the tests failed on a push: the pushed branch’s builds are stopped, and the count printed',
      event: pushEvent('feature/login'),
      upstreamFailed: true,
      jobs: { [APP]: { 'feature/login': ['SUCCEED', 'RUNNING', 'PENDING'], main: ['RUNNING'] } },
      stopped: [`${APP} feature/login#2`, `${APP} feature/login#3`],
      printed: ['Stopped 2 job(s); the newest, 3, is CANCELLING']
    }
  ],
  'docs/examples/stop-commit.yml': [
    {
      title: 'CI failed for a pushed commit: only its build is stopped, a newer push’s build keeps going',
      event: workflowRunEvent({ conclusion: 'failure', headBranch: 'main', headSha: SHA.failed }),
      jobs: {
        [APP]: {
          main: [
            { status: 'RUNNING', commitId: SHA.failed },
            { status: 'PENDING', commitId: SHA.newer }
          ]
        }
      },
      stopped: [`${APP} main#1`],
      outputs: { 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' }
    }
  ],
  'docs/examples/monorepo-pull-request-closed.yml': [
    {
      title: 'pull request #7 closed: the pr-7 previews of every app of this repository, none of another',
      event: pullRequestEvent(7, { ref: 'feature/search', sha: SHA.newer }),
      apps: {
        dweb1: { name: 'web', repository: REPOSITORY },
        dadmin2: { name: 'admin', repository: REPOSITORY },
        ddocs3: { name: 'docs', repository: REPOSITORY },
        dother4: { name: 'other', repository: 'https://github.com/octo-org/another-site' }
      },
      jobs: {
        dweb1: { 'pr-7': ['RUNNING'], main: ['RUNNING'] },
        dadmin2: { 'pr-7': ['SUCCEED', 'PENDING'] },
        ddocs3: { main: ['RUNNING'] }, // no preview for this pull request: not an error
        dother4: { 'pr-7': ['RUNNING'] }
      },
      stopped: ['dweb1 pr-7#1', 'dadmin2 pr-7#2'],
      outputs: { 'stopped-count': '2' },
      printed: ['dadmin2 pr-7 job 2 stopped\ndweb1 pr-7 job 1 stopped']
    }
  ],
  'docs/examples/sweep-stuck-builds.yml': [
    {
      title:
        'the hourly run: builds of any branch started over two hours ago are stopped, and a warning says so',
      event: scheduleEvent('17 * * * *'),
      jobs: {
        [APP]: {
          main: [
            { status: 'RUNNING', startTime: hoursAgo(5) },
            { status: 'PENDING', startTime: hoursAgo(0.1) }
          ],
          'feature/login': [{ status: 'CANCELLING', startTime: hoursAgo(3) }],
          'feature/search': [{ status: 'RUNNING', startTime: hoursAgo(1) }]
        }
      },
      stopped: [`${APP} main#1`], // a CANCELLING job is not stopped again
      printed: ['::warning::Stopped 1 stuck Amplify build(s); see the step summary']
    },
    {
      title:
        'run by hand as a dry run for builds over 30 minutes old: reports them, stops nothing, no warning',
      event: workflowDispatchEvent({ 'older-than': '30m', 'dry-run': 'true' }),
      jobs: {
        [APP]: {
          main: [{ status: 'RUNNING', startTime: hoursAgo(1) }],
          'feature/search': [{ status: 'RUNNING', startTime: hoursAgo(0.1) }]
        }
      },
      stopped: [],
      outputs: { 'stopped-count': '0' },
      results: [`${APP} main#1 would-stop`]
    }
  ],
  'docs/examples/wait-until-stopped.yml': [
    {
      title: 'dispatched for a branch: stops its builds, waits until they are cancelled, starts a new one',
      event: workflowDispatchEvent({ 'branch-name': 'feature/login' }),
      jobs: { [APP]: { 'feature/login': ['RUNNING', 'PENDING'] } },
      stopped: [`${APP} feature/login#1`, `${APP} feature/login#2`],
      outputs: { status: 'CANCELLED', 'stopped-count': '2' },
      printed: [`aws amplify start-job --app-id ${APP} --branch-name feature/login --job-type RELEASE`]
    }
  ]
}

// ---- The workflow, as the runner reads it --------------------------------------------------------------

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  if?: string
  steps?: Step[]
}
interface Workflow {
  on: unknown
  jobs: Record<string, Job>
}

const THIS_ACTION = /^(\.\/?|amplify-stop-job\/amplify-stop-job@.+)$/
const CREDENTIALS_ACTION = /^aws-actions\/configure-aws-credentials@/
const EXAMPLE_FILES = readdirSync(path.join(ROOT, 'docs/examples'))
  .filter(name => /\.ya?ml$/.test(name))
  .map(name => `docs/examples/${name}`)
  .sort()

/** The job that uses this action, and its steps before, at and after the action step. */
function actionJob(workflow: Workflow) {
  const found = Object.entries(workflow.jobs).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((step, index) =>
      THIS_ACTION.test(step.uses ?? '') ? [{ name, job, index }] : []
    )
  )
  if (found.length !== 1) throw new Error(`expected one step that uses this action, found ${found.length}`)
  const [{ name, job, index }] = found
  const steps = job.steps ?? []
  return { name, job, before: steps.slice(0, index), step: steps[index], after: steps.slice(index + 1) }
}

/** Why the event would not trigger the workflow (its `on:` filters), or [] when it does. */
function triggerProblems(on: unknown, event: StepEvent): string[] {
  const triggers: Record<string, unknown> =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map(name => [name, null]))
        : (on as Record<string, unknown>)
  if (!(event.name in triggers)) return [`not triggered by ${event.name}`]
  const filter = (triggers[event.name] ?? {}) as Record<string, unknown>
  const problems: string[] = []
  if (!Array.isArray(filter))
    for (const key of Object.keys(filter))
      if (!['types', 'branches', 'workflows', 'inputs'].includes(key))
        problems.push(`the ${event.name} filter ${key} is not known to this test`)
  const payload = event.payload as Record<string, Record<string, unknown> | string | undefined>
  const list = (key: string) =>
    filter[key] === undefined ? undefined : ([] as unknown[]).concat(filter[key])
  const types = list('types')
  if (types && !types.includes(payload.action))
    problems.push(`types ${types.join(', ')} exclude ${payload.action}`)
  const branch = /^refs\/heads\/(.+)$/.exec(event.ref)?.[1]
  const branches = list('branches')
  if (
    event.name === 'push' &&
    branches &&
    !(branch && branches.some(glob => globMatches(String(glob), branch)))
  )
    problems.push(`branches ${branches.join(', ')} exclude ${event.ref}`)
  const workflows = list('workflows')
  const run = payload.workflow_run as Record<string, unknown> | undefined
  if (workflows && !workflows.includes(run?.name))
    problems.push(`workflows ${workflows.join(', ')} exclude ${run?.name}`)
  if (event.name === 'workflow_dispatch') {
    const declared = (filter.inputs ?? {}) as Record<string, { required?: boolean }>
    const given = (payload.inputs ?? {}) as Record<string, string>
    for (const name of Object.keys(given))
      if (!(name in declared)) problems.push(`input ${name} is not declared`)
    for (const [name, input] of Object.entries(declared))
      if (input.required && !given[name]) problems.push(`required input ${name} is not given`)
  }
  return problems
}

/** GitHub's branch filter patterns: `**` any characters, `*` any but `/`, `?` one character. */
function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .split(/(\*\*|\*|\?)/)
    .map(part =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    )
    .join('')
  return new RegExp(`^${source}$`).test(name)
}

/** The contexts an expression may read, for this workflow and event. */
function contextsFor(workflow: Workflow, event: StepEvent): Record<string, unknown> {
  const payload = event.payload as Record<string, unknown>
  const pullRequest = payload.pull_request as { head: { ref: string }; base: { ref: string } } | undefined
  const on = workflow.on as Record<
    string,
    { inputs?: Record<string, { type?: string; default?: unknown }> } | null
  >
  const declared = on?.workflow_dispatch?.inputs ?? {}
  const given = (payload.inputs ?? {}) as Record<string, string>
  /** A dispatch input as the inputs context holds it: given or its default, a boolean input as a boolean. */
  const input = (name: string, type?: string, fallback?: unknown) => {
    const value = given[name] ?? (fallback === undefined ? '' : String(fallback))
    return type === 'boolean' ? value === 'true' : value
  }
  return {
    github: {
      event: payload,
      event_name: event.name,
      ref: event.ref,
      ref_name: event.ref.replace(/^refs\/(heads|tags)\//, ''),
      head_ref: pullRequest?.head.ref ?? '',
      base_ref: pullRequest?.base.ref ?? '',
      repository: 'octo-org/octo-site',
      repository_owner: 'octo-org'
    },
    vars: VARS,
    // On a workflow_dispatch, every declared input; on any other event, none of them is set (null).
    inputs: Object.fromEntries(
      Object.entries(declared).map(([name, { type, default: fallback }]) => [
        name,
        event.name === 'workflow_dispatch' ? input(name, type, fallback) : null
      ])
    ),
    steps: {}
  }
}

/** Runs a `run:` step as the runner does (bash -e), with the step's env and a stub `aws` on PATH. */
async function runShell(script: string, env: Record<string, string>, bin: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'amplify-stop-job-example-'))
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'step.sh'), script)
  const child = spawn('bash', ['--noprofile', '--norc', '-e', path.join(dir, 'step.sh')], {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  if (code !== 0) throw new Error(`the step's script failed (${code}): ${stderr}`)
  return stdout.trimEnd()
}

function stubBin(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'amplify-stop-job-bin-'))
  afterThisTest(() => rmSync(bin, { recursive: true, force: true }))
  writeFileSync(path.join(bin, 'aws'), '#!/usr/bin/env bash\necho "aws $*"\n')
  chmodSync(path.join(bin, 'aws'), 0o755)
  return bin
}

// ---- The tests -----------------------------------------------------------------------------------------

describe('docs/examples', () => {
  it('every example has a scenario here, and every scenario an example', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(EXAMPLE_FILES)
  })

  const scenarios = Object.entries(EXAMPLES).flatMap(([file, list]) =>
    list.map(scenario => [file, scenario.title, scenario] as const)
  )

  it.concurrent.each(scenarios)('%s: %s', async (file, _, scenario) => {
    const workflow = parseYaml(readFileSync(path.join(ROOT, file), 'utf8')) as Workflow
    expect(triggerProblems(workflow.on, scenario.event)).toEqual([])
    const { job, before, step, after } = actionJob(workflow)
    const contexts = contextsFor(workflow, scenario.event)
    const functions = statusFunctions(scenario.upstreamFailed ?? false)
    expect(condition(job.if, contexts, functions)).toBe(true) // the job runs
    const stepFunctions = statusFunctions(false) // at a step, the status functions are of this job's steps
    expect(condition(step.if, contexts, stepFunctions)).toBe(true) // and so does the step

    // The steps before: AWS credentials (and the region, as AWS_REGION), a checkout.
    const credentials = before.find(s => CREDENTIALS_ACTION.test(s.uses ?? ''))
    const unknown = before.filter(s => s !== credentials && !/^actions\/checkout@/.test(s.uses ?? ''))
    expect(unknown).toEqual([])
    if (!credentials) throw new Error(`${file}: no configure-aws-credentials step before the action`)
    const region = interpolate(credentials.with?.['aws-region'], contexts, functions)

    const inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(value, contexts, functions)])
    )

    // Stopped jobs stay CANCELLING, unless the step waits for them to end.
    const server = await startServer({ region, cancelDelayMs: inputs.wait === 'true' ? 200 : Infinity })
    for (const [app, meta] of Object.entries(scenario.apps ?? {})) server.addApp(app, meta)
    for (const [app, branches] of Object.entries(scenario.jobs))
      for (const [branch, jobs] of Object.entries(branches))
        for (const job of jobs) server.addJob(app, branch, typeof job === 'string' ? { status: job } : job)
    const statusBefore = jobStatuses(server, scenario.jobs)
    const result = await runStep(server, {
      inputs,
      event: scenario.event,
      region,
      // What configure-aws-credentials exports for the later steps.
      credentials: { ...TEST_CREDENTIALS, sessionToken: 'session-token-of-the-assumed-role' },
      env: { AWS_DEFAULT_REGION: region }
    })

    expectSuccess(result)
    const stops = server.requestsFor('StopJob').map(r => `${r.appId} ${r.branchName}#${r.jobId}`)
    expect(stops.sort()).toEqual([...scenario.stopped].sort())
    // Stopped jobs are stopping (or, after wait: true, cancelled); every other job is as it was.
    const final = inputs.wait === 'true' ? 'CANCELLED' : 'CANCELLING'
    expect(jobStatuses(server, scenario.jobs)).toEqual(
      Object.fromEntries(
        Object.entries(statusBefore).map(([job, status]) => [
          job,
          scenario.stopped.includes(job) ? final : status
        ])
      )
    )
    expect(result.outputs).toMatchObject(scenario.outputs ?? {})
    expect(result.warnings.map(warning => warning.message)).toEqual(scenario.warnings ?? [])
    const results = (result.jobs ?? []).map(
      job => `${job.appId} ${job.branchName}#${job.jobId} ${job.result}`
    )
    // The jobs output says stopped of exactly the jobs the server saw stopped, and what the scenario adds.
    const stoppedInJobs = results.filter(r => r.endsWith(' stopped')).map(r => r.slice(0, -' stopped'.length))
    expect(stoppedInJobs.sort()).toEqual([...scenario.stopped].sort())
    expect(results).toEqual(expect.arrayContaining(scenario.results ?? []))

    // The later steps, with the outputs a workflow would hand them.
    ;(contexts.steps as Record<string, unknown>)[step.id ?? '__action'] = {
      outputs: result.outputs,
      outcome: 'success'
    }
    const bin = stubBin()
    const printed: string[] = []
    for (const later of after) {
      if (later.run === undefined) throw new Error(`${file}: cannot run the later step ${later.uses}`)
      if (!condition(later.if, contexts, stepFunctions)) continue
      const env = Object.fromEntries(
        Object.entries(later.env ?? {}).map(([name, value]) => [
          name,
          interpolate(value, contexts, functions)
        ])
      )
      printed.push(await runShell(interpolate(later.run, contexts, functions), env, bin))
    }
    expect(printed).toEqual(scenario.printed ?? [])
  })
})

/** Every seeded job's status, as `app branch#id`. */
function jobStatuses(server: AmplifyServer, jobs: Scenario['jobs']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(jobs).flatMap(([app, branches]) =>
      Object.entries(branches).flatMap(([branch, list]) =>
        list.map((_, i) => [`${app} ${branch}#${i + 1}`, server.getJob(app, branch, String(i + 1)).status])
      )
    )
  )
}

// ---- A small evaluator of GitHub Actions expressions ----------------------------------------------------
//
// Literals ('string', numbers, true, false, null), property paths (a.b-c.d, a['b'], a[0]) into the given
// contexts, ! == != && || and parentheses, and the status functions. A context or property that is not
// there, or any other function or syntax, throws: a scenario must give the test everything it needs.

type Functions = Record<string, () => unknown>

/** success(), failure(), always() and cancelled(), after the jobs this one needs. */
function statusFunctions(upstreamFailed: boolean): Functions {
  return {
    success: () => !upstreamFailed,
    failure: () => upstreamFailed,
    always: () => true,
    cancelled: () => false
  }
}

/** An `if:` as the runner evaluates it: `${{ }}` optional, and success() && implied without a status function. */
function condition(
  text: string | undefined,
  contexts: Record<string, unknown>,
  functions: Functions
): boolean {
  if (text === undefined) return Boolean(functions.success())
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text
  const implied = /\b(success|failure|always|cancelled)\s*\(/.test(expression)
    ? expression
    : `success() && (${expression})`
  return truthy(evaluate(implied, contexts, functions))
}

/** A `with:` or `env:` value: YAML scalars as strings, each `${{ }}` replaced by its value as text. */
function interpolate(value: unknown, contexts: Record<string, unknown>, functions: Functions): string {
  if (typeof value !== 'string') return asText(value)
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    asText(evaluate(expression, contexts, functions))
  )
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function truthy(value: unknown): boolean {
  return !(
    value === false ||
    value === 0 ||
    value === '' ||
    value === null ||
    value === undefined ||
    Number.isNaN(value)
  )
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === typeof b) return a === b
  return Number(a ?? 0) === Number(b ?? 0)
}

const TOKEN = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|(\|\||&&|==|!=|[!().[\],])|([A-Za-z_][A-Za-z0-9_-]*))/y

function evaluate(expression: string, contexts: Record<string, unknown>, functions: Functions): unknown {
  const tokens: { kind: 'string' | 'number' | 'op' | 'name'; text: string }[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const match = TOKEN.exec(expression)
    if (!match)
      throw new Error(`Cannot evaluate \${{${expression}}}: unexpected ${expression.slice(at).trim()}`)
    const [, string, number, op, name] = match
    if (string !== undefined) tokens.push({ kind: 'string', text: string.slice(1, -1).replace(/''/g, "'") })
    else if (number !== undefined) tokens.push({ kind: 'number', text: number })
    else if (op !== undefined) tokens.push({ kind: 'op', text: op })
    else tokens.push({ kind: 'name', text: name })
  }
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`Cannot evaluate \${{${expression}}}: ${why}`)
  }
  const isOp = (text: string) => tokens[i]?.kind === 'op' && tokens[i].text === text
  const take = (text: string) => (isOp(text) ? (i++, true) : fail(`expected ${text}`))

  const or = (): unknown => {
    let value = and()
    while (isOp('||')) {
      i++
      const right = and()
      value = truthy(value) ? value : right
    }
    return value
  }
  const and = (): unknown => {
    let value = comparison()
    while (isOp('&&')) {
      i++
      const right = comparison()
      value = truthy(value) ? right : value
    }
    return value
  }
  const comparison = (): unknown => {
    const left = unary()
    if (isOp('==') || isOp('!=')) {
      const negate = tokens[i++].text === '!='
      return equal(left, unary()) !== negate
    }
    return left
  }
  const unary = (): unknown => (isOp('!') ? (i++, !truthy(unary())) : primary())
  const primary = (): unknown => {
    const token = tokens[i++] ?? fail('unexpected end')
    if (token.kind === 'string') return token.text
    if (token.kind === 'number') return Number(token.text)
    if (token.kind === 'op') {
      if (token.text !== '(') fail(`unexpected ${token.text}`)
      const value = or()
      take(')')
      return value
    }
    if (token.text === 'true' || token.text === 'false') return token.text === 'true'
    if (token.text === 'null') return null
    if (isOp('(')) {
      i++
      if (!(token.text in functions)) fail(`the function ${token.text}() is not known to this test`)
      const args: unknown[] = []
      while (!isOp(')')) {
        if (args.length > 0) take(',')
        args.push(or())
      }
      i++
      if (args.length > 0) fail(`${token.text}() takes no arguments`)
      return functions[token.text]()
    }
    if (!(token.text in contexts)) fail(`the context ${token.text} is not known to this test`)
    let value: unknown = contexts[token.text]
    let pathSoFar = token.text
    while (isOp('.') || isOp('[')) {
      let key: string
      if (tokens[i++].text === '.') {
        const name = tokens[i++]
        if (name?.kind !== 'name') fail(`a property name after ${pathSoFar}.`)
        key = name.text
      } else {
        const index = tokens[i++]
        if (index?.kind !== 'string' && index?.kind !== 'number') fail(`a literal index after ${pathSoFar}[`)
        key = index.text
        take(']')
      }
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key))
        fail(`${pathSoFar} has no ${key}`)
      value = (value as Record<string, unknown>)[key]
      pathSoFar += `.${key}`
    }
    return value
  }

  const value = or()
  if (i < tokens.length) fail(`unexpected ${tokens[i].text}`)
  return value
}

describe('the expression evaluator', () => {
  const contexts = {
    github: { event: { number: 42, pull_request: { head: { ref: 'a' } } } },
    vars: { X: 'x' }
  }
  const functions = statusFunctions(false)
  const value = (expression: string) => evaluate(expression, contexts, functions)

  it('reads property paths, literals and operators as GitHub does', () => {
    expect(value(' github.event.number ')).toBe(42)
    expect(value("github.event['pull_request'].head.ref == 'A'")).toBe(true) // strings compare ignoring case
    expect(value("vars.X != 'x' || 'fallback'")).toBe('fallback')
    expect(value('!(success() && failure())')).toBe(true)
    expect(interpolate('pr-${{ github.event.number }}', contexts, functions)).toBe('pr-42')
    expect(interpolate(true, contexts, functions)).toBe('true')
    expect(interpolate(600, contexts, functions)).toBe('600')
    expect(condition('github.event.number == 42', contexts, statusFunctions(true))).toBe(false) // success() implied
    expect(condition('${{ failure() }}', contexts, statusFunctions(true))).toBe(true)
  })

  it.each([
    ['secrets.TOKEN', /the context secrets is not known/],
    ['github.event.nope', /github\.event has no nope/],
    ["contains(github.ref, 'x')", /the function contains\(\) is not known/],
    ['hashFiles()', /the function hashFiles\(\) is not known/],
    ['github.event.number ==', /unexpected end/],
    ['1 2', /unexpected 2/],
    ['github.event.number > 1', /unexpected/]
  ])('fails loudly on what it cannot evaluate: %s', (expression, message) => {
    expect(() => value(expression)).toThrow(message)
  })
})
