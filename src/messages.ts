/**
 * Every sentence a user reads: input errors, Amplify failures, log lines, the nothing-found note, wait
 * progress and the summary's words, so wording is reviewed in one file. Pure functions of plain values;
 * text from others is passed through text.ts's sanitisers here and nowhere else.
 */
import type { BranchRef, Job, JobOutcome } from './jobs.js'
import type { Failure, NothingFound } from './plan.js'
import { firstLine, inertLine, logQuote, quoteValue } from './text.js'

// ---- inputs --------------------------------------------------------------------------------------------

const APP_ID_FORM = 'd followed by lower-case letters and digits, 20 characters at most (e.g. d1a2b3c4d5e6f7)'
const JOB_ARN_FORM = 'arn:aws:amplify:<region>:<account>:apps/<app-id>/branches/<branch>/jobs/<id>'
const OLDER_THAN_FORMS =
  'plain seconds (5400), or lower-case units d, h, m, s in that order, each at most once, without spaces (90m, 2h, 1h30m, 7200s), from 1 s to 30 d'

export const inputMessages = {
  appIdRequired: () =>
    `Input app-id is required: set it to your Amplify app id (${APP_ID_FORM}), several separated by commas, spaces or newlines, or * for every app of this repository.`,
  notAnAppId: (value: string) =>
    `Input app-id ${quoteValue(value)} is not an Amplify app id: it must be ${APP_ID_FORM}.`,
  everyAppMixed: () =>
    'Input app-id is not one list: it mixes * (every app of this repository) with app ids; give either * or a list of app ids.',
  noRepository: () =>
    'Input app-id is * (every app of this repository), but GITHUB_REPOSITORY is not set: run this in GitHub Actions, or list the app ids.',
  everyBranchMixed: () =>
    'Input branch-name is not one list: it mixes * (every branch) with branch names; give either * or a list of names.',
  notAJobId: (value: string) =>
    `Input job-id ${quoteValue(value)} is not a job id: it must be digits only (e.g. 42) or a job ARN (${JOB_ARN_FORM}), or empty to stop the branch's in-progress jobs.`,
  notAJobArn: (value: string) =>
    `Input job-id ${quoteValue(value)} is not a job ARN: it must be ${JOB_ARN_FORM}, as the job-arn output or StartJob gives it.`,
  disagreesWithArn: (input: string, given: string, fromArn: string) =>
    `Input ${input} ${quoteValue(given)} disagrees with the job ARN in job-id, which names ${quoteValue(fromArn)}: remove ${input} or make it match.`,
  jobIdWithSeveral: () =>
    'Input job-id names one job, so it cannot be combined with several apps or branches (or *): give one app-id and one branch-name, or remove job-id.',
  onlyForDiscovery: (input: string) =>
    `Input ${input} selects among discovered jobs, so it cannot be combined with job-id: remove one of them.`,
  notACommit: (value: string) =>
    `Input commit-id ${quoteValue(value)} is not a commit: give a full SHA or a prefix of at least 7 hex characters.`,
  notAnOlderThan: (value: string) =>
    `Input older-than ${quoteValue(value)} is not a duration: use ${OLDER_THAN_FORMS}.`,
  noBranchInPullRequest: (eventName: string) =>
    `Input branch-name is empty and the ${eventName} event payload has no pull_request.head.ref: set branch-name.`,
  branchFromTag: (tag: string) =>
    `Input branch-name is empty and this run is for the tag ${quoteValue(tag)}, which is not a branch: set branch-name to the Amplify branch.`,
  noBranchInEvent: (ref: string) =>
    `Input branch-name is empty and the event names no branch (GITHUB_REF ${quoteValue(ref)}): set branch-name to the Amplify branch.`,
  notABranchName: (value: string) =>
    `Input branch-name ${quoteValue(value)} is not a branch name: it must be 1 to 255 characters with no control characters.`,
  branchIsRef: (value: string) =>
    `Input branch-name ${quoteValue(value)} is not a branch name but a Git ref: pass \${{ github.ref_name }} or \${{ github.head_ref }}, not github.ref.`,
  previewWithoutNumber: () =>
    'Input branch-name "pr-" is not a preview branch: it has no number, since the preview expression pr-${{ github.event.pull_request.number }} is empty outside a pull_request event. Run this step on pull_request events only, or set branch-name.',
  aliasesDiffer: (name: string, alias: string, value: string, aliased: string) =>
    `Inputs ${name} and ${alias} name the same thing but differ (${quoteValue(value)} and ${quoteValue(aliased)}): set only one of them.`,
  notIfNoJob: (value: string) => `Input if-no-job ${quoteValue(value)} is not one of warn, ignore or fail.`,
  notABoolean: (name: string, value: string) =>
    `Input ${name} ${quoteValue(value)} is not a boolean: use true or false.`,
  notAWaitTimeout: (value: string, max: number) =>
    `Input wait-timeout ${quoteValue(value)} is not a whole number of seconds from 1 to ${max}.`,
  noRegion: () =>
    'No AWS region: set the aws-region input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
  notARegion: (source: string, value: string) =>
    `${source === 'aws-region' ? 'Input aws-region' : source} ${quoteValue(value)} is not an AWS region name such as us-east-1.`,
  notAnEndpoint: (name: string, value: string) =>
    `${name} ${JSON.stringify(value)} is not an http(s) URL: set it to an endpoint such as https://amplify.us-east-1.amazonaws.com, or unset it.`
}

// ---- Amplify failures ------------------------------------------------------------------------------------

/** What a failed request was about, for its message. */
export interface RequestSubject {
  region: string
  appId?: string
  branchName?: string
  jobId?: string
}

function subjectOf(operation: string, s: RequestSubject): string {
  if (operation === 'ListApps') return `the apps in ${s.region}`
  if (operation === 'ListBranches') return `the branches of app ${inertLine(s.appId ?? '')}`
  const branch = `branch ${logQuote(s.branchName ?? '')}`
  return s.jobId ? `job ${s.jobId} on ${branch}` : branch
}

/** `said` is the service's message, already made inert and redacted. */
export const failureMessages = {
  denied: (operation: string, s: RequestSubject, name: string, said: string, resource: string) =>
    `Amplify ${operation} for ${subjectOf(operation, s)} was denied (${name}: ${said}). Allow amplify:${operation} on ${resource} in the policy of the role this step uses.`,
  expired: (operation: string, s: RequestSubject, name: string, said: string) =>
    `The AWS credentials expired before Amplify ${operation} for ${subjectOf(operation, s)} (${name}: ${said}). For a long wait, give configure-aws-credentials a role-duration-seconds longer than wait-timeout.`,
  refusedCredentials: (operation: string, s: RequestSubject, name: string, said: string) =>
    `Amplify ${operation} refused the AWS credentials (${name}: ${said}). Check that aws-actions/configure-aws-credentials ran before this step, for the account and region ${s.region} of the app.`,
  noCredentials: (said: string) =>
    `No AWS credentials were found (${said}). Add aws-actions/configure-aws-credentials (with OIDC: permissions id-token: write) before this step.`,
  appNotFound: (s: RequestSubject) =>
    `App ${inertLine(s.appId ?? '')} was not found in ${s.region}: check app-id and aws-region.`,
  branchNotFound: (s: RequestSubject) =>
    `Branch ${logQuote(s.branchName ?? '')} was not found in app ${inertLine(s.appId ?? '')}: check branch-name (a pull request's preview branch is named pr-<number>).`,
  jobNotFound: (s: RequestSubject) =>
    `Job ${s.jobId} was not found on branch ${logQuote(s.branchName ?? '')} of app ${inertLine(s.appId ?? '')}: check job-id.`,
  appOrBranchNotFound: (s: RequestSubject) =>
    `App ${inertLine(s.appId ?? '')} or its branch ${logQuote(s.branchName ?? '')} was not found in ${s.region}: check app-id, branch-name and aws-region.`,
  notFound: (what: string, operation: string, said: string) => `${what} (Amplify ${operation}: ${said})`,
  throttled: (operation: string, s: RequestSubject, name: string, attempts: string) =>
    `Amplify kept throttling ${operation} for ${subjectOf(operation, s)}${attempts} (${name}). Wait and re-run the job, or run fewer Amplify calls at once (AWS_MAX_ATTEMPTS raises the retries).`,
  badRequest: (operation: string, s: RequestSubject, said: string) =>
    `Amplify refused ${operation} for ${subjectOf(operation, s)} (BadRequestException: ${said}).`,
  timedOut: (operation: string, s: RequestSubject, attempts: string) =>
    `Amplify did not answer ${operation} for ${subjectOf(operation, s)} in time${attempts}. Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and re-run.`,
  serverFault: (operation: string, s: RequestSubject, name: string, said: string, attempts: string) =>
    `Amplify failed ${operation} for ${subjectOf(operation, s)}${attempts} (${name}: ${said}). This is on Amplify's side: re-run the job later.`,
  unreachable: (operation: string, code: string, said: string, attempts: string) =>
    `Could not reach Amplify for ${operation}${attempts} (${code}: ${said}). Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and AWS_ENDPOINT_URL_AMPLIFY if set.`,
  other: (operation: string, s: RequestSubject, name: string, said: string) =>
    `Amplify ${operation} for ${subjectOf(operation, s)} failed (${name}: ${said}).`,
  afterAttempts: (attempts: number | undefined) =>
    attempts && attempts > 1 ? ` after ${attempts} attempts` : ''
}

// ---- the step's failure --------------------------------------------------------------------------------

function whereOf(failure: Failure): string {
  const parts = [
    failure.appId ? `app ${inertLine(failure.appId)}` : '',
    failure.branchName !== undefined ? `branch ${logQuote(failure.branchName)}` : '',
    failure.jobId ? `job ${failure.jobId}` : ''
  ].filter(Boolean)
  return parts.length > 0 ? `${parts.join(', ')}, ${failure.operation}` : failure.operation
}

/** One failure, with where it happened when the run covers several branches. */
export function failureLine(failure: Failure, several: boolean): string {
  return several ? `[${whereOf(failure)}] ${failure.message}` : failure.message
}

/** Several requests failed: one error naming each app, branch and operation, after the rest was done. */
export function severalFailed(failures: readonly Failure[], several: boolean): string {
  const stops = failures.filter(f => f.operation === 'StopJob')
  if (!several && stops.length === failures.length) {
    return `${stops.length} jobs could not be stopped: ${stops.map(f => `job ${f.jobId}: ${f.message}`).join(' ')}`
  }
  return `${failures.length} Amplify requests failed (everything else was acted on and reported): ${failures
    .map(f => failureLine(f, true))
    .join(' ')}`
}

export function noJobFailure(note: string): string {
  return `${note} Failing because if-no-job is fail.`
}

export function unexpectedError(error: unknown): string {
  return `Unexpected error: ${inertLine(error instanceof Error ? error.message : String(error))}. This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace).`
}

// ---- log lines -----------------------------------------------------------------------------------------

/** Amplify deletes a pull request's preview branch (pr-<number>) when the pull request closes. */
const PREVIEW_BRANCH = /^pr-[0-9]+$/

/** Why nothing was acted on: the if-no-job note (a warning, an info line, or the failure's start). */
export function nothingFoundNote(nothing: NothingFound): string {
  switch (nothing.kind) {
    case 'no-app':
      return `No Amplify app in this region is connected to the repository ${inertLine(nothing.repository)}: nothing to stop. Check aws-region, or list the app ids.`
    case 'several-branches':
      return `No job is in progress on any of the ${nothing.branches} branch${nothing.branches === 1 ? '' : 'es'} read in ${nothing.apps} app${nothing.apps === 1 ? '' : 's'}.`
    case 'one-branch': {
      const { plan } = nothing
      const { branchName, appId } = plan.target
      if (plan.missingBranch !== undefined) {
        const preview = PREVIEW_BRANCH.test(branchName)
          ? ' (Amplify deletes a preview branch when its pull request closes)'
          : ''
        return `${plan.missingBranch} Nothing to stop${preview}.`
      }
      const scope = nothing.commitId ? ` building commit ${nothing.commitId}` : ''
      const listed = plan.listed ?? 0
      return `No job${scope} is in progress on branch ${logQuote(branchName)} of app ${inertLine(appId)} (${listed} job${listed === 1 ? '' : 's'} listed).`
    }
  }
}

/** For one of several branches where nothing was found: an info line. */
export function nothingOnBranch(target: BranchRef, missing: string | undefined): string {
  const app = inertLine(target.appId)
  return missing !== undefined
    ? `App ${app} has no branch ${logQuote(target.branchName)}: nothing to stop there.`
    : `No job is in progress on branch ${logQuote(target.branchName)} of app ${app}.`
}

/** Where a run acts, for its first log line. */
export function runStart(scope: {
  apps: string[] | { repository: string }
  branches: string[] | 'all'
  region: string
  branchOrigin: 'input' | 'pull-request' | 'ref' | 'job-arn'
  proxy?: string
}): string {
  const apps = Array.isArray(scope.apps)
    ? `${scope.apps.length === 1 ? 'app' : 'apps'} ${scope.apps.join(', ')}`
    : `every app of ${inertLine(scope.apps.repository)}`
  const branches =
    scope.branches === 'all'
      ? 'every branch'
      : `${scope.branches.length === 1 ? 'branch' : 'branches'} ${scope.branches.map(logQuote).join(', ')}`
  const origin = {
    input: '',
    'pull-request': ' (the pull request head branch)',
    ref: ' (from GITHUB_REF)',
    'job-arn': ' (from the job ARN)'
  }[scope.branchOrigin]
  return `Amplify ${apps} in ${scope.region}, ${branches}${origin}${scope.proxy ? `, through the proxy ${scope.proxy}` : ''}`
}

/** "on branch "main"", and "of app d1…" when the run covers several apps. */
function whereJob(job: BranchRef, namesApp: boolean): string {
  return `on branch ${logQuote(job.branchName)}${namesApp ? ` of app ${inertLine(job.appId)}` : ''}`
}

/** "RUNNING → CANCELLING" when the status changed and the earlier one is known, else the status alone. */
export function statusChange(outcome: JobOutcome): string {
  const { previousStatus } = outcome
  const { status } = outcome.job
  return previousStatus && previousStatus !== status ? `${previousStatus} → ${status}` : status
}

function describeCommit(job: Job): string {
  const sha = job.commitId ? ` ${inertLine(job.commitId).slice(0, 7)}` : ''
  const message = job.commitMessage ? ` ${logQuote(firstLine(job.commitMessage))}` : ''
  return sha || message ? `, commit${sha}${message}` : ''
}

/** One log line for a job; it starts with the action's own words, so no untrusted text begins a line. */
export function describeOutcome(outcome: JobOutcome, namesApp = false): string {
  // The job id and status come from the service too: inert like the rest.
  const id = inertLine(outcome.job.jobId)
  const status = inertLine(outcome.job.status)
  const where = whereJob(outcome.job, namesApp)
  const commit = describeCommit(outcome.job)
  switch (outcome.result) {
    case 'stopped':
      return `Stopped job ${id} ${where} (${inertLine(statusChange(outcome))})${commit}`
    case 'already-ended':
      return `Job ${id} ${where} had already ended (${status}); nothing to stop${commit}`
    case 'already-stopping':
      return `Job ${id} ${where} is already stopping (${status}); not stopped again${commit}`
    case 'would-stop':
      return `Would stop job ${id} ${where} (${status}); dry run, no StopJob sent${commit}`
    case 'kept':
      return `Kept job ${id} ${where} running (${status}): it is the newest${commit}`
    case 'failed':
      return `Could not stop job ${id} ${where} (${status}): ${inertLine(outcome.error ?? '')}${commit}`
  }
}

export function unknownStatus(job: Job, namesApp: boolean): string {
  return `Job ${inertLine(job.jobId)} ${whereJob(job, namesApp)} has the status ${logQuote(job.status)}, which this version of the action does not know: left alone.`
}

export function onlyNewestInProgress(job: Job, namesApp: boolean): string {
  return `Only job ${inertLine(job.jobId)} ${whereJob(job, namesApp)}, the newest, is in progress: no superseded build to stop.`
}

/** During a wait: a waited job's status changed. */
export function statusChanged(job: Job, was: string, namesApp: boolean): string {
  return `Job ${inertLine(job.jobId)} ${whereJob(job, namesApp)} is now ${inertLine(job.status)} (was ${inertLine(was)})`
}

/** During a wait: which jobs are still waited for, and how long of the limit has passed. */
export function stillWaiting(
  jobs: readonly Job[],
  waitedMs: number,
  timeoutSeconds: number,
  namesApp: boolean
): string {
  const list = jobs.map(
    job => `job ${inertLine(job.jobId)} ${whereJob(job, namesApp)} (${inertLine(job.status)})`
  )
  return `Still waiting after ${Math.round(waitedMs / 1000)} s of ${timeoutSeconds} s (wait-timeout) for ${jobs.length === 1 ? '' : `${jobs.length} jobs: `}${list.join(', ')}`
}

export function waitTimedOut(unfinished: readonly JobOutcome[], timeoutSeconds: number): string {
  const list = unfinished.map(o => `job ${inertLine(o.job.jobId)} (${inertLine(o.job.status)})`).join(', ')
  return `Waited ${timeoutSeconds} s (wait-timeout), but ${unfinished.length === 1 ? 'this job has' : 'these jobs have'} not ended: ${list}. Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the job in the Amplify console.`
}

export function noSummaryFile(): string {
  return 'GITHUB_STEP_SUMMARY is not set: no step summary written.'
}

// ---- the step summary (plain words; report.ts escapes and lays them out) --------------------------------

export const summaryWords = {
  title: (dryRun: boolean, stopped: number) =>
    dryRun
      ? 'Amplify jobs that would be stopped'
      : `Amplify: ${stopped} job${stopped === 1 ? '' : 's'} stopped`,
  dryRun: ' (dry run: no StopJob sent)',
  noJob: 'No job in progress.',
  waited: (ms: number) => `Waited ${(ms / 1000).toFixed(1)} s for the jobs to end.`,
  failedHeading: 'Failed requests',
  /** The parts arrive as HTML already escaped by report.ts. */
  oneBranch: (app: string, region: string, branch: string) => `App ${app} in ${region}, branch ${branch}`,
  severalTargets: (apps: number, branches: number, region: string) =>
    `${apps} app${apps === 1 ? '' : 's'}, ${branches} branch${branches === 1 ? '' : 'es'} read in ${region}`,
  columns: ['Job', 'Result', 'Status', 'Commit', 'Message'],
  targetColumns: ['App', 'Branch']
}
