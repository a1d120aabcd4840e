// A service that throttles, fails, drops connections, hangs or refuses the credentials: the action retries what
// is transient (only the failed request, with the next attempt number), gives up after AWS_MAX_ATTEMPTS with
// a message that says what to do, and never hangs. Concurrent: the time is mostly back-offs and timeouts.
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec } from '../support/amplify-server.js'
import { expectFailure, expectSuccess, runStep, startServer, statuses } from '../support/harness.js'

const APP = 'd4d5e6f7a8b9c0'
const discovery = { 'app-id': APP, 'branch-name': 'main' }
const byId = { ...discovery, 'job-id': '1' }

describe('faults', () => {
  it.concurrent.each<[string, FaultSpec, Record<string, string>, string[]]>([
    [
      'two 429s on StopJob',
      { operation: 'StopJob', kind: 'throttle', times: 2 },
      byId,
      ['StopJob 429 1', 'StopJob 429 2', 'StopJob 200 3']
    ],
    [
      'two 429s on ListJobs',
      { operation: 'ListJobs', kind: 'throttle', times: 2 },
      discovery,
      ['ListJobs 429 1', 'ListJobs 429 2', 'ListJobs 200 3', 'StopJob 200 1']
    ],
    ['a reset StopJob', { operation: 'StopJob', kind: 'reset' }, byId, ['StopJob reset 1', 'StopJob 200 2']],
    [
      'a reset ListJobs',
      { operation: 'ListJobs', kind: 'reset' },
      discovery,
      ['ListJobs reset 1', 'ListJobs 200 2', 'StopJob 200 1']
    ],
    [
      'a 500 on StopJob',
      { operation: 'StopJob', kind: 'internal' },
      discovery,
      ['ListJobs 200 1', 'StopJob 500 1', 'StopJob 200 2']
    ]
  ])(
    'retries %s and succeeds: only the failed request again, with the next attempt number',
    async (_, fault, inputs, sent) => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main')
      server.addFault(fault)

      const result = await runStep(server, { inputs })

      expectSuccess(result)
      expect(server.requests.map(r => `${r.operation} ${r.status} ${r.attempt}`)).toEqual(sent)
      expect(result.outputs).toMatchObject({ 'job-id': '1', status: 'CANCELLING', 'stopped-count': '1' })
      expect(result.annotations).toEqual([])
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    }
  )

  // The error names the operation, its target, the attempts made and Amplify's own words, and (throttled)
  // the variable that raises the retries.
  it.concurrent.each<[string, FaultSpec, Record<string, string>, number, string[]]>([
    [
      'a 500 on every StopJob, 5 attempts by default',
      { operation: 'StopJob', kind: 'internal', times: Infinity },
      byId,
      5,
      [
        'StopJob for job 1 on branch "main"',
        'after 5 attempts',
        'InternalFailureException: An internal error occurred.'
      ]
    ],
    [
      'throttling of every ListJobs, AWS_MAX_ATTEMPTS 3',
      { operation: 'ListJobs', kind: 'throttle', times: Infinity },
      discovery,
      3,
      ['ListJobs for branch "main"', 'after 3 attempts', 'LimitExceededException', 'AWS_MAX_ATTEMPTS']
    ]
  ])(
    'gives up on %s, naming the request and the attempts, with the outputs set',
    async (_, fault, inputs, attempts, fragments) => {
      const server = await startServer()
      server.addJob(APP, 'main')
      server.addFault(fault)

      const result = await runStep(server, {
        inputs,
        env: attempts === 5 ? {} : { AWS_MAX_ATTEMPTS: String(attempts) }
      })

      expectFailure(result, ...fragments)
      expect(server.requests.map(r => `${r.operation} ${r.status} ${r.attempt}`)).toEqual(
        Array.from(
          { length: attempts },
          (_, i) => `${fault.operation} ${fault.kind === 'throttle' ? 429 : 500} ${i + 1}`
        )
      )
      expect(result.outputs).toMatchObject({ 'job-id': '', status: '', jobs: '[]', 'stopped-count': '0' })
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent(
    'abandons an answer that never comes after the 10 s request timeout, retries, and succeeds',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main')
      server.addFault({ operation: 'StopJob', kind: 'hang' })

      const result = await runStep(server, { inputs: byId, timeoutMs: 55_000 })

      expectSuccess(result)
      expect(statuses(server)).toEqual(['StopJob hang', 'StopJob 200'])
      const [hung, retried] = server.requests
      expect(retried.time - hung.time).toBeGreaterThanOrEqual(9_500)
      expect(result.outputs).toMatchObject({ status: 'CANCELLING', 'stopped-count': '1' })
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    },
    60_000
  )

  it.concurrent(
    'refused credentials (a wrong secret) fail at once, saying to check configure-aws-credentials',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main')

      const result = await runStep(server, {
        inputs: discovery,
        env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret' }
      })

      expectFailure(
        result,
        /^Amplify ListJobs refused the AWS credentials \(InvalidSignatureException: The request signature we calculated does not match/,
        'Check that aws-actions/configure-aws-credentials ran before this step, for the account and region us-east-1 of the app.'
      )
      expect(server.requests.map(r => [r.operation, r.status, r.signature])).toEqual([
        ['ListJobs', 403, 'invalid']
      ])
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    }
  )
})
