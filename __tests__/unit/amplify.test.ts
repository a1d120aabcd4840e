// The one door to Amplify, where the end-to-end tests cannot look cheaply: how every kind of SDK failure is
// classified (what the planner and the wait decide by), which resource a NotFoundException is about, and the
// paging of ListJobs, over a mocked AmplifyClient. Wording is messages.test.ts's.
import { afterEach, describe, expect, it } from '@jest/globals'
import { AmplifyClient, GetJobCommand, ListJobsCommand, type JobSummary } from '@aws-sdk/client-amplify'
import { mockClient } from 'aws-sdk-client-mock'
import {
  createAmplify,
  describeFailure,
  isRefusedStop,
  mayHaveStopped,
  resourceArn,
  whichIsMissing
} from '../../src/amplify.js'
import { AmplifyRequestError, type Operation } from '../../src/errors.js'
import type { RequestSubject } from '../../src/messages.js'
import { jobSummary } from '../support/fixtures.js'

const APP = 'd1a2b3c4d5e6f7'
const subject: RequestSubject = { region: 'us-east-1', appId: APP, branchName: 'feature/login', jobId: '42' }

/** An error the way the SDK throws one: a service exception carries $metadata, a network error a code. */
const sdkError = (name: string, message: string, extra: object = { $metadata: { httpStatusCode: 400 } }) =>
  Object.assign(new Error(message), { name, ...extra })

describe('describeFailure: what kind of failure, for grouping and deciding', () => {
  const server = { $fault: 'server', $metadata: {} }
  it.each<[unknown, Operation, string]>([
    [sdkError('AccessDeniedException', 'no'), 'StopJob', 'permission: denied (AccessDeniedException)'],
    [sdkError('UnauthorizedException', 'no'), 'GetJob', 'permission: denied (UnauthorizedException)'],
    [
      sdkError('ExpiredTokenException', 'x'),
      'GetJob',
      'credentials: credentials expired (ExpiredTokenException)'
    ],
    [
      sdkError('InvalidSignatureException', 'x'),
      'ListJobs',
      'credentials: credentials refused (InvalidSignatureException)'
    ],
    [
      sdkError('UnrecognizedClientException', 'x'),
      'ListApps',
      'credentials: credentials refused (UnrecognizedClientException)'
    ],
    [
      sdkError('CredentialsProviderError', 'Could not load credentials', {}),
      'StopJob',
      'credentials: no AWS credentials'
    ],
    [sdkError('ThrottlingException', 'Slow down'), 'ListJobs', 'throttled: throttled (ThrottlingException)'],
    [
      sdkError('LimitExceededException', 'Slow down'),
      'ListJobs',
      'throttled: throttled (LimitExceededException)'
    ],
    [
      sdkError('TooManyRequestsException', 'x'),
      'ListJobs',
      'throttled: throttled (TooManyRequestsException)'
    ],
    // amplify-hosting#3748: Amplify answers throttling as a BadRequestException too; any type, any case.
    [
      sdkError('BadRequestException', 'Rate exceeded'),
      'StopJob',
      'throttled: throttled (BadRequestException)'
    ],
    [sdkError('NotFoundException', 'RATE EXCEEDED'), 'ListJobs', 'throttled: throttled (NotFoundException)'],
    [
      sdkError('InternalFailureException', 'rate exceeded', server),
      'GetJob',
      'throttled: throttled (InternalFailureException)'
    ],
    [
      sdkError('BadRequestException', 'Job is in SUCCEED state'),
      'StopJob',
      'service: refused (BadRequestException)'
    ],
    [
      sdkError('InternalFailureException', 'x', server),
      'ListJobs',
      "service: failed on Amplify's side (InternalFailureException)"
    ],
    [
      sdkError('Unavailable', 'x', { $metadata: { httpStatusCode: 503 } }),
      'GetJob',
      "service: failed on Amplify's side (Unavailable)"
    ],
    [sdkError('TimeoutError', 'socket timed out', {}), 'StopJob', 'network: no answer in time'],
    [sdkError('AbortError', "the wait's deadline", {}), 'GetJob', 'network: no answer in time'],
    [
      sdkError('Error', 'socket hang up', { code: 'ECONNRESET' }),
      'ListJobs',
      'network: unreachable (ECONNRESET)'
    ],
    [new Error('boom'), 'GetJob', 'service: failed (Error)'],
    [undefined, 'ListJobs', 'service: failed (Error)']
  ])('%s, for %s: %s', (error, operation, expected) => {
    const described = describeFailure(error, operation, subject)
    expect(described).toBeInstanceOf(AmplifyRequestError)
    expect(`${described.kind}: ${described.reason}`).toBe(expected)
    expect(described.operation).toBe(operation)
  })

  const IAM_DENIAL = (arn: string, role = 'ci/gh') =>
    `User: arn:aws:sts::123456789012:assumed-role/${role} is not authorized to perform: amplify:StopJob on resource: ${arn} because no identity-based policy allows the amplify:StopJob action`

  it("a denial names the resource from IAM's message, and advises the scope of every branch", () => {
    const arn = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/branches/feature/login/jobs/0000000042`
    const denied = describeFailure(sdkError('AccessDeniedException', IAM_DENIAL(arn)), 'StopJob', subject)
    expect(denied.message).toContain(`Allow amplify:StopJob on ${arn} in the policy`)
    expect(denied.advice).toBe(
      `Allow amplify:StopJob on arn:aws:amplify:us-east-1:<account-id>:apps/${APP}/branches/*/jobs/* in the policy of the role this step uses.`
    )
  })

  it("a denial names IAM's resource whole, though the message around it is shortened", () => {
    const branchName = 'feature/JIRA-1234-fix-login-redirect'
    const arn = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/branches/${branchName}/jobs/0000000042`
    const role = 'github-actions-amplify-deploy-production/GitHubActions-1234567890-attempt-1'
    const denied = describeFailure(sdkError('AccessDeniedException', IAM_DENIAL(arn, role)), 'StopJob', {
      ...subject,
      branchName
    })
    expect(denied.message).toContain(`Allow amplify:StopJob on ${arn} in the policy`)
  })

  it.each<[Operation, string, string]>([
    ['ListApps', 'us-east-1', '*'],
    ['ListBranches', 'us-east-1', `arn:aws:amplify:us-east-1:<account-id>:apps/${APP}`],
    [
      'ListJobs',
      'cn-north-1',
      `arn:aws-cn:amplify:cn-north-1:<account-id>:apps/${APP}/branches/feature/login`
    ],
    [
      'GetJob',
      'us-gov-west-1',
      `arn:aws-us-gov:amplify:us-gov-west-1:<account-id>:apps/${APP}/branches/feature/login/jobs/*`
    ]
  ])('without an ARN from IAM, %s in %s is allowed on %s', (operation, region, arn) => {
    expect(resourceArn(operation, { ...subject, region })).toBe(arn)
    expect(
      describeFailure(sdkError('AccessDeniedException', 'no'), operation, { ...subject, region }).message
    ).toContain(`Allow amplify:${operation} on ${arn} in the policy`)
  })
})

describe('whichIsMissing: what a NotFoundException is about, from the words Amplify put around the names', () => {
  it.each<[string, Operation, Partial<RequestSubject>, string]>([
    ['App not found: d9', 'ListJobs', {}, 'app'],
    ['Branch not found: feature/login', 'ListJobs', {}, 'branch'],
    ['Job 42 not found', 'StopJob', {}, 'job'],
    ['Not Found', 'GetJob', {}, 'job'],
    ['Not Found', 'ListJobs', {}, 'app-or-branch'],
    ['Job list not found', 'ListJobs', {}, 'app-or-branch'], // ListJobs is never about a job
    ['Not Found', 'ListBranches', {}, 'app'],
    [`There is no app with id ${APP}.`, 'ListJobs', {}, 'app'],
    // issue 15: a branch called App, and an app id that does not exist, is a missing app
    ['App not found: dnothere', 'ListJobs', { appId: 'dnothere', branchName: 'App' }, 'app'],
    ['Branch not found: App', 'ListJobs', { branchName: 'App' }, 'branch'],
    ['Branch not found: feature/job-board', 'StopJob', { branchName: 'feature/job-board' }, 'branch'],
    ['Could not find branch feature/app-shell', 'ListJobs', { branchName: 'feature/app-shell' }, 'branch'],
    ['No such resource: app-store', 'ListJobs', { branchName: 'app-store' }, 'app-or-branch']
  ])('%j for %s %j: the %s', (message, operation, where, missing) => {
    expect(whichIsMissing(message, operation, { ...subject, ...where })).toBe(missing)
  })

  it('a NotFoundException is not-found, with what is missing', () => {
    const where = { ...subject, appId: 'dnothere', branchName: 'App' }
    const error = describeFailure(sdkError('NotFoundException', 'App not found: dnothere'), 'ListJobs', where)
    expect(error).toMatchObject({ kind: 'not-found', missing: 'app', reason: 'app not found' })
  })
})

describe('isRefusedStop and mayHaveStopped: when a StopJob needs a GetJob to know what happened', () => {
  const stop = (name: string, message = 'x', extra?: object) =>
    describeFailure(sdkError(name, message, extra), 'StopJob', subject)
  it.each<[unknown, boolean, boolean]>([
    [stop('BadRequestException', 'Job is in SUCCEED state'), true, false],
    [stop('NotFoundException', 'Job 42 not found'), true, false],
    [stop('NotFoundException', 'Branch not found'), false, false],
    [stop('BadRequestException', 'Rate exceeded'), false, false],
    [stop('AccessDeniedException'), false, false],
    [stop('TimeoutError', 'every attempt timed out', {}), false, true],
    [describeFailure(sdkError('TimeoutError', 'x', {}), 'GetJob', subject), false, false],
    [stop('AbortError', 'aborted', {}), false, false],
    [new Error('BadRequestException'), false, false]
  ])('%s: refused %s, may have stopped %s', (error, refused, mayHave) => {
    expect(isRefusedStop(error)).toBe(refused)
    expect(mayHaveStopped(error)).toBe(mayHave)
  })
})

describe('the client over a mocked AmplifyClient', () => {
  const amplifyMock = mockClient(AmplifyClient)
  afterEach(() => {
    amplifyMock.reset()
  })
  const where = { appId: APP, branchName: 'feature/login' }
  const summary = (jobId: string, extra: Partial<JobSummary> = {}) =>
    jobSummary(jobId, 'RUNNING', extra, where)

  /** Three pages of jobs; each input is copied as it is sent (the paginator reuses one object). */
  function threePages() {
    const pages: Record<string, { jobSummaries: JobSummary[]; nextToken?: string }> = {
      first: { jobSummaries: [summary('5', { jobType: 'MANUAL' }), summary('4')], nextToken: 'p2' },
      p2: { jobSummaries: [summary('3')], nextToken: 'p3' },
      p3: { jobSummaries: [summary('2')] }
    }
    const sent: object[] = []
    amplifyMock.on(ListJobsCommand).callsFake(input => {
      sent.push({ ...input })
      return pages[input.nextToken ?? 'first']
    })
    return sent
  }

  it('listJobs reads every page, 50 jobs a page, and says how many pages it took', async () => {
    const sent = threePages()
    const { jobs, pages } = await createAmplify('us-east-1', { env: {} }).listJobs(where)
    expect(jobs.map(j => j.jobId)).toEqual(['5', '4', '3', '2'])
    const { jobArn, commitId } = summary('5')
    expect(jobs[0]).toEqual({
      ...{ ...where, jobId: '5', jobArn, status: 'RUNNING', jobType: 'MANUAL', commitId },
      ...{ commitMessage: 'Commit for job 5', startTime: 0 }
    })
    expect(pages).toBe(3)
    expect(sent).toEqual([undefined, 'p2', 'p3'].map(nextToken => ({ ...where, maxResults: 50, nextToken })))
  })

  it('listJobs stops reading pages as soon as `seen` says every job wanted was listed', async () => {
    const sent = threePages()
    const seen = (jobs: readonly { jobId: string }[]) => jobs.some(j => j.jobId === '3')
    const { jobs, pages } = await createAmplify('us-east-1', { env: {} }).listJobs(where, { seen })
    expect([jobs.length, pages, sent.length]).toEqual([3, 2, 2])
  })

  it('a failure on a later page is a ListJobs failure of that branch', async () => {
    amplifyMock
      .on(ListJobsCommand, { nextToken: undefined })
      .resolves({ jobSummaries: [summary('5')], nextToken: 't' })
      .on(ListJobsCommand, { nextToken: 't' })
      .rejects(sdkError('NotFoundException', 'Branch not found: feature/login'))
    await expect(createAmplify('us-east-1', { env: {} }).listJobs(where)).rejects.toMatchObject({
      operation: 'ListJobs',
      missing: 'branch'
    })
  })

  it('bounds each request in time, and retries 5 times unless AWS_MAX_ATTEMPTS says otherwise', async () => {
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('9'), steps: [] } })
    expect(await createAmplify('us-east-1', { env: {} }).getJob(where, '9')).toMatchObject({ jobId: '9' })
    const client = amplifyMock.send.getCall(0).thisValue as AmplifyClient
    expect(await client.config.maxAttempts()).toBe(5)
    const handler = client.config.requestHandler as unknown as { configProvider: Promise<object> }
    const bounds = { connectionTimeout: 5000, requestTimeout: 10000, throwOnRequestTimeout: true }
    expect(await handler.configProvider).toMatchObject(bounds)
    const saved = process.env.AWS_MAX_ATTEMPTS
    process.env.AWS_MAX_ATTEMPTS = '2'
    try {
      await createAmplify('us-east-1', { env: { AWS_MAX_ATTEMPTS: '2' } }).getJob(where, '9')
      expect(await (amplifyMock.send.getCall(1).thisValue as AmplifyClient).config.maxAttempts()).toBe(2)
    } finally {
      if (saved === undefined) delete process.env.AWS_MAX_ATTEMPTS
      else process.env.AWS_MAX_ATTEMPTS = saved
    }
  })
})
