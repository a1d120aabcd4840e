// Failures a workflow author meets: bad inputs (no request may be sent), the event naming no branch, refused
// credentials, and a stop that fails for one job of several. Each ends with exit 1 and exactly one ::error::.
/* eslint jest/expect-expect: ['warn', { assertFunctionNames: ['expect', 'expect*'] }] -- expectInputError asserts */
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectFailure,
  expectInputError,
  jobsPath,
  RUNTIMES,
  runStep,
  startServer
} from './e2e-helpers.js'

const APP = 'd3c4d5e6f7a8b9'

describe.each(RUNTIMES)('failures on %s', runtime => {
  describe('a bad input sends no request', () => {
    const valid = { 'app-id': APP, 'branch-name': 'main' }
    it.each<[string, Record<string, string>, string[]]>([
      ['no app id', { 'branch-name': 'main' }, ['Input app-id is required', 'd1a2b3c4d5e6f7']],
      ['an app id in capitals', { ...valid, 'app-id': 'D1ABC' }, ['Input app-id "D1ABC"', 'd followed by']],
      ['an app id of 21 characters', { ...valid, 'app-id': `d${'0'.repeat(20)}` }, ['20 characters at most']],
      ['a job id with a letter', { ...valid, 'job-id': '12a' }, ['Input job-id "12a"', 'digits only']],
      [
        'an unknown if-no-job',
        { ...valid, 'if-no-job': 'sometimes' },
        ['Input if-no-job "sometimes"', 'warn, ignore or fail']
      ],
      ['a wait-timeout of 0', { ...valid, 'wait-timeout': '0' }, ['Input wait-timeout "0"', '1 to 21600']],
      [
        'a wait-timeout over six hours',
        { ...valid, 'wait-timeout': '21601' },
        ['Input wait-timeout "21601"']
      ],
      ['a fractional wait-timeout', { ...valid, 'wait-timeout': '1.5' }, ['Input wait-timeout "1.5"']],
      ['a wait that is not a boolean', { ...valid, wait: 'yes' }, ['Input wait "yes"', 'true or false']],
      ['a commit prefix under 7 characters', { ...valid, 'commit-id': 'abc12' }, ['Input commit-id "abc12"']],
      ['a commit id that is not hex', { ...valid, 'commit-id': 'zzzzzzz' }, ['Input commit-id "zzzzzzz"']],
      [
        'a branch name over 255 characters',
        { ...valid, 'branch-name': 'b'.repeat(256) },
        ['Input branch-name']
      ],
      [
        'a region that is not one',
        { ...valid, 'aws-region': 'mars' },
        ['Input aws-region "mars"', 'us-east-1']
      ]
    ])('%s', async (_, inputs, fragments) => {
      const server = await startServer()
      server.addJob(APP, 'main')

      const result = await runStep(server, runtime, { inputs })

      expectInputError(result, server, ...fragments)
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    })

    it('no region anywhere', async () => {
      const server = await startServer()

      const result = await runStep(server, runtime, {
        inputs: valid,
        env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined }
      })

      expectInputError(result, server, 'No AWS region', 'aws-region', 'AWS_REGION')
    })

    it('keep-newest with job-id', async () => {
      const server = await startServer()

      const result = await runStep(server, runtime, {
        inputs: { ...valid, 'job-id': '1', 'keep-newest': 'true' }
      })

      expectInputError(result, server, 'Input keep-newest', 'cannot be combined with job-id')
    })

    it('commit-id with job-id', async () => {
      const server = await startServer()

      const result = await runStep(server, runtime, {
        inputs: { ...valid, 'job-id': '1', 'commit-id': 'abcdef0' }
      })

      expectInputError(result, server, 'Input commit-id', 'cannot be combined with job-id')
    })
  })

  it('fails on a tag ref with no branch-name, before any request', async () => {
    const server = await startServer()
    server.addJob(APP, 'v1.2.0')

    const result = await runStep(server, runtime, {
      inputs: { 'app-id': APP },
      event: { name: 'push', ref: 'refs/tags/v1.2.0', payload: { ref: 'refs/tags/v1.2.0' } }
    })

    expectInputError(result, server, 'Input branch-name is empty', 'the tag "v1.2.0"', 'set branch-name')
  })

  it('fails when the credentials are refused (wrong secret), saying to check configure-aws-credentials', async () => {
    const server = await startServer()
    server.addJob(APP, 'main')

    const result = await runStep(server, runtime, {
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
  })

  it('fails when one of two stops keeps failing, after stopping the other, with one error naming the job', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'main', 2)
    // StopJob of job 1 always fails on the service's side (the server answers 500 when a hook throws).
    server.onRequest(({ operation, jobId }) => {
      if (operation === 'StopJob' && jobId === '1') throw new Error('the build host is gone')
    })

    const result = await runStep(server, runtime, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

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
  })
  it('fails when one of two stops is denied, naming that job, after stopping the other', async () => {
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

    const result = await runStep(server, runtime, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

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
  })
})
