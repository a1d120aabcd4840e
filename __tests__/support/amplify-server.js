// @ts-check
/**
 * A local, in-memory stand-in for the Amplify Hosting API (service model amplify/2017-07-25, rest-json),
 * for tests, the demo and benchmarks. It is never bundled into dist.
 *
 * It serves the operations the action uses (StopJob, ListJobs, GetJob, GetBranch, ListBranches, ListApps)
 * the way the real service answers them: same routes, same error headers and bodies, epoch-second
 * timestamps, and real SigV4 verification, so the real AmplifyClient can be pointed at it unchanged.
 * Tests can seed apps, branches and jobs, script faults (throttling, 500s, resets, hangs, any error),
 * deny operations the way IAM does, add latency, hook into every request, and read a log of what the
 * client sent and how many requests were in flight at once.
 *
 * Plain JavaScript (ESM + JSDoc) so `node` can import it with no build step; TypeScript callers get the
 * hand-written amplify-server.d.ts beside it.
 */
import { Buffer } from 'node:buffer'
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { clearTimeout, setTimeout } from 'node:timers'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

/** @typedef {import('./amplify-server.js').Operation} Operation */
/** @typedef {import('./amplify-server.js').StoredJob} StoredJob */
/** @typedef {import('./amplify-server.js').JobSeed} JobSeed */
/** @typedef {import('./amplify-server.js').AppMeta} AppMeta */
/** @typedef {import('./amplify-server.js').BranchMeta} BranchMeta */
/** @typedef {import('./amplify-server.js').FaultSpec} FaultSpec */
/** @typedef {import('./amplify-server.js').LoggedRequest} LoggedRequest */
/** @typedef {import('./amplify-server.js').RequestHook} RequestHook */
/** @typedef {import('./amplify-server.js').AmplifyServerOptions} AmplifyServerOptions */
/** @typedef {import('./amplify-server.js').AmplifyServer} AmplifyServer */

/**
 * Fake static credentials the server accepts by default; give them to the client under test.
 * Not frozen: the SDK writes a `$source` property onto the credentials object it is given.
 */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDLOCALTEST0000000',
  secretAccessKey: 'local-test-secret-key-not-a-real-one'
}

export const IN_PROGRESS_STATUSES = Object.freeze(['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING'])
export const FINAL_STATUSES = Object.freeze(['SUCCEED', 'FAILED', 'CANCELLED'])
/** The repository seeded apps are connected to: the one the action runner's GITHUB_REPOSITORY names. */
export const DEFAULT_REPOSITORY = 'https://github.com/octo-org/octo-site'

const SERVICE = 'amplify'
const MAX_RESULTS_LIMIT = 50
// ListApps' model has allowed up to 100 per page; its default page stays 50 whatever defaultPageSize says.
const APPS_MAX_RESULTS_LIMIT = 100
const APPS_DEFAULT_PAGE_SIZE = 50
const APP_ID_PATTERN = /^d[a-z0-9]+$/
// Seeded jobs get fixed timestamps (minute N after this instant for job N) so output is deterministic.
const SEED_EPOCH_MS = Date.UTC(2025, 0, 1)
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/** A service error as Amplify sends it: HTTP status + `x-amzn-ErrorType` + `{"message"}`. */
class ServiceError extends Error {
  /** @param {number} status @param {string} type @param {string} message */
  constructor(status, type, message) {
    super(message)
    this.status = status
    this.type = type
  }
}

const badRequest = (/** @type {string} */ message) => new ServiceError(400, 'BadRequestException', message)
const notFound = (/** @type {string} */ message) => new ServiceError(404, 'NotFoundException', message)

/** SHA-256 hash/HMAC with the interface @smithy/signature-v4 expects (no @smithy/hash-node installed). */
class Sha256 {
  /** @param {import('@smithy/types').SourceData} [secret] */
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret))
  }
  /** @param {import('@smithy/types').SourceData} data */
  update(data) {
    this.hash.update(toBuffer(data))
  }
  async digest() {
    return new Uint8Array(this.hash.digest())
  }
}

/** @param {import('@smithy/types').SourceData} data */
function toBuffer(data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}

/** Job ids are digit strings of any length, so compare them as BigInts. */
const compareIds = (/** @type {string} */ a, /** @type {string} */ b) => {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const epochSeconds = (/** @type {Date | undefined} */ date) => (date ? date.getTime() / 1000 : undefined)

/** Decode a URL component, keeping the raw text when it is not valid percent-encoding. */
function decode(/** @type {string} */ text) {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Parse a raw query string into decoded values; a repeated key becomes an array (as SigV4 expects). */
function parseQuery(/** @type {string} */ raw) {
  /** @type {Record<string, string | string[]>} */
  const query = {}
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

/** The SDK's `amz-sdk-request: attempt=N; max=M` header: N, or undefined when absent. */
function attemptOf(/** @type {string | string[] | undefined} */ header) {
  const match = /\battempt=(\d+)/.exec(String(header ?? ''))
  return match ? Number(match[1]) : undefined
}

function checkLatency(/** @type {number} */ ms) {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`latencyMs must be a finite number >= 0, got ${ms}`)
  return ms
}

/**
 * Match a raw path against the service model's routes. Labels are matched on the still-encoded
 * segments (so `feature%2Flogin` stays one segment) and then decoded.
 * @returns {{ operation: Operation | null, appId?: string, branchName?: string, jobId?: string }}
 */
function route(/** @type {string} */ method, /** @type {string} */ rawPath) {
  const s = rawPath.split('/').slice(1)
  if (s[0] !== 'apps') return { operation: null }
  if (s.length === 1) return { operation: method === 'GET' ? 'ListApps' : null }
  if (s.length === 3 && s[2] === 'branches' && s[1]) {
    return method === 'GET' ? { operation: 'ListBranches', appId: decode(s[1]) } : { operation: null }
  }
  if (s[2] !== 'branches' || !s[1] || !s[3]) return { operation: null }
  const labels = { appId: decode(s[1]), branchName: decode(s[3]) }
  if (s.length === 4 && method === 'GET') return { operation: 'GetBranch', ...labels }
  if (s[4] !== 'jobs') return { operation: null }
  if (s.length === 5 && method === 'GET') return { operation: 'ListJobs', ...labels }
  if (!s[5]) return { operation: null }
  const jobId = decode(s[5])
  if (s.length === 6 && method === 'GET') return { operation: 'GetJob', ...labels, jobId }
  if (s.length === 7 && s[6] === 'stop' && method === 'DELETE') {
    return { operation: 'StopJob', ...labels, jobId }
  }
  return { operation: null }
}

/**
 * @param {AmplifyServerOptions} [options]
 * @returns {Promise<AmplifyServer>}
 */
export async function startAmplifyServer(options = {}) {
  const region = options.region ?? 'us-east-1'
  const accountId = options.accountId ?? '123456789012'
  const credentials = options.credentials ?? TEST_CREDENTIALS
  const cancelDelayMs = options.cancelDelayMs ?? 200
  const defaultPageSize = options.defaultPageSize ?? MAX_RESULTS_LIMIT
  const newestFirst = (options.listOrder ?? 'newest-first') === 'newest-first'
  const verifySignatures = options.verifySignatures ?? true
  let latencyMs = checkLatency(options.latencyMs ?? 0)

  /**
   * @typedef {{ branchName: string, stage: string, createTime: Date, seq: number,
   *   jobs: Map<string, StoredJob>, nextId: bigint, sorted: StoredJob[] | null }} Branch
   * `sorted` caches the jobs in listing order (rebuilt lazily after a change) so paging a branch with
   * thousands of jobs costs one sort plus a binary search per page.
   * @typedef {{ appId: string, name?: string, repository?: string, platform?: string, createTime: Date,
   *   seq: number, branches: Map<string, Branch> }} App
   * `seq` numbers apps and branches in creation order: list tokens carry it, so a page boundary survives
   * apps or branches added or deleted between pages. Maps iterate in insertion order, i.e. by seq.
   */
  /** @type {Map<string, App>} appId -> app */
  const apps = new Map()
  let seq = 0
  /** @type {LoggedRequest[]} */
  const requests = []
  /** @type {RequestHook[]} */
  const hooks = []
  /** @type {Array<FaultSpec & { remaining: number }>} */
  const faults = []
  /** @type {Array<{ operation: Operation, appId?: string, branchName?: string }>} */
  const denials = []
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  /** Latency waits in progress, so close() can cancel them and let their handlers finish. */
  /** @type {Map<NodeJS.Timeout, (sent: boolean) => void>} */
  const delays = new Map()
  let inFlight = 0
  let peakInFlight = 0
  /** How to end each request still in flight, so close() leaves inFlight at 0 without waiting on sockets. */
  /** @type {Set<() => void>} */
  const ends = new Set()

  const signer = new SignatureV4({
    service: SERVICE,
    region,
    credentials,
    sha256: Sha256,
    uriEscapePath: true, // every service but S3 double-escapes the path, and so does the SDK
    applyChecksum: false // only sign x-amz-content-sha256 if the client signed it
  })

  const appArn = (/** @type {string} */ appId) => `arn:aws:amplify:${region}:${accountId}:apps/${appId}`
  const branchArn = (/** @type {string} */ appId, /** @type {string} */ branchName) =>
    `${appArn(appId)}/branches/${branchName}`
  const jobArn = (
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {string} */ jobId
  ) => `${branchArn(appId, branchName)}/jobs/${jobId.padStart(10, '0')}`

  // ---- state -----------------------------------------------------------------------------------------

  /** @returns {App} */
  function addApp(/** @type {string} */ appId, /** @type {AppMeta} */ meta = {}) {
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
        platform: 'WEB',
        createTime: new Date(SEED_EPOCH_MS),
        seq: seq++,
        branches: new Map()
      }
      apps.set(appId, app)
    }
    // Only the keys given change; an explicit `undefined` leaves the field out of the App on the wire.
    for (const key of /** @type {const} */ (['name', 'repository', 'platform'])) {
      if (key in meta) app[key] = meta[key]
    }
    return app
  }

  /** @returns {Branch} */
  function ensureBranch(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {BranchMeta} */ meta = {}
  ) {
    const { branches } = addApp(appId)
    let branch = branches.get(branchName)
    if (!branch) {
      if (branchName.length < 1 || branchName.length > 255) {
        throw new Error('branchName must be 1-255 characters')
      }
      branch = {
        branchName,
        stage: 'NONE', // what the service reports for a branch given no stage
        createTime: new Date(SEED_EPOCH_MS),
        seq: seq++,
        jobs: new Map(),
        nextId: 1n,
        sorted: null
      }
      branches.set(branchName, branch)
    }
    if (meta.stage !== undefined) branch.stage = meta.stage
    return branch
  }

  /** @returns {StoredJob} */
  function addJob(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {JobSeed} */ seed = {}
  ) {
    const branch = ensureBranch(appId, branchName)
    const jobId = seed.jobId ?? String(branch.nextId)
    if (!/^\d{1,255}$/.test(jobId)) {
      throw new Error(`jobId must be 1-255 digits, got ${JSON.stringify(jobId)}`)
    }
    if (branch.jobs.has(jobId)) throw new Error(`Job ${jobId} already exists on ${appId}/${branchName}`)
    if ('startTime' in seed && seed.startedSecondsAgo !== undefined) {
      throw new Error('Give startTime or startedSecondsAgo, not both')
    }
    if (seed.startedSecondsAgo !== undefined && !Number.isFinite(seed.startedSecondsAgo)) {
      throw new Error(`startedSecondsAgo must be a finite number, got ${seed.startedSecondsAgo}`)
    }
    const minute = Number(BigInt(jobId) % 1_000_000n) // keeps huge ids on a valid date
    // The default commit and end times hang off this even when startTime itself is left out.
    const nominalStart =
      seed.startTime ??
      (seed.startedSecondsAgo !== undefined
        ? new Date(Date.now() - seed.startedSecondsAgo * 1000)
        : new Date(SEED_EPOCH_MS + minute * 60_000))
    const startTime = 'startTime' in seed ? seed.startTime : nominalStart
    const status = seed.status ?? 'RUNNING'
    /** @type {StoredJob} */
    const job = {
      jobId,
      status,
      // An explicit `undefined` leaves the field out, as manual deployments do.
      commitId:
        'commitId' in seed
          ? seed.commitId
          : createHash('sha1').update(`${appId}/${branchName}/${jobId}`).digest('hex'),
      commitMessage: 'commitMessage' in seed ? seed.commitMessage : `Commit ${jobId}`,
      commitTime: 'commitTime' in seed ? seed.commitTime : new Date(nominalStart.getTime() - 30_000),
      startTime,
      endTime:
        seed.endTime ??
        (FINAL_STATUSES.includes(status) ? new Date(nominalStart.getTime() + 300_000) : undefined),
      jobType: seed.jobType ?? 'WEB_HOOK'
    }
    if (seed.sourceUrl !== undefined) job.sourceUrl = seed.sourceUrl
    if (seed.sourceUrlType !== undefined) job.sourceUrlType = seed.sourceUrlType
    branch.jobs.set(jobId, job)
    if (BigInt(jobId) >= branch.nextId) branch.nextId = BigInt(jobId) + 1n
    branch.sorted = null
    return job
  }

  /** @returns {StoredJob[]} */
  function addJobs(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {number} */ count,
    /** @type {JobSeed | ((index: number) => JobSeed)} */ seed = {}
  ) {
    const jobs = []
    for (let i = 0; i < count; i++) {
      jobs.push(addJob(appId, branchName, typeof seed === 'function' ? seed(i) : seed))
    }
    return jobs
  }

  function getJob(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {string} */ jobId
  ) {
    const job = apps.get(appId)?.branches.get(branchName)?.jobs.get(jobId)
    if (!job) throw new Error(`No job ${jobId} on ${appId}/${branchName}`)
    return job
  }

  function setJobStatus(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {string} */ jobId,
    /** @type {string} */ status
  ) {
    const job = getJob(appId, branchName, jobId)
    job.status = status
    if (FINAL_STATUSES.includes(status)) job.endTime ??= new Date()
    else delete job.endTime
    return job
  }

  function deleteBranch(/** @type {string} */ appId, /** @type {string} */ branchName) {
    apps.get(appId)?.branches.delete(branchName)
  }

  /** Jobs in listing order, cached until the branch changes. */
  function sortedJobs(/** @type {Branch} */ branch) {
    branch.sorted ??= [...branch.jobs.values()].sort((a, b) =>
      newestFirst ? compareIds(b.jobId, a.jobId) : compareIds(a.jobId, b.jobId)
    )
    return branch.sorted
  }

  // ---- wire format -----------------------------------------------------------------------------------

  function jobSummary(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {StoredJob} */ job
  ) {
    return {
      jobArn: jobArn(appId, branchName, job.jobId),
      jobId: job.jobId,
      commitId: job.commitId,
      commitMessage: job.commitMessage,
      commitTime: epochSeconds(job.commitTime),
      startTime: epochSeconds(job.startTime),
      status: job.status,
      endTime: epochSeconds(job.endTime),
      jobType: job.jobType,
      sourceUrl: job.sourceUrl,
      sourceUrlType: job.sourceUrlType
    }
  }

  function appShape(/** @type {App} */ app) {
    return {
      appId: app.appId,
      appArn: appArn(app.appId),
      name: app.name,
      description: '',
      repository: app.repository,
      platform: app.platform,
      createTime: epochSeconds(app.createTime),
      updateTime: epochSeconds(app.createTime),
      environmentVariables: {},
      defaultDomain: `${app.appId}.amplifyapp.com`,
      enableBranchAutoBuild: true,
      enableBasicAuth: false
    }
  }

  function branchShape(/** @type {string} */ appId, /** @type {Branch} */ branch) {
    const jobs = sortedJobs(branch)
    const newest = newestFirst ? jobs[0] : jobs[jobs.length - 1]
    // A CANCELLING job still occupies the branch, so it counts as active like the in-progress ones.
    const active = (newestFirst ? jobs : [...jobs].reverse()).find(
      job => !FINAL_STATUSES.includes(job.status)
    )
    const { branchName } = branch
    return {
      branchArn: branchArn(appId, branchName),
      branchName,
      description: '',
      stage: branch.stage,
      displayName: branchName.replaceAll('/', '-'),
      enableNotification: false,
      createTime: epochSeconds(branch.createTime),
      updateTime: epochSeconds(branch.createTime),
      environmentVariables: {},
      enableAutoBuild: true,
      customDomains: [],
      framework: '',
      activeJobId: (active ?? newest)?.jobId,
      totalNumberOfJobs: String(branch.jobs.size),
      enableBasicAuth: false,
      ttl: '5',
      enablePullRequestPreview: false
    }
  }

  /** The app named by a request's appId label: 400 if malformed, 404 if unknown. */
  function lookupApp(/** @type {string} */ appId) {
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

  /** @param {{ appId?: string, branchName?: string, jobId?: string }} labels */
  function lookup({ appId = '', branchName = '', jobId }) {
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
    const job = jobId === undefined ? undefined : branch.jobs.get(jobId)
    if (jobId !== undefined && !job) throw notFound(`Job not found: ${jobId}`)
    return { appId, branchName, branch, job: /** @type {StoredJob} */ (job) }
  }

  // ---- operations ------------------------------------------------------------------------------------

  /**
   * @typedef {{ appId?: string, branchName?: string, jobId?: string, query: Record<string, string | string[]> }} OperationInput
   * @type {Record<Operation, (input: OperationInput) => object>}
   */
  const operations = {
    StopJob(labels) {
      const { appId, branchName, job } = lookup(labels)
      if (FINAL_STATUSES.includes(job.status)) {
        throw badRequest(`Job ${job.jobId} is already in ${job.status} state and cannot be stopped.`)
      }
      // Not documented: stopping a job that is already CANCELLING. We answer 200 with its summary and
      // leave it CANCELLING (the first stop's timer finishes it), i.e. StopJob is idempotent until final.
      if (job.status !== 'CANCELLING') {
        job.status = 'CANCELLING'
        if (cancelDelayMs !== Infinity) {
          const timer = setTimeout(() => {
            timers.delete(timer)
            // Mutate the job directly: its branch may have been deleted meanwhile.
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
      const jobs = sortedJobs(branch)
      let start = 0
      const token = labels.query.nextToken
      if (token !== undefined && token !== '') {
        const after = decodeToken(token, appId, branchName)
        // First job listed after the cursor; binary search keeps each page O(log n + pageSize).
        let lo = 0
        let hi = jobs.length
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          const order = compareIds(jobs[mid].jobId, after)
          if (newestFirst ? order < 0 : order > 0) hi = mid
          else lo = mid + 1
        }
        start = lo
      }
      const page = jobs.slice(start, start + pageSize)
      const more = start + pageSize < jobs.length
      return {
        jobSummaries: page.map(job => jobSummary(appId, branchName, job)),
        nextToken: more ? encodeToken(appId, branchName, page[page.length - 1].jobId) : undefined
      }
    },

    GetJob(labels) {
      const { appId, branchName, job } = lookup(labels)
      return { job: { summary: jobSummary(appId, branchName, job), steps: [] } }
    },

    GetBranch(labels) {
      const { appId, branch } = lookup(labels)
      return { branch: branchShape(appId, branch) }
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

  /**
   * One page of apps or branches in creation order. The token carries the seq of the last item listed
   * plus `scope` (which list it belongs to), so a token is only accepted by the list that issued it.
   * @template {{ seq: number }} T
   * @param {T[]} items in seq order
   * @param {number} pageSize
   * @param {string | string[] | undefined} token
   * @param {{ list: string, appId?: string }} scope
   */
  function pageBySeq(items, pageSize, token, scope) {
    let start = 0
    if (token !== undefined && token !== '') {
      const after = decodeSeqToken(token, scope)
      start = items.findIndex(item => item.seq > after)
      if (start < 0) start = items.length
    }
    const page = items.slice(start, start + pageSize)
    const more = start + pageSize < items.length
    const nextToken = more
      ? Buffer.from(JSON.stringify({ ...scope, after: page[page.length - 1].seq })).toString('base64url')
      : undefined
    return { page, nextToken }
  }

  function decodeSeqToken(
    /** @type {string | string[]} */ token,
    /** @type {{ list: string, appId?: string }} */ scope
  ) {
    try {
      const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'))
      if (parsed.list === scope.list && parsed.appId === scope.appId && Number.isSafeInteger(parsed.after)) {
        return /** @type {number} */ (parsed.after)
      }
    } catch {
      // fall through to the error below
    }
    throw badRequest('Invalid nextToken provided.')
  }

  function parseMaxResults(
    /** @type {string | string[] | undefined} */ raw,
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

  /** Tokens are opaque to clients; ours carry the last listed job id and the branch they belong to. */
  function encodeToken(
    /** @type {string} */ appId,
    /** @type {string} */ branchName,
    /** @type {string} */ after
  ) {
    return Buffer.from(JSON.stringify({ appId, branchName, after })).toString('base64url')
  }

  function decodeToken(
    /** @type {string | string[]} */ token,
    /** @type {string} */ appId,
    /** @type {string} */ branchName
  ) {
    try {
      const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'))
      if (parsed.appId === appId && parsed.branchName === branchName && /^\d+$/.test(parsed.after)) {
        return /** @type {string} */ (parsed.after)
      }
    } catch {
      // fall through to the error below
    }
    throw badRequest('Invalid nextToken provided.')
  }

  // ---- SigV4 -----------------------------------------------------------------------------------------

  /**
   * Verify the Authorization header by recomputing the signature from what arrived on the wire.
   * @returns {Promise<{ signature: 'valid' | 'invalid' | 'missing', error?: ServiceError }>}
   */
  async function checkSignature(
    /** @type {http.IncomingMessage} */ req,
    /** @type {string} */ rawPath,
    /** @type {Record<string, string | string[]>} */ query,
    /** @type {Buffer} */ body
  ) {
    const header = req.headers.authorization
    if (!header) {
      return {
        signature: 'missing',
        error: new ServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
      }
    }
    /** @param {string} type @param {string} message */
    const invalid = (type, message) => ({
      signature: /** @type {const} */ ('invalid'),
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
    if (accessKeyId !== credentials.accessKeyId) {
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
    /** @type {Record<string, string>} */
    const headers = {}
    for (const name of signedNames) {
      const value = req.headers[name]
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value
    }
    // The signed payload hash must be the hash of the body that actually arrived.
    if (headers['x-amz-content-sha256'] !== undefined) {
      headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex')
    }
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`
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

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function handle(req, res) {
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q)
    const query = parseQuery(q < 0 ? '' : rawUrl.slice(q + 1))
    const method = req.method ?? 'GET'
    const { operation, appId, branchName, jobId } = route(method, rawPath)
    /** @type {LoggedRequest} */
    const entry = {
      operation,
      method,
      path: rawPath,
      query,
      appId,
      branchName,
      jobId,
      status: 'pending',
      signature: req.headers.authorization ? 'invalid' : 'missing',
      time: Date.now(),
      userAgent: req.headers['user-agent'],
      attempt: attemptOf(req.headers['amz-sdk-request'])
    }
    requests.push(entry) // logged on arrival, so the log keeps the order requests came in

    // In flight until the response is finished or the socket goes (reset, hang given up, close()).
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

    /** When the response may go out: set once the body is read, so slow uploads do not eat the latency. */
    let due = 0

    /** @param {number} status @param {object} payload @param {string} [errorType] */
    const send = async (status, payload, errorType) => {
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
      /** @type {Buffer[]} */
      const chunks = []
      for await (const chunk of req) chunks.push(chunk)
      const body = Buffer.concat(chunks)
      due = Date.now() + latencyMs
      // Verified up front so the log shows the signature of every request, even faulted ones.
      const auth = await checkSignature(req, rawPath, query, body)
      entry.signature = auth.signature

      for (const hook of hooks) await hook({ operation, appId, branchName, jobId })

      // Scripted faults come first: they stand for the network and the service's front door.
      const fault = faults.find(
        f => f.remaining > 0 && (f.operation === undefined || f.operation === operation)
      )
      if (fault) {
        fault.remaining--
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

      if (auth.error && verifySignatures) throw auth.error

      if (!operation) {
        throw new ServiceError(404, 'UnknownOperationException', `Unknown operation: ${method} ${rawPath}`)
      }

      const denied = denials.find(
        d =>
          d.operation === operation &&
          (d.appId === undefined || d.appId === appId) &&
          (d.branchName === undefined || d.branchName === branchName)
      )
      if (denied) {
        const resource =
          operation === 'ListApps'
            ? appArn('*')
            : operation === 'ListBranches'
              ? appArn(appId ?? '')
              : jobId === undefined
                ? branchArn(appId ?? '', branchName ?? '')
                : jobArn(appId ?? '', branchName ?? '', jobId)
        throw new ServiceError(
          403,
          'AccessDeniedException',
          `User: arn:aws:sts::${accountId}:assumed-role/local-test/session is not authorized to perform: ` +
            `amplify:${operation} on resource: ${resource}`
        )
      }

      await send(200, operations[operation]({ appId, branchName, jobId, query }))
    } catch (error) {
      if (error instanceof ServiceError) await send(error.status, { message: error.message }, error.type)
      else {
        await send(
          500,
          { message: `Local Amplify server error: ${String(error)}` },
          'InternalFailureException'
        )
      }
    }
  }

  /** Resolves true after `ms`, or false at once when close() cancels the wait. */
  function delay(/** @type {number} */ ms) {
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
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    region,
    accountId,
    requests,
    get inFlight() {
      return inFlight
    },
    get peakInFlight() {
      return peakInFlight
    },
    setLatency(ms) {
      latencyMs = checkLatency(ms)
    },
    addApp(appId, meta) {
      addApp(appId, meta)
    },
    addBranch(appId, branchName, meta) {
      ensureBranch(appId, branchName, meta)
    },
    addJob,
    addJobs,
    getJob,
    setJobStatus,
    deleteBranch,
    appArn,
    branchArn,
    jobArn,
    onRequest(fn) {
      hooks.push(fn)
      return () => {
        const i = hooks.indexOf(fn)
        if (i >= 0) hooks.splice(i, 1)
      }
    },
    addFault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 })
    },
    deny(operation, scope = {}) {
      const denial = { operation, ...scope }
      denials.push(denial)
      return () => {
        const i = denials.indexOf(denial)
        if (i >= 0) denials.splice(i, 1)
      }
    },
    requestsFor(operation) {
      return requests.filter(r => r.operation === operation)
    },
    clearRequests() {
      requests.length = 0
      peakInFlight = inFlight // the peak starts again from what is still in flight
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
