// Prints the plain closing line "N passed, N failed" (with ", N skipped" when any) that CI reads,
// after jest's own summary.
class PassedFailedReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`
    )
  }
}
module.exports = PassedFailedReporter
