// The whole action, as the runner drives it: inputs in INPUT_* variables, Amplify behind a mocked client, and
// the outcome read where the runner reads it: the exit code, GITHUB_OUTPUT, the summary and the ::error:: line.
import { describe, it, expect, beforeAll, beforeEach, afterEach, afterAll } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  AmplifyClient,
  BadRequestException,
  GetJobCommand,
  InternalFailureException,
  ListJobsCommand,
  NotFoundException,
  StopJobCommand,
  UnauthorizedException,
  type JobSummary
} from '@aws-sdk/client-amplify'
import { run } from '../../src/main.js'
import { RunnerFiles, captureStdout, setEnv } from './github-files.js'

const APP = 'd1a2b3c4d5e6f7'
const arn = (id: string, branch = 'main') =>
  `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/branches/${branch}/jobs/${id.padStart(10, '0')}`
const sha = (n: string) => `${n}`.repeat(40).slice(0, 40)

function summary(jobId: string, status: string, extra: Partial<JobSummary> = {}): JobSummary {
  return {
    jobId,
    jobArn: arn(jobId),
    status,
    commitId: sha(jobId),
    commitMessage: `Commit for job ${jobId}`,
    commitTime: new Date(0),
    startTime: new Date(0),
    jobType: 'WEB_HOOK',
    ...extra
  } as JobSummary
}

const amplifyMock = mockClient(AmplifyClient)
const files = new RunnerFiles()

/** Every variable the action (or the SDK, for a proxy) might read, cleared unless a test sets it. */
const CLEAN_ENV: Record<string, string | undefined> = {
  'INPUT_APP-ID': undefined,
  INPUT_APPID: undefined,
  'INPUT_BRANCH-NAME': undefined,
  INPUT_BRANCHNAME: undefined,
  'INPUT_JOB-ID': undefined,
  INPUT_JOBID: undefined,
  'INPUT_IF-NO-JOB': undefined,
  'INPUT_AWS-REGION': undefined,
  INPUT_WAIT: undefined,
  'INPUT_WAIT-TIMEOUT': undefined,
  'INPUT_KEEP-NEWEST': undefined,
  'INPUT_COMMIT-ID': undefined,
  'INPUT_DRY-RUN': undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_MAX_ATTEMPTS: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  GITHUB_EVENT_NAME: undefined,
  GITHUB_EVENT_PATH: undefined,
  GITHUB_REF: undefined
}

let restoreFileEnv: () => void
let restoreEnv: (() => void) | undefined
let out: ReturnType<typeof captureStdout>

beforeAll(() => {
  restoreFileEnv = setEnv({ GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary })
})
afterAll(() => {
  restoreFileEnv()
  files.remove()
})
beforeEach(() => {
  amplifyMock.reset()
  files.clear()
  process.exitCode = undefined
})
afterEach(() => {
  out?.restore()
  restoreEnv?.()
  restoreEnv = undefined
  process.exitCode = undefined
})

interface RunResult {
  exitCode: number | string | undefined
  outputs: Record<string, string>
  lines: string[]
  errors: string[]
  warnings: string[]
  summary: string
}

/** Runs the action with these inputs (names as in action.yml) and the region in AWS_REGION. */
async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<RunResult> {
  restoreEnv = setEnv({
    ...CLEAN_ENV,
    AWS_REGION: 'us-east-1',
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    ),
    ...env
  })
  out = captureStdout()
  try {
    await run(process.env)
  } finally {
    out.restore()
  }
  const lines = out.lines()
  return {
    exitCode: process.exitCode,
    outputs: files.outputs(),
    lines,
    errors: lines.filter(l => l.startsWith('::error::')),
    warnings: lines.filter(l => l.startsWith('::warning::')),
    summary: files.summaryText()
  }
}

const jobsOf = (result: RunResult) => JSON.parse(result.outputs.jobs) as Record<string, string>[]
const stopped = () => amplifyMock.commandCalls(StopJobCommand).map(c => c.args[0].input.jobId)
const onMain = { 'app-id': APP, 'branch-name': 'main' }

function branchHas(...jobs: JobSummary[]) {
  amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: jobs })
}
function stopsAnswerCancelling() {
  amplifyMock
    .on(StopJobCommand)
    .callsFake(({ jobId }: { jobId: string }) => ({ jobSummary: summary(jobId, 'CANCELLING') }))
}

describe('given a job id', () => {
  it('stops that job with exactly one StopJob and reports it', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })

    const result = await runAction({ ...onMain, 'job-id': '42' })

    expect(result.exitCode).toBeUndefined()
    expect(result.errors).toEqual([])
    expect(amplifyMock.calls()).toHaveLength(1)
    expect(amplifyMock.commandCalls(StopJobCommand)[0].args[0].input).toEqual({
      appId: APP,
      branchName: 'main',
      jobId: '42'
    })
    expect(result.outputs).toEqual({
      'job-id': '42',
      'job-arn': arn('42'),
      status: 'CANCELLING',
      jobs: JSON.stringify([
        { jobId: '42', jobArn: arn('42'), status: 'CANCELLING', commitId: sha('42'), result: 'stopped' }
      ]),
      'stopped-count': '1'
    })
    expect(result.lines).toContain(
      `Stopped job 42 on branch "main" (CANCELLING), commit ${sha('42').slice(0, 7)} "Commit for job 42"`
    )
    expect(result.summary).toContain('<h3>Amplify: 1 job stopped</h3>')
  })

  it('accepts the API-style aliases appId, branchName and jobId', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    const result = await runAction({ appId: APP, branchName: 'main', jobId: '42' })
    expect(result.exitCode).toBeUndefined()
    expect(stopped()).toEqual(['42'])
  })

  it('a job that had already ended is success with a notice, and nothing stopped', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new BadRequestException({ message: 'Job already ended', $metadata: {} }))
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'SUCCEED'), steps: [] } })

    const result = await runAction({ ...onMain, 'job-id': '42' })

    expect(result.exitCode).toBeUndefined()
    expect(result.outputs).toMatchObject({ 'job-id': '42', status: 'SUCCEED', 'stopped-count': '0' })
    expect(jobsOf(result)[0].result).toBe('already-ended')
    expect(
      result.lines.some(l => l.startsWith('::notice::Job 42 on branch "main" had already ended (SUCCEED)'))
    ).toBe(true)
  })

  it('a job that does not exist fails, saying the job was not found', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new NotFoundException({ message: 'Job 42 not found', $metadata: {} }))
    amplifyMock
      .on(GetJobCommand)
      .rejects(new NotFoundException({ message: 'Job 42 not found', $metadata: {} }))

    const result = await runAction({ ...onMain, 'job-id': '42' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      `::error::Job 42 was not found on branch "main" of app ${APP}: check job-id. (Amplify GetJob: Job 42 not found)`
    ])
  })

  it('a refused permission fails with the IAM action and ARN to allow', async () => {
    amplifyMock
      .on(StopJobCommand)
      .rejects(new UnauthorizedException({ message: 'not authorized', $metadata: {} }))

    const result = await runAction({ ...onMain, 'job-id': '42' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toContain(
      `Allow amplify:StopJob on arn:aws:amplify:us-east-1:<account-id>:apps/${APP}/branches/main/jobs/* in the policy`
    )
    expect(amplifyMock.commandCalls(GetJobCommand)).toHaveLength(0)
  })

  it('in a dry run, reads the job with GetJob and sends no StopJob', async () => {
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'RUNNING'), steps: [] } })

    const result = await runAction({ ...onMain, 'job-id': '42', 'dry-run': 'true' })

    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    expect(result.outputs).toMatchObject({ 'job-id': '42', status: 'RUNNING', 'stopped-count': '0' })
    expect(jobsOf(result)[0]).toMatchObject({ result: 'would-stop', previousStatus: 'RUNNING' })
  })
})

describe('given a branch (discovery)', () => {
  it('with two running jobs, stops both, and the outputs name the newest', async () => {
    branchHas(
      summary('12', 'RUNNING'),
      summary('11', 'SUCCEED'),
      summary('13', 'PENDING'),
      summary('10', 'FAILED')
    )
    stopsAnswerCancelling()

    const result = await runAction(onMain)

    expect(result.exitCode).toBeUndefined()
    expect(stopped().sort()).toEqual(['12', '13'])
    expect(amplifyMock.commandCalls(ListJobsCommand)[0].args[0].input).toMatchObject({
      appId: APP,
      branchName: 'main',
      maxResults: 50
    })
    expect(result.outputs).toMatchObject({
      'job-id': '13',
      'job-arn': arn('13'),
      status: 'CANCELLING',
      'stopped-count': '2'
    })
    expect(jobsOf(result)).toEqual([
      {
        jobId: '13',
        jobArn: arn('13'),
        status: 'CANCELLING',
        previousStatus: 'PENDING',
        commitId: sha('13'),
        result: 'stopped'
      },
      {
        jobId: '12',
        jobArn: arn('12'),
        status: 'CANCELLING',
        previousStatus: 'RUNNING',
        commitId: sha('12'),
        result: 'stopped'
      }
    ])
    expect(result.lines.filter(l => l.startsWith('Stopped job'))).toEqual([
      `Stopped job 13 on branch "main" (PENDING → CANCELLING), commit ${sha('13').slice(0, 7)} "Commit for job 13"`,
      `Stopped job 12 on branch "main" (RUNNING → CANCELLING), commit ${sha('12').slice(0, 7)} "Commit for job 12"`
    ])
    expect(result.summary).toContain('<h3>Amplify: 2 jobs stopped</h3>')
  })

  it('reports a job already CANCELLING without stopping it again', async () => {
    branchHas(summary('5', 'CANCELLING'))
    const result = await runAction(onMain)
    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    expect(result.outputs).toMatchObject({ 'job-id': '5', status: 'CANCELLING', 'stopped-count': '0' })
    expect(jobsOf(result)[0].result).toBe('already-stopping')
    expect(result.warnings).toEqual([])
  })

  // @actions/github reads GITHUB_REF once, when first loaded, so only this test sets it (the tag ref and the
  // pull request cases are in settings.test.ts)
  it('takes the branch from GITHUB_REF when branch-name is empty', async () => {
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [] })
    const result = await runAction(
      { 'app-id': APP, 'if-no-job': 'ignore' },
      { GITHUB_REF: 'refs/heads/feature/x', GITHUB_EVENT_NAME: 'push' }
    )
    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(ListJobsCommand)[0].args[0].input.branchName).toBe('feature/x')
    expect(result.lines).toContain(`Amplify app ${APP} in us-east-1, branch "feature/x" (from GITHUB_REF)`)
  })

  describe('when nothing is in progress', () => {
    beforeEach(() => branchHas(summary('3', 'SUCCEED'), summary('2', 'CANCELLED')))

    const noJobOutputs = { 'job-id': '', 'job-arn': '', status: '', jobs: '[]', 'stopped-count': '0' }
    const message = `No job is in progress on branch "main" of app ${APP} (2 jobs listed).`

    it('warn (the default): a warning, success, empty outputs', async () => {
      const result = await runAction(onMain)
      expect(result.exitCode).toBeUndefined()
      expect(result.warnings).toEqual([`::warning::${message}`])
      expect(result.outputs).toEqual(noJobOutputs)
      expect(result.summary).toContain(
        '<p>No job is in progress on branch &quot;main&quot; of app d1a2b3c4d5e6f7 &#40;2 jobs listed&#41;.</p>'
      )
      expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    })

    it('ignore: an info line, success', async () => {
      const result = await runAction({ ...onMain, 'if-no-job': 'ignore' })
      expect(result.exitCode).toBeUndefined()
      expect(result.warnings).toEqual([])
      expect(result.errors).toEqual([])
      expect(result.lines).toContain(message)
      expect(result.outputs).toEqual(noJobOutputs)
    })

    it('fail: the step fails with one error', async () => {
      const result = await runAction({ ...onMain, 'if-no-job': 'fail' })
      expect(result.exitCode).toBe(1)
      expect(result.errors).toEqual([`::error::${message} Failing because if-no-job is fail.`])
      expect(result.outputs).toEqual(noJobOutputs) // set before failing, for steps that run if: failure()
      expect(result.summary).toContain('<h3>Amplify: 0 jobs stopped</h3>')
    })
  })

  describe('when the branch does not exist', () => {
    beforeEach(() => {
      amplifyMock
        .on(ListJobsCommand)
        .rejects(new NotFoundException({ message: 'Branch pr-7 not found', $metadata: {} }))
    })

    it('takes the if-no-job path: warn is a warning and success', async () => {
      const result = await runAction({ 'app-id': APP, 'branch-name': 'pr-7' })
      expect(result.exitCode).toBeUndefined()
      expect(result.warnings).toHaveLength(1)
      expect(result.warnings[0]).toMatch(
        /^::warning::Branch "pr-7" was not found in app d1a2b3c4d5e6f7: .* Nothing to stop \(Amplify deletes a preview branch when its pull request closes\)\.$/
      )
      expect(result.outputs).toMatchObject({ 'job-id': '', 'stopped-count': '0', jobs: '[]' })
    })

    it('a branch that is not a preview gets no note about previews being deleted', async () => {
      const result = await runAction({ 'app-id': APP, 'branch-name': 'feature-x' })
      expect(result.exitCode).toBeUndefined()
      expect(result.warnings).toHaveLength(1)
      expect(result.warnings[0]).toMatch(/Nothing to stop\.$/)
      expect(result.warnings[0]).not.toContain('deletes a preview branch')
    })

    it('and fail fails', async () => {
      const result = await runAction({ 'app-id': APP, 'branch-name': 'pr-7', 'if-no-job': 'fail' })
      expect(result.exitCode).toBe(1)
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0]).toMatch(
        /^::error::Branch "pr-7" was not found.*Failing because if-no-job is fail\.$/
      )
    })
  })

  it('when the app does not exist, fails whatever if-no-job says', async () => {
    amplifyMock
      .on(ListJobsCommand)
      .rejects(new NotFoundException({ message: `App ${APP} not found`, $metadata: {} }))
    const result = await runAction({ ...onMain, 'if-no-job': 'ignore' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      `::error::App ${APP} was not found in us-east-1: check app-id and aws-region. (Amplify ListJobs: App ${APP} not found)`
    ])
  })

  it('with a failed stop among three, stops the other two and fails with one error naming the job', async () => {
    branchHas(summary('9', 'RUNNING'), summary('8', 'PENDING'), summary('7', 'RUNNING'))
    amplifyMock.on(StopJobCommand).callsFake(({ jobId }: { jobId: string }) => {
      if (jobId === '8')
        throw new InternalFailureException({
          message: 'Internal failure',
          $metadata: { httpStatusCode: 500, attempts: 5 }
        })
      return { jobSummary: summary(jobId, 'CANCELLING') }
    })

    const result = await runAction(onMain)

    expect(result.exitCode).toBe(1)
    expect(stopped().sort()).toEqual(['7', '8', '9'])
    expect(result.errors).toEqual([
      `::error::Amplify failed StopJob for job 8 on branch "main" after 5 attempts (InternalFailureException: Internal failure). This is on Amplify's side: re-run the job later.`
    ])
    expect(result.outputs).toMatchObject({ 'job-id': '9', status: 'CANCELLING', 'stopped-count': '2' })
    expect(jobsOf(result).map(j => [j.jobId, j.result])).toEqual([
      ['9', 'stopped'],
      ['8', 'failed'],
      ['7', 'stopped']
    ])
  })

  it('with two failed stops, one error names both jobs', async () => {
    branchHas(summary('9', 'RUNNING'), summary('8', 'PENDING'), summary('7', 'RUNNING'))
    amplifyMock.on(StopJobCommand).callsFake(({ jobId }: { jobId: string }) => {
      if (jobId !== '9')
        throw new InternalFailureException({ message: 'boom', $metadata: { httpStatusCode: 500 } })
      return { jobSummary: summary(jobId, 'CANCELLING') }
    })
    const result = await runAction(onMain)
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^::error::2 jobs could not be stopped: job 8: .*job 7: /)
  })

  it('a dry run sends no StopJob and reports what would be stopped', async () => {
    branchHas(summary('9', 'RUNNING'), summary('8', 'PENDING'), summary('6', 'CANCELLING'))

    const result = await runAction({ ...onMain, 'dry-run': 'true' })

    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    expect(result.outputs).toMatchObject({ 'job-id': '9', status: 'RUNNING', 'stopped-count': '0' })
    expect(jobsOf(result).map(j => [j.jobId, j.result])).toEqual([
      ['9', 'would-stop'],
      ['8', 'would-stop'],
      ['6', 'already-stopping']
    ])
    expect(result.summary).toContain('Amplify jobs that would be stopped')
  })

  it('keep-newest with one RUNNING (7) and one PENDING (8) job stops only 7', async () => {
    branchHas(summary('8', 'PENDING'), summary('7', 'RUNNING'))
    stopsAnswerCancelling()

    const result = await runAction({ ...onMain, 'keep-newest': 'true' })

    expect(result.exitCode).toBeUndefined()
    expect(stopped()).toEqual(['7'])
    expect(result.outputs).toMatchObject({ 'job-id': '7', status: 'CANCELLING', 'stopped-count': '1' })
    expect(jobsOf(result).map(j => [j.jobId, j.result, j.status])).toEqual([
      ['8', 'kept', 'PENDING'],
      ['7', 'stopped', 'CANCELLING']
    ])
    expect(result.lines).toContain(
      `Kept job 8 on branch "main" running (PENDING): it is the newest, commit ${sha('8').slice(0, 7)} "Commit for job 8"`
    )
  })

  it('keep-newest with only the newest in progress: success with an info line, not the if-no-job path', async () => {
    branchHas(summary('8', 'RUNNING'), summary('7', 'SUCCEED'))

    const result = await runAction({ ...onMain, 'keep-newest': 'true', 'if-no-job': 'fail' })

    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    expect(result.lines).toContain('Only job 8, the newest, is in progress: no superseded build to stop.')
    expect(result.outputs).toMatchObject({ 'job-id': '', status: '', 'stopped-count': '0' })
    expect(jobsOf(result).map(j => j.result)).toEqual(['kept'])
  })

  it('commit-id: a prefix matching one of two jobs stops only that one', async () => {
    branchHas(
      summary('8', 'PENDING', { commitId: 'ABCDEF1234567890abcdef1234567890abcdef12' }),
      summary('7', 'RUNNING', { commitId: '1234567890abcdef1234567890abcdef12345678' })
    )
    stopsAnswerCancelling()

    const result = await runAction({ ...onMain, 'commit-id': 'abcdef12' })

    expect(result.exitCode).toBeUndefined()
    expect(stopped()).toEqual(['8'])
    expect(result.outputs['job-id']).toBe('8')
  })

  it('commit-id matching no job in progress takes the if-no-job path, naming the commit', async () => {
    branchHas(summary('7', 'RUNNING', { commitId: '1234567890abcdef1234567890abcdef12345678' }))
    const result = await runAction({ ...onMain, 'commit-id': 'fedcba9' })
    expect(amplifyMock.commandCalls(StopJobCommand)).toHaveLength(0)
    expect(result.warnings).toEqual([
      `::warning::No job building commit fedcba9 is in progress on branch "main" of app ${APP} (1 job listed).`
    ])
  })

  it('an unknown status is left alone with a warning', async () => {
    branchHas(summary('9', 'TELEPORTING'), summary('8', 'RUNNING'))
    stopsAnswerCancelling()
    const result = await runAction(onMain)
    expect(stopped()).toEqual(['8'])
    expect(result.warnings).toEqual([
      '::warning::Job 9 has the status "TELEPORTING", which this version of the action does not know: left alone.'
    ])
  })

  it('a commit message that looks like a workflow command stays inert in the log', async () => {
    const injected = { commitMessage: '::error::pwned\n::add-mask::x' }
    branchHas(summary('8', 'RUNNING', injected))
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('8', 'CANCELLING', injected) })
    const result = await runAction(onMain)
    expect(result.exitCode).toBeUndefined()
    expect(result.errors).toEqual([])
    expect(result.lines.filter(l => l.startsWith('::') && !l.startsWith('::debug::'))).toEqual([])
    expect(result.lines).toContain(
      `Stopped job 8 on branch "main" (RUNNING → CANCELLING), commit ${sha('8').slice(0, 7)} "::error::pwned"`
    )
  })
})

describe('with wait', () => {
  it('waits until GetJob says CANCELLED and reports the final status', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'CANCELLED'), steps: [] } })

    const result = await runAction({ ...onMain, 'job-id': '42', wait: 'true', 'wait-timeout': '5' })

    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(GetJobCommand)).toHaveLength(1)
    expect(result.outputs).toMatchObject({ 'job-id': '42', status: 'CANCELLED', 'stopped-count': '1' })
    expect(jobsOf(result)[0]).toMatchObject({ status: 'CANCELLED', result: 'stopped' })
    expect(result.summary).toMatch(/<p>Waited \d+\.\d s for the jobs to end\.<\/p>/)
  })

  it('fails naming the job still not ended when wait-timeout passes', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'CANCELLING'), steps: [] } })

    const started = Date.now()
    const result = await runAction({ ...onMain, 'job-id': '42', wait: 'true', 'wait-timeout': '1' })

    expect(Date.now() - started).toBeLessThan(5000)
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      '::error::Waited 1 s (wait-timeout), but this job has not ended: job 42 (CANCELLING). Amplify can leave a job CANCELLING for a long time; raise wait-timeout, or check the job in the Amplify console.'
    ])
    expect(result.outputs).toMatchObject({ status: 'CANCELLING', 'stopped-count': '1' })
  })

  it('when polling is denied, still logs the stop and sets the outputs before failing with the IAM message', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    amplifyMock.on(GetJobCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: amplify:GetJob'
        ),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 403 }
        }
      )
    )

    const result = await runAction({ ...onMain, 'job-id': '42', wait: 'true', 'wait-timeout': '5' })

    expect(result.exitCode).toBe(1)
    expect(result.lines.some(l => l.startsWith('Stopped job 42'))).toBe(true)
    expect(result.outputs).toMatchObject({ 'job-id': '42', status: 'CANCELLING', 'stopped-count': '1' })
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toContain('amplify:GetJob')
  })

  it('logs each job reaching its final status after the wait', async () => {
    amplifyMock.on(StopJobCommand).resolves({ jobSummary: summary('42', 'CANCELLING') })
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'CANCELLED'), steps: [] } })
    const result = await runAction({ ...onMain, 'job-id': '42', wait: 'true' })
    const stoppedAt = result.lines.findIndex(l => l.startsWith('Stopped job 42'))
    const endedAt = result.lines.findIndex(l =>
      l.includes('Job 42 on branch "main" is now CANCELLED (was CANCELLING)')
    )
    expect(stoppedAt).toBeGreaterThanOrEqual(0)
    expect(endedAt).toBeGreaterThan(stoppedAt)
  })

  it('does not poll in a dry run', async () => {
    branchHas(summary('9', 'RUNNING'))
    const result = await runAction({ ...onMain, 'dry-run': 'true', wait: 'true' })
    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.calls()).toHaveLength(1)
    expect(result.summary).not.toContain('Waited')
  })

  it('does not poll a job that had already ended', async () => {
    amplifyMock.on(StopJobCommand).rejects(new BadRequestException({ message: 'ended', $metadata: {} }))
    amplifyMock.on(GetJobCommand).resolves({ job: { summary: summary('42', 'FAILED'), steps: [] } })
    const result = await runAction({ ...onMain, 'job-id': '42', wait: 'true' })
    expect(result.exitCode).toBeUndefined()
    expect(amplifyMock.commandCalls(GetJobCommand)).toHaveLength(1) // the confirmation, no poll
    expect(result.outputs.status).toBe('FAILED')
  })
})

describe('a bad input', () => {
  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    [
      'a malformed app-id',
      { 'app-id': 'NOT-AN-APP', 'branch-name': 'main' },
      {},
      /^::error::Input app-id "NOT-AN-APP" is not an Amplify app id/
    ],
    ['no app-id', { 'branch-name': 'main' }, {}, /^::error::Input app-id is required/],
    [
      'a non-numeric job-id',
      { ...onMain, 'job-id': 'latest' },
      {},
      /^::error::Input job-id "latest" is not a job id/
    ],
    [
      'a bad if-no-job',
      { ...onMain, 'if-no-job': 'maybe' },
      {},
      /^::error::Input if-no-job "maybe" is not one of warn, ignore or fail\.$/
    ],
    ['no region', onMain, { AWS_REGION: '' }, /^::error::No AWS region: set the aws-region input/],
    [
      'job-id with keep-newest',
      { ...onMain, 'job-id': '4', 'keep-newest': 'true' },
      {},
      /^::error::Input keep-newest selects among discovered jobs/
    ],
    [
      'a wait-timeout of 0',
      { ...onMain, 'wait-timeout': '0' },
      {},
      /^::error::Input wait-timeout "0" is not a whole number of seconds from 1 to 21600\.$/
    ],
    [
      'wait: yes',
      { ...onMain, wait: 'yes' },
      {},
      /^::error::Input wait "yes" is not a boolean: use true or false\.$/
    ],
    [
      'an AWS_ENDPOINT_URL_AMPLIFY that is not a URL',
      onMain,
      { AWS_ENDPOINT_URL_AMPLIFY: 'amplify.internal:8443' },
      /^::error::AWS_ENDPOINT_URL_AMPLIFY "amplify.internal:8443" is not an http\(s\) URL/
    ]
  ])(
    '%s fails with one error naming the input, and sends no request at all',
    async (_, inputs, env, error) => {
      const result = await runAction(inputs, env)
      expect(result.exitCode).toBe(1)
      expect(result.errors).toHaveLength(1)
      expect(result.errors[0]).toMatch(error)
      expect(amplifyMock.calls()).toHaveLength(0)
      expect(result.outputs).toEqual({})
    }
  )
})
