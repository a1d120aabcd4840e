// Which jobs the action acts on: status classes, numeric job id order, the discovery plan, and the job
// the single-value outputs describe.
import { describe, it, expect } from '@jest/globals'
import {
  classifyStatus,
  compareJobIds,
  foundNothing,
  isFinal,
  newestFirst,
  newestOutcomesFirst,
  planDiscovery,
  primaryOutcome,
  type Job,
  type JobOutcome
} from '../../src/jobs.js'

function job(jobId: string, status: string, commitId?: string): Job {
  return {
    jobId,
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/d1/branches/main/jobs/${jobId.padStart(10, '0')}`,
    status,
    commitId
  }
}

const ids = (jobs: readonly Job[]) => jobs.map(j => j.jobId)

describe('classifyStatus', () => {
  it.each(['CREATED', 'PENDING', 'PROVISIONING', 'RUNNING'])('%s is in progress', status => {
    expect(classifyStatus(status)).toBe('in-progress')
    expect(isFinal(status)).toBe(false)
  })

  it('CANCELLING is stopping, not final', () => {
    expect(classifyStatus('CANCELLING')).toBe('stopping')
    expect(isFinal('CANCELLING')).toBe(false)
  })

  it.each(['SUCCEED', 'FAILED', 'CANCELLED'])('%s is final', status => {
    expect(classifyStatus(status)).toBe('final')
    expect(isFinal(status)).toBe(true)
  })

  it.each(['DEPLOYING', 'UNKNOWN', '', 'running', 'cancelled'])(
    'an unknown (future) status %j is unknown and never final',
    status => {
      expect(classifyStatus(status)).toBe('unknown')
      expect(isFinal(status)).toBe(false)
    }
  )
})

describe('compareJobIds orders ids as numbers', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['42', '42', 0],
    ['007', '7', 0],
    ['0000000042', '41', 1],
    ['0', '000', 0],
    ['0', '1', -1],
    ['99', '100', -1],
    // beyond 2^53, where Number() would call these equal
    ['9007199254740993', '9007199254740992', 1],
    ['12345678901234567890123', '12345678901234567890124', -1]
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareJobIds(a, b))).toBe(sign)
    expect(Math.sign(compareJobIds(b, a)) + 0).toBe(-sign + 0)
  })

  it('sorts newest first without going through Number', () => {
    const jobs = ['9', '0011', '100', '9007199254740993', '9007199254740992', '2'].map(id =>
      job(id, 'RUNNING')
    )
    expect(ids(newestFirst(jobs))).toEqual(['9007199254740993', '9007199254740992', '100', '0011', '9', '2'])
  })

  it('newestFirst does not reorder its argument', () => {
    const jobs = [job('1', 'RUNNING'), job('2', 'RUNNING')]
    newestFirst(jobs)
    expect(ids(jobs)).toEqual(['1', '2'])
  })
})

describe('planDiscovery', () => {
  const none = { keepNewest: false }

  it('given a branch with jobs in every status, stops all in-progress jobs, newest first', () => {
    const plan = planDiscovery(
      [
        job('1', 'SUCCEED'),
        job('2', 'FAILED'),
        job('3', 'CANCELLED'),
        job('4', 'CREATED'),
        job('5', 'PENDING'),
        job('6', 'PROVISIONING'),
        job('7', 'RUNNING'),
        job('8', 'CANCELLING'),
        job('9', 'NEW_STATUS')
      ],
      none
    )
    expect(ids(plan.toStop)).toEqual(['7', '6', '5', '4'])
    expect(ids(plan.alreadyStopping)).toEqual(['8'])
    expect(ids(plan.unknownStatus)).toEqual(['9'])
    expect(plan.kept).toBeUndefined()
    expect(foundNothing(plan)).toBe(false)
  })

  it('orders jobs listed out of order by numeric id', () => {
    const plan = planDiscovery([job('9', 'RUNNING'), job('10', 'PENDING'), job('8', 'RUNNING')], none)
    expect(ids(plan.toStop)).toEqual(['10', '9', '8'])
  })

  it('given only finished jobs, finds nothing', () => {
    const plan = planDiscovery([job('1', 'SUCCEED'), job('2', 'CANCELLED')], none)
    expect(plan).toEqual({ toStop: [], alreadyStopping: [], kept: undefined, unknownStatus: [] })
    expect(foundNothing(plan)).toBe(true)
  })

  it('given no jobs at all, finds nothing', () => {
    expect(foundNothing(planDiscovery([], none))).toBe(true)
  })

  it('a job only CANCELLING counts as found, and is not stopped again', () => {
    const plan = planDiscovery([job('3', 'CANCELLING')], none)
    expect(plan.toStop).toEqual([])
    expect(ids(plan.alreadyStopping)).toEqual(['3'])
    expect(foundNothing(plan)).toBe(false)
  })

  it('a job with an unknown status alone is left alone and counts as nothing found', () => {
    const plan = planDiscovery([job('3', 'QUEUED_SOMEWHERE')], none)
    expect(ids(plan.unknownStatus)).toEqual(['3'])
    expect(foundNothing(plan)).toBe(true)
  })

  describe('with keep-newest', () => {
    it('one RUNNING (7) and one PENDING (8): stops 7, keeps 8', () => {
      const plan = planDiscovery([job('7', 'RUNNING'), job('8', 'PENDING')], { keepNewest: true })
      expect(ids(plan.toStop)).toEqual(['7'])
      expect(plan.kept?.jobId).toBe('8')
      expect(foundNothing(plan)).toBe(false)
    })

    it('keeps the highest numeric id, not the last listed or the longest-running', () => {
      const plan = planDiscovery([job('10', 'PENDING'), job('9', 'RUNNING'), job('11', 'CREATED')], {
        keepNewest: true
      })
      expect(plan.kept?.jobId).toBe('11')
      expect(ids(plan.toStop)).toEqual(['10', '9'])
    })

    it('compares ids as numbers: 10 is newer than 9', () => {
      const plan = planDiscovery([job('9', 'RUNNING'), job('10', 'PENDING')], { keepNewest: true })
      expect(plan.kept?.jobId).toBe('10')
      expect(ids(plan.toStop)).toEqual(['9'])
    })

    it('keeps the newest in-progress job, even when a newer job has ended or is stopping', () => {
      const plan = planDiscovery([job('5', 'RUNNING'), job('6', 'CANCELLING'), job('7', 'FAILED')], {
        keepNewest: true
      })
      expect(plan.kept?.jobId).toBe('5')
      expect(plan.toStop).toEqual([])
      expect(ids(plan.alreadyStopping)).toEqual(['6'])
    })

    it('a branch whose only in-progress job is the newest has nothing to stop, but is not "nothing found"', () => {
      const plan = planDiscovery([job('4', 'RUNNING'), job('3', 'SUCCEED')], { keepNewest: true })
      expect(plan.toStop).toEqual([])
      expect(plan.kept?.jobId).toBe('4')
      expect(foundNothing(plan)).toBe(false)
    })

    it('with nothing in progress, keeps nothing and finds nothing', () => {
      const plan = planDiscovery([job('4', 'SUCCEED')], { keepNewest: true })
      expect(plan.kept).toBeUndefined()
      expect(foundNothing(plan)).toBe(true)
    })
  })

  describe('with a commit id', () => {
    const jobs = [
      job('1', 'RUNNING', 'ABCDEF0123456789abcdef0123456789abcdef01'),
      job('2', 'PENDING', '1234567890abcdef1234567890abcdef12345678'),
      job('3', 'CANCELLING', 'abcdef0ffffffffffffffffffffffffffffffff0'),
      job('4', 'RUNNING')
    ]

    it('a prefix matching one of two in-progress jobs selects only that one, case-insensitively', () => {
      const plan = planDiscovery(jobs, { keepNewest: false, commitId: 'abcdef01' })
      expect(ids(plan.toStop)).toEqual(['1'])
      expect(plan.alreadyStopping).toEqual([])
    })

    it('a full SHA selects its job', () => {
      const plan = planDiscovery(jobs, {
        keepNewest: false,
        commitId: '1234567890abcdef1234567890abcdef12345678'
      })
      expect(ids(plan.toStop)).toEqual(['2'])
    })

    it('filters the CANCELLING jobs too', () => {
      const plan = planDiscovery(jobs, { keepNewest: false, commitId: 'abcdef0' })
      expect(ids(plan.toStop)).toEqual(['1'])
      expect(ids(plan.alreadyStopping)).toEqual(['3'])
    })

    it('a job without a commit (a manual deployment) never matches', () => {
      const plan = planDiscovery([job('4', 'RUNNING')], { keepNewest: false, commitId: 'abcdef0' })
      expect(foundNothing(plan)).toBe(true)
    })

    it('a prefix matching nothing finds nothing', () => {
      expect(foundNothing(planDiscovery(jobs, { keepNewest: false, commitId: 'fedcba9' }))).toBe(true)
    })

    it('with keep-newest, keeps the newest among the matching jobs only', () => {
      const plan = planDiscovery(
        [job('5', 'RUNNING', 'aaaaaaa1'), job('6', 'PENDING', 'aaaaaaa2'), job('7', 'PENDING', 'bbbbbbb1')],
        { keepNewest: true, commitId: 'aaaaaaa' }
      )
      expect(plan.kept?.jobId).toBe('6')
      expect(ids(plan.toStop)).toEqual(['5'])
    })
  })
})

describe('primaryOutcome: the job the job-id, job-arn and status outputs describe', () => {
  const outcome = (id: string, result: JobOutcome['result']): JobOutcome => ({
    job: job(id, 'CANCELLING'),
    result
  })

  it('is the newest job acted on, by numeric id', () => {
    expect(
      primaryOutcome([outcome('9', 'stopped'), outcome('10', 'stopped'), outcome('2', 'already-ended')])?.job
        .jobId
    ).toBe('10')
  })

  it('is never the kept job', () => {
    expect(primaryOutcome([outcome('8', 'kept'), outcome('7', 'stopped')])?.job.jobId).toBe('7')
  })

  it('is undefined when only a kept job or nothing at all is there', () => {
    expect(primaryOutcome([outcome('8', 'kept')])).toBeUndefined()
    expect(primaryOutcome([])).toBeUndefined()
  })

  it('newestOutcomesFirst sorts by numeric id without touching its argument', () => {
    const outcomes = [outcome('9', 'stopped'), outcome('100', 'stopped'), outcome('10', 'kept')]
    expect(newestOutcomesFirst(outcomes).map(o => o.job.jobId)).toEqual(['100', '10', '9'])
    expect(outcomes.map(o => o.job.jobId)).toEqual(['9', '100', '10'])
  })
})
