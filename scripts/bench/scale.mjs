#!/usr/bin/env node
// Issue 15's figures at the scale of a real account, on Node 24 against the local server (each run a fresh
// server; `npm run bench -- --only throttled-sweep,stops-first` runs this too):
//
//   throttled-sweep  2 apps x 150 branches (branch-name '*'), one RUNNING job each, every answer 20 ms late,
//                    behind a token bucket of 10 requests a second (burst 10), as AWS throttles an account:
//                    wall time against the floor (requests needed / rate), the answers the bucket throttled,
//                    the highest attempt of any request, the jobs stopped on the server, the exit code
//   stops-first      2 apps x 60 branches, every answer 40 ms late: for each StopJob, its arrival at the
//                    server minus the end of its own branch's ListJobs answer (median and max over the 120
//                    stops), how many other reads reached the server in between, and how long the reads took
//
// Options: --only throttled-sweep,stops-first; --runs N (default 1; figures per run, and medians over runs);
// --json FILE (write the results as JSON).
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runAction } from '../../__tests__/support/action-runner.js'
import { TEST_CREDENTIALS, startAmplifyServer } from '../../__tests__/support/amplify-server.js'

const { values: options } = parseArgs({
  options: {
    only: { type: 'string', default: 'throttled-sweep,stops-first' },
    runs: { type: 'string', default: '1' },
    json: { type: 'string' }
  }
})
const ONLY = new Set(options.only.split(','))
const RUNS = Math.max(1, Number(options.runs))

const THROTTLED = { apps: 2, branches: 150, latencyMs: 20, rate: 10, burst: 10 }
const STOPS_FIRST = { apps: 2, branches: 60, latencyMs: 40 }

const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const seconds = ms => `${(ms / 1000).toFixed(1)} s`

/** A fresh server with one RUNNING job on each branch pr-0 … of each app; the step run once against it. */
async function sweep({ apps, branches, latencyMs, rate, burst }) {
  const server = await startAmplifyServer({
    latencyMs,
    cancelDelayMs: Infinity,
    ...(rate ? { throttle: { rate, burst } } : {})
  })
  const appIds = Array.from({ length: apps }, (_, i) => `dscale${i + 1}`)
  for (const app of appIds) for (let i = 0; i < branches; i++) server.addJob(app, `pr-${i}`)
  try {
    const {
      exitCode: code,
      durationMs: wallMs,
      outputs
    } = await runAction({
      endpoint: server.url,
      credentials: { ...TEST_CREDENTIALS },
      inputs: { 'app-id': appIds.join(','), 'branch-name': '*' },
      runtime: 'node24',
      timeoutMs: 600_000
    })
    const jobs = appIds.flatMap(app =>
      Array.from({ length: branches }, (_, i) => server.getJob(app, `pr-${i}`, '1'))
    )
    return {
      code,
      wallMs,
      outputs,
      requests: [...server.requests],
      throttled: server.throttledCount,
      peak: server.peakInFlight,
      jobs: jobs.length,
      stoppedOnServer: jobs.filter(job => job.status === 'CANCELLING').length
    }
  } finally {
    await server.close()
  }
}

async function throttledSweep() {
  const s = THROTTLED
  console.log(
    `\n== throttled-sweep: ${s.apps} apps x ${s.branches} branches, ${s.latencyMs} ms answers, ` +
      `bucket ${s.rate} requests/s (burst ${s.burst})`
  )
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const r = await sweep(s)
    const needed = r.requests.filter(q => q.status === 200).length
    const floorMs = (needed / s.rate) * 1000
    const byOperation = {}
    for (const q of r.requests) byOperation[q.operation] = (byOperation[q.operation] ?? 0) + 1
    const run = {
      exitCode: r.code,
      wallMs: Math.round(r.wallMs),
      floorMs: Math.round(floorMs),
      overFloor: Number((r.wallMs / floorMs).toFixed(3)),
      requests: r.requests.length,
      needed,
      byOperation,
      throttled: r.throttled,
      maxAttempt: Math.max(...r.requests.map(q => q.attempt ?? 0)),
      peakInFlight: r.peak,
      stoppedCount: Number(r.outputs['stopped-count']),
      stoppedOnServer: r.stoppedOnServer,
      jobs: r.jobs
    }
    runs.push(run)
    console.log(
      `run ${i + 1}: exit ${run.exitCode}, wall ${seconds(run.wallMs)} against a floor of ${seconds(run.floorMs)} ` +
        `(${needed} requests needed / ${s.rate} a second; wall/floor ${run.overFloor}), ` +
        `${run.requests} requests sent ${JSON.stringify(byOperation)}, ${run.throttled} throttled answers, ` +
        `highest attempt ${run.maxAttempt}, peak in flight ${run.peakInFlight}; ` +
        `${run.stoppedOnServer} of ${run.jobs} jobs stopped on the server (stopped-count ${run.stoppedCount})`
    )
  }
  return { ...s, runs }
}

async function stopsFirst() {
  const s = STOPS_FIRST
  console.log(`\n== stops-first: ${s.apps} apps x ${s.branches} branches, ${s.latencyMs} ms answers`)
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const r = await sweep(s)
    if (r.code !== 0) throw new Error(`the action exited ${r.code}`)
    const lists = r.requests.filter(q => q.operation === 'ListJobs')
    const gaps = []
    const overtaking = []
    r.requests.forEach((stop, at) => {
      if (stop.operation !== 'StopJob') return
      const own = lists.find(l => l.appId === stop.appId && l.branchName === stop.branchName)
      gaps.push(stop.time - own.endTime)
      overtaking.push(
        r.requests.slice(0, at).filter(q => q.operation === 'ListJobs' && q.time > own.endTime).length
      )
    })
    const run = {
      wallMs: Math.round(r.wallMs),
      stops: gaps.length,
      gapMs: { median: median(gaps), max: Math.max(...gaps), min: Math.min(...gaps) },
      readsBetween: { median: median(overtaking), max: Math.max(...overtaking) },
      readsMs: Math.max(...lists.map(l => l.endTime)) - lists[0].time,
      peakInFlight: r.peak
    }
    runs.push(run)
    console.log(
      `run ${i + 1}: StopJob arrival − its branch's ListJobs answer over ${run.stops} stops: ` +
        `median ${run.gapMs.median} ms, max ${run.gapMs.max} ms (min ${run.gapMs.min}); other reads in between: ` +
        `median ${run.readsBetween.median}, max ${run.readsBetween.max}; the reads took ${run.readsMs} ms; ` +
        `wall ${run.wallMs} ms, peak in flight ${run.peakInFlight}`
    )
  }
  if (runs.length > 1)
    console.log(
      `median of ${runs.length} runs: gap median ${median(runs.map(r => r.gapMs.median))} ms, ` +
        `max ${median(runs.map(r => r.gapMs.max))} ms`
    )
  return { ...s, runs }
}

const results = {}
if (ONLY.has('throttled-sweep')) results.throttledSweep = await throttledSweep()
if (ONLY.has('stops-first')) results.stopsFirst = await stopsFirst()
if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`)
