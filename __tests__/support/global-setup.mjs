// Jest's globalSetup: says once, before any test file runs, which Node runs the bundle in end-to-end runs.
// Plain JavaScript, loaded by Node itself and outside jest's module map: tsx loads the TypeScript it needs.
import { tsImport } from 'tsx/esm/api'

export default async function globalSetup() {
  const { node24Line } = await tsImport('./action-runner.ts', import.meta.url)
  console.log(node24Line())
}
