/**
 * Everything the action shows: step outputs, log lines and the step summary. This is the one place where
 * text from others (branch names, commit messages, service messages) is written, so it is made inert here.
 */
import * as core from '@actions/core'
import { primaryOutcome, type JobOutcome } from './jobs.js'
import type { Settings } from './settings.js'

export interface RunReport {
  settings: Settings
  outcomes: JobOutcome[]
  /** How long waiting for the jobs to end took, when the action waited. */
  waitedMs?: number
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
  const { job } = outcome
  const where = `on branch ${logQuote(branchName)}`
  const change =
    outcome.previousStatus && outcome.previousStatus !== job.status
      ? `${outcome.previousStatus} → ${job.status}`
      : job.status
  const commit = describeCommit(outcome)
  switch (outcome.result) {
    case 'stopped':
      return `Stopped job ${job.jobId} ${where} (${change})${commit}`
    case 'already-ended':
      return `Job ${job.jobId} ${where} had already ended (${job.status}); nothing to stop${commit}`
    case 'already-stopping':
      return `Job ${job.jobId} ${where} is already stopping (${job.status}); not stopped again${commit}`
    case 'would-stop':
      return `Would stop job ${job.jobId} ${where} (${job.status}); dry run, no StopJob sent${commit}`
    case 'kept':
      return `Kept job ${job.jobId} ${where} running (${job.status}): it is the newest${commit}`
    case 'failed':
      return `Could not stop job ${job.jobId} ${where} (${job.status}): ${inertLine(outcome.error ?? '')}${commit}`
  }
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
        `Job ${outcome.job.jobId} on branch ${logQuote(settings.branchName)} is now ${outcome.job.status} (was ${earlier})`
      )
    }
  })
}

export async function writeSummary(report: RunReport, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
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
    core.summary.addRaw('<p>No job in progress.</p>', true)
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
        html(
          o.previousStatus && o.previousStatus !== o.job.status
            ? `${o.previousStatus} → ${o.job.status}`
            : o.job.status
        ),
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

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: all could end or rewrite a line.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g
const MAX_TEXT = 100

/** The first line of a commit message, shortened, for one log line or one table cell. */
export function firstLine(text: string): string {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? ''
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line
}

/** Untrusted text as part of one log line: no control characters, so it can never start a line of its own. */
export function inertLine(text: string): string {
  return text.replace(LINE_BREAKING, ' ')
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
