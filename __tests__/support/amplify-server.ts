// A local, in-memory stand-in for the Amplify Hosting API (service model amplify/2017-07-25, rest-json), for the
// tests, the demo, the bench and `npm run serve`. It is never bundled into dist.
//
// It serves the operations the action sends (StopJob, ListJobs, GetJob, ListBranches, ListApps) the way the
// service answers them: same routes, error headers and bodies, epoch-second timestamps, opaque page tokens,
// and real SigV4 verification, so the real AmplifyClient can be pointed at it unchanged. A test seeds apps,
// branches and jobs (a job may appear some time after it is seeded), and can throttle every request with a
// token bucket, script faults (throttling, 500s, resets, hangs, any error), deny operations the way IAM does,
// add latency, hook into every request, and read a log of what arrived and how many requests were in flight.
import { Buffer } from 'node:buffer'
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { clearTimeout, setTimeout } from 'node:timers'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { SourceData } from '@smithy/types'

/** The operations the server implements. */
export type Operation = 'StopJob' | 'ListJobs' | 'GetJob' | 'ListApps' | 'ListBranches'

export type JobStatus =
  'CREATED' | 'PENDING' | 'PROVISIONING' | 'RUNNING' | 'CANCELLING' | 'FAILED' | 'SUCCEED' | 'CANCELLED'

export type JobType = 'RELEASE' | 'RETRY' | 'MANUAL' | 'WEB_HOOK'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
}

/**
 * The fake static credentials the server accepts; give them to the client under test. Not frozen: the SDK
 * writes a `$source` property onto the credentials object it is given (pass a copy).
 */
export const TEST_CREDENTIALS: Credentials = {
  accessKeyId: 'AKIDLOCALTEST0000000',
  secretAccessKey: 'local-test-secret-key-not-a-real-one'
}

/** The account in ARNs and IAM messages. */
const ACCOUNT_ID = '123456789012'
/** The repository seeded apps are connected to: the one the action runner's GITHUB_REPOSITORY names. */
const DEFAULT_REPOSITORY = 'https://github.com/octo-org/octo-site'
const FINAL_STATUSES: readonly string[] = ['SUCCEED', 'FAILED', 'CANCELLED']
const SERVICE = 'amplify'
const MAX_RESULTS_LIMIT = 50
// ListApps' model allows up to 100 per page; its default page stays 50 whatever defaultPageSize says.
const APPS_MAX_RESULTS_LIMIT = 100
const APPS_DEFAULT_PAGE_SIZE = 50
const APP_ID_PATTERN = /^d[a-z0-9]+$/
// Seeded jobs get fixed timestamps (minute N after this instant for job N) so output is deterministic.
const SEED_EPOCH_MS = Date.UTC(2025, 0, 1)
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/** An app's metadata, as ListApps reports it. A new app: name = appId, the octo-org/octo-site repository. */
export interface AppMeta {
  name?: string
  repository?: string
}

/** A job as the server stores it (getJob returns this live object: changes show in later responses). */
export interface StoredJob {
  jobId: string
  /** Any string, so tests can try a status the action does not know yet. */
  status: JobStatus | (string & {})
  commitId?: string
  commitMessage?: string
  commitTime?: Date
  /** Undefined when seeded so: the JobSummary then has no startTime. */
  startTime?: Date
  /** Set when the job reaches a final status. */
  endTime?: Date
  jobType: JobType | (string & {})
  /** Before this instant (ms since the epoch) ListJobs, GetJob and StopJob do not see the job. */
  visibleFrom?: number
}

/**
 * A seeded job; every field optional. Defaults: jobId one more than the branch's highest (from 1), status
 * RUNNING, a deterministic 40-hex commitId, commitMessage 'Commit N', startTime minute N after
 * 2025-01-01T00:00Z (or `startedSecondsAgo` before now), commitTime 30 s before the start, jobType WEB_HOOK,
 * endTime 5 minutes after the start when the status is final. commitId, commitMessage or startTime given as
 * `undefined` are left out of the summary, as for manual deployments.
 */
export interface JobSeed {
  jobId?: string
  status?: JobStatus | (string & {})
  commitId?: string
  commitMessage?: string
  startTime?: Date
  /** startTime = now minus this many seconds (not together with startTime). */
  startedSecondsAgo?: number
  jobType?: JobType | (string & {})
  /** The job exists for ListJobs, GetJob and StopJob only this many ms after addJob: a build not created yet. */
  appearsAfterMs?: number
}

interface FaultBase {
  /** Only requests for this operation match; any request (even an unknown route) when omitted. */
  operation?: Operation
  /** How many matching requests the fault applies to. Default 1; Infinity for all. */
  times?: number
}

/**
 * A scripted failure, applied after hooks and before signature enforcement, IAM denials and the operation:
 * 'throttle' 429 LimitExceededException; 'internal' 500 InternalFailureException; 'reset' destroys the socket
 * unanswered; 'hang' never answers (until the client gives up, or close()); 'error' any status, type, message.
 * A 'reset' or 'hang' with `applied` first carries the operation out (when signature and IAM allow it), as when
 * Amplify acted but its answer was lost.
 */
export type FaultSpec =
  | (FaultBase & { kind: 'throttle' | 'internal'; message?: string })
  | (FaultBase & { kind: 'reset' | 'hang'; applied?: boolean })
  | (FaultBase & { kind: 'error'; status: number; errorType: string; message?: string })

/**
 * A token bucket over all requests, as AWS control planes throttle an account: it holds `burst` tokens and
 * gains `rate` a second; every request takes one on arrival, and a request that finds none is answered with
 * this error at once (never queued; after the latency, like every answer), before hooks and faults.
 */
export interface ThrottleSpec {
  /** Tokens a second. */
  rate: number
  /** The bucket's size, and what it holds when set. */
  burst: number
  /** Default LimitExceededException. */
  errorType?: string
  /** Default 429. */
  status?: number
  /** Default 'Rate exceeded'. */
  message?: string
}

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
  /** HTTP status sent; 'reset' or 'hang' for those faults; 'pending' until answered (for good if close() came first). */
  status: number | 'reset' | 'hang' | 'pending'
  /** x-amzn-ErrorType of an error answer. */
  errorType?: string
  /** Answered by the token bucket. */
  throttled?: true
  /** Result of SigV4 verification (recorded even when a fault or the bucket answered). */
  signature: 'valid' | 'invalid' | 'missing'
  /** Arrival time, ms since the epoch. */
  time: number
  /** When the answer was finished or the socket destroyed, ms since the epoch; unset while in flight. */
  endTime?: number
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
 * Runs for every request the bucket lets in, after its signature is checked and before faults, auth errors
 * and the operation; may be async (the request waits). A hook that throws makes the server answer 500.
 */
export type RequestHook = (request: RequestInfo) => void | Promise<void>

export interface AmplifyServerOptions {
  /** Default 'us-east-1'. Requests signed for another region get 403 InvalidSignatureException. */
  region?: string
  /** Time from StopJob's CANCELLING to CANCELLED. Default 200; Infinity keeps the job CANCELLING. */
  cancelDelayMs?: number
  /** ListJobs and ListBranches page size when maxResults is absent or 0. Default 50 (ListApps: always 50). */
  defaultPageSize?: number
  /** Delay before every answer (not resets or hangs), counted from when the body was read. Default 0. */
  latencyMs?: number
  /** A token bucket over all requests; see setThrottle. Default none. */
  throttle?: ThrottleSpec
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string }
  /** The port on 127.0.0.1. Default 0: any free one. */
  port?: number
}

export interface AmplifyServer {
  /** e.g. http://127.0.0.1:54321 (https:// with tls) */
  readonly url: string
  readonly port: number
  readonly region: string
  /** Every request received, in arrival order. The same array for the server's lifetime. */
  readonly requests: LoggedRequest[]
  /** The most requests in flight at once since start or the last clearRequests(). */
  readonly peakInFlight: number
  /** Requests the token bucket has answered since start or the last clearRequests(). */
  readonly throttledCount: number
  /** Sets (a full bucket) or, with undefined, removes the token bucket. */
  setThrottle(spec: ThrottleSpec | undefined): void
  /** Creates the app if missing (apps list in creation order); `meta` sets its name or repository. */
  addApp(appId: string, meta?: AppMeta): void
  /** Adds a job (creating app and branch if needed) and returns the stored job. */
  addJob(appId: string, branchName: string, seed?: JobSeed): StoredJob
  /** Adds `count` jobs with consecutive ids; `seed` may be a function of the index (0-based). */
  addJobs(
    appId: string,
    branchName: string,
    count: number,
    seed?: JobSeed | ((index: number) => JobSeed)
  ): StoredJob[]
  /** The stored job (live object), visible yet or not; throws if it does not exist. */
  getJob(appId: string, branchName: string, jobId: string): StoredJob
  /** Sets a job's status; a final status sets endTime (now) if unset, another clears it. */
  setJobStatus(appId: string, branchName: string, jobId: string, status: JobStatus | (string & {})): StoredJob
  deleteBranch(appId: string, branchName: string): void
  /** arn:aws:amplify:{region}:{account}:apps/{appId}/branches/{branch}/jobs/{jobId zero-padded to 10 digits}, as in JobSummary.jobArn. */
  jobArn(appId: string, branchName: string, jobId: string): string
  /** Registers a hook; returns a function that removes it. */
  onRequest(hook: RequestHook): () => void
  addFault(fault: FaultSpec): void
  /**
   * Every matching request gets 403 AccessDeniedException with IAM's message, naming the resource IAM checks:
   * apps/* for ListApps, the app ARN for ListBranches, the branch ARN for ListJobs, the job ARN for GetJob and
   * StopJob. `scope` narrows the denial to one app and/or branch. Returns a function that lifts it.
   */
  deny(operation: Operation, scope?: { appId?: string; branchName?: string }): () => void
  requestsFor(operation: Operation): LoggedRequest[]
  /** Empties the request log; peakInFlight restarts from what is in flight, throttledCount from 0. */
  clearRequests(): void
  /** Stops listening, cancels cancel timers and latency waits (never answered), and destroys open sockets. */
  close(): Promise<void>
}

interface Branch {
  branchName: string
  createTime: Date
  /** Creation order, shared with apps: page tokens carry it, so a page boundary survives deletions. */
  seq: number
  jobs: Map<string, StoredJob>
  nextId: bigint
  /** The jobs in listing order (newest first), rebuilt after a change: paging thousands costs one sort. */
  sorted: StoredJob[] | null
  /** Whether any job was seeded to appear later: only then does listing filter on visibility. */
  delayed: boolean
}

interface App {
  appId: string
  name: string
  repository: string
  createTime: Date
  seq: number
  branches: Map<string, Branch>
}

interface Labels {
  appId?: string
  branchName?: string
  jobId?: string
}

type OperationInput = Labels & { query: Record<string, string | string[]> }

/** A service error as Amplify sends it: HTTP status + `x-amzn-ErrorType` + `{"message"}`. */
class ServiceError extends Error {
  readonly status: number
  readonly type: string
  constructor(status: number, type: string, message: string) {
    super(message)
    this.status = status
    this.type = type
  }
}

const badRequest = (message: string) => new ServiceError(400, 'BadRequestException', message)
const notFound = (message: string) => new ServiceError(404, 'NotFoundException', message)

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data)

/** SHA-256 hash and HMAC with the interface @smithy/signature-v4 expects (no @smithy/hash-node installed). */
class Sha256 {
  private readonly hash
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret))
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }
}

/** Job ids are digit strings of any length, so compare them as BigInts. */
function compareIds(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const epochSeconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined)
const visible = (job: StoredJob) => job.visibleFrom === undefined || Date.now() >= job.visibleFrom

/** Decodes a URL component, keeping the raw text when it is not valid percent-encoding. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** A raw query string as decoded values; a repeated key becomes an array (as SigV4 expects). */
function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const pair of raw.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const key = decode(eq < 0 ? pair : pair.slice(0, eq))
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1))
    const existing = query[key]
    query[key] = existing === undefined ? value : [...[existing].flat(), value]
  }
  return query
}

/** Matches a raw path against the model's routes; labels match still encoded (`a%2Fb` is one segment). */
function route(method: string, rawPath: string): Labels & { operation: Operation | null } {
  const s = rawPath.split('/').slice(1)
  if (s[0] !== 'apps') return { operation: null }
  if (s.length === 1) return { operation: method === 'GET' ? 'ListApps' : null }
  if (s.length === 3 && s[2] === 'branches' && s[1] && method === 'GET') {
    return { operation: 'ListBranches', appId: decode(s[1]) }
  }
  if (s[2] !== 'branches' || !s[1] || !s[3] || s[4] !== 'jobs') return { operation: null }
  const labels = { appId: decode(s[1]), branchName: decode(s[3]) }
  if (s.length === 5 && method === 'GET') return { operation: 'ListJobs', ...labels }
  if (!s[5]) return { operation: null }
  const jobId = decode(s[5])
  if (s.length === 6 && method === 'GET') return { operation: 'GetJob', ...labels, jobId }
  if (s.length === 7 && s[6] === 'stop' && method === 'DELETE')
    return { operation: 'StopJob', ...labels, jobId }
  return { operation: null }
}

/** Whether a bucket is given; throws when it could never hold a token. */
function checkThrottle(spec: ThrottleSpec | undefined): spec is ThrottleSpec {
  if (
    spec &&
    !(spec.rate > 0 && Number.isFinite(spec.rate) && spec.burst >= 1 && Number.isFinite(spec.burst))
  ) {
    throw new Error(`throttle needs a finite rate > 0 and burst >= 1, got ${JSON.stringify(spec)}`)
  }
  return spec !== undefined
}

/** Removes one item from a list, if it is there. */
function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item)
  if (i >= 0) list.splice(i, 1)
}

export async function startAmplifyServer(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const region = options.region ?? 'us-east-1'
  const cancelDelayMs = options.cancelDelayMs ?? 200
  const defaultPageSize = options.defaultPageSize ?? MAX_RESULTS_LIMIT
  const latencyMs = options.latencyMs ?? 0
  if (!(latencyMs >= 0 && Number.isFinite(latencyMs)))
    throw new Error(`latencyMs must be >= 0, got ${latencyMs}`)

  const apps = new Map<string, App>()
  let seq = 0
  const requests: LoggedRequest[] = []
  const hooks: RequestHook[] = []
  const faults: (FaultSpec & { remaining: number })[] = []
  const denials: ({ operation: Operation } & Labels)[] = []
  /** CANCELLING → CANCELLED timers, cancelled by close(). */
  const timers = new Set<NodeJS.Timeout>()
  /** Latency waits in progress, so close() can cancel them and let their handlers finish. */
  const delays = new Map<NodeJS.Timeout, (sent: boolean) => void>()
  let inFlight = 0
  let peakInFlight = 0
  let throttledCount = 0
  /** How to end each request still in flight, so close() leaves inFlight at 0 without waiting on sockets. */
  const ends = new Set<() => void>()
  let bucket: { spec: ThrottleSpec; tokens: number; at: number } | undefined

  const setThrottle = (spec: ThrottleSpec | undefined) => {
    bucket = checkThrottle(spec) ? { spec: { ...spec }, tokens: spec.burst, at: Date.now() } : undefined
  }
  setThrottle(options.throttle)

  /** Takes a token; returns the bucket's spec when there was none. */
  function throttled(): ThrottleSpec | undefined {
    if (!bucket) return undefined
    const now = Date.now()
    bucket.tokens = Math.min(bucket.spec.burst, bucket.tokens + ((now - bucket.at) * bucket.spec.rate) / 1000)
    bucket.at = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return bucket.spec
  }

  const signer = new SignatureV4({
    service: SERVICE,
    region,
    credentials: TEST_CREDENTIALS,
    sha256: Sha256,
    uriEscapePath: true, // every service but S3 double-escapes the path, and so does the SDK
    applyChecksum: false // only sign x-amz-content-sha256 if the client signed it
  })

  const appArn = (appId: string) => `arn:aws:amplify:${region}:${ACCOUNT_ID}:apps/${appId}`
  const branchArn = (appId: string, branchName: string) => `${appArn(appId)}/branches/${branchName}`
  const jobArn = (appId: string, branchName: string, jobId: string) =>
    `${branchArn(appId, branchName)}/jobs/${jobId.padStart(10, '0')}`

  // ---- state -----------------------------------------------------------------------------------------

  function addApp(appId: string, meta: AppMeta = {}): App {
    if (!APP_ID_PATTERN.test(appId) || appId.length > 20) {
      throw new Error(
        `appId must match d[a-z0-9]+ and be at most 20 characters, got ${JSON.stringify(appId)}`
      )
    }
    let app = apps.get(appId)
    if (!app) {
      app = {
        appId,
        name: appId,
        repository: DEFAULT_REPOSITORY,
        createTime: new Date(SEED_EPOCH_MS),
        seq: seq++,
        branches: new Map()
      }
      apps.set(appId, app)
    }
    if (meta.name !== undefined) app.name = meta.name
    if (meta.repository !== undefined) app.repository = meta.repository
    return app
  }

  function addBranch(appId: string, branchName: string): Branch {
    const { branches } = addApp(appId)
    let branch = branches.get(branchName)
    if (!branch) {
      if (branchName.length < 1 || branchName.length > 255)
        throw new Error('branchName must be 1-255 characters')
      branch = {
        branchName,
        createTime: new Date(SEED_EPOCH_MS),
        seq: seq++,
        jobs: new Map(),
        nextId: 1n,
        sorted: null,
        delayed: false
      }
      branches.set(branchName, branch)
    }
    return branch
  }

  function addJob(appId: string, branchName: string, seed: JobSeed = {}): StoredJob {
    const branch = addBranch(appId, branchName)
    const jobId = seed.jobId ?? String(branch.nextId)
    if (!/^\d{1,255}$/.test(jobId))
      throw new Error(`jobId must be 1-255 digits, got ${JSON.stringify(jobId)}`)
    if (branch.jobs.has(jobId)) throw new Error(`Job ${jobId} already exists on ${appId}/${branchName}`)
    if ('startTime' in seed && seed.startedSecondsAgo !== undefined) {
      throw new Error('Give startTime or startedSecondsAgo, not both')
    }
    const minute = Number(BigInt(jobId) % 1_000_000n) // keeps huge ids on a valid date
    // The default commit and end times hang off this even when startTime itself is left out.
    const nominalStart =
      seed.startTime ??
      (seed.startedSecondsAgo !== undefined
        ? new Date(Date.now() - seed.startedSecondsAgo * 1000)
        : new Date(SEED_EPOCH_MS + minute * 60_000))
    const status = seed.status ?? 'RUNNING'
    const job: StoredJob = {
      jobId,
      status,
      commitId:
        'commitId' in seed
          ? seed.commitId
          : createHash('sha1').update(`${appId}/${branchName}/${jobId}`).digest('hex'),
      commitMessage: 'commitMessage' in seed ? seed.commitMessage : `Commit ${jobId}`,
      commitTime: new Date(nominalStart.getTime() - 30_000),
      startTime: 'startTime' in seed ? seed.startTime : nominalStart,
      endTime: FINAL_STATUSES.includes(status) ? new Date(nominalStart.getTime() + 300_000) : undefined,
      jobType: seed.jobType ?? 'WEB_HOOK'
    }
    if (seed.appearsAfterMs !== undefined) {
      job.visibleFrom = Date.now() + seed.appearsAfterMs
      branch.delayed = true
    }
    branch.jobs.set(jobId, job)
    if (BigInt(jobId) >= branch.nextId) branch.nextId = BigInt(jobId) + 1n
    branch.sorted = null
    return job
  }

  function getJob(appId: string, branchName: string, jobId: string): StoredJob {
    const job = apps.get(appId)?.branches.get(branchName)?.jobs.get(jobId)
    if (!job) throw new Error(`No job ${jobId} on ${appId}/${branchName}`)
    return job
  }

  function setJobStatus(appId: string, branchName: string, jobId: string, status: string): StoredJob {
    const job = getJob(appId, branchName, jobId)
    job.status = status
    if (FINAL_STATUSES.includes(status)) job.endTime ??= new Date()
    else delete job.endTime
    return job
  }

  /** The jobs ListJobs shows, newest first. */
  function listedJobs(branch: Branch): StoredJob[] {
    branch.sorted ??= [...branch.jobs.values()].sort((a, b) => compareIds(b.jobId, a.jobId))
    return branch.delayed ? branch.sorted.filter(visible) : branch.sorted
  }

  // ---- wire format -----------------------------------------------------------------------------------

  const jobSummary = (appId: string, branchName: string, job: StoredJob) => ({
    jobArn: jobArn(appId, branchName, job.jobId),
    jobId: job.jobId,
    commitId: job.commitId,
    commitMessage: job.commitMessage,
    commitTime: epochSeconds(job.commitTime),
    startTime: epochSeconds(job.startTime),
    status: job.status,
    endTime: epochSeconds(job.endTime),
    jobType: job.jobType
  })

  const appShape = (app: App) => ({
    appId: app.appId,
    appArn: appArn(app.appId),
    name: app.name,
    description: '',
    repository: app.repository,
    platform: 'WEB',
    createTime: epochSeconds(app.createTime),
    updateTime: epochSeconds(app.createTime),
    environmentVariables: {},
    defaultDomain: `${app.appId}.amplifyapp.com`,
    enableBranchAutoBuild: true,
    enableBasicAuth: false
  })

  function branchShape(appId: string, branch: Branch) {
    const jobs = listedJobs(branch)
    // A CANCELLING job still occupies the branch, so it counts as active like the in-progress ones.
    const active = jobs.find(job => !FINAL_STATUSES.includes(job.status))
    const { branchName } = branch
    return {
      branchArn: branchArn(appId, branchName),
      branchName,
      description: '',
      stage: 'NONE', // what the service reports for a branch given no stage
      displayName: branchName.replaceAll('/', '-'),
      enableNotification: false,
      createTime: epochSeconds(branch.createTime),
      updateTime: epochSeconds(branch.createTime),
      environmentVariables: {},
      enableAutoBuild: true,
      customDomains: [],
      framework: '',
      activeJobId: (active ?? jobs[0])?.jobId, // the newest in progress, else the newest
      totalNumberOfJobs: String(jobs.length),
      enableBasicAuth: false,
      ttl: '5',
      enablePullRequestPreview: false
    }
  }

  /** The app named by a request's appId label: 400 if malformed, 404 if unknown. */
  function lookupApp(appId: string): App {
    if (!APP_ID_PATTERN.test(appId) || appId.length > 20) {
      throw badRequest(
        `1 validation error detected: Value '${appId}' at 'appId' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: d[a-z0-9]+'
      )
    }
    const app = apps.get(appId)
    if (!app) throw notFound(`App not found: ${appId}`)
    return app
  }

  function lookup({ appId = '', branchName = '', jobId }: Labels) {
    const app = lookupApp(appId)
    if (branchName.length > 255) {
      throw badRequest(
        "1 validation error detected: Value at 'branchName' failed to satisfy constraint: " +
          'Member must have length less than or equal to 255'
      )
    }
    if (jobId !== undefined && !/^\d{1,255}$/.test(jobId)) {
      throw badRequest(
        `1 validation error detected: Value '${jobId}' at 'jobId' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: [0-9]+'
      )
    }
    const branch = app.branches.get(branchName)
    if (!branch) throw notFound(`Branch not found: ${branchName}`)
    return { appId, branchName, branch }
  }

  function lookupJob(labels: Labels) {
    const found = lookup(labels)
    const job = found.branch.jobs.get(labels.jobId ?? '')
    if (!job || !visible(job)) throw notFound(`Job not found: ${labels.jobId}`)
    return { ...found, job }
  }

  function parseMaxResults(
    raw: string | string[] | undefined,
    limit = MAX_RESULTS_LIMIT,
    fallback = defaultPageSize
  ) {
    if (raw === undefined) return fallback
    const value = Array.isArray(raw) ? raw[0] : raw
    if (!/^-?\d+$/.test(value)) {
      throw badRequest(
        `Value '${value}' at 'maxResults' failed to satisfy constraint: Member must be an integer`
      )
    }
    const n = Number(value)
    if (n < 0 || n > limit) {
      throw badRequest(
        `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: ` +
          `Member must have value ${n < 0 ? 'greater than or equal to 0' : `less than or equal to ${limit}`}`
      )
    }
    return n === 0 ? fallback : n
  }

  // Page tokens are opaque to clients: base64url JSON of the list they belong to and the last item listed.
  const encodeToken = (content: object) => Buffer.from(JSON.stringify(content)).toString('base64url')

  function decodeToken(token: string | string[], scope: object): Record<string, unknown> {
    try {
      const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'))
      if (Object.entries(scope).every(([key, value]) => parsed[key] === value)) return parsed
    } catch {
      // fall through to the error below
    }
    throw badRequest('Invalid nextToken provided.')
  }

  /** One page of apps or branches in creation order; the token carries the seq of the last one listed. */
  function pageBySeq<T extends { seq: number }>(
    items: T[],
    pageSize: number,
    token: string | string[] | undefined,
    scope: { list: string; appId?: string }
  ) {
    let start = 0
    if (token !== undefined && token !== '') {
      const { after } = decodeToken(token, scope)
      if (!Number.isSafeInteger(after)) throw badRequest('Invalid nextToken provided.')
      start = items.findIndex(item => item.seq > (after as number))
      if (start < 0) start = items.length
    }
    const page = items.slice(start, start + pageSize)
    const more = start + pageSize < items.length
    return { page, nextToken: more ? encodeToken({ ...scope, after: page[page.length - 1].seq }) : undefined }
  }

  // ---- operations ------------------------------------------------------------------------------------

  const operations: Record<Operation, (input: OperationInput) => object> = {
    StopJob(labels) {
      const { appId, branchName, job } = lookupJob(labels)
      if (FINAL_STATUSES.includes(job.status)) {
        throw badRequest(`Job ${job.jobId} is already in ${job.status} state and cannot be stopped.`)
      }
      // Stopping a job that is already CANCELLING answers 200 and leaves it so (the first stop's timer ends it).
      if (job.status !== 'CANCELLING') {
        job.status = 'CANCELLING'
        if (cancelDelayMs !== Infinity) {
          const timer = setTimeout(() => {
            timers.delete(timer)
            // The job itself: its branch may have been deleted meanwhile.
            if (job.status === 'CANCELLING') Object.assign(job, { status: 'CANCELLED', endTime: new Date() })
          }, cancelDelayMs)
          timer.unref()
          timers.add(timer)
        }
      }
      return { jobSummary: jobSummary(appId, branchName, job) }
    },

    ListJobs(labels) {
      const { appId, branchName, branch } = lookup(labels)
      const pageSize = parseMaxResults(labels.query.maxResults)
      const jobs = listedJobs(branch)
      let start = 0
      const token = labels.query.nextToken
      if (token !== undefined && token !== '') {
        const { after } = decodeToken(token, { appId, branchName })
        if (typeof after !== 'string' || !/^\d+$/.test(after)) throw badRequest('Invalid nextToken provided.')
        // The first job older than the cursor; a binary search keeps each page O(log n + pageSize).
        let lo = 0
        let hi = jobs.length
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          if (compareIds(jobs[mid].jobId, after) < 0) hi = mid
          else lo = mid + 1
        }
        start = lo
      }
      const page = jobs.slice(start, start + pageSize)
      const more = start + pageSize < jobs.length
      return {
        jobSummaries: page.map(job => jobSummary(appId, branchName, job)),
        nextToken: more ? encodeToken({ appId, branchName, after: page[page.length - 1].jobId }) : undefined
      }
    },

    GetJob(labels) {
      const { appId, branchName, job } = lookupJob(labels)
      return { job: { summary: jobSummary(appId, branchName, job), steps: [] } }
    },

    ListBranches({ appId = '', query }) {
      const app = lookupApp(appId)
      const pageSize = parseMaxResults(query.maxResults)
      const { page, nextToken } = pageBySeq([...app.branches.values()], pageSize, query.nextToken, {
        list: 'branches',
        appId
      })
      return { branches: page.map(branch => branchShape(appId, branch)), nextToken }
    },

    ListApps({ query }) {
      const pageSize = parseMaxResults(query.maxResults, APPS_MAX_RESULTS_LIMIT, APPS_DEFAULT_PAGE_SIZE)
      const { page, nextToken } = pageBySeq([...apps.values()], pageSize, query.nextToken, { list: 'apps' })
      return { apps: page.map(appShape), nextToken }
    }
  }

  // ---- SigV4 -----------------------------------------------------------------------------------------

  /** Verifies the Authorization header by recomputing the signature from what arrived on the wire. */
  async function checkSignature(
    req: http.IncomingMessage,
    rawPath: string,
    query: Record<string, string | string[]>,
    body: Buffer
  ): Promise<{ signature: LoggedRequest['signature']; error?: ServiceError }> {
    const header = req.headers.authorization
    if (!header) {
      return {
        signature: 'missing',
        error: new ServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
      }
    }
    const invalid = (type: string, message: string) => ({
      signature: 'invalid' as const,
      error: new ServiceError(403, type, message)
    })

    const match = /^AWS4-HMAC-SHA256 (.*)$/.exec(header)
    const params = Object.fromEntries(
      (match?.[1] ?? '').split(',').map(part => {
        const [key, ...rest] = part.trim().split('=')
        return [key, rest.join('=')]
      })
    )
    const amzDate = String(req.headers['x-amz-date'] ?? '')
    if (
      !match ||
      !params.Credential ||
      !params.SignedHeaders ||
      !params.Signature ||
      !/^\d{8}T\d{6}Z$/.test(amzDate)
    ) {
      return invalid(
        'IncompleteSignatureException',
        `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters and an x-amz-date header. Authorization=${header}`
      )
    }
    const [accessKeyId, date, scopeRegion, scopeService, terminator] = params.Credential.split('/')
    if (accessKeyId !== TEST_CREDENTIALS.accessKeyId) {
      return invalid('UnrecognizedClientException', 'The security token included in the request is invalid.')
    }
    if (scopeRegion !== region) {
      return invalid(
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${scopeRegion}'. This server is '${region}'.`
      )
    }
    if (scopeService !== SERVICE || terminator !== 'aws4_request') {
      return invalid(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${SERVICE}'.`
      )
    }
    if (date !== amzDate.slice(0, 8)) {
      return invalid(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'`
      )
    }

    // Rebuild the request from exactly the headers the client says it signed.
    const signedNames = params.SignedHeaders.split(';')
    const headers: Record<string, string> = {}
    for (const name of signedNames) {
      const value = req.headers[name]
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value
    }
    // The signed payload hash must be the hash of the body that actually arrived.
    if (headers['x-amz-content-sha256'] !== undefined) {
      headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex')
    }
    const d = amzDate
    const signingDate = new Date(
      `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`
    )
    const expected = await signer.sign(
      new HttpRequest({ method: req.method, hostname: '127.0.0.1', path: rawPath, query, headers, body }),
      { signingDate, signableHeaders: new Set(signedNames) }
    )
    const expectedSignature = /Signature=([0-9a-f]+)/.exec(String(expected.headers.authorization))?.[1] ?? ''
    const ok =
      expectedSignature.length === params.Signature.length &&
      timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(params.Signature))
    return ok ? { signature: 'valid' } : invalid('InvalidSignatureException', SIGNATURE_MISMATCH)
  }

  // ---- HTTP ------------------------------------------------------------------------------------------

  /** The IAM denial matching a request, as the error IAM sends. */
  function denial(
    operation: Operation,
    { appId = '', branchName = '', jobId }: Labels
  ): ServiceError | undefined {
    const denied = denials.some(
      d =>
        d.operation === operation &&
        (d.appId === undefined || d.appId === appId) &&
        (d.branchName === undefined || d.branchName === branchName)
    )
    if (!denied) return undefined
    const resource =
      operation === 'ListApps'
        ? appArn('*')
        : operation === 'ListBranches'
          ? appArn(appId)
          : jobId === undefined
            ? branchArn(appId, branchName)
            : jobArn(appId, branchName, jobId)
    return new ServiceError(
      403,
      'AccessDeniedException',
      `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/local-test/session is not authorized to perform: ` +
        `amplify:${operation} on resource: ${resource}`
    )
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q)
    const query = parseQuery(q < 0 ? '' : rawUrl.slice(q + 1))
    const method = req.method ?? 'GET'
    const { operation, ...labels } = route(method, rawPath)
    const entry: LoggedRequest = {
      operation,
      method,
      path: rawPath,
      query,
      ...labels,
      status: 'pending',
      signature: req.headers.authorization ? 'invalid' : 'missing',
      time: Date.now(),
      attempt: Number(/\battempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1]) || undefined
    }
    requests.push(entry) // logged on arrival, so the log keeps the order requests came in
    const throttle = throttled() // on arrival too: the bucket sees requests as they come

    // In flight until the answer is finished or the socket goes (reset, hang given up, close()).
    inFlight++
    peakInFlight = Math.max(peakInFlight, inFlight)
    const end = () => {
      if (!ends.delete(end)) return // already ended
      inFlight--
      entry.endTime = Date.now()
    }
    ends.add(end)
    res.once('finish', end)
    res.once('close', end)

    /** When the answer may go out: set once the body is read, so slow uploads do not eat the latency. */
    let due = 0
    const send = async (status: number, payload: object, errorType?: string) => {
      const text = JSON.stringify(payload) // the state as of now, even if the answer is delayed
      const wait = due - Date.now()
      if (wait > 0 && !(await delay(wait))) return // close() came first: the socket is gone
      if (res.destroyed) return // the client gave up while we waited
      entry.status = status
      if (errorType) entry.errorType = errorType
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-RequestId': randomUUID(),
        ...(errorType ? { 'x-amzn-ErrorType': errorType } : {})
      })
      res.end(text)
    }

    try {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const body = Buffer.concat(chunks)
      due = Date.now() + latencyMs
      // Verified up front so the log shows the signature of every request, even throttled or faulted ones.
      const auth = await checkSignature(req, rawPath, query, body)
      entry.signature = auth.signature

      if (throttle) {
        throttledCount++
        entry.throttled = true
        throw new ServiceError(
          throttle.status ?? 429,
          throttle.errorType ?? 'LimitExceededException',
          throttle.message ?? 'Rate exceeded'
        )
      }

      for (const hook of hooks) await hook({ operation, ...labels })

      // Scripted faults come next: they stand for the network and the service's front door.
      const fault = faults.find(
        f => f.remaining > 0 && (f.operation === undefined || f.operation === operation)
      )
      if (fault) {
        fault.remaining--
        // `applied`: Amplify acts, and then its answer is lost with the connection.
        if ((fault.kind === 'reset' || fault.kind === 'hang') && fault.applied && operation && !auth.error) {
          try {
            if (!denial(operation, labels)) operations[operation]({ ...labels, query })
          } catch {
            // an error answer is lost the same way
          }
        }
        switch (fault.kind) {
          case 'reset':
            entry.status = 'reset'
            req.socket.destroy()
            return
          case 'hang':
            entry.status = 'hang' // never answer; close() destroys the socket if the client does not
            return
          case 'throttle':
            throw new ServiceError(429, 'LimitExceededException', fault.message ?? 'Rate exceeded')
          case 'internal':
            throw new ServiceError(
              500,
              'InternalFailureException',
              fault.message ?? 'An internal error occurred.'
            )
          case 'error':
            throw new ServiceError(fault.status, fault.errorType, fault.message ?? fault.errorType)
        }
      }

      if (auth.error) throw auth.error
      if (!operation)
        throw new ServiceError(404, 'UnknownOperationException', `Unknown operation: ${method} ${rawPath}`)
      const denied = denial(operation, labels)
      if (denied) throw denied
      await send(200, operations[operation]({ ...labels, query }))
    } catch (error) {
      if (error instanceof ServiceError) await send(error.status, { message: error.message }, error.type)
      else
        await send(
          500,
          { message: `Local Amplify server error: ${String(error)}` },
          'InternalFailureException'
        )
    }
  }

  /** Resolves true after `ms`, or false at once when close() cancels the wait. */
  function delay(ms: number): Promise<boolean> {
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        delays.delete(timer)
        resolve(true)
      }, ms)
      timer.unref()
      delays.set(timer, resolve)
    })
  }

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handle)
    : http.createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    region,
    requests,
    get peakInFlight() {
      return peakInFlight
    },
    get throttledCount() {
      return throttledCount
    },
    setThrottle,
    addApp(appId, meta) {
      addApp(appId, meta)
    },
    addJob,
    addJobs(appId, branchName, count, seed = {}) {
      return Array.from({ length: count }, (_, i) =>
        addJob(appId, branchName, typeof seed === 'function' ? seed(i) : seed)
      )
    },
    getJob,
    setJobStatus,
    deleteBranch(appId, branchName) {
      apps.get(appId)?.branches.delete(branchName)
    },
    jobArn,
    onRequest(hook) {
      hooks.push(hook)
      return () => remove(hooks, hook)
    },
    addFault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 })
    },
    deny(operation, scope = {}) {
      const entry = { operation, ...scope }
      denials.push(entry)
      return () => remove(denials, entry)
    },
    requestsFor(operation) {
      return requests.filter(r => r.operation === operation)
    },
    clearRequests() {
      requests.length = 0
      peakInFlight = inFlight // the peak starts again from what is still in flight
      throttledCount = 0
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const [timer, resolve] of delays) {
        clearTimeout(timer)
        resolve(false)
      }
      delays.clear()
      const closed = new Promise(resolve => server.close(() => resolve(undefined)))
      server.closeAllConnections() // also drops keep-alive and hanging sockets, so close() never waits on them
      await closed
      for (const end of ends) end() // their sockets are destroyed; 'close' may not have been emitted yet
    }
  }
}
