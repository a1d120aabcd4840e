import * as core from '@actions/core'
import { InputError } from './errors.js'
import type { BranchRef } from './jobs.js'
import { inputMessages as say } from './messages.js'
import { coversSeveral } from './plan.js'
import { hasLineBreaking } from './text.js'

export type IfNoJob = 'warn' | 'ignore' | 'fail'

/** Which apps to act on: these ids, in the order given, or every app connected to this repository. */
export type AppSelection = { kind: 'ids'; ids: string[] } | { kind: 'repository'; url: string }

/** Which branches of each app: these names, in the order given, or every branch. */
export type BranchSelection = { kind: 'names'; names: string[] } | { kind: 'all' }

/** Everything the action needs to know, read and validated once, before any request. */
export interface Settings {
  /** Amplify apps, e.g. `d1a2b3c4d5e6f7`. Exactly one id when jobId is set. */
  apps: AppSelection
  /** Amplify branches, exactly as Amplify knows them (names may contain slashes). One name when jobId is set. */
  branches: BranchSelection
  /** Where the branch name came from, for the log. */
  branchSource: 'input' | 'pull-request' | 'ref' | 'job-arn'
  /** Stop exactly this job (digits, no leading zeros from an ARN); undefined means discover in-progress jobs. */
  jobId?: string
  /** What to do when discovery finds nothing in progress anywhere. */
  ifNoJob: IfNoJob
  /** AWS region of the apps. */
  region: string
  /** Poll until every job acted on has reached a final state. */
  wait: boolean
  /** The longest the wait may take, in seconds. */
  waitTimeoutSeconds: number
  /** Discovery only: leave the newest in-progress job of each branch running. */
  keepNewest: boolean
  /** Discovery only: act only on jobs building a commit that starts with this (lower-case hex). */
  commitId?: string
  /** Discovery only: act only on jobs that started at least this many seconds ago. */
  olderThanSeconds?: number
  /** Decide and report, but send no StopJob. */
  dryRun: boolean
}

/** The parts of the workflow event that can name a branch. */
export interface EventContext {
  eventName: string
  ref: string
  /** `pull_request.head.ref` of a pull_request or pull_request_target payload. */
  pullRequestHeadRef?: string
}

export type InputReader = (name: string) => string

export const MAX_WAIT_TIMEOUT_SECONDS = 21600 // a job's six-hour limit
const DEFAULT_WAIT_TIMEOUT_SECONDS = 300
const MAX_OLDER_THAN_SECONDS = 30 * 86400

const EVERY = '*'
const APP_ID = /^d[a-z0-9]{1,19}$/ // Amplify's pattern d[a-z0-9]+: a bare d is no app id
const JOB_ID = /^[0-9]{1,255}$/
// The branch is what stands between /branches/ and the last /jobs/: Amplify writes branch names unencoded.
const JOB_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):amplify:([^:]*):([^:]*):apps\/([^/]*)\/branches\/(.+)\/jobs\/([0-9]{1,255})$/
const COMMIT_ID = /^[0-9a-f]{7,64}$/i
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/
const OLDER_THAN = /^(?:(\d{1,7})d)?(?:(\d{1,7})h)?(?:(\d{1,7})m)?(?:(\d{1,7})s)?$/
// Half of a surrogate pair alone (from a JSON event payload) is no character, and no URL can encode it.
const LONE_SURROGATE = /\p{Cs}/u
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])
const YAML_TRUE = ['true', 'True', 'TRUE']
const YAML_FALSE = ['false', 'False', 'FALSE']

/**
 * Reads every input into Settings, or throws an InputError that names the input and its accepted form.
 * The event is loaded only when no branch name is given, since loading it costs start-up time.
 */
export async function parseSettings(
  readInput: InputReader,
  env: NodeJS.ProcessEnv,
  loadEvent: () => Promise<EventContext>
): Promise<Settings> {
  const appInput = readAliased(readInput, 'app-id', 'appId')
  const branchInput = readAliased(readInput, 'branch-name', 'branchName')
  const jobInput = readAliased(readInput, 'job-id', 'jobId')
  const commitInput = readInput('commit-id')
  const olderThanInput = readInput('older-than')
  const regionInput = readInput('aws-region')

  // A job ARN names the app, branch and region itself; inputs that name them too must agree with it.
  const arn = jobInput.startsWith('arn:') ? parseJobArn(jobInput) : undefined
  if (arn) {
    if (appInput !== '') agreeWithArn('app-id', appInput, parseApps(appInput, env), arn.appId)
    if (branchInput !== '')
      agreeWithArn('branch-name', branchInput, parseBranches(branchInput), arn.branchName)
    if (regionInput !== '' && regionInput !== arn.region)
      throw new InputError('aws-region', say.disagreesWithArn('aws-region', regionInput, arn.region))
  }
  const apps: AppSelection = arn ? { kind: 'ids', ids: [arn.appId] } : parseApps(appInput, env)
  if (arn === undefined && jobInput !== '' && !JOB_ID.test(jobInput))
    throw new InputError('job-id', say.notAJobId(jobInput))
  if (commitInput !== '' && !COMMIT_ID.test(commitInput))
    throw new InputError('commit-id', say.notACommit(commitInput))
  const olderThanSeconds = olderThanInput === '' ? undefined : parseOlderThan(olderThanInput)
  const ifNoJob = parseIfNoJob(readInput('if-no-job'))
  const wait = parseBoolean(readInput, 'wait')
  const waitTimeoutSeconds = parseWaitTimeout(readInput('wait-timeout'))
  const keepNewest = parseBoolean(readInput, 'keep-newest')
  const dryRun = parseBoolean(readInput, 'dry-run')
  const region = arn ? arn.region : parseRegion(regionInput, env)
  const jobId = arn ? arn.jobId : jobInput === '' ? undefined : jobInput
  if (jobId !== undefined) {
    if (keepNewest) throw new InputError('keep-newest', say.onlyForDiscovery('keep-newest'))
    if (commitInput !== '') throw new InputError('commit-id', say.onlyForDiscovery('commit-id'))
    if (olderThanSeconds !== undefined) throw new InputError('older-than', say.onlyForDiscovery('older-than'))
  }

  let branches: BranchSelection = arn
    ? { kind: 'names', names: [arn.branchName] }
    : branchInput !== ''
      ? parseBranches(branchInput)
      : { kind: 'names', names: [] } // from the event, loaded only once every input has passed
  if (jobId !== undefined && coversSeveral({ apps, branches }))
    throw new InputError('job-id', say.jobIdWithSeveral())
  let branchSource: Settings['branchSource'] = arn ? 'job-arn' : 'input'
  if (branches.kind === 'names' && branches.names.length === 0) {
    const fromEvent = branchFromEvent(await loadEvent())
    validateBranchName(fromEvent.branchName)
    branches = { kind: 'names', names: [fromEvent.branchName] }
    branchSource = fromEvent.branchSource
  }

  return {
    apps,
    branches,
    branchSource,
    jobId,
    ifNoJob,
    region,
    wait,
    waitTimeoutSeconds,
    keepNewest,
    commitId: commitInput === '' ? undefined : commitInput.toLowerCase(),
    olderThanSeconds,
    dryRun
  }
}

/** The one app and branch of a run that covers one (always so with a job id). */
export function onlyBranch(settings: Pick<Settings, 'apps' | 'branches'>): BranchRef {
  return {
    appId: settings.apps.kind === 'ids' ? settings.apps.ids[0] : '',
    branchName: settings.branches.kind === 'names' ? settings.branches.names[0] : ''
  }
}

/** app-id: one id, several (commas, spaces or newlines between them), or * for this repository's apps. */
function parseApps(raw: string, env: NodeJS.ProcessEnv): AppSelection {
  const ids = unique(raw.split(/[\s,]+/).filter(id => id !== ''))
  if (ids.length === 0) throw new InputError('app-id', say.appIdRequired())
  if (ids.includes(EVERY)) {
    if (ids.length > 1) throw new InputError('app-id', say.everyAppMixed())
    if (!env.GITHUB_REPOSITORY) throw new InputError('app-id', say.noRepository())
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    return { kind: 'repository', url: `${server}/${env.GITHUB_REPOSITORY}` }
  }
  for (const id of ids) if (!APP_ID.test(id)) throw new InputError('app-id', say.notAnAppId(id))
  return { kind: 'ids', ids }
}

/** branch-name: one name, several (commas or newlines between them; spaces around a name trimmed), or *. */
function parseBranches(raw: string): BranchSelection {
  const names = unique(
    raw
      .split(/[,\n]/)
      .map(name => name.replace(/^[ \t\r]+|[ \t\r]+$/g, ''))
      .filter(name => name !== '')
  )
  if (names.length === 0) throw new InputError('branch-name', say.notABranchName(raw))
  if (names.includes(EVERY)) {
    if (names.length > 1) throw new InputError('branch-name', say.everyBranchMixed())
    return { kind: 'all' }
  }
  for (const name of names) {
    validateBranchName(name)
    // Mistakes with a known cause, caught before they become a confusing "branch not found".
    if (name.startsWith('refs/')) throw new InputError('branch-name', say.branchIsRef(name))
    if (name === 'pr-') throw new InputError('branch-name', say.previewWithoutNumber())
  }
  return { kind: 'names', names }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

interface JobArn {
  region: string
  appId: string
  branchName: string
  jobId: string
}

function parseJobArn(raw: string): JobArn {
  const match = JOB_ARN.exec(raw)
  if (!match || !REGION.test(match[2]) || !/^[0-9]{12}$/.test(match[3]) || !APP_ID.test(match[4]))
    throw new InputError('job-id', say.notAJobArn(raw))
  const [, , region, , appId, branchName, paddedId] = match
  if (branchName.length > 255 || hasLineBreaking(branchName) || LONE_SURROGATE.test(branchName))
    throw new InputError('job-id', say.notAJobArn(raw))
  return { region, appId, branchName, jobId: paddedId.replace(/^0+(?=.)/, '') }
}

/** An app-id or branch-name given beside a job ARN must name exactly what the ARN names. */
function agreeWithArn(
  input: string,
  raw: string,
  given: AppSelection | BranchSelection,
  fromArn: string
): void {
  const names = given.kind === 'ids' ? given.ids : given.kind === 'names' ? given.names : []
  if (names.length !== 1 || names[0] !== fromArn)
    throw new InputError(input, say.disagreesWithArn(input, raw, fromArn))
}

/** older-than: plain seconds, or d/h/m/s units in that order, each at most once; 1 s to 30 d. */
function parseOlderThan(raw: string): number {
  let seconds = NaN
  if (/^[0-9]{1,9}$/.test(raw)) seconds = Number(raw)
  else {
    const units = OLDER_THAN.exec(raw)
    if (units)
      seconds = [86400, 3600, 60, 1].reduce((sum, scale, i) => sum + Number(units[i + 1] ?? 0) * scale, 0)
  }
  if (seconds >= 1 && seconds <= MAX_OLDER_THAN_SECONDS) return seconds
  throw new InputError('older-than', say.notAnOlderThan(raw))
}

/** The branch a workflow run is about: the pull request's head branch, or the branch GITHUB_REF names. */
export function branchFromEvent(event: EventContext): {
  branchName: string
  branchSource: 'pull-request' | 'ref'
} {
  if (PULL_REQUEST_EVENTS.has(event.eventName)) {
    if (event.pullRequestHeadRef)
      return { branchName: event.pullRequestHeadRef, branchSource: 'pull-request' }
    throw new InputError('branch-name', say.noBranchInPullRequest(event.eventName))
  }
  if (event.ref.startsWith('refs/heads/')) {
    return { branchName: event.ref.slice('refs/heads/'.length), branchSource: 'ref' }
  }
  if (event.ref.startsWith('refs/tags/')) {
    throw new InputError('branch-name', say.branchFromTag(event.ref.slice('refs/tags/'.length)))
  }
  throw new InputError('branch-name', say.noBranchInEvent(event.ref))
}

function validateBranchName(branchName: string): void {
  if (
    branchName.length < 1 ||
    branchName.length > 255 ||
    hasLineBreaking(branchName) ||
    LONE_SURROGATE.test(branchName)
  ) {
    throw new InputError('branch-name', say.notABranchName(branchName))
  }
}

/** Reads an input that may also be spelled the StopJob API's way; both with different values is an error. */
function readAliased(readInput: InputReader, name: string, alias: string): string {
  const value = readInput(name)
  const aliased = readInput(alias)
  if (value !== '' && aliased !== '' && value !== aliased) {
    throw new InputError(name, say.aliasesDiffer(name, alias, value, aliased))
  }
  return value !== '' ? value : aliased
}

function parseIfNoJob(raw: string): IfNoJob {
  const value = raw === '' ? 'warn' : raw.toLowerCase()
  if (value === 'warn' || value === 'ignore' || value === 'fail') return value
  throw new InputError('if-no-job', say.notIfNoJob(raw))
}

/** The same accepted forms as @actions/core's getBooleanInput (YAML 1.2 core schema); empty means false, the default. */
function parseBoolean(readInput: InputReader, name: string): boolean {
  const raw = readInput(name)
  if (raw === '') return false
  if (YAML_TRUE.includes(raw)) return true
  if (YAML_FALSE.includes(raw)) return false
  throw new InputError(name, say.notABoolean(name, raw))
}

function parseWaitTimeout(raw: string): number {
  if (raw === '') return DEFAULT_WAIT_TIMEOUT_SECONDS
  const seconds = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN
  if (seconds >= 1 && seconds <= MAX_WAIT_TIMEOUT_SECONDS) return seconds
  throw new InputError('wait-timeout', say.notAWaitTimeout(raw, MAX_WAIT_TIMEOUT_SECONDS))
}

function parseRegion(raw: string, env: NodeJS.ProcessEnv): string {
  const [name, value] =
    raw !== ''
      ? ['aws-region', raw]
      : env.AWS_REGION
        ? ['AWS_REGION', env.AWS_REGION]
        : ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION ?? '']
  if (value === '') throw new InputError('aws-region', say.noRegion())
  if (!REGION.test(value)) throw new InputError('aws-region', say.notARegion(name, value))
  return value
}

/** Reads the step's inputs (the only getInput calls) and, only if needed, the workflow event. */
export async function readSettings(env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  return parseSettings(name => core.getInput(name), env, loadWorkflowEvent)
}

/** @actions/github parses the event payload and brings Octokit with it, so it is loaded only here. */
async function loadWorkflowEvent(): Promise<EventContext> {
  const { context } = await import('@actions/github')
  const head: unknown = context.payload.pull_request?.head
  const ref = typeof head === 'object' && head !== null ? (head as { ref?: unknown }).ref : undefined
  return {
    eventName: context.eventName ?? '',
    ref: context.ref ?? '',
    pullRequestHeadRef: typeof ref === 'string' ? ref : undefined
  }
}
