// A service that throttles, fails, drops connections and hangs: the action retries what is transient, gives up
// after a bounded number of attempts with a clear message, and never hangs. The tests run concurrently: their
// time is mostly waiting (back-offs, and a 10 s request timeout), each against a server of its own.
import { describe, expect, it } from '@jest/globals'
import { expectFailure, expectSuccess, runStep, startServer, statuses } from '../support/harness.js'

const APP = 'd4d5e6f7a8b9c0'
const byId = { 'app-id': APP, 'branch-name': 'main', 'job-id': '1' }

describe('faults', () => {
  it.concurrent(
    'retries StopJob through two 429s and succeeds, the retries visible in the request log',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main')
      server.addFault({ operation: 'StopJob', kind: 'throttle', times: 2 })

      const result = await runStep(server, { inputs: byId })

      expectSuccess(result)
      expect(server.requests.map(r => [r.operation, r.status, r.attempt])).toEqual([
        ['StopJob', 429, 1],
        ['StopJob', 429, 2],
        ['StopJob', 200, 3]
      ])
      expect(server.requests.map(r => r.errorType)).toEqual([
        'LimitExceededException',
        'LimitExceededException',
        undefined
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' })
      expect(result.annotations).toEqual([])
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    }
  )

  it.concurrent('retries ListJobs through throttling too, in discovery', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'main')
    server.addFault({ operation: 'ListJobs', kind: 'throttle', times: 2 })

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['ListJobs 429', 'ListJobs 429', 'ListJobs 200', 'StopJob 200'])
  })

  it.concurrent(
    'gives up on a persistent 500 after 5 attempts, with a message saying it is on Amplify’s side',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main')
      server.addFault({ operation: 'StopJob', kind: 'internal', times: Infinity })

      const result = await runStep(server, { inputs: byId })

      expectFailure(
        result,
        'Amplify failed StopJob for job 1 on branch "main" after 5 attempts',
        'InternalFailureException',
        "This is on Amplify's side: re-run the job later."
      )
      expect(statuses(server)).toEqual(Array(5).fill('StopJob 500'))
      // outputs are written before the step fails: nothing was stopped
      expect(result.outputs).toMatchObject({ 'job-id': '', status: '', jobs: '[]', 'stopped-count': '0' })
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent('honours AWS_MAX_ATTEMPTS for the number of attempts', async () => {
    const server = await startServer()
    server.addJob(APP, 'main')
    server.addFault({ operation: 'StopJob', kind: 'internal', times: Infinity })

    const result = await runStep(server, { inputs: byId, env: { AWS_MAX_ATTEMPTS: '2' } })

    expectFailure(result, 'after 2 attempts', 'InternalFailureException')
    expect(statuses(server)).toEqual(['StopJob 500', 'StopJob 500'])
  })

  it.concurrent('gives up on persistent throttling with a message saying what to do', async () => {
    const server = await startServer()
    server.addJob(APP, 'main')
    server.addFault({ operation: 'ListJobs', kind: 'throttle', times: Infinity })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main' },
      env: { AWS_MAX_ATTEMPTS: '3' }
    })

    expectFailure(
      result,
      'Amplify kept throttling ListJobs for branch "main" after 3 attempts (LimitExceededException)',
      'Wait and re-run the job'
    )
    expect(statuses(server)).toEqual(['ListJobs 429', 'ListJobs 429', 'ListJobs 429'])
  })

  it.concurrent('retries after a reset connection', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'main')
    server.addFault({ operation: 'StopJob', kind: 'reset' })

    const result = await runStep(server, { inputs: byId })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['StopJob reset', 'StopJob 200'])
    expect(result.outputs).toMatchObject({ status: 'CANCELLING', 'stopped-count': '1' })
    expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
  })

  it.concurrent('retries a discovery whose connection was reset', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'main')
    server.addFault({ operation: 'ListJobs', kind: 'reset' })

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

    expectSuccess(result)
    expect(statuses(server)).toEqual(['ListJobs reset', 'ListJobs 200', 'StopJob 200'])
  })

  it.concurrent(
    'abandons a response that never comes, retries, and ends well within a minute',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main')
      server.addFault({ operation: 'StopJob', kind: 'hang' })

      const result = await runStep(server, { inputs: byId, timeoutMs: 55_000 })

      expectSuccess(result)
      expect(statuses(server)).toEqual(['StopJob hang', 'StopJob 200'])
      expect(result.outputs).toMatchObject({ status: 'CANCELLING', 'stopped-count': '1' })
      // The action's request timeout is 10 s: the retry comes after it, and the whole run well within a minute.
      const [hung, retried] = server.requests
      expect(retried.time - hung.time).toBeGreaterThanOrEqual(9_500)
      expect(result.durationMs).toBeLessThan(40_000)
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    },
    60_000
  )
})
