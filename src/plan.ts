/**
 * The planner: which apps and branches to read, in what order, and which jobs of a branch to stop, keep or
 * leave alone, as plain functions of the settings and what Amplify said. No I/O and no wording, so every rule
 * is testable with plain values; act.ts carries what these return to Amplify.
 */
import { ActionError, AmplifyRequestError, type Operation } from './errors.js'
import {
  classifyStatus,
  compareJobIds,
  needsWaiting,
  newestFirst,
  newestOutcomesFirst,
  resultFor,
  type BranchRef,
  type Job,
  type JobOutcome
} from './jobs.js'
import type { App, BranchPlan, Failure, FilterInput, JobListing, Selection } from './types.js'

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

/** What a ListJobs for one branch came to: the jobs, or the error it failed with. */
export type BranchReading = { listing: JobListing } | { error: unknown }

/**
 * One branch: the filters (commit-id, statuses, job-types, older-than) narrow the jobs to candidates; of
 * those, the in-progress ones are stopped (keep-newest keeps the newest), CANCELLING ones are reported as
 * already stopping. In-progress jobs the filters left alone are counted, so the log can say why nothing was
 * stopped; with older-than, jobs CANCELLING since at least that long ago are stuck.
 */
export function planBranch(
  target: BranchRef,
  reading: BranchReading,
  selection: Selection,
  { dryRun, nowMs }: { dryRun: boolean; nowMs: number }
): BranchPlan {
  const empty = { target, decided: [], toStop: [], unknownStatus: [], stuck: [], leftAlone: {} }
  if ('error' in reading) {
    const { error } = reading
    if (
      error instanceof AmplifyRequestError &&
      (error.missing === 'branch' || error.missing === 'app-or-branch')
    )
      return { ...empty, missingBranch: error.message }
    return { ...empty, failure: failureOf(error, target, 'ListJobs') }
  }
  const jobs = newestFirst(reading.listing.jobs)
  const leftAlone: Partial<Record<FilterInput, number>> = {}
  const leftAloneJobs: Job[] = []
  const candidates: Job[] = []
  for (const job of jobs) {
    const filter = filterLeavingAlone(job, selection, nowMs)
    if (filter === undefined) candidates.push(job)
    else if (classifyStatus(job.status) === 'in-progress') {
      leftAlone[filter] = (leftAlone[filter] ?? 0) + 1
      leftAloneJobs.push(job)
    }
  }
  const byClass = (statusClass: string) =>
    candidates.filter(job => classifyStatus(job.status) === statusClass)
  const inProgress = byClass('in-progress')
  const kept = selection.keepNewest ? inProgress[0] : undefined
  const selected = kept ? inProgress.slice(1) : inProgress
  const newerLeftAlone =
    kept !== undefined && leftAloneJobs.some(job => compareJobIds(job.jobId, kept.jobId) > 0)
  const decided: JobOutcome[] = [
    ...byClass('stopping').map(job => decidedOutcome(job, resultFor('stopping'))),
    ...(kept ? [{ ...decidedOutcome(kept, 'kept'), ...(newerLeftAlone ? { newerLeftAlone } : {}) }] : []),
    ...(dryRun ? selected.map(job => decidedOutcome(job, resultFor('in-progress'))) : [])
  ]
  return {
    target,
    decided: newestOutcomesFirst(decided),
    toStop: dryRun ? [] : selected,
    unknownStatus: byClass('unknown'),
    stuck: stuckCancelling(jobs, selection.olderThanSeconds, nowMs),
    leftAlone,
    listed: reading.listing.jobs.length,
    pages: reading.listing.pages
  }
}

/**
 * The first input, in the order the log names them, that leaves this job alone; undefined when none does.
 * older-than leaves a job without a start time alone, since its age cannot be known.
 */
function filterLeavingAlone(job: Job, selection: Selection, nowMs: number): FilterInput | undefined {
  const { commitId, statuses, jobTypes, olderThanSeconds } = selection
  if (commitId !== undefined && !(job.commitId ?? '').toLowerCase().startsWith(commitId)) return 'commit-id'
  if (statuses !== undefined && !statuses.includes(job.status)) return 'statuses'
  if (jobTypes !== undefined && !jobTypes.includes(job.jobType ?? '')) return 'job-types'
  if (olderThanSeconds !== undefined && !startedAtLeast(job, olderThanSeconds, nowMs)) return 'older-than'
  return undefined
}

function startedAtLeast(job: Job, seconds: number, nowMs: number): boolean {
  return job.startTime !== undefined && nowMs - job.startTime >= seconds * 1000
}

/** With older-than: CANCELLING jobs that started at least that long ago, whatever the other filters say. */
function stuckCancelling(jobs: readonly Job[], olderThanSeconds: number | undefined, nowMs: number): Job[] {
  if (olderThanSeconds === undefined) return []
  return jobs.filter(job => job.status === 'CANCELLING' && startedAtLeast(job, olderThanSeconds, nowMs))
}

/** A dry run given a job id: what a stop of that job would come to, from its status. */
export function planJobById(job: Job): JobOutcome {
  return decidedOutcome(job, resultFor(classifyStatus(job.status)))
}

function decidedOutcome(job: Job, result: JobOutcome['result']): JobOutcome {
  return { job, result, previousStatus: job.status }
}

/** True when the branch has nothing that counts as found: a kept job alone is found. */
export function foundNothing(plan: BranchPlan): boolean {
  return plan.decided.length === 0 && plan.toStop.length === 0
}

/** find-timeout: read a branch again while nothing was found there and the deadline has not passed. */
export function shouldLookAgain(plan: BranchPlan, nowMs: number, deadlineMs: number): boolean {
  return plan.failure === undefined && foundNothing(plan) && nowMs < deadlineMs
}

/** A request that failed, as the failure the step will report. Anything but an ActionError is a bug: rethrown. */
export function failureOf(
  error: unknown,
  where: Partial<BranchRef> & { jobId?: string },
  operation: Operation
): Failure {
  if (!(error instanceof ActionError)) throw error
  const request = error instanceof AmplifyRequestError ? error : undefined
  return {
    ...where,
    operation: request?.operation ?? operation,
    kind: error.kind,
    reason: request?.reason ?? error.kind,
    advice: request?.advice ?? '',
    message: error.message
  }
}

/** wait: only when asked, not in a dry run, and only for jobs still on their way to a final state. */
export function shouldWait(
  settings: { wait: boolean; dryRun: boolean },
  outcomes: readonly JobOutcome[]
): boolean {
  return settings.wait && !settings.dryRun && outcomes.some(needsWaiting)
}
