// Every decision the action makes, as plain values in and out: the job vocabulary (status classes, numeric
// job id order, the status → result mapping) and the planner (apps, branches, which jobs to stop, keep or
// leave, what nothing found means, and how the step ends).
import { describe, it, expect } from '@jest/globals'
import { ActionError, AmplifyRequestError, InputError, type Missing } from '../../src/errors.js'
import {
  classifyStatus,
  compareJobIds,
  isFinal,
  needsWaiting,
  newestFirst,
  newestOutcomesFirst,
  resultFor,
  type Job,
  type JobOutcome,
  type JobResult,
  type StatusClass
} from '../../src/jobs.js'
import {
  appsOfRepository,
  failureOf,
  foundNothing,
  nothingFound,
  orderBranches,
  planBranch,
  planJobById,
  primaryOutcome,
  shouldWait,
  runFailures,
  stepFailure,
  stopFailures,
  type Acted,
  type App,
  type BranchPlan,
  type Failure,
  type Selection
} from '../../src/plan.js'
import type { Settings } from '../../src/settings.js'

const APP = 'd1a2b3c4d5e6f7'
const MAIN = { appId: APP, branchName: 'main' }
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)

function job(jobId: string, status: string, extra: Partial<Job> = {}): Job {
  const { appId = APP, branchName = 'main' } = extra
  return {
    appId,
    branchName,
    jobId,
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/${appId}/branches/${branchName}/jobs/${jobId.padStart(10, '0')}`,
    status,
    ...extra
  }
}

const ids = (jobs: readonly Job[]) => jobs.map(j => j.jobId)
const decided = (plan: BranchPlan) => plan.decided.map(o => [o.job.jobId, o.result, o.previousStatus])
const outcome = (
  jobId: string,
  result: JobResult,
  status = 'CANCELLING',
  extra: Partial<Job> = {}
): JobOutcome => ({
  job: job(jobId, status, extra),
  result
})

const select = (selection: Partial<Selection> = {}): Selection => ({
  keepNewest: false,
  dryRun: false,
  ...selection
})
const plan = (jobs: Job[], selection: Partial<Selection> = {}) =>
  planBranch(MAIN, { jobs }, select(selection), NOW)

describe('classifyStatus and isFinal', () => {
  it.each<[string, StatusClass, boolean]>([
    ['CREATED', 'in-progress', false],
    ['PENDING', 'in-progress', false],
    ['PROVISIONING', 'in-progress', false],
    ['RUNNING', 'in-progress', false],
    ['CANCELLING', 'stopping', false],
    ['SUCCEED', 'final', true],
    ['FAILED', 'final', true],
    ['CANCELLED', 'final', true],
    // unknown (future) statuses are never final, so a wait never ends early on one
    ['DEPLOYING', 'unknown', false],
    ['UNKNOWN', 'unknown', false],
    ['', 'unknown', false],
    ['running', 'unknown', false],
    ['cancelled', 'unknown', false]
  ])('%j is %s (final: %s)', (status, statusClass, final) => {
    expect(classifyStatus(status)).toBe(statusClass)
    expect(isFinal(status)).toBe(final)
  })
})

describe('resultFor: the one mapping from status class to result', () => {
  it.each<[StatusClass, JobResult]>([
    ['final', 'already-ended'],
    ['stopping', 'already-stopping'],
    ['in-progress', 'would-stop'],
    ['unknown', 'would-stop']
  ])('%s → %s', (statusClass, result) => {
    expect(resultFor(statusClass)).toBe(result)
  })
})

describe('needsWaiting: only jobs asked to stop or stopping, not yet final', () => {
  it.each<[JobResult, string, boolean]>([
    ['stopped', 'CANCELLING', true],
    ['stopped', 'RUNNING', true],
    ['stopped', 'NEW_STATUS', true],
    ['stopped', 'CANCELLED', false],
    ['already-stopping', 'CANCELLING', true],
    ['already-stopping', 'FAILED', false],
    ['already-ended', 'SUCCEED', false],
    ['would-stop', 'RUNNING', false],
    ['kept', 'RUNNING', false],
    ['failed', 'RUNNING', false]
  ])('%s with %s → %s', (result, status, expected) => {
    expect(needsWaiting(outcome('1', result, status))).toBe(expected)
  })
})

describe('compareJobIds orders ids as numbers, of any length', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['42', '42', 0],
    ['007', '7', 0],
    ['0000000042', '41', 1],
    ['0', '000', 0],
    ['0', '1', -1],
    ['99', '100', -1],
    // beyond 2^53, where Number() would call these equal
    ['9007199254740993', '9007199254740992', 1],
    ['12345678901234567890123', '12345678901234567890124', -1]
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareJobIds(a, b))).toBe(sign)
    expect(Math.sign(compareJobIds(b, a)) + 0).toBe(-sign + 0)
  })

  it('newestFirst sorts without Number() and without reordering its argument', () => {
    const jobs = ['9', '0011', '100', '9007199254740993', '9007199254740992', '2'].map(id =>
      job(id, 'RUNNING')
    )
    expect(ids(newestFirst(jobs))).toEqual(['9007199254740993', '9007199254740992', '100', '0011', '9', '2'])
    expect(ids(jobs)).toEqual(['9', '0011', '100', '9007199254740993', '9007199254740992', '2'])
  })

  it('newestOutcomesFirst sorts by numeric id without reordering its argument', () => {
    const outcomes = [outcome('9', 'stopped'), outcome('100', 'stopped'), outcome('010', 'kept')]
    expect(newestOutcomesFirst(outcomes).map(o => o.job.jobId)).toEqual(['100', '010', '9'])
    expect(outcomes.map(o => o.job.jobId)).toEqual(['9', '100', '010'])
  })
})

describe('appsOfRepository', () => {
  const app = (appId: string, name: string, repository: string): App => ({ appId, name, repository })
  const URL = 'https://github.com/Octo/Site'

  it.each([
    'https://github.com/Octo/Site',
    'https://github.com/octo/site',
    'HTTPS://GITHUB.COM/OCTO/SITE',
    'https://github.com/Octo/Site.git',
    'https://github.com/Octo/Site/',
    'https://github.com/Octo/Site.git/',
    'https://github.com/octo/site.GIT',
    ' https://github.com/Octo/Site '
  ])('%j is this repository', repository => {
    expect(appsOfRepository([app('d1', 'a', repository)], URL).map(a => a.appId)).toEqual(['d1'])
  })

  it.each([
    'https://github.com/Octo/Site2',
    'https://github.com/Octo/Sit',
    'https://github.com/Other/Site',
    'https://github.com/Octo/Site/tree/main',
    'https://gitlab.com/Octo/Site',
    'https://github.com/Octo/Site.github',
    ''
  ])('%j is not', repository => {
    expect(appsOfRepository([app('d1', 'a', repository)], URL)).toEqual([])
  })

  it('the URL given is compared the same way (case, .git, trailing /)', () => {
    const apps = [app('d1', 'a', 'https://github.com/octo/site')]
    expect(appsOfRepository(apps, 'https://GitHub.com/Octo/Site.git/')).toHaveLength(1)
  })

  it('orders by name, then app id, in code-unit order (not the locale: B before a)', () => {
    const apps = [
      app('d3', 'a', URL),
      app('dother', 'A', 'https://github.com/Octo/Other'),
      app('d2', 'B', URL),
      app('d10', 'a', URL),
      app('d1', 'b', URL),
      app('d4', 'Z', URL),
      app('d5', 'é', URL)
    ]
    const copy = [...apps]
    expect(appsOfRepository(apps, URL).map(a => `${a.name}/${a.appId}`)).toEqual([
      'B/d2',
      'Z/d4',
      'a/d10',
      'a/d3',
      'b/d1',
      'é/d5'
    ])
    expect(apps).toEqual(copy)
  })
})

describe('orderBranches', () => {
  it('orders by code unit, not by locale or number, without touching its argument', () => {
    const names = ['main', 'Main', 'feature/b', 'feature/a', 'pr-10', 'pr-9', 'Ä', 'b', '_x']
    expect(orderBranches(names)).toEqual([
      'Main',
      '_x',
      'b',
      'feature/a',
      'feature/b',
      'main',
      'pr-10',
      'pr-9',
      'Ä'
    ])
    expect(names[0]).toBe('main')
  })
})

describe('planBranch', () => {
  const everyStatus = [
    job('1', 'SUCCEED'),
    job('2', 'FAILED'),
    job('3', 'CANCELLED'),
    job('4', 'CREATED'),
    job('5', 'PENDING'),
    job('6', 'PROVISIONING'),
    job('7', 'RUNNING'),
    job('8', 'CANCELLING'),
    job('9', 'NEW_STATUS')
  ]

  it('stops every in-progress job newest first, reports a stopping one, leaves unknown statuses alone', () => {
    const p = plan(everyStatus)
    expect(p.target).toEqual(MAIN)
    expect(ids(p.toStop)).toEqual(['7', '6', '5', '4'])
    expect(decided(p)).toEqual([['8', 'already-stopping', 'CANCELLING']])
    expect(ids(p.unknownStatus)).toEqual(['9'])
    expect(p.listed).toBe(9)
    expect(p.missingBranch).toBeUndefined()
    expect(p.failure).toBeUndefined()
    expect(foundNothing(p)).toBe(false)
  })

  it('orders jobs listed out of order by numeric id, leading zeros or not', () => {
    const p = plan([job('9', 'RUNNING'), job('10', 'PENDING'), job('0008', 'RUNNING'), job('100', 'CREATED')])
    expect(ids(p.toStop)).toEqual(['100', '10', '9', '0008'])
  })

  it.each<[string, Job[], Partial<BranchPlan>, boolean]>([
    ['only finished jobs', [job('1', 'SUCCEED'), job('2', 'CANCELLED')], { listed: 2 }, true],
    ['no jobs at all', [], { listed: 0 }, true],
    [
      'an unknown status alone',
      [job('3', 'QUEUED')],
      { unknownStatus: [job('3', 'QUEUED')], listed: 1 },
      true
    ],
    [
      'a CANCELLING job alone (found, not stopped again)',
      [job('3', 'CANCELLING')],
      {
        decided: [{ job: job('3', 'CANCELLING'), result: 'already-stopping', previousStatus: 'CANCELLING' }],
        listed: 1
      },
      false
    ]
  ])('%s', (_, jobs, expected, nothing) => {
    const p = plan(jobs)
    expect(p).toEqual({ target: MAIN, decided: [], toStop: [], unknownStatus: [], ...expected })
    expect(foundNothing(p)).toBe(nothing)
  })

  describe('keep-newest', () => {
    it.each<[string, Job[], string | undefined, string[]]>([
      ['RUNNING 7 and PENDING 8: keeps 8', [job('7', 'RUNNING'), job('8', 'PENDING')], '8', ['7']],
      [
        'the highest numeric id, not the last listed or the longest-running',
        [job('10', 'PENDING'), job('9', 'RUNNING'), job('11', 'CREATED')],
        '11',
        ['10', '9']
      ],
      ['10 is newer than 9', [job('9', 'RUNNING'), job('10', 'PENDING')], '10', ['9']],
      ['000012 is newer than 11', [job('000012', 'RUNNING'), job('11', 'PENDING')], '000012', ['11']],
      [
        'the newest in progress, even when a newer job ended or is stopping',
        [job('5', 'RUNNING'), job('6', 'CANCELLING'), job('7', 'FAILED'), job('8', 'NEW')],
        '5',
        []
      ],
      ['nothing in progress: keeps nothing', [job('4', 'SUCCEED')], undefined, []]
    ])('%s', (_, jobs, keptId, toStop) => {
      const p = plan(jobs, { keepNewest: true })
      expect(p.decided.filter(o => o.result === 'kept').map(o => o.job.jobId)).toEqual(keptId ? [keptId] : [])
      expect(ids(p.toStop)).toEqual(toStop)
    })

    it('a lone in-progress job is kept: nothing to stop, but not "nothing found"', () => {
      const p = plan([job('4', 'RUNNING'), job('3', 'SUCCEED')], { keepNewest: true })
      expect(decided(p)).toEqual([['4', 'kept', 'RUNNING']])
      expect(p.toStop).toEqual([])
      expect(foundNothing(p)).toBe(false)
    })

    it('decided outcomes come newest first: a stopping job and the kept one', () => {
      const p = plan(
        [job('5', 'CANCELLING'), job('6', 'RUNNING'), job('7', 'CANCELLING'), job('4', 'RUNNING')],
        {
          keepNewest: true
        }
      )
      expect(decided(p)).toEqual([
        ['7', 'already-stopping', 'CANCELLING'],
        ['6', 'kept', 'RUNNING'],
        ['5', 'already-stopping', 'CANCELLING']
      ])
      expect(ids(p.toStop)).toEqual(['4'])
    })
  })

  describe('commit-id', () => {
    const jobs = [
      job('1', 'RUNNING', { commitId: 'ABCDEF0123456789abcdef0123456789abcdef01' }),
      job('2', 'PENDING', { commitId: '1234567890abcdef1234567890abcdef12345678' }),
      job('3', 'CANCELLING', { commitId: 'abcdef0ffffffffffffffffffffffffffffffff0' }),
      job('4', 'RUNNING'),
      job('5', 'NEW_STATUS', { commitId: 'abcdef0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })
    ]

    it.each<[string, string, string[], string[], string[]]>([
      ['a prefix matches case-insensitively', 'abcdef01', ['1'], [], []],
      ['a full SHA', '1234567890abcdef1234567890abcdef12345678', ['2'], [], []],
      ['CANCELLING and unknown jobs are filtered too', 'abcdef0', ['1'], ['3'], ['5']],
      ['a prefix matching nothing', 'fedcba9', [], [], []]
    ])('%s', (_, commitId, toStop, stopping, unknown) => {
      const p = plan(jobs, { commitId })
      expect(ids(p.toStop)).toEqual(toStop)
      expect(p.decided.map(o => o.job.jobId)).toEqual(stopping)
      expect(ids(p.unknownStatus)).toEqual(unknown)
      expect(p.listed).toBe(5)
    })

    it('a job without a commit (a manual deployment) never matches', () => {
      expect(foundNothing(plan([job('4', 'RUNNING')], { commitId: 'abcdef0' }))).toBe(true)
    })

    it('keep-newest keeps the newest of the matching jobs only', () => {
      const p = plan(
        [
          job('5', 'RUNNING', { commitId: 'aaaaaaa1' }),
          job('6', 'PENDING', { commitId: 'aaaaaaa2' }),
          job('7', 'PENDING', { commitId: 'bbbbbbb1' })
        ],
        { keepNewest: true, commitId: 'aaaaaaa' }
      )
      expect(decided(p)).toEqual([['6', 'kept', 'PENDING']])
      expect(ids(p.toStop)).toEqual(['5'])
    })
  })

  describe('older-than', () => {
    const ago = (seconds: number) => NOW - seconds * 1000
    const jobs = [
      job('1', 'RUNNING', { startTime: ago(7200) }),
      job('2', 'RUNNING', { startTime: ago(3600) }), // exactly the limit: old enough
      job('3', 'PENDING', { startTime: ago(3599) }),
      job('4', 'RUNNING'), // no start time: its age is unknown, so it is left alone
      job('5', 'CANCELLING', { startTime: ago(5000) }),
      job('6', 'CANCELLING', { startTime: ago(10) }),
      job('7', 'NEW_STATUS', { startTime: ago(4000) }),
      job('8', 'NEW_STATUS', { startTime: ago(1) }),
      job('9', 'RUNNING', { startTime: NOW + 60_000 }) // clock skew: started "in the future"
    ]

    it('selects only jobs started at least that long ago, of every status', () => {
      const p = plan(jobs, { olderThanSeconds: 3600 })
      expect(ids(p.toStop)).toEqual(['2', '1'])
      expect(decided(p)).toEqual([['5', 'already-stopping', 'CANCELLING']])
      expect(ids(p.unknownStatus)).toEqual(['7'])
      expect(p.listed).toBe(9)
    })

    it('without older-than, a job without start time is selected like any other', () => {
      expect(ids(plan(jobs).toStop)).toEqual(['9', '4', '3', '2', '1'])
    })

    it('keep-newest keeps the newest of the old-enough jobs, not the newest on the branch', () => {
      const p = plan(jobs, { olderThanSeconds: 3600, keepNewest: true })
      expect(decided(p)).toEqual([
        ['5', 'already-stopping', 'CANCELLING'],
        ['2', 'kept', 'RUNNING']
      ])
      expect(ids(p.toStop)).toEqual(['1'])
    })

    it('combines with commit-id: both must match', () => {
      const p = plan(
        [
          job('1', 'RUNNING', { startTime: ago(100), commitId: 'aaaaaaa0' }),
          job('2', 'RUNNING', { startTime: ago(100), commitId: 'bbbbbbb0' }),
          job('3', 'RUNNING', { startTime: ago(10), commitId: 'aaaaaaa1' })
        ],
        { olderThanSeconds: 60, commitId: 'aaaaaaa' }
      )
      expect(ids(p.toStop)).toEqual(['1'])
    })

    it('nothing old enough is nothing found', () => {
      expect(foundNothing(plan(jobs, { olderThanSeconds: 30 * 86400 }))).toBe(true)
    })
  })

  describe('dry run', () => {
    it('makes every selected in-progress job a would-stop outcome and sends nothing', () => {
      const p = plan(
        [
          job('7', 'RUNNING'),
          job('8', 'CANCELLING'),
          job('9', 'PENDING'),
          job('6', 'SUCCEED'),
          job('5', 'X')
        ],
        { dryRun: true }
      )
      expect(p.toStop).toEqual([])
      expect(decided(p)).toEqual([
        ['9', 'would-stop', 'PENDING'],
        ['8', 'already-stopping', 'CANCELLING'],
        ['7', 'would-stop', 'RUNNING']
      ])
      expect(ids(p.unknownStatus)).toEqual(['5'])
      expect(foundNothing(p)).toBe(false)
    })

    it('with keep-newest, the newest is still kept', () => {
      const p = plan([job('7', 'RUNNING'), job('9', 'PENDING'), job('8', 'CREATED')], {
        dryRun: true,
        keepNewest: true
      })
      expect(decided(p)).toEqual([
        ['9', 'kept', 'PENDING'],
        ['8', 'would-stop', 'CREATED'],
        ['7', 'would-stop', 'RUNNING']
      ])
      expect(p.toStop).toEqual([])
    })
  })

  describe('a ListJobs that failed', () => {
    const notFound = (missing: Missing | undefined) =>
      new AmplifyRequestError('not-found', `Not found: ${missing}.`, 'ListJobs', 'NotFoundException', missing)

    it.each<Missing>(['branch', 'app-or-branch'])(
      'missing %s: the branch is missing, not a failure',
      missing => {
        const p = planBranch(MAIN, { error: notFound(missing) }, select(), NOW)
        expect(p).toEqual({
          target: MAIN,
          decided: [],
          toStop: [],
          unknownStatus: [],
          missingBranch: `Not found: ${missing}.`
        })
        expect(foundNothing(p)).toBe(true)
      }
    )

    it.each<[string, ActionError, Failure]>([
      [
        'missing app',
        notFound('app'),
        { ...MAIN, operation: 'ListJobs', kind: 'not-found', message: 'Not found: app.' }
      ],
      [
        'not found, without saying what',
        notFound(undefined),
        { ...MAIN, operation: 'ListJobs', kind: 'not-found', message: 'Not found: undefined.' }
      ],
      [
        'denied',
        new AmplifyRequestError('permission', 'Denied.', 'ListJobs', 'AccessDeniedException'),
        { ...MAIN, operation: 'ListJobs', kind: 'permission', message: 'Denied.' }
      ],
      [
        'a request error names its own operation',
        new AmplifyRequestError('throttled', 'Slow down.', 'GetJob', 'TooManyRequestsException'),
        { ...MAIN, operation: 'GetJob', kind: 'throttled', message: 'Slow down.' }
      ],
      [
        'any other ActionError',
        new ActionError('network', 'Unreachable.'),
        { ...MAIN, operation: 'ListJobs', kind: 'network', message: 'Unreachable.' }
      ]
    ])('%s: a failure', (_, error, failure) => {
      const p = planBranch(MAIN, { error }, select(), NOW)
      expect(p.failure).toEqual(failure)
      expect(p.missingBranch).toBeUndefined()
      expect(p.listed).toBeUndefined()
      expect([p.decided, p.toStop, p.unknownStatus]).toEqual([[], [], []])
    })

    it.each([new Error('boom'), new TypeError('x is undefined'), 'a string', undefined])(
      'anything but an ActionError (%p) is a bug: rethrown as it is',
      error => {
        let thrown: unknown = 'nothing thrown'
        try {
          planBranch(MAIN, { error }, select(), NOW)
        } catch (caught) {
          thrown = caught
        }
        expect(thrown).toBe(error)
      }
    )
  })
})

describe('planJobById: a dry run given a job id', () => {
  it.each<[string, JobResult]>([
    ['RUNNING', 'would-stop'],
    ['CREATED', 'would-stop'],
    ['CANCELLING', 'already-stopping'],
    ['SUCCEED', 'already-ended'],
    ['CANCELLED', 'already-ended'],
    ['NEW_STATUS', 'would-stop']
  ])('%s → %s', (status, result) => {
    const j = job('42', status)
    expect(planJobById(j)).toEqual({ job: j, result, previousStatus: status })
  })
})

describe('failureOf and stopFailures', () => {
  it('a failure carries where it happened and what the error said', () => {
    const error = new InputError('app-id', 'Bad app.')
    expect(failureOf(error, { appId: APP }, 'ListBranches')).toEqual({
      appId: APP,
      operation: 'ListBranches',
      kind: 'input',
      message: 'Bad app.'
    })
  })

  it('rethrows anything but an ActionError', () => {
    const bug = new RangeError('bug')
    expect(() => failureOf(bug, {}, 'ListApps')).toThrow(bug)
  })

  it('stopFailures: each failed stop, with its app, branch and job', () => {
    const failed = { ...outcome('8', 'failed', 'RUNNING', { branchName: 'dev' }), error: 'Refused.' }
    const noMessage = outcome('7', 'failed', 'RUNNING')
    expect(stopFailures([outcome('9', 'stopped'), failed, outcome('6', 'kept'), noMessage])).toEqual([
      {
        appId: APP,
        branchName: 'dev',
        jobId: '8',
        operation: 'StopJob',
        kind: 'stop-failed',
        message: 'Refused.'
      },
      { appId: APP, branchName: 'main', jobId: '7', operation: 'StopJob', kind: 'stop-failed', message: '' }
    ])
  })
})

describe('nothingFound: the if-no-job case', () => {
  const ids1: Settings['apps'] = { kind: 'ids', ids: [APP] }
  const oneBranch: Settings['branches'] = { kind: 'names', names: ['main'] }
  const repo: Settings['apps'] = { kind: 'repository', url: 'https://github.com/octo/site' }
  const branch = (appId: string, branchName: string, jobs: Job[] = []) =>
    planBranch({ appId, branchName }, { jobs }, select(), NOW)
  const acted = (a: Partial<Acted>): Acted => ({ appsRead: 1, plans: [], outcomes: [], failures: [], ...a })
  const failure: Failure = { operation: 'ListApps', kind: 'permission', message: 'Denied.' }

  it('is undefined as soon as any outcome exists, even a kept one or alongside failures', () => {
    for (const apps of [ids1, repo]) {
      expect(
        nothingFound({ apps, branches: oneBranch }, acted({ outcomes: [outcome('1', 'kept', 'RUNNING')] }))
      ).toBeUndefined()
      expect(
        nothingFound(
          { apps, branches: oneBranch },
          acted({ outcomes: [outcome('1', 'stopped')], failures: [failure], appsRead: 0 })
        )
      ).toBeUndefined()
    }
  })

  it("is 'no-app' when * matched no app of the repository", () => {
    expect(nothingFound({ apps: repo, branches: oneBranch }, acted({ appsRead: 0 }))).toEqual({
      kind: 'no-app',
      repository: 'https://github.com/octo/site'
    })
  })

  it('is undefined when a request failed: the failure wins over if-no-job', () => {
    expect(
      nothingFound({ apps: repo, branches: oneBranch }, acted({ appsRead: 0, failures: [failure] }))
    ).toBeUndefined()
    const plans = [branch(APP, 'main'), branch(APP, 'dev')]
    expect(
      nothingFound({ apps: ids1, branches: oneBranch }, acted({ plans, failures: [failure] }))
    ).toBeUndefined()
    expect(
      nothingFound(
        { apps: ids1, branches: oneBranch },
        acted({ plans: plans.slice(0, 1), failures: [failure] })
      )
    ).toBeUndefined()
  })

  it("is 'one-branch' for one branch read, with the plan and the commit id", () => {
    const one = branch(APP, 'main', [job('1', 'SUCCEED')])
    expect(
      nothingFound({ apps: ids1, branches: oneBranch, commitId: 'abcdef0' }, acted({ plans: [one] }))
    ).toEqual({
      kind: 'one-branch',
      plan: one,
      commitId: 'abcdef0'
    })
  })

  it("is 'several-branches' when the run covers several, even if one branch was read: each said its own", () => {
    const one = branch(APP, 'main', [job('1', 'SUCCEED')])
    for (const settings of [
      { apps: repo, branches: oneBranch },
      { apps: ids1, branches: { kind: 'all' } as const }
    ]) {
      expect(nothingFound(settings, acted({ plans: [one] }))).toEqual({
        kind: 'several-branches',
        branches: 1,
        apps: 1
      })
    }
  })

  it("is 'several-branches' otherwise, counting the branches and their apps", () => {
    const plans = [branch('d1', 'main'), branch('d1', 'dev'), branch('d2', 'main')]
    expect(nothingFound({ apps: repo, branches: oneBranch }, acted({ plans, appsRead: 2 }))).toEqual({
      kind: 'several-branches',
      branches: 3,
      apps: 2
    })
    expect(nothingFound({ apps: ids1, branches: oneBranch }, acted({ plans: plans.slice(0, 2) }))).toEqual({
      kind: 'several-branches',
      branches: 2,
      apps: 1
    })
  })
})

describe('nothingFound when discovery read no branch at all', () => {
  // An app with no branch at all (branch-name: *) is nothing found too: if-no-job applies.
  it.each<Settings['apps']>([
    { kind: 'ids', ids: [APP] },
    { kind: 'repository', url: 'https://github.com/octo/site' }
  ])('%j, whose apps have no branch, is several-branches', apps => {
    expect(
      nothingFound(
        { apps, branches: { kind: 'all' } },
        { appsRead: 1, plans: [], outcomes: [], failures: [] }
      )?.kind
    ).toBe('several-branches')
  })
})

describe('shouldWait', () => {
  const waiting = [outcome('2', 'already-ended', 'SUCCEED'), outcome('1', 'stopped', 'CANCELLING')]
  const ended = [outcome('2', 'already-ended', 'SUCCEED'), outcome('1', 'stopped', 'CANCELLED')]

  it.each<[boolean, boolean, JobOutcome[], boolean]>([
    [true, false, waiting, true],
    [true, false, [outcome('1', 'already-stopping', 'CANCELLING')], true],
    [false, false, waiting, false],
    [true, true, waiting, false],
    [true, false, ended, false],
    [true, false, [outcome('1', 'kept', 'RUNNING'), outcome('2', 'would-stop', 'RUNNING')], false],
    [true, false, [], false]
  ])('wait %s, dry run %s, %j → %s', (wait, dryRun, outcomes, expected) => {
    expect(shouldWait({ wait, dryRun }, outcomes)).toBe(expected)
  })
})

describe('primaryOutcome: the job the job-id, job-arn and status outputs describe', () => {
  it.each<[string, JobOutcome[], string | undefined]>([
    ['the first outcome', [outcome('9', 'stopped'), outcome('10', 'stopped')], '9'],
    ['never a kept job', [outcome('8', 'kept'), outcome('7', 'stopped')], '7'],
    ['already-ended counts', [outcome('8', 'kept'), outcome('7', 'already-ended', 'SUCCEED')], '7'],
    ['a failed stop counts', [outcome('7', 'failed', 'RUNNING'), outcome('6', 'stopped')], '7'],
    ['a would-stop counts', [outcome('7', 'would-stop', 'RUNNING')], '7'],
    ['none with only a kept job', [outcome('8', 'kept')], undefined],
    ['none with nothing', [], undefined]
  ])('%s', (_, outcomes, jobId) => {
    expect(primaryOutcome(outcomes)?.job.jobId).toBe(jobId)
  })
})

describe('stepFailure: how the step ends', () => {
  const one: Pick<Settings, 'apps' | 'branches'> = {
    apps: { kind: 'ids', ids: ['d1'] },
    branches: { kind: 'names', names: ['main'] }
  }
  const several: Pick<Settings, 'apps' | 'branches'> = {
    apps: { kind: 'ids', ids: ['d1', 'd2'] },
    branches: { kind: 'all' }
  }
  const settings = { ...one, ifNoJob: 'warn' as const }
  const failOnNoJob = { ...settings, ifNoJob: 'fail' as const }
  const listJobs: Failure = {
    appId: 'd1',
    branchName: 'main',
    operation: 'ListJobs',
    kind: 'permission',
    message: 'Amplify ListJobs was denied.'
  }
  const listBranches: Failure = {
    appId: 'd2',
    operation: 'ListBranches',
    kind: 'throttled',
    message: 'Slow.'
  }
  const listApps: Failure = { operation: 'ListApps', kind: 'network', message: 'Unreachable.' }
  const stop = (jobId: string, message: string, branchName = 'main', appId = 'd1'): Failure => ({
    appId,
    branchName,
    jobId,
    operation: 'StopJob',
    kind: 'stop-failed',
    message
  })

  const ending = (error: unknown) => {
    expect(error).toBeInstanceOf(ActionError)
    const { kind, message } = error as ActionError
    return { kind, message }
  }

  it('one failure: its own kind and message, before if-no-job', () => {
    expect(ending(stepFailure(failOnNoJob, [listJobs], 'Nothing.'))).toEqual({
      kind: 'permission',
      message: 'Amplify ListJobs was denied.'
    })
    expect(ending(stepFailure(settings, [stop('8', 'Refused.')], undefined))).toEqual({
      kind: 'stop-failed',
      message: 'Refused.'
    })
  })

  it('one failure of a run over several branches: named by app, branch and operation', () => {
    expect(ending(stepFailure({ ...settings, ...several }, [listJobs], undefined))).toEqual({
      kind: 'permission',
      message: '[app d1, branch "main", ListJobs] Amplify ListJobs was denied.'
    })
  })

  it('several stops failed on the one branch of the run: the old wording', () => {
    expect(ending(stepFailure(settings, [stop('8', 'Refused.'), stop('7', 'Denied.')], undefined))).toEqual({
      kind: 'several-failed',
      message: '2 jobs could not be stopped: job 8: Refused. job 7: Denied.'
    })
  })

  it('several stops failed on one branch of a run over several: each named', () => {
    const { message } = ending(
      stepFailure({ ...settings, ...several }, [stop('8', 'A.'), stop('7', 'B.')], undefined)
    )
    expect(message).toBe(
      '2 Amplify requests failed (everything else was acted on and reported): ' +
        '[app d1, branch "main", job 8, StopJob] A. [app d1, branch "main", job 7, StopJob] B.'
    )
  })

  it('several failures elsewhere: one error naming each app, branch and operation', () => {
    const failures = [
      listApps,
      listBranches,
      listJobs,
      stop('8', 'Refused.', 'dev'),
      stop('7', 'Gone.', 'x"y\n')
    ]
    expect(ending(stepFailure({ ...failOnNoJob, ...several }, failures, 'Nothing.'))).toEqual({
      kind: 'several-failed',
      message:
        '5 Amplify requests failed (everything else was acted on and reported): [ListApps] Unreachable. ' +
        '[app d2, ListBranches] Slow. [app d1, branch "main", ListJobs] Amplify ListJobs was denied. ' +
        '[app d1, branch "dev", job 8, StopJob] Refused. [app d1, branch "x\\"y ", job 7, StopJob] Gone.'
    })
  })

  it('if-no-job: fail, with the note', () => {
    expect(ending(stepFailure(failOnNoJob, [], 'No job is in progress.'))).toEqual({
      kind: 'no-job',
      message: 'No job is in progress. Failing because if-no-job is fail.'
    })
  })

  it.each<['warn' | 'ignore']>([['warn'], ['ignore']])('if-no-job: %s does not fail', ifNoJob => {
    expect(stepFailure({ ...settings, ifNoJob }, [], 'No job is in progress.')).toBeUndefined()
  })

  it('else success', () => {
    expect(stepFailure(failOnNoJob, [], undefined)).toBeUndefined()
  })
})

describe("runFailures: the run's failures, the wait's last", () => {
  const settings = { waitTimeoutSeconds: 300 }
  const listJobs: Failure = {
    appId: 'd1',
    branchName: 'main',
    operation: 'ListJobs',
    kind: 'permission',
    message: 'Denied.'
  }
  const unfinished = [outcome('8', 'stopped', 'CANCELLING'), outcome('7', 'stopped', 'RUNNING')]

  it('a wait that timed out is one more failure, listing the jobs that have not ended', () => {
    expect(runFailures(settings, [listJobs], { unfinished })).toEqual([
      listJobs,
      {
        operation: 'GetJob',
        kind: 'wait-timeout',
        message:
          'Waited 300 s (wait-timeout), but these jobs have not ended: job 8 (CANCELLING), job 7 (RUNNING). ' +
          'Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the job in the Amplify console.'
      }
    ])
    const [only] = runFailures({ waitTimeoutSeconds: 60 }, [], { unfinished: unfinished.slice(0, 1) })
    expect(only.message).toMatch(
      /^Waited 60 s \(wait-timeout\), but this job has not ended: job 8 \(CANCELLING\)\. /
    )
  })

  it('a poll that failed for good is one more failure, with its own kind and message', () => {
    const denied = new AmplifyRequestError(
      'permission',
      'GetJob was denied.',
      'GetJob',
      'AccessDeniedException'
    )
    expect(runFailures(settings, [listJobs], { unfinished, error: denied })).toEqual([
      listJobs,
      { operation: 'GetJob', kind: 'permission', message: 'GetJob was denied.' }
    ])
  })

  it('a bug in the wait is no failure to report: it is thrown', () => {
    const bug = new TypeError('not an ActionError')
    expect(() => runFailures(settings, [], { unfinished: [], error: bug })).toThrow(bug)
  })

  it('nothing when the wait ended well', () => {
    expect(runFailures(settings, [], { unfinished: [] })).toEqual([])
  })
})
