// Stopping: StopJob, and when Amplify refuses, one GetJob to tell "already ended" from a real refusal.
// Driven through the real createAmplify over a mocked AmplifyClient, so the requests themselves are checked.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  AmplifyClient,
  BadRequestException,
  GetJobCommand,
  InternalFailureException,
  NotFoundException,
  StopJobCommand,
  UnauthorizedException,
  type JobSummary
} from '@aws-sdk/client-amplify'
import { createAmplify } from '../../src/amplify.js'
import { AmplifyRequestError } from '../../src/errors.js'
import type { Job } from '../../src/jobs.js'
import { stopAll, stopJob } from '../../src/stop.js'
import { jobSummary } from '../support/fixtures.js'

const target = { region: 'us-east-1', appId: 'd1a2b3c4d5e6f7', branchName: 'main' }
const where = { appId: target.appId, branchName: target.branchName }
const arn = (id: string) =>
  `arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/main/jobs/${id.padStart(10, '0')}`

/** ListJobs' summary of a job on the test branch (the harness's one fixture). */
const summary = (jobId: string, status: string, extra: Partial<JobSummary> = {}) =>
  jobSummary(jobId, status, extra, where)

function listed(jobId: string, status: string): Job {
  return {
    ...where,
    jobId,
    jobArn: arn(jobId),
    status,
    commitId: `abc${jobId}`.padEnd(40, '0'),
    commitMessage: `Commit for job ${jobId}`,
    startTime: 0
  }
}

const refused = () =>
  new BadRequestException({
    message: 'Job cannot be stopped in its current state',
    $metadata: { httpStatusCode: 400 }
  })

const amplifyMock = mockClient(AmplifyClient)
beforeEach(() => {
  amplifyMock.reset()
})
afterEach(() => {
  amplifyMock.reset()
})

const amplify = () => createAmplify(target.region, { env: {} })

describe('stopJob by id', () => {
  it('a successful stop is exactly one StopJob and no GetJob', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })

    const outcome = await stopJob(amplify(), where, '42')

    expect(outcome).toEqual({
      job: {
        ...where,
        jobId: '42',
        jobArn: arn('42'),
        status: 'CANCELLING',
        commitId: 'abc42'.padEnd(40, '0'),
        commitMessage: 'Commit for job 42',
        startTime: 0
      },
      result: 'stopped',
      previousStatus: undefined
    })
    expect(amplifyMock.calls()).toHaveLength(1)
    expect(amplifyMock.commandCalls(StopJobCommand)[0].args[0].input).toEqual({ ...where, jobId: '42' })
    expect(amplifyMock.commandCalls(GetJobCommand)).toHaveLength(0)
  })

  it.each(['SUCCEED', 'FAILED', 'CANCELLED'])(
    'refused with BadRequestException, and GetJob says %s: already-ended',
    async status => {
      amplifyMock.on(StopJobCommand).rejects(refused())
      amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', status), steps: [] } })

      const outcome = await stopJob(amplify(), where, '42')

      expect(outcome.result).toBe('already-ended')
      expect(outcome.job.status).toBe(status)
      expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(1)
      expect(amplifyMock.commandCalls(GetJobCommand).map(c => c.args[0].input)).toEqual([
        { ...where, jobId: '42' }
      ])
    }
  )

  it('refused, and GetJob says CANCELLING: already-stopping', async () => {
    amplifyMock.on(StopJobCommand).rejects(refused())
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'CANCELLING'), steps: [] } })
    const outcome = await stopJob(amplify(), where, '42')
    expect(outcome.result).toBe('already-stopping')
    expect(outcome.job.status).toBe('CANCELLING')
  })

  it('refused with NotFoundException about the job, and GetJob finds it ended: already-ended', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new NotFoundException({ message: 'Job 42 not found', $metadata: {} }))
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'SUCCEED'), steps: [] } })
    expect((await stopJob(amplify(), where, '42')).result).toBe('already-ended')
  })

  it.each(['RUNNING', 'PENDING', 'SOMETHING_NEW'])(
    'refused while GetJob still says %s: throws the refusal',
    async status => {
      amplifyMock.on(StopJobCommand).rejects(refused())
      amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', status), steps: [] } })

      const error = await stopJob(amplify(), where, '42').catch((e: unknown) => e)

      expect(error).toBeInstanceOf(AmplifyRequestError)
      expect(error).toMatchObject({ operation: 'StopJob', errorName: 'BadRequestException', kind: 'service' })
      expect((error as Error).message).toContain('Amplify refused StopJob for job 42')
    }
  )

  it('refused, and GetJob does not find the job: throws not-found', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new NotFoundException({ message: 'Job 42 not found', $metadata: {} }))
    amplifyMock
      .on(GetJobCommand)
      .rejects(new NotFoundException({ message: 'Job 42 not found', $metadata: {} }))

    const error = await stopJob(amplify(), where, '42').catch((e: unknown) => e)

    expect(error).toMatchObject({ kind: 'not-found', missing: 'job', operation: 'GetJob' })
    expect((error as Error).message).toContain(
      'Job 42 was not found on branch "main" of app d1a2b3c4d5e6f7: check job-id.'
    )
  })

  it('any other failure throws at once, with no GetJob', async () => {
    amplifyMock.on(StopJobCommand).rejects(new UnauthorizedException({ message: 'no', $metadata: {} }))
    await expect(stopJob(amplify(), where, '42')).rejects.toMatchObject({ kind: 'permission' })
    expect(amplifyMock.commandCalls(GetJobCommand)).toHaveLength(0)
  })
})

describe('stopJob of a discovered job', () => {
  it('keeps what ListJobs said for the fields StopJob left out, and the status before', async () => {
    amplifyMock.on(StopJobCommand).resolves({
      jobSummary: { jobId: '7', jobArn: arn('7'), status: 'CANCELLING', commitId: '' } as JobSummary
    })

    const outcome = await stopJob(amplify(), where, '7', listed('7', 'RUNNING'))

    expect(outcome).toEqual({
      job: { ...listed('7', 'RUNNING'), status: 'CANCELLING' },
      result: 'stopped',
      previousStatus: 'RUNNING'
    })
  })

  it('a job that ended between ListJobs and StopJob is already-ended, with its status before', async () => {
    amplifyMock.on(StopJobCommand).rejects(refused())
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('7', 'SUCCEED'), steps: [] } })
    const outcome = await stopJob(amplify(), where, '7', listed('7', 'RUNNING'))
    expect(outcome).toMatchObject({
      result: 'already-ended',
      previousStatus: 'RUNNING',
      job: { status: 'SUCCEED' }
    })
  })
})

describe('stopAll', () => {
  it('stops every job, each with its own StopJob', async () => {
    amplifyMock
      .on(StopJobCommand)
      .callsFake(({ jobId }: { jobId: string }) => ({ jobSummary: summary(jobId, 'CANCELLING') }))

    const outcomes = await stopAll(amplify(), [listed('3', 'RUNNING'), listed('2', 'PENDING')])

    expect(outcomes.map(o => [o.job.jobId, o.result, o.previousStatus, o.job.status])).toEqual([
      ['3', 'stopped', 'RUNNING', 'CANCELLING'],
      ['2', 'stopped', 'PENDING', 'CANCELLING']
    ])
    expect(
      amplifyMock
        .commandCalls(StopJobCommand)
        .map(c => c.args[0].input.jobId)
        .sort()
    ).toEqual(['2', '3'])
  })

  it('sends the stops concurrently: the first StopJob answers only after the second was sent', async () => {
    let secondSent!: () => void
    const second = new Promise<void>(resolve => (secondSent = resolve))
    amplifyMock.on(StopJobCommand).callsFake(async ({ jobId }: { jobId: string }) => {
      if (jobId === '3')
        await second // would deadlock if the stops ran one after another
      else secondSent()
      return { jobSummary: summary(jobId, 'CANCELLING') }
    })

    const outcomes = await Promise.race([
      stopAll(amplify(), [listed('3', 'RUNNING'), listed('2', 'PENDING')]),
      new Promise<'sequential'>(resolve => setTimeout(() => resolve('sequential'), 2000).unref())
    ])

    expect(outcomes).not.toBe('sequential')
    expect((outcomes as { result: string }[]).map(o => o.result)).toEqual(['stopped', 'stopped'])
  })

  it('one failure does not prevent the others: a failed outcome with the error text', async () => {
    amplifyMock.on(StopJobCommand).callsFake(({ jobId }: { jobId: string }) => {
      if (jobId === '5')
        throw new InternalFailureException({
          message: 'Internal failure',
          $metadata: { httpStatusCode: 500, attempts: 5 }
        })
      return { jobSummary: summary(jobId, 'CANCELLING') }
    })

    const outcomes = await stopAll(amplify(), [
      listed('6', 'RUNNING'),
      listed('5', 'RUNNING'),
      listed('4', 'PENDING')
    ])

    expect(outcomes.map(o => [o.job.jobId, o.result])).toEqual([
      ['6', 'stopped'],
      ['5', 'failed'],
      ['4', 'stopped']
    ])
    expect(outcomes[1]).toEqual({
      job: listed('5', 'RUNNING'),
      result: 'failed',
      previousStatus: 'RUNNING',
      error:
        'Amplify failed StopJob for job 5 on branch "main" after 5 attempts (InternalFailureException: Internal failure). This is on Amplify\'s side: re-run the job later.'
    })
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(3)
  })

  it('mixes stopped, already-ended and failed in one run', async () => {
    amplifyMock.on(StopJobCommand).callsFake(({ jobId }: { jobId: string }) => {
      if (jobId !== '1') throw refused()
      return { jobSummary: summary(jobId, 'CANCELLING') }
    })
    amplifyMock
      .on(GetJobCommand, { jobId: '2' })
      .resolves({ job: { summary: summary('2', 'CANCELLED'), steps: [] } })
      .on(GetJobCommand, { jobId: '3' })
      .resolves({ job: { summary: summary('3', 'RUNNING'), steps: [] } })

    const outcomes = await stopAll(amplify(), [
      listed('1', 'RUNNING'),
      listed('2', 'RUNNING'),
      listed('3', 'RUNNING')
    ])

    expect(outcomes.map(o => o.result)).toEqual(['stopped', 'already-ended', 'failed'])
    expect(outcomes[2].error).toMatch(
      /^Amplify refused StopJob for job 3 on branch "main" \(BadRequestException/
    )
  })

  it('nothing to stop sends nothing', async () => {
    expect(await stopAll(amplify(), [])).toEqual([])
    expect(amplifyMock.calls()).toHaveLength(0)
  })
})
