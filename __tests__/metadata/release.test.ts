/**
 * scripts/release.sh in a temporary clone of this repository: each refusal, and one release.
 *
 * The clone's `npm test` and `npm run check-dist` are replaced by stand-ins that print a marker and exit
 * with STAND_IN_TEST_EXIT / STAND_IN_CHECK_DIST_EXIT (default 0): the release script's steps run for real
 * through npm, without running this suite recursively or rebuilding dist/ with ncc, and the tests can see
 * which steps a refusal came before. Whether dist/ matches a fresh build is check-dist's own job (CI runs
 * it; check-dist.test.ts tests what it compares); here, only that release.sh refuses when it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from '../support/action-runner.js'

const STAND_IN_MARKER = 'stand-in test suite ran'
const CHECK_DIST_MARKER = 'stand-in check-dist ran'

let workspace: string
let base: string
let cases = 0
let gitEnv: NodeJS.ProcessEnv

function sh(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {}
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...gitEnv, ...env } })
}

function git(cwd: string, ...args: string[]): string {
  const result = sh(cwd, 'git', args)
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout.trim()
}

/** A fresh clone of the prepared base, on main, with node_modules linked in. */
function clone(): string {
  const dir = path.join(workspace, `case-${++cases}`)
  git(workspace, 'clone', '--quiet', base, dir)
  git(dir, 'checkout', '--quiet', '-B', 'main')
  linkNodeModules(dir)
  return dir
}

function linkNodeModules(dir: string): void {
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'))
  // .gitignore's "node_modules/" matches directories only, and this is a symlink.
  appendFileSync(path.join(dir, '.git/info/exclude'), '/node_modules\n')
}

function release(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return sh(dir, 'bash', ['scripts/release.sh', ...args], env)
}

function tags(dir: string): string[] {
  return git(dir, 'tag', '--list').split('\n').filter(Boolean)
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '--all')
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', message)
}

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'release-test-'))
  const gitConfig = path.join(workspace, 'gitconfig')
  writeFileSync(gitConfig, '')
  gitEnv = {
    ...process.env,
    NODE_OPTIONS: undefined, // jest's --experimental-vm-modules is not part of a maintainer's shell
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release-test@example.com',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release-test@example.com',
    npm_config_update_notifier: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  }

  base = path.join(workspace, 'base')
  git(workspace, 'clone', '--quiet', ROOT, base)
  git(base, 'checkout', '--quiet', '-B', 'main')
  linkNodeModules(base)
  // The release script under test is the working tree's, committed or not.
  writeFileSync(path.join(base, 'scripts/release.sh'), readFileSync(path.join(ROOT, 'scripts/release.sh')))
  const manifestPath = path.join(base, 'package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version: string
    scripts: Record<string, string>
  }
  manifest.version = '1.0.0'
  manifest.scripts.test = `echo '${STAND_IN_MARKER}' && exit \${STAND_IN_TEST_EXIT:-0}`
  manifest.scripts['check-dist'] = `echo '${CHECK_DIST_MARKER}' && exit \${STAND_IN_CHECK_DIST_EXIT:-0}`
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
  writeFileSync(
    path.join(base, 'CHANGELOG.md'),
    '# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-11-28\n\n### Added\n\n- Something.\n\n## [1.0.0] - 2026-11-01\n\n- First.\n'
  )
  commitAll(base, 'Prepare a clone for the release test')
  git(base, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
  git(base, 'tag', '-a', 'v1', '-m', 'v1')
})

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

/** Refused for `reason`, before the tests ran, and before the dist/ check unless it was the dist/ check. */
function expectRefused(result: SpawnSyncReturns<string>, reason: RegExp, reachedCheckDist = false): void {
  expect(result.stderr).toMatch(/release: refused: /)
  expect(result.stderr).toMatch(reason)
  expect(result.status).toBe(1)
  expect(result.stdout).not.toContain(STAND_IN_MARKER)
  expect(result.stdout.includes(CHECK_DIST_MARKER)).toBe(reachedCheckDist)
}

describe('npm run release refuses', () => {
  it.each([
    [[], /no version given/],
    [['1.2'], /'1\.2' is not a semantic version/],
    [['latest'], /'latest' is not a semantic version/],
    [['01.2.3'], /is not a semantic version/]
  ])('a missing or malformed version: %j', (args, reason) => {
    const dir = clone()
    expectRefused(release(dir, args), reason)
    expect(tags(dir).sort()).toEqual(['v1', 'v1.0.0'])
  })

  it('off main', () => {
    const dir = clone()
    git(dir, 'checkout', '--quiet', '-b', 'feature')
    expectRefused(release(dir, ['1.1.0']), /releases are cut from main, and HEAD is on 'feature'/)
    expect(tags(dir)).not.toContain('v1.1.0')
  })

  it('with a dirty tree: a changed file or an untracked one', () => {
    const dir = clone()
    appendFileSync(path.join(dir, 'README.md'), '\nmore\n')
    const changed = release(dir, ['1.1.0'])
    expectRefused(changed, /the working tree is not clean/)
    expect(changed.stderr).toContain('README.md')

    git(dir, 'checkout', '--quiet', '--', 'README.md')
    writeFileSync(path.join(dir, 'notes.txt'), 'draft\n')
    const untracked = release(dir, ['1.1.0'])
    expectRefused(untracked, /the working tree is not clean/)
    expect(untracked.stderr).toContain('notes.txt')
  })

  it('a version that is already tagged, or not newer than the latest release', () => {
    const dir = clone()
    expectRefused(release(dir, ['1.0.0']), /tag v1\.0\.0 already exists/)
    git(dir, 'tag', 'v1.5.0')
    expectRefused(release(dir, ['1.1.0']), /1\.1\.0 is not newer than the latest release, v1\.5\.0/)
    expect(tags(dir)).not.toContain('v1.1.0')
  })

  it('a version CHANGELOG.md has no entry for', () => {
    const dir = clone()
    expectRefused(release(dir, ['1.2.0']), /CHANGELOG\.md has no entry for 1\.2\.0: add a '## \[1\.2\.0\] - /)

    expect(tags(dir)).not.toContain('v1.2.0')
  })

  it('a stale dist/ (npm run check-dist fails), before running the tests', () => {
    const dir = clone()
    const result = release(dir, ['1.1.0'], { STAND_IN_CHECK_DIST_EXIT: '1' })
    // Reached the dist/ check, and stopped there: before the tests.
    expectRefused(result, /dist\/ is stale: run 'npm run build', commit dist\/, and release again/, true)
    expect(tags(dir)).not.toContain('v1.1.0')
  })

  it('failing tests, and tags nothing', () => {
    const dir = clone()
    const result = release(dir, ['1.1.0'], { STAND_IN_TEST_EXIT: '1' })
    expect(result.stdout).toContain(STAND_IN_MARKER) // reached the test step...
    expect(result.stderr).toMatch(/release: refused: the tests failed/) // ...and stopped there
    expect(result.status).toBe(1)
    expect(tags(dir).sort()).toEqual(['v1', 'v1.0.0'])
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe('1.0.0')
  })
})

describe('npm run release, when every check passes', () => {
  it('checks dist/, runs the tests, sets the version, commits, tags v1.1.0, moves v1, and pushes nothing', () => {
    const dir = clone()
    const before = git(dir, 'rev-parse', 'HEAD')
    const result = release(dir, ['1.1.0'])
    expect(result.stderr).not.toMatch(/refused/)
    expect(result.status).toBe(0)
    expect(result.stdout.indexOf(CHECK_DIST_MARKER)).toBeGreaterThanOrEqual(0)
    expect(result.stdout.indexOf(STAND_IN_MARKER)).toBeGreaterThan(result.stdout.indexOf(CHECK_DIST_MARKER))

    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe('1.1.0')
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('Release 1.1.0')
    expect(git(dir, 'rev-parse', 'HEAD~1')).toBe(before)
    const head = git(dir, 'rev-parse', 'HEAD')
    expect(git(dir, 'rev-parse', 'v1.1.0^{commit}')).toBe(head)
    expect(git(dir, 'rev-parse', 'v1^{commit}')).toBe(head)
    expect(git(dir, 'status', '--porcelain')).toBe('')

    expect(result.stdout).toContain(
      'git push origin main && git push origin v1.1.0 && git push --force origin v1'
    )
    expect(tags(base)).not.toContain('v1.1.0') // nothing reached the clone's origin
    expect(git(base, 'rev-parse', 'v1^{commit}')).toBe(git(base, 'rev-parse', 'v1.0.0^{commit}'))
  })
})
