// Plain data fixtures, with no test hooks: unit tests import them without the harness's servers.
import type { JobSummary } from '@aws-sdk/client-amplify'

/** A JobSummary as ListJobs returns it; `extra` overrides any field. */
export function jobSummary(
  jobId: string,
  status: string,
  extra: Partial<JobSummary> = {},
  where: { appId?: string; branchName?: string } = {}
): JobSummary {
  const { appId = 'd1a2b3c4d5e6f7', branchName = 'main' } = where
  return {
    jobId,
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/${appId}/branches/${branchName}/jobs/${jobId.padStart(10, '0')}`,
    status,
    commitId: `abc${jobId}`.padEnd(40, '0'),
    commitMessage: `Commit for job ${jobId}`,
    commitTime: new Date(0),
    startTime: new Date(0),
    jobType: 'WEB_HOOK',
    ...extra
  } as JobSummary
}
