// Issue 16, end to end: choosing exactly which builds stop, and never by accident. One test per new input or
// rule, through dist/index.js on the runtime action.yml declares: unknown inputs, statuses, job-types, why
// nothing was stopped, keep-newest after the filters, find-timeout, wait-timeout's units and jobs stuck
// CANCELLING. Each asserts the outputs, the exit code, the requests that reached the server and the jobs'
// states there. Parsing and wording in full are unit-tested (settings, plan, messages); here, one row each.
import { describe, expect, it } from '@jest/globals'
import type { AmplifyServer, JobSeed } from '../support/amplify-server.js'
import {
  countByOperation,
  expectFailure,
  expectInputError,
  expectSuccess,
  jobLines,
  jobsPath,
  runStep,
  startServer
} from '../support/harness.js'

const APP = 'd16a2b3c4d5e6f'
const SHA = { pushed: 'c'.repeat(40), other: 'b'.repeat(40) }
const MINUTES = 60
const HOURS = 3600

/** Jobs on `branch`, ids 1, 2, ... in the order given; a server that leaves stopped jobs CANCELLING. */
async function serverWith(branch: string, jobs: JobSeed[]): Promise<AmplifyServer> {
  const server = await startServer({ cancelDelayMs: Infinity })
  for (const job of jobs) server.addJob(APP, branch, job)
  return server
}

/** The status of every job of a branch, by id, as the server holds them now. */
function states(server: AmplifyServer, branch: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => server.getJob(APP, branch, String(i + 1)).status)
}

/** The job ids StopJob was sent for. */
const stopsSent = (server: AmplifyServer) => server.requestsFor('StopJob').map(r => r.jobId)

describe('inputs that would widen or blur the selection are input errors, before any request', () => {
  it.concurrent.each([
    // The runner passes `dry_run:` as INPUT_DRY_RUN, and only warns that it is not an input.
    ['dry_run: true', {}, { INPUT_DRY_RUN: 'true' }, ['"dry_run"', 'did you mean dry-run?']],
    ['older_than: 2h', {}, { INPUT_OLDER_THAN: '2h' }, ['"older_than"', 'did you mean older-than?']],
    [
      'statuses: QUEUED',
      { statuses: 'QUEUED' },
      {},
      ['Input statuses "QUEUED"', 'CREATED, PENDING, PROVISIONING, RUNNING']
    ],
    [
      'find-timeout with job-id',
      { 'job-id': '1', 'find-timeout': '1m' },
      {},
      ['Input find-timeout', 'cannot be combined with job-id']
    ]
  ])('%s', async (_, inputs: Record<string, string>, env: Record<string, string>, fragments) => {
    const server = await serverWith('main', [{ status: 'RUNNING' }])

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main', ...inputs }, env })

    expectInputError(result, server, ...fragments)
    expect(states(server, 'main', 1)).toEqual(['RUNNING'])
  })
})

describe('statuses and job-types narrow what is stopped', () => {
  it.concurrent('statuses: PENDING stops the queued build and lets the running one finish', async () => {
    const server = await serverWith('main', [{ status: 'RUNNING' }, { status: 'PENDING' }])

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', statuses: 'PENDING' }
    })

    expectSuccess(result)
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
    expect(jobLines(result)).toEqual([`${APP}/main#2 stopped`])
    expect(countByOperation(server)).toEqual({ ListJobs: 1, StopJob: 1 })
    expect(server.requestsFor('StopJob')[0].path).toBe(jobsPath(APP, 'main', '2', true))
    expect(states(server, 'main', 2)).toEqual(['RUNNING', 'CANCELLING'])
    expect(result.warnings).toEqual([])
  })

  it.concurrent(
    'job-types: MANUAL stops the manual deploy only, not the webhook or release builds',
    async () => {
      const server = await serverWith('main', [
        { status: 'RUNNING', jobType: 'WEB_HOOK' },
        { status: 'RUNNING', jobType: 'MANUAL' },
        { status: 'PENDING', jobType: 'RELEASE' }
      ])

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-types': 'MANUAL' }
      })

      expectSuccess(result)
      expect(result.outputs).toMatchObject({ 'job-id': '2', 'stopped-count': '1' })
      expect(jobLines(result)).toEqual([`${APP}/main#2 stopped`])
      expect(countByOperation(server)).toEqual({ ListJobs: 1, StopJob: 1 })
      expect(stopsSent(server)).toEqual(['2'])
      expect(states(server, 'main', 3)).toEqual(['RUNNING', 'CANCELLING', 'PENDING'])
    }
  )
})

describe('when the filters leave every job in progress alone, the log says so', () => {
  // Two builds of ten minutes, and a manual deployment with no start time: older-than leaves all three.
  const jobs: JobSeed[] = [
    { status: 'RUNNING', startedSecondsAgo: 10 * MINUTES },
    { status: 'PENDING', startedSecondsAgo: 10 * MINUTES },
    { status: 'RUNNING', jobType: 'MANUAL', startTime: undefined, commitId: undefined }
  ]
  const note =
    `No job was stopped on branch "pr-42" of app ${APP}: 3 jobs are in progress, ` +
    'but older-than (2h) left them alone.'

  // if-no-job applies: warn is a warning and success, fail the step's one error.
  it.concurrent.each([
    ['warn', 0, [note], []],
    ['fail', 1, [], [`${note} Failing because if-no-job is fail.`]]
  ])('older-than: 2h, if-no-job: %s', async (ifNoJob, exitCode, warnings, errors) => {
    const server = await serverWith('pr-42', jobs)

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'pr-42', 'older-than': '2h', 'if-no-job': ifNoJob }
    })

    expect(result.exitCode).toBe(exitCode)
    expect(result.warnings.map(w => w.message)).toEqual(warnings)
    expect(result.errors.map(e => e.message)).toEqual(errors)
    expect(result.stdout).not.toMatch(/no job is in progress/i)
    expect(result.outputs).toMatchObject({ 'job-id': '', 'stopped-count': '0', 'stuck-count': '0' })
    expect(countByOperation(server)).toEqual({ ListJobs: 1 })
    expect(states(server, 'pr-42', 3)).toEqual(['RUNNING', 'PENDING', 'RUNNING'])
  })

  it.concurrent(
    'keep-newest after older-than keeps the newest of those selected, and says a newer one was left alone',
    async () => {
      const server = await serverWith('main', [
        { status: 'RUNNING', startedSecondsAgo: 5 * HOURS },
        { status: 'RUNNING', startedSecondsAgo: 3 * HOURS },
        { status: 'RUNNING', startedSecondsAgo: 10 * MINUTES }
      ])

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'older-than': '2h', 'keep-newest': 'true' }
      })

      expectSuccess(result)
      expect(jobLines(result)).toEqual([`${APP}/main#2 kept`, `${APP}/main#1 stopped`])
      expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' })
      expect(result.stdout).toContain(
        'Kept job 2 on branch "main" running (RUNNING): it is the newest of those selected ' +
          '(a newer job in progress was left alone by the filters)'
      )
      expect(countByOperation(server)).toEqual({ ListJobs: 1, StopJob: 1 })
      expect(stopsSent(server)).toEqual(['1'])
      expect(states(server, 'main', 3)).toEqual(['CANCELLING', 'RUNNING', 'RUNNING'])
      expect(result.warnings).toEqual([])
    }
  )
})

describe('find-timeout: a build Amplify has not created yet', () => {
  it.concurrent(
    'is found on a re-read about 5 s later and stopped; the build of another commit is left alone',
    async () => {
      const server = await serverWith('main', [{ status: 'RUNNING', commitId: SHA.other }])
      // The push's build: hidden until 1.5 s after the step's first read, whenever that comes.
      const build = server.addJob(APP, 'main', {
        status: 'PENDING',
        commitId: SHA.pushed,
        appearsAfterMs: 3.6e6
      })
      const stopWatching = server.onRequest(request => {
        if (request.operation !== 'ListJobs') return
        build.visibleFrom = Date.now() + 1500
        stopWatching()
      })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'commit-id': SHA.pushed, 'find-timeout': '1m' }
      })

      expectSuccess(result)
      expect(result.stdout).toContain(
        `No job to stop on branch "main" of app ${APP} yet: reading it again every 5s for up to 1m (find-timeout).`
      )
      expect(jobLines(result)).toEqual([`${APP}/main#2 stopped`])
      expect(result.outputs).toMatchObject({ 'job-id': '2', 'stopped-count': '1' })
      expect(countByOperation(server)).toEqual({ ListJobs: 2, StopJob: 1 })
      const [first, second] = server.requestsFor('ListJobs')
      expect(second.time - first.time).toBeGreaterThanOrEqual(4900)
      expect(stopsSent(server)).toEqual(['2'])
      expect(states(server, 'main', 2)).toEqual(['RUNNING', 'CANCELLING'])
      expect(result.warnings).toEqual([])
    }
  )

  it.concurrent('with nothing ever appearing, re-reads until it passes, then if-no-job applies', async () => {
    const server = await serverWith('main', [{ status: 'SUCCEED' }])

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'find-timeout': '6s' }
    })

    expectSuccess(result)
    expect(result.warnings.map(w => w.message)).toEqual([
      `No job is in progress on branch "main" of app ${APP} (1 job listed). Looked for 6s (find-timeout).`
    ])
    // Reads at about 0 s, 5 s and 6 s (the last may be skipped when the second answers after 6 s).
    const reads = server.requestsFor('ListJobs')
    expect(reads.length).toBeGreaterThanOrEqual(2)
    expect(reads.length).toBeLessThanOrEqual(3)
    expect(reads[reads.length - 1].time - reads[0].time).toBeGreaterThanOrEqual(4900)
    expect(countByOperation(server)).toEqual({ ListJobs: reads.length })
    expect(result.outputs).toMatchObject({ 'job-id': '', 'stopped-count': '0' })
    expect(states(server, 'main', 1)).toEqual(['SUCCEED'])
  })
})

describe('wait-timeout takes units', () => {
  it.concurrent('wait-timeout: 2s on a job stuck CANCELLING fails after about 2 s, naming it', async () => {
    const server = await serverWith('main', [{ status: 'CANCELLING' }])

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', wait: 'true', 'wait-timeout': '2s' }
    })

    expectFailure(result, 'Waited 2s (wait-timeout), but this job has not ended', 'job 1 CANCELLING')
    expect(result.durationMs).toBeGreaterThanOrEqual(2000)
    expect(jobLines(result)).toEqual([`${APP}/main#1 already-stopping`])
    expect(result.outputs).toMatchObject({ status: 'CANCELLING', 'stopped-count': '0' })
    const counts = countByOperation(server)
    expect(counts.StopJob).toBeUndefined() // a job already stopping is not stopped again
    expect(counts.ListJobs).toBe(1)
    expect(counts.GetJob).toBeGreaterThanOrEqual(1)
    expect(states(server, 'main', 1)).toEqual(['CANCELLING'])
  })
})

describe('jobs stuck CANCELLING', () => {
  const branches = Array.from({ length: 12 }, (_, i) => `b${String(i + 1).padStart(2, '0')}`)
  const stuckWarning = (branch: string) =>
    new RegExp(
      `^Job 1 on branch "${branch}" of app ${APP} is stuck CANCELLING: it started 5h(\\d+s)? ago, ` +
        'and Amplify cannot stop a job that is already stopping\\. Ask AWS Support to end it\\.$'
    )

  const warnings = [
    ...branches.slice(0, 10).map(branch => expect.stringMatching(stuckWarning(branch))),
    'More jobs stuck CANCELLING: 2 besides those above (stuck-count 12); the jobs output and jobs-file list every one.'
  ]

  it.concurrent.each([
    [
      'with older-than: 2h, 10 warnings name them, one more counts the rest',
      { 'older-than': '2h' },
      12,
      warnings
    ],
    ['without older-than, nothing is stuck', {}, 0, []]
  ])('%s', async (_, inputs: Record<string, string>, stuck, expectedWarnings) => {
    const server = await startServer({ cancelDelayMs: Infinity })
    for (const branch of branches)
      server.addJob(APP, branch, { status: 'CANCELLING', startedSecondsAgo: 5 * HOURS })

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': '*', ...inputs } })

    expectSuccess(result)
    expect(result.outputs).toMatchObject({ 'stuck-count': String(stuck), 'stopped-count': '0' })
    expect(result.warnings.map(w => w.message)).toEqual(expectedWarnings)
    expect(result.summaryText.includes('12 jobs stuck CANCELLING: ask AWS Support to end them.')).toBe(
      stuck > 0
    )
    expect(jobLines(result)).toEqual(branches.map(branch => `${APP}/${branch}#1 already-stopping`))
    expect(countByOperation(server)).toEqual({ ListBranches: 1, ListJobs: 12 })
    for (const branch of branches) expect(states(server, branch, 1)).toEqual(['CANCELLING'])
  })
})
