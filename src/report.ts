/**
 * Everything the action shows: step outputs, log lines and the step summary. The words come from
 * messages.ts; this module decides only where they go (info, notice, warning, table).
 */
import * as core from '@actions/core'
import { ActionError } from './errors.js'
import type { BranchRef, Job, JobOutcome } from './jobs.js'
import * as say from './messages.js'
import { coversSeveral, foundNothing, primaryOutcome, type BranchPlan, type Failure } from './plan.js'
import { onlyBranch, type Settings } from './settings.js'
import { firstLine, html } from './text.js'
import type { WaitProgress } from './wait.js'

/** Log lines name the app too when the run covers more than one. */
function namesApp(settings: Pick<Settings, 'apps'>): boolean {
  return settings.apps.kind === 'repository' || settings.apps.ids.length > 1
}

export function logStart(settings: Settings, proxy: string | undefined): void {
  core.info(
    say.runStart({
      apps: settings.apps.kind === 'ids' ? settings.apps.ids : { repository: settings.apps.url },
      branches: settings.branches.kind === 'names' ? settings.branches.names : 'all',
      region: settings.region,
      branchOrigin: settings.branchSource,
      proxy
    })
  )
}

/** What reading one branch showed, before its outcomes: unknown statuses, a lone kept job, nothing there. */
export function logBranchPlan(plan: BranchPlan, settings: Settings): void {
  const apps = namesApp(settings)
  for (const job of plan.unknownStatus) core.warning(say.unknownStatus(job, apps))
  const kept = plan.decided.find(o => o.result === 'kept')
  if (kept && plan.decided.length === 1 && plan.toStop.length === 0)
    core.info(say.onlyNewestInProgress(kept.job, apps))
  if (coversSeveral(settings) && !plan.failure && foundNothing(plan))
    core.info(say.nothingOnBranch(plan.target, plan.missingBranch))
}

/** One line per job, as it happens; a job that had already ended is a notice. */
export function logOutcomes(outcomes: readonly JobOutcome[], settings: Settings): void {
  for (const outcome of outcomes) {
    const line = say.describeOutcome(outcome, namesApp(settings))
    if (outcome.result === 'already-ended') core.notice(line)
    else core.info(line)
  }
}

/** if-no-job: warn is a warning, ignore an info line; fail says it in the step's error instead. */
export function logNothingFound(note: string | undefined, settings: Pick<Settings, 'ifNoJob'>): void {
  if (note === undefined) return
  if (settings.ifNoJob === 'warn') core.warning(note)
  else if (settings.ifNoJob === 'ignore') core.info(note)
}

/** The wait's progress as log lines. */
export function waitProgress(settings: Settings): WaitProgress {
  const apps = namesApp(settings)
  return {
    statusChanged: (job: Job, was: string) => core.info(say.statusChanged(job, was, apps)),
    stillWaiting: (jobs: Job[], waitedMs: number) =>
      core.info(say.stillWaiting(jobs, waitedMs, settings.waitTimeoutSeconds, apps))
  }
}

/** The `jobs` output: one object per job acted on, and the kept ones, in the order the outcomes come. */
export function jobsOutput(outcomes: readonly JobOutcome[]): string {
  return JSON.stringify(
    outcomes.map(o => ({
      appId: o.job.appId,
      branchName: o.job.branchName,
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

export interface RunReport {
  settings: Settings
  outcomes: JobOutcome[]
  /** How many apps were read. */
  appsRead: number
  /** The branches read (none for a job id). */
  plans: BranchPlan[]
  failures: Failure[]
  /** How long waiting for the jobs to end took, when the action waited. */
  waitedMs?: number
  /** Why no job was acted on, when none was. */
  note?: string
}

export async function writeSummary(report: RunReport): Promise<void> {
  // core.summary writes to the file process.env names, so that is the variable to check.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug(say.noSummaryFile())
    return
  }
  const { settings, outcomes, plans } = report
  const several = coversSeveral(settings)
  const dryRun = settings.dryRun ? say.summaryWords.dryRun : ''
  core.summary.addHeading(say.summaryWords.title(settings.dryRun, stoppedCount(outcomes)), 3)
  if (several) {
    core.summary.addRaw(
      `<p>${html(say.summaryWords.severalTargets(report.appsRead, plans.length, settings.region))}${dryRun}</p>`,
      true
    )
  } else {
    const target = plans[0]?.target ?? outcomes[0]?.job ?? onlyBranch(settings)
    const app = `<code>${html(target.appId)}</code>`
    const branch = `<a href="${consoleUrl(settings.region, target)}"><code>${html(target.branchName)}</code></a>`
    core.summary.addRaw(
      `<p>${say.summaryWords.oneBranch(app, `<code>${html(settings.region)}</code>`, branch)}${dryRun}</p>`,
      true
    )
  }
  if (outcomes.length === 0) {
    core.summary.addRaw(`<p>${html(report.note ?? say.summaryWords.noJob)}</p>`, true)
  } else {
    const headers = [...(several ? say.summaryWords.targetColumns : []), ...say.summaryWords.columns]
    core.summary.addTable([
      headers.map(data => ({ data, header: true })),
      ...outcomes.map(o => {
        const deployments = consoleUrl(settings.region, o.job)
        return [
          ...(several
            ? [
                `<code>${html(o.job.appId)}</code>`,
                `<a href="${deployments}"><code>${html(o.job.branchName)}</code></a>`
              ]
            : []),
          `<a href="${deployments}">${html(o.job.jobId)}</a>`,
          html(o.result),
          html(say.statusChange(o)),
          o.job.commitId ? `<code>${html(o.job.commitId.slice(0, 7))}</code>` : '',
          html(firstLine(o.job.commitMessage ?? ''))
        ]
      })
    ])
  }
  if (report.waitedMs !== undefined)
    core.summary.addRaw(`<p>${html(say.summaryWords.waited(report.waitedMs))}</p>`, true)
  if (report.failures.length > 0) {
    core.summary
      .addRaw(`<p><strong>${html(say.summaryWords.failedHeading)}</strong></p>`, true)
      .addList(report.failures.map(f => html(say.failureLine(f, several))))
  }
  await core.summary.write()
}

/** The branch's deployments in the Amplify console (the console has no stable link to a single job). */
export function consoleUrl(region: string, branch: BranchRef): string {
  return html(
    `https://${region}.console.aws.amazon.com/amplify/apps/${branch.appId}/branches/${encodeURIComponent(branch.branchName)}/deployments`
  )
}

/** The step's one error: an ActionError's message, or the words for a bug. */
export function failStep(error: unknown): void {
  core.setFailed(error instanceof ActionError ? error.message : say.unexpectedError(error))
  if (!(error instanceof ActionError) && error instanceof Error && error.stack) core.debug(error.stack)
}
