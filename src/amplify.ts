/**
 * The one door to Amplify: builds the client (region, timeouts, retries that pace the run to what the account
 * allows, proxy, a bound on requests in flight with stops ahead of reads) and turns the SDK's errors into
 * AmplifyRequestErrors that say what to do. No other module imports the SDK.
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
import { DefaultRateLimiter, isThrottlingError, StandardRetryStrategy } from '@smithy/core/retry'
import type { Provider, RetryErrorInfo, RetryStrategyV2, SdkError, StandardRetryToken } from '@smithy/types'
import type { Agent } from 'node:http'
import { AmplifyRequestError, type ErrorKind, type Missing, type Operation } from './errors.js'
import type { BranchRef, Job } from './jobs.js'
import * as messages from './messages.js'
import { inertLine, redactedServiceMessage, shortened } from './text.js'
import type { App, JobListing } from './types.js'

export interface Amplify {
  /** Every app in the region, reading every page. */
  listApps(): Promise<App[]>
  /** Every branch name of the app, reading every page. */
  listBranches(appId: string): Promise<string[]>
  /**
   * The branch's jobs, reading every page, or only until `seen` says every job wanted has been listed.
   * `signal` abandons the reading, retries included, when it aborts.
   */
  listJobs(
    branch: BranchRef,
    options?: { seen?: (jobs: readonly Job[]) => boolean; signal?: AbortSignal }
  ): Promise<JobListing>
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
/** Requests that act, or confirm an act, go ahead of reads waiting for a slot: a branch's stop never queues behind other branches' lists. */
const AHEAD_OF_READS = new Set(['StopJobCommand', 'GetJobCommand'])

export interface ClientOptions {
  /** An agent that sends requests through a proxy. */
  agent?: Agent
  /** AWS_MAX_ATTEMPTS, when set, is left to the SDK to read. */
  env: NodeJS.ProcessEnv
}

export function createAmplify(region: string, options: ClientOptions): Amplify {
  // The SDK resolves max attempts (AWS_MAX_ATTEMPTS, else ours); each request's budget asks it when it starts.
  const maxAttempts: Provider<number> = () => client.config.maxAttempts()
  const client: AmplifyClient = new AmplifyClient({
    region,
    maxAttempts: options.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS,
    retryStrategy: new PacedRetryStrategy(maxAttempts),
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
  client.middlewareStack.add(
    (next, context) => async args =>
      slots.run(AHEAD_OF_READS.has(context.commandName ?? ''), () => next(args)),
    { step: 'initialize', name: 'amplifyStopJobInFlightBound' }
  )
  // Inside the retries, outside the deserializer: "Rate exceeded" is throttling, whatever type Amplify gives
  // it (amplify-hosting#3748 shows a BadRequestException), so it is retried and paces the run like a 429.
  client.middlewareStack.add(
    next => async args => {
      try {
        return await next(args)
      } catch (error) {
        if (isRateExceeded(error)) Object.assign(error as object, { $retryable: { throttling: true } })
        throw error
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'amplifyStopJobRateExceededIsThrottling' }
  )
  const paging = { client, pageSize: PAGE_SIZE }

  /** Runs one request; a failure becomes an AmplifyRequestError that says what to do. */
  async function request<T>(
    operation: Operation,
    subject: messages.RequestSubject,
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
    listJobs: ({ appId, branchName }, { seen, signal } = {}) =>
      request('ListJobs', { region, appId, branchName }, async () => {
        const jobs: Job[] = []
        let pages = 0
        const branch = { appId, branchName }
        for await (const page of paginateListJobs(paging, { ...branch }, { abortSignal: signal })) {
          pages++
          for (const summary of page.jobSummaries ?? []) jobs.push(toJob(summary, branch))
          if (seen?.(jobs)) break
        }
        return { jobs, pages }
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

/**
 * The SDK's adaptive retry mode, with each request's own retry budget. Adaptive mode paces every request of
 * the client with one rate limiter that slows down after throttling and speeds up again (right: the
 * account's bucket is shared too). Its standard part, though, draws every retry from one budget per client,
 * which a burst of throttling in a large sweep spends, after which requests fail on their first throttled
 * answer. Here each request gets a StandardRetryStrategy of its own: its own AWS_MAX_ATTEMPTS, same backoff.
 */
class PacedRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive'
  private readonly pace = new DefaultRateLimiter()
  private readonly budgets = new WeakMap<StandardRetryToken, StandardRetryStrategy>()

  constructor(private readonly maxAttempts: Provider<number>) {}

  async acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    const budget = new StandardRetryStrategy(this.maxAttempts)
    const token = await budget.acquireInitialRetryToken(scope)
    this.budgets.set(token, budget)
    await this.pace.getSendToken()
    return token
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    error: RetryErrorInfo
  ): Promise<StandardRetryToken> {
    this.pace.updateClientSendingRate(error)
    const budget = this.budgets.get(token) ?? new StandardRetryStrategy(this.maxAttempts)
    const next = await budget.refreshRetryTokenForRetry(token, error)
    this.budgets.set(next, budget)
    await this.pace.getSendToken()
    return next
  }

  recordSuccess(token: StandardRetryToken): void {
    this.pace.updateClientSendingRate({})
    this.budgets.get(token)?.recordSuccess(token)
  }
}

/** A counting semaphore: at most `size` tasks run at once; waiting tasks start in order, urgent ones first. */
class Slots {
  private free: number
  private readonly urgent: (() => void)[] = []
  private readonly waiting: (() => void)[] = []
  constructor(size: number) {
    this.free = size
  }
  async run<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>(resolve => (urgent ? this.urgent : this.waiting).push(resolve))
    try {
      return await task()
    } finally {
      const next = this.urgent.shift() ?? this.waiting.shift()
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
    jobType: summary?.jobType,
    commitId: summary?.commitId,
    commitMessage: summary?.commitMessage,
    startTime: summary?.startTime?.getTime()
  }
}

/** StopJob's refusal for a job that has already ended (BadRequest, or possibly NotFound): GetJob tells which. */
export function isRefusedStop(error: unknown): boolean {
  return (
    error instanceof AmplifyRequestError &&
    error.kind !== 'throttled' &&
    (error.errorName === 'BadRequestException' || error.missing === 'job')
  )
}

/** A StopJob whose every attempt timed out may still have reached Amplify: GetJob tells whether it acted. */
export function mayHaveStopped(error: unknown): boolean {
  return error instanceof AmplifyRequestError && error.operation === 'StopJob' && error.timedOut
}

interface SdkErrorShape {
  name?: string
  message?: string
  code?: string
  $fault?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
}

/** What a sentence quotes of a service's message; IAM's resource is taken from the whole message first. */
const MAX_SAID = 160
/** An ARN longer than any real one (a 255-character branch name included) is not taken from a message. */
const MAX_ARN = 400

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

function isRateExceeded(error: unknown): boolean {
  return /rate exceeded/i.test((error as SdkErrorShape | undefined)?.message ?? '')
}

/** Translates an SDK failure into an error whose message says what failed and what to do. */
export function describeFailure(
  error: unknown,
  operation: Operation,
  subject: messages.RequestSubject
): AmplifyRequestError {
  const e = (error ?? {}) as SdkErrorShape
  // The service chooses the error's name and message: both inert and short before any sentence holds them.
  const name = shortened(inertLine(e.name ?? 'Error'), 60)
  const whole = redactedServiceMessage(e.message ?? String(error), Infinity)
  const said = shortened(whole, MAX_SAID)
  const attempts = e.$metadata?.attempts
  const make = (
    kind: ErrorKind,
    text: messages.RequestFailureText,
    extra: { missing?: Missing; timedOut?: boolean } = {}
  ) =>
    new AmplifyRequestError(kind, text.message, {
      operation,
      errorName: e.$metadata ? name : (e.code ?? ''),
      reason: text.reason,
      advice: text.advice,
      ...extra
    })

  // The SDK's own test of throttling (429, its list of names, $retryable), and "Rate exceeded" of any type.
  if (isRateExceeded(error) || isThrottlingError(e as SdkError))
    return make('throttled', messages.requestFailures.throttled(operation, subject, name, attempts))
  switch (name) {
    case 'AccessDeniedException':
    case 'UnauthorizedException': {
      const resource = resourceArnFrom(whole) ?? resourceArn(operation, subject)
      const scope = resourceArn(operation, { ...subject, branchName: '*' })
      return make(
        'permission',
        messages.requestFailures.denied(operation, subject, name, said, resource, scope)
      )
    }
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return make('credentials', messages.requestFailures.expired(operation, subject, name, said))
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return make('credentials', messages.requestFailures.refusedCredentials(operation, subject, name, said))
    case 'CredentialsProviderError':
      return make('credentials', messages.requestFailures.noCredentials(said))
    case 'NotFoundException':
    case 'ResourceNotFoundException': {
      const missing = whichIsMissing(e.message ?? '', operation, subject)
      const text = {
        app: messages.requestFailures.appNotFound,
        branch: messages.requestFailures.branchNotFound,
        job: messages.requestFailures.jobNotFound,
        'app-or-branch': messages.requestFailures.appOrBranchNotFound
      }[missing](operation, subject, said)
      return make('not-found', text, { missing })
    }
    case 'BadRequestException':
      return make('service', messages.requestFailures.badRequest(operation, subject, said))
    case 'TimeoutError':
    case 'AbortError': // a wait's poll given only the time left before wait-timeout
      return make('network', messages.requestFailures.timedOut(operation, subject, attempts), {
        timedOut: name === 'TimeoutError'
      })
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return make('service', messages.requestFailures.serverFault(operation, subject, name, said, attempts))
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return make('network', messages.requestFailures.unreachable(operation, e.code, said, attempts))
  }
  return make('service', messages.requestFailures.other(operation, subject, name, said))
}

/**
 * Which resource a NotFoundException is about, from what Amplify said of it: its message starts with the
 * resource ("App not found: d1", "Branch not found: main"), or names the app with its id. Only the words
 * Amplify put around the names count, never what is left of the message after cutting a name out, so a
 * branch called `App` or `feature/job-board` changes nothing. When the message says nothing: ListJobs could
 * mean the app or the branch; a job request, the job; a ListBranches, the app.
 */
export function whichIsMissing(
  message: string,
  operation: Operation,
  subject: messages.RequestSubject
): Missing {
  if (operation === 'ListBranches' || operation === 'ListApps') return 'app'
  const aboutJob = operation !== 'ListJobs' && subject.jobId !== undefined
  const leading = /^\s*(app|branch|job)\b/i.exec(message)?.[1]?.toLowerCase()
  if (leading === 'app') return 'app'
  if (leading === 'branch') return 'branch'
  if (leading === 'job' && aboutJob) return 'job'
  if (
    subject.appId &&
    new RegExp(`\\bapp(?:lication)?\\s*(?:id\\s*)?[:'"]*\\s*${subject.appId}\\b`, 'i').test(message)
  )
    return 'app'
  // Anywhere else in the message, a resource word counts only outside every quoted name the request carried.
  const words = withoutNames(message, [subject.branchName, subject.jobId])
  if (aboutJob && /\bjob\b/i.test(words)) return 'job'
  if (/\bbranch\b/i.test(words)) return 'branch'
  if (/\bapp\b/i.test(words)) return 'app'
  return aboutJob ? 'job' : 'app-or-branch'
}

/** The message with each occurrence of the given names replaced by a placeholder that holds no word. */
function withoutNames(message: string, names: (string | undefined)[]): string {
  let text = message
  for (const name of names) if (name) text = text.split(name).join('\u0000')
  return text
}

/** IAM's denial message names the exact resource: "... on resource: arn:aws:amplify:...". */
function resourceArnFrom(message: string): string | undefined {
  const arn = /\bon resource: (arn:[^\s]+)/.exec(message)?.[1]
  return arn !== undefined && arn.length <= MAX_ARN ? arn : undefined
}

/**
 * The resource an operation is authorized against (Service Authorization Reference), with the account left
 * open. ListApps names no resource: it needs `*`.
 */
export function resourceArn(operation: Operation, subject: messages.RequestSubject): string {
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
