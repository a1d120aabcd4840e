/**
 * Reads every input into Settings, once, before any request: the only getInput calls. Each bad input is an
 * InputError that names the input and its accepted form; so is an input action.yml does not declare.
 */
import * as core from '@actions/core'
import { InputError } from './errors.js'
import { IN_PROGRESS_STATUSES, JOB_TYPES } from './jobs.js'
import * as messages from './messages.js'
import { hasLineBreaking } from './text.js'
import type { AppSelection, BranchSelection, IfNoJob, Selection, Settings, Target } from './types.js'

/** The inputs action.yml declares, aliases included (a metadata test keeps the two lists equal). */
export const INPUT_NAMES = [
  'app-id',
  'appId',
  'branch-name',
  'branchName',
  'job-id',
  'jobId',
  'if-no-job',
  'aws-region',
  'wait',
  'wait-timeout',
  'keep-newest',
  'commit-id',
  'older-than',
  'statuses',
  'job-types',
  'find-timeout',
  'dry-run'
] as const

/** The StopJob API's spellings, accepted beside the documented names but never suggested. */
const ALIASES = new Set(['appId', 'branchName', 'jobId'])

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
const MAX_FIND_TIMEOUT_SECONDS = 3600

const EVERY = '*'
const APP_ID = /^d[a-z0-9]{1,19}$/ // Amplify's pattern d[a-z0-9]+: a bare d is no app id
const JOB_ID = /^[0-9]{1,255}$/
// The branch is what stands between /branches/ and the last /jobs/: Amplify writes branch names unencoded.
const JOB_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):amplify:([^:]*):([^:]*):apps\/([^/]*)\/branches\/(.+)\/jobs\/([0-9]{1,255})$/
const COMMIT_ID = /^[0-9a-f]{7,64}$/i
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/
const DURATION = /^(?:(\d{1,7})d)?(?:(\d{1,7})h)?(?:(\d{1,7})m)?(?:(\d{1,7})s)?$/
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
  rejectUnknownInputs(env)
  const appInput = readAliased(readInput, 'app-id', 'appId')
  const branchInput = readAliased(readInput, 'branch-name', 'branchName')
  const jobInput = readAliased(readInput, 'job-id', 'jobId')
  const regionInput = readInput('aws-region')

  // A job ARN names the app, branch and region itself; inputs that name them too must agree with it.
  const arn = jobInput.startsWith('arn:') ? parseJobArn(jobInput) : undefined
  if (arn) {
    if (appInput !== '') agreeWithArn('app-id', appInput, parseApps(appInput, env), arn.appId)
    if (branchInput !== '')
      agreeWithArn('branch-name', branchInput, parseBranches(branchInput), arn.branchName)
    if (regionInput !== '' && regionInput !== arn.region)
      throw new InputError(
        'aws-region',
        messages.inputErrors.disagreesWithArn('aws-region', regionInput, arn.region)
      )
  }
  const apps: AppSelection = arn ? { kind: 'ids', ids: [arn.appId] } : parseApps(appInput, env)
  if (arn === undefined && jobInput !== '' && !JOB_ID.test(jobInput))
    throw new InputError('job-id', messages.inputErrors.notAJobId(jobInput))
  const selection = parseSelection(readInput)
  const findTimeoutSeconds = parseFindTimeout(readInput('find-timeout'))
  const ifNoJob = parseIfNoJob(readInput('if-no-job'))
  const wait = parseBoolean(readInput, 'wait')
  const waitTimeoutSeconds = parseWaitTimeout(readInput('wait-timeout'))
  const dryRun = parseBoolean(readInput, 'dry-run')
  const region = arn ? arn.region : parseRegion(regionInput, env)
  const jobId = arn ? arn.jobId : jobInput === '' ? undefined : jobInput
  if (jobId !== undefined) rejectDiscoveryInputs(selection, findTimeoutSeconds)

  let branches: BranchSelection = arn
    ? { kind: 'names', names: [arn.branchName] }
    : branchInput !== ''
      ? parseBranches(branchInput)
      : { kind: 'names', names: [] } // from the event, loaded only once every input has passed
  const several = coversSeveral(apps, branches)
  if (jobId !== undefined && several) throw new InputError('job-id', messages.inputErrors.jobIdWithSeveral())
  let branchSource: Settings['branchSource'] = arn ? 'job-arn' : 'input'
  if (branches.kind === 'names' && branches.names.length === 0) {
    const fromEvent = branchFromEvent(await loadEvent())
    validateBranchName(fromEvent.branchName)
    branches = { kind: 'names', names: [fromEvent.branchName] }
    branchSource = fromEvent.branchSource
  }

  const target: Target =
    jobId !== undefined && apps.kind === 'ids' && branches.kind === 'names'
      ? {
          kind: 'job',
          branch: { appId: apps.ids[0], branchName: branches.names[0] },
          jobId,
          several: false,
          severalApps: false
        }
      : {
          kind: 'discovery',
          apps,
          branches,
          several,
          severalApps: apps.kind === 'repository' || apps.ids.length > 1
        }
  return {
    target,
    branchSource,
    region,
    ifNoJob,
    selection,
    findTimeoutSeconds,
    wait,
    waitTimeoutSeconds,
    dryRun
  }
}

/** True when the run may read more than one branch: several apps or branches, or *. */
function coversSeveral(apps: AppSelection, branches: BranchSelection): boolean {
  return (
    apps.kind === 'repository' || apps.ids.length > 1 || branches.kind === 'all' || branches.names.length > 1
  )
}

/**
 * An INPUT_* variable action.yml does not declare is a typo the runner only warns about (`dry_run` for
 * `dry-run`): acting without it could stop builds the user meant to keep, so it ends the step here.
 */
function rejectUnknownInputs(env: NodeJS.ProcessEnv): void {
  const known = new Set<string>(INPUT_NAMES.map(inputVariable))
  const unknown = Object.keys(env)
    .filter(key => key.startsWith('INPUT_') && !known.has(key))
    .sort()
    .map(key => {
      const name = key.slice('INPUT_'.length).toLowerCase()
      return { name, closest: closestInput(name) }
    })
  if (unknown.length > 0) throw new InputError(unknown[0].name, messages.inputErrors.unknownInputs(unknown))
}

/** The runner's variable for an input: spaces become underscores, upper case, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * The documented input a mistyped name most likely meant: the same but for case, `-` and `_`, or at most
 * two edits away (one for short names). Undefined when none is that close.
 */
export function closestInput(name: string): string | undefined {
  const normalized = (text: string) => text.toLowerCase().replace(/[-_]/g, '')
  const wanted = normalized(name)
  let best: { name: string; distance: number } | undefined
  for (const candidate of INPUT_NAMES) {
    if (ALIASES.has(candidate)) continue
    const distance = editDistance(wanted, normalized(candidate))
    if (!best || distance < best.distance) best = { name: candidate, distance }
  }
  const allowed = wanted.length <= 4 ? 1 : 2
  return best && best.distance <= allowed ? best.name : undefined
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  return d[a.length][b.length]
}

/** keep-newest, commit-id, statuses, job-types and older-than: how discovery narrows what it acts on. */
function parseSelection(readInput: InputReader): Selection {
  const commitInput = readInput('commit-id')
  if (commitInput !== '' && !COMMIT_ID.test(commitInput))
    throw new InputError('commit-id', messages.inputErrors.notACommit(commitInput))
  const olderThanInput = readInput('older-than')
  return {
    keepNewest: parseBoolean(readInput, 'keep-newest'),
    commitId: commitInput === '' ? undefined : commitInput.toLowerCase(),
    statuses: parseList(
      'statuses',
      readInput('statuses'),
      IN_PROGRESS_STATUSES,
      messages.inputErrors.notStatuses
    ),
    jobTypes: parseList('job-types', readInput('job-types'), JOB_TYPES, messages.inputErrors.notJobTypes),
    olderThanSeconds:
      olderThanInput === ''
        ? undefined
        : parseDuration('older-than', olderThanInput, [1, MAX_OLDER_THAN_SECONDS], () =>
            messages.inputErrors.notAnOlderThan(olderThanInput)
          )
  }
}

/** Inputs that select among discovered jobs, given with job-id: the user expects a filter that cannot apply. */
function rejectDiscoveryInputs(selection: Selection, findTimeoutSeconds: number): void {
  const given = {
    'keep-newest': selection.keepNewest,
    'commit-id': selection.commitId !== undefined,
    'older-than': selection.olderThanSeconds !== undefined,
    statuses: selection.statuses !== undefined,
    'job-types': selection.jobTypes !== undefined,
    'find-timeout': findTimeoutSeconds > 0
  }
  for (const [input, isGiven] of Object.entries(given))
    if (isGiven) throw new InputError(input, messages.inputErrors.onlyForDiscovery(input))
}

/**
 * statuses and job-types: any of `allowed`, case-insensitive, separated by commas, spaces or newlines, in
 * the order `allowed` lists them. Empty means every one (undefined).
 */
function parseList(
  input: string,
  raw: string,
  allowed: readonly string[],
  message: (raw: string) => string
): readonly string[] | undefined {
  if (raw === '') return undefined
  const given = raw
    .split(/[\s,]+/)
    .filter(value => value !== '')
    .map(value => value.toUpperCase())
  if (given.length === 0 || given.some(value => !allowed.includes(value)))
    throw new InputError(input, message(raw))
  return allowed.filter(value => given.includes(value))
}

/** app-id: one id, several (commas, spaces or newlines between them), or * for this repository's apps. */
function parseApps(raw: string, env: NodeJS.ProcessEnv): AppSelection {
  const ids = unique(raw.split(/[\s,]+/).filter(id => id !== ''))
  if (ids.length === 0) throw new InputError('app-id', messages.inputErrors.appIdRequired())
  if (ids.includes(EVERY)) {
    if (ids.length > 1) throw new InputError('app-id', messages.inputErrors.everyAppMixed())
    if (!env.GITHUB_REPOSITORY) throw new InputError('app-id', messages.inputErrors.noRepository())
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    return { kind: 'repository', url: `${server}/${env.GITHUB_REPOSITORY}` }
  }
  for (const id of ids)
    if (!APP_ID.test(id)) throw new InputError('app-id', messages.inputErrors.notAnAppId(id))
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
  if (names.length === 0) throw new InputError('branch-name', messages.inputErrors.notABranchName(raw))
  if (names.includes(EVERY)) {
    if (names.length > 1) throw new InputError('branch-name', messages.inputErrors.everyBranchMixed())
    return { kind: 'all' }
  }
  for (const name of names) {
    validateBranchName(name)
    // Mistakes with a known cause, caught before they become a confusing "branch not found".
    if (name.startsWith('refs/')) throw new InputError('branch-name', messages.inputErrors.branchIsRef(name))
    if (name === 'pr-') throw new InputError('branch-name', messages.inputErrors.previewWithoutNumber())
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

/** The region must belong to the ARN's partition, or the ARN names a place the action would never reach. */
function partitionHas(partition: string, region: string): boolean {
  if (partition === 'aws-cn') return region.startsWith('cn-')
  if (partition === 'aws-us-gov') return region.startsWith('us-gov-')
  return !region.startsWith('cn-') && !region.startsWith('us-gov-')
}

function parseJobArn(raw: string): JobArn {
  const match = JOB_ARN.exec(raw)
  if (!match || !REGION.test(match[2]) || !/^[0-9]{12}$/.test(match[3]) || !APP_ID.test(match[4]))
    throw new InputError('job-id', messages.inputErrors.notAJobArn(raw))
  const [, partition, region, , appId, branchName, paddedId] = match
  if (!partitionHas(partition, region))
    throw new InputError('job-id', messages.inputErrors.regionNotInPartition(raw, region, partition))
  if (branchName.length > 255 || hasLineBreaking(branchName) || LONE_SURROGATE.test(branchName))
    throw new InputError('job-id', messages.inputErrors.notAJobArn(raw))
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
    throw new InputError(input, messages.inputErrors.disagreesWithArn(input, raw, fromArn))
}

/**
 * older-than, wait-timeout and find-timeout: plain seconds, or d/h/m/s units in that order, each at most
 * once, from `min` to `max` seconds.
 */
function parseDuration(
  input: string,
  raw: string,
  [min, max]: [number, number],
  message: () => string
): number {
  let seconds = NaN
  if (/^[0-9]{1,9}$/.test(raw)) seconds = Number(raw)
  else if (raw !== '') {
    const units = DURATION.exec(raw)
    if (units)
      seconds = [86400, 3600, 60, 1].reduce((sum, scale, i) => sum + Number(units[i + 1] ?? 0) * scale, 0)
  }
  if (seconds >= min && seconds <= max) return seconds
  throw new InputError(input, message())
}

function parseWaitTimeout(raw: string): number {
  if (raw === '') return DEFAULT_WAIT_TIMEOUT_SECONDS
  return parseDuration('wait-timeout', raw, [1, MAX_WAIT_TIMEOUT_SECONDS], () =>
    messages.inputErrors.notAWaitTimeout(raw)
  )
}

function parseFindTimeout(raw: string): number {
  if (raw === '') return 0
  return parseDuration('find-timeout', raw, [0, MAX_FIND_TIMEOUT_SECONDS], () =>
    messages.inputErrors.notAFindTimeout(raw)
  )
}

/** The branch a workflow run is about: the pull request's head branch, or the branch GITHUB_REF names. */
export function branchFromEvent(event: EventContext): {
  branchName: string
  branchSource: 'pull-request' | 'ref'
} {
  if (PULL_REQUEST_EVENTS.has(event.eventName)) {
    if (event.pullRequestHeadRef)
      return { branchName: event.pullRequestHeadRef, branchSource: 'pull-request' }
    throw new InputError('branch-name', messages.inputErrors.noBranchInPullRequest(event.eventName))
  }
  if (event.ref.startsWith('refs/heads/')) {
    return { branchName: event.ref.slice('refs/heads/'.length), branchSource: 'ref' }
  }
  if (event.ref.startsWith('refs/tags/')) {
    throw new InputError(
      'branch-name',
      messages.inputErrors.branchFromTag(event.ref.slice('refs/tags/'.length))
    )
  }
  throw new InputError('branch-name', messages.inputErrors.noBranchInEvent(event.ref))
}

function validateBranchName(branchName: string): void {
  if (
    branchName.length < 1 ||
    branchName.length > 255 ||
    hasLineBreaking(branchName) ||
    LONE_SURROGATE.test(branchName)
  ) {
    throw new InputError('branch-name', messages.inputErrors.notABranchName(branchName))
  }
}

/** Reads an input that may also be spelled the StopJob API's way; both with different values is an error. */
function readAliased(readInput: InputReader, name: string, alias: string): string {
  const value = readInput(name)
  const aliased = readInput(alias)
  if (value !== '' && aliased !== '' && value !== aliased) {
    throw new InputError(name, messages.inputErrors.aliasesDiffer(name, alias, value, aliased))
  }
  return value !== '' ? value : aliased
}

function parseIfNoJob(raw: string): IfNoJob {
  const value = raw === '' ? 'warn' : raw.toLowerCase()
  if (value === 'warn' || value === 'ignore' || value === 'fail') return value
  throw new InputError('if-no-job', messages.inputErrors.notIfNoJob(raw))
}

/** The same accepted forms as @actions/core's getBooleanInput (YAML 1.2 core schema); empty means false, the default. */
function parseBoolean(readInput: InputReader, name: string): boolean {
  const raw = readInput(name)
  if (raw === '') return false
  if (YAML_TRUE.includes(raw)) return true
  if (YAML_FALSE.includes(raw)) return false
  throw new InputError(name, messages.inputErrors.notABoolean(name, raw))
}

function parseRegion(raw: string, env: NodeJS.ProcessEnv): string {
  const [name, value] =
    raw !== ''
      ? ['aws-region', raw]
      : env.AWS_REGION
        ? ['AWS_REGION', env.AWS_REGION]
        : ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION ?? '']
  if (value === '') throw new InputError('aws-region', messages.inputErrors.noRegion())
  if (!REGION.test(value)) throw new InputError('aws-region', messages.inputErrors.notARegion(name, value))
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
