/**
 * Everything the action shows: step outputs, log lines and the step summary. This is the one place where
 * text from others (branch names, commit messages, service messages) is written, so it is made inert here.
 */
import * as core from '@actions/core'
import { primaryOutcome, type JobOutcome } from './jobs.js'
import type { Settings } from './settings.js'
import { inertLine } from './text.js'

export { inertLine }

export interface RunReport {
  settings: Settings
  outcomes: JobOutcome[]
  /** How long waiting for the jobs to end took, when the action waited. */
  waitedMs?: number
  /** Why no job was acted on, when none was. */
  note?: string
}

/** The `jobs` output: one object per job acted on (and the kept one), newest first. */
export function jobsOutput(outcomes: readonly JobOutcome[]): string {
  return JSON.stringify(
    outcomes.map(o => ({
      jobId: o.job.jobId,
      jobArn: o.job.jobArn,
      status: o.job.status,
      ...(o.previousStatus !== undefined ? { previousStatus: o.previousStatus } : {}),
      ...(o.job.commitId !== undefined ? { commitId: o.job.commitId } : {}),
      result: o.result,
      ...(o.error !== undefined ? { error: o.error } : {})
    }))
  )
}

export function stoppedCount(outcomes: readonly JobOutcome[]): number {
  return outcomes.filter(o => o.result === 'stopped').length
}

export function setOutputs(outcomes: readonly JobOutcome[]): void {
  const primary = primaryOutcome(outcomes)
  core.setOutput('job-id', primary?.job.jobId ?? '')
  core.setOutput('job-arn', primary?.job.jobArn ?? '')
  core.setOutput('status', primary?.job.status ?? '')
  core.setOutput('jobs', jobsOutput(outcomes))
  core.setOutput('stopped-count', String(stoppedCount(outcomes)))
}

/** One log line for a job; it always starts with the action's own words, so no untrusted text begins a line. */
export function describeOutcome(outcome: JobOutcome, branchName: string): string {
  // The job id and status come from the service too: inert like the rest.
  const id = inertLine(outcome.job.jobId)
  const status = inertLine(outcome.job.status)
  const where = `on branch ${logQuote(branchName)}`
  const commit = describeCommit(outcome)
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

/** "RUNNING → CANCELLING" when the status changed and the earlier one is known, else the status alone. */
function statusChange(outcome: JobOutcome): string {
  const { previousStatus } = outcome
  const { status } = outcome.job
  return previousStatus && previousStatus !== status ? `${previousStatus} → ${status}` : status
}

function describeCommit(outcome: JobOutcome): string {
  const { commitId, commitMessage } = outcome.job
  const sha = commitId ? ` ${inertLine(commitId).slice(0, 7)}` : ''
  const message = commitMessage ? ` ${logQuote(firstLine(commitMessage))}` : ''
  return sha || message ? `, commit${sha}${message}` : ''
}

export function logOutcomes(outcomes: readonly JobOutcome[], settings: Settings): void {
  for (const outcome of outcomes) {
    const line = describeOutcome(outcome, settings.branchName)
    if (outcome.result === 'already-ended') core.notice(line)
    else core.info(line)
  }
}

/** After a wait: one line for each job whose status changed, e.g. CANCELLING → CANCELLED. */
export function logEndings(
  before: readonly JobOutcome[],
  after: readonly JobOutcome[],
  settings: Settings
): void {
  after.forEach((outcome, i) => {
    const earlier = before[i]?.job.status
    if (earlier !== undefined && earlier !== outcome.job.status) {
      core.info(
        `Job ${inertLine(outcome.job.jobId)} on branch ${logQuote(settings.branchName)} is now ${inertLine(outcome.job.status)} (was ${inertLine(earlier)})`
      )
    }
  })
}

export async function writeSummary(report: RunReport): Promise<void> {
  // core.summary writes to the file process.env names, so that is the variable to check.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no step summary written.')
    return
  }
  const { settings, outcomes } = report
  const branch = html(settings.branchName)
  const deployments = consoleUrl(settings)
  const stopped = stoppedCount(outcomes)
  const title = settings.dryRun
    ? 'Amplify jobs that would be stopped'
    : `Amplify: ${stopped} job${stopped === 1 ? '' : 's'} stopped`
  core.summary
    .addHeading(title, 3)
    .addRaw(
      `<p>App <code>${html(settings.appId)}</code> in <code>${html(settings.region)}</code>, branch <a href="${deployments}"><code>${branch}</code></a>${settings.dryRun ? ' (dry run: no StopJob sent)' : ''}</p>`,
      true
    )
  if (outcomes.length === 0) {
    core.summary.addRaw(`<p>${html(report.note ?? 'No job in progress.')}</p>`, true)
  } else {
    core.summary.addTable([
      [
        { data: 'Job', header: true },
        { data: 'Result', header: true },
        { data: 'Status', header: true },
        { data: 'Commit', header: true },
        { data: 'Message', header: true }
      ],
      ...outcomes.map(o => [
        `<a href="${deployments}">${html(o.job.jobId)}</a>`,
        html(o.result),
        html(statusChange(o)),
        o.job.commitId ? `<code>${html(o.job.commitId.slice(0, 7))}</code>` : '',
        html(firstLine(o.job.commitMessage ?? ''))
      ])
    ])
  }
  if (report.waitedMs !== undefined) {
    core.summary.addRaw(`<p>Waited ${(report.waitedMs / 1000).toFixed(1)} s for the jobs to end.</p>`, true)
  }
  await core.summary.write()
}

/** The branch's deployments in the Amplify console (the console has no stable link to a single job). */
export function consoleUrl(settings: Pick<Settings, 'region' | 'appId' | 'branchName'>): string {
  return html(
    `https://${settings.region}.console.aws.amazon.com/amplify/apps/${settings.appId}/branches/${encodeURIComponent(settings.branchName)}/deployments`
  )
}

const MAX_TEXT = 100

/** The first line of a commit message, shortened, for one log line or one table cell. */
export function firstLine(text: string): string {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? ''
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line
}

/** Untrusted text quoted for the log; JSON escapes keep quotes and backslashes unambiguous. */
export function logQuote(text: string): string {
  return JSON.stringify(inertLine(text))
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/**
 * Untrusted text for the step summary: HTML-escaped, and Markdown's punctuation written as character
 * references, so it can neither open a tag nor form a link, emphasis or table cell wherever it lands.
 */
export function html(text: string): string {
  return inertLine(text).replace(/[&<>"'`|[\]()*_~\\!#]/g, c => HTML_ESCAPES[c] ?? `&#${c.charCodeAt(0)};`)
}
