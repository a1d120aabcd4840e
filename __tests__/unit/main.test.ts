// run() in-process, for what the end-to-end suites cannot see from outside the process: that a failure is
// raised only after every target was acted on and the outputs and summary were written (the ::error:: line
// comes last), and that a bug becomes one "Unexpected error" line with its stack only in the debug log.
// Every contract scenario runs end-to-end through dist/index.js instead (__tests__/e2e).
import { describe, it, expect, beforeEach, afterEach, afterAll, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  AmplifyClient,
  AmplifyServiceException,
  ListJobsCommand,
  StopJobCommand
} from '@aws-sdk/client-amplify'
import { actionDefaults, inputVariable } from '../support/action-runner.js'
import { RunnerFiles, captureStdout, setEnv } from './github-files.js'

const amplifyMock = mockClient(AmplifyClient)
const files = new RunnerFiles()
let restoreEnv: () => void

/** The step's environment as the runner sets it: every input of action.yml (defaults applied), and these. */
function stepEnv(inputs: Record<string, string>): Record<string, string | undefined> {
  const declared = Object.fromEntries(
    Object.keys(actionDefaults()).map(name => [inputVariable(name), undefined])
  )
  return {
    ...declared,
    ...Object.fromEntries(
      Object.entries({ ...actionDefaults(), ...inputs }).map(([k, v]) => [inputVariable(k), v])
    ),
    AWS_REGION: 'us-east-1',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary
  }
}

async function runStep(run: (env: NodeJS.ProcessEnv) => Promise<void>, inputs: Record<string, string>) {
  restoreEnv = setEnv(stepEnv(inputs))
  const out = captureStdout()
  try {
    await run(process.env)
  } finally {
    out.restore()
  }
  return {
    lines: out.lines(),
    exitCode: process.exitCode,
    outputs: files.outputs(),
    summary: files.summaryText()
  }
}

beforeEach(() => {
  amplifyMock.reset()
  files.clear()
  process.exitCode = undefined
})
afterEach(() => {
  restoreEnv?.()
  process.exitCode = undefined
})
afterAll(() => {
  files.remove()
  amplifyMock.restore()
})

describe('a failure among several targets', () => {
  it('is raised last: after the other app was stopped, the outputs set and the summary written', async () => {
    const { run } = await import('../../src/main.js')
    amplifyMock
      .on(ListJobsCommand, { appId: 'd1denied' })
      .rejects(
        new AmplifyServiceException({
          name: 'AccessDeniedException',
          message: 'not authorized',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 }
        })
      )
      .on(ListJobsCommand, { appId: 'd2ok' })
      .resolves({ jobSummaries: [{ jobId: '4', jobArn: 'arn:4', status: 'RUNNING' } as never] })
    amplifyMock
      .on(StopJobCommand)
      .resolves({ jobSummary: { jobId: '4', jobArn: 'arn:4', status: 'CANCELLING' } as never })

    const result = await runStep(run, { 'app-id': 'd1denied, d2ok', 'branch-name': 'pr-7' })

    expect(result.exitCode).toBe(1)
    const errors = result.lines.filter(line => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(result.lines.at(-1)).toBe(errors[0]) // nothing is logged after the step's error
    expect(errors[0]).toContain('Allow amplify:ListJobs on')
    // ... and before it, the outputs and the summary were written (what they hold is e2e's to check)
    expect(result.outputs['stopped-count']).toBe('1')
    expect(result.summary).toContain('Failed requests')
  })
})

describe('a bug', () => {
  it('fails with one "Unexpected error" line that asks for a report; the stack goes only to the debug log', async () => {
    await jest.isolateModulesAsync(async () => {
      const report = await import('../../src/report.js')
      jest.unstable_mockModule('../../src/report.js', () => ({
        ...report,
        setOutputs: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'jobId')")
        }
      }))
      const { run } = await import('../../src/main.js')
      amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [] })

      const result = await runStep(run, { 'app-id': 'd1a2b3', 'branch-name': 'main' })

      expect(result.exitCode).toBe(1)
      expect(result.lines.filter(line => line.startsWith('::error::'))).toEqual([
        "::error::Unexpected error: Cannot read properties of undefined (reading 'jobId'). This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace)."
      ])
      const debug = result.lines.filter(line => line.startsWith('::debug::'))
      expect(debug.some(line => line.includes('TypeError') && line.includes('main'))).toBe(true)
      expect(result.lines.filter(line => line.startsWith('    at '))).toEqual([]) // no raw stack in the log
    })
  })
})
