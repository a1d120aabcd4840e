// The local Amplify server's behaviours that the end-to-end tests rely on but could not see going wrong
// themselves: a server that accepted any signature, never throttled, showed a later job at once or miscounted
// requests in flight would let them pass. Driven by the real AmplifyClient. No test waits on a deadline: a
// wait here only ever needs to be at least so long, which a busy machine can only lengthen.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  AmplifyClient,
  GetJobCommand,
  ListJobsCommand,
  StopJobCommand,
  type AmplifyServiceException
} from '@aws-sdk/client-amplify'
import {
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from './amplify-server.js'

const APP = 'dserver1'
const started: { server: AmplifyServer; client: AmplifyClient }[] = []

afterEach(async () => {
  for (const { server, client } of started.splice(0)) {
    client.destroy()
    await server.close()
  }
})

/** A server and a client of it that sends every request once (no retries). */
async function start(options: AmplifyServerOptions = {}, secretAccessKey = TEST_CREDENTIALS.secretAccessKey) {
  const server = await startAmplifyServer(options)
  const client = new AmplifyClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey },
    maxAttempts: 1
  })
  started.push({ server, client })
  return { server, client }
}

/** The error a call fails with, or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call
    return 'ok'
  } catch (error) {
    const e = error as AmplifyServiceException
    return `${e.$metadata.httpStatusCode} ${e.name}: ${e.message}`
  }
}

const listJobs = (client: AmplifyClient) =>
  client.send(new ListJobsCommand({ appId: APP, branchName: 'main' }))
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('the local Amplify server', () => {
  it('refuses a request signed with another secret, and logs it as invalid', async () => {
    const { server, client } = await start({}, 'not-the-secret')
    server.addJob(APP, 'main')

    expect(
      await outcome(client.send(new StopJobCommand({ appId: APP, branchName: 'main', jobId: '1' })))
    ).toMatch(/^403 InvalidSignatureException: The request signature we calculated does not match/)
    expect(server.requests.map(r => [r.operation, r.status, r.signature])).toEqual([
      ['StopJob', 403, 'invalid']
    ])
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
  })

  it('answers throttled at once when its token bucket is empty, with the error it is given', async () => {
    // A bucket that refills once in 1,000 s: 3 requests pass, the rest find it empty.
    const throttle = { rate: 0.001, burst: 3, errorType: 'BadRequestException', status: 400 }
    const { server, client } = await start({ throttle })
    server.addJob(APP, 'main')

    const outcomes = []
    for (let i = 0; i < 5; i++) outcomes.push(await outcome(listJobs(client)))

    expect(outcomes).toEqual([
      'ok',
      'ok',
      'ok',
      '400 BadRequestException: Rate exceeded',
      '400 BadRequestException: Rate exceeded'
    ])
    expect(server.requests.map(r => r.status)).toEqual([200, 200, 200, 400, 400])
    expect(server.requests.filter(r => r.throttled)).toHaveLength(2)
    expect(server.throttledCount).toBe(2)

    server.setThrottle({ rate: 0.001, burst: 1 }) // a new, full bucket, with the default error
    expect([await outcome(listJobs(client)), await outcome(listJobs(client))]).toEqual([
      'ok',
      '429 LimitExceededException: Rate exceeded'
    ])
    server.setThrottle(undefined)
    expect(await outcome(listJobs(client))).toBe('ok')
  })

  it('refills the bucket at its rate', async () => {
    const { server, client } = await start({ throttle: { rate: 20, burst: 1 } })
    server.addJob(APP, 'main')
    expect(await outcome(listJobs(client))).toBe('ok')
    await sleep(100) // at least 2 tokens' worth; the bucket holds 1
    expect(await outcome(listJobs(client))).toBe('ok')
  })

  it('shows a job that appears later to no operation before its time, and to all after', async () => {
    const { server, client } = await start()
    server.addJob(APP, 'main', { status: 'SUCCEED' })
    server.addJob(APP, 'main', { appearsAfterMs: 3_600_000 })
    server.addJob(APP, 'main', { appearsAfterMs: 50 })
    await sleep(100) // job 3's time has come (a busy machine only makes it longer); job 2's has not

    expect((await listJobs(client)).jobSummaries?.map(j => j.jobId)).toEqual(['3', '1'])
    const job = (jobId: string) => ({ appId: APP, branchName: 'main', jobId })
    expect(await outcome(client.send(new GetJobCommand(job('2'))))).toBe(
      '404 NotFoundException: Job not found: 2'
    )
    expect(await outcome(client.send(new StopJobCommand(job('2'))))).toBe(
      '404 NotFoundException: Job not found: 2'
    )
    expect(await outcome(client.send(new StopJobCommand(job('3'))))).toBe('ok')
  })

  it('counts requests in flight at once', async () => {
    const { server, client } = await start()
    server.addJob(APP, 'main')
    // Hold every request until all five have arrived: the peak is then five, however slow the machine.
    let release = () => {}
    const allArrived = new Promise<void>(resolve => (release = resolve))
    server.onRequest(async () => {
      if (server.requests.length === 5) release()
      await allArrived
    })

    await Promise.all(Array.from({ length: 5 }, () => listJobs(client)))

    expect(server.peakInFlight).toBe(5)
    expect(server.requests.every(r => r.endTime !== undefined && r.endTime >= r.time)).toBe(true)
  })
})
