// What the action shows: step outputs (the real GITHUB_OUTPUT file), log lines (stdout, as the runner reads
// it), and the step summary (the real GITHUB_STEP_SUMMARY file), with untrusted text kept inert everywhere.
import { describe, it, expect, beforeAll, beforeEach, afterEach, afterAll } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import type { Job, JobOutcome, JobResult } from '../../src/jobs.js'
import { describeOutcome, nothingFoundNote } from '../../src/messages.js'
import { planBranch, type BranchPlan, type Failure, type Selection } from '../../src/plan.js'
import {
  consoleUrl,
  failStep,
  jobsOutput,
  logBranchPlan,
  logNothingFound,
  logOutcomes,
  logStart,
  setOutputs,
  stoppedCount,
  waitProgress,
  writeSummary,
  type RunReport
} from '../../src/report.js'
import type { Settings } from '../../src/settings.js'
import { RunnerFiles, captureStdout, setEnv } from './github-files.js'

const APP = 'd1a2b3c4d5e6f7'
const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const arn = (id: string, appId = APP, branchName = 'main') =>
  `arn:aws:amplify:us-east-1:123456789012:apps/${appId}/branches/${branchName}/jobs/${id.padStart(10, '0')}`

type JobExtra = Partial<Omit<Job, 'commitId'>> & { commitId?: string | null }

function job(jobId: string, status: string, extra: JobExtra = {}): Job {
  const {
    appId = APP,
    branchName = 'main',
    commitMessage = 'Fix the login page\n\nLonger body',
    commitId = SHA,
    ...rest
  } = extra
  return {
    appId,
    branchName,
    jobId,
    jobArn: arn(jobId, appId, branchName),
    status,
    ...(commitId === null ? {} : { commitId }),
    commitMessage,
    ...rest
  }
}

function outcome(
  jobId: string,
  result: JobResult,
  status: string,
  extra: Omit<Partial<JobOutcome>, 'job'> & JobExtra = {}
): JobOutcome {
  const { previousStatus, error, ...jobExtra } = extra
  return {
    job: job(jobId, status, jobExtra),
    result,
    ...(previousStatus !== undefined ? { previousStatus } : {}),
    ...(error !== undefined ? { error } : {})
  }
}

const settings: Settings = {
  apps: { kind: 'ids', ids: [APP] },
  branches: { kind: 'names', names: ['main'] },
  branchSource: 'input',
  ifNoJob: 'warn',
  region: 'eu-west-1',
  wait: false,
  waitTimeoutSeconds: 300,
  keepNewest: false,
  dryRun: false
}
const twoApps: Settings = { ...settings, apps: { kind: 'ids', ids: [APP, 'd2'] } }
const everyApp: Settings = { ...settings, apps: { kind: 'repository', url: 'https://github.com/octo/site' } }
const twoBranches: Settings = { ...settings, branches: { kind: 'names', names: ['main', 'dev'] } }

const selection: Selection = { keepNewest: false, dryRun: false }
const branchPlan = (jobs: Job[], branchName = 'main', appId = APP, extra: Partial<Selection> = {}) =>
  planBranch({ appId, branchName }, { jobs }, { ...selection, ...extra }, 0)

/** What a function writes to stdout, as lines. */
function logged(write: () => void): string[] {
  const out = captureStdout()
  try {
    write()
  } finally {
    out.restore()
  }
  return out.lines()
}

describe('jobsOutput', () => {
  it('has one object per outcome, in the given order, with the contract fields in order', () => {
    const json = jobsOutput([
      outcome('8', 'stopped', 'CANCELLING', { previousStatus: 'RUNNING' }),
      outcome('7', 'already-ended', 'SUCCEED', { appId: 'd2', branchName: 'feature/x' })
    ])
    expect(JSON.parse(json)).toEqual([
      {
        appId: APP,
        branchName: 'main',
        jobId: '8',
        jobArn: arn('8'),
        status: 'CANCELLING',
        previousStatus: 'RUNNING',
        commitId: SHA,
        result: 'stopped'
      },
      {
        appId: 'd2',
        branchName: 'feature/x',
        jobId: '7',
        jobArn: arn('7', 'd2', 'feature/x'),
        status: 'SUCCEED',
        commitId: SHA,
        result: 'already-ended'
      }
    ])
    expect(Object.keys(JSON.parse(json)[0])).toEqual([
      'appId',
      'branchName',
      'jobId',
      'jobArn',
      'status',
      'previousStatus',
      'commitId',
      'result'
    ])
  })

  it('omits previousStatus when unknown and commitId when the job has none', () => {
    const [item] = JSON.parse(
      jobsOutput([outcome('7', 'stopped', 'CANCELLING', { commitId: null })])
    ) as object[]
    expect(Object.keys(item)).toEqual(['appId', 'branchName', 'jobId', 'jobArn', 'status', 'result'])
  })

  it('includes the error of a failed stop', () => {
    const [item] = JSON.parse(
      jobsOutput([
        outcome('7', 'failed', 'RUNNING', { previousStatus: 'RUNNING', error: 'Amplify failed StopJob' })
      ])
    ) as Record<string, unknown>[]
    expect(item).toMatchObject({ result: 'failed', error: 'Amplify failed StopJob' })
  })

  it('is [] with no outcome, and one line even when a commit message has newlines', () => {
    expect(jobsOutput([])).toBe('[]')
    expect(jobsOutput([outcome('7', 'stopped', 'CANCELLING', { branchName: 'a\nb' })])).not.toContain('\n')
  })
})

describe('stoppedCount', () => {
  it('counts only jobs StopJob accepted', () => {
    const results: JobResult[] = [
      'stopped',
      'stopped',
      'already-ended',
      'already-stopping',
      'would-stop',
      'kept',
      'failed'
    ]
    expect(stoppedCount(results.map((r, i) => outcome(String(i), r, 'RUNNING')))).toBe(2)
  })
})

describe('describeOutcome: one log line per job', () => {
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
    ['stopped', 'CANCELLING', {}, 'Stopped job 7 on branch "main" (CANCELLING)'],
    ['already-ended', 'SUCCEED', {}, 'Job 7 on branch "main" had already ended (SUCCEED); nothing to stop'],
    [
      'already-stopping',
      'CANCELLING',
      { previousStatus: 'CANCELLING' },
      'Job 7 on branch "main" is already stopping (CANCELLING); not stopped again'
    ],
    [
      'would-stop',
      'RUNNING',
      { previousStatus: 'RUNNING' },
      'Would stop job 7 on branch "main" (RUNNING); dry run, no StopJob sent'
    ],
    [
      'kept',
      'PENDING',
      { previousStatus: 'PENDING' },
      'Kept job 7 on branch "main" running (PENDING): it is the newest'
    ],
    [
      'failed',
      'RUNNING',
      { previousStatus: 'RUNNING', error: 'Amplify refused StopJob\n::error::x' },
      'Could not stop job 7 on branch "main" (RUNNING): Amplify refused StopJob ::error::x'
    ]
  ])('%s (%s)', (result, status, extra, line) => {
    const o = outcome('7', result, status, extra)
    expect(describeOutcome(o)).toBe(line + commit)
    // naming the app goes right after the branch
    expect(describeOutcome(o, true)).toBe(
      line.replace('on branch "main"', `on branch "main" of app ${APP}`) + commit
    )
  })

  it('leaves out the commit part when the job has no commit (a manual deployment)', () => {
    expect(
      describeOutcome(outcome('7', 'stopped', 'CANCELLING', { commitId: null, commitMessage: '' }))
    ).toBe('Stopped job 7 on branch "main" (CANCELLING)')
  })

  it('keeps untrusted text inside the line, quoted and inert', () => {
    const line = describeOutcome(
      outcome('7\n::error::id', 'stopped', 'CANCELLING\r::warning::s', {
        commitMessage: '::error::x\n::add-mask::y',
        commitId: 'abc\u2028::x',
        branchName: 'feature/"quoted"\u2028::warning::z',
        appId: 'd1\n::error::app'
      }),
      true
    )
    expect(line).toBe(
      'Stopped job 7 ::error::id on branch "feature/\\"quoted\\" ::warning::z" of app d1 ::error::app ' +
        '(CANCELLING ::warning::s), commit abc ::x "::error::x"'
    )
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
  })
})

describe('log lines on stdout', () => {
  describe('logOutcomes', () => {
    const outcomes = [
      outcome('8', 'stopped', 'CANCELLING', { commitMessage: '::add-mask::secret\r\n::error::x' }),
      outcome('7', 'already-ended', 'FAILED', {
        commitMessage: 'Merge\r::stop-commands::tok',
        branchName: 'dev'
      })
    ]

    it('one line per job, a notice for already-ended, no untrusted text at the start of a line', () => {
      expect(logged(() => logOutcomes(outcomes, settings))).toEqual([
        'Stopped job 8 on branch "main" (CANCELLING), commit abcdef0 "::add-mask::secret"',
        '::notice::Job 7 on branch "dev" had already ended (FAILED); nothing to stop, commit abcdef0 "Merge"'
      ])
      expect(logged(() => logOutcomes(outcomes, twoBranches))[0]).toBe(
        'Stopped job 8 on branch "main" (CANCELLING), commit abcdef0 "::add-mask::secret"'
      )
    })

    it.each([
      ['several app ids', twoApps],
      ['every app of the repository', everyApp]
    ])('with %s, names the app', (_, s) => {
      expect(logged(() => logOutcomes(outcomes, s))).toEqual([
        `Stopped job 8 on branch "main" of app ${APP} (CANCELLING), commit abcdef0 "::add-mask::secret"`,
        `::notice::Job 7 on branch "dev" of app ${APP} had already ended (FAILED); nothing to stop, commit abcdef0 "Merge"`
      ])
    })
  })

  describe('logBranchPlan', () => {
    it('warns about each unknown status, naming the app when several', () => {
      const plan = branchPlan([job('9', 'NEW\n::error::x'), job('8', 'QUEUED'), job('7', 'RUNNING')])
      expect(logged(() => logBranchPlan(plan, settings))).toEqual([
        '::warning::Job 9 on branch "main" has the status "NEW ::error::x", which this version of the action does not know: left alone.',
        '::warning::Job 8 on branch "main" has the status "QUEUED", which this version of the action does not know: left alone.'
      ])
      expect(logged(() => logBranchPlan(plan, everyApp))[1]).toBe(
        `::warning::Job 8 on branch "main" of app ${APP} has the status "QUEUED", which this version of the action does not know: left alone.`
      )
    })

    it('says when the only in-progress job is the newest and kept', () => {
      const lone = branchPlan([job('4', 'RUNNING'), job('3', 'SUCCEED')], 'main', APP, { keepNewest: true })
      expect(logged(() => logBranchPlan(lone, settings))).toEqual([
        'Only job 4 on branch "main", the newest, is in progress: no superseded build to stop.'
      ])
      expect(logged(() => logBranchPlan(lone, twoApps))).toEqual([
        `Only job 4 on branch "main" of app ${APP}, the newest, is in progress: no superseded build to stop.`
      ])
      const more = branchPlan([job('4', 'RUNNING'), job('3', 'RUNNING')], 'main', APP, { keepNewest: true })
      expect(logged(() => logBranchPlan(more, settings))).toEqual([])
      const stopping = branchPlan([job('4', 'RUNNING'), job('5', 'CANCELLING')], 'main', APP, {
        keepNewest: true
      })
      expect(logged(() => logBranchPlan(stopping, settings))).toEqual([])
    })

    it('with several targets, says when a branch had nothing, or does not exist', () => {
      const empty = branchPlan([job('1', 'SUCCEED')], 'dev')
      expect(logged(() => logBranchPlan(empty, twoBranches))).toEqual([
        `No job is in progress on branch "dev" of app ${APP}.`
      ])
      expect(logged(() => logBranchPlan(empty, settings))).toEqual([])
      expect(logged(() => logBranchPlan(branchPlan([job('1', 'RUNNING')]), twoBranches))).toEqual([])
      const missing: BranchPlan = {
        ...empty,
        listed: undefined,
        missingBranch: 'Branch "dev" was not found.'
      }
      expect(logged(() => logBranchPlan(missing, twoBranches))).toEqual([
        `App ${APP} has no branch "dev": nothing to stop there.`
      ])
    })

    it('says nothing about a branch that could not be read (its failure is reported)', () => {
      const failed: BranchPlan = {
        target: { appId: APP, branchName: 'dev' },
        decided: [],
        toStop: [],
        unknownStatus: [],
        failure: {
          appId: APP,
          branchName: 'dev',
          operation: 'ListJobs',
          kind: 'permission',
          message: 'Denied.'
        }
      }
      expect(logged(() => logBranchPlan(failed, twoBranches))).toEqual([])
    })
  })

  it.each<[Settings['ifNoJob'], string[]]>([
    ['warn', ['::warning::No job is in progress. 100%25%0A::error::x']],
    ['ignore', ['No job is in progress. 100%']],
    ['fail', []]
  ])('logNothingFound with if-no-job: %s', (ifNoJob, lines) => {
    const note =
      ifNoJob === 'warn' ? 'No job is in progress. 100%\n::error::x' : 'No job is in progress. 100%'
    expect(logged(() => logNothingFound(note, { ifNoJob }))).toEqual(lines)
  })

  it('waitProgress: a status change and the jobs still waited for, as info lines', () => {
    const lines = (s: Settings) =>
      logged(() => {
        const progress = waitProgress(s)
        progress.statusChanged(job('8', 'CANCELLED'), 'CANCELLING')
        progress.stillWaiting(
          [job('8', 'CANCELLING'), job('7', 'RUNNING', { branchName: 'dev', appId: 'd2' })],
          30_400
        )
        progress.stillWaiting([job('7', 'CANCELLING')], 61_600)
      })
    expect(lines({ ...settings, waitTimeoutSeconds: 120 })).toEqual([
      'Job 8 on branch "main" is now CANCELLED (was CANCELLING)',
      'Still waiting after 30 s of 120 s (wait-timeout) for 2 jobs: job 8 on branch "main" (CANCELLING), job 7 on branch "dev" (RUNNING)',
      'Still waiting after 62 s of 120 s (wait-timeout) for job 7 on branch "main" (CANCELLING)'
    ])
    expect(lines(everyApp)).toEqual([
      `Job 8 on branch "main" of app ${APP} is now CANCELLED (was CANCELLING)`,
      `Still waiting after 30 s of 300 s (wait-timeout) for 2 jobs: job 8 on branch "main" of app ${APP} (CANCELLING), job 7 on branch "dev" of app d2 (RUNNING)`,
      `Still waiting after 62 s of 300 s (wait-timeout) for job 7 on branch "main" of app ${APP} (CANCELLING)`
    ])
  })

  it.each<[string, Settings, string | undefined, string]>([
    ['one app and branch', settings, undefined, `Amplify app ${APP} in eu-west-1, branch "main"`],
    [
      'several, through a proxy',
      { ...twoApps, branches: { kind: 'names', names: ['main', 'dev'] } },
      'http://proxy:3128',
      `Amplify apps ${APP}, d2 in eu-west-1, branches "main", "dev", through the proxy http://proxy:3128`
    ],
    [
      'every app and branch',
      { ...everyApp, branches: { kind: 'all' } },
      undefined,
      'Amplify every app of https://github.com/octo/site in eu-west-1, every branch'
    ],
    [
      'the pull request head branch',
      { ...settings, branchSource: 'pull-request' },
      undefined,
      `Amplify app ${APP} in eu-west-1, branch "main" (the pull request head branch)`
    ]
  ])('logStart: %s', (_, s, proxy, line) => {
    expect(logged(() => logStart(s, proxy))).toEqual([line])
  })
})

describe('nothingFoundNote: the if-no-job sentence', () => {
  it.each<[string, Parameters<typeof nothingFoundNote>[0], string]>([
    [
      'no app',
      { kind: 'no-app', repository: 'https://github.com/octo/site\n::error::x' },
      'No Amplify app in this region is connected to the repository https://github.com/octo/site ::error::x: nothing to stop. Check aws-region, or list the app ids.'
    ],
    [
      'one branch',
      { kind: 'one-branch', plan: branchPlan([job('1', 'SUCCEED')]) },
      `No job is in progress on branch "main" of app ${APP} (1 job listed).`
    ],
    [
      'one branch, a commit',
      { kind: 'one-branch', plan: branchPlan([]), commitId: 'abcdef0' },
      `No job building commit abcdef0 is in progress on branch "main" of app ${APP} (0 jobs listed).`
    ],
    [
      'a missing preview branch',
      {
        kind: 'one-branch',
        plan: {
          ...branchPlan([], 'pr-12'),
          listed: undefined,
          missingBranch: 'Branch "pr-12" was not found.'
        }
      },
      'Branch "pr-12" was not found. Nothing to stop (Amplify deletes a preview branch when its pull request closes).'
    ],
    [
      'a missing branch',
      {
        kind: 'one-branch',
        plan: { ...branchPlan([], 'dev'), missingBranch: 'Branch "dev" was not found.' }
      },
      'Branch "dev" was not found. Nothing to stop.'
    ],
    [
      'several branches',
      { kind: 'several-branches', branches: 3, apps: 2 },
      'No job is in progress on any of the 3 branches read in 2 apps.'
    ],
    [
      'several branches of one app',
      { kind: 'several-branches', branches: 2, apps: 1 },
      'No job is in progress on any of the 2 branches read in 1 app.'
    ]
  ])('%s', (_, nothing, note) => {
    expect(nothingFoundNote(nothing)).toBe(note)
  })
})

describe('consoleUrl', () => {
  it("links to the branch's deployments, with the branch encoded", () => {
    expect(consoleUrl('eu-west-1', { appId: 'd1', branchName: 'feature/login' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/amplify/apps/d1/branches/feature%2Flogin/deployments'
    )
  })

  it('cannot leave the href attribute', () => {
    const url = consoleUrl('eu-west-1', { appId: 'd1"><x', branchName: `x" onmouseover="alert(1)` })
    expect(url).not.toMatch(/["<> ]/)
  })
})

describe('failStep', () => {
  let exitCode: typeof process.exitCode
  beforeEach(() => {
    exitCode = process.exitCode
  })
  afterEach(() => {
    process.exitCode = exitCode
  })

  it("an ActionError: the step's error is its message", () => {
    expect(logged(() => failStep(new ActionError('no-job', 'Nothing found.\n::warning::x')))).toEqual([
      '::error::Nothing found.%0A::warning::x'
    ])
    expect(process.exitCode).toBe(1)
  })

  it('anything else is reported as a bug, inert', () => {
    const [line] = logged(() => failStep(new TypeError('x is undefined\n::warning::y')))
    expect(line).toBe(
      '::error::Unexpected error: x is undefined ::warning::y. This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace).'
    )
    expect(process.exitCode).toBe(1)
  })
})

describe('on the runner: setOutputs and writeSummary write the real files', () => {
  const files = new RunnerFiles()
  let restoreEnv: () => void
  let out: ReturnType<typeof captureStdout>

  beforeAll(() => {
    restoreEnv = setEnv({ GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary })
  })
  beforeEach(() => {
    files.clear()
    out = captureStdout()
  })
  afterEach(() => out.restore())
  afterAll(() => {
    restoreEnv()
    files.remove()
  })

  describe('setOutputs', () => {
    it('names the first job that is not kept, and lists every job', () => {
      const outcomes = [
        outcome('11', 'kept', 'PENDING', { previousStatus: 'PENDING' }),
        outcome('10', 'stopped', 'CANCELLING', { previousStatus: 'PENDING' }),
        outcome('9', 'stopped', 'CANCELLING', { previousStatus: 'RUNNING' }),
        outcome('12', 'already-ended', 'SUCCEED', { branchName: 'dev' })
      ]
      setOutputs(outcomes)
      const outputs = files.outputs()
      expect(outputs).toEqual({
        'job-id': '10',
        'job-arn': arn('10'),
        status: 'CANCELLING',
        jobs: jobsOutput(outcomes),
        'stopped-count': '2'
      })
      expect((JSON.parse(outputs.jobs) as Job[]).map(j => `${j.branchName}/${j.jobId}`)).toEqual([
        'main/11',
        'main/10',
        'main/9',
        'dev/12'
      ])
      expect(out.lines().filter(l => l.startsWith('::set-output'))).toEqual([])
    })

    it("with no job found, the outputs are '', '', '', '[]' and '0'", () => {
      setOutputs([])
      expect(files.outputs()).toEqual({
        'job-id': '',
        'job-arn': '',
        status: '',
        jobs: '[]',
        'stopped-count': '0'
      })
    })

    it('with only a kept job, job-id and status are empty but jobs lists it', () => {
      setOutputs([outcome('11', 'kept', 'RUNNING', { previousStatus: 'RUNNING' })])
      const outputs = files.outputs()
      expect(outputs).toMatchObject({ 'job-id': '', 'job-arn': '', status: '', 'stopped-count': '0' })
      expect(JSON.parse(outputs.jobs)).toEqual([
        {
          appId: APP,
          branchName: 'main',
          jobId: '11',
          jobArn: arn('11'),
          status: 'RUNNING',
          previousStatus: 'RUNNING',
          commitId: SHA,
          result: 'kept'
        }
      ])
    })

    it('a dry run stops nothing: stopped-count is 0', () => {
      setOutputs([outcome('5', 'would-stop', 'RUNNING', { previousStatus: 'RUNNING' })])
      expect(files.outputs()).toMatchObject({ 'job-id': '5', status: 'RUNNING', 'stopped-count': '0' })
    })
  })

  describe('writeSummary', () => {
    const report = (r: Partial<RunReport>): RunReport => ({
      settings,
      outcomes: [],
      appsRead: 1,
      plans: [branchPlan([])],
      failures: [],
      ...r
    })

    it('one branch: a table of the jobs with a link to the console, untrusted text escaped', async () => {
      const branchName = 'feature/<b>x</b>'
      await writeSummary(
        report({
          settings: { ...settings, branches: { kind: 'names', names: [branchName] } },
          plans: [branchPlan([], branchName)],
          outcomes: [
            outcome('8', 'stopped', 'CANCELLING', {
              branchName,
              previousStatus: 'RUNNING',
              commitMessage: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) | `y`\nsecond line'
            }),
            outcome('7', 'already-ended', 'SUCCEED', { branchName, commitId: null, commitMessage: '' })
          ]
        })
      )
      const text = files.summaryText()
      const deployments =
        'https://eu-west-1.console.aws.amazon.com/amplify/apps/d1a2b3c4d5e6f7/branches/feature%2F%3Cb%3Ex%3C%2Fb%3E/deployments'
      expect(text).toContain('<h3>Amplify: 1 job stopped</h3>')
      expect(text).toContain(
        `<p>App <code>${APP}</code> in <code>eu-west-1</code>, branch <a href="${deployments}"><code>feature/&lt;b&gt;x&lt;/b&gt;</code></a></p>`
      )
      expect(text).toContain(
        '<tr><th>Job</th><th>Result</th><th>Status</th><th>Commit</th><th>Message</th></tr>'
      )
      expect(text).toContain(
        `<tr><td><a href="${deployments}">8</a></td><td>stopped</td><td>RUNNING → CANCELLING</td><td><code>abcdef0</code></td><td>&lt;img src=x onerror=alert&#40;1&#41;&gt; &#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41; &#124; &#96;y&#96;</td></tr>`
      )
      // @actions/core writes an empty cell as a bare <td> (HTML closes it implicitly)
      expect(text).toMatch(/<td>already-ended<\/td><td>SUCCEED<\/td><td>(<\/td>)?<td>(<\/td>)?<\/tr>/)
      expect(text).not.toContain('<th>App</th>')
      expect(text).not.toContain('<img')
      expect(text).not.toContain('second line')
      expect(text).not.toContain('](javascript')
      expect(text).not.toContain('Waited')
      expect(text).not.toContain('Failed requests')
    })

    it('several branches: one table with App and Branch columns', async () => {
      const outcomes = [
        outcome('8', 'stopped', 'CANCELLING', { previousStatus: 'RUNNING' }),
        outcome('3', 'would-stop', 'RUNNING', { appId: 'd2', branchName: 'a|<b>', previousStatus: 'RUNNING' })
      ]
      await writeSummary(
        report({
          settings: { ...everyApp, branches: { kind: 'all' } },
          appsRead: 2,
          plans: [branchPlan([]), branchPlan([], 'dev'), branchPlan([], 'a|<b>', 'd2')],
          outcomes
        })
      )
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 1 job stopped</h3>')
      expect(text).toContain('<p>2 apps, 3 branches read in eu-west-1</p>')
      expect(text).toContain(
        '<tr><th>App</th><th>Branch</th><th>Job</th><th>Result</th><th>Status</th><th>Commit</th><th>Message</th></tr>'
      )
      const d2 = 'https://eu-west-1.console.aws.amazon.com/amplify/apps/d2/branches/a%7C%3Cb%3E/deployments'
      expect(text).toContain(
        `<tr><td><code>d2</code></td><td><a href="${d2}"><code>a&#124;&lt;b&gt;</code></a></td><td><a href="${d2}">3</a></td><td>would-stop</td><td>RUNNING</td>`
      )
      expect(text).toContain(`<tr><td><code>${APP}</code></td><td><a href="`)
      expect(text).not.toContain('<p>App <code>')
      expect(text).not.toContain('<b>')
    })

    it('several branches and nothing found: the note, no table', async () => {
      await writeSummary(
        report({
          settings: twoBranches,
          plans: [branchPlan([]), branchPlan([], 'dev')],
          note: 'No job is in progress on any of the 2 branches read in 1 app.'
        })
      )
      const text = files.summaryText()
      expect(text).toContain('<p>1 app, 2 branches read in eu-west-1</p>')
      expect(text).toContain('<p>No job is in progress on any of the 2 branches read in 1 app.</p>')
      expect(text).not.toContain('<table>')
    })

    it('a job id: the single-branch layout, from the job', async () => {
      await writeSummary(
        report({
          settings: { ...settings, jobId: '42' },
          plans: [],
          outcomes: [outcome('42', 'stopped', 'CANCELLING', { branchName: 'dev' })]
        })
      )
      const text = files.summaryText()
      expect(text).toContain(`<p>App <code>${APP}</code> in <code>eu-west-1</code>, branch <a href="`)
      expect(text).toContain('<code>dev</code></a></p>')
      expect(text).toContain('<tr><th>Job</th>')
    })

    it('lists the failed requests, escaped', async () => {
      const failures: Failure[] = [
        { operation: 'ListApps', kind: 'network', message: 'Could not reach <Amplify> [x](y)\n::error::z' },
        {
          appId: APP,
          branchName: 'dev',
          operation: 'ListJobs',
          kind: 'permission',
          message: 'Denied & *bold*'
        }
      ]
      await writeSummary(
        report({ settings: twoBranches, plans: [branchPlan([]), branchPlan([], 'dev')], failures })
      )
      const text = files.summaryText()
      expect(text).toContain('<p><strong>Failed requests</strong></p>')
      expect(text).toContain(
        '<ul><li>&#91;ListApps&#93; Could not reach &lt;Amplify&gt; &#91;x&#93;&#40;y&#41; ::error::z</li>' +
          '<li>&#91;app d1a2b3c4d5e6f7, branch &quot;dev&quot;, ListJobs&#93; Denied &amp; &#42;bold&#42;</li></ul>'
      )
    })

    it('in a dry run, says so in the title and the target line', async () => {
      await writeSummary(
        report({
          settings: { ...settings, dryRun: true },
          outcomes: [outcome('5', 'would-stop', 'RUNNING', { previousStatus: 'RUNNING' })]
        })
      )
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify jobs that would be stopped</h3>')
      expect(text).toMatch(/<code>main<\/code><\/a> \(dry run: no StopJob sent\)<\/p>/)
      expect(text).toContain('<td>would-stop</td><td>RUNNING</td>')
      files.clear()
      await writeSummary(
        report({ settings: { ...twoBranches, dryRun: true }, plans: [branchPlan([]), branchPlan([])] })
      )
      expect(files.summaryText()).toContain(
        '<p>1 app, 2 branches read in eu-west-1 (dry run: no StopJob sent)</p>'
      )
    })

    it('with no job, says there was none, or gives the reason, escaped', async () => {
      await writeSummary(report({}))
      let text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 0 jobs stopped</h3>')
      expect(text).toContain('<p>No job in progress.</p>')
      expect(text).not.toContain('<table>')
      files.clear()
      await writeSummary(report({ note: 'Branch "pr-<7>" was not found.' }))
      text = files.summaryText()
      expect(text).toContain('<p>Branch &quot;pr-&lt;7&gt;&quot; was not found.</p>')
    })

    it('after a wait, shows the final status and how long the wait took', async () => {
      await writeSummary(
        report({
          settings: { ...settings, wait: true },
          outcomes: [
            outcome('9', 'stopped', 'CANCELLED', { previousStatus: 'RUNNING' }),
            outcome('8', 'stopped', 'CANCELLED', { previousStatus: 'PENDING' })
          ],
          waitedMs: 12_345
        })
      )
      const text = files.summaryText()
      expect(text).toContain('<h3>Amplify: 2 jobs stopped</h3>')
      expect(text).toContain('<td>RUNNING → CANCELLED</td>')
      expect(text).toContain('<td>PENDING → CANCELLED</td>')
      expect(text).toContain('<p>Waited 12.3 s for the jobs to end.</p>')
    })

    it('without GITHUB_STEP_SUMMARY, writes nothing and does not fail', async () => {
      const restore = setEnv({ GITHUB_STEP_SUMMARY: undefined })
      try {
        await writeSummary(report({ outcomes: [outcome('1', 'stopped', 'CANCELLING')] }))
      } finally {
        restore()
      }
      expect(files.summaryText()).toBe('')
    })
  })
})
