// README is for users: at most 20 kB, a contents list, a workflow that uses the action as its first code block,
// and a link to every example in docs/examples/. A workflow shown in README or docs/ is marked with the example
// file it shows and is that file byte for byte. Every relative link in README, CONTRIBUTING and docs/ resolves,
// anchors included.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../support/action-runner.js'

const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')
const readme = read('README.md')
const examples = readdirSync(path.join(ROOT, 'docs/examples'))
  .filter(name => /\.ya?ml$/.test(name))
  .sort()
  .map(name => `docs/examples/${name}`)
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`),
  ...readdirSync(path.join(ROOT, 'docs/decisions'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/decisions/${name}`)
]

interface Block {
  line: number
  language: string
  content: string
  /** The file named by an `<!-- example: path -->` line above the fence (blank lines between allowed). */
  example?: string
}

function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(`{3,}|~{3,})\s*(\S*)\s*$/.exec(lines[i])
    if (!fence) continue
    let end = i + 1
    while (end < lines.length && lines[end] !== fence[1]) end++
    let above = i - 1
    while (above >= 0 && lines[above].trim() === '') above--
    const marker = /^<!--\s*example:\s*(\S+)\s*-->$/.exec(lines[above]?.trim() ?? '')
    blocks.push({
      line: i + 1,
      language: fence[2],
      content: lines
        .slice(i + 1, end)
        .map(line => `${line}\n`)
        .join(''),
      example: marker?.[1]
    })
    i = end
  }
  return blocks
}

/** The text outside fenced code blocks. */
const prose = (markdown: string): string => markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    result.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return result
}

const isWorkflow = (text: string): boolean => {
  try {
    const value: unknown = parseYaml(text)
    return typeof value === 'object' && value !== null && 'on' in value && 'jobs' in value
  } catch {
    return false
  }
}

describe('README', () => {
  it('is at most 20,000 bytes', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(20_000)
  })

  it('opens with a contents list that links every section', () => {
    const contents = readme.slice(0, readme.search(/^## /m))
    const sections = [...prose(readme).matchAll(/^## (.+)$/gm)].map(([, title]) => title)
    expect(sections.length).toBeGreaterThan(5)
    const targets = anchors(readme)
    const unlisted = sections.filter(title => {
      const slug = [...anchors(`## ${title}`)][0]
      return !targets.has(slug) || !contents.includes(`](#${slug})`)
    })
    expect(unlisted).toEqual([])
  })

  it('shows, as its first code block, the closed-pull-request workflow using the action', () => {
    const [first] = codeBlocks(readme)
    expect(first.example).toBe('docs/examples/pull-request-closed.yml')
    expect(first.content).toMatch(/^\s+(?:- )?uses: amplify-stop-job\/amplify-stop-job@/m)
    expect(readme.indexOf('## Quick start')).toBeLessThan(readme.indexOf(first.content))
  })

  it('links every example in docs/examples/', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7)
    expect(examples.filter(file => !readme.includes(`](${file})`))).toEqual([])
  })
})

describe('workflows shown in README and docs/', () => {
  it.each(pages)('%s marks each with the example it shows, and shows that file byte for byte', page => {
    const problems: string[] = []
    for (const block of codeBlocks(read(page))) {
      if (!block.example) {
        if (isWorkflow(block.content)) {
          problems.push(
            `line ${block.line}: a workflow with no "<!-- example: docs/examples/….yml -->" above it`
          )
        }
        continue
      }
      if (!examples.includes(block.example)) problems.push(`line ${block.line}: no file ${block.example}`)
      else if (read(block.example) !== block.content) {
        problems.push(
          `line ${block.line}: differs from ${block.example} (npm run docs copies it into README)`
        )
      }
    }
    expect(problems).toEqual([])
  })
})

describe('links in README, CONTRIBUTING and docs/', () => {
  it.each(pages)('%s links only to files and headings that exist', page => {
    const broken: string[] = []
    for (const [, target] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue // https:, mailto:
      const [file, anchor] = target.split('#')
      const resolved = file === '' ? page : path.normalize(path.join(path.dirname(page), file))
      if (!existsSync(path.join(ROOT, resolved))) broken.push(`${target}: no such file`)
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor)) {
        broken.push(`${target}: no such heading in ${resolved}`)
      }
    }
    expect(broken).toEqual([])
  })
})
