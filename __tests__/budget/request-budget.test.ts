// Request budgets: what a run costs in Amplify requests, counted from the local server's request log (never
// timed). The bundled action (dist/index.js) runs as the runner runs it, on the Node that action.yml declares.
//   stop by job id  = exactly 1 request (StopJob)
//   discovery       = one ListJobs per page needed (ceil(n / 50), at least 1) + one StopJob per job stopped,
//                     the StopJobs sent concurrently
//   no request is ever sent twice, except as a retry (the SDK's `amz-sdk-request: attempt=N; max=M` header)
import { describe, expect, it } from '@jest/globals'
import type { LoggedRequest } from '../support/amplify-server.js'
import { expectSuccess, runStep, startServer, type AmplifyServer } from '../support/harness.js'

const APP = 'd9b8u7d6g5e4t3'
const PAGE_SIZE = 50 // ListJobs' largest page, which the action asks for

/** Stopped jobs stay CANCELLING, so that nothing but the action changes a job. */
const HELD = { cancelDelayMs: Infinity }

/** A request's identity: the same key twice means the same request was sent twice. */
const keyOf = (r: LoggedRequest) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`

const count = (server: AmplifyServer, operation: LoggedRequest['operation']) =>
  server.requests.filter(r => r.operation === operation).length

/**
 * Every request is sent once, unless it is a retry of one that failed: for each distinct request the
 * attempts are 1, 2, … in order, and every attempt but the last failed.
 */
function expectNoRepeatsButRetries(server: AmplifyServer): void {
  const byKey = new Map<string, LoggedRequest[]>()
  for (const r of server.requests) byKey.set(keyOf(r), [...(byKey.get(keyOf(r)) ?? []), r])
  for (const [key, sent] of byKey) {
    expect({ key, attempts: sent.map(r => r.attempt) }).toEqual({
      key,
      attempts: sent.map((_, i) => i + 1)
    })
    const failed = (r: LoggedRequest) =>
      r.status === 'reset' || (typeof r.status === 'number' && r.status >= 429)
    expect({ key, retriedAfterFailure: sent.slice(0, -1).every(failed) }).toEqual({
      key,
      retriedAfterFailure: true
    })
  }
}

describe('stop by job id', () => {
  it.concurrent('is exactly one request: StopJob, first attempt', async () => {
    const server = await startServer(HELD)
    server.addJobs(APP, 'main', 3, i => ({ status: i === 2 ? 'RUNNING' : 'SUCCEED' }))

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '3' } })
    expectSuccess(result)

    expect(server.requests.map(r => [r.operation, r.status, r.attempt])).toEqual([['StopJob', 200, 1]])
    expect(result.outputs).toMatchObject({ 'job-id': '3', status: 'CANCELLING', 'stopped-count': '1' })
  })
})

describe('discovery', () => {
  // A long-lived branch: ended jobs, the newest two in progress (one running, one pending, as Amplify
  // allows per branch), and from 3 jobs on the oldest left RUNNING, so that only reading every page finds it.
  it.concurrent.each([1, 2, 49, 50, 51, 100, 120, 2000])(
    'on a branch with %i jobs: one ListJobs per page of 50, one StopJob per job in progress',
    async jobs => {
      const server = await startServer(HELD)
      const inProgress = new Set([jobs, jobs - 1, 1].filter(id => id >= 1))
      server.addJobs(APP, 'main', jobs, i => ({
        status: inProgress.has(i + 1) ? (i + 1 === jobs && jobs > 1 ? 'PENDING' : 'RUNNING') : 'SUCCEED'
      }))

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })
      expectSuccess(result)

      const pages = Math.max(1, Math.ceil(jobs / PAGE_SIZE))
      expect({ ListJobs: count(server, 'ListJobs'), StopJob: count(server, 'StopJob') }).toEqual({
        ListJobs: pages,
        StopJob: inProgress.size
      })
      expect(server.requests).toHaveLength(pages + inProgress.size)
      // Every page at the largest size, each token followed once, the StopJobs after the last page.
      const lists = server.requestsFor('ListJobs')
      expect(lists.every(r => r.query.maxResults === String(PAGE_SIZE))).toBe(true)
      expect(lists[0].query.nextToken).toBeUndefined()
      expect(new Set(lists.map(r => r.query.nextToken)).size).toBe(pages)
      expect(server.requests.slice(0, pages).every(r => r.operation === 'ListJobs')).toBe(true)
      expect(
        server
          .requestsFor('StopJob')
          .map(r => r.jobId)
          .sort((a, b) => Number(a) - Number(b))
      ).toEqual([...inProgress].sort((a, b) => a - b).map(String))
      expect(result.outputs['stopped-count']).toBe(String(inProgress.size))
      expect(server.requests.every(r => r.status === 200 && r.attempt === 1)).toBe(true)
      expectNoRepeatsButRetries(server)
    }
  )

  it.concurrent('with nothing in progress is the ListJobs pages alone', async () => {
    const server = await startServer(HELD)
    server.addJobs(APP, 'main', 120, { status: 'SUCCEED' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'if-no-job': 'ignore' }
    })
    expectSuccess(result)

    expect(server.requests.map(r => r.operation)).toEqual(['ListJobs', 'ListJobs', 'ListJobs'])
    expect(result.outputs['stopped-count']).toBe('0')
  })

  it.concurrent('in a dry run is the ListJobs pages alone, with no StopJob', async () => {
    const server = await startServer(HELD)
    server.addJobs(APP, 'main', 60, i => ({ status: i >= 58 ? 'RUNNING' : 'SUCCEED' }))

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'dry-run': 'true' }
    })
    expectSuccess(result)

    expect(server.requests.map(r => r.operation)).toEqual(['ListJobs', 'ListJobs'])
    expect(result.jobs?.map(j => j.result)).toEqual(['would-stop', 'would-stop'])
  })

  it.concurrent(
    'sends the StopJobs concurrently: every one arrives while the first is still held unanswered',
    async () => {
      const server = await startServer(HELD)
      const inProgress = ['RUNNING', 'PENDING', 'RUNNING', 'PROVISIONING', 'CREATED']
      server.addJobs(APP, 'main', 60, i => ({ status: i >= 55 ? inProgress[i - 55] : 'SUCCEED' }))
      const arrivedBeforeAnyAnswer: string[] = []
      let answered = false
      let allArrived!: () => void
      const barrier = new Promise<void>(resolve => (allArrived = resolve))
      const bound = new Promise<'timed out'>(resolve => setTimeout(() => resolve('timed out'), 5_000).unref())
      const waits: Promise<unknown>[] = []
      server.onRequest(async request => {
        if (request.operation !== 'StopJob') return
        if (!answered) arrivedBeforeAnyAnswer.push(request.jobId ?? '')
        if (arrivedBeforeAnyAnswer.length === inProgress.length) allArrived()
        // Hold every StopJob until all have arrived; a sequential client would never send the second one,
        // so the bound releases it and the assertions below fail instead of the test hanging.
        const wait = Promise.race([barrier.then(() => 'all arrived'), bound])
        waits.push(wait)
        await wait
        answered = true
      })

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })
      expectSuccess(result)

      expect(await Promise.all(waits)).toEqual(inProgress.map(() => 'all arrived'))
      expect(arrivedBeforeAnyAnswer.sort()).toEqual(['56', '57', '58', '59', '60'])
      expect(count(server, 'StopJob')).toBe(inProgress.length)
      expect(result.outputs['stopped-count']).toBe(String(inProgress.length))
    }
  )
})

describe('retries', () => {
  it.concurrent(
    'repeat a request only after it failed, with the next attempt number, and nothing else is repeated',
    async () => {
      const server = await startServer(HELD)
      server.addJobs(APP, 'main', 120, i => ({ status: i >= 118 ? 'RUNNING' : 'SUCCEED' }))
      server.addFault({ kind: 'throttle', operation: 'ListJobs', times: 1 }) // the first page, once
      server.addFault({ kind: 'internal', operation: 'StopJob', times: 1 }) // one of the two stops, once

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })
      expectSuccess(result)

      expect(result.outputs['stopped-count']).toBe('2')
      // The budget (3 pages + 2 stops) plus exactly one retry per injected fault.
      expect(server.requests).toHaveLength(3 + 2 + 2)
      expect(server.requests.filter(r => r.attempt === 2).map(r => [r.operation, r.status])).toEqual([
        ['ListJobs', 200],
        ['StopJob', 200]
      ])
      expectNoRepeatsButRetries(server)
    }
  )
})
