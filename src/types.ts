/**
 * The run's vocabulary beyond jobs.ts: what the settings say, what each branch came to, what failed, and how
 * the run ends. Types only; every module may import them, and they import nothing but other types.
 */
import type { ActionError, ErrorKind, Operation } from './errors.js'
import type { BranchRef, Job, JobOutcome } from './jobs.js'

export type IfNoJob = 'warn' | 'ignore' | 'fail'

/** An Amplify app as ListApps describes it: what `app-id: '*'` chooses by. */
export interface App {
  appId: string
  name: string
  repository: string
}

/** Which apps to act on: these ids, in the order given, or every app connected to this repository. */
export type AppSelection = { kind: 'ids'; ids: string[] } | { kind: 'repository'; url: string }

/** Which branches of each app: these names, in the order given, or every branch. */
export type BranchSelection = { kind: 'names'; names: string[] } | { kind: 'all' }

/** Where a run acts, resolved once from the inputs: exactly one job, or discovery over apps and branches. */
export type Target =
  | { kind: 'job'; branch: BranchRef; jobId: string; several: false; severalApps: false }
  | {
      kind: 'discovery'
      apps: AppSelection
      branches: BranchSelection
      /** The run may read more than one branch: several apps or branches, or `*`. */
      several: boolean
      /** The run may read more than one app, so log lines name the app. */
      severalApps: boolean
    }

/** The inputs that narrow discovery, by the name a user gives them. */
export type FilterInput = 'commit-id' | 'statuses' | 'job-types' | 'older-than'

/** Which discovered jobs to act on. */
export interface Selection {
  /** Leave the newest selected in-progress job of each branch running. */
  keepNewest: boolean
  /** Only jobs building a commit that starts with this (lower-case hex). */
  commitId?: string
  /** Only jobs in one of these in-progress statuses; undefined means every in-progress status. */
  statuses?: readonly string[]
  /** Only jobs of these types; undefined means every type. */
  jobTypes?: readonly string[]
  /** Only jobs that started at least this many seconds ago. */
  olderThanSeconds?: number
}

/** Everything the action needs to know, read and validated once, before any request. */
export interface Settings {
  target: Target
  /** Where the branch name came from, for the log. */
  branchSource: 'input' | 'pull-request' | 'ref' | 'job-arn'
  /** AWS region of the apps. */
  region: string
  /** What to do when discovery finds nothing to act on anywhere. */
  ifNoJob: IfNoJob
  selection: Selection
  /** Discovery: how long to keep re-reading a branch where nothing matched yet; 0 reads once. */
  findTimeoutSeconds: number
  /** Poll until every job acted on has reached a final state. */
  wait: boolean
  /** The longest the wait may take, in seconds. */
  waitTimeoutSeconds: number
  /** Decide and report, but send no StopJob. */
  dryRun: boolean
}

/** A failed request: the step fails, after everything else was done and reported. */
export interface Failure {
  appId?: string
  branchName?: string
  jobId?: string
  /** The request that failed; GetJob also for a wait that timed out. */
  operation: Operation
  kind: ErrorKind
  /** What failed, in a few words ("denied (AccessDeniedException)"): failures are grouped by it. */
  reason: string
  /** What to do, the same for every target that failed for this reason; may be empty. */
  advice: string
  /** The whole message for this target alone: what failed, where, and what to do. */
  message: string
}

/** Every job of a branch as ListJobs listed them, and how many pages that took. */
export interface JobListing {
  jobs: Job[]
  pages: number
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
  /** CANCELLING since at least older-than ago: Amplify cannot stop them again. Newest first. */
  stuck: Job[]
  /** In-progress jobs that the filters left alone, counted by the first input that left each alone. */
  leftAlone: Partial<Record<FilterInput, number>>
  /** How many jobs ListJobs listed, and in how many pages; undefined when the branch could not be read. */
  listed?: number
  pages?: number
  /** The branch does not exist (Amplify's words): nothing to stop there, not a failure. */
  missingBranch?: string
  /** The branch could not be read. */
  failure?: Failure
}

/** What reading and stopping came to, over every app and branch, in report order. */
export interface StopResults {
  /** How many apps were read (for `app-id: '*'`, how many belong to this repository). */
  appsRead: number
  /** The branches read, in order (none for a job id). */
  plans: BranchPlan[]
  outcomes: JobOutcome[]
  failures: Failure[]
}

/** What waiting came to; without a wait, the outcomes as they were. */
export interface WaitResults {
  outcomes: JobOutcome[]
  /** Jobs that had not ended when wait-timeout passed (a branch whose reads failed is a failure instead). */
  unfinished: JobOutcome[]
  /** Reads that failed for good: the wait ended there, and went on elsewhere. */
  failures: Failure[]
  /** How long the wait took; undefined when the run did not wait. */
  waitedMs?: number
}

/** How a run ends, decided from the settings, what was done and what was waited; report.ts shows it. */
export interface Conclusion {
  /** Every job found, as the outputs show them: app by app, branch by branch, newest first. */
  outcomes: JobOutcome[]
  /** Every failure: reading, stopping, then waiting. */
  failures: Failure[]
  /** The failures grouped by app, operation and reason, and what to do about them, each once. */
  failureGroups: FailureGroup[]
  advice: string[]
  /** Jobs stuck CANCELLING (older-than), for a person to look at. */
  stuck: Job[]
  appsRead: number
  branchesRead: number
  waitedMs?: number
  /** Why nothing was acted on, when nothing was: the if-no-job note. */
  note?: string
  /** The step's one error; undefined when the step succeeds. */
  error?: ActionError
}

/** Why no job was acted on anywhere: the if-no-job case. */
export type NothingFound =
  | { kind: 'no-app'; repository: string }
  | { kind: 'one-branch'; plan: BranchPlan; selection: Selection; findTimeoutSeconds: number }
  | {
      kind: 'several-branches'
      branches: number
      apps: number
      /** In-progress jobs the filters left alone, over every branch. */
      leftAlone: Partial<Record<FilterInput, number>>
      selection: Selection
      findTimeoutSeconds: number
    }

/** Failures that share an app, an operation and a reason: the step's error names each group once. */
export interface FailureGroup {
  appId?: string
  operation: Operation
  reason: string
  failures: Failure[]
}
