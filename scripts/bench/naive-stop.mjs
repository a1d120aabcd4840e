// The bar a stop by job id is held to (`npm run bench`, row "naive"): what a straightforward author writes
// with the same two packages, @actions/core and @aws-sdk/client-amplify, bundled with a plain `ncc build`.
// The bench builds it into a temporary directory at each run; it is never committed, nor shipped.
import * as core from '@actions/core'
import { AmplifyClient, StopJobCommand } from '@aws-sdk/client-amplify'

try {
  const client = new AmplifyClient({})
  const { jobSummary } = await client.send(
    new StopJobCommand({
      appId: core.getInput('app-id', { required: true }),
      branchName: core.getInput('branch-name', { required: true }),
      jobId: core.getInput('job-id', { required: true })
    })
  )
  core.setOutput('job-id', jobSummary?.jobId)
  core.setOutput('status', jobSummary?.status)
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error))
}
