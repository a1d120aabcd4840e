// The action's entry point: everything else is importable without side effects.
import { run } from './main.js'

await run()
