// Drives the local Amplify server with the real AmplifyClient, so the tests that rely on it are known to
// be talking to something that behaves like the service on the wire.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  AmplifyClient,
  AmplifyServiceException,
  BadRequestException,
  GetBranchCommand,
  GetJobCommand,
  InternalFailureException,
  LimitExceededException,
  ListAppsCommand,
  ListBranchesCommand,
  ListJobsCommand,
  NotFoundException,
  paginateListApps,
  paginateListBranches,
  StopJobCommand,
  UnauthorizedException,
  type AmplifyClientConfig
} from '@aws-sdk/client-amplify'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { HttpRequest } from '@smithy/protocol-http'
import {
  DEFAULT_REPOSITORY,
  FINAL_STATUSES,
  IN_PROGRESS_STATUSES,
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from './amplify-server.js'

const servers: AmplifyServer[] = []
const clients: AmplifyClient[] = []

afterEach(async () => {
  clients.splice(0).forEach(client => client.destroy())
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function start(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const server = await startAmplifyServer(options)
  servers.push(server)
  return server
}

function clientFor(server: AmplifyServer, config: Partial<AmplifyClientConfig> = {}): AmplifyClient {
  const client = new AmplifyClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { ...TEST_CREDENTIALS }, // a copy: the SDK writes $source onto the object
    ...config
  })
  clients.push(client)
  return client
}

/** Resolves with the error a promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<AmplifyServiceException> {
  try {
    await promise
  } catch (error) {
    return error as AmplifyServiceException
  }
  throw new Error('expected the call to fail')
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Polls until `condition` holds: the server sees a socket close a moment after the client does. */
async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(5)
  }
}

/** Milliseconds a call takes. */
async function timed(promise: Promise<unknown>): Promise<number> {
  const started = Date.now()
  await promise
  return Date.now() - started
}

// Timers may fire a millisecond or so before Date.now() says the delay is up.
const TIMER_SLACK_MS = 5

/** How the SDK encodes a path label: encodeURIComponent plus !'()* */
const encodeLabel = (label: string) =>
  encodeURIComponent(label).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('StopJob', () => {
  it('moves a running job to CANCELLING, then CANCELLED with an endTime after cancelDelayMs', async () => {
    const server = await start({ cancelDelayMs: 100 })
    server.addJob('d1', 'main', { status: 'RUNNING' })
    const client = clientFor(server)

    const { jobSummary } = await client.send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary).toMatchObject({
      jobId: '1',
      status: 'CANCELLING',
      jobArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/0000000001'
    })
    expect(jobSummary?.endTime).toBeUndefined()

    await sleep(250)
    const { job } = await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(job?.summary?.status).toBe('CANCELLED')
    expect(job?.summary?.endTime).toBeInstanceOf(Date)
    expect(job?.steps).toEqual([])
  })

  it.each([...IN_PROGRESS_STATUSES, 'SOME_FUTURE_STATUS'])('stops a job in %s', async status => {
    const server = await start()
    server.addJob('d1', 'main', { status })
    const { jobSummary } = await clientFor(server).send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary?.status).toBe('CANCELLING')
  })

  it.each(FINAL_STATUSES)('rejects a job already in %s with BadRequestException', async status => {
    const server = await start()
    server.addJob('d1', 'main', { jobId: '7', status })
    const error = await failure(
      clientFor(server).send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '7' }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toBe(`Job 7 is already in ${status} state and cannot be stopped.`)
    expect(error.$metadata.httpStatusCode).toBe(400)
  })

  it('answers 200 and stays CANCELLING when the job is already CANCELLING', async () => {
    const server = await start({ cancelDelayMs: Infinity })
    server.addJob('d1', 'main')
    const client = clientFor(server)
    const stop = new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    await client.send(stop)
    const { jobSummary } = await client.send(stop)
    expect(jobSummary?.status).toBe('CANCELLING')
    expect(server.getJob('d1', 'main', '1').status).toBe('CANCELLING')
  })
})

describe('ListJobs', () => {
  it('pages newest first and omits nextToken on the last page', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 5, i => ({ status: i < 4 ? 'SUCCEED' : 'RUNNING' }))
    const client = clientFor(server)

    const pages: string[][] = []
    let nextToken: string | undefined
    do {
      const page = await client.send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken })
      )
      pages.push((page.jobSummaries ?? []).map(job => job.jobId ?? ''))
      nextToken = page.nextToken
    } while (nextToken)

    expect(pages).toEqual([['5', '4'], ['3', '2'], ['1']])
    expect(server.requestsFor('ListJobs').map(r => r.query.maxResults)).toEqual(['2', '2', '2'])
  })

  it('returns full job summaries with timestamps parsed to Date', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'SUCCEED', jobType: 'RELEASE' })
    const { jobSummaries } = await clientFor(server).send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main' })
    )
    const [summary] = jobSummaries ?? []
    expect(summary).toEqual({
      jobArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/0000000001',
      jobId: '1',
      commitId: expect.stringMatching(/^[0-9a-f]{40}$/),
      commitMessage: 'Commit 1',
      commitTime: new Date('2025-01-01T00:00:30Z'),
      startTime: new Date('2025-01-01T00:01:00Z'),
      endTime: new Date('2025-01-01T00:06:00Z'),
      status: 'SUCCEED',
      jobType: 'RELEASE'
    })
  })

  it('leaves out commit fields seeded as undefined, like manual deployments', async () => {
    const server = await start()
    server.addJob('d1', 'main', {
      jobType: 'MANUAL',
      commitId: undefined,
      commitMessage: undefined,
      commitTime: undefined
    })
    const { jobSummaries } = await clientFor(server).send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main' })
    )
    expect(Object.keys(jobSummaries?.[0] ?? {}).sort()).toEqual([
      'jobArn',
      'jobId',
      'jobType',
      'startTime',
      'status'
    ])
  })

  it('rejects maxResults above 50 with BadRequestException naming the constraint', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 51 }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toContain("Value '51' at 'maxResults' failed to satisfy constraint")
    expect(error.message).toContain('less than or equal to 50')
  })

  it('uses defaultPageSize when maxResults is 0 or absent', async () => {
    const server = await start({ defaultPageSize: 3 })
    server.addJobs('d1', 'main', 4)
    const client = clientFor(server)
    for (const maxResults of [0, undefined]) {
      const page = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults }))
      expect(page.jobSummaries).toHaveLength(3)
      expect(page.nextToken).toBeDefined()
    }
  })

  it('rejects a nextToken it did not issue, or one from another branch', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 3)
    server.addJobs('d1', 'dev', 3)
    const client = clientFor(server)
    const { nextToken } = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 1 })
    )
    for (const [branchName, token] of [
      ['main', 'not-a-token'],
      ['dev', nextToken]
    ]) {
      const error = await failure(
        client.send(new ListJobsCommand({ appId: 'd1', branchName, nextToken: token }))
      )
      expect(error).toBeInstanceOf(BadRequestException)
    }
  })

  it('keeps pages stable when new jobs arrive between pages', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 4)
    const client = clientFor(server)
    const first = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2 }))
    server.addJob('d1', 'main')
    const second = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken: first.nextToken })
    )
    expect(second.jobSummaries?.map(job => job.jobId)).toEqual(['2', '1'])
  })

  it('lists oldest first when asked to', async () => {
    const server = await start({ listOrder: 'oldest-first' })
    server.addJobs('d1', 'main', 3)
    const client = clientFor(server)
    const first = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2 }))
    const second = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 2, nextToken: first.nextToken })
    )
    expect([...(first.jobSummaries ?? []), ...(second.jobSummaries ?? [])].map(job => job.jobId)).toEqual([
      '1',
      '2',
      '3'
    ])
  })

  it('lists 2,000 jobs in 40 pages quickly', async () => {
    const server = await start()
    const seeded = Date.now()
    server.addJobs('d1', 'main', 2000, i => ({ status: i === 1999 ? 'RUNNING' : 'SUCCEED' }))
    expect(Date.now() - seeded).toBeLessThan(1000)
    const client = clientFor(server)

    const listed = Date.now()
    const ids: string[] = []
    let nextToken: string | undefined
    do {
      const page = await client.send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 50, nextToken })
      )
      ids.push(...(page.jobSummaries ?? []).map(job => job.jobId ?? ''))
      nextToken = page.nextToken
    } while (nextToken)

    expect(server.requestsFor('ListJobs')).toHaveLength(40)
    expect(ids).toHaveLength(2000)
    expect(ids[0]).toBe('2000')
    expect(ids[1999]).toBe('1')
    expect(Date.now() - listed).toBeLessThan(5000)
  })
})

describe('GetBranch', () => {
  it('reports the newest in-progress job as activeJobId', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'RUNNING' })
    server.addJob('d1', 'main', { status: 'PENDING' })
    server.addJob('d1', 'main', { status: 'FAILED' })
    const { branch } = await clientFor(server).send(new GetBranchCommand({ appId: 'd1', branchName: 'main' }))
    expect(branch).toMatchObject({
      branchName: 'main',
      branchArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main',
      displayName: 'main',
      activeJobId: '2',
      totalNumberOfJobs: '3'
    })
  })

  it('falls back to the newest job when none is in progress', async () => {
    const server = await start()
    server.addJobs('d1', 'main', 2, { status: 'SUCCEED' })
    const { branch } = await clientFor(server).send(new GetBranchCommand({ appId: 'd1', branchName: 'main' }))
    expect(branch?.activeJobId).toBe('2')
  })
})

describe('path labels', () => {
  it.each(['feature/login', 'my branch', 'ünïcødé/枝', '100%', 'a+b', 'release/v1.2 (rc)'])(
    'round-trips the branch name %j through the SDK and verifies its signature',
    async branchName => {
      const server = await start()
      server.addJobs('d1', branchName, 2)
      const client = clientFor(server)

      const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName }))
      expect(jobSummaries?.[0]?.jobArn).toBe(
        `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/${branchName}/jobs/0000000002`
      )
      const { jobSummary } = await client.send(new StopJobCommand({ appId: 'd1', branchName, jobId: '2' }))
      expect(jobSummary?.status).toBe('CANCELLING')
      const { branch } = await client.send(new GetBranchCommand({ appId: 'd1', branchName }))
      expect(branch?.branchName).toBe(branchName)

      for (const request of server.requests) {
        expect(request).toMatchObject({ branchName, signature: 'valid', status: 200 })
        expect(request.path).toContain(`/branches/${encodeLabel(branchName)}`)
      }
    }
  )
})

describe('not found', () => {
  it.each([
    ['app', { appId: 'dmissing', branchName: 'main', jobId: '1' }, 'App not found: dmissing'],
    ['branch', { appId: 'd1', branchName: 'feature/gone', jobId: '1' }, 'Branch not found: feature/gone'],
    ['job', { appId: 'd1', branchName: 'main', jobId: '42' }, 'Job not found: 42']
  ])('raises NotFoundException naming the missing %s', async (_, input, message) => {
    const server = await start()
    server.addJob('d1', 'main')
    const client = clientFor(server)
    const errors = [
      await failure(client.send(new StopJobCommand(input))),
      await failure(client.send(new GetJobCommand(input)))
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(NotFoundException)
      expect(error.message).toBe(message)
      expect(error.$metadata.httpStatusCode).toBe(404)
    }
  })

  it('treats a deleted branch as not found', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.deleteBranch('d1', 'main')
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(NotFoundException)
    expect(error.message).toBe('Branch not found: main')
  })

  it('answers an unknown route with 404 UnknownOperationException and the service headers', async () => {
    const server = await start({ verifySignatures: false })
    const response = await fetch(`${server.url}/apps/d1/webhooks`)
    expect(response.status).toBe(404)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await response.json()).toEqual({ message: 'Unknown operation: GET /apps/d1/webhooks' })
    expect(server.requests[0]).toMatchObject({ operation: null, status: 404, signature: 'missing' })
  })
})

describe('SigV4', () => {
  it('rejects a request signed with the wrong secret and logs the signature as invalid', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const client = clientFor(server, {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' }
    })
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/x', jobId: '1' }))
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/
    )
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(server.requests).toEqual([
      expect.objectContaining({
        operation: 'StopJob',
        status: 403,
        signature: 'invalid',
        errorType: 'InvalidSignatureException'
      })
    ])
    expect(server.getJob('d1', 'main', '1').status).toBe('RUNNING')
  })

  it.each([
    ['path', (request: HttpRequest) => void (request.path = request.path.replace('/jobs/1/', '/jobs/2/'))],
    ['query', (request: HttpRequest) => void (request.query = { maxResults: '1' })],
    [
      'signed header',
      (request: HttpRequest) => void (request.headers['amz-sdk-request'] = 'attempt=9; max=9')
    ]
  ])('rejects a request whose %s changed after signing', async (_, tamper) => {
    const server = await start()
    server.addJobs('d1', 'feature/login', 2)
    const client = clientFor(server, { maxAttempts: 1 })
    type Next = (args: { request: HttpRequest }) => Promise<unknown>
    const tamperAfterSigning = (next: Next) => async (args: { request: HttpRequest }) => {
      tamper(args.request)
      return next(args)
    }
    client.middlewareStack.addRelativeTo(
      tamperAfterSigning as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' }
    )
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/login', jobId: '1' }))
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(server.requests[0].signature).toBe('invalid')
    expect(server.getJob('d1', 'feature/login', '2').status).toBe('RUNNING')
  })

  it('rejects a client signing for another region, naming it', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const error = await failure(
      clientFor(server, { region: 'eu-west-1' }).send(
        new ListJobsCommand({ appId: 'd1', branchName: 'main' })
      )
    )
    expect(error.name).toBe('InvalidSignatureException')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toContain("not 'eu-west-1'")
  })

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const server = await start()
    const client = clientFor(server, {
      credentials: { accessKeyId: 'AKIDSOMEONEELSE00000', secretAccessKey: 'x' }
    })
    const error = await failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    expect(error.name).toBe('UnrecognizedClientException')
    expect(error.$metadata.httpStatusCode).toBe(403)
  })

  it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
    const server = await start()
    const response = await fetch(`${server.url}/apps/d1/branches/main/jobs`)
    expect(response.status).toBe(403)
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(server.requests[0]).toMatchObject({ operation: 'ListJobs', signature: 'missing', status: 403 })
  })

  it('only logs bad signatures when verifySignatures is false', async () => {
    const server = await start({ verifySignatures: false })
    server.addJob('d1', 'main')
    const client = clientFor(server, {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'nope' }
    })
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(server.requests[0]).toMatchObject({ status: 200, signature: 'invalid' })
  })

  it('accepts custom credentials and region', async () => {
    const credentials = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' }
    const server = await start({ region: 'ap-southeast-2', accountId: '999999999999', credentials })
    server.addJob('d1', 'main')
    const client = clientFor(server, { region: 'ap-southeast-2', credentials: { ...credentials } })
    const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(jobSummaries?.[0]?.jobArn).toBe(
      'arn:aws:amplify:ap-southeast-2:999999999999:apps/d1/branches/main/jobs/0000000001'
    )
  })
})

describe('faults and retries', () => {
  it('throttles twice, then the default SDK retry succeeds on the third attempt', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'ListJobs', kind: 'throttle', times: 2 })
    const result = await clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(result.$metadata.attempts).toBe(3)
    expect(server.requests.map(r => r.status)).toEqual([429, 429, 200])
    expect(server.requests.map(r => r.signature)).toEqual(['valid', 'valid', 'valid']) // re-signed per attempt
    expect(server.requests.map(r => r.errorType)).toEqual([
      'LimitExceededException',
      'LimitExceededException',
      undefined
    ])
  })

  it('raises LimitExceededException with status 429 when retries run out', async () => {
    const server = await start()
    server.addFault({ kind: 'throttle' })
    const error = await failure(
      clientFor(server, { maxAttempts: 1 }).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(LimitExceededException)
    expect(error.$metadata.httpStatusCode).toBe(429)
  })

  it('returns InternalFailureException for an internal fault, which the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'internal' })
    const error = await failure(
      clientFor(server, { maxAttempts: 1 }).send(
        new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
      )
    )
    expect(error).toBeInstanceOf(InternalFailureException)
    expect(error.$metadata.httpStatusCode).toBe(500)

    server.addFault({ operation: 'StopJob', kind: 'internal' })
    server.clearRequests()
    await clientFor(server).send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(server.requests.map(r => r.status)).toEqual([500, 200])
  })

  it('only applies a fault to its operation', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'internal' })
    const client = clientFor(server, { maxAttempts: 1 })
    await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    await expect(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    ).rejects.toThrow(InternalFailureException)
  })

  it('resets the connection; the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ kind: 'reset' })
    await clientFor(server).send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(server.requests.map(r => r.status)).toEqual(['reset', 200])
  })

  it('hangs until the client times out; the SDK retries', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ operation: 'StopJob', kind: 'hang' })
    // requestTimeout only throws (a retryable TimeoutError) with throwOnRequestTimeout: see the next test.
    const requestHandler = new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true })
    const client = clientFor(server, { requestHandler })
    const { jobSummary } = await client.send(
      new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })
    )
    expect(jobSummary?.status).toBe('CANCELLING')
    expect(server.requests.map(r => r.status)).toEqual(['hang', 200])
  })

  it('is not timed out by requestTimeout alone, which only logs a warning (SDK behaviour pinned here)', async () => {
    const server = await start()
    server.addFault({ kind: 'hang' })
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} }
    const client = clientFor(server, {
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 100, logger })
    })
    const pending = failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    await sleep(400)
    expect(warnings.join('\n')).toContain('throwOnRequestTimeout=true')
    expect(server.requests.map(r => r.status)).toEqual(['hang'])
    await server.close() // only the server closing the socket ends the call
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/)
  })

  it('scripts any error, which the SDK maps to its modeled exception', async () => {
    const server = await start()
    server.addFault({ kind: 'error', status: 401, errorType: 'UnauthorizedException', message: 'Nope' })
    const error = await failure(
      clientFor(server).send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    )
    expect(error).toBeInstanceOf(UnauthorizedException)
    expect(error.message).toBe('Nope')
    expect(server.requests).toHaveLength(1) // 401 is not retried
  })

  it('closes even with a hanging request outstanding', async () => {
    const server = await start()
    server.addFault({ kind: 'hang' })
    const client = clientFor(server, { maxAttempts: 1 })
    const pending = failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    while (server.requests.length === 0) await sleep(5)
    await server.close()
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/)
  })
})

describe('deny', () => {
  it("answers 403 AccessDeniedException with IAM's message", async () => {
    const server = await start()
    server.addJob('d1', 'feature/login')
    server.deny('StopJob')
    const client = clientFor(server)
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'feature/login', jobId: '1' }))
    )
    expect(error.name).toBe('AccessDeniedException')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/local-test/session is not authorized to perform: ' +
        'amplify:StopJob on resource: arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/feature/login/jobs/0000000001'
    )
    // Other operations are still allowed.
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'feature/login' }))
  })

  it('can be narrowed to one branch and lifted', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addJob('d1', 'dev')
    const allow = server.deny('ListJobs', { appId: 'd1', branchName: 'main' })
    const client = clientFor(server)
    const error = await failure(client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' })))
    expect(error.message).toContain(
      'amplify:ListJobs on resource: arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main'
    )
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'dev' }))
    allow()
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
  })
})

describe('onRequest', () => {
  it('lets a test end a job between ListJobs and StopJob', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'RUNNING' })
    const seen: string[] = []
    server.onRequest(async ({ operation, appId, branchName, jobId }) => {
      seen.push(`${operation} ${appId} ${branchName} ${jobId}`)
      if (operation === 'StopJob') server.setJobStatus(appId ?? '', branchName ?? '', jobId ?? '', 'SUCCEED')
    })
    const client = clientFor(server)
    const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(jobSummaries?.[0]?.status).toBe('RUNNING')
    const error = await failure(
      client.send(new StopJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    )
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toBe('Job 1 is already in SUCCEED state and cannot be stopped.')
    expect(seen).toEqual(['ListJobs d1 main undefined', 'StopJob d1 main 1'])
    expect(server.getJob('d1', 'main', '1').endTime).toBeInstanceOf(Date)
  })
})

describe('seeding', () => {
  it('numbers jobs after the highest existing id and rejects duplicates and bad app ids', async () => {
    const server = await start()
    server.addJob('d1', 'main', { jobId: '41' })
    expect(server.addJob('d1', 'main').jobId).toBe('42')
    expect(() => server.addJob('d1', 'main', { jobId: '41' })).toThrow('already exists')
    expect(() => server.addApp('MyApp')).toThrow('d[a-z0-9]+')
  })
})

describe('ListApps', () => {
  it('pages apps in creation order with the SDK paginator, every request signed and verified', async () => {
    const server = await start()
    for (const appId of ['dzz', 'd1', 'dabc', 'd9', 'd0']) server.addApp(appId)
    const client = clientFor(server)

    const pages: string[][] = []
    for await (const page of paginateListApps({ client, pageSize: 2 }, {})) {
      pages.push((page.apps ?? []).map(app => app.appId ?? ''))
    }

    expect(pages).toEqual([['dzz', 'd1'], ['dabc', 'd9'], ['d0']])
    expect(server.requestsFor('ListApps')).toHaveLength(3)
    for (const request of server.requests) {
      expect(request).toMatchObject({
        operation: 'ListApps',
        method: 'GET',
        path: '/apps',
        appId: undefined,
        status: 200,
        signature: 'valid'
      })
      expect(request.query.maxResults).toBe('2')
    }
    expect(server.requests[0].query.nextToken).toBeUndefined()
    expect(server.requests[1].query.nextToken).toEqual(expect.any(String))
  })

  it('returns the App shape the SDK deserializes, timestamps as Date', async () => {
    const server = await start({ region: 'eu-west-2', accountId: '111122223333' })
    server.addApp('d1')
    const { apps, nextToken } = await clientFor(server, { region: 'eu-west-2' }).send(new ListAppsCommand({}))
    expect(nextToken).toBeUndefined()
    expect(apps).toEqual([
      {
        appId: 'd1',
        appArn: 'arn:aws:amplify:eu-west-2:111122223333:apps/d1',
        name: 'd1',
        description: '',
        repository: DEFAULT_REPOSITORY,
        platform: 'WEB',
        createTime: new Date('2025-01-01T00:00:00Z'),
        updateTime: new Date('2025-01-01T00:00:00Z'),
        environmentVariables: {},
        defaultDomain: 'd1.amplifyapp.com',
        enableBranchAutoBuild: true,
        enableBasicAuth: false
      }
    ])
    expect(server.appArn('d1')).toBe('arn:aws:amplify:eu-west-2:111122223333:apps/d1')
  })

  it('answers an empty list with no nextToken when there are no apps', async () => {
    const server = await start()
    const result = await clientFor(server).send(new ListAppsCommand({ maxResults: 10 }))
    expect(result.apps).toEqual([])
    expect(result.nextToken).toBeUndefined()
  })

  it('defaults to pages of 50, whatever defaultPageSize says, and accepts maxResults up to 100', async () => {
    const server = await start({ defaultPageSize: 3 })
    for (let i = 0; i < 120; i++) server.addApp(`d${i}`)
    const client = clientFor(server)
    for (const maxResults of [0, undefined]) {
      const page = await client.send(new ListAppsCommand({ maxResults }))
      expect(page.apps).toHaveLength(50)
      expect(page.nextToken).toBeDefined()
    }
    const hundred = await client.send(new ListAppsCommand({ maxResults: 100 }))
    expect(hundred.apps).toHaveLength(100)
    const rest = await client.send(new ListAppsCommand({ maxResults: 100, nextToken: hundred.nextToken }))
    expect(rest.apps?.map(app => app.appId)).toEqual(Array.from({ length: 20 }, (_, i) => `d${100 + i}`))
    expect(rest.nextToken).toBeUndefined()

    const error = await failure(client.send(new ListAppsCommand({ maxResults: 101 })))
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toContain("Value '101' at 'maxResults' failed to satisfy constraint")
    expect(error.message).toContain('less than or equal to 100')
  })

  it('keeps pages stable when apps are added between pages', async () => {
    const server = await start()
    server.addApp('d1')
    server.addApp('d2')
    server.addApp('d3')
    const client = clientFor(server)
    const first = await client.send(new ListAppsCommand({ maxResults: 2 }))
    server.addApp('d0') // created last, so listed last, though it sorts first
    const second = await client.send(new ListAppsCommand({ maxResults: 2, nextToken: first.nextToken }))
    expect(second.apps?.map(app => app.appId)).toEqual(['d3', 'd0'])
  })

  it('rejects a nextToken it did not issue, or one issued by ListBranches or ListJobs', async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    server.addBranch('d1', 'dev')
    server.addJobs('d1', 'main', 2)
    server.addApp('d2')
    const client = clientFor(server)
    const { nextToken: branchesToken } = await client.send(
      new ListBranchesCommand({ appId: 'd1', maxResults: 1 })
    )
    const { nextToken: jobsToken } = await client.send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main', maxResults: 1 })
    )
    expect(branchesToken).toBeDefined()
    expect(jobsToken).toBeDefined()
    for (const nextToken of ['not-a-token', branchesToken, jobsToken]) {
      const error = await failure(client.send(new ListAppsCommand({ nextToken })))
      expect(error).toBeInstanceOf(BadRequestException)
      expect(error.message).toBe('Invalid nextToken provided.')
      expect(error.$metadata.httpStatusCode).toBe(400)
    }
  })

  it("is denied with IAM's message naming apps/*, and faults can target it", async () => {
    const server = await start()
    server.addJob('d1', 'main')
    const allow = server.deny('ListApps')
    const client = clientFor(server)
    const error = await failure(client.send(new ListAppsCommand({})))
    expect(error.name).toBe('AccessDeniedException')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/local-test/session is not authorized to perform: ' +
        'amplify:ListApps on resource: arn:aws:amplify:us-east-1:123456789012:apps/*'
    )
    await client.send(new ListBranchesCommand({ appId: 'd1' })) // other operations still allowed
    allow()

    server.clearRequests()
    server.addFault({ operation: 'ListApps', kind: 'throttle' })
    const { apps, $metadata } = await client.send(new ListAppsCommand({}))
    expect(apps?.map(app => app.appId)).toEqual(['d1'])
    expect($metadata.attempts).toBe(2)
    expect(server.requests.map(r => r.status)).toEqual([429, 200])
  })

  it('rejects a request signed with the wrong secret', async () => {
    const server = await start()
    server.addApp('d1')
    const client = clientFor(server, {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' }
    })
    const error = await failure(client.send(new ListAppsCommand({ maxResults: 5 })))
    expect(error.name).toBe('InvalidSignatureException')
    expect(server.requests[0]).toMatchObject({ operation: 'ListApps', status: 403, signature: 'invalid' })
  })
})

describe('ListBranches', () => {
  it('pages branches in creation order with the SDK paginator, logging the appId', async () => {
    const server = await start()
    const names = ['main', 'feature/login', 'dev', 'pr-12', 'ünïcødé/枝']
    for (const branchName of names) server.addBranch('d1', branchName)
    server.addBranch('d2', 'other')
    const client = clientFor(server)

    const pages: string[][] = []
    for await (const page of paginateListBranches({ client, pageSize: 2 }, { appId: 'd1' })) {
      pages.push((page.branches ?? []).map(branch => branch.branchName ?? ''))
    }

    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)])
    expect(server.requestsFor('ListBranches')).toHaveLength(3)
    for (const request of server.requests) {
      expect(request).toMatchObject({
        operation: 'ListBranches',
        method: 'GET',
        path: '/apps/d1/branches',
        appId: 'd1',
        branchName: undefined,
        status: 200,
        signature: 'valid'
      })
    }
  })

  it('lists each branch exactly as GetBranch returns it, stage included', async () => {
    const server = await start()
    server.addJob('d1', 'main', { status: 'RUNNING' })
    server.addJob('d1', 'main', { status: 'SUCCEED' })
    server.addBranch('d1', 'pr-7', { stage: 'PULL_REQUEST' })
    server.addBranch('d1', 'main', { stage: 'PRODUCTION' }) // updates the existing branch
    server.addBranch('d1', 'dev')
    const client = clientFor(server)

    const { branches, nextToken } = await client.send(new ListBranchesCommand({ appId: 'd1' }))
    expect(nextToken).toBeUndefined()
    expect(branches?.map(branch => [branch.branchName, branch.stage])).toEqual([
      ['main', 'PRODUCTION'],
      ['pr-7', 'PULL_REQUEST'],
      ['dev', 'NONE']
    ])
    const listed = new Map((branches ?? []).map(branch => [branch.branchName, branch]))
    for (const branchName of ['main', 'pr-7', 'dev']) {
      const { branch } = await client.send(new GetBranchCommand({ appId: 'd1', branchName }))
      expect(listed.get(branchName)).toEqual(branch)
    }
    expect(listed.get('main')).toMatchObject({
      branchArn: 'arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main',
      activeJobId: '1',
      totalNumberOfJobs: '2',
      createTime: new Date('2025-01-01T00:00:00Z')
    })
  })

  it('uses defaultPageSize when maxResults is 0 or absent, and rejects maxResults above 50', async () => {
    const server = await start({ defaultPageSize: 3 })
    for (let i = 0; i < 4; i++) server.addBranch('d1', `b${i}`)
    const client = clientFor(server)
    for (const maxResults of [0, undefined]) {
      const page = await client.send(new ListBranchesCommand({ appId: 'd1', maxResults }))
      expect(page.branches).toHaveLength(3)
      expect(page.nextToken).toBeDefined()
    }
    const error = await failure(client.send(new ListBranchesCommand({ appId: 'd1', maxResults: 51 })))
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error.message).toContain('less than or equal to 50')
  })

  it('raises NotFoundException for an unknown app and BadRequestException for a malformed id', async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    const client = clientFor(server)
    const missing = await failure(client.send(new ListBranchesCommand({ appId: 'dmissing' })))
    expect(missing).toBeInstanceOf(NotFoundException)
    expect(missing.message).toBe('App not found: dmissing')
    expect(server.requests[0]).toMatchObject({ operation: 'ListBranches', appId: 'dmissing', status: 404 })
    const malformed = await failure(client.send(new ListBranchesCommand({ appId: 'MyApp' })))
    expect(malformed).toBeInstanceOf(BadRequestException)
  })

  it('answers an app with no branches with an empty list', async () => {
    const server = await start()
    server.addApp('d1')
    const result = await clientFor(server).send(new ListBranchesCommand({ appId: 'd1' }))
    expect(result.branches).toEqual([])
    expect(result.nextToken).toBeUndefined()
  })

  it('keeps its place when branches are added or deleted between pages', async () => {
    const server = await start()
    for (const branchName of ['a', 'b', 'c', 'd']) server.addBranch('d1', branchName)
    const client = clientFor(server)
    const first = await client.send(new ListBranchesCommand({ appId: 'd1', maxResults: 2 }))
    server.deleteBranch('d1', 'b') // the token's own branch
    server.deleteBranch('d1', 'c')
    server.addBranch('d1', 'e')
    const second = await client.send(
      new ListBranchesCommand({ appId: 'd1', maxResults: 2, nextToken: first.nextToken })
    )
    expect(second.branches?.map(branch => branch.branchName)).toEqual(['d', 'e'])
    expect(second.nextToken).toBeUndefined()
  })

  it("rejects a nextToken from another app's list or from ListApps", async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    server.addBranch('d1', 'dev')
    server.addBranch('d2', 'main')
    server.addBranch('d2', 'dev')
    const client = clientFor(server)
    const { nextToken: d1Token } = await client.send(new ListBranchesCommand({ appId: 'd1', maxResults: 1 }))
    const { nextToken: appsToken } = await client.send(new ListAppsCommand({ maxResults: 1 }))
    for (const nextToken of [d1Token, appsToken, 'not-a-token']) {
      const error = await failure(client.send(new ListBranchesCommand({ appId: 'd2', nextToken })))
      expect(error).toBeInstanceOf(BadRequestException)
      expect(error.message).toBe('Invalid nextToken provided.')
    }
  })

  it("is denied per app with IAM's message naming the app ARN", async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    server.addBranch('d2', 'main')
    const allow = server.deny('ListBranches', { appId: 'd1' })
    const client = clientFor(server)
    const error = await failure(client.send(new ListBranchesCommand({ appId: 'd1' })))
    expect(error.name).toBe('AccessDeniedException')
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/local-test/session is not authorized to perform: ' +
        'amplify:ListBranches on resource: arn:aws:amplify:us-east-1:123456789012:apps/d1'
    )
    await client.send(new ListBranchesCommand({ appId: 'd2' }))
    await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    allow()
    await client.send(new ListBranchesCommand({ appId: 'd1' }))
  })

  it('takes faults for its operation only, and shows the appId to hooks', async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    server.addFault({ operation: 'ListBranches', kind: 'internal', times: 2 })
    const seen: string[] = []
    server.onRequest(({ operation, appId }) => void seen.push(`${operation} ${appId}`))
    const client = clientFor(server)
    await client.send(new ListAppsCommand({}))
    const { branches } = await client.send(new ListBranchesCommand({ appId: 'd1' }))
    expect(branches).toHaveLength(1)
    expect(server.requests.map(r => r.status)).toEqual([200, 500, 500, 200])
    expect(seen).toEqual(['ListApps undefined', 'ListBranches d1', 'ListBranches d1', 'ListBranches d1'])
  })

  it('rejects a request whose maxResults changed after signing', async () => {
    const server = await start()
    server.addBranch('d1', 'main')
    const client = clientFor(server, { maxAttempts: 1 })
    type Next = (args: { request: HttpRequest }) => Promise<unknown>
    const tamperAfterSigning = (next: Next) => async (args: { request: HttpRequest }) => {
      args.request.query = { ...args.request.query, maxResults: '3' }
      return next(args)
    }
    client.middlewareStack.addRelativeTo(
      tamperAfterSigning as unknown as Parameters<typeof client.middlewareStack.addRelativeTo>[0],
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' }
    )
    const error = await failure(client.send(new ListBranchesCommand({ appId: 'd1', maxResults: 1 })))
    expect(error.name).toBe('InvalidSignatureException')
    expect(server.requests[0]).toMatchObject({ operation: 'ListBranches', signature: 'invalid' })
  })
})

describe('routing', () => {
  it.each([
    ['POST', '/apps'],
    ['DELETE', '/apps/d1/branches'],
    ['GET', '/apps/'],
    ['GET', '/apps//branches'],
    ['GET', '/applications']
  ])('answers %s %s with 404 UnknownOperationException', async (method, path) => {
    const server = await start({ verifySignatures: false })
    server.addBranch('d1', 'main')
    const response = await fetch(`${server.url}${path}`, { method })
    expect(response.status).toBe(404)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
    expect(server.requests[0]).toMatchObject({ operation: null, method, path })
  })
})

describe('app and branch metadata', () => {
  it('defaults, sets and updates app metadata; addBranch and addJob create apps with defaults', async () => {
    const server = await start()
    server.addApp('d1', {
      name: 'Marketing site',
      repository: 'https://github.com/octo-org/marketing',
      platform: 'WEB_COMPUTE'
    })
    server.addJob('d2', 'main')
    server.addBranch('d3', 'main')
    server.addApp('d2', { name: 'Renamed' }) // only the keys given change
    server.addApp('d1') // no meta: nothing changes
    server.addApp('d4', { repository: undefined }) // an app with no repository, e.g. manual deploys
    const { apps } = await clientFor(server).send(new ListAppsCommand({}))

    expect(apps?.map(app => [app.appId, app.name, app.repository, app.platform])).toEqual([
      ['d1', 'Marketing site', 'https://github.com/octo-org/marketing', 'WEB_COMPUTE'],
      ['d2', 'Renamed', 'https://github.com/octo-org/octo-site', 'WEB'],
      ['d3', 'd3', 'https://github.com/octo-org/octo-site', 'WEB'],
      ['d4', 'd4', undefined, 'WEB']
    ])
    expect(apps?.[3]).not.toHaveProperty('repository')
    expect(DEFAULT_REPOSITORY).toBe('https://github.com/octo-org/octo-site')
  })
})

describe('job start times', () => {
  it('sets startTime startedSecondsAgo before now, with commitTime 30 s before it', async () => {
    const server = await start()
    const before = Date.now()
    server.addJob('d1', 'main', { startedSecondsAgo: 3 * 3600 })
    server.addJobs('d1', 'main', 2, i => ({ startedSecondsAgo: 60 * (i + 1), status: 'SUCCEED' }))
    const after = Date.now()
    const { jobSummaries } = await clientFor(server).send(
      new ListJobsCommand({ appId: 'd1', branchName: 'main' })
    )
    const byId = new Map((jobSummaries ?? []).map(job => [job.jobId, job]))
    for (const [jobId, secondsAgo] of [
      ['1', 3 * 3600],
      ['2', 60],
      ['3', 120]
    ] as const) {
      const job = byId.get(jobId)
      const start = job?.startTime?.getTime() ?? NaN
      expect(start).toBeGreaterThanOrEqual(before - secondsAgo * 1000)
      expect(start).toBeLessThanOrEqual(after - secondsAgo * 1000)
      expect(job?.commitTime?.getTime()).toBe(start - 30_000)
    }
    expect(byId.get('1')?.endTime).toBeUndefined()
    expect(byId.get('2')?.endTime?.getTime()).toBe((byId.get('2')?.startTime?.getTime() ?? 0) + 300_000)
  })

  it('rejects startedSecondsAgo given with startTime, or not a finite number', async () => {
    const server = await start()
    expect(() => server.addJob('d1', 'main', { startTime: new Date(), startedSecondsAgo: 5 })).toThrow(
      'not both'
    )
    expect(() => server.addJob('d1', 'main', { startTime: undefined, startedSecondsAgo: 5 })).toThrow(
      'not both'
    )
    expect(() => server.addJob('d1', 'main', { startedSecondsAgo: NaN })).toThrow('finite')
  })

  it('leaves startTime out of the summary when seeded as undefined, keeping the default commit time', async () => {
    const server = await start()
    const stored = server.addJob('d1', 'main', { startTime: undefined, status: 'CREATED' })
    server.addJob('d1', 'main', { startTime: undefined, status: 'FAILED' })
    expect(stored.startTime).toBeUndefined()
    const client = clientFor(server)
    const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
    expect(Object.keys(jobSummaries?.[1] ?? {}).sort()).toEqual([
      'commitId',
      'commitMessage',
      'commitTime',
      'jobArn',
      'jobId',
      'jobType',
      'status'
    ])
    expect(jobSummaries?.[1]?.commitTime).toEqual(new Date('2025-01-01T00:00:30Z'))
    expect(jobSummaries?.[0]?.startTime).toBeUndefined()
    expect(jobSummaries?.[0]?.endTime).toEqual(new Date('2025-01-01T00:07:00Z'))
    const { job } = await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    expect(job?.summary).not.toHaveProperty('startTime')
  })
})

describe('latency', () => {
  it('delays every response, successes and errors alike, by latencyMs', async () => {
    const server = await start({ latencyMs: 150 })
    server.addJob('d1', 'main')
    const client = clientFor(server, { maxAttempts: 1 })
    const ok = await timed(client.send(new ListAppsCommand({})))
    const notFound = await timed(failure(client.send(new ListBranchesCommand({ appId: 'dmissing' }))))
    server.deny('GetBranch')
    const denied = await timed(
      failure(client.send(new GetBranchCommand({ appId: 'd1', branchName: 'main' })))
    )
    for (const elapsed of [ok, notFound, denied]) {
      expect(elapsed).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS)
      expect(elapsed).toBeLessThan(1500)
    }
    await until(() => server.inFlight === 0)
    expect(server.requests.map(r => r.status)).toEqual([200, 404, 403])
    for (const request of server.requests) {
      expect((request.endTime ?? 0) - request.time).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS)
    }
  })

  it('changes with setLatency, and rejects a bad value', async () => {
    const server = await start()
    server.addApp('d1')
    const client = clientFor(server)
    server.setLatency(200)
    expect(await timed(client.send(new ListAppsCommand({})))).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS)
    server.setLatency(0)
    expect(await timed(client.send(new ListAppsCommand({})))).toBeLessThan(150)
    expect(() => server.setLatency(-1)).toThrow('latencyMs')
    expect(() => server.setLatency(NaN)).toThrow('latencyMs')
    await expect(startAmplifyServer({ latencyMs: -5 })).rejects.toThrow('latencyMs')
  })

  it('answers with the state at arrival: the operation runs before the wait', async () => {
    const server = await start({ latencyMs: 300 })
    server.addJob('d1', 'main', { status: 'RUNNING' })
    const pending = clientFor(server).send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' }))
    await until(() => server.requests.length === 1)
    await sleep(50)
    expect(server.requests[0].status).toBe('pending') // logged status is set when the answer goes out
    server.setJobStatus('d1', 'main', '1', 'SUCCEED')
    const { job } = await pending
    expect(job?.summary?.status).toBe('RUNNING')
  })

  it('does not delay a reset', async () => {
    const server = await start({ latencyMs: 2000 })
    server.addFault({ kind: 'reset' })
    const client = clientFor(server, { maxAttempts: 1 })
    const elapsed = await timed(failure(client.send(new ListAppsCommand({}))))
    expect(elapsed).toBeLessThan(1000)
    await until(() => server.inFlight === 0)
    expect(server.requests[0]).toMatchObject({ status: 'reset', endTime: expect.any(Number) })
  })

  it('is cut short by close(), which never waits out the latency', async () => {
    const server = await start({ latencyMs: 10_000 })
    const pending = failure(clientFor(server, { maxAttempts: 1 }).send(new ListAppsCommand({})))
    await until(() => server.requests.length === 1)
    expect(await timed(server.close())).toBeLessThan(1000)
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/)
    expect(server.inFlight).toBe(0)
    expect(server.requests[0]).toMatchObject({ status: 'pending', endTime: expect.any(Number) })
  })
})

describe('in-flight accounting', () => {
  it('counts N concurrent requests under latency as N in flight at the peak', async () => {
    const n = 8
    const server = await start({ latencyMs: 250 })
    server.addJob('d1', 'main')
    const client = clientFor(server)
    expect(server.inFlight).toBe(0)
    expect(server.peakInFlight).toBe(0)

    const calls = Array.from({ length: n }, (_, i) =>
      i % 2 === 0
        ? client.send(new ListBranchesCommand({ appId: 'd1' }))
        : client.send(new ListAppsCommand({}))
    )
    await until(() => server.inFlight === n)
    expect(server.requests.every(r => r.endTime === undefined)).toBe(true)
    const elapsed = await timed(Promise.all(calls))
    expect(elapsed).toBeLessThan(n * 250) // answered side by side, not one after another

    await until(() => server.inFlight === 0)
    expect(server.peakInFlight).toBe(n)
    for (const request of server.requests) {
      expect(request.status).toBe(200)
      expect((request.endTime ?? 0) - request.time).toBeGreaterThanOrEqual(250 - TIMER_SLACK_MS)
    }

    server.clearRequests() // restarts the peak from what is in flight now: nothing
    expect(server.peakInFlight).toBe(0)
    await client.send(new ListAppsCommand({}))
    expect(server.peakInFlight).toBe(1)
  })

  it('counts a hang as in flight until the client gives up and its socket closes', async () => {
    const server = await start()
    server.addFault({ kind: 'hang' })
    const client = clientFor(server, {
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true })
    })
    const pending = failure(client.send(new ListAppsCommand({})))
    await until(() => server.requests.length === 1)
    await sleep(100)
    expect(server.inFlight).toBe(1)
    expect(server.requests[0].status).toBe('hang')
    expect(server.requests[0].endTime).toBeUndefined()

    server.clearRequests() // the hang is still in flight, so the peak restarts at 1
    expect(server.peakInFlight).toBe(1)
    await pending
    await until(() => server.inFlight === 0)
    expect(server.peakInFlight).toBe(1)
  })

  it('sets endTime on every kind of answer', async () => {
    const server = await start()
    server.addJob('d1', 'main')
    server.addFault({ kind: 'reset' })
    const client = clientFor(server)
    await client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '1' })) // reset, then 200
    await failure(client.send(new GetJobCommand({ appId: 'd1', branchName: 'main', jobId: '9' }))) // 404
    await until(() => server.inFlight === 0)
    expect(server.requests.map(r => r.status)).toEqual(['reset', 200, 404])
    for (const request of server.requests) {
      expect(request.endTime).toBeGreaterThanOrEqual(request.time)
    }
  })
})

// Needs the openssl CLI to make a throwaway certificate.
const describeWithOpenssl = hasOpenssl ? describe : describe.skip

describeWithOpenssl('TLS', () => {
  it('serves HTTPS when given a key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amplify-server-tls-'))
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem')
        ],
        { stdio: 'ignore' }
      )
      const key = readFileSync(join(dir, 'key.pem'), 'utf8')
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const server = await start({ tls: { key, cert } })
      server.addJob('d1', 'main')
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`)
      const client = clientFor(server, {
        requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: cert }) })
      })
      const { jobSummaries } = await client.send(new ListJobsCommand({ appId: 'd1', branchName: 'main' }))
      expect(jobSummaries).toHaveLength(1)
      expect(server.requests[0].signature).toBe('valid')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
