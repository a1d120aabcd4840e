import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  ROOT,
  actionNames,
  nameProblems,
  parseActionManifest,
  readRepoFile,
  scanSourceNames,
  sourceFiles,
  type NameSources
} from './repo-metadata.js'

const actionYml = readRepoFile('action.yml')
const readme = readRepoFile('README.md')
const manifest = parseActionManifest(actionYml)

describe('action.yml against the official action metadata schema', () => {
  it('has no schema errors', () => {
    expect(manifest.errors).toEqual([])
  })

  it('runs dist/index.js on node24, and that file is committed', () => {
    expect(manifest.template.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(path.join(ROOT, 'dist/index.js'))).toBe(true)
  })

  it('has a name, a description and Marketplace branding', () => {
    expect(manifest.template.name).toBeTruthy()
    expect(manifest.template.description?.length).toBeGreaterThan(20)
    // The schema checks icon and colour against the Marketplace's lists; here: both are set.
    expect(manifest.template.branding?.icon).toBeTruthy()
    expect(manifest.template.branding?.color).toBeTruthy()
  })

  it('describes every input and every output', () => {
    const undescribed = [
      ...(manifest.template.inputs ?? [])
        .filter(input => !input.description?.trim())
        .map(i => `input ${i.id}`),
      ...(manifest.template.outputs ?? [])
        .filter(output => !output.description?.trim())
        .map(o => `output ${o.id}`)
    ]
    expect(manifest.template.inputs?.length).toBeGreaterThan(0)
    expect(manifest.template.outputs?.length).toBeGreaterThan(0)
    expect(undescribed).toEqual([])
  })

  it('marks no input required, since app-id may be given as appId (the code demands one of them)', () => {
    expect((manifest.template.inputs ?? []).filter(input => input.required).map(input => input.id)).toEqual(
      []
    )
  })

  it('is a validator that rejects what GitHub would reject', () => {
    const broken = actionYml
      .replace('using: node24', 'using: node18')
      .replace('icon: stop-circle', 'icon: no-such-icon')
      .replace('color: orange', 'color: pink')
    const errors = parseActionManifest(broken).errors.join('\n')
    expect(errors).toMatch(/node18/)
    expect(errors).toMatch(/no-such-icon/)
    expect(errors).toMatch(/pink/)
    expect(parseActionManifest('name: x\ndescription: y\n').errors.join('\n')).toMatch(/runs/)
  })
})

describe('inputs and outputs: action.yml, README and the code agree', () => {
  const sources: NameSources = { actionYml, readme, src: sourceFiles() }

  it('names the same inputs and outputs everywhere', () => {
    expect(nameProblems(sources)).toEqual([])
  })

  it('finds what the code reads and writes', () => {
    const code = scanSourceNames(sources.src)
    const action = actionNames(manifest.template)
    expect([...code.inputs.keys()].sort()).toEqual([...action.inputs].sort())
    expect([...code.outputs.keys()].sort()).toEqual([...action.outputs].sort())
    expect(code.aliasPairs.length).toBe(action.aliases.size)
  })

  describe('fails when a name is added in one place only', () => {
    const withInput = (yml: string, name: string): string =>
      yml.replace(
        /^inputs:\n/m,
        `inputs:\n  ${name}:\n    description: Something new.\n    required: false\n`
      )
    const withOutput = (yml: string, name: string): string =>
      yml.replace(/^outputs:\n/m, `outputs:\n  ${name}:\n    description: Something new.\n`)
    const withReadmeRow = (md: string, heading: string, name: string): string =>
      md.replace(
        new RegExp(`(## ${heading}\\n\\n\\|[^\\n]*\\n\\|[^\\n]*\\n)`),
        `$1| \`${name}\` | empty | Something new. |\n`
      )
    const withSource = (text: string): NameSources['src'] => [...sources.src, { path: 'src/extra.ts', text }]

    it.each([
      [
        'an input in action.yml',
        { ...sources, actionYml: withInput(actionYml, 'new-input') },
        /new-input is in action.yml but not in the code/
      ],
      [
        'an output in action.yml',
        { ...sources, actionYml: withOutput(actionYml, 'new-output') },
        /new-output is in action.yml but not in the code/
      ],
      [
        'an input in README',
        { ...sources, readme: withReadmeRow(readme, 'Inputs', 'new-input') },
        /new-input is in README's Inputs table but not in action.yml/
      ],
      [
        'an output in README',
        { ...sources, readme: withReadmeRow(readme, 'Outputs', 'new-output') },
        /new-output is in README's Outputs table but not in action.yml/
      ],
      [
        'an input read through readInput',
        {
          ...sources,
          src: withSource("export const f = (readInput: (n: string) => string) => readInput('new-input')")
        },
        /new-input is in the code \(src\/\) but not in action.yml/
      ],
      [
        'an input read through core.getInput',
        {
          ...sources,
          src: withSource(
            "import * as core from '@actions/core'\nexport const v = core.getInput('new-input')"
          )
        },
        /new-input is in the code/
      ],
      [
        'an input handed to a helper',
        {
          ...sources,
          src: withSource(
            "declare function parseBoolean(r: unknown, n: string, d: boolean): boolean\nexport const f = (readInput: (n: string) => string) => parseBoolean(readInput, 'new-input', false)"
          )
        },
        /new-input is in the code/
      ],
      [
        'an output set through core.setOutput',
        {
          ...sources,
          src: withSource("import * as core from '@actions/core'\ncore.setOutput('new-output', 'x')")
        },
        /new-output is in the code \(src\/\) but not in action.yml/
      ]
    ])('%s', (_place, changed, problem) => {
      expect(nameProblems(changed).join('\n')).toMatch(problem)
    })

    it('an input in action.yml and README but not in the code', () => {
      const problems = nameProblems({
        ...sources,
        actionYml: withInput(actionYml, 'new-input'),
        readme: withReadmeRow(readme, 'Inputs', 'new-input')
      })
      expect(problems).toEqual(['input new-input is in action.yml but not in the code (src/)'])
    })

    it('a name the scan cannot see is reported, not skipped', () => {
      const problems = nameProblems({
        ...sources,
        src: withSource(
          "import * as core from '@actions/core'\nconst name = 'x'\nexport const a = core.getInput(name)\ncore.setOutput(`y`.trim(), '1')\nexport const b = process.env['INPUT_Z']"
        )
      }).join('\n')
      expect(problems).toMatch(/src\/extra\.ts:3: input name name is not a string literal/)
      expect(problems).toMatch(/src\/extra\.ts:4: output name/)
      expect(problems).toMatch(/src\/extra\.ts:5: reads INPUT_Z from the environment/)
    })

    it('a changed default in action.yml', () => {
      const problems = nameProblems({
        ...sources,
        actionYml: actionYml.replace('default: warn', 'default: fail')
      })
      expect(problems.join('\n')).toMatch(/input if-no-job: README's default is `warn`, action.yml's is fail/)
    })

    it('an alias action.yml no longer declares', () => {
      const problems = nameProblems({
        ...sources,
        actionYml: actionYml.replace(/^ {2}jobId:\n(?: {4}.*\n)+/m, '')
      })
      expect(problems.join('\n')).toMatch(/input jobId is in the code \(src\/\) but not in action.yml/)
    })
  })
})
