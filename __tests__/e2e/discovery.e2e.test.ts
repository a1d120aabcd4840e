// Discovery: no job-id, so the action lists the branch's jobs (every page) and stops those in progress.
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectAllSigned,
  expectFailure,
  expectSuccess,
  jobsPath,
  pushEvent,
  pullRequestEvent,
  runStep,
  startServer
} from '../support/harness.js'

const APP = 'd2b3c4d5e6f7a8'

describe('discovery', () => {
  it.concurrent(
    'stops the in-progress job of a branch whose name has a slash, URL-encoded on the wire',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'feature/login', { status: 'FAILED' })
      server.addJob(APP, 'feature/login', { status: 'RUNNING', commitMessage: 'Log in with passkeys' })
      server.addJob(APP, 'feature', { status: 'RUNNING' }) // another branch: left alone

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'feature/login' }
      })

      expectSuccess(result)
      expect(calls(server)).toEqual([
        `ListJobs /apps/${APP}/branches/feature%2Flogin/jobs 200`,
        `StopJob /apps/${APP}/branches/feature%2Flogin/jobs/2/stop 200`
      ])
      expectAllSigned(server)
      expect(server.requests[0].query).toEqual({ maxResults: '50' })
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
      expect(result.outputs['job-arn']).toBe(server.jobArn(APP, 'feature/login', '2'))
      expect(result.jobs).toEqual([
        expect.objectContaining({
          jobId: '2',
          status: 'CANCELLING',
          previousStatus: 'RUNNING',
          result: 'stopped'
        })
      ])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain('Stopped job 2 on branch "feature/login" (RUNNING → CANCELLING)')
      expect(result.stdout).toContain('"Log in with passkeys"')
      expect(result.summaryText).toContain('branch feature/login')
      expect(result.summaryText).toContain('2 stopped RUNNING → CANCELLING')
      expect(result.summary).toContain(`/apps/${APP}/branches/feature%2Flogin/deployments`)
      expect(server.getJob(APP, 'feature/login', '2').status).toBe('CANCELLING')
      expect(server.getJob(APP, 'feature/login', '1').status).toBe('FAILED')
      expect(server.getJob(APP, 'feature', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent.each(['pull_request', 'pull_request_target'])(
    'takes the branch from a closed %s event when branch-name is empty',
    async eventName => {
      const server = await startServer({ cancelDelayMs: Infinity })
      const sha = '0123456789abcdef0123456789abcdef01234567'
      server.addJob(APP, 'feature/login', { status: 'RUNNING', commitId: sha })
      server.addJob(APP, 'main', { status: 'RUNNING' }) // the base branch: left alone

      const result = await runStep(server, {
        inputs: { 'app-id': APP },
        event: {
          ...pullRequestEvent(42, { ref: 'feature/login', sha }),
          name: eventName,
          // GITHUB_REF is the merge ref on pull_request, but the base branch on pull_request_target.
          ref: eventName === 'pull_request' ? 'refs/pull/42/merge' : 'refs/heads/main'
        }
      })

      expectSuccess(result)
      expect(calls(server)).toEqual([
        `ListJobs ${jobsPath(APP, 'feature/login')} 200`,
        `StopJob ${jobsPath(APP, 'feature/login', '1', true)} 200`
      ])
      expect(result.stdout).toContain('branch "feature/login" (the pull request head branch)')
      expect(result.jobs).toEqual([expect.objectContaining({ jobId: '1', commitId: sha, result: 'stopped' })])
      expect(server.getJob(APP, 'feature/login', '1').status).toBe('CANCELLING')
      expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent('takes the branch from GITHUB_REF on a push, slash included', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'feature/login', { status: 'PROVISIONING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP },
      event: pushEvent('feature/login')
    })

    expectSuccess(result)
    expect(result.stdout).toContain('branch "feature/login" (from GITHUB_REF)')
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'feature/login')} 200`,
      `StopJob ${jobsPath(APP, 'feature/login', '1', true)} 200`
    ])
    expect(result.jobs).toEqual([
      expect.objectContaining({ previousStatus: 'PROVISIONING', result: 'stopped' })
    ])
  })

  it.concurrent(
    'stops both in-progress jobs (RUNNING and PENDING) of a pr-<N> preview branch, newest first',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'pr-42', { status: 'SUCCEED' })
      server.addJob(APP, 'pr-42', { status: 'RUNNING' })
      server.addJob(APP, 'pr-42', { status: 'PENDING' })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'pr-42' },
        event: pullRequestEvent(42, { ref: 'feature/login', sha: 'ab'.repeat(20) })
      })

      expectSuccess(result)
      const log = calls(server)
      expect(log[0]).toBe(`ListJobs ${jobsPath(APP, 'pr-42')} 200`)
      // Stopped concurrently: both StopJobs, in either order, and nothing else.
      expect(log.slice(1).sort()).toEqual([
        `StopJob ${jobsPath(APP, 'pr-42', '2', true)} 200`,
        `StopJob ${jobsPath(APP, 'pr-42', '3', true)} 200`
      ])
      expect(result.outputs).toMatchObject({
        'job-id': '3',
        'job-arn': server.jobArn(APP, 'pr-42', '3'),
        status: 'CANCELLING',
        'stopped-count': '2'
      })
      expect(result.jobs?.map(j => [j.jobId, j.previousStatus, j.status, j.result])).toEqual([
        ['3', 'PENDING', 'CANCELLING', 'stopped'],
        ['2', 'RUNNING', 'CANCELLING', 'stopped']
      ])
      expect(result.stdout).toContain('branch "pr-42"')
      expect(result.stdout).not.toContain('the pull request head branch')
      expect(result.summaryText).toContain('Amplify: 2 jobs stopped')
      expect(['1', '2', '3'].map(id => server.getJob(APP, 'pr-42', id).status)).toEqual([
        'SUCCEED',
        'CANCELLING',
        'CANCELLING'
      ])
    }
  )

  it.concurrent('reads every ListJobs page and stops the active job found on the second', async () => {
    const server = await startServer({ cancelDelayMs: Infinity, defaultPageSize: 10 })
    // 65 jobs, newest first: page one holds 65..16, page two 15..1; job 5 is the one in progress.
    server.addJobs(APP, 'main', 65, i => ({ status: i === 4 ? 'RUNNING' : 'SUCCEED' }))

    const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

    expectSuccess(result)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `StopJob ${jobsPath(APP, 'main', '5', true)} 200`
    ])
    expect(server.requests[0].query).toEqual({ maxResults: '50' })
    expect(server.requests[1].query).toEqual({ maxResults: '50', nextToken: expect.any(String) })
    expect(result.outputs).toMatchObject({ 'job-id': '5', status: 'CANCELLING', 'stopped-count': '1' })
    expect(server.getJob(APP, 'main', '5').status).toBe('CANCELLING')
  })

  it.concurrent('reports a job already CANCELLING as already-stopping and sends no StopJob', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { status: 'SUCCEED' })
    server.addJob(APP, 'main', { status: 'CANCELLING' })

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'if-no-job': 'fail' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '0' })
    expect(result.jobs).toEqual([
      expect.objectContaining({ jobId: '2', status: 'CANCELLING', result: 'already-stopping' })
    ])
    expect(result.annotations).toEqual([])
    expect(result.stdout).toContain(
      'Job 2 on branch "main" is already stopping (CANCELLING); not stopped again'
    )
    expect(result.summaryText).toContain('2 already-stopping CANCELLING')
    expect(server.getJob(APP, 'main', '2').status).toBe('CANCELLING')
  })

  it.concurrent(
    'treats a job that ends between ListJobs and StopJob as already-ended, not a failure',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'main', { status: 'RUNNING' })
      server.addJob(APP, 'main', { status: 'RUNNING' })
      server.onRequest(({ operation, jobId }) => {
        if (operation === 'StopJob' && jobId === '2') server.setJobStatus(APP, 'main', '2', 'SUCCEED')
      })

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

      expectSuccess(result)
      const log = calls(server)
      expect(log[0]).toBe(`ListJobs ${jobsPath(APP, 'main')} 200`)
      expect(log.slice(1).sort()).toEqual([
        `GetJob ${jobsPath(APP, 'main', '2')} 200`,
        `StopJob ${jobsPath(APP, 'main', '1', true)} 200`,
        `StopJob ${jobsPath(APP, 'main', '2', true)} 400`
      ])
      expect(log.indexOf(`StopJob ${jobsPath(APP, 'main', '2', true)} 400`)).toBeLessThan(
        log.indexOf(`GetJob ${jobsPath(APP, 'main', '2')} 200`)
      )
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'SUCCEED', 'stopped-count': '1' })
      expect(result.jobs?.map(j => [j.jobId, j.previousStatus, j.status, j.result])).toEqual([
        ['2', 'RUNNING', 'SUCCEED', 'already-ended'],
        ['1', 'RUNNING', 'CANCELLING', 'stopped']
      ])
      expect(result.notices).toHaveLength(1)
      expect(result.notices[0].message).toContain('Job 2 on branch "main" had already ended (SUCCEED)')
      expect(result.warnings).toEqual([])
      expect(server.getJob(APP, 'main', '2').status).toBe('SUCCEED')
      expect(server.getJob(APP, 'main', '1').status).toBe('CANCELLING')
    }
  )

  describe('nothing in progress', () => {
    async function idleBranch() {
      const server = await startServer()
      server.addJob(APP, 'main', { status: 'SUCCEED' })
      server.addJob(APP, 'main', { status: 'FAILED' })
      server.addJob(APP, 'main', { status: 'CANCELLED' })
      return server
    }
    const emptyOutputs = { 'job-id': '', 'job-arn': '', status: '', jobs: '[]', 'stopped-count': '0' }
    const message = `No job is in progress on branch "main" of app ${APP} (3 jobs listed).`

    it.concurrent('warns once and succeeds with if-no-job warn (the default)', async () => {
      const server = await idleBranch()

      const result = await runStep(server, { inputs: { 'app-id': APP, 'branch-name': 'main' } })

      expectSuccess(result)
      expect(result.outputs).toEqual(emptyOutputs)
      expect(result.annotations.map(a => a.command)).toEqual(['warning'])
      expect(result.warnings[0].message).toBe(message)
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
      expect(result.summaryText).toContain(message) // the summary gives the reason too
    })

    it.concurrent('says it in the log only, with no annotation, with if-no-job ignore', async () => {
      const server = await idleBranch()

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'if-no-job': 'ignore' }
      })

      expectSuccess(result)
      expect(result.outputs).toEqual(emptyOutputs)
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain(message)
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    })

    it.concurrent('fails with one error with if-no-job fail', async () => {
      const server = await idleBranch()

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'if-no-job': 'fail' }
      })

      expectFailure(result, message, 'Failing because if-no-job is fail.')
      expect(result.warnings).toEqual([])
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
    })
  })

  describe('unknown branch (e.g. a preview branch Amplify already deleted)', () => {
    async function withoutBranch() {
      const server = await startServer()
      server.addJob(APP, 'main')
      server.addJob(APP, 'pr-7')
      server.deleteBranch(APP, 'pr-7')
      return server
    }
    const inputs = { 'app-id': APP, 'branch-name': 'pr-7' }

    it.concurrent('warns and succeeds with if-no-job warn', async () => {
      const server = await withoutBranch()

      const result = await runStep(server, { inputs })

      expectSuccess(result)
      expect(result.outputs).toMatchObject({ 'job-id': '', status: '', jobs: '[]', 'stopped-count': '0' })
      expect(result.warnings).toHaveLength(1)
      expect(result.warnings[0].message).toContain(`Branch "pr-7" was not found in app ${APP}`)
      expect(result.warnings[0].message).toContain('Nothing to stop')
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'pr-7')} 404`])
    })

    it.concurrent('stays quiet with if-no-job ignore', async () => {
      const server = await withoutBranch()

      const result = await runStep(server, { inputs: { ...inputs, 'if-no-job': 'ignore' } })

      expectSuccess(result)
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain('Branch "pr-7" was not found')
    })

    it.concurrent('fails with if-no-job fail', async () => {
      const server = await withoutBranch()

      const result = await runStep(server, { inputs: { ...inputs, 'if-no-job': 'fail' } })

      expectFailure(result, `Branch "pr-7" was not found in app ${APP}`, 'if-no-job is fail')
      expect(result.warnings).toEqual([])
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'pr-7')} 404`])
    })
  })

  it.concurrent('fails when the app does not exist, naming the app, whatever if-no-job says', async () => {
    const server = await startServer()
    server.addJob(APP, 'main')

    const result = await runStep(server, {
      inputs: { 'app-id': 'dnosuchapp', 'branch-name': 'main', 'if-no-job': 'ignore' }
    })

    expectFailure(result, 'App dnosuchapp was not found in us-east-1', 'check app-id')
    expect(calls(server)).toEqual([`ListJobs ${jobsPath('dnosuchapp', 'main')} 404`])
  })
})
