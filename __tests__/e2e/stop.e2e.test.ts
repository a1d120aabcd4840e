// Stopping one job by id, as a workflow step: the bundled action, the real SDK and signing, a local server.
import { describe, expect, it } from '@jest/globals'
import {
  calls,
  expectAllSigned,
  expectFailure,
  expectSuccess,
  jobsPath,
  runStep,
  startServer
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'

describe('stop by job id', () => {
  it.concurrent(
    'stops the job with exactly one StopJob and reports it in outputs, log and summary',
    async () => {
      const server = await startServer({ cancelDelayMs: Infinity })
      server.addJobs(APP, 'main', 6, { status: 'SUCCEED' })
      server.addJob(APP, 'main', {
        jobId: '7',
        status: 'RUNNING',
        commitMessage: 'Add the login page\n\nLong'
      })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '7' }
      })

      expectSuccess(result)
      expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'main', '7', true)} 200`])
      expectAllSigned(server)
      const arn = server.jobArn(APP, 'main', '7')
      expect(result.outputs).toEqual({
        'job-id': '7',
        'job-arn': arn,
        status: 'CANCELLING',
        jobs: expect.any(String),
        'stopped-count': '1'
      })
      expect(result.jobs).toEqual([
        {
          appId: APP,
          branchName: 'main',
          jobId: '7',
          jobArn: arn,
          status: 'CANCELLING',
          commitId: server.getJob(APP, 'main', '7').commitId,
          result: 'stopped'
        }
      ])
      expect(result.annotations).toEqual([])
      const commit = server.getJob(APP, 'main', '7').commitId?.slice(0, 7)
      expect(result.stdout).toContain(
        `Stopped job 7 on branch "main" (CANCELLING), commit ${commit} "Add the login page"`
      )
      expect(result.summaryText).toContain('Amplify: 1 job stopped')
      expect(result.summaryText).toContain(`7 stopped CANCELLING ${commit} Add the login page`)
      expect(result.summary).toContain(
        `https://us-east-1.console.aws.amazon.com/amplify/apps/${APP}/branches/main/deployments`
      )
      expect(server.getJob(APP, 'main', '7').status).toBe('CANCELLING')
      expect(server.getJob(APP, 'main', '6').status).toBe('SUCCEED')
    }
  )

  it.concurrent('accepts the StopJob API spellings appId, branchName and jobId', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'feature/login', 3)

    const result = await runStep(server, {
      inputs: { appId: APP, branchName: 'feature/login', jobId: '2' }
    })

    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'feature/login', '2', true)} 200`])
    expect(result.outputs['job-id']).toBe('2')
    expect(server.getJob(APP, 'feature/login', '2').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'feature/login', '1').status).toBe('RUNNING')
    expect(server.getJob(APP, 'feature/login', '3').status).toBe('RUNNING')
  })

  it.concurrent(
    'confirms with GetJob when the job has already ended: a notice, already-ended, success',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main', { jobId: '12', status: 'SUCCEED' })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '12' }
      })

      expectSuccess(result)
      expect(calls(server)).toEqual([
        `StopJob ${jobsPath(APP, 'main', '12', true)} 400`,
        `GetJob ${jobsPath(APP, 'main', '12')} 200`
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '12', status: 'SUCCEED', 'stopped-count': '0' })
      expect(result.jobs).toEqual([
        expect.objectContaining({ jobId: '12', status: 'SUCCEED', result: 'already-ended' })
      ])
      expect(result.notices).toHaveLength(1)
      expect(result.notices[0].message).toContain('Job 12 on branch "main" had already ended (SUCCEED)')
      expect(result.warnings).toEqual([])
      expect(result.summaryText).toContain('Amplify: 0 jobs stopped')
      expect(result.summaryText).toContain('12 already-ended SUCCEED')
      expect(server.getJob(APP, 'main', '12').status).toBe('SUCCEED')
    }
  )

  it.concurrent(
    'reports a job already CANCELLING as already-stopping when Amplify refuses to stop it again',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main', { jobId: '5', status: 'CANCELLING' })
      // Amplify does not document StopJob on a CANCELLING job; if it refuses, GetJob tells why.
      server.addFault({
        operation: 'StopJob',
        kind: 'error',
        status: 400,
        errorType: 'BadRequestException',
        message: 'Job 5 is already in CANCELLING state.'
      })

      const result = await runStep(server, {
        inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '5' }
      })

      expectSuccess(result)
      expect(calls(server)).toEqual([
        `StopJob ${jobsPath(APP, 'main', '5', true)} 400`,
        `GetJob ${jobsPath(APP, 'main', '5')} 200`
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '5', status: 'CANCELLING', 'stopped-count': '0' })
      expect(result.jobs).toEqual([
        expect.objectContaining({ result: 'already-stopping', status: 'CANCELLING' })
      ])
      expect(result.annotations).toEqual([])
      expect(result.stdout).toContain(
        'Job 5 on branch "main" is already stopping (CANCELLING); not stopped again'
      )
    }
  )

  it.concurrent('fails when the job does not exist, saying the job was not found', async () => {
    const server = await startServer()
    server.addJobs(APP, 'main', 3)

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '99' }
    })

    expectFailure(result, 'Job 99 was not found on branch "main"', APP, 'check job-id')
    expect(calls(server)).toEqual([
      `StopJob ${jobsPath(APP, 'main', '99', true)} 404`,
      `GetJob ${jobsPath(APP, 'main', '99')} 404`
    ])
    expect(['1', '2', '3'].map(id => server.getJob(APP, 'main', id).status)).toEqual([
      'RUNNING',
      'RUNNING',
      'RUNNING'
    ])
  })

  it.concurrent('fails when the app does not exist, naming the app', async () => {
    const server = await startServer()
    server.addJobs('dother', 'main', 1)

    const result = await runStep(server, {
      inputs: { 'app-id': 'dmissing', 'branch-name': 'main', 'job-id': '1' }
    })

    expectFailure(result, 'App dmissing was not found in us-east-1', 'check app-id and aws-region')
    expect(calls(server)).toEqual([`StopJob ${jobsPath('dmissing', 'main', '1', true)} 404`])
  })

  it.concurrent('fails when StopJob is denied, naming amplify:StopJob and the ARN to allow', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { jobId: '3' })
    server.deny('StopJob')

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', 'job-id': '3' }
    })

    expectFailure(
      result,
      'Allow amplify:StopJob on',
      `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/branches/main/jobs/0000000003`,
      'AccessDeniedException'
    )
    expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'main', '3', true)} 403`])
    expect(server.getJob(APP, 'main', '3').status).toBe('RUNNING')
  })
})
