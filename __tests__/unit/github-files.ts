// Helpers for the files and stream the runner reads: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and stdout.
import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../support/action-runner.js'

/** Temp files for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, emptied between tests. */
export class RunnerFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-unit-'))
  readonly output = join(this.dir, 'output')
  readonly summary = join(this.dir, 'summary')

  constructor() {
    this.clear()
  }

  clear(): void {
    writeFileSync(this.output, '')
    writeFileSync(this.summary, '')
  }

  outputs(): Record<string, string> {
    return parseOutputFile(readFileSync(this.output, 'utf8'))
  }

  summaryText(): string {
    return readFileSync(this.summary, 'utf8')
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Captures what is written to stdout (where @actions/core writes log lines and workflow commands). */
export function captureStdout(): { lines: () => string[]; restore: () => void } {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  })
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(line => line !== ''),
    restore: () => spy.mockRestore()
  }
}

/** Sets process.env keys for one test; returns a function that puts the old values back. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map(key => [key, process.env[key]]))
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  apply(values)
  return () => apply(saved)
}
