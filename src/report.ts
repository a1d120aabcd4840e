/**
 * Everything the action shows: log lines as the run goes, then the conclusion: step outputs, the jobs-file,
 * the step summary and the step's one error. The words come from messages.ts; this module decides only
 * where they go (info, notice, warning, output, table) and keeps each within GitHub's limits: a log line at
 * most 1,000 characters, the `jobs` output under 500,000, the summary under 1,000,000 bytes.
 */
import * as core from '@actions/core'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ActionError } from './errors.js'
import type { BranchRef, Job, JobOutcome } from './jobs.js'
import * as messages from './messages.js'
import { boundedLines, firstLine, html, inertLine } from './text.js'
import type { BranchPlan, Conclusion, Settings } from './types.js'
import type { WaitProgress } from './wait.js'

/** GitHub limits a job's outputs to 1 MB, sized as UTF-16: the `jobs` output stays well under half of it. */
export const MAX_JOBS_OUTPUT = 500_000
/** GitHub drops a step summary over 1 MiB whole: this one stays under 1,000,000 bytes. */
export const MAX_SUMMARY_BYTES = 1_000_000
/** A run with more stuck jobs warns about these, then counts the rest in one line. */
const STUCK_WARNINGS = 10
/** The summary's list of failures names at most this many groups. */
const FAILURE_GROUPS_IN_SUMMARY = 50

const info = (text: string) => core.info(boundedLines(text))
const notice = (text: string) => core.notice(boundedLines(text))
const warning = (text: string) => core.warning(boundedLines(text))

export function logStart(settings: Settings, proxy: string | undefined): void {
  const { target } = settings
  info(
    messages.runStart({
      apps:
        target.kind === 'job'
          ? [target.branch.appId]
          : target.apps.kind === 'ids'
            ? target.apps.ids
            : { repository: target.apps.url },
      branches:
        target.kind === 'job'
          ? [target.branch.branchName]
          : target.branches.kind === 'names'
            ? target.branches.names
            : 'all',
      region: settings.region,
      branchOrigin: settings.branchSource,
      proxy
    })
  )
}

/** What reading one branch showed, before its outcomes: unknown statuses, a lone kept job, nothing there. */
export function logBranchPlan(plan: BranchPlan, settings: Settings): void {
  const { several, severalApps } = settings.target
  for (const job of plan.unknownStatus) warning(messages.unknownStatus(job, severalApps))
  const kept = plan.decided.find(o => o.result === 'kept')
  if (kept && plan.decided.length === 1 && plan.toStop.length === 0 && !kept.newerLeftAlone)
    info(messages.onlyNewestInProgress(kept.job, severalApps))
  if (several && !plan.failure && plan.decided.length === 0 && plan.toStop.length === 0)
    info(messages.nothingOnBranch(plan.target, plan.missingBranch, plan.leftAlone, settings.selection))
}

/** find-timeout: nothing matched yet on this branch, which is read again. */
export function logLookingAgain(branch: BranchRef, settings: Settings, everyMs: number): void {
  info(messages.lookingAgain(branch, settings.findTimeoutSeconds, everyMs))
}

/** One line per job, as it happens; a job that had already ended is a notice. */
export function logOutcomes(outcomes: readonly JobOutcome[], settings: Settings): void {
  for (const outcome of outcomes) {
    const line = messages.describeOutcome(outcome, settings.target.severalApps)
    if (outcome.result === 'already-ended') notice(line)
    else info(line)
  }
}

/** The wait's progress as log lines. */
export function waitProgress(settings: Settings): WaitProgress {
  const { severalApps } = settings.target
  return {
    statusChanged: (job: Job, was: string) => info(messages.statusChanged(job, was, severalApps)),
    stillWaiting: (jobs: Job[], waitedMs: number) =>
      info(messages.stillWaiting(jobs, waitedMs, settings.waitTimeoutSeconds, severalApps))
  }
}

/**
 * The end of the run: the if-no-job note and stuck jobs in the log, the outputs and jobs-file, the summary,
 * and last the step's one error, so it is the final line a reader sees.
 */
export async function report(settings: Settings, conclusion: Conclusion): Promise<void> {
  if (conclusion.note !== undefined && conclusion.error === undefined) {
    if (settings.ifNoJob === 'warn') warning(conclusion.note)
    else if (settings.ifNoJob === 'ignore') info(conclusion.note)
  }
  warnStuck(conclusion.stuck)
  setOutputs(conclusion)
  await writeSummary(settings, conclusion)
  if (conclusion.error) failStep(conclusion.error)
}

function warnStuck(stuck: readonly Job[]): void {
  const now = Date.now()
  for (const job of stuck.slice(0, STUCK_WARNINGS))
    warning(messages.stuckCancelling(job, (now - (job.startTime ?? now)) / 1000))
  if (stuck.length > STUCK_WARNINGS) warning(messages.moreStuck(stuck.length - STUCK_WARNINGS, stuck.length))
}

/** One item of the `jobs` output and the jobs-file. */
export interface JobsEntry {
  appId: string
  branchName: string
  jobId: string
  jobArn: string
  status: string
  previousStatus?: string
  commitId?: string
  result: string
  error?: string
}

export function jobsEntry(o: JobOutcome): JobsEntry {
  return {
    appId: o.job.appId,
    branchName: o.job.branchName,
    jobId: o.job.jobId,
    jobArn: o.job.jobArn,
    status: o.job.status,
    ...(o.previousStatus !== undefined ? { previousStatus: o.previousStatus } : {}),
    ...(o.job.commitId !== undefined ? { commitId: o.job.commitId } : {}),
    result: o.result,
    ...(o.error !== undefined ? { error: o.error } : {})
  }
}

/** The first entries whose JSON array stays under `max` characters, as valid JSON, and how many it holds. */
export function boundedJson(
  entries: readonly JobsEntry[],
  max = MAX_JOBS_OUTPUT
): { json: string; kept: number } {
  const parts: string[] = []
  let length = 2 // the brackets
  for (const entry of entries) {
    const part = JSON.stringify(entry)
    const added = part.length + (parts.length > 0 ? 1 : 0)
    if (length + added >= max) break
    parts.push(part)
    length += added
  }
  return { json: `[${parts.join(',')}]`, kept: parts.length }
}

/**
 * The job the single-value outputs describe: the first entry of `jobs` that is not kept. For one branch
 * that is the newest job acted on.
 */
function primaryOutcome(outcomes: readonly JobOutcome[]): JobOutcome | undefined {
  return outcomes.find(o => o.result !== 'kept')
}

function stoppedCount(outcomes: readonly JobOutcome[]): number {
  return outcomes.filter(o => o.result === 'stopped').length
}

function setOutputs(conclusion: Conclusion): void {
  const { outcomes } = conclusion
  const primary = primaryOutcome(outcomes)
  const entries = outcomes.map(jobsEntry)
  const jobsFile = writeJobsFile(entries)
  const { json, kept } = boundedJson(entries)
  if (kept < entries.length) warning(messages.jobsOutputCut(kept, entries.length, jobsFile))
  core.setOutput('job-id', primary?.job.jobId ?? '')
  core.setOutput('job-arn', primary?.job.jobArn ?? '')
  core.setOutput('status', primary?.job.status ?? '')
  core.setOutput('jobs', json)
  core.setOutput('stopped-count', String(stoppedCount(outcomes)))
  core.setOutput('stuck-count', String(conclusion.stuck.length))
  core.setOutput('jobs-file', jobsFile ?? '')
}

/** Every entry, never cut, in a file of its own under RUNNER_TEMP (one directory per step, so steps never clash). */
function writeJobsFile(entries: readonly JobsEntry[]): string | undefined {
  try {
    const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'amplify-stop-job-'))
    const file = join(dir, 'jobs.json')
    writeFileSync(file, JSON.stringify(entries))
    return file
  } catch (error) {
    warning(messages.noJobsFile(error instanceof Error ? error.message : String(error)))
    return undefined
  }
}

/** Rows that matter most come first when the table must be cut: failures, then stops, then the rest. */
function rowRank(outcome: JobOutcome): number {
  return outcome.result === 'failed' ? 0 : outcome.result === 'stopped' ? 1 : 2
}

async function writeSummary(settings: Settings, conclusion: Conclusion): Promise<void> {
  // core.summary writes to the file process.env names, so that is the variable to check.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug(messages.noSummaryFile())
    return
  }
  await core.summary.addRaw(summaryHtml(settings, conclusion)).write()
}

/** The whole summary as HTML, under MAX_SUMMARY_BYTES: every text in it passes through html(). */
export function summaryHtml(settings: Settings, conclusion: Conclusion): string {
  const { outcomes } = conclusion
  const { target } = settings
  const words = messages.summaryWords
  const dryRun = settings.dryRun ? words.dryRun : ''
  const head: string[] = [`<h3>${html(words.title(settings.dryRun, stoppedCount(outcomes)))}</h3>`]
  if (target.several) {
    const scope = words.severalTargets(conclusion.appsRead, conclusion.branchesRead, settings.region)
    head.push(`<p>${html(scope)}${html(dryRun)}</p>`)
  } else {
    const branch = target.kind === 'job' ? target.branch : (outcomes[0]?.job ?? onlyBranch(target))
    const app = `<code>${html(branch.appId)}</code>`
    const link = `<a href="${consoleUrl(settings.region, branch)}"><code>${html(branch.branchName)}</code></a>`
    head.push(`<p>${words.oneBranch(app, `<code>${html(settings.region)}</code>`, link)}${html(dryRun)}</p>`)
  }
  const tail: string[] = []
  if (conclusion.waitedMs !== undefined) tail.push(`<p>${html(words.waited(conclusion.waitedMs))}</p>`)
  if (conclusion.stuck.length > 0) tail.push(`<p>${html(words.stuckHeading(conclusion.stuck.length))}</p>`)
  tail.push(...failureList(settings, conclusion))

  if (outcomes.length === 0)
    return [...head, `<p>${html(conclusion.note ?? words.noJob)}</p>`, ...tail].join('\n')
  const headers = [...(target.several ? words.targetColumns : []), ...words.columns]
  const tableHead = `<table><tr>${headers.map(h => `<th>${html(h)}</th>`).join('')}</tr>`
  const rows = outcomes.map(o => tableRow(settings, o))
  const whole = [...head, tableHead, ...rows, '</table>', ...tail].join('\n')
  if (byteLength(whole) < MAX_SUMMARY_BYTES) return whole
  // Too many rows: the ones that matter most first, as many as fit, and a line saying what was left out.
  const leftOutLine = (shown: number) => `<p>${html(words.rowsLeftOut(shown, rows.length))}</p>`
  const fixed = [...head, tableHead, '</table>', leftOutLine(0), ...tail].join('\n') // 0 shown: the longest count
  let budget = MAX_SUMMARY_BYTES - byteLength(fixed)
  const ranked = outcomes.map((o, i) => ({ o, i })).sort((a, b) => rowRank(a.o) - rowRank(b.o) || a.i - b.i)
  const shown: string[] = []
  for (const { i } of ranked) {
    budget -= byteLength(rows[i]) + 1 // and its line break
    if (budget <= 0) break
    shown.push(rows[i])
  }
  return [...head, tableHead, ...shown, '</table>', leftOutLine(shown.length), ...tail].join('\n')
}

function tableRow(settings: Settings, o: JobOutcome): string {
  const deployments = consoleUrl(settings.region, o.job)
  const cells = [
    ...(settings.target.several
      ? [
          `<code>${html(o.job.appId)}</code>`,
          `<a href="${deployments}"><code>${html(o.job.branchName)}</code></a>`
        ]
      : []),
    `<a href="${deployments}">${html(o.job.jobId)}</a>`,
    html(o.result),
    html(messages.statusChange(o)),
    o.job.commitId ? `<code>${html(o.job.commitId.slice(0, 7))}</code>` : '',
    html(firstLine(o.job.commitMessage ?? ''))
  ]
  return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
}

/** The failures, as the step's error groups them: one line each, at most FAILURE_GROUPS_IN_SUMMARY. */
function failureList(settings: Settings, conclusion: Conclusion): string[] {
  const { failures } = conclusion
  if (failures.length === 0) return []
  const lines =
    failures.length === 1
      ? [messages.failureLine(failures[0], settings.target.several)]
      : [...conclusion.failureGroups.map(messages.failureGroupLine), ...conclusion.advice.map(messages.toFix)]
  return [
    `<p><strong>${html(messages.summaryWords.failedHeading)}</strong></p>`,
    `<ul>${lines
      .slice(0, FAILURE_GROUPS_IN_SUMMARY)
      .map(line => `<li>${html(line)}</li>`)
      .join('')}</ul>`
  ]
}

/** The one app and branch of a discovery that covers one. */
function onlyBranch(target: Extract<Settings['target'], { kind: 'discovery' }>): BranchRef {
  return {
    appId: target.apps.kind === 'ids' ? target.apps.ids[0] : '',
    branchName: target.branches.kind === 'names' ? target.branches.names[0] : ''
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** The branch's deployments in the Amplify console (the console has no stable link to a single job). */
export function consoleUrl(region: string, branch: BranchRef): string {
  return html(
    `https://${region}.console.aws.amazon.com/amplify/apps/${branch.appId}/branches/${encodeURIComponent(wellFormed(branch.branchName))}/deployments`
  )
}

/** A lone surrogate (a service may send one) made U+FFFD: encodeURIComponent throws on it. */
function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\ufffd')
}

/** The step's one error: an ActionError's message, or the words for a bug. */
export function failStep(error: unknown): void {
  core.setFailed(boundedLines(error instanceof ActionError ? error.message : messages.unexpectedError(error)))
  // The stack holds the error's message, which may quote text from others: inert, line by line.
  if (!(error instanceof ActionError) && error instanceof Error && error.stack)
    core.debug(error.stack.split('\n').map(inertLine).join('\n'))
}
