import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import * as prettier from 'prettier'
import {
  ROOT,
  listRepoFiles,
  readRepoFile,
  readmeExampleProblems,
  readmeYamlBlocks,
  workflowSchemaErrors,
  type TextFile
} from './repo-metadata.js'

const readme = readRepoFile('README.md')
const examples: TextFile[] = listRepoFiles('docs/examples', /\.ya?ml$/).map(file => ({
  path: file,
  text: readRepoFile(file)
}))

describe("README's workflow examples are the files in docs/examples", () => {
  it('has examples, and the README shows each of them', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7)
    expect(readmeYamlBlocks(readme).filter(block => block.example).length).toBe(examples.length)
  })

  it('shows every example file, byte for byte, and no unmarked workflow', () => {
    expect(readmeExampleProblems(readme, examples)).toEqual([])
  })

  it.each(examples.map(file => [file.path, file.text]))(
    '%s is a valid workflow for the official schema',
    (name, text) => {
      expect(workflowSchemaErrors(text, name)).toEqual([])
    }
  )

  it("the Quick start, the README's first example, is the closed-pull-request workflow", () => {
    const first = readmeYamlBlocks(readme)[0]
    expect(readme.indexOf('## Quick start')).toBeLessThan(readme.indexOf(first.content))
    expect(first.example).toBe('docs/examples/pull-request-closed.yml')
  })

  it('stay paired after `npm run format` (prettier) rewrites the README and the examples', async () => {
    const format = async (text: string, file: string): Promise<string> => {
      const filepath = path.join(ROOT, file)
      return prettier.format(text, { ...(await prettier.resolveConfig(filepath)), filepath })
    }
    const formatted = await Promise.all(
      examples.map(async file => ({ ...file, text: await format(file.text, file.path) }))
    )
    expect(formatted).toEqual(examples)
    expect(readmeExampleProblems(await format(readme, 'README.md'), examples)).toEqual([])
  })

  describe('catches drift', () => {
    const marked = readmeYamlBlocks(readme).find(block => block.example)!
    const file = examples.find(example => example.path === marked.example)!

    it('a README block edited without its file', () => {
      const edited = readme.replace(
        marked.content,
        marked.content.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-24.04')
      )
      expect(readmeExampleProblems(edited, examples).join('\n')).toMatch(
        new RegExp(`the block differs from ${file.path.replace(/\./g, '\\.')} \\(line \\d+ of the block`)
      )
    })

    it('a file edited without the README', () => {
      const changed = examples.map(example =>
        example === file ? { ...example, text: `${example.text}# one more line\n` } : example
      )
      expect(readmeExampleProblems(readme, changed).join('\n')).toMatch(/differs from/)
    })

    it('a new example file the README does not show', () => {
      const more = [...examples, { path: 'docs/examples/new.yml', text: 'on: push\njobs: {}\n' }]
      expect(readmeExampleProblems(readme, more)).toEqual([
        'docs/examples/new.yml is not shown in the README'
      ])
    })

    it('a workflow pasted into the README without its marker', () => {
      const unmarked = `${readme}\n\`\`\`yaml\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n\`\`\`\n`
      expect(readmeExampleProblems(unmarked, examples).join('\n')).toMatch(
        /a workflow example with no .* line above it/
      )
    })

    it('a marker naming a file that does not exist', () => {
      const wrong = readme.replace(
        `<!-- example: ${file.path} -->`,
        '<!-- example: docs/examples/missing.yml -->'
      )
      const problems = readmeExampleProblems(wrong, examples).join('\n')
      expect(problems).toMatch(/docs\/examples\/missing\.yml does not exist/)
      expect(problems).toMatch(new RegExp(`${file.path.replace(/\./g, '\\.')} is not shown in the README`))
    })

    it('leaves YAML that is not a workflow alone', () => {
      const fragment = `${readme}\n\`\`\`yaml\nwith:\n  app-id: d123\n\`\`\`\n`
      expect(readmeExampleProblems(fragment, examples)).toEqual([])
    })
  })
})
