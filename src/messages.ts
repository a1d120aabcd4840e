/**
 * Every sentence a user reads, so wording is reviewed in one file: input errors, failed requests, log lines,
 * how a run ends, and the summary's words. Pure functions of plain values that decide nothing; text from
 * others passes through text.ts's sanitisers here and nowhere else. Imported as `messages`.
 */
import type { Operation } from './errors.js'
import { JOB_TYPES, IN_PROGRESS_STATUSES, type BranchRef, type Job, type JobOutcome } from './jobs.js'
import { firstLine, inertLine, logQuote, quoteValue, shortQuote, shortened } from './text.js'
import type { Failure, FailureGroup, FilterInput, NothingFound, Selection } from './types.js'

/** A duration in the forms the inputs take: 90s, 5m, 1h30m, 2d. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's']
  ]
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join('')
  return text || '0s'
}

/** A branch name in a sentence: quoted, inert, at most 80 characters of it, so a line stays short. */
function branchName(name: string): string {
  return shortQuote(name, 80)
}

/** An id or status from the service in a sentence: inert, at most 30 characters (real ones are shorter). */
function id(text: string): string {
  return shortened(inertLine(text), 30)
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * "a, b and c", or "a, b, c and 97 more" (with a noun: "and 97 more branches"): at most `shown` items of a
 * list, and how many it leaves out.
 */
function firstFew(
  items: readonly string[],
  shown = 3,
  { noun, separator = ', ' }: { noun?: [string, string]; separator?: string } = {}
): string {
  const named = items.slice(0, shown)
  const rest = items.length - named.length
  // "; and" after a list of lists, so that its last "and" cannot be read as part of the item before it.
  const and = separator === ', ' ? ' and ' : `${separator}and `
  if (rest > 0)
    return `${named.join(separator)}${and}${rest} more${noun ? ` ${rest === 1 ? noun[0] : noun[1]}` : ''}`
  if (named.length <= 1) return named.join('')
  return `${named.slice(0, -1).join(separator)}${and}${named[named.length - 1]}`
}

// ---- inputs --------------------------------------------------------------------------------------------

const APP_ID_FORM = 'd followed by lower-case letters and digits, 20 characters at most (e.g. d1a2b3c4d5e6f7)'
const JOB_ARN_FORM = 'arn:aws:amplify:<region>:<account>:apps/<app-id>/branches/<branch>/jobs/<id>'
const DURATION_UNITS =
  'lower-case units d, h, m, s in that order, each at most once, without spaces (90s, 5m, 2h, 1h30m)'

export const inputErrors = {
  unknownInputs: (unknown: readonly { name: string; closest?: string }[]) => {
    const named = unknown.map(u => `${quoteValue(u.name)}${u.closest ? ` (did you mean ${u.closest}?)` : ''}`)
    return `${unknown.length === 1 ? 'Input' : 'Inputs'} ${firstFew(named)} ${unknown.length === 1 ? 'is not an input' : 'are not inputs'} of amplify-stop-job: the step stops here rather than run without ${unknown.length === 1 ? 'it' : 'them'}. Fix the name in the step's with:, or remove it (action.yml lists every input).`
  },
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
  regionNotInPartition: (value: string, region: string, partition: string) =>
    `Input job-id ${quoteValue(value)} is not a job ARN: its region ${quoteValue(region)} is not in the ${partition} partition (aws-cn has the cn- regions, aws-us-gov the us-gov- regions, aws the others).`,
  disagreesWithArn: (input: string, given: string, fromArn: string) =>
    `Input ${input} ${quoteValue(given)} disagrees with the job ARN in job-id, which names ${quoteValue(fromArn)}: remove ${input} or make it match.`,
  jobIdWithSeveral: () =>
    'Input job-id names one job, so it cannot be combined with several apps or branches (or *): give one app-id and one branch-name, or remove job-id.',
  onlyForDiscovery: (input: string) =>
    `Input ${input} selects among discovered jobs, so it cannot be combined with job-id: remove one of them.`,
  notACommit: (value: string) =>
    `Input commit-id ${quoteValue(value)} is not a commit: give a full SHA or a prefix of at least 7 hex characters.`,
  notAnOlderThan: (value: string) =>
    `Input older-than ${quoteValue(value)} is not a duration: use plain seconds (5400), or ${DURATION_UNITS}, from 1 s to 30 d.`,
  notAWaitTimeout: (value: string) =>
    `Input wait-timeout ${quoteValue(value)} is not a duration: use plain seconds (300), or ${DURATION_UNITS}, from 1 s to 6 h.`,
  notAFindTimeout: (value: string) =>
    `Input find-timeout ${quoteValue(value)} is not a duration: use 0 (look once), plain seconds (60), or ${DURATION_UNITS}, at most 1 h.`,
  notStatuses: (value: string) =>
    `Input statuses ${quoteValue(value)} is not a list of in-progress statuses: use any of ${IN_PROGRESS_STATUSES.join(', ')}, separated by commas, spaces or newlines.`,
  notJobTypes: (value: string) =>
    `Input job-types ${quoteValue(value)} is not a list of job types: use any of ${JOB_TYPES.join(', ')}, separated by commas, spaces or newlines.`,
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
  noRegion: () =>
    'No AWS region: set the aws-region input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
  notARegion: (source: string, value: string) =>
    `${source === 'aws-region' ? 'Input aws-region' : source} ${quoteValue(value)} is not an AWS region name such as us-east-1.`,
  notAnEndpoint: (name: string, value: string) =>
    `${name} ${quoteValue(value)} is not an http(s) URL: set it to an endpoint such as https://amplify.us-east-1.amazonaws.com, or unset it.`
}

// ---- failed requests -------------------------------------------------------------------------------------

/** What a failed request was about, for its message. */
export interface RequestSubject {
  region: string
  appId?: string
  branchName?: string
  jobId?: string
}

/** A failed request in words: the whole message for its target, and the two parts failures are grouped by. */
export interface RequestFailureText {
  message: string
  reason: string
  advice: string
}

function subjectOf(operation: string, s: RequestSubject): string {
  if (operation === 'ListApps') return `the apps in ${s.region}`
  if (operation === 'ListBranches') return `the branches of app ${id(s.appId ?? '')}`
  const branch = `branch ${branchName(s.branchName ?? '')}`
  return s.jobId ? `job ${id(s.jobId)} on ${branch}` : branch
}

function failed(what: string, reason: string, advice: string): RequestFailureText {
  return { message: advice ? `${what} ${advice}` : what, reason, advice }
}

const NETWORK_ADVICE = "Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and re-run."

/** `said` is the service's message, already made inert, redacted and shortened. */
export const requestFailures = {
  /** `resource` is the ARN IAM refused; `scope` what to allow for every target of the group (branch `*`). */
  denied: (
    op: Operation,
    s: RequestSubject,
    name: string,
    said: string,
    resource: string,
    scope: string
  ) => ({
    message: `Amplify ${op} for ${subjectOf(op, s)} was denied (${name}: ${said}). Allow amplify:${op} on ${inertLine(resource)} in the policy of the role this step uses.`,
    reason: `denied (${name})`,
    advice: `Allow amplify:${op} on ${inertLine(scope)} in the policy of the role this step uses.`
  }),
  expired: (op: Operation, s: RequestSubject, name: string, said: string) =>
    failed(
      `The AWS credentials expired before Amplify ${op} for ${subjectOf(op, s)} (${name}: ${said}).`,
      `credentials expired (${name})`,
      'For a long wait, give configure-aws-credentials a role-duration-seconds longer than wait-timeout.'
    ),
  refusedCredentials: (op: Operation, s: RequestSubject, name: string, said: string) =>
    failed(
      `Amplify ${op} refused the AWS credentials (${name}: ${said}).`,
      `credentials refused (${name})`,
      `Check that aws-actions/configure-aws-credentials ran before this step, for the account and region ${s.region} of the app.`
    ),
  noCredentials: (said: string) =>
    failed(
      `No AWS credentials were found (${said}).`,
      'no AWS credentials',
      'Add aws-actions/configure-aws-credentials (with OIDC: permissions id-token: write) before this step.'
    ),
  appNotFound: (op: Operation, s: RequestSubject, said: string) =>
    failed(
      `App ${id(s.appId ?? '')} was not found in ${s.region} (Amplify ${op}: ${said}).`,
      'app not found',
      'Check app-id and aws-region.'
    ),
  branchNotFound: (op: Operation, s: RequestSubject, said: string) =>
    failed(
      `Branch ${branchName(s.branchName ?? '')} was not found in app ${id(s.appId ?? '')} (Amplify ${op}: ${said}).`,
      'branch not found',
      "Check branch-name (a pull request's preview branch is named pr-<number>)."
    ),
  jobNotFound: (op: Operation, s: RequestSubject, said: string) =>
    failed(
      `Job ${id(s.jobId ?? '')} was not found on branch ${branchName(s.branchName ?? '')} of app ${id(s.appId ?? '')} (Amplify ${op}: ${said}).`,
      'job not found',
      'Check job-id.'
    ),
  appOrBranchNotFound: (op: Operation, s: RequestSubject, said: string) =>
    failed(
      `App ${id(s.appId ?? '')} or its branch ${branchName(s.branchName ?? '')} was not found in ${s.region} (Amplify ${op}: ${said}).`,
      'app or branch not found',
      'Check app-id, branch-name and aws-region.'
    ),
  throttled: (op: Operation, s: RequestSubject, name: string, attempts: number | undefined) =>
    failed(
      `Amplify kept throttling ${op} for ${subjectOf(op, s)}${afterAttempts(attempts)} (${name}).`,
      `throttled (${name})`,
      'Wait and re-run the job, or run fewer Amplify calls at once (AWS_MAX_ATTEMPTS raises the retries).'
    ),
  badRequest: (op: Operation, s: RequestSubject, said: string) =>
    failed(
      `Amplify refused ${op} for ${subjectOf(op, s)} (BadRequestException: ${said}).`,
      'refused (BadRequestException)',
      ''
    ),
  timedOut: (op: Operation, s: RequestSubject, attempts: number | undefined) =>
    failed(
      `Amplify did not answer ${op} for ${subjectOf(op, s)} in time${afterAttempts(attempts)}.`,
      'no answer in time',
      NETWORK_ADVICE
    ),
  serverFault: (op: Operation, s: RequestSubject, name: string, said: string, attempts: number | undefined) =>
    failed(
      `Amplify failed ${op} for ${subjectOf(op, s)}${afterAttempts(attempts)} (${name}: ${said}).`,
      `failed on Amplify's side (${name})`,
      "This is on Amplify's side: re-run the job later."
    ),
  unreachable: (op: Operation, code: string, said: string, attempts: number | undefined) =>
    failed(
      `Could not reach Amplify for ${op}${afterAttempts(attempts)} (${code}: ${said}).`,
      `unreachable (${code})`,
      "Check the runner's network or proxy (HTTPS_PROXY, NO_PROXY) and AWS_ENDPOINT_URL_AMPLIFY if set."
    ),
  other: (op: Operation, s: RequestSubject, name: string, said: string) =>
    failed(`Amplify ${op} for ${subjectOf(op, s)} failed (${name}: ${said}).`, `failed (${name})`, '')
}

function afterAttempts(attempts: number | undefined): string {
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : ''
}

// ---- how a run ends ----------------------------------------------------------------------------------------

/** The most a step's error may hold: GitHub shows it whole in the annotation. */
export const MAX_STEP_ERROR = 3990
const GROUPS_SHOWN = 8
const ADVICE_SHOWN = 4

/** The app and operation of a failure: its message names the branch and job already. */
function whereOf(failure: Failure): string {
  return failure.appId ? `app ${id(failure.appId)}, ${failure.operation}` : failure.operation
}

/** One failure, with where it happened when the run covers several branches. */
export function failureLine(failure: Failure, several: boolean): string {
  return several && failure.kind !== 'wait-timeout'
    ? `[${whereOf(failure)}] ${failure.message}`
    : failure.message
}

function targetOf(failure: Failure): string {
  if (failure.jobId) return `job ${id(failure.jobId)} on ${shortQuote(failure.branchName ?? '')}`
  return failure.branchName !== undefined ? shortQuote(failure.branchName) : ''
}

/** One line for a group of failures: where, what, how many, and the first few targets. */
export function failureGroupLine(group: FailureGroup): string {
  const [first] = group.failures
  if (first.kind === 'wait-timeout') return first.message
  const where = group.appId ? `App ${id(group.appId)}, ${group.operation}` : group.operation
  const targets = group.failures.map(targetOf).filter(Boolean)
  if (targets.length === 0) return `${where}: ${group.reason}.`
  const noun = first.jobId ? 'job' : 'branch'
  const count = plural(targets.length, noun, `${noun}${noun === 'branch' ? 'es' : 's'}`)
  return `${where}: ${group.reason} for ${count} (${firstFew(targets)}).`
}

/** Several requests failed: one line, then a line per group, then each piece of advice once. */
export function severalFailed(
  total: number,
  groups: readonly FailureGroup[],
  advice: readonly string[]
): string {
  const lines = [`${total} Amplify requests failed (everything else was acted on and reported):`]
  lines.push(...groups.slice(0, GROUPS_SHOWN).map(failureGroupLine))
  if (groups.length > GROUPS_SHOWN)
    lines.push(
      `And ${plural(groups.length - GROUPS_SHOWN, 'more group')} of failures; the step summary lists them.`
    )
  lines.push(...advice.slice(0, ADVICE_SHOWN).map(toFix))
  return shortened(lines.join('\n'), MAX_STEP_ERROR)
}

export function toFix(advice: string): string {
  return `To fix: ${advice}`
}

export function noJobFailure(note: string): string {
  return `${note} Failing because if-no-job is fail.`
}

export function unexpectedError(error: unknown): string {
  return `Unexpected error: ${shortened(inertLine(error instanceof Error ? error.message : String(error)), 500)}. This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace).`
}

/** The jobs that did not end in time, grouped by app, then branch, naming the first few of each. */
export function waitTimedOut(unfinished: readonly JobOutcome[], timeoutSeconds: number): string {
  const jobs = unfinished.map(o => o.job)
  const lead = `Waited ${duration(timeoutSeconds)} (wait-timeout), but ${jobs.length === 1 ? 'this job has' : `${jobs.length} jobs have`} not ended`
  const apps = [...groupBy(jobs, job => job.appId)].map(([appId, appJobs]) => {
    const branches = [...groupBy(appJobs, job => job.branchName)].map(
      ([branch, branchJobs]) =>
        `${shortQuote(branch, 40)} (${firstFew(
          branchJobs.map(j => `job ${id(j.jobId)} ${id(j.status)}`),
          2,
          { noun: ['job', 'jobs'] }
        )})`
    )
    return `app ${id(appId)}: ${firstFew(branches, 2, { noun: ['branch', 'branches'] })}`
  })
  return `${lead}: ${firstFew(apps, 2, { noun: ['app', 'apps'], separator: '; ' })}. Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the jobs in the Amplify console.`
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/** Amplify deletes a pull request's preview branch (pr-<number>) when the pull request closes. */
const PREVIEW_BRANCH = /^pr-[0-9]+$/

/** An input that narrowed discovery, with its value: "older-than (2h)". */
function filterWithValue(input: FilterInput, selection: Selection): string {
  switch (input) {
    case 'commit-id':
      return `commit-id (${inertLine(selection.commitId ?? '')})`
    case 'statuses':
      return `statuses (${(selection.statuses ?? []).join(', ')})`
    case 'job-types':
      return `job-types (${(selection.jobTypes ?? []).join(', ')})`
    case 'older-than':
      return `older-than (${duration(selection.olderThanSeconds ?? 0)})`
  }
}

const FILTER_ORDER: FilterInput[] = ['commit-id', 'statuses', 'job-types', 'older-than']

/** How many in-progress jobs there were, and which inputs left them alone; undefined when there were none. */
function leftAloneClause(
  leftAlone: Partial<Record<FilterInput, number>>,
  selection: Selection
): string | undefined {
  const counts = FILTER_ORDER.filter(input => (leftAlone[input] ?? 0) > 0).map(
    input => [input, leftAlone[input] ?? 0] as const
  )
  const total = counts.reduce((sum, [, n]) => sum + n, 0)
  if (total === 0) return undefined
  const inProgress = `${total === 1 ? '1 job is' : `${total} jobs are`} in progress`
  if (counts.length === 1)
    return `${inProgress}, but ${filterWithValue(counts[0][0], selection)} left ${total === 1 ? 'it' : 'them'} alone`
  const each = counts.map(([input, n]) => `${filterWithValue(input, selection)} left ${n} alone`)
  return `${inProgress}, but ${firstFew(each, 4)}`
}

function lookedFor(findTimeoutSeconds: number): string {
  return findTimeoutSeconds > 0 ? ` Looked for ${duration(findTimeoutSeconds)} (find-timeout).` : ''
}

/** Why nothing was acted on: the if-no-job note (a warning, an info line, or the failure's start). */
export function nothingFoundNote(nothing: NothingFound): string {
  switch (nothing.kind) {
    case 'no-app':
      return `No Amplify app in this region is connected to the repository ${inertLine(nothing.repository)}: nothing to stop. Check aws-region, or list the app ids.`
    case 'several-branches': {
      const read = `${plural(nothing.branches, 'branch', 'branches')} read in ${plural(nothing.apps, 'app')}`
      const filtered = leftAloneClause(nothing.leftAlone, nothing.selection)
      const text = filtered
        ? `No job was stopped on any of the ${read}: ${filtered}.`
        : `No job is in progress on any of the ${read}.`
      return text + lookedFor(nothing.findTimeoutSeconds)
    }
    case 'one-branch': {
      const { plan, selection } = nothing
      const { appId } = plan.target
      if (plan.missingBranch !== undefined) {
        // A closed pull request's preview branch is gone by design: no advice to check branch-name then.
        const missing = PREVIEW_BRANCH.test(plan.target.branchName)
          ? `Branch ${branchName(plan.target.branchName)} was not found in app ${id(appId)}: nothing to stop (Amplify deletes a preview branch when its pull request closes).`
          : `${plan.missingBranch} Nothing to stop.`
        return missing + lookedFor(nothing.findTimeoutSeconds)
      }
      const where = `on branch ${branchName(plan.target.branchName)} of app ${id(appId)}`
      const filtered = leftAloneClause(plan.leftAlone, selection)
      if (filtered) return `No job was stopped ${where}: ${filtered}.${lookedFor(nothing.findTimeoutSeconds)}`
      const scope = selection.commitId ? ` building commit ${inertLine(selection.commitId)}` : ''
      const listed = plan.listed ?? 0
      return `No job${scope} is in progress ${where} (${plural(listed, 'job')} listed).${lookedFor(nothing.findTimeoutSeconds)}`
    }
  }
}

// ---- log lines -----------------------------------------------------------------------------------------

/** Where a run acts, for its first log line. */
export function runStart(scope: {
  apps: string[] | { repository: string }
  branches: string[] | 'all'
  region: string
  branchOrigin: 'input' | 'pull-request' | 'ref' | 'job-arn'
  proxy?: string
}): string {
  const apps = Array.isArray(scope.apps)
    ? `${scope.apps.length === 1 ? 'app' : 'apps'} ${firstFew(scope.apps, 10)}`
    : `every app of ${inertLine(scope.apps.repository)}`
  const branches =
    scope.branches === 'all'
      ? 'every branch'
      : `${scope.branches.length === 1 ? 'branch' : 'branches'} ${firstFew(
          scope.branches.map(branchName),
          3
        )}`
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
  return `on branch ${branchName(job.branchName)}${namesApp ? ` of app ${id(job.appId)}` : ''}`
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
  const jobId = id(outcome.job.jobId)
  const status = id(outcome.job.status)
  const where = whereJob(outcome.job, namesApp)
  const commit = describeCommit(outcome.job)
  switch (outcome.result) {
    case 'stopped':
      return `Stopped job ${jobId} ${where} (${shortened(inertLine(statusChange(outcome)), 70)})${commit}`
    case 'already-ended':
      return `Job ${jobId} ${where} had already ended (${status}); nothing to stop${commit}`
    case 'already-stopping':
      return `Job ${jobId} ${where} is already stopping (${status}); not stopped again${commit}`
    case 'would-stop':
      return `Would stop job ${jobId} ${where} (${status}); dry run, no StopJob sent${commit}`
    case 'kept':
      return outcome.newerLeftAlone
        ? `Kept job ${jobId} ${where} running (${status}): it is the newest of those selected (a newer job in progress was left alone by the filters)${commit}`
        : `Kept job ${jobId} ${where} running (${status}): it is the newest${commit}`
    case 'failed':
      return `Could not stop job ${jobId} ${where} (${status}): ${shortened(inertLine(outcome.error ?? ''), 300)}${commit}`
  }
}

export function unknownStatus(job: Job, namesApp: boolean): string {
  return `Job ${id(job.jobId)} ${whereJob(job, namesApp)} has the status ${logQuote(shortened(job.status, 30))}, which this version of the action does not know: left alone.`
}

export function onlyNewestInProgress(job: Job, namesApp: boolean): string {
  return `Only job ${id(job.jobId)} ${whereJob(job, namesApp)}, the newest, is in progress: no superseded build to stop.`
}

/** For one of several branches where nothing was acted on: an info line. */
export function nothingOnBranch(
  target: BranchRef,
  missing: string | undefined,
  leftAlone: Partial<Record<FilterInput, number>>,
  selection: Selection
): string {
  const app = id(target.appId)
  if (missing !== undefined)
    return `App ${app} has no branch ${branchName(target.branchName)}: nothing to stop there.`
  const filtered = leftAloneClause(leftAlone, selection)
  return filtered
    ? `Nothing to stop on branch ${branchName(target.branchName)} of app ${app}: ${filtered}.`
    : `No job is in progress on branch ${branchName(target.branchName)} of app ${app}.`
}

/** find-timeout: nothing matched yet on a branch, which is read again until something does. */
export function lookingAgain(target: BranchRef, findTimeoutSeconds: number, everyMs: number): string {
  return `No job to stop on branch ${branchName(target.branchName)} of app ${id(target.appId)} yet: reading it again every ${duration(everyMs / 1000)} for up to ${duration(findTimeoutSeconds)} (find-timeout).`
}

/** A job CANCELLING for longer than older-than: only a person can end it. */
export function stuckCancelling(job: Job, ageSeconds: number): string {
  return `Job ${id(job.jobId)} on branch ${branchName(job.branchName)} of app ${id(job.appId)} is stuck CANCELLING: it started ${duration(ageSeconds)} ago, and Amplify cannot stop a job that is already stopping. Ask AWS Support to end it.`
}

export function moreStuck(more: number, total: number): string {
  return `More jobs stuck CANCELLING: ${more} besides those above (stuck-count ${total}); the jobs output and jobs-file list every one.`
}

/** During a wait: a waited job's status changed. */
export function statusChanged(job: Job, was: string, namesApp: boolean): string {
  return `Job ${id(job.jobId)} ${whereJob(job, namesApp)} is now ${id(job.status)} (was ${id(was)})`
}

/** During a wait: how many jobs are still waited for, by status, and how long of the limit has passed. */
export function stillWaiting(
  jobs: readonly Job[],
  waitedMs: number,
  timeoutSeconds: number,
  namesApp: boolean
): string {
  const lead = `Still waiting after ${duration(waitedMs / 1000)} of ${duration(timeoutSeconds)} (wait-timeout) for`
  if (jobs.length === 1) {
    const [job] = jobs
    return `${lead} job ${id(job.jobId)} ${whereJob(job, namesApp)} (${id(job.status)})`
  }
  const branches = new Set(jobs.map(job => `${job.appId}\u0000${job.branchName}`)).size
  const byStatus = [...groupBy(jobs, job => job.status)].map(([status, of]) => `${of.length} ${id(status)}`)
  return `${lead} ${jobs.length} jobs on ${plural(branches, 'branch', 'branches')}: ${firstFew(byStatus, 6)}`
}

export function jobsOutputCut(kept: number, total: number, jobsFile: string | undefined): string {
  return `The jobs output holds the first ${kept} of ${total} entries, to stay under GitHub's limit of 1 MB of outputs per job${jobsFile ? `; jobs-file has every entry: ${inertLine(jobsFile)}` : ''}.`
}

export function noSummaryFile(): string {
  return 'GITHUB_STEP_SUMMARY is not set: no step summary written.'
}

export function noJobsFile(reason: string): string {
  return `The jobs-file could not be written (${inertLine(reason)}): the jobs output alone lists the jobs.`
}

// ---- the step summary (plain words; report.ts escapes and lays them out) --------------------------------

export const summaryWords = {
  title: (dryRun: boolean, stopped: number) =>
    dryRun ? 'Amplify jobs that would be stopped' : `Amplify: ${plural(stopped, 'job')} stopped`,
  dryRun: ' (dry run: no StopJob sent)',
  noJob: 'No job in progress.',
  waited: (ms: number) => `Waited ${(ms / 1000).toFixed(1)} s for the jobs to end.`,
  failedHeading: 'Failed requests',
  stuckHeading: (n: number) => `${plural(n, 'job')} stuck CANCELLING: ask AWS Support to end them.`,
  /** The parts arrive as HTML already escaped by report.ts. */
  oneBranch: (app: string, region: string, branch: string) => `App ${app} in ${region}, branch ${branch}`,
  severalTargets: (apps: number, branches: number, region: string) =>
    `${plural(apps, 'app')}, ${plural(branches, 'branch', 'branches')} read in ${region}`,
  rowsLeftOut: (shown: number, total: number) =>
    `${total - shown} of ${total} rows are left out (failures and stops come first), to keep this summary under GitHub's limit of 1 MiB. Every job is in the file the jobs-file output names (upload it with actions/upload-artifact to keep it).`,
  columns: ['Job', 'Result', 'Status', 'Commit', 'Message'],
  targetColumns: ['App', 'Branch']
}
