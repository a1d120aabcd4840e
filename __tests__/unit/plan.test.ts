// Planning, in one place: every decision as plain values in and out. The job vocabulary (jobs.ts), the
// planner (plan.ts: which apps and branches, which jobs to stop, keep or leave alone, when to look again or
// wait) and the end of a run (conclude.ts: what nothing found means, how failures group, the step's error).
import { describe, expect, it } from '@jest/globals'
import { conclude, groupFailures, nothingFound } from '../../src/conclude.js'
import { ActionError, AmplifyRequestError, InputError, type ErrorKind } from '../../src/errors.js'
import * as jobs from '../../src/jobs.js'
import type { Job, JobOutcome, JobResult } from '../../src/jobs.js'
import * as messages from '../../src/messages.js'
import { appsOfRepository, failureOf, orderBranches, planBranch, planJobById } from '../../src/plan.js'
import { shouldLookAgain, shouldWait } from '../../src/plan.js'
import type { BranchPlan, Failure, Selection, Settings, StopResults, Target } from '../../src/types.js'

const APP = 'd1a2b3c4d5e6f7'
const MAIN = { appId: APP, branchName: 'main' }
const NOW = Date.UTC(2030, 0, 1, 12)
const AT_NOW = { dryRun: false, nowMs: NOW }
const ago = (seconds: number) => NOW - seconds * 1000

function job(jobId: string, status: string, extra: Partial<Job> = {}): Job {
  return { ...MAIN, jobId, jobArn: `arn:${jobId}`, status, ...extra }
}
const outcome = (jobId: string, result: JobResult, status = 'CANCELLING'): JobOutcome => ({
  job: job(jobId, status),
  result
})
/** Jobs from "id:STATUS id:STATUS …", each with the fields `extra` gives it. */
const listed = (pairs: string, extra: (id: string) => Partial<Job> = () => ({})): Job[] =>
  pairs.split(' ').map(pair => job(pair.split(':')[0], pair.split(':')[1], extra(pair.split(':')[0])))

type Options = Partial<Selection> & { dryRun?: boolean }
function plan(list: Job[], { dryRun = false, ...selection }: Options = {}, pages = 1): BranchPlan {
  return planBranch(
    MAIN,
    { listing: { jobs: list, pages } },
    { keepNewest: false, ...selection },
    { ...AT_NOW, dryRun }
  )
}

/** A plan in one line: "stop 7 6 | 8 already-stopping, 5 kept | unknown 9 | stuck 8 | left alone {…}". */
function summary(p: BranchPlan): string {
  const ids = (list: Job[]) => list.map(j => j.jobId).join(' ')
  const decided = p.decided.map(
    o => `${o.job.jobId} ${o.result}${o.newerLeftAlone ? ' (newer left alone)' : ''}`
  )
  const parts = [
    `stop ${ids(p.toStop)}`,
    decided.join(', '),
    `unknown ${ids(p.unknownStatus)}`,
    `stuck ${ids(p.stuck)}`
  ]
  return [...parts, `left alone ${JSON.stringify(p.leftAlone, Object.keys(p.leftAlone).sort())}`].join(' | ')
}

describe('the job vocabulary', () => {
  it.each([
    ...['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING'].map(s => [s, 'in-progress', 'would-stop'] as const),
    ['CANCELLING', 'stopping', 'already-stopping'],
    ...['SUCCEED', 'FAILED', 'CANCELLED'].map(s => [s, 'final', 'already-ended'] as const),
    // An unknown (future) status is never final, so a wait never ends early on one; a stop is sent.
    ...['DEPLOYING', '', 'running', 'cancelled'].map(s => [s, 'unknown', 'would-stop'] as const)
  ])('%j is %s: a stop comes to %s', (status, statusClass, result) => {
    expect(jobs.classifyStatus(status)).toBe(statusClass)
    expect(jobs.isFinal(status)).toBe(statusClass === 'final')
    expect(jobs.resultFor(jobs.classifyStatus(status))).toBe(result)
  })

  it.each<[JobResult, string, boolean]>([
    ['stopped', 'CANCELLING', true],
    ['stopped', 'NEW_STATUS', true],
    ['stopped', 'CANCELLED', false],
    ['already-stopping', 'CANCELLING', true],
    ['already-stopping', 'FAILED', false],
    ['already-ended', 'SUCCEED', false],
    ['would-stop', 'RUNNING', false],
    ['kept', 'RUNNING', false],
    ['failed', 'RUNNING', false]
  ])('needsWaiting: %s while %s is %s', (result, status, expected) => {
    expect(jobs.needsWaiting(outcome('1', result, status))).toBe(expected)
  })

  it.each([
    ['9', '10', -1],
    ['007', '7', 0],
    ['0000000042', '41', 1],
    ['0', '000', 0],
    ['99', '100', -1],
    // beyond 2^53, where Number() would call these equal
    ['9007199254740993', '9007199254740992', 1],
    ['12345678901234567890123', '12345678901234567890124', -1]
  ])('compareJobIds orders %s and %s as numbers: %i', (a, b, sign) => {
    expect(Math.sign(jobs.compareJobIds(a, b))).toBe(sign)
    expect(Math.sign(jobs.compareJobIds(b, a)) + 0).toBe(-sign + 0)
  })

  it('newestFirst sorts by numeric id and leaves its argument alone', () => {
    const list = listed(
      '9:RUNNING 0011:RUNNING 100:RUNNING 9007199254740993:RUNNING 9007199254740992:RUNNING'
    )
    expect(
      jobs
        .newestFirst(list)
        .map(j => j.jobId)
        .join(' ')
    ).toBe('9007199254740993 9007199254740992 100 0011 9')
    expect(list[0].jobId).toBe('9')
  })
})

describe('which apps and branches', () => {
  const URL = 'https://github.com/Octo/Site'
  const app = (appId: string, name: string, repository = URL) => ({ appId, name, repository })

  it.each([
    ...[URL, 'https://github.com/octo/site', 'HTTPS://GITHUB.COM/OCTO/SITE', `${URL}.git`].map(r => [r, 1]),
    ...[`${URL}/`, `${URL}.git/`, 'https://github.com/octo/site.GIT', ` ${URL} `].map(r => [r, 1]),
    ...[`${URL}2`, 'https://github.com/Octo/Sit', 'https://github.com/Other/Site'].map(r => [r, 0]),
    ...[`${URL}/tree/main`, 'https://gitlab.com/Octo/Site', `${URL}.github`, ''].map(r => [r, 0])
  ])('an app connected to %j is this repository: %i', (repository, n) => {
    const apps = appsOfRepository([app('d1', 'a', repository as string)], 'https://GitHub.com/Octo/Site.git/')
    expect(apps).toHaveLength(n as number)
  })

  it("this repository's apps by name, then id, in code-unit order (B before a)", () => {
    const apps = [
      app('d3', 'a'),
      app('dx', 'A', 'https://github.com/o/other'),
      app('d2', 'B'),
      app('d10', 'a')
    ]
    apps.push(app('d1', 'b'), app('d5', 'é'))
    const ordered = appsOfRepository(apps, URL).map(a => `${a.name}/${a.appId}`)
    expect(ordered.join(' ')).toBe('B/d2 a/d10 a/d3 b/d1 é/d5')
  })

  it('every branch, by name in code-unit order, not by locale or number', () => {
    const names = ['main', 'Main', 'feature/b', 'feature/a', 'pr-10', 'pr-9', 'Ä', '_x']
    expect(orderBranches(names).join(' ')).toBe('Main _x feature/a feature/b main pr-10 pr-9 Ä')
    expect(names[0]).toBe('main')
  })
})

describe('planBranch: which jobs of a branch to stop, keep or leave alone', () => {
  it('without filters: every in-progress job newest first; CANCELLING already stopping; unknown left alone', () => {
    const p = plan(
      listed(
        '1:SUCCEED 2:FAILED 3:CANCELLED 4:CREATED 5:PENDING 6:PROVISIONING 7:RUNNING 8:CANCELLING 9:NEW'
      ),
      {},
      3
    )
    expect(summary(p)).toBe('stop 7 6 5 4 | 8 already-stopping | unknown 9 | stuck  | left alone {}')
    expect(p).toMatchObject({ target: MAIN, listed: 9, pages: 3 })
    expect(p.decided[0]).toEqual({
      job: job('8', 'CANCELLING'),
      result: 'already-stopping',
      previousStatus: 'CANCELLING'
    })
    expect(summary(plan(listed('9:RUNNING 10:PENDING 0008:RUNNING 100:CREATED')))).toMatch(
      /^stop 100 10 9 0008 /
    )
  })

  const commit = (id: string) => ({
    commitId: { 1: 'ABCDEF0123', 2: '1234567890', 3: 'abcdef0fff', 5: 'abcdef0aaa' }[id]
  })
  const type = (id: string) => ({ jobType: { 1: 'WEB_HOOK', 2: 'MANUAL', 3: 'RELEASE', 5: 'MANUAL' }[id] })
  const start = (id: string) => ({
    startTime: { 1: ago(7200), 2: ago(3600), 3: ago(3599), 5: ago(5000), 6: ago(10) }[id]
  })
  const skewed = (id: string) =>
    id === '8' ? { startTime: NOW + 60_000 } : id === '7' ? { startTime: ago(4000) } : start(id)
  const by = (commitId: string, jobType: string, started: number) => ({
    commitId,
    jobType,
    startTime: ago(started)
  })

  it.each<[string, Job[], Options, string]>([
    [
      'commit-id: a prefix, any case; a job without a commit never matches',
      listed('1:RUNNING 2:PENDING 3:CANCELLING 4:RUNNING 5:NEW 6:SUCCEED', commit),
      { commitId: 'abcdef0' },
      'stop 1 | 3 already-stopping | unknown 5 | stuck  | left alone {"commit-id":2}'
    ],
    [
      'statuses: only PENDING, so CANCELLING and unknown jobs are no candidates either',
      listed('1:RUNNING 2:PENDING 3:CANCELLING 4:CREATED 5:NEW'),
      { statuses: ['PENDING'] },
      'stop 2 |  | unknown  | stuck  | left alone {"statuses":2}'
    ],
    [
      'job-types: a job whose type Amplify did not give never matches',
      listed('1:RUNNING 2:RUNNING 3:PENDING 4:PENDING 5:CANCELLING', type),
      { jobTypes: ['MANUAL', 'RETRY'] },
      'stop 2 | 5 already-stopping | unknown  | stuck  | left alone {"job-types":3}'
    ],
    [
      'older-than: that long ago at least; without a start time, or one in the future, left alone and counted',
      listed('1:RUNNING 2:RUNNING 3:PENDING 4:RUNNING 5:CANCELLING 6:CANCELLING 7:NEW 8:RUNNING', skewed),
      { olderThanSeconds: 3600 },
      'stop 2 1 | 5 already-stopping | unknown 7 | stuck 5 | left alone {"older-than":3}'
    ],
    [
      'each job left alone is counted once, by the first filter that leaves it alone',
      [
        job('1', 'RUNNING', by('bbbbbbb', 'RETRY', 10)),
        job('2', 'RUNNING', by('aaaaaaa', 'RETRY', 10)),
        job('3', 'PENDING', by('aaaaaaa', 'MANUAL', 10)),
        job('4', 'RUNNING', by('aaaaaaa', 'MANUAL', 10)),
        job('5', 'RUNNING', by('aaaaaaa', 'MANUAL', 100)),
        job('6', 'SUCCEED', { commitId: 'bbbbbbb' })
      ],
      { commitId: 'aaaaaaa', statuses: ['RUNNING'], jobTypes: ['MANUAL'], olderThanSeconds: 60 },
      'stop 5 |  | unknown  | stuck  | left alone {"commit-id":1,"job-types":1,"older-than":1,"statuses":1}'
    ],
    [
      'keep-newest: the highest id in progress, not the last listed, nor a newer one stopping, ended or unknown',
      listed('10:PENDING 9:RUNNING 11:CREATED 12:CANCELLING 13:FAILED 14:NEW 000008:RUNNING'),
      { keepNewest: true },
      'stop 10 9 000008 | 12 already-stopping, 11 kept | unknown 14 | stuck  | left alone {}'
    ],
    [
      'keep-newest with nothing in progress',
      listed('4:SUCCEED'),
      { keepNewest: true },
      'stop  |  | unknown  | stuck  | left alone {}'
    ],
    [
      'keep-newest keeps the newest of what the filters leave, and says a newer one in progress was left alone',
      listed('5:RUNNING 6:PENDING 7:PENDING 8:SUCCEED', id => ({
        commitId: id === '7' ? 'bbbbbbb' : 'aaaaaaa'
      })),
      { keepNewest: true, commitId: 'aaaaaaa' },
      'stop 5 | 6 kept (newer left alone) | unknown  | stuck  | left alone {"commit-id":1}'
    ],
    [
      'keep-newest: a newer job the filters left alone that is not in progress does not count',
      listed('5:RUNNING 6:PENDING 7:CANCELLING 8:SUCCEED', id => ({
        commitId: id > '6' ? 'bbbbbbb' : 'aaaaaaa'
      })),
      { keepNewest: true, commitId: 'aaaaaaa' },
      'stop 5 | 6 kept | unknown  | stuck  | left alone {}'
    ],
    [
      'keep-newest: nor does an older one left alone',
      listed('5:RUNNING 6:PENDING 7:PENDING', id => ({ jobType: id === '5' ? 'RELEASE' : 'MANUAL' })),
      { keepNewest: true, jobTypes: ['MANUAL'] },
      'stop 6 | 7 kept | unknown  | stuck  | left alone {"job-types":1}'
    ],
    [
      'stuck: CANCELLING since older-than ago at least, whatever the other filters say',
      [
        job('1', 'CANCELLING', { startTime: ago(7200), commitId: 'bbbbbbb' }),
        ...listed('2:CANCELLING 3:CANCELLING', id => (id === '2' ? { startTime: ago(60) } : {})),
        job('4', 'RUNNING', { startTime: ago(7200), commitId: 'aaaaaaa' })
      ],
      { olderThanSeconds: 3600, commitId: 'aaaaaaa', statuses: ['RUNNING'] },
      'stop 4 |  | unknown  | stuck 1 | left alone {}'
    ],
    [
      'no stuck jobs without older-than',
      listed('1:CANCELLING', () => ({ startTime: 0 })),
      {},
      'stop  | 1 already-stopping | unknown  | stuck  | left alone {}'
    ],
    [
      'a dry run decides every selected job would-stop, newest first with the rest, and sends nothing',
      listed('7:RUNNING 8:CANCELLING 9:PENDING 6:SUCCEED 5:X 10:CREATED'),
      { dryRun: true, keepNewest: true },
      'stop  | 10 kept, 9 would-stop, 8 already-stopping, 7 would-stop | unknown 5 | stuck  | left alone {}'
    ]
  ])('%s', (_, list, options, expected) => {
    expect(summary(plan(list, options))).toBe(expected)
  })

  const readingFailed = (error: unknown) => planBranch(MAIN, { error }, { keepNewest: false }, AT_NOW)
  const notFound = (missing: 'app' | 'branch' | 'app-or-branch') =>
    new AmplifyRequestError('not-found', `Not found: ${missing}.`, {
      ...{ operation: 'ListJobs', errorName: 'NotFoundException', missing },
      ...{ reason: `${missing} not found`, advice: 'Check it.' }
    })
  const empty = { target: MAIN, decided: [], toStop: [], unknownStatus: [], stuck: [], leftAlone: {} }

  it.each(['branch', 'app-or-branch'] as const)(
    'a missing %s is no failure: nothing to stop there',
    missing => {
      expect(readingFailed(notFound(missing))).toEqual({ ...empty, missingBranch: `Not found: ${missing}.` })
    }
  )

  it.each<[string, Error, Partial<Failure>]>([
    ['a missing app', notFound('app'), { kind: 'not-found', reason: 'app not found', advice: 'Check it.' }],
    [
      'any ActionError',
      new ActionError('network', 'Unreachable.'),
      { kind: 'network', reason: 'network', advice: '' }
    ]
  ])('%s is a failure of the branch', (_, error, failure) => {
    const expected = { ...MAIN, operation: 'ListJobs', message: error.message, ...failure }
    expect(readingFailed(error)).toEqual({ ...empty, failure: expected })
  })

  it.each([new TypeError('x is undefined'), 'a string', undefined])(
    'anything else (%p) is a bug: rethrown',
    e => {
      expect(() => readingFailed(e)).toThrow()
    }
  )
})

describe('one job by id, the next look, the wait', () => {
  it.each<[string, JobResult]>([
    ['RUNNING', 'would-stop'],
    ['CANCELLING', 'already-stopping'],
    ['SUCCEED', 'already-ended'],
    ['NEW_STATUS', 'would-stop']
  ])('planJobById, a dry run by job id: %s → %s', (status, result) => {
    expect(planJobById(job('42', status))).toEqual({ job: job('42', status), result, previousStatus: status })
  })

  const failed = { ...plan([]), failure: failureOf(new ActionError('network', 'x'), MAIN, 'ListJobs') }
  it.each<[string, BranchPlan, number, boolean]>([
    ['nothing matched yet', plan([job('1', 'SUCCEED')]), NOW, true],
    ['nothing matched, the deadline passed', plan([job('1', 'SUCCEED')]), NOW + 1000, false],
    ['the branch is not there yet', { ...plan([]), missingBranch: 'Branch not found.' }, NOW, true],
    ['a job to stop', plan([job('1', 'RUNNING')]), NOW, false],
    ['a kept job is found', plan([job('1', 'RUNNING')], { keepNewest: true }), NOW, false],
    ['a job already stopping is found', plan([job('1', 'CANCELLING')]), NOW, false],
    ['a branch that failed', failed, NOW, false]
  ])('shouldLookAgain (find-timeout): %s → %s', (_, p, now, expected) => {
    expect(shouldLookAgain(p, now, NOW + 1000)).toBe(expected)
  })

  const waiting = [outcome('2', 'already-ended', 'SUCCEED'), outcome('1', 'stopped', 'CANCELLING')]
  it.each<[boolean, boolean, JobOutcome[], boolean]>([
    [true, false, waiting, true],
    [true, false, [outcome('1', 'already-stopping', 'CANCELLING')], true],
    [false, false, waiting, false],
    [true, true, waiting, false],
    [true, false, [outcome('1', 'stopped', 'CANCELLED')], false],
    [true, false, [outcome('1', 'kept', 'RUNNING'), outcome('2', 'would-stop', 'RUNNING')], false]
  ])('shouldWait: wait %s, dry run %s, %j → %s', (wait, dryRun, outcomes, expected) => {
    expect(shouldWait({ wait, dryRun }, outcomes)).toBe(expected)
  })
})

describe('failureOf: a failed request as the failure the step reports', () => {
  it('keeps where it happened, and the operation, reason and advice of a request error', () => {
    const request = {
      operation: 'GetJob',
      errorName: 'ThrottlingException',
      reason: 'throttled',
      advice: 'Wait.'
    } as const
    expect(
      failureOf(new AmplifyRequestError('throttled', 'Slow.', request), { ...MAIN, jobId: '7' }, 'StopJob')
    ).toEqual({
      ...{ ...MAIN, jobId: '7', operation: 'GetJob', kind: 'throttled' },
      ...{ reason: 'throttled', advice: 'Wait.', message: 'Slow.' }
    })
  })

  it('any other ActionError: the operation given, its kind as the reason, no advice', () => {
    expect(failureOf(new InputError('app-id', 'Bad.'), { appId: APP }, 'ListBranches')).toEqual({
      ...{
        appId: APP,
        operation: 'ListBranches',
        kind: 'input',
        reason: 'input',
        advice: '',
        message: 'Bad.'
      }
    })
  })

  it('rethrows anything but an ActionError', () => {
    const bug = new RangeError('bug')
    expect(() => failureOf(bug, {}, 'ListApps')).toThrow(bug)
  })
})

// ---- the end of a run ------------------------------------------------------------------------------------

const ONE: Target = {
  ...{ kind: 'discovery', apps: { kind: 'ids', ids: [APP] }, branches: { kind: 'names', names: ['main'] } },
  ...{ several: false, severalApps: false }
}
const ALL_BRANCHES: Target = { ...ONE, branches: { kind: 'all' }, several: true }
const URL = 'https://github.com/octo/site'
const REPOSITORY: Target = {
  ...ONE,
  apps: { kind: 'repository', url: URL },
  several: true,
  severalApps: true
}
const settings = (target: Target = ONE, extra: Partial<Settings> = {}): Settings => ({
  ...{
    target,
    branchSource: 'input',
    region: 'us-east-1',
    ifNoJob: 'warn',
    selection: { keepNewest: false }
  },
  ...{ findTimeoutSeconds: 0, wait: false, waitTimeoutSeconds: 300, dryRun: false, ...extra }
})
const stopped = (results: Partial<StopResults> = {}): StopResults => ({
  ...{ appsRead: 1, plans: [], outcomes: [], failures: [], ...results }
})
const failure = (
  kind: ErrorKind,
  operation: Failure['operation'],
  where: Partial<Failure> = {}
): Failure => ({
  ...{ ...where, operation, kind, reason: `${kind} reason`, advice: `Fix ${kind}.` },
  message: `${operation} ${kind} ${where.branchName ?? ''}.`
})
const branchPlan = (branchName: string, leftAlone: BranchPlan['leftAlone'] = {}): BranchPlan => ({
  ...{ ...plan([job('1', 'SUCCEED')]), target: { appId: APP, branchName }, leftAlone }
})

describe('nothingFound: the if-no-job case', () => {
  it.each<[string, StopResults]>([
    ['a kept job', stopped({ plans: [plan([])], outcomes: [outcome('1', 'kept', 'RUNNING')] })],
    ['a failure', stopped({ appsRead: 0, failures: [failure('network', 'ListApps')] })],
    [
      'a failure beside empty branches',
      stopped({ plans: [plan([])], failures: [failure('permission', 'ListJobs')] })
    ]
  ])('there is none with %s', (_, results) => {
    expect(nothingFound(settings(REPOSITORY), results)).toBeUndefined()
  })

  it('no app of this repository in the region', () => {
    expect(nothingFound(settings(REPOSITORY), stopped({ appsRead: 0 }))).toEqual({
      kind: 'no-app',
      repository: URL
    })
  })

  it('one branch: its plan, the selection and find-timeout', () => {
    const selection = { keepNewest: false, olderThanSeconds: 7200 }
    const one = branchPlan('main', { 'older-than': 2 })
    expect(
      nothingFound(settings(ONE, { selection, findTimeoutSeconds: 60 }), stopped({ plans: [one] }))
    ).toEqual({
      ...{ kind: 'one-branch', plan: one, selection, findTimeoutSeconds: 60 }
    })
  })

  it.each<[string, Target, BranchPlan[], number]>([
    ['a run over several branches that read one', ALL_BRANCHES, [branchPlan('main')], 1],
    ['every branch of an app that has none', ALL_BRANCHES, [], 1],
    [
      'several branches in two apps, their left-alone jobs summed',
      REPOSITORY,
      [
        branchPlan('a', { 'older-than': 2 }),
        branchPlan('b', { 'older-than': 1, statuses: 3 }),
        branchPlan('c')
      ],
      2
    ]
  ])('%s: several branches', (_, target, plans, apps) => {
    const leftAlone = plans.length === 3 ? { 'older-than': 3, statuses: 3 } : {}
    expect(nothingFound(settings(target), stopped({ plans, appsRead: apps }))).toEqual({
      ...{ kind: 'several-branches', branches: plans.length, apps, leftAlone },
      ...{ selection: { keepNewest: false }, findTimeoutSeconds: 0 }
    })
  })
})

describe('conclude: how a run ends', () => {
  const run = (s: Settings, results: StopResults, waited: Partial<Parameters<typeof conclude>[2]> = {}) =>
    conclude(s, results, { outcomes: results.outcomes, unfinished: [], failures: [], ...waited })
  const errorOf = (c: ReturnType<typeof conclude>) =>
    c.error && { kind: c.error.kind, message: c.error.message }

  it('gathers what was done and waited: outcomes after the wait, stuck jobs, counts, and success', () => {
    const stuck = job('3', 'CANCELLING', { startTime: ago(9000) })
    const plans = [{ ...plan([]), stuck: [stuck] }, branchPlan('dev')]
    const after = [outcome('2', 'stopped', 'CANCELLED')]
    const waited = { outcomes: after, waitedMs: 1234 }
    expect(
      run(settings(ALL_BRANCHES), stopped({ plans, outcomes: [outcome('2', 'stopped')] }), waited)
    ).toEqual({
      ...{ outcomes: after, failures: [], failureGroups: [], advice: [], stuck: [stuck] },
      ...{ appsRead: 1, branchesRead: 2, waitedMs: 1234, note: undefined, error: undefined }
    })
  })

  it('one failure is the step error as it is; with several branches, led by where it happened', () => {
    const denied = failure('permission', 'ListJobs', { ...MAIN })
    const { message } = denied
    expect(errorOf(run(settings(), stopped({ failures: [denied] })))).toEqual({ kind: 'permission', message })
    expect(errorOf(run(settings(ALL_BRANCHES), stopped({ failures: [denied] })))).toEqual({
      ...{ kind: 'permission', message: `[app ${APP}, ListJobs] ${message}` }
    })
  })

  it('several failures: one error grouping them, each piece of advice once; stop failures before the wait', () => {
    const failures = [
      failure('throttled', 'ListJobs', MAIN),
      failure('throttled', 'ListJobs', { ...MAIN, branchName: 'b' })
    ]
    const waitFailure = failure('permission', 'GetJob', { appId: 'd2', branchName: 'x' })
    const c = run(settings(REPOSITORY, { ifNoJob: 'fail' }), stopped({ failures }), {
      failures: [waitFailure]
    })
    expect(c.failures).toEqual([...failures, waitFailure])
    expect(c.advice).toEqual(['Fix throttled.', 'Fix permission.'])
    expect(c.note).toBeUndefined()
    const message = messages.severalFailed(3, groupFailures(c.failures), c.advice)
    expect(errorOf(c)).toEqual({ kind: 'several-failed', message })
  })

  it('wait-timeout: one more failure naming the unfinished jobs, never led by a place', () => {
    const unfinished = [outcome('8', 'stopped', 'CANCELLING'), outcome('7', 'already-stopping')]
    const c = run(settings(ALL_BRANCHES, { waitTimeoutSeconds: 90 }), stopped({ outcomes: unfinished }), {
      unfinished
    })
    const message = messages.waitTimedOut(unfinished, 90)
    const timedOut = {
      operation: 'GetJob',
      kind: 'wait-timeout',
      reason: 'did not end in time',
      advice: '',
      message
    }
    expect(c.failures).toEqual([timedOut])
    expect(errorOf(c)).toEqual({ kind: 'wait-timeout', message })
  })

  it.each<[Settings['ifNoJob'], boolean]>([
    ['warn', false],
    ['ignore', false],
    ['fail', true]
  ])('nothing found with if-no-job %s: the note, and an error only for fail', (ifNoJob, fails) => {
    const results = stopped({ plans: [branchPlan('main')] })
    const c = run(settings(ONE, { ifNoJob }), results)
    const note = messages.nothingFoundNote(nothingFound(settings(ONE), results)!)
    expect(c.note).toBe(note)
    expect(errorOf(c)).toEqual(fails ? { kind: 'no-job', message: messages.noJobFailure(note) } : undefined)
  })

  it('groupFailures: by app, operation, kind and reason, in the order each group first appears', () => {
    const at = (appId: string, operation: Failure['operation'], kind: ErrorKind, reason = 'r') => ({
      ...failure(kind, operation, appId ? { appId, branchName: 'b' } : {}),
      reason
    })
    const failures = [
      ...[
        at('d1', 'ListJobs', 'throttled'),
        at('d2', 'ListJobs', 'throttled'),
        at('d1', 'ListJobs', 'throttled')
      ],
      ...[
        at('d1', 'StopJob', 'throttled'),
        at('d1', 'ListJobs', 'service'),
        at('d1', 'ListJobs', 'throttled', 'other')
      ],
      ...[at('', 'ListApps', 'network'), at('d2', 'ListJobs', 'throttled')]
    ]
    const groups = groupFailures(failures).map(
      g => `${g.appId} ${g.operation} ${g.reason}: ${g.failures.map(f => failures.indexOf(f))}`
    )
    expect(groups).toEqual([
      ...['d1 ListJobs r: 0,2', 'd2 ListJobs r: 1,7', 'd1 StopJob r: 3', 'd1 ListJobs r: 4'],
      ...['d1 ListJobs other: 5', 'undefined ListApps r: 6']
    ])
  })
})
