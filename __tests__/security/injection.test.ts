// Untrusted text stays inert. Branch names, commit messages, ids and statuses come from Amplify (and so
// from whoever pushes a branch or opens a pull request), error messages from the service, values from the
// workflow's inputs; none of it may start a workflow command or a line of its own in the log, reach beyond
// its own output, or become HTML or Markdown in the step summary.
//
// One property drives everything that writes: main.ts's sequence (settings -> act -> wait -> conclude ->
// report, or failStep) over a door to Amplify whose every answer and error carries hostile text, with the
// real @actions/core writing to stdout, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP. One run of
// dist/index.js shows the bundle does the same.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import fc from 'fast-check'
import { FIND_EVERY_MS, findAndStop } from '../../src/act.js'
import { describeFailure, type Amplify } from '../../src/amplify.js'
import { conclude } from '../../src/conclude.js'
import type { Operation } from '../../src/errors.js'
import type { BranchRef, Job } from '../../src/jobs.js'
import type { RequestSubject } from '../../src/messages.js'
import { shouldWait } from '../../src/plan.js'
import { failStep, logLookingAgain, logStart, report, waitProgress } from '../../src/report.js'
import { parseSettings } from '../../src/settings.js'
import { firstLine } from '../../src/text.js'
import { waitUntilEnded, type Clock } from '../../src/wait.js'
import { actionDefaults } from '../support/action-runner.js'
import {
  ACTION_INPUTS,
  ACTION_OUTPUTS,
  decodeEntities,
  expectFailure,
  expectInertSummary,
  expectOnlyOwnCommands,
  parseAnnotations,
  parseOutputFile,
  pullRequestEvent,
  runStep,
  startServer,
  statuses
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'
const REGION = 'us-east-1'

// ---- Hostile text ----------------------------------------------------------------------------------------

/** Every character that ends or rewrites a line: C0, DEL, C1 (NEL among them), U+2028 and U+2029. */
const BREAKERS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u2028',
  '\u2029'
]

/** Workflow commands and their escapes, terminal sequences, lone surrogates, HTML, Markdown. */
const COMMANDS = ['::error::pwned', '::warning file=a,line=1::x', '::add-mask::hunter2', '::stop-commands::t']
const ESCAPES = ['::debug::x', '##[error]x', '%0A', '%0D', '%25', '%250A', '\r\n::error::x', '\u001b[2K\r']
const ODD = ['\u001b]8;;javascript:alert(1)\u0007x', '\ud800', '\udfff', '\u202e', '😀', '\\', '"', "'"]
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:x">']
const MARKDOWN = ['[x](javascript:alert(1))', '![x](https://e.example/x.png)', '&lt;b&gt;&#60;', '| --- |']
const BLOCKS = ['`', '```', '# h', '> q', '- i', '*b* _e_ ~~s~~']
const PAYLOADS = [...COMMANDS, ...ESCAPES, ...ODD, ...MARKUP, ...MARKDOWN, ...BLOCKS]

const piece = fc.oneof(fc.constantFrom(...PAYLOADS), fc.constantFrom(...BREAKERS), fc.string())
const hostile = fc.oneof(
  { weight: 8, arbitrary: fc.array(piece, { minLength: 1, maxLength: 12 }).map(p => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  {
    weight: 1, // very long: a service message, a commit message or a branch name of up to 5,000 characters
    arbitrary: fc
      .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1000, max: 5000 }))
      .map(([p, length]) => `${p.join('')}x`.repeat(length).slice(0, length))
  }
)

/** An environment variable holds no lone surrogate and no NUL. */
const asInput = (text: string) => text.replace(/[\p{Cs}\0]/gu, '\ufffd')

// ---- A door to Amplify whose answers and errors are hostile ------------------------------------------------

/** What went wrong: an Amplify exception with its HTTP status, a network error, a timeout, or a bug. */
const ERRORS: Record<string, number> = {
  AccessDeniedException: 403,
  NotFoundException: 404,
  BadRequestException: 400,
  InternalFailureException: 500,
  ExpiredTokenException: 403,
  LimitExceededException: 429,
  SomethingNewException: 400,
  ECONNRESET: 0,
  TimeoutError: 0,
  TypeError: 0
}

/** The error the real door throws (describeFailure is amplify.ts's), or a plain one for a bug. */
function thrown(name: string, said: string, operation: Operation, subject: RequestSubject): Error {
  if (name === 'TypeError') return new TypeError(said)
  const sdk = Object.assign(
    new Error(said),
    name === 'ECONNRESET'
      ? { code: name }
      : { name, ...(ERRORS[name] ? { $metadata: { httpStatusCode: ERRORS[name], attempts: 3 } } : {}) }
  )
  return describeFailure(sdk, operation, subject)
}

interface World {
  text: { branch: string; commit: string; said: string; id: string; status: string }
  apps: 'one' | 'two' | 'every'
  branches: 'head-ref' | 'input' | 'every'
  options: Record<string, string>
  /** One input given a hostile value (`unknown`: a hostile input name). */
  bad: [string, string] | null
  /** The statuses of each branch's jobs, newest first; * is a hostile status. */
  jobs: string[]
  failing: Operation[]
  /** Only requests about the hostile branch, app or job fail (else every request of those operations). */
  onlyHostile: boolean
  error: string
  /** The jobs have ended: StopJob is refused, and GetJob says CANCELLED (else a status no version knows). */
  ended: boolean
  jobsFileFails: boolean
}

const OPERATIONS: Operation[] = ['ListApps', 'ListBranches', 'ListJobs', 'StopJob', 'GetJob']

const world: fc.Arbitrary<World> = fc.record({
  text: fc.record({ branch: hostile, commit: hostile, said: hostile, id: hostile, status: hostile }),
  apps: fc.constantFrom('one', 'two', 'every'),
  branches: fc.constantFrom('head-ref', 'input', 'every', 'every'),
  options: fc.record({
    'job-id': fc.constantFrom('', '', '', '', '', '7'),
    'keep-newest': fc.constantFrom('false', 'true'),
    'dry-run': fc.constantFrom('false', 'false', 'true'),
    'older-than': fc.constantFrom('', '1m'),
    statuses: fc.constantFrom('', 'PENDING'),
    wait: fc.constantFrom('false', 'true'),
    'if-no-job': fc.constantFrom('warn', 'ignore', 'fail')
  }),
  bad: fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ACTION_INPUTS, 'unknown'), hostile) }
  ),
  jobs: fc.array(fc.constantFrom('RUNNING', 'PENDING', 'CANCELLING', 'SUCCEED', '*'), { maxLength: 13 }),
  failing: fc.subarray(OPERATIONS, { maxLength: 2 }),
  onlyHostile: fc.boolean(),
  error: fc.constantFrom(...Object.keys(ERRORS)),
  ended: fc.boolean(),
  jobsFileFails: fc.boolean()
})

function door(w: World): Amplify {
  const fail = (operation: Operation, subject: Omit<RequestSubject, 'region'>) => {
    const { id, branch, said } = w.text
    const aboutHostile = [subject.appId, subject.jobId].includes(id) || subject.branchName === branch
    if (w.failing.includes(operation) && (aboutHostile || !w.onlyHostile))
      throw thrown(w.error, said, operation, { region: REGION, ...subject })
  }
  const job = (branch: BranchRef, status: string, i: number): Job => ({
    ...branch,
    jobId: i === 0 ? w.text.id : String(100 - i),
    jobArn: `arn:aws:amplify:${REGION}:123456789012:apps/${branch.appId}/branches/${branch.branchName}/jobs/${i}`,
    status: status === '*' ? w.text.status : status,
    commitId: i === 0 ? w.text.id : 'abcdef0123456789abcdef0123456789abcdef01',
    commitMessage: w.text.commit,
    jobType: 'WEB_HOOK',
    startTime: Date.now() - 7_200_000
  })
  return {
    listApps: async () => {
      fail('ListApps', {})
      const repository = 'https://github.com/octo-org/octo-site'
      return [APP, w.text.id].map(appId => ({ appId, name: w.text.commit, repository }))
    },
    listBranches: async appId => {
      fail('ListBranches', { appId })
      return ['main', w.text.branch]
    },
    listJobs: async branch => {
      fail('ListJobs', branch)
      return { jobs: w.jobs.map((status, i) => job(branch, status, i)), pages: 1 }
    },
    stopJob: async (branch, jobId) => {
      fail('StopJob', { ...branch, jobId })
      const subject = { region: REGION, ...branch, jobId }
      if (w.ended) throw thrown('BadRequestException', w.text.said, 'StopJob', subject)
      return { ...job(branch, 'CANCELLING', 1), jobId }
    },
    getJob: async (branch, jobId) => {
      fail('GetJob', { ...branch, jobId })
      return { ...job(branch, w.ended ? 'CANCELLED' : '*', 1), jobId } // else the wait runs out
    },
    close() {}
  }
}

/** Time passes only when someone sleeps, and at once: a wait of minutes takes a few event-loop turns. */
function fastClock(): Clock {
  let now = 0
  return {
    now: () => now,
    sleep: ms => new Promise(resolve => setImmediate(() => resolve(void (now += ms)))),
    random: () => 0.5
  }
}

/** main.ts's run, with the door and the clock given, and the inputs and event from the world. */
async function run(w: World): Promise<void> {
  const inputs: Record<string, string> = {
    ...actionDefaults(),
    'app-id': { one: APP, two: `${APP}, d2b3c4d5e6f7a8`, every: '*' }[w.apps],
    'branch-name': { 'head-ref': '', input: asInput(w.text.branch), every: '*' }[w.branches],
    'aws-region': REGION,
    'wait-timeout': '2m',
    ...w.options
  }
  const env: NodeJS.ProcessEnv = { GITHUB_REPOSITORY: 'octo-org/octo-site' }
  if (w.bad?.[0] === 'unknown') env[`INPUT_${asInput(w.bad[1]).toUpperCase()}`] = 'x'
  else if (w.bad) inputs[w.bad[0]] = asInput(w.bad[1])
  const event = {
    eventName: 'pull_request_target',
    ref: 'refs/pull/7/merge',
    pullRequestHeadRef: w.text.branch
  }
  const amplify = door(w)
  try {
    const settings = await parseSettings(
      name => inputs[name] ?? '',
      env,
      async () => event
    )
    logStart(settings, 'http://proxy.internal:3128')
    logLookingAgain({ appId: w.text.id, branchName: w.text.branch }, settings, FIND_EVERY_MS) // find-timeout
    const stopped = await findAndStop(amplify, settings)
    const waited = shouldWait(settings, stopped.outcomes)
      ? await waitUntilEnded(amplify, stopped.outcomes, {
          timeoutMs: settings.waitTimeoutSeconds * 1000,
          pagesOf: () => 1,
          progress: waitProgress(settings),
          clock: fastClock()
        })
      : { outcomes: stopped.outcomes, unfinished: [], failures: [] }
    await report(settings, conclude(settings, stopped, waited))
  } catch (error) {
    failStep(error)
  }
}

// ---- The property ----------------------------------------------------------------------------------------

describe('hostile text everywhere it enters, through everything that writes (property)', () => {
  let dir: string
  let files: { output: string; summary: string }
  const saved = { ...process.env }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-inert-'))
    files = { output: join(dir, 'output'), summary: join(dir, 'summary') }
    Object.assign(process.env, { GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary })
  })
  afterAll(() => {
    for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'RUNNER_TEMP'])
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    rmSync(dir, { recursive: true, force: true })
  })

  /** One run, and what a workflow sees of it: stdout as written, the step's outcome, outputs, summary. */
  async function seen(w: World) {
    writeFileSync(files.output, '')
    writeFileSync(files.summary, '')
    core.summary.emptyBuffer()
    process.env.RUNNER_TEMP = w.jobsFileFails ? join(dir, 'missing', 'dir') : dir
    const writes: string[] = []
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    })
    try {
      await run(w)
    } finally {
      stdout.mockRestore()
    }
    const failed = process.exitCode === 1
    process.exitCode = undefined
    const outputs = parseOutputFile(readFileSync(files.output, 'utf8')) // throws on a line not ours
    return { writes, failed, outputs, summary: readFileSync(files.summary, 'utf8') }
  }

  it('stdout holds only our own lines and commands, outputs only ours, the summary only our own HTML', async () => {
    const reached = new Set<string>() // what the runs wrote, so that the property cannot pass by writing little
    await fc.assert(
      fc.asyncProperty(world, async w => {
        const { writes, failed, outputs, summary } = await seen(w)
        for (const write of writes)
          reached.add(
            /^::error::.*%0A/.test(write) ? 'error lines' : (/^::(\w+)::/.exec(write)?.[1] ?? 'info')
          )
        for (const tag of ['<table>', '<ul>']) if (summary.includes(tag)) reached.add(tag)
        if (outputs.jobs !== undefined) reached.add('outputs')

        for (const write of writes) expect(write).toMatch(/^[^\n]*\n$/) // each write is one line
        const stdout = writes.join('')
        expectOnlyOwnCommands(stdout) // and each line of the step's error begins with our own words
        const errors = parseAnnotations(stdout).filter(a => a.command === 'error')
        expect(errors).toHaveLength(failed ? 1 : 0)
        for (const { message } of errors) expect(message.length).toBeLessThan(4000)

        // No output (the run ended before them), or exactly ours; a jobs-file holds what `jobs` holds.
        expect([[], [...ACTION_OUTPUTS].sort()]).toContainEqual(Object.keys(outputs).sort())
        const jobs = outputs.jobs ?? '[]'
        const file = outputs['jobs-file'] ? readFileSync(outputs['jobs-file'], 'utf8') : jobs
        expect(JSON.parse(file)).toEqual(JSON.parse(jobs))
        expectInertSummary(summary)
      }),
      { numRuns: 500 }
    )
    const wrote = ['<table>', '<ul>', 'debug', 'error', 'error lines', 'info', 'notice', 'outputs', 'warning']
    expect([...reached].sort()).toEqual(wrote)
  })
})

// ---- End to end: the bundle, with the nastiest text a branch name can hold -----------------------------

/** What a branch name may hold: anything but control characters (the settings refuse those). */
const NASTY =
  '::error::pwned %0A%25 ##[error]x <script>alert(1)</script> | `rm` [x](javascript:alert(1)) *_~ &lt; \\'
const NASTY_BRANCH = `evil/${NASTY}`
const NASTY_COMMIT = `${NASTY}\n::add-mask::hunter2\r\n::stop-commands::t\u2028::warning::x\u0085\u001b[31m\u0000::notice::y`

describe('end to end through dist/index.js', () => {
  it('a pull_request_target head ref, its commit messages and what the service says stay inert', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, NASTY_BRANCH, 2, { status: 'RUNNING', commitMessage: NASTY_COMMIT })
    const refusal = { status: 400, errorType: 'BadRequestException', message: NASTY_COMMIT }
    server.addFault({ kind: 'error', operation: 'StopJob', ...refusal }) // the first StopJob
    const opened = pullRequestEvent(7, { ref: NASTY_BRANCH, sha: 'a'.repeat(40) }, 'opened')

    const result = await runStep(server, {
      inputs: { 'app-id': APP },
      event: { ...opened, name: 'pull_request_target' }
    })

    expect(expectOnlyOwnCommands(result.stdout)).toEqual(['error'])
    // A sentence quotes at most 80 characters of a branch name; the outputs and summary carry it whole.
    expectFailure(
      result,
      `Amplify refused StopJob for job `,
      `on branch ${JSON.stringify(`${NASTY_BRANCH.slice(0, 79)}…`)}`
    )
    expectInertSummary(result.summary)
    expect(result.stdout).toContain(JSON.stringify(firstLine(NASTY_COMMIT)))
    expect(decodeEntities(result.summary)).toContain(NASTY_BRANCH)
    const jobs = result.jobs?.map(j => `${j.branchName} ${j.result}`).sort()
    expect(jobs).toEqual([`${NASTY_BRANCH} failed`, `${NASTY_BRANCH} stopped`]) // the text, as written
    expect(statuses(server).sort()).toEqual(['GetJob 200', 'ListJobs 200', 'StopJob 200', 'StopJob 400'])
  })
})
