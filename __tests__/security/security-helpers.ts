// Shared by the security tests: servers that are closed after each test, runs of dist/index.js against
// them, a test CA made with openssl, and the checks every hostile-text test applies to a log or a summary.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { runAction, type ActionResult, type ActionRun } from '../support/action-runner.js'
import {
  startAmplifyServer,
  TEST_CREDENTIALS,
  type AmplifyServer,
  type AmplifyServerOptions
} from '../support/amplify-server.js'

export const APP_ID = 'd1a2b3c4d5e6f7'
export const ROOT = join(import.meta.dirname, '..', '..')

const servers: AmplifyServer[] = []
const cleanups: (() => void | Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A local Amplify server, closed after the test. */
export async function startServer(options: AmplifyServerOptions = {}): Promise<AmplifyServer> {
  const server = await startAmplifyServer(options)
  servers.push(server)
  return server
}

/** Runs something after the current test (closing a proxy, removing a directory). */
export function afterThisTest(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup)
}

/** Runs dist/index.js against the server with the test credentials, unless the run says otherwise. */
export function runAgainst(server: AmplifyServer, run: ActionRun): Promise<ActionResult> {
  return runAction({ endpoint: server.url, credentials: { ...TEST_CREDENTIALS }, ...run })
}

/** The inputs action.yml declares, by name. */
export function actionInputs(): string[] {
  const manifest = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>
  }
  return Object.keys(manifest.inputs)
}

export interface TestCa {
  /** Path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string
  /** The leaf's key and certificate (PEM), for the server's `tls` option. */
  key: string
  cert: string
}

/**
 * Makes a CA and a leaf certificate for `hostname` (subjectAltName DNS:hostname) signed by it, with
 * openssl, in a temporary directory removed after the test.
 */
export function makeTestCa(hostname: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-stop-job-ca-'))
  afterThisTest(() => rmSync(dir, { recursive: true, force: true }))
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const days = ['-days', '1']
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    ...days,
    '-subj',
    '/CN=amplify-stop-job test CA'
  )
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    `/CN=${hostname}`
  )
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=DNS:${hostname}\nextendedKeyUsage=serverAuth\n`)
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    ...days,
    '-extfile',
    'leaf.ext'
  )
  return {
    caFile: join(dir, 'ca.crt'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.crt'), 'utf8')
  }
}

// ---- Checks for hostile text ------------------------------------------------------------------------

/** Characters that end or rewrite a line anywhere a log is read: C0/C1 controls (but the line feed), DEL, U+2028/9. */
// eslint-disable-next-line no-control-regex
export const LINE_BREAKING_OR_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/

/** The beginnings of every log line the action writes itself, as plain lines or inside its own commands. */
export const OWN_LINE_STARTS = [
  'Amplify app ',
  'Stopped job ',
  'Job ',
  'Would stop job ',
  'Kept job ',
  'Could not stop job ',
  'Only job ',
  'No job ',
  'App ',
  'Branch ',
  'Amplify ',
  'Could not reach Amplify',
  'No AWS credentials',
  'Waited ',
  'Input ',
  'Inputs ',
  'No AWS region',
  'AWS_REGION ',
  'AWS_DEFAULT_REGION ',
  'Unexpected error: ',
  '2 of ',
  '3 of '
]

/**
 * Every line of stdout either is a plain line, or a workflow command the action issues itself (::notice::,
 * ::warning::, ::error:: or ::debug:: followed by its own words). Returns the commands, by name.
 */
export function expectOnlyOwnCommands(stdout: string): string[] {
  expect(stdout).not.toMatch(LINE_BREAKING_OR_CONTROL)
  const commands: string[] = []
  for (const line of stdout.split('\n')) {
    if (line === '') continue
    const command = /^\s*(?:::|##\[)/.test(line)
    if (!command) {
      expect(OWN_LINE_STARTS.some(start => line.startsWith(start)) || line.startsWith('::debug::')).toBe(true)
      continue
    }
    const match = /^::(notice|warning|error|debug)::(.*)$/.exec(line)
    expect(match).not.toBeNull()
    const [, name, message] = match as RegExpExecArray
    if (name !== 'debug') {
      if (!OWN_LINE_STARTS.some(start => message.startsWith(start)))
        throw new Error(`Not our command: ${line}`)
    }
    // As the runner reads the message: %0D, %0A and %25 unescaped. It must still be one line.
    const unescaped = message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
    expect(unescaped).not.toMatch(/[\r\n\u2028\u2029\u0085]/)
    commands.push(name)
  }
  return commands
}

/** The tags the summary writer emits itself; anything else in angle brackets came from somewhere else. */
const OWN_TAG =
  /^<(?:\/?(?:h3|p|code|table|tr|th|td|a)|a href="https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/amplify\/apps\/d[a-z0-9]+\/branches\/[A-Za-z0-9%.\-&#;]*\/deployments")>$/

/**
 * The summary is only the writer's own HTML: every tag is one it writes, every link goes to the Amplify
 * console, and the text between tags has no character HTML or Markdown would act on.
 */
export function expectInertSummary(summary: string): void {
  const tags = summary.match(/<[^>]*>?/g) ?? []
  for (const tag of tags) if (!OWN_TAG.test(tag)) throw new Error(`Not our tag: ${tag}`)
  const text = summary.replace(/<[^>]*>/g, '')
  expect(text).not.toMatch(/[<>|`[\]()*_~\\]/)
  expect(text).not.toMatch(LINE_BREAKING_OR_CONTROL)
  expect(summary).not.toMatch(/<[^>]*javascript:/i)
  // No Markdown line may start a block of its own (heading, quote, list, code fence, table row).
  for (const line of summary.split('\n')) expect(line).not.toMatch(/^\s*(?:#|>|[-+*] |\d+[.)] |```|~~~|\|)/)
}

/** The visible text of escaped HTML, as a browser shows it. */
export function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }
  return text.replace(/&(#[0-9]+|amp|lt|gt|quot);/g, (entity, name: string) =>
    name in named ? named[name] : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : entity
  )
}
