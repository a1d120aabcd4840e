/**
 * The one door to Amplify: builds the client (region, timeouts, retries, proxy, a bound on requests in
 * flight) and turns the SDK's errors into ActionErrors that say what to do. No other module imports the SDK.
 */
import {
  AmplifyClient,
  GetJobCommand,
  StopJobCommand,
  paginateListApps,
  paginateListBranches,
  paginateListJobs,
  type JobSummary
} from '@aws-sdk/client-amplify'
import type { Agent } from 'node:http'
import { AmplifyRequestError, type ErrorKind, type Missing, type Operation } from './errors.js'
import type { BranchRef, Job } from './jobs.js'
import { failureMessages as say, type RequestSubject } from './messages.js'
import type { App } from './plan.js'
import { redactedServiceMessage } from './text.js'

export interface Amplify {
  /** Every app in the region, reading every page. */
  listApps(): Promise<App[]>
  /** Every branch name of the app, reading every page. */
  listBranches(appId: string): Promise<string[]>
  /** Every job of the branch, reading every page. */
  listJobs(branch: BranchRef): Promise<Job[]>
  /** Asks Amplify to stop the job; resolves with the summary StopJob returned. */
  stopJob(branch: BranchRef, jobId: string): Promise<Job>
  /** `signal` abandons the request, retries included, when it aborts. */
  getJob(branch: BranchRef, jobId: string, signal?: AbortSignal): Promise<Job>
  /** Frees sockets so the process can exit at once. */
  close(): void
}

// Amplify answers in well under a second; these bound a dead or hung endpoint so that a run never hangs.
const CONNECTION_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 10_000
const DEFAULT_MAX_ATTEMPTS = 5
const PAGE_SIZE = 50 // the largest page every list operation takes
/** A sweep of hundreds of branches must not make its own throttling storm: at most this many requests at once. */
export const MAX_IN_FLIGHT = 8

export interface ClientOptions {
  /** An agent that sends requests through a proxy. */
  agent?: Agent
  /** AWS_MAX_ATTEMPTS, when set, is left to the SDK to read. */
  env: NodeJS.ProcessEnv
}

export function createAmplify(region: string, options: ClientOptions): Amplify {
  const client = new AmplifyClient({
    region,
    maxAttempts: options.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      ...(options.agent ? { httpAgent: options.agent, httpsAgent: options.agent } : {})
    }
  })
  // Every command, paginated ones included, waits for a slot before the SDK sends it; its retries keep the slot.
  // Not the agent's maxSockets: the handler starts requestTimeout when a request is created, so a request
  // queued behind busy sockets in a large sweep would time out before it was ever sent.
  const slots = new Slots(MAX_IN_FLIGHT)
  client.middlewareStack.add(next => async args => slots.run(() => next(args)), {
    step: 'initialize',
    name: 'amplifyStopJobInFlightBound'
  })
  const paging = { client, pageSize: PAGE_SIZE }

  /** Runs one request; a failure becomes an AmplifyRequestError that says what to do. */
  async function request<T>(
    operation: Operation,
    subject: RequestSubject,
    send: () => Promise<T>
  ): Promise<T> {
    try {
      return await send()
    } catch (error) {
      throw describeFailure(error, operation, subject)
    }
  }

  return {
    listApps: () =>
      request('ListApps', { region }, async () => {
        const apps: App[] = []
        for await (const page of paginateListApps(paging, {})) {
          for (const app of page.apps ?? [])
            apps.push({ appId: app.appId ?? '', name: app.name ?? '', repository: app.repository ?? '' })
        }
        return apps
      }),
    listBranches: appId =>
      request('ListBranches', { region, appId }, async () => {
        const names: string[] = []
        for await (const page of paginateListBranches(paging, { appId })) {
          for (const branch of page.branches ?? []) if (branch.branchName) names.push(branch.branchName)
        }
        return names
      }),
    listJobs: ({ appId, branchName }) =>
      request('ListJobs', { region, appId, branchName }, async () => {
        const jobs: Job[] = []
        const branch = { appId, branchName }
        for await (const page of paginateListJobs(paging, branch)) {
          for (const summary of page.jobSummaries ?? []) jobs.push(toJob(summary, branch))
        }
        return jobs
      }),
    stopJob: ({ appId, branchName }, jobId) =>
      request('StopJob', { region, appId, branchName, jobId }, async () => {
        const { jobSummary } = await client.send(new StopJobCommand({ appId, branchName, jobId }))
        return toJob(jobSummary, { appId, branchName }, jobId)
      }),
    getJob: ({ appId, branchName }, jobId, signal) =>
      request('GetJob', { region, appId, branchName, jobId }, async () => {
        const input = { appId, branchName, jobId }
        const { job } = await client.send(new GetJobCommand(input), { abortSignal: signal })
        return toJob(job?.summary, { appId, branchName }, jobId)
      }),
    close() {
      client.destroy()
    }
  }
}

/** A counting semaphore: at most `size` tasks run at once; the others wait their turn in order. */
class Slots {
  private free: number
  private readonly waiting: (() => void)[] = []
  constructor(size: number) {
    this.free = size
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}

function toJob(summary: JobSummary | undefined, branch: BranchRef, jobId = ''): Job {
  return {
    appId: branch.appId,
    branchName: branch.branchName,
    jobId: summary?.jobId ?? jobId,
    jobArn: summary?.jobArn ?? '',
    status: summary?.status ?? 'UNKNOWN',
    commitId: summary?.commitId,
    commitMessage: summary?.commitMessage,
    startTime: summary?.startTime?.getTime()
  }
}

/** StopJob's refusal for a job that has already ended (BadRequest, or possibly NotFound): GetJob tells which. */
export function isRefusedStop(error: unknown): boolean {
  return (
    error instanceof AmplifyRequestError &&
    (error.errorName === 'BadRequestException' || error.missing === 'job')
  )
}

interface SdkErrorShape {
  name?: string
  message?: string
  code?: string
  $fault?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/** Translates an SDK failure into an error whose message says what failed and what to do. */
export function describeFailure(
  error: unknown,
  operation: Operation,
  subject: RequestSubject
): AmplifyRequestError {
  const e = (error ?? {}) as SdkErrorShape
  const name = e.name ?? 'Error'
  const said = redactedServiceMessage(e.message ?? String(error))
  const attempts = say.afterAttempts(e.$metadata?.attempts)
  const make = (kind: ErrorKind, message: string, missing?: Missing) =>
    new AmplifyRequestError(kind, message, operation, e.$metadata ? name : undefined, missing)

  switch (name) {
    case 'AccessDeniedException':
    case 'UnauthorizedException': {
      const resource = resourceArnFrom(said) ?? resourceArn(operation, subject)
      return make('permission', say.denied(operation, subject, name, said, resource))
    }
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return make('credentials', say.expired(operation, subject, name, said))
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return make('credentials', say.refusedCredentials(operation, subject, name, said))
    case 'CredentialsProviderError':
      return make('credentials', say.noCredentials(said))
    case 'NotFoundException':
    case 'ResourceNotFoundException': {
      const missing = whichIsMissing(said, operation, subject)
      const what = {
        app: say.appNotFound,
        branch: say.branchNotFound,
        job: say.jobNotFound,
        'app-or-branch': say.appOrBranchNotFound
      }[missing](subject)
      return make('not-found', say.notFound(what, operation, said), missing)
    }
    case 'LimitExceededException':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return make('throttled', say.throttled(operation, subject, name, attempts))
    case 'BadRequestException':
      return make('service', say.badRequest(operation, subject, said))
    case 'TimeoutError':
    case 'AbortError': // a wait's poll given only the time left before wait-timeout
      return make('network', say.timedOut(operation, subject, attempts))
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return make('service', say.serverFault(operation, subject, name, said, attempts))
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return make('network', say.unreachable(operation, e.code, said, attempts))
  }
  return make('service', say.other(operation, subject, name, said))
}

/**
 * Amplify's NotFound messages name the missing resource ("Branch not found: main"). The names and ids the
 * request carried are taken out first, so a branch called feature/job-board is not read as a missing job.
 * When the message names none: ListJobs could mean the app or the branch; a job request, the job; a
 * ListBranches, the app.
 */
function whichIsMissing(message: string, operation: Operation, subject: RequestSubject): Missing {
  if (operation === 'ListBranches' || operation === 'ListApps') return 'app'
  let text = message
  for (const name of [subject.branchName, subject.appId, subject.jobId])
    if (name) text = text.split(name).join(' ')
  text = text.toLowerCase()
  const aboutJob = operation !== 'ListJobs' && subject.jobId !== undefined
  if (aboutJob && /\bjob\b/.test(text)) return 'job'
  if (/\bbranch\b/.test(text)) return 'branch'
  if (/\bapp\b/.test(text)) return 'app'
  return aboutJob ? 'job' : 'app-or-branch'
}

/** IAM's denial message names the exact resource: "... on resource: arn:aws:amplify:...". */
function resourceArnFrom(message: string): string | undefined {
  return /\bon resource: (arn:[^\s]+)/.exec(message)?.[1]
}

/**
 * The resource an operation is authorized against (Service Authorization Reference), with the account left
 * open. ListApps names no resource: it needs `*`.
 */
export function resourceArn(operation: Operation, subject: RequestSubject): string {
  if (operation === 'ListApps') return '*'
  const app = `arn:${partitionOf(subject.region)}:amplify:${subject.region}:<account-id>:apps/${subject.appId}`
  if (operation === 'ListBranches') return app
  const branch = `${app}/branches/${subject.branchName}`
  return operation === 'ListJobs' ? branch : `${branch}/jobs/*`
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}
