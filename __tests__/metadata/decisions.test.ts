// The decision records in docs/decisions/ match the code they describe: every file they name exists, and
// what start-up.md quotes of the undici stub and of tsconfig.json is what those files say.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../support/action-runner.js'

const readRepoFile = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

const decisions = readdirSync(path.join(ROOT, 'docs/decisions'))
  .filter(name => name.endsWith('.md'))
  .map(name => ({ file: `docs/decisions/${name}`, text: readRepoFile(`docs/decisions/${name}`) }))
const startUp = readRepoFile('docs/decisions/start-up.md')

/** The fenced blocks of a Markdown text whose first line is `// <label>`, by label. */
function quotedBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>()
  for (const [, body] of markdown.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)) {
    const [first, ...rest] = body.split('\n')
    const label = /^\/\/ ([^\s,]+)/.exec(first)?.[1]
    if (label) blocks.set(label, rest.join('\n'))
  }
  return blocks
}

describe('docs/decisions', () => {
  it('names only files that exist', () => {
    const named = decisions.flatMap(({ file, text }) =>
      [...text.matchAll(/`((?:src|scripts|dist|__tests__|docs)\/[\w./-]+\.\w+)`/g)].map(([, name]) => ({
        file,
        name
      }))
    )
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter(({ name }) => !existsSync(path.join(ROOT, name)))).toEqual([])
  })

  it("start-up.md quotes tsconfig.json's undici path, and the stub it names", () => {
    const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as {
      compilerOptions: { paths: Record<string, string[]> }
    }
    const quoted = quotedBlocks(startUp).get('tsconfig.json') ?? ''
    expect(JSON.parse(`{${quoted}}`)).toEqual({ paths: tsconfig.compilerOptions.paths })
    const stub = tsconfig.compilerOptions.paths.undici[0].replace(/^\.\//, '')
    expect(startUp).toContain(`\`${stub}\``)
  })

  it('start-up.md quotes the undici stub as it is (its leading comment aside)', () => {
    const stub = 'src/bundle-stubs/undici.ts'
    const code = readRepoFile(stub).replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
    expect(quotedBlocks(startUp).get(stub)).toBe(code)
  })
})
