/**
 * scripts/check-dist.sh with the build stubbed: a stand-in `npx`, first on PATH, "builds" by copying a
 * prepared tree into the --out directory, and records its arguments. So this checks what the script
 * compares and reports, and that it builds exactly as `npm run build` does, without an ncc build (10 to 40 s
 * on this machine). That the committed dist/ matches a real build is `npm run check-dist`'s own job, which
 * CI runs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from '../support/action-runner.js'

let workspace: string
let cases = 0

const DIST = { 'index.js': 'console.log("bundle")\n', '413.index.js': 'chunk\n', 'licenses.txt': 'MIT\n' }

const NPX_STUB = `#!/usr/bin/env bash
printf '%s\\n' "$@" > "$NPX_ARGS_FILE"
out=''
prev=''
for arg in "$@"; do
  [ "$prev" = --out ] && out="$arg"
  prev="$arg"
done
[ -n "$out" ] || { echo 'stub npx: no --out' >&2; exit 2; }
[ -z "\${STUB_BUILD_FAILS:-}" ] || { echo 'stub npx: the build failed' >&2; exit 1; }
cp -R "$STUB_BUILD"/. "$out"/
`

function writeTree(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
}

/** A repository with the committed `dist`, and a build that would produce `built`; check-dist run on it. */
function checkDist(dist: Record<string, string>, built: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const dir = path.join(workspace, `case-${++cases}`)
  mkdirSync(path.join(dir, 'scripts'), { recursive: true })
  copyFileSync(path.join(ROOT, 'scripts/check-dist.sh'), path.join(dir, 'scripts/check-dist.sh'))
  writeTree(path.join(dir, 'dist'), dist)
  writeTree(path.join(dir, 'built'), built)
  const argsFile = path.join(dir, 'npx-args')
  const result = spawnSync('bash', ['scripts/check-dist.sh'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${path.join(workspace, 'bin')}${path.delimiter}${process.env.PATH}`,
      NPX_ARGS_FILE: argsFile,
      STUB_BUILD: path.join(dir, 'built'),
      ...env
    }
  })
  const npxArgs = readFileSync(argsFile, 'utf8').trimEnd().split('\n')
  return { ...result, npxArgs }
}

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'check-dist-test-'))
  mkdirSync(path.join(workspace, 'bin'))
  writeFileSync(path.join(workspace, 'bin', 'npx'), NPX_STUB)
  chmodSync(path.join(workspace, 'bin', 'npx'), 0o755)
})

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

describe('npm run check-dist', () => {
  it('builds as `npm run build` does, into a temporary directory instead of dist/', () => {
    const { npxArgs } = checkDist(DIST, DIST)
    const build = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>
      }
    ).scripts.build.split(' ')
    const out = npxArgs.indexOf('--out') + 1
    expect(out).toBeGreaterThan(0)
    expect(npxArgs[out]).not.toBe('dist')
    expect(npxArgs.map((arg, i) => (i === out ? 'dist' : arg))).toEqual(build)
  })

  it('passes when dist/ is what the build produces', () => {
    const result = checkDist(DIST, DIST)
    expect(result.status).toBe(0)
    expect(result.stdout).toBe('dist/ matches a fresh build.\n')
  })

  it.each([
    ['a file edited by hand', { ...DIST, 'index.js': `${DIST['index.js']}// edited by hand\n` }, DIST],
    ['a chunk the build no longer emits', { ...DIST, '50.index.js': 'stale\n' }, DIST],
    ['a chunk the build emits that was never committed', DIST, { ...DIST, '50.index.js': 'new\n' }]
  ])('fails on %s, saying to run npm run build', (_, dist, built) => {
    const result = checkDist(dist, built)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      "dist/ does not match a fresh build of src/. Run 'npm run build' and commit dist/."
    )
    expect(result.stdout).not.toContain('matches')
  })

  it('fails when the build itself fails', () => {
    const result = checkDist(DIST, DIST, { STUB_BUILD_FAILS: '1' })
    expect(result.status).not.toBe(0)
    expect(result.stdout).not.toContain('matches')
  })
})
