// Issue 16, end to end: choosing exactly which builds stop, and never by accident. One test per new input or
// rule, through dist/index.js on the runtime action.yml declares: statuses, job-types, why nothing was
// stopped, keep-newest after the filters, find-timeout and jobs stuck CANCELLING. Each asserts the outputs,
// the exit code, the requests that reached the server and the jobs' states there. Parsing and wording in full
// are unit-tested (settings, plan, messages); an unknown input is stop.e2e's, wait-timeout's units wait.e2e's.
import { describe, expect, it } from '@jest/globals'
import type { AmplifyServer, JobSeed } from '../support/amplify-server.js'
import {
  countByOperation,
  expectSuccess,
  jobLines,
  jobStates,
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

/** The job ids StopJob was sent for. */
const stopsSent = (server: AmplifyServer) => server.requestsFor('StopJob').map(r => r.jobId)

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
    expect(jobStates(server, APP, 'main', 2)).toEqual(['RUNNING', 'CANCELLING'])
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
      expect(jobStates(server, APP, 'main', 3)).toEqual(['RUNNING', 'CANCELLING', 'PENDING'])
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
  // Either way, the one note names the branch, the app, the jobs in progress and the filter that left them.
  const names = ['"pr-42"', APP, '3 jobs', 'older-than (2h)']

  // if-no-job applies: warn is a warning and success, fail the step's one error.
  it.concurrent.each([
    ['warn', 0, 'warning', names],
    ['fail', 1, 'error', [...names, 'if-no-job']]
  ])('older-than: 2h, if-no-job: %s', async (ifNoJob, exitCode, command, fragments) => {
    const server = await serverWith('pr-42', jobs)

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'pr-42', 'older-than': '2h', 'if-no-job': ifNoJob }
    })

    expect(result.exitCode).toBe(exitCode)
    expect(result.annotations.map(a => a.command)).toEqual([command])
    for (const fragment of fragments) expect(result.annotations[0].message).toContain(fragment)
    expect(result.stdout).not.toMatch(/no job is in progress/i)
    expect(result.outputs).toMatchObject({ 'job-id': '', 'stopped-count': '0', 'stuck-count': '0' })
    expect(countByOperation(server)).toEqual({ ListJobs: 1 })
    expect(jobStates(server, APP, 'pr-42', 3)).toEqual(['RUNNING', 'PENDING', 'RUNNING'])
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
      expect(jobStates(server, APP, 'main', 3)).toEqual(['CANCELLING', 'RUNNING', 'RUNNING'])
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
      expect(jobStates(server, APP, 'main', 2)).toEqual(['RUNNING', 'CANCELLING'])
      expect(result.warnings).toEqual([])
    }
  )

  it.concurrent('with nothing ever appearing, re-reads until it passes, then if-no-job applies', async () => {
    const server = await serverWith('main', [{ status: 'SUCCEED' }])

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'find-timeout': '6s' }
    })

    expectSuccess(result)
    expect(result.annotations.map(a => a.command)).toEqual(['warning'])
    for (const fragment of ['"main"', APP, '1 job listed', '6s (find-timeout)'])
      expect(result.warnings[0].message).toContain(fragment)
    // Reads at about 0 s, 5 s and 6 s (the last may be skipped when the second answers after 6 s).
    const reads = server.requestsFor('ListJobs')
    expect(reads.length).toBeGreaterThanOrEqual(2)
    expect(reads.length).toBeLessThanOrEqual(3)
    expect(reads[reads.length - 1].time - reads[0].time).toBeGreaterThanOrEqual(4900)
    expect(countByOperation(server)).toEqual({ ListJobs: reads.length })
    expect(result.outputs).toMatchObject({ 'job-id': '', 'stopped-count': '0' })
    expect(jobStates(server, APP, 'main', 1)).toEqual(['SUCCEED'])
  })
})

describe('jobs stuck CANCELLING', () => {
  const branches = Array.from({ length: 12 }, (_, i) => `b${String(i + 1).padStart(2, '0')}`)
  // Each names its branch and app, and how long ago the job started (the server's start time, 5 h ago).
  const stuckWarning = (branch: string) =>
    new RegExp(`^Job 1 on branch "${branch}" of app ${APP} is stuck CANCELLING: it started 5h(\\d+s)? ago, `)

  const warnings = [
    ...branches.slice(0, 10).map(branch => expect.stringMatching(stuckWarning(branch))),
    expect.stringMatching(/^More jobs stuck CANCELLING: 2 .*\(stuck-count 12\)/)
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
    expect(result.summaryText.includes('12 jobs stuck CANCELLING')).toBe(stuck > 0)
    expect(jobLines(result)).toEqual(branches.map(branch => `${APP}/${branch}#1 already-stopping`))
    expect(countByOperation(server)).toEqual({ ListBranches: 1, ListJobs: 12 })
    for (const branch of branches) expect(jobStates(server, APP, branch, 1)).toEqual(['CANCELLING'])
  })
})
