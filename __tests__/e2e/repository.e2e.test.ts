// One step for a whole repository, end to end through dist/index.js against the local server: several
// apps, every app of the repository, every branch, older-than, a job ARN, partial failures, and the bound
// on requests in flight. Each test starts its own server, so the tests run concurrently.
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  countByOperation,
  expectAllSigned,
  expectFailure,
  expectInputError,
  expectSuccess,
  jobLines,
  jobsPath,
  runStep,
  startServer,
  type AmplifyServer
} from '../support/harness.js'

const REPO = 'https://github.com/octo-org/octo-site' // the repository the runner's GITHUB_REPOSITORY names

describe('a monorepo', () => {
  it.concurrent(
    'a list of three apps where one lacks the branch: stops the other two, and succeeds',
    async () => {
      const server = await startServer()
      server.addJob('dweb1', 'pr-7', { status: 'RUNNING' })
      server.addJob('dadmin2', 'pr-7', { status: 'SUCCEED' })
      server.addJob('dadmin2', 'pr-7', { status: 'RUNNING' })
      server.addJob('ddocs3', 'main', { status: 'RUNNING' }) // no pr-7 in this app

      // A YAML `|` block: one app id a line, a duplicate that collapses.
      const result = await runStep(server, {
        inputs: { 'app-id': 'dweb1\ndadmin2\nddocs3\ndweb1\n', 'branch-name': 'pr-7' }
      })

      expectSuccess(result)
      expect(jobLines(result)).toEqual(['dweb1/pr-7#1 stopped', 'dadmin2/pr-7#2 stopped'])
      expect(result.outputs['stopped-count']).toBe('2')
      expect(result.outputs['job-id']).toBe('1') // the first entry of jobs: apps in the order given
      expect(result.outputs['job-arn']).toBe(server.jobArn('dweb1', 'pr-7', '1'))
      expect(result.stdout).toContain('App ddocs3 has no branch "pr-7": nothing to stop there.')
      expect(result.stdout).toContain('Stopped job 2 on branch "pr-7" of app dadmin2 (RUNNING → CANCELLING)')
      expect(result.warnings).toEqual([])
      expect(result.summaryText).toContain('App Branch Job Result Status Commit Message')
      expect(result.summaryText).toContain('3 apps, 3 branches read in us-east-1')
      // exactly the requests needed: no GetApp or GetBranch to check existence first
      expect(countByOperation(server)).toEqual({ ListJobs: 3, StopJob: 2 })
      expect(server.getJob('ddocs3', 'main', '1').status).toBe('RUNNING')
      expectAllSigned(server)
    }
  )

  it.concurrent("app-id '*': every app of this repository by name, never an app of another one", async () => {
    const server = await startServer()
    server.addApp('dwebzz', { name: 'web', repository: REPO })
    server.addApp('dadminaa', { name: 'admin', repository: 'https://GitHub.com/Octo-Org/octo-site.git/' })
    server.addApp('dother', { name: 'aaa-other', repository: 'https://github.com/octo-org/octo-site-2' })
    for (const app of ['dwebzz', 'dadminaa', 'dother']) server.addJob(app, 'pr-7', { status: 'RUNNING' })

    const result = await runStep(server, { inputs: { 'app-id': '*', 'branch-name': 'pr-7' } })

    expectSuccess(result)
    expect(jobLines(result)).toEqual(['dadminaa/pr-7#1 stopped', 'dwebzz/pr-7#1 stopped'])
    expect(server.getJob('dother', 'pr-7', '1').status).toBe('RUNNING')
    expect(server.requests.filter(r => r.appId === 'dother')).toEqual([])
    expect(countByOperation(server)).toEqual({ ListApps: 1, ListJobs: 2, StopJob: 2 })
    expect(server.requestsFor('ListApps')[0].query).toMatchObject({ maxResults: '50' })
    expect(result.stdout).toContain(`every app of ${REPO}`)
  })

  it.concurrent(
    "app-id '*' with no app of this repository is the if-no-job case, naming the repository",
    async () => {
      const server = await startServer()
      server.addApp('dother', { name: 'other', repository: 'https://github.com/someone/else' })
      server.addJob('dother', 'main', { status: 'RUNNING' })

      const warned = await runStep(server, { inputs: { 'app-id': '*', 'branch-name': 'main' } })
      expectSuccess(warned)
      expect(warned.warnings.map(w => w.message)).toEqual([
        `No Amplify app in this region is connected to the repository ${REPO}: nothing to stop. Check aws-region, or list the app ids.`
      ])
      const failed = await runStep(server, {
        inputs: { 'app-id': '*', 'branch-name': 'main', 'if-no-job': 'fail' }
      })
      expectFailure(failed, `connected to the repository ${REPO}`, 'Failing because if-no-job is fail.')
      expect(countByOperation(server)).toEqual({ ListApps: 2 })
    }
  )

  it.concurrent(
    "branch-name '*' reads every ListBranches page and acts on the branches in name order",
    async () => {
      const server = await startServer()
      // 55 branches: two pages of ListBranches at 50 a page; created in reverse name order.
      const names = Array.from({ length: 55 }, (_, i) => `b${String(54 - i).padStart(2, '0')}`)
      for (const name of names) server.addJob('dapp1', name, { status: name < 'b03' ? 'RUNNING' : 'SUCCEED' })

      const result = await runStep(server, { inputs: { 'app-id': 'dapp1', 'branch-name': '*' } })

      expectSuccess(result)
      expect(jobLines(result)).toEqual(['dapp1/b00#1 stopped', 'dapp1/b01#1 stopped', 'dapp1/b02#1 stopped'])
      const pages = server.requestsFor('ListBranches')
      expect(pages.map(p => [p.query.maxResults, p.query.nextToken === undefined])).toEqual([
        ['50', true],
        ['50', false]
      ])
      expect(countByOperation(server)).toEqual({ ListBranches: 2, ListJobs: 55, StopJob: 3 })
    }
  )
})

describe('older-than', () => {
  /** A branch with a job started 3 h ago, one started 1 min ago, and one with no start time; all running. */
  async function agedBranch(): Promise<AmplifyServer> {
    const server = await startServer()
    server.addJob('dapp1', 'main', { status: 'RUNNING', startedSecondsAgo: 3 * 3600 })
    server.addJob('dapp1', 'main', { status: 'RUNNING', startTime: undefined })
    server.addJob('dapp1', 'main', { status: 'PENDING', startedSecondsAgo: 60 })
    return server
  }

  it.concurrent.each(['5400', '90m', '2h', '1h30m', '7200s'])(
    '%s stops only the job started 3 h ago; the recent one and the one without a start time are left alone',
    async olderThan => {
      const server = await agedBranch()
      const result = await runStep(server, {
        inputs: { 'app-id': 'dapp1', 'branch-name': 'main', 'older-than': olderThan }
      })
      expectSuccess(result)
      expect(jobLines(result)).toEqual(['dapp1/main#1 stopped'])
      expect(calls(server)).toEqual([
        `ListJobs ${jobsPath('dapp1', 'main')} 200`,
        `StopJob ${jobsPath('dapp1', 'main', '1', true)} 200`
      ])
    }
  )

  it.concurrent('narrows before keep-newest, which then keeps the newest of the old jobs', async () => {
    const server = await startServer()
    server.addJob('dapp1', 'main', { status: 'RUNNING', startedSecondsAgo: 5 * 3600 })
    server.addJob('dapp1', 'main', { status: 'PENDING', startedSecondsAgo: 4 * 3600 })
    server.addJob('dapp1', 'main', { status: 'PENDING', startedSecondsAgo: 30 })
    const result = await runStep(server, {
      inputs: { 'app-id': 'dapp1', 'branch-name': 'main', 'older-than': '2h', 'keep-newest': 'true' }
    })
    expectSuccess(result)
    expect(jobLines(result)).toEqual(['dapp1/main#2 kept', 'dapp1/main#1 stopped'])
  })

  it.concurrent('with nothing old enough, takes the if-no-job path', async () => {
    const server = await startServer()
    server.addJob('dapp1', 'main', { status: 'RUNNING', startedSecondsAgo: 60 })
    const result = await runStep(server, {
      inputs: { 'app-id': 'dapp1', 'branch-name': 'main', 'older-than': '1h' }
    })
    expectSuccess(result)
    expect(result.warnings.map(w => w.message)).toEqual([
      'No job is in progress on branch "main" of app dapp1 (1 job listed).'
    ])
    expect(countByOperation(server)).toEqual({ ListJobs: 1 })
  })

  it.concurrent.each([
    ['2 hours', {}],
    ['-5m', {}],
    ['0', {}],
    ['soon', {}],
    ['31d', {}],
    ['30m1h', {}],
    ['2H', {}],
    ['2592001', {}],
    ['2h', { 'job-id': '3' }]
  ])('%j %j is an input error naming older-than, and nothing is sent', async (olderThan, extra) => {
    const server = await startServer()
    const result = await runStep(server, {
      inputs: { 'app-id': 'dapp1', 'branch-name': 'main', 'older-than': olderThan, ...extra }
    })
    // the forms, or why older-than cannot go with job-id
    expectInputError(result, server, 'Input older-than', 'job-id' in extra ? 'cannot be combined' : '1h30m')
  })
})

describe('a job ARN in job-id', () => {
  const ARN_APP = 'dapp1'
  const ARN_BRANCH = 'feature/jobs/x' // a branch name with /jobs/ in it: the last /jobs/ ends it

  async function branchWithJob42(): Promise<{ server: AmplifyServer; arn: string }> {
    const server = await startServer()
    server.addJob(ARN_APP, ARN_BRANCH, { jobId: '42', status: 'RUNNING' })
    return { server, arn: server.jobArn(ARN_APP, ARN_BRANCH, '42') } // jobs/0000000042, as Amplify writes it
  }

  it.concurrent(
    'alone: app, branch, region and job come from it, and the ARN region wins over AWS_REGION',
    async () => {
      const { server, arn } = await branchWithJob42()
      const result = await runStep(server, { inputs: { 'job-id': arn }, region: 'eu-west-1' })
      expectSuccess(result)
      expect(calls(server)).toEqual([`StopJob ${jobsPath(ARN_APP, ARN_BRANCH, '42', true)} 200`])
      expectAllSigned(server) // signed for us-east-1, the ARN's region; the server refuses any other
      expect(result.outputs).toMatchObject({ 'job-id': '42', 'job-arn': arn, status: 'CANCELLING' })
      expect(result.stdout).toContain('branch "feature/jobs/x" (from the job ARN)')
    }
  )

  it.concurrent('with app-id, branch-name and aws-region that agree: the same one StopJob', async () => {
    const { server, arn } = await branchWithJob42()
    const result = await runStep(server, {
      inputs: { 'job-id': arn, 'app-id': ARN_APP, 'branch-name': ARN_BRANCH, 'aws-region': 'us-east-1' }
    })
    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath(ARN_APP, ARN_BRANCH, '42', true)} 200`])
  })

  it.concurrent.each([
    ['app-id', 'dother', '"dother"', '"dapp1"'],
    ['branch-name', 'main', '"main"', '"feature/jobs/x"'],
    ['aws-region', 'eu-west-1', '"eu-west-1"', '"us-east-1"']
  ])('with a %s that disagrees: an input error naming both values', async (input, value, given, fromArn) => {
    const { server, arn } = await branchWithJob42()
    const result = await runStep(server, { inputs: { 'job-id': arn, [input]: value } })
    expectInputError(result, server, `Input ${input} ${given}`, `names ${fromArn}`)
  })

  it.concurrent('a malformed ARN is an input error naming job-id and the form', async () => {
    const server = await startServer()
    const result = await runStep(server, {
      inputs: { 'job-id': 'arn:aws:amplify:us-east-1:123456789012:apps/dapp1/branches/main' }
    })
    expectInputError(result, server, 'Input job-id', 'is not a job ARN', '/jobs/<id>')
  })

  it.concurrent('job-id with several apps is an input error', async () => {
    const server = await startServer()
    const result = await runStep(server, {
      inputs: { 'app-id': 'dapp1,dapp2', 'branch-name': 'main', 'job-id': '4' }
    })
    expectInputError(result, server, 'Input job-id names one job')
  })
})

describe('a partial failure', () => {
  it.concurrent(
    'one app denied: the other is still stopped and reported, then the step fails naming the app',
    async () => {
      const server = await startServer()
      server.addJob('ddenied', 'pr-7', { status: 'RUNNING' })
      server.addJob('dallowed', 'pr-7', { status: 'RUNNING' })
      server.deny('ListJobs', { appId: 'ddenied' })

      const result = await runStep(server, {
        inputs: { 'app-id': 'ddenied, dallowed', 'branch-name': 'pr-7' }
      })

      expectFailure(
        result,
        'Amplify ListJobs for branch "pr-7" was denied',
        'Allow amplify:ListJobs on arn:aws:amplify:us-east-1:123456789012:apps/ddenied/branches/pr-7'
      )
      expect(server.getJob('dallowed', 'pr-7', '1').status).toMatch(/^CANCELL(ING|ED)$/)
      expect(jobLines(result)).toEqual(['dallowed/pr-7#1 stopped'])
      expect(result.outputs['stopped-count']).toBe('1')
      expect(result.summaryText).toContain('Failed requests')
      expect(result.summaryText).toContain('apps/ddenied/branches/pr-7')
    }
  )

  it.concurrent(
    'two failures of different kinds: one error naming each app, branch and operation',
    async () => {
      const server = await startServer()
      server.addJob('dgone', 'main', { status: 'RUNNING' })
      server.addJob('dstuck', 'main', { status: 'RUNNING' })
      server.addJob('dfine', 'main', { status: 'RUNNING' })
      server.deleteBranch('dgone', 'main')
      server.deny('StopJob', { appId: 'dstuck' })
      // a missing app is a failure; the missing branch of dgone is not
      const result = await runStep(server, {
        inputs: { 'app-id': 'dgone dstuck dfine dnoapp', 'branch-name': 'main', 'if-no-job': 'fail' }
      })
      const message = expectFailure(result, /^2 Amplify requests failed/)
      expect(message).toContain('[app dstuck, branch "main", job 1, StopJob]')
      expect(message).toContain('[app dnoapp, branch "main", ListJobs] App dnoapp was not found')
      expect(message).not.toContain('dgone')
      expect(jobLines(result)).toEqual(['dstuck/main#1 failed', 'dfine/main#1 stopped'])
      expect(server.getJob('dfine', 'main', '1').status).toMatch(/^CANCELL(ING|ED)$/)
    }
  )
})

describe('failures name where they happened', () => {
  it.concurrent('one failed request among three apps: the one error names its app and branch', async () => {
    const server = await startServer()
    for (const app of ['dweb1', 'dadmin2', 'ddocs3']) server.addJob(app, 'pr-5', { status: 'RUNNING' })
    server.onRequest(request => {
      if (request.operation === 'ListJobs' && request.appId === 'dadmin2') throw new Error('internal')
    })
    const result = await runStep(server, {
      inputs: { 'app-id': 'dweb1 dadmin2 ddocs3', 'branch-name': 'pr-5' },
      env: { AWS_MAX_ATTEMPTS: '1' }
    })
    const message = expectFailure(result, /^\[app dadmin2, branch "pr-5", ListJobs\] Amplify failed ListJobs/)
    expect(result.summaryText).toContain(message)
    expect(jobLines(result)).toEqual(['dweb1/pr-5#1 stopped', 'ddocs3/pr-5#1 stopped'])
  })

  it.concurrent('a wait that times out beside a denied app: one error naming both', async () => {
    const server = await startServer({ cancelDelayMs: Infinity }) // the job stays CANCELLING
    server.addJob('ddenied', 'main', { status: 'RUNNING' })
    server.addJob('dstuck', 'main', { status: 'RUNNING' })
    server.deny('ListJobs', { appId: 'ddenied' })
    const result = await runStep(server, {
      inputs: { 'app-id': 'ddenied,dstuck', 'branch-name': 'main', wait: 'true', 'wait-timeout': '2' }
    })
    const message = expectFailure(result, /^2 Amplify requests failed/)
    expect(message).toContain(
      '[app ddenied, branch "main", ListJobs] Amplify ListJobs for branch "main" was denied'
    )
    expect(message).toContain(
      '[GetJob] Waited 2 s (wait-timeout), but this job has not ended: job 1 (CANCELLING)'
    )
    expect(jobLines(result)).toEqual(['dstuck/main#1 stopped'])
  })
})

describe('requests in flight', () => {
  it.concurrent(
    'a sweep of 2 apps x 60 branches with every answer 40 ms late: 244 requests, at most 8 at once, under 40% of serial',
    async () => {
      const latencyMs = 40
      const server = await startServer({ latencyMs })
      for (const app of ['dsweep1', 'dsweep2'])
        for (let i = 0; i < 60; i++) server.addJob(app, `pr-${i}`, { status: 'RUNNING' })

      const result = await runStep(server, { inputs: { 'app-id': 'dsweep1,dsweep2', 'branch-name': '*' } })

      expectSuccess(result)
      expect(result.outputs['stopped-count']).toBe('120')
      expect(countByOperation(server)).toEqual({ ListBranches: 4, ListJobs: 120, StopJob: 120 })
      expect(server.peakInFlight).toBeLessThanOrEqual(8)
      expect(server.peakInFlight).toBeGreaterThanOrEqual(4) // parallel, not serial
      // From the first request's arrival to the last answer, as the server saw it: the process's start-up,
      // which a loaded machine stretches, is not part of the sweep.
      const serialMs = server.requests.length * latencyMs
      const sweepMs = Math.max(...server.requests.map(r => r.endTime ?? 0)) - server.requests[0].time
      expect(sweepMs).toBeLessThan(0.4 * serialMs)
    }
  )
})
