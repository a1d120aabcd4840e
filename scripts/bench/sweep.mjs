#!/usr/bin/env node
// The sweep the several-apps issue sets as its bar: 2 apps x 60 branches (branch-name '*'), one running
// job on each, every answer from the local server 40 ms late. Runs dist/index.js on Node 24 --runs times
// (default 5) and prints, per run and as medians: the step's wall time, the sweep as the server saw it
// (first request in to last answer out), the requests by operation, and the peak of requests in flight,
// next to a serial run's floor (requests x latency). `npm run bench -- --only sweep` runs it too.
import { parseArgs } from 'node:util'
import { runAction } from '../../__tests__/support/action-runner.js'
import { TEST_CREDENTIALS, startAmplifyServer } from '../../__tests__/support/amplify-server.js'

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '40' },
    apps: { type: 'string', default: '2' },
    branches: { type: 'string', default: '60' }
  }
})
const runs = Math.max(1, Number(options.runs))
const latencyMs = Number(options.latency)
const appIds = Array.from({ length: Number(options.apps) }, (_, i) => `dsweep${i + 1}`)
const branchCount = Number(options.branches)

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function oneSweep() {
  const server = await startAmplifyServer({ latencyMs })
  try {
    for (const app of appIds) for (let i = 0; i < branchCount; i++) server.addJob(app, `pr-${i}`)
    const { exitCode: code, durationMs: wallMs } = await runAction({
      endpoint: server.url,
      credentials: { ...TEST_CREDENTIALS },
      inputs: { 'app-id': appIds.join(','), 'branch-name': '*' },
      runtime: 'node24'
    })
    if (code !== 0) throw new Error(`the action exited ${code}`)
    const byOperation = {}
    for (const r of server.requests) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1
    const sweepMs = Math.max(...server.requests.map(r => r.endTime ?? 0)) - server.requests[0].time
    return { wallMs, sweepMs, requests: server.requests.length, byOperation, peak: server.peakInFlight }
  } finally {
    await server.close()
  }
}

const results = []
for (let i = 0; i < runs; i++) {
  const r = await oneSweep()
  results.push(r)
  console.log(
    `run ${i + 1}: wall ${r.wallMs} ms, sweep ${r.sweepMs} ms, ${r.requests} requests ${JSON.stringify(r.byOperation)}, peak in flight ${r.peak}`
  )
}
const serialMs = results[0].requests * latencyMs
const wall = median(results.map(r => r.wallMs))
const sweep = median(results.map(r => r.sweepMs))
console.log(
  `\n${appIds.length} apps x ${branchCount} branches, ${latencyMs} ms per answer, Node 24, median of ${runs}: ` +
    `wall ${wall} ms, sweep ${sweep} ms; serial floor ${serialMs} ms; ` +
    `sweep/serial ${(sweep / serialMs).toFixed(3)}, wall/serial ${(wall / serialMs).toFixed(3)}; ` +
    `peak in flight ${Math.max(...results.map(r => r.peak))}`
)
