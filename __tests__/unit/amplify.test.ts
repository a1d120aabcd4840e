// The door to Amplify: requests sent through a mocked AmplifyClient, the fields read back, and every SDK
// failure turned into a message that says what failed and what to do.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  AmplifyClient,
  AmplifyServiceException,
  BadRequestException,
  GetJobCommand,
  InternalFailureException,
  LimitExceededException,
  ListAppsCommand,
  ListBranchesCommand,
  ListJobsCommand,
  NotFoundException,
  StopJobCommand,
  UnauthorizedException,
  type JobSummary
} from '@aws-sdk/client-amplify'
import { createAmplify, describeFailure, isRefusedStop, resourceArn } from '../../src/amplify.js'
import { ActionError, AmplifyRequestError } from '../../src/errors.js'
import type { RequestSubject } from '../../src/messages.js'
import { jobSummary } from '../support/fixtures.js'

const where = { appId: 'd1a2b3c4d5e6f7', branchName: 'feature/login' }
const target: RequestSubject = { region: 'us-east-1', ...where }

/** ListJobs' summary of a job on the test branch (the harness's one fixture). */
const summary = (jobId: string, status: string, extra: Partial<JobSummary> = {}) =>
  jobSummary(jobId, status, extra, where)

const amplifyMock = mockClient(AmplifyClient)

beforeEach(() => {
  amplifyMock.reset()
})
afterEach(() => {
  amplifyMock.reset()
})

function amplify(env: NodeJS.ProcessEnv = {}) {
  return createAmplify('us-east-1', { env })
}

describe('listJobs', () => {
  it('reads every page, asking for 50 jobs a page and passing nextToken on', async () => {
    const pages: Record<string, { jobSummaries: JobSummary[]; nextToken?: string }> = {
      first: { jobSummaries: [summary('5', 'RUNNING'), summary('4', 'SUCCEED')], nextToken: 'page2' },
      page2: { jobSummaries: [summary('3', 'FAILED')], nextToken: 'page3' },
      page3: { jobSummaries: [summary('2', 'PENDING')] }
    }
    // the paginator reuses one input object, so copy each input as it is sent
    const sent: object[] = []
    amplifyMock.on(ListJobsCommand).callsFake(input => {
      sent.push({ ...input })
      return pages[input.nextToken ?? 'first']
    })

    const jobs = await amplify().listJobs(where)

    expect(jobs.map(j => [j.jobId, j.status])).toEqual([
      ['5', 'RUNNING'],
      ['4', 'SUCCEED'],
      ['3', 'FAILED'],
      ['2', 'PENDING']
    ])
    expect(sent).toEqual([
      { ...where, maxResults: 50, nextToken: undefined },
      { ...where, maxResults: 50, nextToken: 'page2' },
      { ...where, maxResults: 50, nextToken: 'page3' }
    ])
    expect(amplifyMock.calls()).toHaveLength(3)
  })

  it('maps the summary fields the action uses', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [summary('7', 'RUNNING')] })
    expect(await amplify().listJobs(where)).toEqual([
      {
        ...where,
        jobId: '7',
        jobArn:
          'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/feature/login/jobs/0000000007',
        status: 'RUNNING',
        commitId: 'abc7'.padEnd(40, '0'),
        commitMessage: 'Commit for job 7',
        startTime: 0
      }
    ])
  })

  it('an empty branch (no jobSummaries at all) is an empty list', async () => {
    amplifyMock.on(ListJobsCommand).resolves({})
    expect(await amplify().listJobs(where)).toEqual([])
  })

  it('a failure on a later page is described as a ListJobs failure', async () => {
    amplifyMock
      .on(ListJobsCommand, { nextToken: undefined })
      .resolves({ jobSummaries: [summary('5', 'RUNNING')], nextToken: 't' })
      .on(ListJobsCommand, { nextToken: 't' })
      .rejects(new NotFoundException({ message: 'Branch not found', $metadata: {} }))
    const error = await amplify()
      .listJobs(where)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AmplifyRequestError)
    expect(error).toMatchObject({ kind: 'not-found', operation: 'ListJobs', missing: 'branch' })
  })
})

describe('listApps and listBranches', () => {
  it('listApps reads every page, 50 apps a page, keeping id, name and repository', async () => {
    const sent: object[] = []
    amplifyMock.on(ListAppsCommand).callsFake(input => {
      sent.push({ ...input })
      return input.nextToken
        ? { apps: [{ appId: 'd2', name: 'admin', repository: 'https://github.com/o/r' }] }
        : { apps: [{ appId: 'd1', name: 'web', repository: 'https://github.com/o/r.git' }], nextToken: 'p2' }
    })
    expect(await amplify().listApps()).toEqual([
      { appId: 'd1', name: 'web', repository: 'https://github.com/o/r.git' },
      { appId: 'd2', name: 'admin', repository: 'https://github.com/o/r' }
    ])
    expect(sent).toEqual([
      { maxResults: 50, nextToken: undefined },
      { maxResults: 50, nextToken: 'p2' }
    ])
  })

  it('listBranches reads every page of the app, 50 branches a page, and returns the names', async () => {
    const sent: object[] = []
    amplifyMock.on(ListBranchesCommand).callsFake(input => {
      sent.push({ ...input })
      return input.nextToken
        ? { branches: [{ branchName: 'pr-7' }] }
        : { branches: [{ branchName: 'main' }], nextToken: 'p2' }
    })
    expect(await amplify().listBranches('d1')).toEqual(['main', 'pr-7'])
    expect(sent).toEqual([
      { appId: 'd1', maxResults: 50, nextToken: undefined },
      { appId: 'd1', maxResults: 50, nextToken: 'p2' }
    ])
  })

  it('a denied ListApps names amplify:ListApps on *, which has no resource-level permission', async () => {
    amplifyMock.on(ListAppsCommand).rejects(serviceError('AccessDeniedException', 'Access denied'))
    const error = await amplify()
      .listApps()
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'permission', operation: 'ListApps' })
    expect((error as Error).message).toBe(
      'Amplify ListApps for the apps in us-east-1 was denied (AccessDeniedException: Access denied). Allow amplify:ListApps on * in the policy of the role this step uses.'
    )
  })

  it('a missing app in ListBranches is a not-found app', async () => {
    amplifyMock
      .on(ListBranchesCommand)
      .rejects(new NotFoundException({ message: 'App not found: d9', $metadata: {} }))
    const error = await amplify()
      .listBranches('d9')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'not-found', operation: 'ListBranches', missing: 'app' })
  })

  it('ListBranches is authorized on the app ARN', () => {
    expect(resourceArn('ListBranches', target)).toBe(
      'arn:aws:amplify:us-east-1:<account-id>:apps/d1a2b3c4d5e6f7'
    )
  })
})

describe('stopJob', () => {
  it('sends one StopJob for the app, branch and job, and returns its summary', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    const job = await amplify().stopJob(where, '42')
    expect(job).toMatchObject({ jobId: '42', status: 'CANCELLING', commitMessage: 'Commit for job 42' })
    expect(amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input)).toEqual([
      { ...where, jobId: '42' }
    ])
    expect(amplifyMock.calls()).toHaveLength(1)
  })

  it('a reply without a summary keeps the job id and marks the status unknown', async () => {
    amplifyMock.on(StopJobCommand).resolves({} as never)
    expect(await amplify().stopJob(where, '42')).toEqual({
      ...where,
      jobId: '42',
      jobArn: '',
      status: 'UNKNOWN',
      commitId: undefined,
      commitMessage: undefined,
      startTime: undefined
    })
  })

  it('a refusal is described as a StopJob failure for that job', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new BadRequestException({ message: 'Job is already in SUCCEED state', $metadata: {} }))
    const error = await amplify()
      .stopJob(where, '42')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AmplifyRequestError)
    expect(error).toMatchObject({ kind: 'service', operation: 'StopJob', errorName: 'BadRequestException' })
    expect(isRefusedStop(error)).toBe(true)
  })
})

describe('getJob', () => {
  it('reads the job summary out of GetJob', async () => {
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('9', 'CANCELLED'), steps: [] } })
    const job = await amplify().getJob(where, '9')
    expect(job).toMatchObject({ jobId: '9', status: 'CANCELLED', commitId: 'abc9'.padEnd(40, '0') })
    expect(amplifyMock.commandCalls(GetJobCommand)[0].args[0].input).toEqual({ ...where, jobId: '9' })
  })

  it('a reply without a job keeps the job id and marks the status unknown', async () => {
    amplifyMock.on(GetJobCommand).resolves({} as never)
    expect(await amplify().getJob(where, '9')).toMatchObject({ jobId: '9', jobArn: '', status: 'UNKNOWN' })
  })

  it('a missing job is a not-found error about that job', async () => {
    amplifyMock
      .on(GetJobCommand)
      .rejects(new NotFoundException({ message: 'Job 9 not found', $metadata: {} }))
    const error = await amplify()
      .getJob(where, '9')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'not-found', operation: 'GetJob', missing: 'job' })
  })
})

describe('the client', () => {
  it('bounds every request with timeouts and retries 5 times by default', async () => {
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('9', 'CANCELLED'), steps: [] } })
    await amplify().getJob(where, '9')
    const client = amplifyMock.send.getCall(0).thisValue as AmplifyClient
    expect(await client.config.maxAttempts()).toBe(5)
    expect(await client.config.region()).toBe('us-east-1')
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>
    }
    expect(await handler.configProvider).toMatchObject({
      connectionTimeout: 5000,
      requestTimeout: 10000,
      throwOnRequestTimeout: true
    })
  })

  it('leaves the attempts to AWS_MAX_ATTEMPTS when it is set', async () => {
    const saved = process.env.AWS_MAX_ATTEMPTS
    process.env.AWS_MAX_ATTEMPTS = '2'
    try {
      amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('9', 'CANCELLED'), steps: [] } })
      await amplify({ AWS_MAX_ATTEMPTS: '2' }).getJob(where, '9')
      const client = amplifyMock.send.getCall(0).thisValue as AmplifyClient
      expect(await client.config.maxAttempts()).toBe(2)
    } finally {
      if (saved === undefined) delete process.env.AWS_MAX_ATTEMPTS
      else process.env.AWS_MAX_ATTEMPTS = saved
    }
  })
})

/** An error the way the SDK builds one for a service exception it has no class for. */
function serviceError(name: string, message: string, extra: object = {}): AmplifyServiceException {
  return new AmplifyServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    ...extra
  })
}

describe('describeFailure', () => {
  describe('permission', () => {
    it("AccessDeniedException names amplify:StopJob and the ARN from IAM's message", () => {
      const arn =
        'arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/feature/login/jobs/0000000042'
      const error = describeFailure(
        serviceError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: amplify:StopJob on resource: ${arn} because no identity-based policy allows the amplify:StopJob action`
        ),
        'StopJob',
        { ...target, jobId: '42' }
      )
      expect(error).toBeInstanceOf(ActionError)
      expect(error.kind).toBe('permission')
      expect(error.errorName).toBe('AccessDeniedException')
      expect(error.message).toContain(
        `Allow amplify:StopJob on ${arn} in the policy of the role this step uses.`
      )
    })

    it('without an ARN in the message, names the constructed one with <account-id>', () => {
      const error = describeFailure(serviceError('AccessDeniedException', 'Access denied'), 'StopJob', {
        ...target,
        jobId: '42'
      })
      expect(error.message).toContain(
        'Allow amplify:StopJob on arn:aws:amplify:us-east-1:<account-id>:apps/d1a2b3c4d5e6f7/branches/feature/login/jobs/*'
      )
    })

    it('for ListJobs, names the branch ARN', () => {
      const error = describeFailure(serviceError('AccessDeniedException', 'no'), 'ListJobs', target)
      expect(error.message).toContain(
        'Allow amplify:ListJobs on arn:aws:amplify:us-east-1:<account-id>:apps/d1a2b3c4d5e6f7/branches/feature/login '
      )
    })

    it('UnauthorizedException is a permission error naming the action', () => {
      const error = describeFailure(
        new UnauthorizedException({ message: 'Unauthorized', $metadata: { httpStatusCode: 401 } }),
        'GetJob',
        { ...target, jobId: '42' }
      )
      expect(error.kind).toBe('permission')
      expect(error.message).toMatch(
        /^Amplify GetJob for job 42 on branch "feature\/login" was denied \(UnauthorizedException: Unauthorized\)\. Allow amplify:GetJob on /
      )
    })

    it.each([
      ['cn-north-1', 'arn:aws-cn:amplify:cn-north-1:'],
      ['us-gov-west-1', 'arn:aws-us-gov:amplify:us-gov-west-1:']
    ])('in %s uses the partition of the region', (region, prefix) => {
      expect(resourceArn('GetJob', { ...target, region })).toMatch(new RegExp(`^${prefix}`))
    })
  })

  describe('credentials', () => {
    it('InvalidSignatureException says to check configure-aws-credentials for the region', () => {
      const error = describeFailure(
        serviceError('InvalidSignatureException', 'The request signature we calculated does not match'),
        'ListJobs',
        target
      )
      expect(error.kind).toBe('credentials')
      expect(error.message).toContain(
        'refused the AWS credentials (InvalidSignatureException: The request signature'
      )
      expect(error.message).toContain('aws-actions/configure-aws-credentials ran before this step')
      expect(error.message).toContain('region us-east-1')
    })

    it('CredentialsProviderError says to add configure-aws-credentials, with OIDC', () => {
      const cause = Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError'
      })
      const error = describeFailure(cause, 'StopJob', { ...target, jobId: '1' })
      expect(error.kind).toBe('credentials')
      expect(error.errorName).toBeUndefined()
      expect(error.message).toBe(
        'No AWS credentials were found (Could not load credentials from any providers). Add aws-actions/configure-aws-credentials (with OIDC: permissions id-token: write) before this step.'
      )
    })
  })

  describe('NotFoundException says which of app, branch or job was not found', () => {
    const notFound = (message: string) =>
      new NotFoundException({ message, $metadata: { httpStatusCode: 404 } })

    it('the app', () => {
      const error = describeFailure(notFound('App d1a2b3c4d5e6f7 not found.'), 'ListJobs', target)
      expect(error).toMatchObject({ kind: 'not-found', missing: 'app' })
      expect(error.message).toMatch(
        /^App d1a2b3c4d5e6f7 was not found in us-east-1: check app-id and aws-region\./
      )
    })

    it('the branch', () => {
      const error = describeFailure(notFound('Branch feature/login not found.'), 'ListJobs', target)
      expect(error).toMatchObject({ kind: 'not-found', missing: 'branch' })
      expect(error.message).toMatch(
        /^Branch "feature\/login" was not found in app d1a2b3c4d5e6f7: check branch-name \(a pull request's preview branch is named pr-<number>\)\./
      )
    })

    it('the job', () => {
      const error = describeFailure(notFound('Job 42 not found'), 'StopJob', { ...target, jobId: '42' })
      expect(error).toMatchObject({ kind: 'not-found', missing: 'job', operation: 'StopJob' })
      expect(error.message).toContain(
        'Job 42 was not found on branch "feature/login" of app d1a2b3c4d5e6f7: check job-id.'
      )
      expect(isRefusedStop(error)).toBe(true)
    })

    it('neither named: a job request assumes the job', () => {
      const error = describeFailure(notFound('Not Found'), 'GetJob', { ...target, jobId: '42' })
      expect(error.missing).toBe('job')
    })

    it('neither named: ListJobs says app or branch', () => {
      const error = describeFailure(notFound('Not Found'), 'ListJobs', target)
      expect(error).toMatchObject({ kind: 'not-found', missing: 'app-or-branch' })
      expect(error.message).toMatch(
        /^App d1a2b3c4d5e6f7 or its branch "feature\/login" was not found in us-east-1: check app-id, branch-name and aws-region\. \(Amplify ListJobs: Not Found\)$/
      )
    })

    it('a word in the branch name is not taken for the missing resource', () => {
      const jobBoard = { ...target, branchName: 'feature/job-board' }
      const listed = describeFailure(notFound('Branch not found: feature/job-board'), 'ListJobs', jobBoard)
      expect(listed.missing).toBe('branch')
      const stopped = describeFailure(notFound('Branch not found: feature/job-board'), 'StopJob', {
        ...jobBoard,
        jobId: '42'
      })
      expect(stopped.missing).toBe('branch')
      expect(isRefusedStop(stopped)).toBe(false)
    })

    it('ListJobs never reports a missing job', () => {
      const error = describeFailure(notFound('Job list not found'), 'ListJobs', target)
      expect(error.missing).toBe('app-or-branch')
    })

    it('a StopJob NotFound naming the branch is not a refused stop', () => {
      const error = describeFailure(notFound('Branch not found'), 'StopJob', { ...target, jobId: '42' })
      expect(error.missing).toBe('branch')
      expect(isRefusedStop(error)).toBe(false)
    })
  })

  it('expired credentials say so, with how to make them last through a long wait', () => {
    const error = describeFailure(
      serviceError('ExpiredTokenException', 'The security token included in the request is expired'),
      'GetJob',
      { ...target, jobId: '42' }
    )
    expect(error.kind).toBe('credentials')
    expect(error.message).toMatch(/^The AWS credentials expired before Amplify GetJob for job 42/)
    expect(error.message).toContain('role-duration-seconds longer than wait-timeout')
  })

  it("an aborted poll (the wait's deadline) is a network error that another poll may not meet", () => {
    const error = describeFailure(
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
      'GetJob',
      { ...target, jobId: '42' }
    )
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/^Amplify did not answer GetJob for job 42 .* in time/)
  })

  it('LimitExceededException is throttling, with the number of attempts', () => {
    const error = describeFailure(
      new LimitExceededException({
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 429, attempts: 5 }
      }),
      'StopJob',
      { ...target, jobId: '42' }
    )
    expect(error.kind).toBe('throttled')
    expect(error.message).toBe(
      'Amplify kept throttling StopJob for job 42 on branch "feature/login" after 5 attempts (LimitExceededException). Wait and re-run the job, or run fewer Amplify calls at once (AWS_MAX_ATTEMPTS raises the retries).'
    )
  })

  it("InternalFailureException ($fault server) is on Amplify's side, with the attempts", () => {
    const error = describeFailure(
      new InternalFailureException({
        message: 'Internal\nfailure',
        $metadata: { httpStatusCode: 500, attempts: 3 }
      }),
      'ListJobs',
      target
    )
    expect(error.kind).toBe('service')
    expect(error.message).toBe(
      'Amplify failed ListJobs for branch "feature/login" after 3 attempts (InternalFailureException: Internal failure). This is on Amplify\'s side: re-run the job later.'
    )
  })

  it("an unmodelled 503 is also on Amplify's side", () => {
    const error = describeFailure(
      new AmplifyServiceException({
        name: 'ServiceUnavailable',
        message: 'x',
        $fault: 'client',
        $metadata: { httpStatusCode: 503 }
      }),
      'GetJob',
      { ...target, jobId: '1' }
    )
    expect(error.kind).toBe('service')
    expect(error.message).toMatch(/This is on Amplify's side/)
  })

  it('TimeoutError says Amplify did not answer in time and points at the network or proxy', () => {
    const cause = Object.assign(new Error('socket timed out'), {
      name: 'TimeoutError',
      $metadata: { attempts: 5 }
    })
    const error = describeFailure(cause, 'GetJob', { ...target, jobId: '42' })
    expect(error.kind).toBe('network')
    expect(error.message).toBe(
      'Amplify did not answer GetJob for job 42 on branch "feature/login" in time after 5 attempts. Check the runner\'s network or proxy (HTTPS_PROXY, NO_PROXY) and re-run.'
    )
  })

  it('ECONNRESET says Amplify could not be reached', () => {
    const cause = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      $metadata: { attempts: 5 }
    })
    const error = describeFailure(cause, 'ListJobs', target)
    expect(error.kind).toBe('network')
    expect(error.message).toBe(
      "Could not reach Amplify for ListJobs after 5 attempts (ECONNRESET: socket hang up). Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and AWS_ENDPOINT_URL_AMPLIFY if set."
    )
  })

  it('a single attempt is not called "after 1 attempts"', () => {
    const error = describeFailure(
      new LimitExceededException({ message: 'x', $metadata: { attempts: 1 } }),
      'ListJobs',
      target
    )
    expect(error.message).not.toMatch(/after \d+ attempts/)
  })

  it('BadRequestException is a refusal of that job', () => {
    const error = describeFailure(
      new BadRequestException({
        message: 'Cannot stop a job in SUCCEED state',
        $metadata: { httpStatusCode: 400 }
      }),
      'StopJob',
      { ...target, jobId: '42' }
    )
    expect(error.kind).toBe('service')
    expect(error.message).toBe(
      'Amplify refused StopJob for job 42 on branch "feature/login" (BadRequestException: Cannot stop a job in SUCCEED state).'
    )
  })

  it('anything else keeps its name and message, on one line', () => {
    const error = describeFailure(new Error('boom\r\n::error::injected'), 'GetJob', {
      ...target,
      jobId: '42'
    })
    expect(error.kind).toBe('service')
    expect(error.message).toBe(
      'Amplify GetJob for job 42 on branch "feature/login" failed (Error: boom ::error::injected).'
    )
  })

  it('a thrown non-Error is described too', () => {
    expect(describeFailure(undefined, 'ListJobs', target).message).toContain('failed (Error: undefined)')
    expect(describeFailure('text', 'ListJobs', target).message).toContain('(Error: text)')
  })

  it('isRefusedStop is false for other errors', () => {
    expect(
      isRefusedStop(
        describeFailure(new InternalFailureException({ message: 'x', $metadata: {} }), 'StopJob', {
          ...target,
          jobId: '1'
        })
      )
    ).toBe(false)
    expect(isRefusedStop(new Error('BadRequestException'))).toBe(false)
  })
})
