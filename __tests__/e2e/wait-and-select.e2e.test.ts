// Beyond a single stop: wait until jobs have really ended, keep the newest build, target a commit, dry runs.
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectFailure,
  expectSuccess,
  jobsPath,
  runStep,
  startServer,
  statuses
} from '../support/harness.js'

const APP = 'd5e6f7a8b9c0d1'

/** Seconds in the summary's "Waited N s for the jobs to end." line. */
function waitedSeconds(summaryText: string): number {
  const match = /Waited (\d+\.\d) s for the jobs to end\./.exec(summaryText)
  expect(match).not.toBeNull()
  return Number(match?.[1])
}

// Concurrently: these tests mostly wait (for a cancel to land, for a wait-timeout), each on its own server.
describe('wait', () => {
  it.concurrent(
    'waits until the stopped job is CANCELLED, polling GetJob a few times, and says how long it took',
    async () => {
      const server = await startServer({ cancelDelayMs: 1000 })
      server.addJob(APP, 'main', { status: 'RUNNING' })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '1', wait: 'true' }
      })

      expectSuccess(result)
      const log = calls(server)
      expect(log[0]).toBe(`StopJob ${jobsPath(APP, 'main', '1', true)} 200`)
      const polls = log.slice(1)
      // A cancel that lands after 1 s costs a couple of polls (first soon after the stop, then backing off).
      expect(polls.length).toBeGreaterThanOrEqual(1)
      expect(polls.length).toBeLessThanOrEqual(5)
      expect(new Set(polls)).toEqual(new Set([`GetJob ${jobsPath(APP, 'main', '1')} 200`]))
      expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLED', 'stopped-count': '1' })
      expect(result.jobs).toEqual([
        expect.objectContaining({ jobId: '1', status: 'CANCELLED', result: 'stopped' })
      ])
      expect(result.annotations).toEqual([])
      // Each stop is logged when it happens, and each job's end when the wait sees it.
      expect(result.stdout).toContain('Stopped job 1 on branch "main" (CANCELLING)')
      expect(result.stdout).toContain('Job 1 on branch "main" is now CANCELLED (was CANCELLING)')
      expect(result.summaryText).toContain('1 stopped CANCELLED')
      const waited = waitedSeconds(result.summaryText)
      expect(waited).toBeGreaterThanOrEqual(0.9)
      expect(waited).toBeLessThan(30)
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLED')
    }
  )

  it.concurrent('waits on every stopped job of a discovery concurrently', async () => {
    const server = await startServer({ cancelDelayMs: 1000 })
    server.addJob(APP, 'main', { status: 'SUCCEED' })
    server.addJob(APP, 'main', { status: 'RUNNING' })
    server.addJob(APP, 'main', { status: 'PENDING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', wait: 'true' }
    })

    expectSuccess(result)
    expect(new Set(server.requestsFor('GetJob').map(r => r.jobId))).toEqual(new Set(['2', '3']))
    expect(result.jobs?.map(j => [j.jobId, j.previousStatus, j.status, j.result])).toEqual([
      ['3', 'PENDING', 'CANCELLED', 'stopped'],
      ['2', 'RUNNING', 'CANCELLED', 'stopped']
    ])
    expect(result.outputs).toMatchObject({ 'job-id': '3', status: 'CANCELLED', 'stopped-count': '2' })
  })

  it.concurrent('waits on a job that was already CANCELLING too, without stopping it again', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'CANCELLING' })
    // Amplify finishes the cancel by the time the first poll arrives.
    server.onRequest(({ operation }) => {
      if (operation === 'GetJob') server.setJobStatus(APP, 'main', '1', 'CANCELLED')
    })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', wait: 'true' }
    })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['ListJobs 200', 'GetJob 200'])
    expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLED', 'stopped-count': '0' })
    expect(result.jobs).toEqual([
      expect.objectContaining({ status: 'CANCELLED', result: 'already-stopping' })
    ])
    expect(result.stdout).toContain('Job 1 on branch "main" is now CANCELLED (was CANCELLING)')
  })

  it.concurrent(
    'keeps polling through throttled GetJobs: throttling slows the wait, never fails it',
    async () => {
      const server = await startServer({ cancelDelayMs: 1000 })
      server.addJob(APP, 'main')
      server.addFault({ operation: 'GetJob', kind: 'throttle', times: 2 })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '1', wait: 'true' }
      })

      expectSuccess(result)
      expect(statuses(server).slice(0, 3)).toEqual(['StopJob 200', 'GetJob 429', 'GetJob 429'])
      expect(statuses(server).at(-1)).toBe('GetJob 200')
      expect(result.outputs.status).toBe('CANCELLED')
    }
  )

  it.concurrent(
    'fails after wait-timeout on a job stuck in CANCELLING, naming it, with the outputs still set',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { jobId: '17', status: 'RUNNING' })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '17', wait: 'true', 'wait-timeout': '2' }
      })

      expectFailure(result, 'Waited 2 s (wait-timeout)', 'job 17 (CANCELLING)', 'raise wait-timeout')
      expect(result.warnings).toEqual([])
      expect(result.outputs).toMatchObject({
        'job-id': '17',
        'job-arn': server.jobArn(APP, 'main', '17'),
        status: 'CANCELLING',
        'stopped-count': '1'
      })
      expect(result.jobs).toEqual([
        expect.objectContaining({ jobId: '17', status: 'CANCELLING', result: 'stopped' })
      ])
      const waited = waitedSeconds(result.summaryText)
      expect(waited).toBeGreaterThanOrEqual(1.9)
      expect(waited).toBeLessThan(30)
      const log = calls(server)
      expect(log[0]).toBe(`StopJob ${jobsPath(APP, 'main', '17', true)} 200`)
      expect(log.length).toBeGreaterThanOrEqual(2)
      expect(new Set(log.slice(1))).toEqual(new Set([`GetJob ${jobsPath(APP, 'main', '17')} 200`]))
      expect(server.getJob(APP, 'main', '17').status).toBe('CANCELLING')
    }
  )

  it.concurrent(
    'ends at wait-timeout even when GetJob never answers, rather than after every retry of every poll',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { jobId: '4', status: 'RUNNING' })
      server.addFault({ operation: 'GetJob', kind: 'hang', times: Infinity })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '4', wait: 'true', 'wait-timeout': '3' },
        timeoutMs: 55_000
      })

      expectFailure(result, 'Waited 3 s (wait-timeout)', 'job 4 (CANCELLING)')
      expect(result.outputs).toMatchObject({ 'job-id': '4', status: 'CANCELLING', 'stopped-count': '1' })
      expect(statuses(server)[0]).toBe('StopJob 200')
      expect(new Set(statuses(server).slice(1))).toEqual(new Set(['GetJob hang']))
      // 3 s of waiting, plus start-up and a moment for the last poll; a hung GetJob's 10 s request timeout and
      // its retries (about 50 s) must not stretch it.
      expect(result.durationMs).toBeLessThan(9_000)
    },
    60_000
  )

  it.concurrent('does not poll a job that had already ended', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'FAILED' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '1', wait: 'true' }
    })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['StopJob 400', 'GetJob 200'])
    expect(result.outputs).toMatchObject({ status: 'FAILED', 'stopped-count': '0' })
    expect(result.notices).toHaveLength(1)
  })
})

describe('keep-newest and commit-id', () => {
  it('keep-newest stops only the older of a RUNNING (older) and a PENDING (newer) job', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'main', { status: 'SUCCEED' })
    server.addJob(APP, 'main', { status: 'RUNNING' })
    server.addJob(APP, 'main', { status: 'PENDING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'keep-newest': 'true' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `StopJob ${jobsPath(APP, 'main', '2', true)} 200`
    ])
    // The kept job is in `jobs`, but job-id and status describe the job acted on.
    expect(result.outputs).toMatchObject({
      'job-id': '2',
      'job-arn': server.jobArn(APP, 'main', '2'),
      status: 'CANCELLING',
      'stopped-count': '1'
    })
    expect(result.jobs?.map(j => [j.jobId, j.status, j.result])).toEqual([
      ['3', 'PENDING', 'kept'],
      ['2', 'CANCELLING', 'stopped']
    ])
    expect(result.annotations).toEqual([])
    expect(result.stdout).toContain('Kept job 3 on branch "main" running (PENDING): it is the newest')
    expect(result.summaryText).toContain('3 kept PENDING')
    expect(server.getJob(APP, 'main', '2').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'main', '3').status).toBe('PENDING')
  })

  it('keep-newest with only the newest in progress: an info line, success, no StopJob, not the if-no-job path', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'SUCCEED' })
    server.addJob(APP, 'main', { status: 'RUNNING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'keep-newest': 'true', 'if-no-job': 'fail' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    expect(result.annotations).toEqual([])
    expect(result.stdout).toContain(
      'Only job 2 on branch "main", the newest, is in progress: no superseded build to stop.'
    )
    expect(result.outputs).toMatchObject({ 'job-id': '', 'job-arn': '', status: '', 'stopped-count': '0' })
    expect(result.jobs).toEqual([expect.objectContaining({ jobId: '2', status: 'RUNNING', result: 'kept' })])
    expect(server.getJob(APP, 'main', '2').status).toBe('RUNNING')
  })

  it('commit-id as a prefix acts only on the job building that commit', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    const target = 'c0ffee1234567890abcdef1234567890abcdef12'
    server.addJob(APP, 'main', { status: 'RUNNING', commitId: target })
    server.addJob(APP, 'main', { status: 'RUNNING', commitId: 'c0ffee9999999999999999999999999999999999' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'commit-id': 'C0FFEE12' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `StopJob ${jobsPath(APP, 'main', '1', true)} 200`
    ])
    expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' })
    expect(result.jobs).toEqual([
      expect.objectContaining({ jobId: '1', commitId: target, result: 'stopped' })
    ])
    expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'main', '2').status).toBe('RUNNING')
  })

  it('commit-id that matches no job in progress takes the if-no-job path', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'RUNNING', commitId: 'a'.repeat(40) })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'commit-id': 'bbbbbbb' }
    })

    expectSuccess(result)
    expect(result.warnings.map(w => w.message)).toEqual([
      `No job building commit bbbbbbb is in progress on branch "main" of app ${APP} (1 job listed).`
    ])
    expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
  })
})

describe('dry run', () => {
  it('lists and reports what would be stopped, sends no StopJob, and has nothing to wait for', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'RUNNING' })
    server.addJob(APP, 'main', { status: 'PENDING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'dry-run': 'true', wait: 'true' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'PENDING', 'stopped-count': '0' })
    expect(result.jobs?.map(j => [j.jobId, j.status, j.result])).toEqual([
      ['2', 'PENDING', 'would-stop'],
      ['1', 'RUNNING', 'would-stop']
    ])
    expect(result.annotations).toEqual([])
    expect(result.stdout).toContain('Would stop job 2 on branch "main" (PENDING); dry run, no StopJob sent')
    expect(result.summaryText).toContain('Amplify jobs that would be stopped')
    expect(result.summaryText).toContain('(dry run: no StopJob sent)')
    expect(result.summaryText).not.toContain('Waited')
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    expect(server.getJob(APP, 'main', '2').status).toBe('PENDING')
  })

  it('with job-id, looks at the job with GetJob and sends no StopJob', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { jobId: '8', status: 'RUNNING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '8', 'dry-run': 'true' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`GetJob ${jobsPath(APP, 'main', '8')} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '8', status: 'RUNNING', 'stopped-count': '0' })
    expect(result.jobs).toEqual([
      expect.objectContaining({
        jobId: '8',
        status: 'RUNNING',
        previousStatus: 'RUNNING',
        result: 'would-stop'
      })
    ])
    expect(server.getJob(APP, 'main', '8').status).toBe('RUNNING')
  })
})
