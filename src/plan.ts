/**
 * The planner: every decision the action makes, as plain functions of the settings and what Amplify said.
 * Which apps and branches to read and in what order, which jobs to stop, keep or leave, what a missing
 * branch or a failed request means, and whether the step fails. No I/O here, so every rule is testable with
 * plain values; main.ts only carries what these return to Amplify and to the report.
 */
import { ActionError, AmplifyRequestError, type ErrorKind, type Operation } from './errors.js'
import {
  classifyStatus,
  newestFirst,
  newestOutcomesFirst,
  resultFor,
  type BranchRef,
  type Job,
  needsWaiting,
  type JobOutcome
} from './jobs.js'
import { failureLine, noJobFailure, severalFailed, waitTimedOut } from './messages.js'
import type { Settings } from './settings.js'

/** An Amplify app as ListApps describes it: what `app-id: '*'` chooses by. */
export interface App {
  appId: string
  name: string
  repository: string
}

/** The apps of this repository, ordered by name, then app id (code-unit order, not the locale's). */
export function appsOfRepository(apps: readonly App[], repositoryUrl: string): App[] {
  const wanted = normalizeRepository(repositoryUrl)
  return apps
    .filter(app => normalizeRepository(app.repository) === wanted)
    .sort((a, b) => compareCodeUnits(a.name, b.name) || compareCodeUnits(a.appId, b.appId))
}

/** Compared case-insensitively, without a trailing `/` or `.git`: Amplify stores what the user connected. */
function normalizeRepository(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
}

/** Every branch of an app (`branch-name: '*'`), by name in code-unit order. */
export function orderBranches(names: readonly string[]): string[] {
  return [...names].sort(compareCodeUnits)
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Which discovered jobs to act on. */
export type Selection = Pick<Settings, 'keepNewest' | 'commitId' | 'olderThanSeconds' | 'dryRun'>

/** A failed request: the step fails, after everything else was done and reported. */
export interface Failure {
  appId?: string
  branchName?: string
  jobId?: string
  /** The request that failed; GetJob also for a wait that timed out. */
  operation: Operation
  kind: ErrorKind
  message: string
}

/** What one branch comes to before any stop is sent. */
export interface BranchPlan {
  target: BranchRef
  /** Decided without a stop: already stopping, kept by keep-newest, or would-stop in a dry run. */
  decided: JobOutcome[]
  /** In progress and selected: send StopJob. Newest first. */
  toStop: Job[]
  /** Not final, but a status this version does not know: left alone and reported. */
  unknownStatus: Job[]
  /** How many jobs ListJobs listed; undefined when the branch could not be read. */
  listed?: number
  /** The branch does not exist (Amplify's words): nothing to stop there, not a failure. */
  missingBranch?: string
  /** The branch could not be read. */
  failure?: Failure
}

/** What a ListJobs for one branch came to: the jobs, or the error it failed with. */
export type BranchReading = { jobs: readonly Job[] } | { error: unknown }

export function planBranch(
  target: BranchRef,
  reading: BranchReading,
  selection: Selection,
  nowMs: number
): BranchPlan {
  const empty = { target, decided: [], toStop: [], unknownStatus: [] }
  if ('error' in reading) {
    const { error } = reading
    if (
      error instanceof AmplifyRequestError &&
      (error.missing === 'branch' || error.missing === 'app-or-branch')
    )
      return { ...empty, missingBranch: error.message }
    return { ...empty, failure: failureOf(error, target, 'ListJobs') }
  }
  const candidates = newestFirst(reading.jobs).filter(
    job =>
      matchesCommit(job, selection.commitId) && startedLongEnoughAgo(job, selection.olderThanSeconds, nowMs)
  )
  const byClass = (statusClass: string) =>
    candidates.filter(job => classifyStatus(job.status) === statusClass)
  const inProgress = byClass('in-progress')
  const kept = selection.keepNewest ? inProgress[0] : undefined
  const selected = kept ? inProgress.slice(1) : inProgress
  const decided: JobOutcome[] = [
    ...byClass('stopping').map(job => decidedOutcome(job, resultFor('stopping'))),
    ...(kept ? [decidedOutcome(kept, 'kept')] : []),
    ...(selection.dryRun ? selected.map(job => decidedOutcome(job, resultFor('in-progress'))) : [])
  ]
  return {
    target,
    decided: newestOutcomesFirst(decided),
    toStop: selection.dryRun ? [] : selected,
    unknownStatus: byClass('unknown'),
    listed: reading.jobs.length
  }
}

/** A dry run given a job id: what a stop of that job would come to, from its status. */
export function planJobById(job: Job): JobOutcome {
  return decidedOutcome(job, resultFor(classifyStatus(job.status)))
}

function decidedOutcome(job: Job, result: JobOutcome['result']): JobOutcome {
  return { job, result, previousStatus: job.status }
}

function matchesCommit(job: Job, commitPrefix: string | undefined): boolean {
  if (commitPrefix === undefined) return true
  return (job.commitId ?? '').toLowerCase().startsWith(commitPrefix)
}

/** older-than: a job without a start time is left alone, since its age cannot be known. */
function startedLongEnoughAgo(job: Job, olderThanSeconds: number | undefined, nowMs: number): boolean {
  if (olderThanSeconds === undefined) return true
  return job.startTime !== undefined && nowMs - job.startTime >= olderThanSeconds * 1000
}

/** True when the branch has nothing that counts as found: a kept job alone is found. */
export function foundNothing(plan: BranchPlan): boolean {
  return plan.decided.length === 0 && plan.toStop.length === 0
}

/** A request that failed, as the failure the step will report. Anything but an ActionError is a bug: rethrown. */
export function failureOf(
  error: unknown,
  where: Partial<BranchRef> & { jobId?: string },
  operation: Operation
): Failure {
  if (!(error instanceof ActionError)) throw error
  return {
    ...where,
    operation: error instanceof AmplifyRequestError ? error.operation : operation,
    kind: error.kind,
    message: error.message
  }
}

/** Failed stops, as failures. */
export function stopFailures(outcomes: readonly JobOutcome[]): Failure[] {
  return outcomes
    .filter(o => o.result === 'failed')
    .map(o => ({
      appId: o.job.appId,
      branchName: o.job.branchName,
      jobId: o.job.jobId,
      operation: 'StopJob',
      kind: 'stop-failed',
      message: o.error ?? ''
    }))
}

/** Why no job was acted on anywhere: the if-no-job case. */
export type NothingFound =
  | { kind: 'no-app'; repository: string }
  | { kind: 'one-branch'; plan: BranchPlan; commitId?: string }
  | { kind: 'several-branches'; branches: number; apps: number }

/** What reading and stopping came to, over every app and branch, in report order. */
export interface Acted {
  /** How many apps were read (for `app-id: '*'`, how many belong to this repository). */
  appsRead: number
  /** The branches read, in order (none for a job id). */
  plans: BranchPlan[]
  outcomes: JobOutcome[]
  failures: Failure[]
}

/** The if-no-job case: nothing in progress anywhere, and no failure that leaves it unknown. */
export function nothingFound(
  settings: Pick<Settings, 'apps' | 'branches' | 'commitId'>,
  acted: Acted
): NothingFound | undefined {
  if (acted.outcomes.length > 0 || acted.failures.length > 0) return undefined
  if (settings.apps.kind === 'repository' && acted.appsRead === 0)
    return { kind: 'no-app', repository: settings.apps.url }
  // A run over several branches has said what it found on each; the note sums them up.
  if (acted.plans.length === 1 && !coversSeveral(settings))
    return { kind: 'one-branch', plan: acted.plans[0], commitId: settings.commitId }
  return { kind: 'several-branches', branches: acted.plans.length, apps: acted.appsRead }
}

/** wait: only when asked, not in a dry run, and only for jobs still on their way to a final state. */
export function shouldWait(
  settings: Pick<Settings, 'wait' | 'dryRun'>,
  outcomes: readonly JobOutcome[]
): boolean {
  return settings.wait && !settings.dryRun && outcomes.some(needsWaiting)
}

/**
 * The job the single-value outputs describe: the first entry of `jobs` that is not kept. For one branch
 * that is the newest job acted on.
 */
export function primaryOutcome(outcomes: readonly JobOutcome[]): JobOutcome | undefined {
  return outcomes.find(o => o.result !== 'kept')
}

/** How a wait ended: the jobs not yet final at wait-timeout, or the poll that failed for good. */
export interface WaitEnd {
  unfinished: readonly JobOutcome[]
  error?: unknown
}

/** True when the run may read more than one branch: several apps or branches, or *. */
export function coversSeveral(settings: Pick<Settings, 'apps' | 'branches'>): boolean {
  const { apps, branches } = settings
  return (
    apps.kind === 'repository' || apps.ids.length > 1 || branches.kind === 'all' || branches.names.length > 1
  )
}

/**
 * Every failure of the run, for the summary and the step's error: the requests that failed while reading
 * and stopping, then a wait that failed for good or timed out, so that none hides another.
 */
export function runFailures(
  settings: Pick<Settings, 'waitTimeoutSeconds'>,
  failures: readonly Failure[],
  waitEnd: WaitEnd
): Failure[] {
  const waiting: Failure[] = []
  if (waitEnd.error !== undefined) waiting.push(failureOf(waitEnd.error, {}, 'GetJob'))
  else if (waitEnd.unfinished.length > 0)
    waiting.push({
      operation: 'GetJob',
      kind: 'wait-timeout',
      message: waitTimedOut(waitEnd.unfinished, settings.waitTimeoutSeconds)
    })
  return [...failures, ...waiting]
}

/**
 * How the step ends: failures first (one error naming each, and where it happened when the run covers
 * several branches), then if-no-job: fail. Undefined: success.
 */
export function stepFailure(
  settings: Pick<Settings, 'ifNoJob' | 'apps' | 'branches'>,
  failures: readonly Failure[],
  noJobNote: string | undefined
): ActionError | undefined {
  const several = coversSeveral(settings)
  if (failures.length === 1) return new ActionError(failures[0].kind, failureLine(failures[0], several))
  if (failures.length > 1) return new ActionError('several-failed', severalFailed(failures, several))
  if (noJobNote !== undefined && settings.ifNoJob === 'fail')
    return new ActionError('no-job', noJobFailure(noJobNote))
  return undefined
}
