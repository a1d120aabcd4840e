// Discovery: no job-id, so the action lists the branch's jobs (every page) and stops those in progress, or
// says why nothing was stopped (if-no-job). Through dist/index.js on Node 24; each test counts the requests.
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectAllSigned,
  expectFailure,
  expectSuccess,
  jobLines,
  jobStates,
  jobsPath,
  pullRequestEvent,
  pushEvent,
  runStep,
  startServer,
  statuses
} from '../support/harness.js'

const APP = 'd2b3c4d5e6f7a8'
const onBranch = (branch: string, more: Record<string, string> = {}) => ({
  inputs: { 'app-id': APP, 'branch-name': branch, ...more }
})

describe('discovery', () => {
  it.concurrent(
    'stops every in-progress job of the branch, newest first, the StopJobs at once; the slash is encoded',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJob(APP, 'feature/login', { status: 'SUCCEED' })
      server.addJob(APP, 'feature/login', { status: 'RUNNING' })
      server.addJob(APP, 'feature/login', { status: 'PENDING', commitMessage: 'Log in with passkeys' })
      server.addJob(APP, 'feature', { status: 'RUNNING' }) // another branch: left alone
      // Each StopJob is held until both have arrived: a client sending them one after the other cannot pass.
      let arrived = 0
      let release = () => {}
      const both = new Promise<void>(resolve => (release = resolve))
      server.onRequest(async ({ operation }) => {
        if (operation !== 'StopJob') return
        if (++arrived === 2) release()
        await Promise.race([both, new Promise(resolve => setTimeout(resolve, 10_000).unref())])
      })

      const result = await runStep(server, onBranch('feature/login'))

      expectSuccess(result)
      expect(calls(server)[0]).toBe(`ListJobs /apps/${APP}/branches/feature%2Flogin/jobs 200`)
      expect(calls(server).slice(1).sort()).toEqual([
        `StopJob /apps/${APP}/branches/feature%2Flogin/jobs/2/stop 200`,
        `StopJob /apps/${APP}/branches/feature%2Flogin/jobs/3/stop 200`
      ])
      expectAllSigned(server)
      const stops = server.requestsFor('StopJob')
      expect(Math.max(...stops.map(r => r.time))).toBeLessThanOrEqual(
        Math.min(...stops.map(r => r.endTime ?? 0))
      )
      expect(result.outputs).toMatchObject({
        'job-id': '3',
        'job-arn': server.jobArn(APP, 'feature/login', '3'),
        status: 'CANCELLING',
        'stopped-count': '2'
      })
      expect(result.jobs?.map(j => [j.jobId, j.previousStatus, j.status, j.result])).toEqual([
        ['3', 'PENDING', 'CANCELLING', 'stopped'],
        ['2', 'RUNNING', 'CANCELLING', 'stopped']
      ])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toMatch(
        /^Stopped job 3 on branch "feature\/login" \(PENDING → CANCELLING\), commit \w{7} "Log in with passkeys"$/m
      )
      expect(result.summaryText).toMatch(
        new RegExp(`^Amplify: 2 jobs stopped App ${APP} in us-east-1 ?, branch feature/login `)
      )
      expect(result.summaryText).toContain('2 stopped RUNNING → CANCELLING')
      expect(result.summary).toContain(`/apps/${APP}/branches/feature%2Flogin/deployments`)
      expect(jobStates(server, APP, 'feature/login', 3)).toEqual(['SUCCEED', 'CANCELLING', 'CANCELLING'])
      expect(server.getJob(APP, 'feature', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent(
    'reads every ListJobs page, 50 a page, and stops what it finds on the first and last',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity, defaultPageSize: 10 })
      // 101 jobs, newest first: pages of 101..52, 51..2 and 1 (the server's own page is 10: the action asks for
      // 50); 101 and 1 are in progress.
      server.addJobs(APP, 'main', 101, i => ({ status: i === 0 || i === 100 ? 'RUNNING' : 'SUCCEED' }))

      const result = await runStep(server, onBranch('main'))

      expectSuccess(result)
      const lists = server.requestsFor('ListJobs')
      expect(lists.map(r => [r.status, r.query.maxResults, r.attempt])).toEqual(Array(3).fill([200, '50', 1]))
      expect(lists[0].query.nextToken).toBeUndefined()
      expect(new Set(lists.map(r => r.query.nextToken)).size).toBe(3)
      expect(
        server.requests
          .slice(3)
          .map(r => `${r.operation} ${r.jobId} ${r.status} ${r.attempt}`)
          .sort()
      ).toEqual(['StopJob 1 200 1', 'StopJob 101 200 1'])
      expect(server.requests).toHaveLength(5)
      expect(result.outputs).toMatchObject({ 'job-id': '101', status: 'CANCELLING', 'stopped-count': '2' })
      expect(jobLines(result)).toEqual([`${APP}/main#101 stopped`, `${APP}/main#1 stopped`])
    }
  )

  const sha = '0123456789abcdef0123456789abcdef01234567'
  it.concurrent.each([
    ['GITHUB_REF on a push', pushEvent('feature/login'), 'from GITHUB_REF'],
    [
      'the head of a closed pull_request',
      pullRequestEvent(42, { ref: 'feature/login', sha }),
      'the pull request head branch'
    ],
    [
      'the head of pull_request_target, not GITHUB_REF (its base)',
      {
        ...pullRequestEvent(42, { ref: 'feature/login', sha }),
        name: 'pull_request_target',
        ref: 'refs/heads/main'
      },
      'the pull request head branch'
    ]
  ])('with branch-name empty, takes the branch from %s', async (_, event, origin) => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob(APP, 'feature/login', { status: 'PROVISIONING' })
    server.addJob(APP, 'main', { status: 'RUNNING' }) // the base branch: left alone

    const result = await runStep(server, { inputs: { 'app-id': APP }, event })

    expectSuccess(result)
    expect(result.stdout).toContain(`branch "feature/login" (${origin})`)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'feature/login')} 200`,
      `StopJob ${jobsPath(APP, 'feature/login', '1', true)} 200`
    ])
    expect(result.jobs?.map(j => [j.previousStatus, j.result])).toEqual([['PROVISIONING', 'stopped']])
    expect(server.getJob(APP, 'main', '1').status).toBe('RUNNING')
  })

  // What each note names: the branch, the app, and what Amplify showed there.
  const IDLE = ['"main"', APP, '3 jobs listed']
  const GONE = ['Branch "pr-7"', APP, 'pull request']
  const FILTERED = ['"busy"', APP, '1 job', 'commit-id (bbbbbbb)']
  it.concurrent.each([
    ['no job in progress', 'main', 'warn', 200, IDLE],
    ['no job in progress', 'main', 'ignore', 200, IDLE],
    ['no job in progress', 'main', 'fail', 200, IDLE],
    ['a preview branch Amplify deleted', 'pr-7', 'warn', 404, GONE],
    ['a preview branch Amplify deleted', 'pr-7', 'fail', 404, GONE],
    ['commit-id matching no job in progress', 'busy', 'warn', 200, FILTERED]
  ])(
    '%s (%s), if-no-job %s: the note as a warning, a log line or the error',
    async (_, branch, ifNoJob, listed, fragments) => {
      const server = await startServer()
      server.addJobs(APP, 'main', 3, i => ({ status: ['SUCCEED', 'FAILED', 'CANCELLED'][i] }))
      server.addJob(APP, 'busy', { status: 'RUNNING', commitId: 'a'.repeat(40) })
      server.addJob(APP, 'pr-7')
      server.deleteBranch(APP, 'pr-7')

      const result = await runStep(
        server,
        onBranch(branch, { 'if-no-job': ifNoJob, 'commit-id': branch === 'busy' ? 'bbbbbbb' : '' })
      )

      expect(result.exitCode).toBe(ifNoJob === 'fail' ? 1 : 0)
      const command = { warn: 'warning', ignore: undefined, fail: 'error' }[ifNoJob]
      expect(result.annotations.map(a => a.command)).toEqual(command ? [command] : [])
      // The note is the log's last line, that annotation or a plain line; with fail, the error names if-no-job.
      const note = result.stdout.trimEnd().split('\n').at(-1) ?? ''
      expect(/^::(\w+)::/.exec(note)?.[1]).toBe(command)
      for (const fragment of [...fragments, ...(command === 'error' ? ['if-no-job'] : [])])
        expect(note).toContain(fragment)
      for (const fragment of fragments) expect(result.summaryText).toContain(fragment)
      expect(result.stderr).toBe('')
      expect(result.outputs).toMatchObject({
        'job-id': '',
        'job-arn': '',
        status: '',
        jobs: '[]',
        'stopped-count': '0'
      })
      expect(statuses(server)).toEqual([`ListJobs ${listed}`])
      expect(server.getJob(APP, 'busy', '1').status).toBe('RUNNING')
    }
  )

  it.concurrent('a missing app fails the step, naming it, whatever if-no-job says', async () => {
    const server = await startServer()
    server.addJob(APP, 'main')

    const result = await runStep(server, {
      inputs: { 'app-id': 'dnosuchapp', 'branch-name': 'main', 'if-no-job': 'ignore' }
    })

    expectFailure(result, 'App dnosuchapp', 'us-east-1', 'ListJobs: App not found: dnosuchapp', 'app-id')
    expect(calls(server)).toEqual([`ListJobs ${jobsPath('dnosuchapp', 'main')} 404`])
    expect(result.outputs).toMatchObject({ 'job-id': '', jobs: '[]', 'stopped-count': '0' })
  })

  it.concurrent(
    'a job already CANCELLING is already-stopping: no StopJob, and not the if-no-job case',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main', { status: 'SUCCEED' })
      server.addJob(APP, 'main', { status: 'CANCELLING' })

      const result = await runStep(server, onBranch('main', { 'if-no-job': 'fail' }))

      expectSuccess(result)
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '0' })
      expect(jobLines(result)).toEqual([`${APP}/main#2 already-stopping`])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain(
        'Job 2 on branch "main" is already stopping (CANCELLING); not stopped again'
      )
      expect(result.summaryText).toContain('2 already-stopping CANCELLING')
    }
  )

  it.concurrent(
    'a job that ends between ListJobs and StopJob is already-ended (one GetJob), not a failure',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(APP, 'main', 2)
      server.onRequest(({ operation, jobId }) => {
        if (operation === 'StopJob' && jobId === '2') server.setJobStatus(APP, 'main', '2', 'SUCCEED')
      })

      const result = await runStep(server, onBranch('main'))

      expectSuccess(result)
      const log = server.requests.map(r => `${r.operation} ${r.jobId ?? '-'} ${r.status}`)
      expect(log[0]).toBe('ListJobs - 200')
      expect(log.slice(1).sort()).toEqual(['GetJob 2 200', 'StopJob 1 200', 'StopJob 2 400'])
      expect(log.indexOf('GetJob 2 200')).toBeGreaterThan(log.indexOf('StopJob 2 400'))
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'SUCCEED', 'stopped-count': '1' })
      expect(jobLines(result)).toEqual([`${APP}/main#2 already-ended`, `${APP}/main#1 stopped`])
      expect(result.notices.map(n => n.message)).toEqual([
        expect.stringMatching(/^Job 2 on branch "main" had already ended \(SUCCEED\); nothing to stop/)
      ])
      expect(result.warnings).toEqual([])
      expect(jobStates(server, APP, 'main', 2)).toEqual(['CANCELLING', 'SUCCEED'])
    }
  )
})

describe('choosing among the jobs in progress', () => {
  it.concurrent('keep-newest stops the older RUNNING job and keeps the newer PENDING one', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'main', 3, i => ({ status: ['SUCCEED', 'RUNNING', 'PENDING'][i] }))

    const result = await runStep(server, onBranch('main', { 'keep-newest': 'true' }))

    expectSuccess(result)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `StopJob ${jobsPath(APP, 'main', '2', true)} 200`
    ])
    // The kept job is in `jobs`; job-id and status describe the job acted on.
    expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'CANCELLING', 'stopped-count': '1' })
    expect(jobLines(result)).toEqual([`${APP}/main#3 kept`, `${APP}/main#2 stopped`])
    expect(result.stdout).toContain('Kept job 3 on branch "main" running (PENDING): it is the newest, commit')
    expect(result.summaryText).toContain('3 kept PENDING')
    expect(jobStates(server, APP, 'main', 3)).toEqual(['SUCCEED', 'CANCELLING', 'PENDING'])
  })

  it.concurrent(
    'keep-newest with only the newest in progress: an info line, no StopJob, not if-no-job',
    async () => {
      const server = await startServer()
      server.addJobs(APP, 'main', 2, i => ({ status: ['SUCCEED', 'RUNNING'][i] }))

      const result = await runStep(server, onBranch('main', { 'keep-newest': 'true', 'if-no-job': 'fail' }))

      expectSuccess(result)
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain(
        'Only job 2 on branch "main", the newest, is in progress: no superseded build to stop.'
      )
      expect(result.outputs).toMatchObject({ 'job-id': '', 'job-arn': '', status: '', 'stopped-count': '0' })
      expect(jobLines(result)).toEqual([`${APP}/main#2 kept`])
    }
  )

  it.concurrent('commit-id, a prefix in any case, stops only the job building that commit', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    const target = 'c0ffee1234567890abcdef1234567890abcdef12'
    server.addJob(APP, 'main', { status: 'RUNNING', commitId: target })
    server.addJob(APP, 'main', { status: 'RUNNING', commitId: 'c0ffee9999999999999999999999999999999999' })

    const result = await runStep(server, onBranch('main', { 'commit-id': 'C0FFEE12' }))

    expectSuccess(result)
    expect(calls(server)).toEqual([
      `ListJobs ${jobsPath(APP, 'main')} 200`,
      `StopJob ${jobsPath(APP, 'main', '1', true)} 200`
    ])
    expect(result.jobs?.map(j => [j.jobId, j.commitId, j.result])).toEqual([['1', target, 'stopped']])
    expect(jobStates(server, APP, 'main', 2)).toEqual(['CANCELLING', 'RUNNING'])
  })

  it.concurrent(
    'a dry run lists and reports what would be stopped: no StopJob, nothing to wait for',
    async () => {
      const server = await startServer()
      server.addJobs(APP, 'main', 2, i => ({ status: ['RUNNING', 'PENDING'][i] }))

      const result = await runStep(server, onBranch('main', { 'dry-run': 'true', wait: 'true' }))

      expectSuccess(result)
      expect(calls(server)).toEqual([`ListJobs ${jobsPath(APP, 'main')} 200`])
      expect(result.outputs).toMatchObject({ 'job-id': '2', status: 'PENDING', 'stopped-count': '0' })
      expect(jobLines(result)).toEqual([`${APP}/main#2 would-stop`, `${APP}/main#1 would-stop`])
      expect(result.stdout).toContain('Would stop job 2 on branch "main" (PENDING); dry run, no StopJob sent')
      expect(result.summaryText).toMatch(
        /^Amplify jobs that would be stopped .* \(dry run: no StopJob sent\)/
      )
      expect(result.summaryText).not.toContain('Waited')
      expect(jobStates(server, APP, 'main', 2)).toEqual(['RUNNING', 'PENDING'])
    }
  )
})
