// Failures a workflow author meets: bad inputs (no request may be sent), the event naming no branch, refused
// credentials, and a stop that fails for one job of several. Each ends with exit 1 and exactly one ::error::.
/* eslint jest/expect-expect: ['warn', { assertFunctionNames: ['expect', 'expect*'] }] -- expectInputError asserts */
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectFailure,
  expectInputError,
  expectOnlyOwnCommands,
  jobsPath,
  pushEvent,
  runStep,
  startServer,
  type StepRun
} from '../support/harness.js'

const APP = 'd3c4d5e6f7a8b9'

describe('failures', () => {
  // Through the bundle, an input error of each kind: a value, a missing input, an alias, hostile text, the
  // environment, a contradiction. That every bad value of every input is refused, naming the input, quoting
  // the value and stating the accepted form, is shown once, at parseSettings (security/inputs.test.ts).
  describe('a bad input fails with one ::error:: naming the input, and sends no request', () => {
    const APP_ID_FORM = 'd followed by lower-case letters and digits, 20 characters at most'
    it.concurrent.each<[string, Record<string, string>, StepRun, string[]]>([
      ['no app id', { 'app-id': '' }, {}, ['Input app-id is required', 'd1a2b3c4d5e6f7']],
      ['an app id in capitals', { 'app-id': 'D1ABC' }, {}, ['Input app-id "D1ABC"', APP_ID_FORM]],
      [
        'a bad appId (the alias), app-id empty',
        { 'app-id': '', appId: 'd1;rm' },
        {},
        ['Input app-id', APP_ID_FORM]
      ],
      [
        // a newline separates names of a list; a carriage return alone is a control character in one
        'a branch name with a carriage return and a workflow command',
        { 'branch-name': 'a\r::error::b' },
        {},
        ['Input branch-name', '1 to 255 characters with no control characters']
      ],
      [
        'no region anywhere',
        {},
        { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } },
        ['No AWS region: set the aws-region input', 'AWS_REGION']
      ],
      [
        'keep-newest with job-id',
        { 'job-id': '1', 'keep-newest': 'true' },
        {},
        ['Input keep-newest', 'cannot be combined with job-id']
      ]
    ])('%s', async (_, inputs, run, fragments) => {
      const server = await startServer()
      server.addJob(APP, 'main')

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', ...inputs },
        ...run
      })

      expectInputError(result, server, ...fragments)
      expect(result.annotations.map(a => a.command)).toEqual(['error'])
      expectOnlyOwnCommands(result.stdout)
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    })
  })

  it.concurrent('fails on a tag ref with no branch-name, before any request', async () => {
    const server = await startServer()
    server.addJob(APP, 'v1.2.0')

    const result = await runStep(server, {
      inputs: { 'app-id': APP },
      event: pushEvent('refs/tags/v1.2.0')
    })

    expectInputError(result, server, 'Input branch-name is empty', 'the tag "v1.2.0"', 'set branch-name')
  })

  it.concurrent(
    'fails when the credentials are refused (wrong secret), saying to check configure-aws-credentials',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main')

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main' },
        env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret' }
      })

      expectFailure(
        result,
        'refused the AWS credentials',
        'InvalidSignatureException',
        'configure-aws-credentials'
      )
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 403`])
      expect(server.requests[0].signature).toBe('invalid')
    }
  )

  it.concurrent(
    'fails when one of two stops keeps failing, after stopping the other, with one error naming the job',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(APP, 'main', 2)
      // StopJob of job 1 always fails on the service's side (the server answers 500 when a hook throws).
      server.onRequest(({ operation, jobId }) => {
        if (operation === 'StopJob' && jobId === '1') throw new Error('the build host is gone')
      })

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

      expectFailure(
        result,
        'Amplify failed StopJob for job 1 on branch "main" after 5 attempts',
        'InternalFailureException',
        're-run the job later'
      )
      const stops = server.requestsFor('StopJob')
      expect(stops.filter(r => r.jobId === '1').map(r => r.status)).toEqual([500, 500, 500, 500, 500])
      expect(stops.filter(r => r.jobId === '2').map(r => r.status)).toEqual([200])
      expect(calls(server).filter(c => !c.startsWith('StopJob'))).toEqual([
        `ListJobs ${jobsPath(APP, 'main')} 200`
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
      expect(result.jobs?.map(j => [j.jobId, j.result, j.status])).toEqual([
        ['2', 'stopped', 'CANCELLING'],
        ['1', 'failed', 'RUNNING']
      ])
      expect(result.stdout).toContain('Could not stop job 1 on branch "main" (RUNNING)')
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
      expect(server.getJob(APP, 'main', '2').status).toBe('CANCELLING')
    }
  )
  it.concurrent(
    'fails when one of two stops is denied, naming that job, after stopping the other',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(APP, 'main', 2)
      // The first StopJob to arrive (either job: they are sent concurrently) is denied.
      server.addFault({
        operation: 'StopJob',
        kind: 'error',
        status: 403,
        errorType: 'AccessDeniedException',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: amplify:StopJob'
      })

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

      const [first, second] = server.requestsFor('StopJob')
      const denied = first.jobId ?? ''
      const stopped = second.jobId ?? ''
      expectFailure(
        result,
        `Amplify StopJob for job ${denied} on branch "main" was denied`,
        `Allow amplify:StopJob on arn:aws:amplify:us-east-1:<account-id>:apps/${APP}/branches/main/jobs/*`
      )
      expect([first.status, second.status]).toEqual([403, 200])
      expect(result.outputs['stopped-count']).toBe('1')
      expect(Object.fromEntries((result.jobs ?? []).map(j => [j.jobId, [j.result, j.status]]))).toEqual({
        [denied]: ['failed', 'RUNNING'],
        [stopped]: ['stopped', 'CANCELLING']
      })
      expect(server.getJob(APP, 'main', denied).status).toBe('RUNNING')
      expect(server.getJob(APP, 'main', stopped).status).toBe('CANCELLING')
    }
  )
})
