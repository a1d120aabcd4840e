// wait: after the stops, poll until every job acted on has ended, or fail at wait-timeout naming what has not.
// Through dist/index.js on Node 24; concurrent, since these tests mostly wait, each on its own server.
import { describe, expect, it } from '@jest/globals'
import {
  countByOperation,
  expectFailure,
  expectSuccess,
  jobLines,
  jobsPath,
  runStep,
  startServer,
  statuses,
  type StepResult
} from '../support/harness.js'

const APP = 'd5e6f7a8b9c0d1'
const byId = (jobId: string, more: Record<string, string> = {}) => ({
  inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': jobId, wait: 'true', ...more }
})
/** Seconds in the summary's "Waited N s for the jobs to end." line. */
const waitedSeconds = (result: StepResult) =>
  Number(/Waited (\d+\.\d) s for the jobs to end\./.exec(result.summaryText)?.[1])

describe('wait', () => {
  it.concurrent(
    'by id: polls GetJob, through throttling, until the job is CANCELLED, and says so',
    async () => {
      const server = await startServer({ cancelDelayMs: 1000 })
      server.addJob(APP, 'main')
      server.addFault({ operation: 'GetJob', kind: 'throttle', times: 2 }) // slows the wait, never fails it

      const result = await runStep(server, byId('1'))

      expectSuccess(result)
      const log = statuses(server)
      expect(log.slice(0, 3)).toEqual(['StopJob 200', 'GetJob 429', 'GetJob 429'])
      expect(new Set(log.slice(3))).toEqual(new Set(['GetJob 200']))
      expect(log.length).toBeLessThanOrEqual(8) // a cancel that lands after 1 s costs a few polls
      expect(new Set(server.requestsFor('GetJob').map(r => r.path))).toEqual(
        new Set([jobsPath(APP, 'main', '1')])
      )
      expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLED', 'stopped-count': '1' })
      expect(result.jobs?.map(j => [j.status, j.result])).toEqual([['CANCELLED', 'stopped']])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain('Stopped job 1 on branch "main" (CANCELLING)')
      expect(result.stdout).toContain('Job 1 on branch "main" is now CANCELLED (was CANCELLING)')
      expect(result.summaryText).toContain('1 stopped CANCELLED')
      expect(waitedSeconds(result)).toBeGreaterThanOrEqual(0.9)
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLED')
    }
  )

  it.concurrent(
    'discovery: every stopped job is polled, a branch of one page with two jobs by one ListJobs a round',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(APP, 'main', 3, i => ({ status: ['SUCCEED', 'RUNNING', 'PENDING'][i] }))
      server.addJob(APP, 'dev', { status: 'RUNNING' })
      // Amplify ends the cancels by the first poll of each branch: main's second ListJobs, dev's GetJob.
      let mainLists = 0
      server.onRequest(({ operation, branchName }) => {
        if (operation === 'ListJobs' && branchName === 'main' && ++mainLists === 2)
          ['2', '3'].forEach(id => server.setJobStatus(APP, 'main', id, 'CANCELLED'))
        if (operation === 'GetJob') server.setJobStatus(APP, 'dev', '1', 'CANCELLED')
      })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main, dev', wait: 'true' }
      })

      expectSuccess(result)
      expect(countByOperation(server)).toEqual({ ListJobs: 3, StopJob: 3, GetJob: 1 })
      expect(server.requestsFor('GetJob').map(r => r.path)).toEqual([jobsPath(APP, 'dev', '1')])
      expect(result.jobs?.map(j => [j.branchName, j.jobId, j.previousStatus, j.status])).toEqual([
        ['main', '3', 'PENDING', 'CANCELLED'],
        ['main', '2', 'RUNNING', 'CANCELLED'],
        ['dev', '1', 'RUNNING', 'CANCELLED']
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '3', status: 'CANCELLED', 'stopped-count': '3' })
      expect(result.stdout).toContain('Job 2 on branch "main" is now CANCELLED (was CANCELLING)')
    }
  )

  it.concurrent('a job already CANCELLING is waited for too, never stopped again', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'CANCELLING' })
    server.onRequest(({ operation }) => {
      if (operation === 'GetJob') server.setJobStatus(APP, 'main', '1', 'CANCELLED')
    })

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main', wait: 'true' } })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['ListJobs 200', 'GetJob 200'])
    expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLED', 'stopped-count': '0' })
    expect(result.jobs?.map(j => [j.status, j.result])).toEqual([['CANCELLED', 'already-stopping']])
    expect(result.stdout).toContain('Job 1 on branch "main" is now CANCELLED (was CANCELLING)')
  })

  it.concurrent('a job that had already ended is not polled', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'FAILED' })

    const result = await runStep(server, byId('1'))

    expectSuccess(result)
    expect(statuses(server)).toEqual(['StopJob 400', 'GetJob 200'])
    expect(result.outputs).toMatchObject({ status: 'FAILED', 'stopped-count': '0' })
    expect(result.summaryText).not.toContain('Waited')
  })

  it.concurrent(
    'fails at wait-timeout on a job stuck CANCELLING, naming its app and branch, with the outputs set',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { jobId: '17' })

      // wait-timeout with a unit, end to end (the tests below give plain seconds).
      const result = await runStep(server, byId('17', { 'wait-timeout': '2s' }))

      expectFailure(result, /^Waited 2s \(wait-timeout\)/, `app ${APP}: "main" (job 17 CANCELLING)`)
      expect(result.warnings).toEqual([])
      expect(result.outputs).toMatchObject({
        'job-id': '17',
        'job-arn': server.jobArn(APP, 'main', '17'),
        status: 'CANCELLING',
        'stopped-count': '1'
      })
      expect(waitedSeconds(result)).toBeGreaterThanOrEqual(1.9)
      const log = statuses(server)
      expect(log[0]).toBe('StopJob 200')
      expect(log.length).toBeGreaterThanOrEqual(2)
      expect(new Set(log.slice(1))).toEqual(new Set(['GetJob 200']))
      expect(server.getJob(APP, 'main', '17').status).toBe('CANCELLING')
    }
  )

  it.concurrent(
    'ends at wait-timeout even when GetJob never answers, not after every retry of every poll',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { jobId: '4' })
      server.addFault({ operation: 'GetJob', kind: 'hang', times: Infinity })

      const result = await runStep(server, { ...byId('4', { 'wait-timeout': '3' }), timeoutMs: 55_000 })

      expectFailure(result, 'Waited 3s (wait-timeout)', `app ${APP}: "main" (job 4 CANCELLING)`)
      expect(result.outputs).toMatchObject({ 'job-id': '4', status: 'CANCELLING', 'stopped-count': '1' })
      expect(statuses(server)[0]).toBe('StopJob 200')
      expect(new Set(statuses(server).slice(1))).toEqual(new Set(['GetJob hang']))
      // A hung GetJob's 10 s request timeout and its retries would take about a minute.
      expect(result.durationMs).toBeLessThan(40_000)
    },
    60_000
  )

  it.concurrent('a wait that times out beside a denied app: one error names both', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob('ddenied', 'main')
    server.addJob('dstuck', 'main')
    server.deny('ListJobs', { appId: 'ddenied' })

    const result = await runStep(server, {
      inputs: { 'app-id': 'ddenied,dstuck', 'branch-name': 'main', wait: 'true', 'wait-timeout': '2' }
    })

    // One line for each failure, then what to fix: each names its app, branch, operation or job.
    expect(expectFailure(result).split('\n')).toEqual([
      expect.stringMatching(/^2 Amplify requests failed /),
      expect.stringMatching(/^App ddenied, ListJobs: .*AccessDeniedException.*"main"/),
      expect.stringMatching(/^Waited 2s \(wait-timeout\).* app dstuck: "main" \(job 1 CANCELLING\)/),
      expect.stringMatching(/^To fix: .*amplify:ListJobs .*:apps\/ddenied\/branches\/\*/)
    ])
    expect(jobLines(result)).toEqual(['dstuck/main#1 stopped'])
    expect(countByOperation(server)).toMatchObject({ ListJobs: 2, StopJob: 1 })
    expect(server.requestsFor('GetJob').every(r => r.appId === 'dstuck')).toBe(true)
  })
})
