// One step for a whole repository: several apps, every app of this repository, every branch, and failures
// that stop nothing else. Through dist/index.js on Node 24; each test counts the requests that reached it.
import { describe, expect, it } from '@jest/globals'
import {
  countByOperation,
  expectAllSigned,
  expectFailure,
  expectSuccess,
  jobLines,
  runStep,
  startServer
} from '../support/harness.js'

const REPO = 'https://github.com/octo-org/octo-site' // the repository the runner's GITHUB_REPOSITORY names

describe('several apps and branches', () => {
  it.concurrent(
    'a list of three apps where one lacks the branch: stops in the other two, and succeeds',
    async () => {
      const server = await startServer()
      server.addJob('dweb1', 'pr-7', { status: 'RUNNING' })
      server.addJobs('dadmin2', 'pr-7', 2, i => ({ status: ['SUCCEED', 'RUNNING'][i] }))
      server.addJob('ddocs3', 'main', { status: 'RUNNING' }) // no pr-7 in this app

      // A YAML `|` block: one app id a line, and a duplicate that collapses.
      const result = await runStep(server, {
        inputs: { 'app-id': 'dweb1\ndadmin2\nddocs3\ndweb1\n', 'branch-name': 'pr-7' }
      })

      expectSuccess(result)
      expect(jobLines(result)).toEqual(['dweb1/pr-7#1 stopped', 'dadmin2/pr-7#2 stopped'])
      expect(result.outputs).toMatchObject({
        'job-id': '1',
        'job-arn': server.jobArn('dweb1', 'pr-7', '1'),
        'stopped-count': '2'
      })
      expect(result.stdout).toContain('App ddocs3 has no branch "pr-7": nothing to stop there.')
      expect(result.stdout).toContain('Stopped job 2 on branch "pr-7" of app dadmin2 (RUNNING → CANCELLING)')
      expect(result.warnings).toEqual([])
      expect(result.summaryText).toContain(
        '3 apps, 3 branches read in us-east-1 App Branch Job Result Status Commit Message'
      )
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
    server.addApp('dother', { name: 'aaa-other', repository: `${REPO}-2` })
    for (const app of ['dwebzz', 'dadminaa', 'dother']) server.addJob(app, 'pr-7', { status: 'RUNNING' })

    const result = await runStep(server, { inputs: { 'app-id': '*', 'branch-name': 'pr-7' } })

    expectSuccess(result)
    expect(jobLines(result)).toEqual(['dadminaa/pr-7#1 stopped', 'dwebzz/pr-7#1 stopped'])
    expect(countByOperation(server)).toEqual({ ListApps: 1, ListJobs: 2, StopJob: 2 })
    expect(server.requestsFor('ListApps')[0].query).toMatchObject({ maxResults: '50' })
    expect(server.requests.filter(r => r.appId === 'dother')).toEqual([])
    expect(server.getJob('dother', 'pr-7', '1').status).toBe('RUNNING')
    expect(result.stdout).toContain(`every app of ${REPO}`)
  })

  it.concurrent(
    "app-id '*' with no app of this repository is the if-no-job case, naming the repository",
    async () => {
      const server = await startServer()
      server.addApp('dother', { name: 'other', repository: 'https://github.com/someone/else' })
      server.addJob('dother', 'main', { status: 'RUNNING' })

      const warned = await runStep(server, { inputs: { 'app-id': '*', 'branch-name': 'main' } })
      const failed = await runStep(server, {
        inputs: { 'app-id': '*', 'branch-name': 'main', 'if-no-job': 'fail' }
      })

      expectSuccess(warned)
      expect(warned.annotations.map(a => a.command)).toEqual(['warning'])
      expect(warned.warnings[0].message).toContain(REPO)
      expectFailure(failed, REPO, 'aws-region', 'if-no-job')
      expect(countByOperation(server)).toEqual({ ListApps: 2 })
    }
  )

  it.concurrent(
    "branch-name '*' reads every ListBranches page and acts on the branches in name order",
    async () => {
      const server = await startServer()
      // 55 branches, two pages of ListBranches at 50 a page, created in reverse name order.
      const names = Array.from({ length: 55 }, (_, i) => `b${String(54 - i).padStart(2, '0')}`)
      for (const name of names) server.addJob('dapp1', name, { status: name < 'b03' ? 'RUNNING' : 'SUCCEED' })

      const result = await runStep(server, { inputs: { 'app-id': 'dapp1', 'branch-name': '*' } })

      expectSuccess(result)
      expect(jobLines(result)).toEqual(['dapp1/b00#1 stopped', 'dapp1/b01#1 stopped', 'dapp1/b02#1 stopped'])
      expect(
        server.requestsFor('ListBranches').map(p => [p.query.maxResults, p.query.nextToken === undefined])
      ).toEqual([
        ['50', true],
        ['50', false]
      ])
      expect(countByOperation(server)).toEqual({ ListBranches: 2, ListJobs: 55, StopJob: 3 })
    }
  )
})

describe('a partial failure', () => {
  it.concurrent(
    'one app denied: the others are stopped and reported, then one error names the app and branch',
    async () => {
      const server = await startServer()
      for (const app of ['dweb1', 'ddenied', 'ddocs3']) server.addJob(app, 'pr-7', { status: 'RUNNING' })
      server.deny('ListJobs', { appId: 'ddenied' })

      const result = await runStep(server, {
        inputs: { 'app-id': 'dweb1 ddenied ddocs3', 'branch-name': 'pr-7' }
      })

      const message = expectFailure(
        result,
        /^\[app ddenied, ListJobs\] Amplify ListJobs for branch "pr-7" was denied \(AccessDeniedException: /,
        'Allow amplify:ListJobs on arn:aws:amplify:us-east-1:123456789012:apps/ddenied/branches/pr-7 in the policy'
      )
      expect(jobLines(result)).toEqual(['dweb1/pr-7#1 stopped', 'ddocs3/pr-7#1 stopped'])
      expect(result.outputs).toMatchObject({ 'job-id': '1', 'stopped-count': '2' })
      expect(result.summaryText).toContain(`Failed requests ${message}`)
      expect(countByOperation(server)).toEqual({ ListJobs: 3, StopJob: 2 })
      expect(server.getJob('ddenied', 'pr-7', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent(
    'failures of several kinds: one error, grouped by app, operation and reason, advice once',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs('dstuck', 'main', 2)
      server.addJob('dfine', 'main')
      server.addJob('dgone', 'main')
      server.deleteBranch('dgone', 'main') // a missing branch among several is nothing there, not a failure
      server.onRequest(({ operation, appId, jobId }) => {
        if (operation === 'StopJob' && appId === 'dstuck' && jobId === '1')
          throw new Error('the build host is gone')
      })

      const result = await runStep(server, {
        inputs: { 'app-id': 'dgone dstuck dfine dnoapp', 'branch-name': 'main', 'if-no-job': 'fail' },
        env: { AWS_MAX_ATTEMPTS: '1' }
      })

      // A line for each failure, with real counts, then what to fix; the missing branch is not one of them.
      const message = expectFailure(result)
      expect(message.split('\n')).toEqual([
        expect.stringMatching(/^2 Amplify requests failed /),
        expect.stringMatching(/^App dstuck, StopJob: .*InternalFailureException.* 1 job \(job 1 on "main"\)/),
        expect.stringMatching(/^App dnoapp, ListJobs: .* 1 branch \("main"\)/),
        expect.stringMatching(/^To fix: /),
        expect.stringMatching(/^To fix: .*app-id/)
      ])
      expect(message).not.toMatch(/dgone|dfine/)
      expect(jobLines(result)).toEqual([
        'dstuck/main#2 stopped',
        'dstuck/main#1 failed',
        'dfine/main#1 stopped'
      ])
      expect(result.stdout).toContain(
        'Could not stop job 1 on branch "main" of app dstuck (RUNNING): Amplify failed StopJob'
      )
      expect(result.outputs).toMatchObject({ 'job-id': '2', 'stopped-count': '2' })
      expect(countByOperation(server)).toEqual({ ListJobs: 4, StopJob: 3 })
      const states = [
        ['dstuck', '1'],
        ['dstuck', '2'],
        ['dfine', '1']
      ].map(([app, id]) => server.getJob(app, 'main', id).status)
      expect(states).toEqual(['RUNNING', 'CANCELLING', 'CANCELLING'])
    }
  )
})
