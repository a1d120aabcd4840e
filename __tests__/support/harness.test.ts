// The harness's clean-up: each test's servers and clean-ups end with that test, and never while another
// test still uses them, also when tests run concurrently (it.concurrent: those are closed after the file).
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

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

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

describe('clean-up of concurrent tests', () => {
  let quickEnded = false

  it.concurrent('a quick test ends first', async () => {
    const quick = await startServer()
    expect(await listening(quick)).toBe(true)
    quickEnded = true
  })

  it.concurrent('a slow test still has its server after the quick one ended', async () => {
    const slow = await startServer()
    await sleep(200)
    expect({ quickEnded, slowListening: await listening(slow) }).toEqual({
      quickEnded: true,
      slowListening: true
    })
  })
})
