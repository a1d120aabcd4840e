// The harness's clean-up: each test's servers and clean-ups end with that test, never while another test
// still uses them. (Jest runs no afterEach for it.concurrent tests: theirs are closed after the file, which
// a test inside the file cannot observe.)
import { describe, expect, it } from '@jest/globals'
import { request } from 'node:http'
import { afterThisTest, startServer, type AmplifyServer } from './harness.js'

/** Whether the server still accepts connections. */
function listening(server: AmplifyServer): Promise<boolean> {
  return new Promise(resolve => {
    const req = request(`${server.url}/apps/d1/branches/main/jobs`, () => resolve(true))
    req.on('error', () => resolve(false))
    req.end()
  })
}

describe('clean-up after each test', () => {
  const ended: string[] = []
  let first: AmplifyServer | undefined

  it('starts a server and registers a clean-up', async () => {
    first = await startServer()
    afterThisTest(() => void ended.push('first'))
    expect(await listening(first)).toBe(true)
  })

  it('finds them done when the next test starts', async () => {
    expect(ended).toEqual(['first'])
    expect(await listening(first!)).toBe(false)
  })
})
