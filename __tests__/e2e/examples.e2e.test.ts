// The README's workflow examples, run. Each file in docs/examples/ has scenarios: an event, Amplify seeded to
// fit, what other steps come to. The test checks that the event triggers the workflow and runs its jobs as
// the runner would: each `if:` and `${{ }}` through @actions/expressions (GitHub's parser and evaluator);
// this action's steps through dist/index.js against the local server; the workflow's own `run:` steps before
// them (its tests) pass or fail as the scenario says, those after them run in bash (`aws` a stub that echoes);
// another action's step outputs what the scenario says (dorny/paths-filter: which paths a push touched).
// Then it asserts what the example promises: steps run, builds stopped and nothing else touched, outputs.
import { describe, expect, it } from '@jest/globals'
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import { truthy } from '@actions/expressions/result'
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse as parseYaml } from 'yaml'
import type { JobSeed } from '../support/amplify-server.js'
import * as h from '../support/harness.js'
import type { AmplifyServer, StepEvent, StepResult } from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7' // pull-request-closed.yml's app, vars.AMPLIFY_APP_ID, monorepo-push.yml's web app
const ADMIN = 'd2b3c4d5e6f7a8' // monorepo-push.yml's admin app
const ROLE = 'arn:aws:iam::123456789012:role/amplify-stop-job'
const VARS = { AMPLIFY_APP_ID: APP, AMPLIFY_REGION: 'eu-west-2', AMPLIFY_ROLE_ARN: ROLE } // the repository's
const SHA = { failed: 'f'.repeat(40), newer: 'a'.repeat(40), pushed: 'c'.repeat(40), older: 'b'.repeat(40) }
const REPOSITORY = 'https://github.com/octo-org/octo-site' // GITHUB_REPOSITORY, as an Amplify app's repository
const ARN = `arn:aws:amplify:eu-west-2:123456789012:apps/${APP}/branches/release/2.0/jobs/0000000003`
/** A job building `commitId` (created `ms` after it is seeded); a job that started `hours` ago. */
const of = (commitId: string, status = 'RUNNING', ms?: number) => ({ status, commitId, appearsAfterMs: ms })
const since = (hours: number, status = 'RUNNING'): JobSeed => ({ status, startedSecondsAgo: hours * 3600 })
const push = (sha: string) => h.pushEvent('main', sha)
const closed = (number: number) => h.pullRequestEvent(number, { ref: 'feature/login', sha: SHA.newer })
const hourly = h.scheduleEvent('17 * * * *')
const sweepAlert = (stopped: number) =>
  `::warning::Stopped ${stopped} Amplify build(s) running for hours, 1 stuck CANCELLING (ask AWS Support); see the step summary`

interface Scenario {
  event: StepEvent
  testsFail?: boolean // the workflow's own `run:` steps before this action (its tests) fail; default: pass
  stepOutputs?: Record<string, Record<string, string>> // what other actions' steps output, by step id
  apps?: Record<string, string> // apps to create first, with their repository; default: the jobs' apps
  jobs: Record<string, (string | JobSeed)[]> // by `app branch`, oldest first (ids 1, 2, ...)
  ran?: string[] // the steps of this action that run, by id (or 'stop'); default: every one
  stopped?: string[] // exactly the jobs StopJob is sent for (`app branch#id`); the others stay as they were
  outputs?: Record<string, string> // outputs of each step of this action that ran (a subset)
  warnings?: RegExp[] // their ::warning:: messages; default: none (the examples are quiet when all goes well)
  printed?: string[] // what each `run:` step after this action prints
}

const EXAMPLES: Record<string, Record<string, Scenario>> = {
  'pull-request-closed.yml': {
    'pull request #42 closed: its preview branch pr-42 has two builds in progress': {
      event: closed(42),
      jobs: { [`${APP} pr-42`]: ['SUCCEED', 'RUNNING', 'PENDING'], [`${APP} feature/login`]: ['RUNNING'] },
      stopped: [`${APP} pr-42#2`, `${APP} pr-42#3`],
      outputs: { 'job-id': '3', status: 'CANCELLING', 'stopped-count': '2' }
    },
    'pull request #42 closed, and Amplify already deleted pr-42: nothing to stop, quietly': {
      event: closed(42),
      jobs: { [`${APP} main`]: ['RUNNING'] },
      outputs: { 'job-id': '', 'stopped-count': '0' }
    }
  },
  'cancel-superseded.yml': {
    'a push while an older build runs: the older is stopped, the newest kept': {
      event: h.pushEvent('feature/login'),
      jobs: { [`${APP} feature/login`]: ['SUCCEED', 'RUNNING', 'PENDING'], [`${APP} main`]: ['RUNNING'] },
      stopped: [`${APP} feature/login#2`],
      outputs: { 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' }
    }
  },
  'monorepo-push.yml': {
    'a push touching web only: admin’s build of it, created 1.5 s into the step, is found and stopped': {
      event: push(SHA.pushed),
      stepOutputs: { changes: { web: 'true', admin: 'false', changes: '["web"]' } }, // dorny/paths-filter
      jobs: {
        [`${APP} main`]: [of(SHA.pushed)],
        [`${ADMIN} main`]: [of(SHA.older), of(SHA.pushed, 'PENDING', 1500)]
      },
      ran: ['stop-admin'],
      stopped: [`${ADMIN} main#2`],
      outputs: { 'job-id': '2', 'stopped-count': '1' }
    },
    'a push touching neither app (docs only): both builds of it are stopped, an older one is not': {
      event: push(SHA.pushed),
      stepOutputs: { changes: { web: 'false', admin: 'false', changes: '[]' } },
      jobs: { [`${APP} main`]: [of(SHA.older), of(SHA.pushed)], [`${ADMIN} main`]: [of(SHA.pushed)] },
      stopped: [`${APP} main#2`, `${ADMIN} main#1`],
      outputs: { 'stopped-count': '1' }
    }
  },
  'stop-on-test-failure.yml': {
    'the tests fail: this commit’s build is stopped, a newer push’s build keeps going': {
      event: push(SHA.failed),
      testsFail: true,
      jobs: { [`${APP} main`]: [of(SHA.failed), of(SHA.newer, 'PENDING')] },
      stopped: [`${APP} main#1`],
      outputs: { 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' }
    },
    'the tests pass: the stop job is skipped, and Amplify is not asked': {
      event: push(SHA.pushed),
      jobs: { [`${APP} main`]: [of(SHA.pushed)] },
      ran: []
    }
  },
  'stop-branch-builds.yml': {
    'the tests failed on a push: the pushed branch’s builds are stopped, and the count printed': {
      event: h.pushEvent('feature/login'),
      testsFail: true,
      jobs: { [`${APP} feature/login`]: ['SUCCEED', 'RUNNING', 'PENDING'], [`${APP} main`]: ['RUNNING'] },
      stopped: [`${APP} feature/login#2`, `${APP} feature/login#3`],
      printed: ['Stopped 2 job(s); the newest, 3, is CANCELLING']
    }
  },
  'stop-commit.yml': {
    'CI failed for a pushed commit: only its build is stopped, a newer push’s build keeps going': {
      event: h.workflowRunEvent({ conclusion: 'failure', headBranch: 'main', headSha: SHA.failed }),
      jobs: { [`${APP} main`]: [of(SHA.failed), of(SHA.newer, 'PENDING')] },
      stopped: [`${APP} main#1`],
      outputs: { 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' }
    }
  },
  'monorepo-pull-request-closed.yml': {
    'pull request #7 closed: the pr-7 previews of every app of this repository, none of another': {
      event: closed(7),
      apps: { dweb1: REPOSITORY, dadmin2: REPOSITORY, ddocs3: REPOSITORY, dother4: `${REPOSITORY}-2` },
      jobs: {
        ...{ 'dweb1 pr-7': ['RUNNING'], 'dweb1 main': ['RUNNING'], 'dadmin2 pr-7': ['SUCCEED', 'PENDING'] },
        ...{ 'ddocs3 main': ['RUNNING'], 'dother4 pr-7': ['RUNNING'] } // ddocs3 has no pr-7: not an error
      },
      stopped: ['dweb1 pr-7#1', 'dadmin2 pr-7#2'],
      outputs: { 'stopped-count': '2' },
      printed: ['dadmin2 pr-7 job 2 stopped\ndweb1 pr-7 job 1 stopped']
    }
  },
  'sweep-stuck-builds.yml': {
    'the hourly run: builds over two hours old are stopped, one stuck CANCELLING is named; an alert': {
      event: hourly,
      jobs: {
        [`${APP} main`]: [since(5), since(0.1, 'PENDING')],
        [`${APP} feature/login`]: [since(3, 'CANCELLING')], // not stopped again: stuck
        [`${APP} feature/search`]: [since(1)]
      },
      stopped: [`${APP} main#1`],
      outputs: { 'stopped-count': '1', 'stuck-count': '1' },
      warnings: [
        /^Job 1 on branch "feature\/login" of app d1a2b3c4d5e6f7 is stuck CANCELLING: it started 3h/
      ],
      printed: [sweepAlert(1)]
    },
    'the hourly run, nothing to stop but a build stuck CANCELLING: the alert fires on stuck-count': {
      event: hourly,
      jobs: { [`${APP} main`]: [since(4, 'CANCELLING')] },
      outputs: { 'stopped-count': '0', 'stuck-count': '1' },
      warnings: [/^Job 1 on branch "main" of app d1a2b3c4d5e6f7 is stuck CANCELLING: it started 4h/],
      printed: [sweepAlert(0)]
    },
    'run by hand as a dry run for builds over 30 minutes old: reports them, stops nothing, no alert': {
      event: h.workflowDispatchEvent({ 'older-than': '30m', 'dry-run': 'true' }),
      jobs: { [`${APP} main`]: [since(1)], [`${APP} feature/search`]: [since(0.1)] },
      outputs: { 'job-id': '1', status: 'RUNNING', 'stopped-count': '0', 'stuck-count': '0' }
    }
  },
  'manual-stop.yml': {
    'dispatched with a job ARN alone: stops that job only, and waits until it is cancelled': {
      event: h.workflowDispatchEvent({ 'job-id': ARN }),
      jobs: { [`${APP} release/2.0`]: ['SUCCEED', 'RUNNING', 'RUNNING'], [`${APP} main`]: ['RUNNING'] },
      stopped: [`${APP} release/2.0#3`],
      outputs: { 'job-id': '3', status: 'CANCELLED', 'stopped-count': '1' }
    },
    'dispatched with a job id, app id and branch: stops that job only': {
      event: h.workflowDispatchEvent({ 'job-id': '2', 'app-id': APP, 'branch-name': 'release/2.0' }),
      jobs: { [`${APP} release/2.0`]: ['SUCCEED', 'RUNNING', 'RUNNING'] },
      stopped: [`${APP} release/2.0#2`],
      outputs: { 'job-id': '2', status: 'CANCELLED', 'stopped-count': '1' }
    }
  },
  'wait-until-stopped.yml': {
    'dispatched for a branch: stops its builds, waits until they are cancelled, starts a new one': {
      event: h.workflowDispatchEvent({ 'branch-name': 'feature/login' }),
      jobs: { [`${APP} feature/login`]: ['RUNNING', 'PENDING'] },
      stopped: [`${APP} feature/login#1`, `${APP} feature/login#2`],
      outputs: { status: 'CANCELLED', 'stopped-count': '2' },
      printed: [`aws amplify start-job --app-id ${APP} --branch-name feature/login --job-type RELEASE`]
    }
  },
  'dry-run.yml': {
    'dispatched for main: lists what would be stopped, stops nothing': {
      event: h.workflowDispatchEvent({ 'branch-name': 'main' }),
      jobs: { [`${APP} main`]: ['SUCCEED', 'RUNNING', 'PENDING'] },
      outputs: { 'job-id': '3', status: 'PENDING', 'stopped-count': '0' },
      printed: ['3 PENDING would-stop\n2 RUNNING would-stop']
    }
  }
}

type Values = Record<string, unknown>
type Step = { id?: string; uses?: string; run?: string; if?: string; with?: Values; env?: Values }
type Job = { needs?: string | string[]; if?: string; steps?: Step[] }
type Workflow = { on: Record<string, Values | { cron: string }[] | null>; jobs: Record<string, Job> }

const CREDENTIALS = /^aws-actions\/configure-aws-credentials@/
const allSteps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap(job => job.steps ?? [])
const ownSteps = (workflow: Workflow) =>
  allSteps(workflow).filter(step => h.THIS_ACTION.test(step.uses ?? ''))

/** Why the event would not trigger the workflow (its `on:` filters), or [] when it does. */
function triggerProblems({ on }: Workflow, { name, ref, payload }: StepEvent): string[] {
  const filter = on[name] ?? {}
  if (!(name in on)) return [`not triggered by ${name}`]
  if (Array.isArray(filter)) return filter.some(s => s.cron === payload.schedule) ? [] : ['not this cron']
  const list = (key: string) => (key in filter ? [filter[key]].flat() : undefined)
  const problems = Object.keys(filter)
    .filter(key => !['types', 'branches', 'workflows', 'inputs'].includes(key))
    .map(key => `the ${name} filter ${key} is not known to this test`)
  const actual = { types: payload.action, workflows: (payload.workflow_run as Values | undefined)?.name }
  for (const [key, value] of Object.entries(actual))
    if (list(key)?.includes(value) === false) problems.push(`${key} exclude ${value}`)
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1] ?? '' // of the branch patterns, this test knows ** alone
  const branches = (list('branches') ?? ['**']).map(String)
  if (name === 'push' && !(branch !== '' && (branches.includes('**') || branches.includes(branch))))
    problems.push(`branches exclude ${ref} (or have a pattern this test does not know)`)
  const given = (payload.inputs ?? {}) as Values
  const declared = (filter.inputs ?? {}) as Record<string, { required?: boolean }>
  for (const input of Object.keys(given)) if (!(input in declared)) problems.push(`no input ${input}`)
  for (const [input, spec] of Object.entries(declared))
    if (spec.required && !given[input]) problems.push(`required input ${input} is not given`)
  return problems
}

/** The contexts an expression may read before any step ran, for this workflow and event. */
function contextsFor({ on }: Workflow, { name, ref, payload }: StepEvent): Values {
  const pullRequest = payload.pull_request as Record<string, Record<string, string>> | undefined
  const given = (payload.inputs ?? {}) as Record<string, string>
  const dispatch = (on.workflow_dispatch ?? {}) as { inputs?: Record<string, Values> }
  // On a workflow_dispatch, each declared input given or defaulted (a boolean input as a boolean); else null.
  const inputs = Object.entries(dispatch.inputs ?? {}).map(([input, { type, default: fallback = '' }]) => {
    const value = given[input] ?? String(fallback)
    return [input, name !== 'workflow_dispatch' ? null : type === 'boolean' ? value === 'true' : value]
  })
  const github = {
    ...{ event: payload, event_name: name, ref, ref_name: ref.replace(/^refs\/(heads|tags)\//, '') },
    sha: payload.after ?? pullRequest?.merge_commit_sha ?? 'e'.repeat(40),
    ...{ head_ref: pullRequest?.head.ref ?? '', base_ref: pullRequest?.base.ref ?? '' },
    ...{ repository: 'octo-org/octo-site', repository_owner: 'octo-org' }
  }
  return { github, vars: VARS, inputs: Object.fromEntries(inputs), steps: {}, needs: {} }
}

/** success() and failure(): of the needed jobs at a job's `if:`, of the job's steps so far at a step's. */
type Status = { success: boolean; failure: boolean }
const after = (failed: boolean): Status => ({ success: !failed, failure: failed })
const STATUS = ['success', 'failure', 'always', 'cancelled'].map(name => ({ name, minArgs: 0, maxArgs: 0 }))

/** An expression's value, by @actions/expressions: a context not given, or a function GitHub lacks, throws. */
function evaluate(expression: string, contexts: Values, status = after(false)): data.ExpressionData {
  const values: Record<string, boolean> = { ...status, always: true, cancelled: false }
  const tree = new Parser(new Lexer(expression).lex().tokens, Object.keys(contexts), STATUS).parse()
  const calls = new Map(STATUS.map(f => [f.name, { ...f, call: () => new data.BooleanData(values[f.name]) }]))
  return new Evaluator(tree, JSON.parse(JSON.stringify(contexts), data.reviver), calls).evaluate()
}

/** An `if:` as the runner reads it: `${{ }}` optional, `success() &&` implied without a status function. */
function condition(text: string | undefined, contexts: Values, status: Status): boolean {
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text ?? '')?.[1] ?? text ?? 'success()'
  const tokens = new Lexer(expression).lex().tokens
  const checks = tokens.some((t, i) => STATUS.some(f => f.name === t.lexeme) && tokens[i + 1]?.lexeme === '(')
  return truthy(evaluate(checks ? expression : `success() && (${expression})`, contexts, status))
}

/** A `with:`, `env:` or `run:` value: YAML scalars as strings, each `${{ }}` replaced by its value as text. */
function interpolate(value: unknown, contexts: Values): string {
  if (typeof value !== 'string') return String(value)
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => evaluate(expr, contexts).coerceString())
}

/** This action's steps that ran (by id) and what each came to, and what the later `run:` steps printed. */
type Run = { own: { id: string; result: StepResult }[]; printed: string[] }

/** Every job after those it needs, and its steps in order, as the runner would run them in this scenario. */
async function runWorkflow(workflow: Workflow, scenario: Scenario, server: AmplifyServer): Promise<Run> {
  const run: Run = { own: [], printed: [] }
  const results: Record<string, { result: string }> = {}
  const needsOf = (job: Job) => ([] as string[]).concat(job.needs ?? [])
  const pending = Object.keys(workflow.jobs)
  while (pending.length > 0) {
    const next = pending.findIndex(name => needsOf(workflow.jobs[name]).every(need => need in results))
    const job = workflow.jobs[pending[next]]
    const needs = Object.fromEntries(needsOf(job).map(need => [need, results[need]]))
    const contexts = { ...contextsFor(workflow, scenario.event), needs }
    const needed = Object.values(needs).map(need => need.result)
    const status = { success: needed.every(r => r === 'success'), failure: needed.includes('failure') }
    const runs = condition(job.if, contexts, status)
    const result = runs ? await runJob(job, contexts, scenario, server, run) : 'skipped'
    results[pending.splice(next, 1)[0]] = { result }
  }
  return run
}

async function runJob(job: Job, base: Values, scenario: Scenario, server: AmplifyServer, run: Run) {
  const steps: Record<string, { outcome: string; conclusion: string; outputs: Values }> = {}
  let [failed, acted, region] = [false, false, ''] // region: what configure-aws-credentials exports
  for (const step of job.steps ?? []) {
    const contexts = { ...base, steps }
    const values = (v: Values = {}) =>
      Object.fromEntries(Object.keys(v).map(k => [k, interpolate(v[k], contexts)]))
    const uses = step.uses ?? ''
    let [outcome, outputs]: [string, Values] = ['skipped', {}]
    if (condition(step.if, contexts, after(failed))) {
      outcome = 'success'
      if (h.THIS_ACTION.test(uses)) {
        if (region === '') throw new Error('this action runs before configure-aws-credentials')
        const result = await h.runStep(server, { inputs: values(step.with), event: scenario.event, region })
        run.own.push({ id: step.id ?? 'stop', result })
        ;[outcome, outputs, acted] = [result.exitCode === 0 ? 'success' : 'failure', result.outputs, true]
      } else if (CREDENTIALS.test(uses)) region = values(step.with)['aws-region']
      else if (uses !== '' && !uses.startsWith('actions/checkout@')) {
        outputs = scenario.stepOutputs?.[step.id ?? ''] ?? {}
        if (!scenario.stepOutputs?.[step.id ?? '']) throw new Error(`no outputs for the step ${uses}`)
      } else if (step.run !== undefined && !acted) outcome = scenario.testsFail ? 'failure' : 'success'
      else if (step.run !== undefined)
        run.printed.push(await runShell(interpolate(step.run, contexts), values(step.env)))
    }
    if (step.id) steps[step.id] = { outcome, conclusion: outcome, outputs }
    failed ||= outcome === 'failure'
  }
  return failed ? 'failure' : 'success'
}

/** Runs a `run:` step as the runner does (bash -e), with the step's env and a stub `aws` on PATH. */
async function runShell(script: string, env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'amplify-stop-job-example-'))
  h.afterThisTest(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'aws'), '#!/usr/bin/env bash\necho "aws $*"\n')
  chmodSync(path.join(dir, 'aws'), 0o755)
  const shell = { env: { PATH: `${dir}${path.delimiter}${process.env.PATH}`, HOME: dir, ...env } }
  const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-e', '-c', script], shell)
  return stdout.trimEnd()
}

describe('docs/examples', () => {
  it('every example has a scenario here, and every scenario an example', () => {
    const files = readdirSync(path.join(h.ROOT, 'docs/examples')).filter(name => /\.ya?ml$/.test(name))
    expect(Object.keys(EXAMPLES).sort()).toEqual(files.sort())
  })

  const scenarios = Object.entries(EXAMPLES).flatMap(([file, list]) =>
    Object.entries(list).map(([title, scenario]) => [file, title, scenario] as const)
  )

  it.concurrent.each(scenarios)('%s: %s', async (file, _, scenario) => {
    const workflow = parseYaml(readFileSync(path.join(h.ROOT, 'docs/examples', file), 'utf8')) as Workflow
    expect(triggerProblems(workflow, scenario.event)).toEqual([])
    const credentials = allSteps(workflow).find(step => CREDENTIALS.test(step.uses ?? ''))
    const region = interpolate(credentials?.with?.['aws-region'], contextsFor(workflow, scenario.event))
    const waits = ownSteps(workflow).some(step => step.with?.wait === true) // else stopped jobs stay CANCELLING
    const server = await h.startServer({ region, cancelDelayMs: waits ? 200 : Infinity })
    for (const [app, repository] of Object.entries(scenario.apps ?? {})) server.addApp(app, { repository })
    const seeded = Object.entries(scenario.jobs).flatMap(([where, jobs]) => {
      const [app, branch] = where.split(' ')
      const added = jobs.map(j => server.addJob(app, branch, typeof j === 'string' ? { status: j } : j))
      return added.map(job => ({ app, branch, job, key: `${where}#${job.jobId}`, before: job.status }))
    })

    const { own, printed } = await runWorkflow(workflow, scenario, server)

    const every = ownSteps(workflow).map(step => step.id ?? 'stop')
    expect(own.map(step => step.id)).toEqual(scenario.ran ?? every)
    expect(own.length > 0 || server.requests.length === 0).toBe(true) // no step ran: Amplify was not asked
    for (const { result } of own) {
      h.expectSuccess(result)
      expect(result.outputs).toMatchObject(scenario.outputs ?? {})
    }
    const stops = server.requestsFor('StopJob').map(r => `${r.appId} ${r.branchName}#${r.jobId}`)
    const stopped = scenario.stopped ?? []
    expect(stops.sort()).toEqual([...stopped].sort())
    // Stopped jobs are stopping (or, after wait: true, cancelled); every other job is as it was.
    const stoppedStatus = waits ? 'CANCELLED' : 'CANCELLING'
    const expected = seeded.map(s => [s.key, stopped.includes(s.key) ? stoppedStatus : s.before])
    expect(Object.fromEntries(seeded.map(s => [s.key, s.job.status]))).toEqual(Object.fromEntries(expected))
    const warnings = own.flatMap(({ result }) => result.warnings.map(warning => warning.message))
    expect(warnings).toEqual((scenario.warnings ?? []).map(warning => expect.stringMatching(warning)))
    expect(printed).toEqual(scenario.printed ?? [])
  })

  it('expressions imply success() in an if: without a status function, and fill ${{ }} in with: values', () => {
    const contexts = { github: { event: { number: 42 } }, inputs: { 'older-than': null } }
    expect(condition("github.event.number == '42'", contexts, after(false))).toBe(true)
    expect(condition('github.event.number == 42', contexts, after(true))).toBe(false) // success() implied
    expect(condition('${{ failure() }}', contexts, after(true))).toBe(true)
    expect(interpolate("${{ github.event.number }}${{ inputs.older-than || 'h' }}", contexts)).toBe('42h')
    expect(() => evaluate('secrets.TOKEN', contexts)).toThrow(/secrets/) // a context this test does not give
  })
})
