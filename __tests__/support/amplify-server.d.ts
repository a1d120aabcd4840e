// Types for amplify-server.js, a local Amplify Hosting API (rest-json, amplify/2017-07-25) for tests,
// the demo and benchmarks. Hand-written: keep in step with the JavaScript module beside it.

/** The operations the server implements. */
export type Operation = 'StopJob' | 'ListJobs' | 'GetJob' | 'GetBranch' | 'ListApps' | 'ListBranches'

export type JobStatus =
  'CREATED' | 'PENDING' | 'PROVISIONING' | 'RUNNING' | 'CANCELLING' | 'FAILED' | 'SUCCEED' | 'CANCELLED'

export type JobType = 'RELEASE' | 'RETRY' | 'MANUAL' | 'WEB_HOOK'

export type Platform = 'WEB' | 'WEB_DYNAMIC' | 'WEB_COMPUTE'

/** The service model's stages, plus 'NONE', which the service reports for a branch given no stage. */
export type Stage = 'PRODUCTION' | 'BETA' | 'DEVELOPMENT' | 'EXPERIMENTAL' | 'PULL_REQUEST' | 'NONE'

/** Static credentials: accessKeyId and secretAccessKey. */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
}

/** The fake credentials the server accepts by default (not frozen: the SDK writes `$source` onto it). */
export declare const TEST_CREDENTIALS: Credentials
export declare const IN_PROGRESS_STATUSES: readonly string[]
export declare const FINAL_STATUSES: readonly string[]
/** 'https://github.com/octo-org/octo-site': seeded apps' repository, the one the action runner's GITHUB_REPOSITORY names. */
export declare const DEFAULT_REPOSITORY: string

/**
 * An app's metadata, as ListApps reports it. Defaults for a new app: name = appId,
 * repository = DEFAULT_REPOSITORY, platform 'WEB'. On an existing app only the keys given change; a key
 * given as `undefined` leaves that field out of the App on the wire.
 */
export interface AppMeta {
  name?: string
  repository?: string
  platform?: Platform | (string & {})
}

/** A branch's metadata. stage defaults to 'NONE'; on an existing branch a given stage replaces it. */
export interface BranchMeta {
  stage?: Stage | (string & {})
}

/** A job as the server stores it (getJob returns this live object: changes show in later responses). */
export interface StoredJob {
  jobId: string
  /** Any string is allowed, so tests can try a status the action does not know yet. */
  status: JobStatus | (string & {})
  commitId?: string
  commitMessage?: string
  commitTime?: Date
  /** Undefined when seeded so: the JobSummary then has no startTime. */
  startTime?: Date
  /** Set when the job reaches a final status. */
  endTime?: Date
  jobType: JobType | (string & {})
  sourceUrl?: string
  sourceUrlType?: string
}

/**
 * Fields for a seeded job; all optional. Defaults: jobId = one more than the branch's highest id
 * (from 1), status 'RUNNING', a deterministic 40-hex commitId, commitMessage 'Commit N', startTime
 * minute N after 2025-01-01T00:00Z (or `startedSecondsAgo` before now), commitTime 30 s before it,
 * jobType 'WEB_HOOK', endTime 5 min after startTime when the status is final. Pass a commit field or
 * startTime explicitly as `undefined` to leave it out, as manual deployments do (the default commit
 * and end times are then still computed from the default start).
 */
export interface JobSeed {
  jobId?: string
  status?: JobStatus | (string & {})
  commitId?: string
  commitMessage?: string
  commitTime?: Date
  startTime?: Date
  /** startTime = now minus this many seconds; for stuck-build sweeps. Not together with startTime. */
  startedSecondsAgo?: number
  endTime?: Date
  jobType?: JobType | (string & {})
  sourceUrl?: string
  sourceUrlType?: string
}

interface FaultBase {
  /** Only requests for this operation match; any request (even an unknown route) when omitted. */
  operation?: Operation
  /** How many matching requests the fault applies to. Default 1; Infinity for all. */
  times?: number
}

/**
 * A scripted failure, applied before signature enforcement, IAM denials and the operation:
 * - 'throttle': 429 LimitExceededException
 * - 'internal': 500 InternalFailureException
 * - 'reset': the socket is destroyed with no response
 * - 'hang': no response ever; the socket stays open until the client gives up or close()
 * - 'error': any status / x-amzn-ErrorType / message
 */
export type FaultSpec =
  | (FaultBase & { kind: 'throttle' | 'internal'; message?: string })
  | (FaultBase & { kind: 'reset' | 'hang' })
  | (FaultBase & { kind: 'error'; status: number; errorType: string; message?: string })

/** One request as received. */
export interface LoggedRequest {
  /** null when the method and path match no operation (answered 404 UnknownOperationException). */
  operation: Operation | null
  method: string
  /** Raw path, still URL-encoded as received (e.g. /apps/d1/branches/feature%2Flogin/jobs). */
  path: string
  /** Decoded query parameters; a repeated key gives an array. */
  query: Record<string, string | string[]>
  appId?: string
  /** Decoded branch name. */
  branchName?: string
  jobId?: string
  /**
   * HTTP status sent; 'reset' / 'hang' for those faults; 'pending' while being handled (including a
   * latency wait, and for good when close() came first).
   */
  status: number | 'reset' | 'hang' | 'pending'
  /** x-amzn-ErrorType of an error response. */
  errorType?: string
  /** Result of SigV4 verification (recorded even when verifySignatures is false or a fault answered). */
  signature: 'valid' | 'invalid' | 'missing'
  /** Arrival time, ms since the epoch. */
  time: number
  /** When the response was finished or the socket destroyed, ms since the epoch; unset while in flight. */
  endTime?: number
  userAgent?: string
  /** N of the SDK's `amz-sdk-request: attempt=N; max=M` header (1 for a first try); undefined when absent. */
  attempt?: number
}

export interface RequestInfo {
  operation: Operation | null
  appId?: string
  branchName?: string
  jobId?: string
}

/**
 * Runs for every request, after it is logged and its signature checked, before faults, auth errors and
 * the operation itself; may be async. A hook that throws makes the server answer 500.
 */
export type RequestHook = (request: RequestInfo) => void | Promise<void>

export interface AmplifyServerOptions {
  /** Default 'us-east-1'. Requests signed for another region get 403 InvalidSignatureException. */
  region?: string
  /** Default '123456789012'. Used in ARNs and IAM messages. */
  accountId?: string
  /** The only credentials accepted. Default TEST_CREDENTIALS. */
  credentials?: Credentials
  /** Time from StopJob's CANCELLING to CANCELLED. Default 200; Infinity keeps the job CANCELLING. */
  cancelDelayMs?: number
  /**
   * ListJobs and ListBranches page size when maxResults is absent or 0. Default 50. ListApps has its own
   * default of 50 (and accepts maxResults up to 100).
   */
  defaultPageSize?: number
  /** ListJobs order. Default 'newest-first' (what the service does in every observed output). */
  listOrder?: 'newest-first' | 'oldest-first'
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string }
  /** Reject badly signed requests (403). Default true; when false they are only logged. */
  verifySignatures?: boolean
  /**
   * Delay before every response (success or error; not reset/hang faults), counted from when the
   * request's body has been read. The operation runs first, so the response shows the state at arrival.
   * Default 0. See setLatency.
   */
  latencyMs?: number
}

export interface AmplifyServer {
  /** e.g. http://127.0.0.1:54321 (https:// with tls) */
  readonly url: string
  readonly port: number
  readonly region: string
  readonly accountId: string
  /** Every request received, in arrival order. The same array for the server's lifetime. */
  readonly requests: LoggedRequest[]
  /** Requests arrived and not yet answered, reset, or closed (a hang counts until its socket closes). */
  readonly inFlight: number
  /** The most requests in flight at once since start or the last clearRequests(). */
  readonly peakInFlight: number
  /** Changes latencyMs for requests whose body is read from now on. Throws on a negative or non-finite value. */
  setLatency(ms: number): void

  /**
   * Creates the app if missing (ListApps lists apps in creation order); `meta` sets or updates its
   * metadata. appId must match d[a-z0-9]+ (max 20 chars), like the service.
   */
  addApp(appId: string, meta?: AppMeta): void
  /**
   * Creates the app (with default metadata) and branch if missing; ListBranches lists branches in
   * creation order. `meta` sets or updates the branch's stage.
   */
  addBranch(appId: string, branchName: string, meta?: BranchMeta): void
  /** Adds a job (creating app and branch if needed) and returns the stored job. */
  addJob(appId: string, branchName: string, job?: JobSeed): StoredJob
  /** Adds `count` jobs with consecutive ids; `job` may be a function of the index (0-based). */
  addJobs(
    appId: string,
    branchName: string,
    count: number,
    job?: JobSeed | ((index: number) => JobSeed)
  ): StoredJob[]
  /** The stored job (live object); throws if it does not exist. */
  getJob(appId: string, branchName: string, jobId: string): StoredJob
  /** Sets a job's status; a final status sets endTime (now) if unset, a non-final one clears it. */
  setJobStatus(appId: string, branchName: string, jobId: string, status: JobStatus | (string & {})): StoredJob
  deleteBranch(appId: string, branchName: string): void
  /** arn:aws:amplify:{region}:{account}:apps/{appId} (ListApps is denied on appArn('*')) */
  appArn(appId: string): string
  /** arn:aws:amplify:{region}:{account}:apps/{appId}/branches/{branchName} */
  branchArn(appId: string, branchName: string): string
  /** The branch ARN + /jobs/{jobId zero-padded to 10 digits}, as in JobSummary.jobArn. */
  jobArn(appId: string, branchName: string, jobId: string): string

  /** Registers a hook; returns a function that removes it. */
  onRequest(fn: RequestHook): () => void
  addFault(fault: FaultSpec): void
  /**
   * Every matching request gets 403 AccessDeniedException with IAM's message, naming the resource IAM
   * checks: apps/* for ListApps, the app ARN for ListBranches, the branch ARN for ListJobs and
   * GetBranch, the job ARN for GetJob and StopJob. `scope` narrows the denial to one app and/or branch
   * (a request without that label, e.g. ListApps for an appId scope, does not match). Returns a
   * function that lifts the denial.
   */
  deny(operation: Operation, scope?: { appId?: string; branchName?: string }): () => void

  requestsFor(operation: Operation): LoggedRequest[]
  /** Empties the request log and restarts peakInFlight from the current inFlight. */
  clearRequests(): void
  /**
   * Stops listening, cancels pending CANCELLING→CANCELLED timers and latency waits (those requests are
   * never answered), and destroys open sockets.
   */
  close(): Promise<void>
}

export declare function startAmplifyServer(options?: AmplifyServerOptions): Promise<AmplifyServer>
