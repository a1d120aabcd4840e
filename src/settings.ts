import * as core from '@actions/core'
import { InputError } from './errors.js'

export type IfNoJob = 'warn' | 'ignore' | 'fail'

/** Everything the action needs to know, read and validated once, before any request. */
export interface Settings {
  /** Amplify app id, e.g. `d1a2b3c4d5e6f7`. */
  appId: string
  /** Amplify branch name, exactly as Amplify knows it (may contain slashes). */
  branchName: string
  /** Where the branch name came from, for the log. */
  branchSource: 'input' | 'pull-request' | 'ref'
  /** Stop exactly this job; undefined means discover the branch's in-progress jobs. */
  jobId?: string
  /** What to do when discovery finds nothing in progress. */
  ifNoJob: IfNoJob
  /** AWS region of the app. */
  region: string
  /** Poll until every job acted on has reached a final state. */
  wait: boolean
  /** The longest the wait may take, in seconds. */
  waitTimeoutSeconds: number
  /** Discovery only: leave the newest in-progress job running. */
  keepNewest: boolean
  /** Discovery only: act only on jobs building a commit that starts with this (lower-case hex). */
  commitId?: string
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

const APP_ID = /^d[a-z0-9]{1,19}$/ // Amplify's pattern d[a-z0-9]+: a bare d is no app id
const JOB_ID = /^[0-9]{1,255}$/
const COMMIT_ID = /^[0-9a-f]{7,64}$/i
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/
// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
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
  const appId = readAliased(readInput, 'app-id', 'appId')
  const branchInput = readAliased(readInput, 'branch-name', 'branchName')
  const jobInput = readAliased(readInput, 'job-id', 'jobId')
  const commitInput = readInput('commit-id')

  if (appId === '')
    throw new InputError(
      'app-id',
      'Input app-id is required: set it to your Amplify app id (d followed by lower-case letters and digits, 20 characters at most, e.g. d1a2b3c4d5e6f7).'
    )
  if (!APP_ID.test(appId)) {
    throw new InputError(
      'app-id',
      `Input app-id ${quote(appId)} is not an Amplify app id: it must be d followed by lower-case letters and digits, 20 characters at most (e.g. d1a2b3c4d5e6f7).`
    )
  }
  if (jobInput !== '' && !JOB_ID.test(jobInput)) {
    throw new InputError(
      'job-id',
      `Input job-id ${quote(jobInput)} is not a job id: it must be digits only (e.g. 42), or empty to stop the branch's in-progress jobs.`
    )
  }
  if (commitInput !== '' && !COMMIT_ID.test(commitInput)) {
    throw new InputError(
      'commit-id',
      `Input commit-id ${quote(commitInput)} is not a commit: give a full SHA or a prefix of at least 7 hex characters.`
    )
  }
  const ifNoJob = parseIfNoJob(readInput('if-no-job'))
  const wait = parseBoolean(readInput, 'wait')
  const waitTimeoutSeconds = parseWaitTimeout(readInput('wait-timeout'))
  const keepNewest = parseBoolean(readInput, 'keep-newest')
  const dryRun = parseBoolean(readInput, 'dry-run')
  const region = parseRegion(readInput('aws-region'), env)
  const jobId = jobInput === '' ? undefined : jobInput
  if (jobId !== undefined && keepNewest) {
    throw new InputError(
      'keep-newest',
      'Input keep-newest selects among discovered jobs, so it cannot be combined with job-id: remove one of them.'
    )
  }
  if (jobId !== undefined && commitInput !== '') {
    throw new InputError(
      'commit-id',
      'Input commit-id selects among discovered jobs, so it cannot be combined with job-id: remove one of them.'
    )
  }

  let branchName = branchInput
  let branchSource: Settings['branchSource'] = 'input'
  if (branchName === '') {
    ;({ branchName, branchSource } = branchFromEvent(await loadEvent()))
  }
  validateBranchName(branchName)

  return {
    appId,
    branchName,
    branchSource,
    jobId,
    ifNoJob,
    region,
    wait,
    waitTimeoutSeconds,
    keepNewest,
    commitId: commitInput === '' ? undefined : commitInput.toLowerCase(),
    dryRun
  }
}

/** The branch a workflow run is about: the pull request's head branch, or the branch GITHUB_REF names. */
export function branchFromEvent(event: EventContext): Pick<Settings, 'branchName' | 'branchSource'> {
  if (PULL_REQUEST_EVENTS.has(event.eventName)) {
    if (event.pullRequestHeadRef)
      return { branchName: event.pullRequestHeadRef, branchSource: 'pull-request' }
    throw new InputError(
      'branch-name',
      `Input branch-name is empty and the ${event.eventName} event payload has no pull_request.head.ref: set branch-name.`
    )
  }
  if (event.ref.startsWith('refs/heads/')) {
    return { branchName: event.ref.slice('refs/heads/'.length), branchSource: 'ref' }
  }
  if (event.ref.startsWith('refs/tags/')) {
    throw new InputError(
      'branch-name',
      `Input branch-name is empty and this run is for the tag ${quote(event.ref.slice('refs/tags/'.length))}, which is not a branch: set branch-name to the Amplify branch.`
    )
  }
  throw new InputError(
    'branch-name',
    `Input branch-name is empty and the event names no branch (GITHUB_REF ${quote(event.ref)}): set branch-name to the Amplify branch.`
  )
}

function validateBranchName(branchName: string): void {
  if (
    branchName.length < 1 ||
    branchName.length > 255 ||
    CONTROL.test(branchName) ||
    LONE_SURROGATE.test(branchName)
  ) {
    throw new InputError(
      'branch-name',
      `Input branch-name ${quote(branchName)} is not a branch name: it must be 1 to 255 characters with no control characters.`
    )
  }
}

/** Reads an input that may also be spelled the StopJob API's way; both with different values is an error. */
function readAliased(readInput: InputReader, name: string, alias: string): string {
  const value = readInput(name)
  const aliased = readInput(alias)
  if (value !== '' && aliased !== '' && value !== aliased) {
    throw new InputError(
      name,
      `Inputs ${name} and ${alias} name the same thing but differ (${quote(value)} and ${quote(aliased)}): set only one of them.`
    )
  }
  return value !== '' ? value : aliased
}

function parseIfNoJob(raw: string): IfNoJob {
  const value = raw === '' ? 'warn' : raw.toLowerCase()
  if (value === 'warn' || value === 'ignore' || value === 'fail') return value
  throw new InputError('if-no-job', `Input if-no-job ${quote(raw)} is not one of warn, ignore or fail.`)
}

/** The same accepted forms as @actions/core's getBooleanInput (YAML 1.2 core schema); empty means false, the default. */
function parseBoolean(readInput: InputReader, name: string): boolean {
  const raw = readInput(name)
  if (raw === '') return false
  if (YAML_TRUE.includes(raw)) return true
  if (YAML_FALSE.includes(raw)) return false
  throw new InputError(name, `Input ${name} ${quote(raw)} is not a boolean: use true or false.`)
}

function parseWaitTimeout(raw: string): number {
  if (raw === '') return DEFAULT_WAIT_TIMEOUT_SECONDS
  const seconds = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN
  if (seconds >= 1 && seconds <= MAX_WAIT_TIMEOUT_SECONDS) return seconds
  throw new InputError(
    'wait-timeout',
    `Input wait-timeout ${quote(raw)} is not a whole number of seconds from 1 to ${MAX_WAIT_TIMEOUT_SECONDS}.`
  )
}

function parseRegion(raw: string, env: NodeJS.ProcessEnv): string {
  const [name, value] =
    raw !== ''
      ? ['aws-region', raw]
      : env.AWS_REGION
        ? ['AWS_REGION', env.AWS_REGION]
        : ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION ?? '']
  if (value === '') {
    throw new InputError(
      'aws-region',
      'No AWS region: set the aws-region input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).'
    )
  }
  if (!REGION.test(value)) {
    throw new InputError(
      'aws-region',
      `${name === 'aws-region' ? 'Input aws-region' : name} ${quote(value)} is not an AWS region name such as us-east-1.`
    )
  }
  return value
}

// JSON.stringify escapes C0 controls only; these it leaves raw: DEL, C1 controls and the line separators.
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g

/** Quotes a value for an error message; JSON escaping keeps control characters and quotes visible and inert. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value).replace(
    UNESCAPED_BY_JSON,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
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
