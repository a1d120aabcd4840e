// Wording, in one place: the exact sentences users read in the main cases, and the bounds every message
// keeps whatever it is given (issue 15): at most 1,000 characters a line, a step error under 4,000.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { describeFailure } from '../../src/amplify.js'
import { groupFailures } from '../../src/conclude.js'
import type { Operation } from '../../src/errors.js'
import type { Job, JobOutcome, JobResult } from '../../src/jobs.js'
import * as messages from '../../src/messages.js'
import { failureOf } from '../../src/plan.js'
import type { BranchPlan, Failure, FilterInput, NothingFound, Selection } from '../../src/types.js'

const APP = 'd1a2b3c4d5e6f7'
const job = (jobId: string, status: string, extra: Partial<Job> = {}): Job => ({
  ...{ appId: APP, branchName: 'main', jobId, jobArn: `arn:${jobId}`, status, ...extra }
})
const selection: Selection = {
  ...{ keepNewest: false, commitId: 'abcdef0', statuses: ['PENDING'] },
  ...{ jobTypes: ['MANUAL', 'RETRY'], olderThanSeconds: 7200 }
}
const branchPlan = (branchName: string, extra: Partial<BranchPlan> = {}): BranchPlan => ({
  ...{ target: { appId: APP, branchName }, decided: [], toStop: [], unknownStatus: [], stuck: [] },
  ...{ leftAlone: {}, listed: 1, pages: 1, ...extra }
})
const oneBranch = (plan: BranchPlan, findTimeoutSeconds = 0): NothingFound => ({
  ...{ kind: 'one-branch', plan, selection, findTimeoutSeconds }
})
const severalBranches = (
  branches: number,
  apps: number,
  leftAlone = {},
  findTimeoutSeconds = 0
): NothingFound => ({
  ...{ kind: 'several-branches', branches, apps, leftAlone, selection, findTimeoutSeconds }
})

it.each([
  [0, '0s'],
  [90, '1m30s'],
  [5400, '1h30m'],
  [7200, '2h'],
  [86401, '1d1s'],
  [59.6, '1m']
])('a duration of %d s reads %s, in the forms the inputs take', (seconds, text) => {
  expect(messages.duration(seconds)).toBe(text)
})

describe('why nothing was stopped', () => {
  it.each<[NothingFound, string]>([
    [
      { kind: 'no-app', repository: 'https://github.com/octo/site' },
      'No Amplify app in this region is connected to the repository https://github.com/octo/site: nothing to stop. Check aws-region, or list the app ids.'
    ],
    [
      oneBranch(branchPlan('main')),
      `No job building commit abcdef0 is in progress on branch "main" of app ${APP} (1 job listed).`
    ],
    [
      oneBranch(branchPlan('pr-42', { leftAlone: { 'older-than': 2 } })),
      `No job was stopped on branch "pr-42" of app ${APP}: 2 jobs are in progress, but older-than (2h) left them alone.`
    ],
    [
      oneBranch(branchPlan('main', { leftAlone: { statuses: 1 } }), 300),
      `No job was stopped on branch "main" of app ${APP}: 1 job is in progress, but statuses (PENDING) left it alone. Looked for 5m (find-timeout).`
    ],
    [
      oneBranch(branchPlan('main', { leftAlone: { 'job-types': 2, 'commit-id': 1 } })),
      `No job was stopped on branch "main" of app ${APP}: 3 jobs are in progress, but commit-id (abcdef0) left 1 alone and job-types (MANUAL, RETRY) left 2 alone.`
    ],
    [
      oneBranch(branchPlan('pr-12', { missingBranch: 'Branch "pr-12" was not found.' })),
      `Branch "pr-12" was not found in app ${APP}: nothing to stop (Amplify deletes a preview branch when its pull request closes).`
    ],
    [
      oneBranch(branchPlan('dev', { missingBranch: 'Branch "dev" was not found.' })),
      'Branch "dev" was not found. Nothing to stop.'
    ],
    [severalBranches(3, 2), 'No job is in progress on any of the 3 branches read in 2 apps.'],
    [
      severalBranches(4, 1, { 'older-than': 2 }, 60),
      'No job was stopped on any of the 4 branches read in 1 app: 2 jobs are in progress, but older-than (2h) left them alone. Looked for 1m (find-timeout).'
    ]
  ])('%j', (nothing, note) => {
    expect(messages.nothingFoundNote(nothing)).toBe(note)
  })

  it.each<[string | undefined, Partial<Record<FilterInput, number>>, string]>([
    [undefined, {}, `No job is in progress on branch "dev" of app ${APP}.`],
    [
      undefined,
      { statuses: 3 },
      `Nothing to stop on branch "dev" of app ${APP}: 3 jobs are in progress, but statuses (PENDING) left them alone.`
    ],
    ['Branch not found.', {}, `App ${APP} has no branch "dev": nothing to stop there.`]
  ])('one of several branches (missing: %j, left alone: %j)', (missing, leftAlone, line) => {
    const branch = { appId: APP, branchName: 'dev' }
    expect(messages.nothingOnBranch(branch, missing, leftAlone, selection)).toBe(line)
  })

  it('never says nothing is in progress when the filters left jobs alone', () => {
    const inputs = fc.constantFrom<FilterInput>('commit-id', 'statuses', 'job-types', 'older-than')
    fc.assert(
      fc.property(fc.dictionary(inputs, fc.nat(5)), leftAlone => {
        const total = Object.values(leftAlone).reduce((sum, n) => sum + n, 0)
        const notes = [
          messages.nothingFoundNote(oneBranch(branchPlan('main', { leftAlone }))),
          messages.nothingFoundNote(severalBranches(2, 1, leftAlone)),
          messages.nothingOnBranch({ appId: APP, branchName: 'main' }, undefined, leftAlone, selection)
        ]
        for (const note of notes) {
          expect(/No job (building commit \S+ )?is in progress/.test(note)).toBe(total === 0)
          expect(note.includes(`${total === 1 ? '1 job is' : `${total} jobs are`} in progress`)).toBe(
            total > 0
          )
        }
      })
    )
  })
})

describe('a line per job', () => {
  const commit = ', commit abcdef0 "Fix the login page"'
  it.each<[JobResult, string, Partial<JobOutcome>, string]>([
    [
      'stopped',
      'CANCELLING',
      { previousStatus: 'RUNNING' },
      'Stopped job 7 on branch "main" (RUNNING → CANCELLING)'
    ],
    [
      'stopped',
      'CANCELLING',
      { previousStatus: 'CANCELLING' },
      'Stopped job 7 on branch "main" (CANCELLING)'
    ],
    ['already-ended', 'SUCCEED', {}, 'Job 7 on branch "main" had already ended (SUCCEED); nothing to stop'],
    [
      'already-stopping',
      'CANCELLING',
      {},
      'Job 7 on branch "main" is already stopping (CANCELLING); not stopped again'
    ],
    ['would-stop', 'RUNNING', {}, 'Would stop job 7 on branch "main" (RUNNING); dry run, no StopJob sent'],
    ['kept', 'PENDING', {}, 'Kept job 7 on branch "main" running (PENDING): it is the newest'],
    [
      'kept',
      'PENDING',
      { newerLeftAlone: true },
      'Kept job 7 on branch "main" running (PENDING): it is the newest of those selected (a newer job in progress was left alone by the filters)'
    ],
    ['failed', 'RUNNING', { error: 'Refused.' }, 'Could not stop job 7 on branch "main" (RUNNING): Refused.']
  ])('%s (%s, %j)', (result, status, extra, line) => {
    const withCommit = job('7', status, {
      commitId: 'abcdef0123',
      commitMessage: 'Fix the login page\n\nBody'
    })
    const o = { job: withCommit, result, ...extra }
    expect(messages.describeOutcome(o)).toBe(line + commit)
    expect(messages.describeOutcome(o, true)).toBe(line.replace('"main"', `"main" of app ${APP}`) + commit)
    expect(messages.describeOutcome({ ...o, job: job('7', status) })).toBe(line) // no commit: a manual deploy
  })
})

describe('jobs stuck CANCELLING, and the wait', () => {
  it('a stuck job: app, branch, job, how long ago it started, and to ask AWS Support', () => {
    expect(messages.stuckCancelling(job('42', 'CANCELLING', { branchName: 'pr-7' }), 3 * 3600 + 60)).toBe(
      `Job 42 on branch "pr-7" of app ${APP} is stuck CANCELLING: it started 3h1m ago, and Amplify cannot stop a job that is already stopping. Ask AWS Support to end it.`
    )
    expect(messages.moreStuck(5, 15)).toBe(
      'More jobs stuck CANCELLING: 5 besides those above (stuck-count 15); the jobs output and jobs-file list every one.'
    )
  })

  it('still waiting: one job by name; several by count of each status and of branches', () => {
    expect(messages.stillWaiting([job('8', 'CANCELLING')], 30_400, 120, false)).toBe(
      'Still waiting after 30s of 2m (wait-timeout) for job 8 on branch "main" (CANCELLING)'
    )
    const many = Array.from({ length: 300 }, (_, i) =>
      job(String(i), 'CANCELLING', { branchName: `b${i % 150}` })
    )
    expect(messages.stillWaiting([...many, job('9', 'RUNNING', { appId: 'd2' })], 60_000, 300, true)).toBe(
      'Still waiting after 1m of 5m (wait-timeout) for 301 jobs on 151 branches: 300 CANCELLING and 1 RUNNING'
    )
  })

  it('wait-timeout names the jobs that did not end by app and branch, the first few of each', () => {
    const unfinished = (appId: string, branchName: string, ...ids: string[]) =>
      ids.map(id => ({ job: job(id, 'CANCELLING', { appId, branchName }), result: 'stopped' as const }))
    expect(messages.waitTimedOut(unfinished(APP, 'main', '7'), 300)).toBe(
      `Waited 5m (wait-timeout), but this job has not ended: app ${APP}: "main" (job 7 CANCELLING). Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the jobs in the Amplify console.`
    )
    const many = [
      ...[...unfinished('d1', 'main', '9', '8', '7'), ...unfinished('d1', 'dev', '5')],
      ...['a', 'b', 'c', 'd'].flatMap(b => unfinished('d2', b, '1')),
      ...['d3', 'd4'].flatMap(a => unfinished(a, 'main', '2'))
    ]
    expect(messages.waitTimedOut(many, 90)).toBe(
      'Waited 1m30s (wait-timeout), but 10 jobs have not ended: app d1: "main" (job 9 CANCELLING, job 8 CANCELLING and 1 more job) and "dev" (job 5 CANCELLING); app d2: "a" (job 1 CANCELLING), "b" (job 1 CANCELLING) and 2 more branches; and 2 more apps. Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the jobs in the Amplify console.'
    )
  })
})

describe('failures', () => {
  const subject = { region: 'us-east-1', appId: APP, branchName: 'main', jobId: '42' }
  const say = messages.requestFailures
  const NETWORK = "Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and re-run."
  const THROTTLED =
    'Wait and re-run the job, or run fewer Amplify calls at once (AWS_MAX_ATTEMPTS raises the retries).'

  it.each([
    [
      say.denied('StopJob', subject, 'AccessDeniedException', 'no', 'arn:x/jobs/42', 'arn:x/*'),
      `Amplify StopJob for job 42 on branch "main" was denied (AccessDeniedException: no). Allow amplify:StopJob on arn:x/jobs/42 in the policy of the role this step uses.`,
      'Allow amplify:StopJob on arn:x/* in the policy of the role this step uses.'
    ],
    [
      say.throttled('ListJobs', subject, 'ThrottlingException', 5),
      `Amplify kept throttling ListJobs for job 42 on branch "main" after 5 attempts (ThrottlingException). ${THROTTLED}`,
      THROTTLED
    ],
    [
      say.appNotFound('ListJobs', subject, 'App not found: d9'),
      `App ${APP} was not found in us-east-1 (Amplify ListJobs: App not found: d9). Check app-id and aws-region.`,
      'Check app-id and aws-region.'
    ],
    [
      say.timedOut('GetJob', subject, 1),
      `Amplify did not answer GetJob for job 42 on branch "main" in time. ${NETWORK}`,
      NETWORK
    ]
  ])('%#: the whole message, and the advice said once per group', (text, message, advice) => {
    expect(text).toMatchObject({ message, advice })
  })

  const failure = (
    appId: string,
    branchName: string,
    reason = 'throttled (ThrottlingException)'
  ): Failure => ({
    ...{ appId, branchName, operation: 'ListJobs', kind: 'throttled', reason },
    ...{ advice: 'Wait and re-run the job.', message: `Throttled on ${branchName}.` }
  })

  it('one failure of several branches is led by where it happened', () => {
    expect(messages.failureLine(failure('d1', 'pr-1'), true)).toBe('[app d1, ListJobs] Throttled on pr-1.')
    expect(messages.failureLine(failure('d1', 'pr-1'), false)).toBe('Throttled on pr-1.')
  })

  it('several failures: grouped with counts, the first few targets and how many more, the advice once', () => {
    const failures: Failure[] = [
      ...Array.from({ length: 5 }, (_, i) => failure('d1', `pr-${i}`)),
      failure('d2', 'main', 'denied (AccessDeniedException)'),
      { ...failure('d2', 'dev'), operation: 'StopJob', jobId: '7', advice: 'Allow amplify:StopJob.' },
      { operation: 'ListApps', kind: 'network', reason: 'unreachable (ECONNRESET)', advice: '', message: 'x' }
    ]
    const advice = [...new Set(failures.map(f => f.advice).filter(Boolean))]
    expect(messages.severalFailed(failures.length, groupFailures(failures), advice).split('\n')).toEqual([
      '8 Amplify requests failed (everything else was acted on and reported):',
      'App d1, ListJobs: throttled (ThrottlingException) for 5 branches ("pr-0", "pr-1", "pr-2" and 2 more).',
      'App d2, ListJobs: denied (AccessDeniedException) for 1 branch ("main").',
      'App d2, StopJob: throttled (ThrottlingException) for 1 job (job 7 on "dev").',
      'ListApps: unreachable (ECONNRESET).',
      'To fix: Wait and re-run the job.',
      'To fix: Allow amplify:StopJob.'
    ])
  })

  it('more than 8 groups: the first 8, and a line counting the rest', () => {
    const failures = Array.from({ length: 11 }, (_, i) => failure(`d${i}`, 'main'))
    const text = messages.severalFailed(11, groupFailures(failures), [])
    expect(text.split('\n')).toHaveLength(10)
    expect(text).toMatch(
      /\nApp d7, ListJobs: .*\nAnd 3 more groups of failures; the step summary lists them\.$/
    )
  })

  it.each([
    [
      [{ name: 'dry_run', closest: 'dry-run' }],
      'Input "dry_run" (did you mean dry-run?) is not an input',
      'it'
    ],
    [[{ name: 'token' }], 'Input "token" is not an input', 'it'],
    [
      [...'abcdef'].map(name => ({ name, closest: name === 'b' ? 'wait' : undefined })),
      'Inputs "a", "b" (did you mean wait?), "c" and 3 more are not inputs',
      'them'
    ]
  ])('unknown inputs %j', (unknown, start, them) => {
    expect(messages.inputErrors.unknownInputs(unknown)).toBe(
      `${start} of amplify-stop-job: the step stops here rather than run without ${them}. Fix the name in the step's with:, or remove it (action.yml lists every input).`
    )
  })
})

// ---- bounds: whatever the text, every line at most 1,000 characters, the step's error under 4,000 -------

const expectBoundedLines = (text: string) =>
  expect(Math.max(...text.split('\n').map(line => line.length))).toBeLessThanOrEqual(1000)

/** A branch name as Amplify allows it: up to 255 characters of anything, quotes and backslashes included. */
const anyBranch = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', 'é', '😀', 'a'), minLength: 200, maxLength: 255 })
)
const anyText = fc.string({ unit: 'binary', maxLength: 2000 })
const anyOperation = fc.constantFrom<Operation>('ListApps', 'ListBranches', 'ListJobs', 'StopJob', 'GetJob')
const anyErrorName = fc.constantFrom(
  ...['AccessDeniedException', 'NotFoundException', 'ThrottlingException', 'BadRequestException'],
  ...['InternalFailureException', 'ExpiredTokenException', 'TimeoutError', 'SomethingNew']
)

const arnLike = fc.string({ unit: fc.constantFrom('a', '/', '-', '"'), minLength: 200, maxLength: 400 })
/** A failure as the run makes them: a service error on a branch, described and kept with where it happened. */
function failureFrom({
  name,
  said,
  operation,
  ...where
}: Record<'name' | 'said' | 'appId' | 'branchName' | 'jobId', string> & { operation: Operation }) {
  const error = Object.assign(new Error(said), { name, $metadata: { attempts: 5 } })
  return failureOf(describeFailure(error, operation, { region: 'us-east-1', ...where }), where, operation)
}
const anyFailure = fc
  .record({
    name: anyErrorName,
    said: fc.oneof(
      anyText,
      arnLike.map(arn => `User: x is not authorized on resource: arn:${arn}`)
    ),
    operation: anyOperation,
    appId: fc.stringMatching(/^d[a-z0-9]{1,19}$/),
    branchName: anyBranch,
    jobId: fc.stringMatching(/^[0-9]{1,10}$/)
  })
  .map(failureFrom)
const RESULTS = 'stopped already-ended already-stopping would-stop kept failed'.split(' ') as JobResult[]
const LONG_BRANCH = '"'.repeat(255)
const denial = { name: 'AccessDeniedException', operation: 'StopJob' as const, appId: 'd1', jobId: '1' }
/** The longest a denial gets: a branch of 255 quotes, IAM's message naming a long resource. */
const longestDenial = failureFrom({
  ...denial,
  branchName: LONG_BRANCH,
  said: `on resource: arn:${'a'.repeat(400)}`
})
const longestJob = {
  ...job('1', 'RUNNING', { branchName: LONG_BRANCH }),
  commitId: 'a'.repeat(40),
  commitMessage: ''
}

const anyJob = fc
  .record({
    appId: fc.stringMatching(/^d[a-z0-9]{1,19}$/),
    branchName: anyBranch,
    jobId: fc.stringMatching(/^[0-9]{1,10}$/),
    status: fc.constantFrom<string>('RUNNING', 'CANCELLING', 'PENDING', 'SOMETHING_NEW'),
    commitId: fc.stringMatching(/^[0-9a-f]{40}$/),
    commitMessage: anyText
  })
  .map(j => ({ ...j, jobArn: `arn:${j.jobId}` }))

describe('bounds (properties)', () => {
  it('a line per job, whatever its branch, commit message and the error of its stop', () => {
    fc.assert(
      fc.property(anyJob, anyFailure, fc.boolean(), (j, f, namesApp) => {
        for (const result of RESULTS) {
          const o: JobOutcome = { job: j, result, previousStatus: 'RUNNING', error: f.message }
          expectBoundedLines(messages.describeOutcome(o, namesApp))
        }
        expectBoundedLines(messages.unknownStatus(j, namesApp))
        expectBoundedLines(messages.onlyNewestInProgress(j, namesApp))
        expectBoundedLines(messages.statusChanged(j, 'RUNNING', namesApp))
        expectBoundedLines(messages.stuckCancelling(j, 86400 * 30))
        expectBoundedLines(messages.lookingAgain(j, 3600, 5000))
      }),
      { examples: [[longestJob, longestDenial, true]], endOnFailure: true }
    )
  })

  it('one failure as the step error, and a branch not found as the if-no-job note', () => {
    fc.assert(
      fc.property(anyFailure, fc.boolean(), (f, several) => {
        expectBoundedLines(messages.failureLine(f, several))
        const missing = branchPlan(f.branchName ?? '', { missingBranch: f.message })
        expectBoundedLines(messages.nothingFoundNote(oneBranch(missing, 3600)))
        expectBoundedLines(messages.nothingOnBranch(missing.target, f.message, {}, selection))
      }),
      { examples: [[longestDenial, false]], endOnFailure: true }
    )
  })

  it('the first log line, for any branch names', () => {
    fc.assert(
      fc.property(fc.array(anyBranch, { minLength: 1, maxLength: 20 }), branches => {
        const apps = Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(19, '0')}`)
        expectBoundedLines(messages.runStart({ apps, branches, region: 'us-east-1', branchOrigin: 'input' }))
      }),
      { examples: [[Array.from({ length: 5 }, (_, i) => `${i}${'"'.repeat(254)}`)]], endOnFailure: true }
    )
  })

  it('many failures, many jobs waited for: every line bounded, the step error under 4,000 characters', () => {
    fc.assert(
      fc.property(
        fc.array(anyFailure, { maxLength: 300 }),
        fc.array(anyJob, { maxLength: 300 }),
        (failures, jobs) => {
          const groups = groupFailures(failures)
          const advice = [...new Set(failures.map(f => f.advice).filter(Boolean))]
          const error = messages.severalFailed(failures.length, groups, advice)
          expect(error.length).toBeLessThan(4000)
          expectBoundedLines(error)
          for (const group of groups) expectBoundedLines(messages.failureGroupLine(group))
          const unfinished = jobs.map(j => ({ job: j, result: 'stopped' as const }))
          expectBoundedLines(messages.waitTimedOut(unfinished, 21600))
          expectBoundedLines(messages.stillWaiting(jobs, 21_600_000, 21600, true))
        }
      ),
      { numRuns: 50 }
    )
  })

  it('100 throttled branches: one short error that gives the advice once', () => {
    const throttled = Array.from({ length: 100 }, (_, i) => {
      const error = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} })
      const where = { appId: i < 50 ? 'd1' : 'd2', branchName: `feature/${'x'.repeat(200)}-${i}` }
      return failureOf(
        describeFailure(error, 'ListJobs', { region: 'us-east-1', ...where }),
        where,
        'ListJobs'
      )
    })
    const advice = [...new Set(throttled.map(f => f.advice))]
    const error = messages.severalFailed(100, groupFailures(throttled), advice)
    expect(error.length).toBeLessThan(4000)
    expect(error.split('Wait and re-run the job')).toHaveLength(2)
    expect(error).toMatch(
      /^100 Amplify requests failed .*\nApp d1, ListJobs: throttled \(ThrottlingException\) for 50 branches \(.* and 47 more\)\.\nApp d2, /
    )
  })

  it('1,000 mixed failures: under 4,000 characters', () => {
    const failures = fc.sample(anyFailure, { numRuns: 1000, seed: 42 })
    const advice = [...new Set(failures.map(f => f.advice).filter(Boolean))]
    expect(messages.severalFailed(1000, groupFailures(failures), advice).length).toBeLessThan(4000)
  })
})
