// GitHub's size limits, on the pure helpers that keep them, at sizes the end-to-end tests cannot run cheaply:
// the `jobs` output under 500,000 characters and valid JSON, the step summary under 1,000,000 bytes with the
// rows that matter most first. What the outputs and summary hold otherwise is the end-to-end tests' to check.
import { describe, expect, it } from '@jest/globals'
import type { JobOutcome, JobResult } from '../../src/jobs.js'
import * as messages from '../../src/messages.js'
import { boundedJson, jobsEntry, MAX_JOBS_OUTPUT, MAX_SUMMARY_BYTES, summaryHtml } from '../../src/report.js'
import { html as escaped } from '../../src/text.js'
import type { Conclusion, Settings } from '../../src/types.js'

const outcome = (i: number, result: JobResult): JobOutcome => ({
  job: {
    appId: `d${i % 7}`,
    branchName: `feature/é-${i}`,
    jobId: String(i),
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/feature/jobs/${String(i).padStart(10, '0')}`,
    status: result === 'failed' ? 'RUNNING' : 'CANCELLING',
    commitId: 'abcdef0123456789abcdef0123456789abcdef01',
    commitMessage: `A commit message that says what changed <b>${i}</b> | and why`
  },
  result,
  previousStatus: 'RUNNING',
  ...(result === 'failed' ? { error: 'Amplify refused StopJob.' } : {})
})

describe('boundedJson: the jobs output', () => {
  const entries = Array.from({ length: 3000 }, (_, i) => jobsEntry(outcome(i, 'stopped')))

  it.each([MAX_JOBS_OUTPUT, 10_000, 600])(
    'under %i characters: valid JSON, the first entries in order',
    max => {
      const { json, kept } = boundedJson(entries, max)
      expect(json.length).toBeLessThan(max)
      expect(JSON.parse(json)).toEqual(entries.slice(0, kept))
      expect(kept).toBeGreaterThan(0)
      expect(kept).toBeLessThan(entries.length)
      expect(
        `[${entries
          .slice(0, kept + 1)
          .map(e => JSON.stringify(e))
          .join(',')}]`.length
      ).toBeGreaterThanOrEqual(max)
    }
  )

  it('holds every entry when they fit, strictly under max, and [] when there is none or none fits', () => {
    expect(boundedJson(entries.slice(0, 5))).toEqual({ json: JSON.stringify(entries.slice(0, 5)), kept: 5 })
    expect(boundedJson(entries, JSON.stringify(entries.slice(0, 2)).length).kept).toBe(1)
    expect(boundedJson([])).toEqual({ json: '[]', kept: 0 })
    expect(boundedJson(entries, 10)).toEqual({ json: '[]', kept: 0 })
  })
})

describe('summaryHtml: the step summary', () => {
  const settings: Settings = {
    target: {
      kind: 'discovery',
      apps: { kind: 'repository', url: 'https://github.com/octo/site' },
      branches: { kind: 'all' },
      several: true,
      severalApps: true
    },
    branchSource: 'input',
    region: 'us-east-1',
    ifNoJob: 'warn',
    selection: { keepNewest: false },
    findTimeoutSeconds: 0,
    wait: false,
    waitTimeoutSeconds: 300,
    dryRun: false
  }
  const conclusion = (outcomes: JobOutcome[]): Conclusion => ({
    outcomes,
    failures: [],
    failureGroups: [],
    advice: [],
    stuck: [],
    appsRead: 7,
    branchesRead: outcomes.length,
    waitedMs: 1000
  })
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8')
  const rowsOf = (html: string) => [
    ...html.matchAll(/<td><a href="[^"]*">(\d+)<\/a><\/td><td>([a-z-]+)<\/td>/g)
  ]

  it('a table that fits is whole, with no line about rows left out', () => {
    const html = summaryHtml(settings, conclusion([outcome(1, 'stopped'), outcome(2, 'kept')]))
    expect(rowsOf(html).map(([, id, result]) => `${id} ${result}`)).toEqual(['1 stopped', '2 kept'])
    expect(html).not.toContain('left out')
  })

  it('20,000 jobs: under 1,000,000 bytes, failures then stops first, and a line counting the rows left out', () => {
    const results: JobResult[] = ['kept', 'stopped', 'already-ended', 'stopped', 'already-stopping', 'failed']
    const outcomes = Array.from({ length: 20_000 }, (_, i) => outcome(i, results[i % 10] ?? 'stopped'))
    const html = summaryHtml(settings, conclusion(outcomes))
    expect(bytes(html)).toBeLessThan(MAX_SUMMARY_BYTES)
    const rows = rowsOf(html).map(([, id, result]) => ({ id: Number(id), result }))
    const failed = rows.filter(row => row.result === 'failed')
    expect(failed).toHaveLength(2000) // every failure, first, in their own order; then as many stops as fit
    expect(rows.slice(0, 2000)).toEqual(failed)
    expect(failed.map(row => row.id)).toEqual(
      outcomes
        .map((o, id) => ({ id, o }))
        .filter(x => x.o.result === 'failed')
        .map(x => x.id)
    )
    expect(rows.length).toBeGreaterThan(2000)
    expect(rows.slice(2000).every(row => row.result === 'stopped')).toBe(true)
    expect(html).toContain(`<p>${escaped(messages.summaryWords.rowsLeftOut(rows.length, 20_000))}</p>`)
    expect(html.indexOf('left out')).toBeGreaterThan(html.indexOf('</table>'))
    expect(html).toContain('<p>Waited 1.0 s for the jobs to end.</p>')
  })
})
