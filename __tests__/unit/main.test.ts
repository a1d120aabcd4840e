// run() in-process, for what the end-to-end tests cannot provoke: a bug in the action's own code becomes the
// step's one "Unexpected error" line that asks for a report, with the stack only in the debug log.
import { describe, expect, it, jest } from '@jest/globals'
import { AmplifyClient, ListJobsCommand } from '@aws-sdk/client-amplify'
import { mockClient } from 'aws-sdk-client-mock'

describe('a bug', () => {
  it('fails the step with one "Unexpected error" line; the stack goes only to the debug log', async () => {
    const amplifyMock = mockClient(AmplifyClient)
    amplifyMock.on(ListJobsCommand).resolves({ jobSummaries: [] })
    jest.unstable_mockModule('../../src/conclude.js', () => ({
      conclude: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'jobId')")
      }
    }))
    const { run } = await import('../../src/main.js')
    const env = { 'INPUT_APP-ID': 'd1a2b3', 'INPUT_BRANCH-NAME': 'main', AWS_REGION: 'us-east-1' }
    const saved = Object.fromEntries(Object.keys(env).map(key => [key, process.env[key]]))
    const written: string[] = []
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(chunk => written.push(String(chunk)) > 0)
    Object.assign(process.env, env)
    try {
      await run(process.env)
    } finally {
      stdout.mockRestore()
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
    }
    const lines = written.join('').split('\n')
    expect(process.exitCode).toBe(1)
    process.exitCode = undefined
    expect(lines.filter(line => line.startsWith('::error::'))).toEqual([
      "::error::Unexpected error: Cannot read properties of undefined (reading 'jobId'). This is a bug in amplify-stop-job: please report it with this log (re-run with debug logging for the stack trace)."
    ])
    expect(lines.filter(line => line.startsWith('::debug::TypeError:'))).toHaveLength(1)
    expect(lines.filter(line => /^\s+at /.test(line))).toEqual([]) // no raw stack in the log
    expect(amplifyMock.commandCalls(ListJobsCommand)).toHaveLength(1) // the run got that far
    amplifyMock.restore()
  })
})
