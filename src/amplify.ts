/**
 * The one door to Amplify: builds the client (region, timeouts, retries, proxy) and turns the SDK's
 * errors into ActionErrors that say what to do. No other module imports the SDK.
 */
import {
  AmplifyClient,
  GetJobCommand,
  StopJobCommand,
  paginateListJobs,
  type JobSummary
} from '@aws-sdk/client-amplify'
import type { Agent } from 'node:http'
import { ActionError } from './errors.js'
import type { Job } from './jobs.js'

/** Where a request was aimed, for error messages and IAM resource ARNs. */
export interface Target {
  region: string
  appId: string
  branchName: string
}

export type Operation = 'ListJobs' | 'StopJob' | 'GetJob'

export interface Amplify {
  /** Every job of the branch, reading every page. */
  listJobs(): Promise<Job[]>
  /** Asks Amplify to stop the job; resolves with the summary StopJob returned. */
  stopJob(jobId: string): Promise<Job>
  /** `signal` abandons the request, retries included, when it aborts. */
  getJob(jobId: string, signal?: AbortSignal): Promise<Job>
  /** Frees sockets so the process can exit at once. */
  close(): void
}

// Amplify answers in well under a second; these bound a dead or hung endpoint so that a run never hangs.
const CONNECTION_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 10_000
const DEFAULT_MAX_ATTEMPTS = 5
const PAGE_SIZE = 50 // ListJobs' largest page

export interface ClientOptions {
  /** An agent that sends requests through a proxy. */
  agent?: Agent
  /** AWS_MAX_ATTEMPTS, when set, is left to the SDK to read. */
  env: NodeJS.ProcessEnv
}

export function createAmplify(target: Target, options: ClientOptions): Amplify {
  const client = new AmplifyClient({
    region: target.region,
    maxAttempts: options.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      ...(options.agent ? { httpAgent: options.agent, httpsAgent: options.agent } : {})
    }
  })
  const where = { appId: target.appId, branchName: target.branchName }

  return {
    async listJobs() {
      const jobs: Job[] = []
      try {
        for await (const page of paginateListJobs({ client, pageSize: PAGE_SIZE }, where)) {
          for (const summary of page.jobSummaries ?? []) jobs.push(toJob(summary))
        }
      } catch (error) {
        throw describeFailure(error, 'ListJobs', target)
      }
      return jobs
    },
    async stopJob(jobId) {
      try {
        const { jobSummary } = await client.send(new StopJobCommand({ ...where, jobId }))
        return toJob(jobSummary, jobId)
      } catch (error) {
        throw describeFailure(error, 'StopJob', target, jobId)
      }
    },
    async getJob(jobId, signal) {
      try {
        const { job } = await client.send(new GetJobCommand({ ...where, jobId }), { abortSignal: signal })
        return toJob(job?.summary, jobId)
      } catch (error) {
        throw describeFailure(error, 'GetJob', target, jobId)
      }
    },
    close() {
      client.destroy()
    }
  }
}

function toJob(summary: JobSummary | undefined, jobId = ''): Job {
  return {
    jobId: summary?.jobId ?? jobId,
    jobArn: summary?.jobArn ?? '',
    status: summary?.status ?? 'UNKNOWN',
    commitId: summary?.commitId,
    commitMessage: summary?.commitMessage
  }
}

/** A failed request, kept with what the service said, so callers can decide (e.g. "already ended"). */
export class AmplifyRequestError extends ActionError {
  constructor(
    kind: ActionError['kind'],
    message: string,
    readonly operation: Operation,
    /** The service's exception name, e.g. BadRequestException; undefined for network failures. */
    readonly errorName: string | undefined,
    /** Which resource a NotFoundException named, when the service said. */
    readonly missing?: 'app' | 'branch' | 'job' | 'app-or-branch'
  ) {
    super(kind, message)
    this.name = 'AmplifyRequestError'
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

/** Translates an SDK failure into a message that says what failed and what to do. */
export function describeFailure(
  error: unknown,
  operation: Operation,
  target: Target,
  jobId?: string
): AmplifyRequestError {
  const e = (error ?? {}) as SdkErrorShape
  const name = e.name ?? 'Error'
  const said = oneLine(e.message ?? String(error))
  const attempts = e.$metadata?.attempts
  const afterAttempts = attempts && attempts > 1 ? ` after ${attempts} attempts` : ''
  const subject = jobId
    ? `job ${jobId} on branch ${JSON.stringify(target.branchName)}`
    : `branch ${JSON.stringify(target.branchName)}`
  const make = (kind: ActionError['kind'], message: string, missing?: AmplifyRequestError['missing']) =>
    new AmplifyRequestError(kind, message, operation, e.$metadata ? name : undefined, missing)

  switch (name) {
    case 'AccessDeniedException':
    case 'UnauthorizedException': {
      const arn = resourceArnFrom(said) ?? resourceArn(operation, target)
      return make(
        'permission',
        `Amplify ${operation} for ${subject} was denied (${name}: ${said}). Allow amplify:${operation} on ${arn} in the policy of the role this step uses.`
      )
    }
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return make(
        'credentials',
        `The AWS credentials expired before Amplify ${operation} for ${subject} (${name}: ${said}). For a long wait, give configure-aws-credentials a role-duration-seconds longer than wait-timeout.`
      )
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return make(
        'credentials',
        `Amplify ${operation} refused the AWS credentials (${name}: ${said}). Check that aws-actions/configure-aws-credentials ran before this step, for the account and region ${target.region} of the app.`
      )
    case 'CredentialsProviderError':
      return make(
        'credentials',
        `No AWS credentials were found (${said}). Add aws-actions/configure-aws-credentials (with OIDC: permissions id-token: write) before this step.`
      )
    case 'NotFoundException':
    case 'ResourceNotFoundException': {
      const missing = whichIsMissing(said, operation, target, jobId)
      const what = {
        app: `App ${target.appId} was not found in ${target.region}: check app-id and aws-region.`,
        branch: `Branch ${JSON.stringify(target.branchName)} was not found in app ${target.appId}: check branch-name (a pull request's preview branch is named pr-<number>).`,
        job: `Job ${jobId} was not found on branch ${JSON.stringify(target.branchName)} of app ${target.appId}: check job-id.`,
        'app-or-branch': `App ${target.appId} or its branch ${JSON.stringify(target.branchName)} was not found in ${target.region}: check app-id, branch-name and aws-region.`
      }[missing]
      return make('not-found', `${what} (Amplify ${operation}: ${said})`, missing)
    }
    case 'LimitExceededException':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return make(
        'throttled',
        `Amplify kept throttling ${operation} for ${subject}${afterAttempts} (${name}). Wait and re-run the job, or run fewer Amplify calls at once (AWS_MAX_ATTEMPTS raises the retries).`
      )
    case 'BadRequestException':
      return make('service', `Amplify refused ${operation} for ${subject} (BadRequestException: ${said}).`)
    case 'TimeoutError':
    case 'AbortError': // a wait's poll given only the time left before wait-timeout
      return make(
        'network',
        `Amplify did not answer ${operation} for ${subject} in time${afterAttempts}. Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and re-run.`
      )
  }
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return make(
      'service',
      `Amplify failed ${operation} for ${subject}${afterAttempts} (${name}: ${said}). This is on Amplify's side: re-run the job later.`
    )
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return make(
      'network',
      `Could not reach Amplify for ${operation}${afterAttempts} (${e.code}: ${said}). Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and AWS_ENDPOINT_URL_AMPLIFY if set.`
    )
  }
  return make('service', `Amplify ${operation} for ${subject} failed (${name}: ${said}).`)
}

/**
 * Amplify's NotFound messages name the missing resource ("Branch not found: main"). The names and ids the
 * request carried are taken out first, so a branch called feature/job-board is not read as a missing job.
 * When the message names none: ListJobs could mean the app or the branch; a job request, the job.
 */
function whichIsMissing(
  message: string,
  operation: Operation,
  target: Target,
  jobId?: string
): NonNullable<AmplifyRequestError['missing']> {
  let text = message
  for (const name of [target.branchName, target.appId, jobId]) if (name) text = text.split(name).join(' ')
  text = text.toLowerCase()
  const aboutJob = operation !== 'ListJobs' && jobId !== undefined
  if (aboutJob && /\bjob\b/.test(text)) return 'job'
  if (/\bbranch\b/.test(text)) return 'branch'
  if (/\bapp\b/.test(text)) return 'app'
  return aboutJob ? 'job' : 'app-or-branch'
}

/** IAM's denial message names the exact resource: "... on resource: arn:aws:amplify:...". */
function resourceArnFrom(message: string): string | undefined {
  return /\bon resource: (arn:[^\s]+)/.exec(message)?.[1]
}

/** The resource an operation is authorized against (Service Authorization Reference), with the account left open. */
export function resourceArn(operation: Operation, target: Target): string {
  const branch = `arn:${partitionOf(target.region)}:amplify:${target.region}:<account-id>:apps/${target.appId}/branches/${target.branchName}`
  return operation === 'ListJobs' ? branch : `${branch}/jobs/*`
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/**
 * A service message as one inert line: white space, control characters (NUL, ESC sequences, C1 such as
 * NEL) and DEL become one space. An Authorization header, signature or session token the message echoes
 * is left out: AWS's IncompleteSignatureException quotes the request's whole Authorization header.
 */
function oneLine(text: string): string {
  return text
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ') // eslint-disable-line no-control-regex
    .replace(
      /\b(Authorization\s*[=:]\s*)AWS4-HMAC-SHA256\b(?:[ ,]+(?:Credential|SignedHeaders|Signature)=[^\s,]*)*/gi,
      '$1[redacted]'
    )
    .replace(/\b(Signature|X-Amz-Signature|X-Amz-Security-Token)=[^\s,;&]+/gi, '$1=[redacted]')
    .trim()
}
