// Stopping one job by id (a number or a job ARN) as a workflow step: dist/index.js on Node 24, the real SDK
// and signing, a local server; every test counts the requests that reached it. Also: a bad input fails before
// any request (one of each way an input reaches the step; every bad value is the settings unit test's).
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec } from '../support/amplify-server.js'
import {
  calls,
  expectAllSigned,
  expectFailure,
  expectInputError,
  expectSuccess,
  jobsPath,
  pushEvent,
  runStep,
  startServer,
  statuses,
  type StepRun
} from '../support/harness.js'

const APP = 'd1a2b3c4d5e6f7'
const byId = (jobId: string) => ({ 'app-id': APP, 'branch-name': 'main', 'job-id': jobId })
const REFUSED: FaultSpec = {
  operation: 'StopJob',
  kind: 'error',
  status: 400,
  errorType: 'BadRequestException'
}

describe('stop by job id', () => {
  it.concurrent('is exactly one StopJob, first attempt, reported in outputs, log and summary', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'main', 6, { status: 'SUCCEED' })
    server.addJob(APP, 'main', { jobId: '7', commitMessage: 'Add the login page\n\nLong' })

    const result = await runStep(server, { inputs: byId('7') })

    expectSuccess(result)
    expect(server.requests.map(r => [r.operation, r.path, r.status, r.attempt])).toEqual([
      ['StopJob', jobsPath(APP, 'main', '7', true), 200, 1]
    ])
    expectAllSigned(server)
    const arn = server.jobArn(APP, 'main', '7')
    const commitId = server.getJob(APP, 'main', '7').commitId ?? ''
    expect(result.outputs).toEqual({
      'job-id': '7',
      'job-arn': arn,
      status: 'CANCELLING',
      jobs: expect.any(String),
      'stopped-count': '1',
      'stuck-count': '0',
      'jobs-file': expect.stringMatching(/\/jobs\.json$/)
    })
    expect(result.jobs).toEqual([
      {
        appId: APP,
        branchName: 'main',
        jobId: '7',
        jobArn: arn,
        status: 'CANCELLING',
        commitId,
        result: 'stopped'
      }
    ])
    expect(result.annotations).toEqual([])
    const commit = commitId.slice(0, 7)
    expect(result.stdout).toContain(
      `Stopped job 7 on branch "main" (CANCELLING), commit ${commit} "Add the login page"\n`
    )
    expect(result.summaryText).toMatch(
      new RegExp(`^Amplify: 1 job stopped App ${APP} in us-east-1 ?, branch main `)
    )
    expect(result.summaryText).toContain(`7 stopped CANCELLING ${commit} Add the login page`)
    expect(result.summary).toContain(
      `https://us-east-1.console.aws.amazon.com/amplify/apps/${APP}/branches/main/deployments`
    )
    expect(server.getJob(APP, 'main', '7').status).toBe('CANCELLING')
    expect(server.getJob(APP, 'main', '6').status).toBe('SUCCEED')
  })

  it.concurrent('takes the StopJob API spellings appId, branchName and jobId', async () => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJobs(APP, 'feature/login', 3)

    const result = await runStep(server, { inputs: { appId: APP, branchName: 'feature/login', jobId: '2' } })

    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'feature/login', '2', true)} 200`])
    expect(['1', '2', '3'].map(id => server.getJob(APP, 'feature/login', id).status)).toEqual([
      'RUNNING',
      'CANCELLING',
      'RUNNING'
    ])
  })

  it.concurrent.each([
    ['alone (its region wins over AWS_REGION)', {}],
    [
      'with app-id, branch-name and aws-region that agree',
      { 'app-id': 'dapp1', 'branch-name': 'feature/jobs/x', 'aws-region': 'us-east-1' }
    ]
  ])('a job ARN %s: one StopJob for the app, branch and job it names', async (_, inputs) => {
    const server = await startServer({ cancelDelayMs: Infinity })
    server.addJob('dapp1', 'feature/jobs/x', { jobId: '42' }) // /jobs/ in the branch: the last one ends it
    const arn = server.jobArn('dapp1', 'feature/jobs/x', '42') // jobs/0000000042, as Amplify writes it

    const result = await runStep(server, { inputs: { 'job-id': arn, ...inputs }, region: 'eu-west-1' })

    expectSuccess(result)
    expect(calls(server)).toEqual([`StopJob ${jobsPath('dapp1', 'feature/jobs/x', '42', true)} 200`])
    expectAllSigned(server) // signed for us-east-1, the ARN's region: the server refuses any other
    expect(result.outputs).toMatchObject({ 'job-id': '42', 'job-arn': arn, status: 'CANCELLING' })
    expect(result.stdout).toContain(
      'Amplify app dapp1 in us-east-1, branch "feature/jobs/x" (from the job ARN)'
    )
  })

  it.concurrent.each([
    ['SUCCEED', 'already-ended', 'notice', 'had already ended (SUCCEED); nothing to stop'],
    ['CANCELLING', 'already-stopping', undefined, 'is already stopping (CANCELLING); not stopped again']
  ])(
    'a refused stop of a job %s is confirmed with one GetJob: %s, success',
    async (status, result_, annotation, says) => {
      const server = await startServer()
      server.addJob(APP, 'main', { jobId: '5', status })
      // Amplify refuses to stop an ended job; should it refuse one already CANCELLING, GetJob tells why too.
      if (status === 'CANCELLING') server.addFault(REFUSED)

      const result = await runStep(server, { inputs: byId('5') })

      expectSuccess(result)
      expect(calls(server)).toEqual([
        `StopJob ${jobsPath(APP, 'main', '5', true)} 400`,
        `GetJob ${jobsPath(APP, 'main', '5')} 200`
      ])
      expect(result.outputs).toMatchObject({ 'job-id': '5', status, 'stopped-count': '0' })
      expect(result.jobs?.map(j => [j.jobId, j.status, j.result])).toEqual([['5', status, result_]])
      expect(result.stdout).toContain(`Job 5 on branch "main" ${says}`)
      expect(result.annotations.map(a => a.command)).toEqual(annotation ? [annotation] : [])
      expect(server.getJob(APP, 'main', '5').status).toBe(status)
    }
  )

  it.concurrent.each([
    // Each names what is missing, where, the operation and Amplify's own words, and the input to check.
    [
      'job',
      { 'job-id': '99' },
      ['StopJob 404', 'GetJob 404'],
      ['Job 99', '"main"', APP, 'GetJob: Job not found: 99', 'job-id']
    ],
    [
      'app',
      { 'app-id': 'dmissing' },
      ['StopJob 404'],
      ['App dmissing', 'us-east-1', 'StopJob: App not found: dmissing', 'app-id']
    ],
    [
      'branch',
      { 'branch-name': 'pr-9' },
      ['StopJob 404'],
      ['Branch "pr-9"', APP, 'StopJob: Branch not found: pr-9', 'branch-name']
    ]
  ])(
    'a %s that does not exist fails the step, naming it, with the outputs set',
    async (_, inputs, sent, fragments) => {
      const server = await startServer()
      server.addJobs(APP, 'main', 3)

      const result = await runStep(server, { inputs: { ...byId('3'), ...inputs } })

      expectFailure(result, ...fragments)
      expect(statuses(server)).toEqual(sent)
      expect(result.outputs).toMatchObject({ 'job-id': '', jobs: '[]', 'stopped-count': '0' })
      expect(server.getJob(APP, 'main', '3').status).toBe('RUNNING')
    }
  )

  it.concurrent(
    'StopJob denied fails the step, naming amplify:StopJob and the job ARN to allow',
    async () => {
      const server = await startServer()
      server.addJob(APP, 'main', { jobId: '3' })
      server.deny('StopJob')

      const result = await runStep(server, { inputs: byId('3') })

      expectFailure(
        result,
        /^Amplify StopJob for job 3 on branch "main" was denied \(AccessDeniedException: /,
        `Allow amplify:StopJob on ${server.jobArn(APP, 'main', '3')} in the policy of the role this step uses.`
      )
      expect(calls(server)).toEqual([`StopJob ${jobsPath(APP, 'main', '3', true)} 403`])
      expect(server.getJob(APP, 'main', '3').status).toBe('RUNNING')
    }
  )

  it.concurrent('a dry run looks at the job with one GetJob and sends no StopJob', async () => {
    const server = await startServer()
    server.addJob(APP, 'main', { jobId: '8', status: 'RUNNING' })

    const result = await runStep(server, { inputs: { ...byId('8'), 'dry-run': 'true', wait: 'true' } })

    expectSuccess(result)
    expect(calls(server)).toEqual([`GetJob ${jobsPath(APP, 'main', '8')} 200`])
    expect(result.outputs).toMatchObject({ 'job-id': '8', status: 'RUNNING', 'stopped-count': '0' })
    expect(result.jobs?.map(j => [j.jobId, j.previousStatus, j.result])).toEqual([
      ['8', 'RUNNING', 'would-stop']
    ])
    expect(result.stdout).toContain('Would stop job 8 on branch "main" (RUNNING); dry run, no StopJob sent')
    expect(result.summaryText).toMatch(/^Amplify jobs that would be stopped .* \(dry run: no StopJob sent\)/)
    expect(server.getJob(APP, 'main', '8').status).toBe('RUNNING')
  })
})

// One bad input for each way one reaches the step; every bad value is the settings unit test's.
describe('a bad input fails with one ::error::, no output and not a single request', () => {
  it.concurrent.each<[string, Record<string, string>, StepRun, (string | RegExp)[]]>([
    // A `with:` value: shown escaped, its carriage return cannot start a second ::error::.
    [
      'with:, a branch-name holding a carriage return',
      { 'branch-name': 'a\r::error::b' },
      {},
      ['Input branch-name "a\\r::error::b"']
    ],
    // The runner passes `dry_run:` as INPUT_DRY_RUN, and only warns that it is not an input.
    [
      'the runner, dry_run: (not an input)',
      {},
      { env: { INPUT_DRY_RUN: 'true' } },
      ['"dry_run"', 'did you mean dry-run?']
    ],
    // From the event: a tag names no branch.
    [
      'the event, a tag with no branch-name',
      { 'branch-name': '' },
      { event: pushEvent('refs/tags/v1') },
      ['Input branch-name', 'tag "v1"']
    ]
  ])('from %s', async (_, inputs, run, fragments) => {
    const server = await startServer()

    const result = await runStep(server, {
      inputs: { 'app-id': APP, 'branch-name': 'main', ...inputs },
      ...run
    })

    // expectInputError: one error with the fragments, no output, and not one request sent.
    expectInputError(result, server, ...fragments)
    expect(result.annotations.map(a => a.command)).toEqual(['error'])
  })
})
