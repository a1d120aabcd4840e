// Stopping one job: StopJob, and one GetJob when its answer leaves the result open (Amplify refused, or
// every attempt timed out); stopAll: every job, each failure kept beside the others' outcomes. Over a fake
// Amplify whose errors are the real ones (describeFailure of what the SDK throws).
import { describe, expect, it } from '@jest/globals'
import { describeFailure, type Amplify } from '../../src/amplify.js'
import type { Operation } from '../../src/errors.js'
import type { BranchRef, Job } from '../../src/jobs.js'
import { stopAll, stopJob } from '../../src/stop.js'

const MAIN = { appId: 'd1a2b3c4d5e6f7', branchName: 'main' }
const job = (jobId: string, status: string, extra: Partial<Job> = {}): Job => ({
  ...{ ...MAIN, jobId, jobArn: `arn:${jobId}`, status, ...extra }
})

/** An error as amplify.ts throws it for an SDK error of this name and message. */
function failure(operation: Operation, name: string, message = 'x', jobId = '42') {
  const error = Object.assign(new Error(message), {
    name,
    $metadata: name === 'TimeoutError' ? undefined : {}
  })
  return describeFailure(error, operation, { region: 'us-east-1', ...MAIN, jobId })
}

type Answer = Job | Error
/** A fake Amplify: StopJob and GetJob answer per job id, and every request is recorded. */
function fakeAmplify(
  stop: (jobId: string) => Answer,
  get: (jobId: string) => Answer = () => new Error('no GetJob')
) {
  const requests: string[] = []
  const answer = (a: Answer) => (a instanceof Error ? Promise.reject(a) : Promise.resolve(a))
  const amplify = {
    stopJob: (_: BranchRef, jobId: string) => (requests.push(`StopJob ${jobId}`), answer(stop(jobId))),
    getJob: (_: BranchRef, jobId: string) => (requests.push(`GetJob ${jobId}`), answer(get(jobId)))
  } as unknown as Amplify
  return { amplify, requests }
}

describe('stopJob', () => {
  it('by id: one StopJob, its summary as the job, no status before', async () => {
    const { amplify, requests } = fakeAmplify(id => job(id, 'CANCELLING'))
    expect(await stopJob(amplify, MAIN, '42')).toEqual({ job: job('42', 'CANCELLING'), result: 'stopped' })
    expect(requests).toEqual(['StopJob 42'])
  })

  it("a discovered job: ListJobs' fields where StopJob's summary has none, and the status before", async () => {
    const listed = job('7', 'RUNNING', {
      commitId: 'abc',
      commitMessage: 'Fix',
      jobType: 'MANUAL',
      startTime: 1
    })
    const { amplify } = fakeAmplify(id => job(id, 'CANCELLING', { commitId: '', jobArn: '' }))
    expect(await stopJob(amplify, MAIN, '7', listed)).toEqual({
      job: { ...listed, status: 'CANCELLING' },
      result: 'stopped',
      previousStatus: 'RUNNING'
    })
  })

  const refused = failure('StopJob', 'BadRequestException')
  const timedOut = failure('StopJob', 'TimeoutError')
  const REFUSAL = /^Amplify refused StopJob/
  const TIMEOUT = /^Amplify did not answer StopJob/
  it.each<[string, Error, string, string]>([
    ['refused (BadRequestException)', refused, 'SUCCEED', 'already-ended'],
    ['refused', refused, 'CANCELLED', 'already-ended'],
    ['refused', refused, 'CANCELLING', 'already-stopping'],
    [
      'the job not found',
      failure('StopJob', 'NotFoundException', 'Job 42 not found'),
      'FAILED',
      'already-ended'
    ],
    ['every attempt timed out', timedOut, 'CANCELLING', 'stopped'],
    ['every attempt timed out', timedOut, 'CANCELLED', 'stopped']
  ])('%s, GetJob says %s: %s', async (_, refusal, status, result) => {
    const { amplify, requests } = fakeAmplify(
      () => refusal,
      id => job(id, status)
    )
    const outcome = await stopJob(amplify, MAIN, '42', job('42', 'RUNNING'))
    expect(outcome).toMatchObject({ result, previousStatus: 'RUNNING', job: { status } })
    expect(requests).toEqual(['StopJob 42', 'GetJob 42'])
  })

  it.each<[string, Error, Answer, RegExp]>([
    ['refused, GetJob says RUNNING: the refusal', refused, job('42', 'RUNNING'), REFUSAL],
    ['refused, GetJob says NEW: the refusal', refused, job('42', 'NEW'), REFUSAL],
    ['timed out, GetJob says RUNNING: the timeout', timedOut, job('42', 'RUNNING'), TIMEOUT],
    ['timed out, GetJob says SUCCEED: the timeout', timedOut, job('42', 'SUCCEED'), TIMEOUT],
    [
      'refused, GetJob fails too: its failure',
      refused,
      failure('GetJob', 'NotFoundException', 'Job 42 not found'),
      /^Job 42 was not found/
    ],
    [
      'timed out, GetJob fails too: the timeout',
      timedOut,
      failure('GetJob', 'AccessDeniedException'),
      TIMEOUT
    ]
  ])('%s', async (_, stopError, getAnswer, expected) => {
    const { amplify, requests } = fakeAmplify(
      () => stopError,
      () => getAnswer
    )
    await expect(stopJob(amplify, MAIN, '42')).rejects.toThrow(expected)
    expect(requests).toEqual(['StopJob 42', 'GetJob 42'])
  })

  it.each([
    ['denied', failure('StopJob', 'AccessDeniedException')],
    ['the branch not found', failure('StopJob', 'NotFoundException', 'Branch not found')],
    ['throttled as BadRequestException', failure('StopJob', 'BadRequestException', 'Rate exceeded')],
    ['a bug', new TypeError('x is undefined')]
  ])('%s: thrown at once, no GetJob', async (_, error) => {
    const { amplify, requests } = fakeAmplify(() => error)
    await expect(stopJob(amplify, MAIN, '42')).rejects.toBe(error)
    expect(requests).toEqual(['StopJob 42'])
  })
})

describe('stopAll', () => {
  it('sends every StopJob at once; a failure is a failed outcome and a failure, beside the others', async () => {
    let release!: () => void
    const released = new Promise<void>(resolve => (release = resolve))
    const { amplify, requests } = fakeAmplify(id => {
      if (id === '4') release()
      return id === '5' ? failure('StopJob', 'AccessDeniedException', 'x', '5') : job(id, 'CANCELLING')
    })
    const slowFirst = amplify.stopJob
    amplify.stopJob = async (branch, id) =>
      id === '6' ? released.then(() => slowFirst(branch, id)) : slowFirst(branch, id)
    const jobs = [job('6', 'RUNNING'), job('5', 'RUNNING'), job('4', 'PENDING')]
    const { outcomes, failures } = await stopAll(amplify, jobs)
    expect(outcomes.map(o => [o.job.jobId, o.result, o.previousStatus, o.job.status])).toEqual([
      ['6', 'stopped', 'RUNNING', 'CANCELLING'],
      ['5', 'failed', 'RUNNING', 'RUNNING'],
      ['4', 'stopped', 'PENDING', 'CANCELLING']
    ])
    const where = { ...MAIN, jobId: '5', operation: 'StopJob' }
    expect(failures).toEqual([
      expect.objectContaining({ ...where, kind: 'permission', message: outcomes[1].error })
    ])
    expect(outcomes[1].error).toMatch(/^Amplify StopJob for job 5 on branch "main" was denied/)
    expect(requests.sort()).toEqual(['StopJob 4', 'StopJob 5', 'StopJob 6'])
  })

  it('nothing to stop sends nothing', async () => {
    const { amplify, requests } = fakeAmplify(id => job(id, 'CANCELLING'))
    expect(await stopAll(amplify, [])).toEqual({ outcomes: [], failures: [] })
    expect(requests).toEqual([])
  })
})
