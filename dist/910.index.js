export const id = 910;
export const ids = [910];
export const modules = {

/***/ 910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   waitUntilEnded: () => (/* binding */ waitUntilEnded)
/* harmony export */ });
/* unused harmony exports DEFAULT_SCHEDULE, PROGRESS_EVERY_MS, realClock, baseDelay, pollBy */
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _jobs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5995);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2464);
/**
 * Waiting until stopped jobs have really ended. Loaded only when `wait` is on.
 * Each branch with jobs still awaited is polled on its own schedule, one read per round: GetJob when one job
 * is awaited there, the branch's ListJobs when its pages (known from discovery) cost fewer requests than a
 * GetJob per awaited job. Polls come soon after the stop (a cancel often lands within seconds), then back
 * off with jitter to a cap. Throttling or a passing failure slows a branch's polling; a failure for good ends
 * it there only, and the other branches go on. Progress is told from the polls' own answers: a status change
 * at once, and every 30 s how many jobs are still waited for, by status.
 */




const DEFAULT_SCHEDULE = { firstDelayMs: 500, maxDelayMs: 10_000, jitter: 0.2 };
/** While any job is still waited for, a progress line at least this often. */
const PROGRESS_EVERY_MS = 30_000;
/**
 * A poll may take the time left before the deadline, and no less than this, so that the poll made at the
 * deadline can still answer. Without a bound, a read that never answers would hold the wait for every
 * request timeout and retry (about a minute) past wait-timeout.
 */
const LAST_POLL_MS = 2_000;
const realClock = {
    now: () => Date.now(),
    // An abort ends the sleep early; it is not an error here.
    sleep: (ms, signal) => (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(ms, undefined, { signal }).catch(() => undefined),
    random: Math.random
};
const silent = { statusChanged() { }, stillWaiting() { } };
/** The delay before poll number `attempt` (0-based), before jitter. */
function baseDelay(attempt, schedule) {
    return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** attempt);
}
/** GetJob per awaited job, or one ListJobs of the branch when its pages cost fewer requests. */
function pollBy(awaited, pages) {
    return awaited > 1 && pages !== undefined && pages < awaited ? 'ListJobs' : 'GetJob';
}
async function waitUntilEnded(amplify, outcomes, options) {
    const { timeoutMs, progress = silent, schedule = DEFAULT_SCHEDULE, clock = realClock } = options;
    const started = clock.now();
    const latest = [...outcomes];
    const failed = new Set(); // jobs of branches whose reads failed for good
    const failures = [];
    const branches = new Map();
    latest.forEach((outcome, i) => {
        if (!(0,_jobs_js__WEBPACK_IMPORTED_MODULE_2__/* .needsWaiting */ .l)(outcome))
            return;
        const key = `${outcome.job.appId}\u0000${outcome.job.branchName}`;
        const entry = branches.get(key);
        if (entry)
            entry.indices.push(i);
        else
            branches.set(key, {
                branch: { appId: outcome.job.appId, branchName: outcome.job.branchName },
                indices: [i]
            });
    });
    const finished = new AbortController();
    void tellProgress(clock, finished.signal, () => {
        const waiting = latest.filter((o, i) => (0,_jobs_js__WEBPACK_IMPORTED_MODULE_2__/* .needsWaiting */ .l)(o) && !failed.has(i)).map(o => o.job);
        if (waiting.length > 0)
            progress.stillWaiting(waiting, clock.now() - started);
    });
    const poller = {
        amplify,
        deadline: started + timeoutMs,
        schedule,
        clock,
        update(i, job) {
            const was = latest[i].job.status;
            latest[i] = { ...latest[i], job: { ...latest[i].job, status: job.status } };
            if (job.status !== was)
                progress.statusChanged(latest[i].job, was);
        },
        current: i => latest[i]
    };
    try {
        await Promise.all([...branches.values()].map(async ({ branch, indices }) => {
            const failure = await pollBranch(poller, branch, indices, options.pagesOf?.(branch));
            if (failure) {
                failures.push(failure);
                for (const i of indices)
                    failed.add(i);
            }
        }));
    }
    finally {
        finished.abort();
    }
    return {
        outcomes: latest,
        unfinished: latest.filter((o, i) => (0,_jobs_js__WEBPACK_IMPORTED_MODULE_2__/* .needsWaiting */ .l)(o) && !failed.has(i)),
        failures,
        waitedMs: clock.now() - started
    };
}
/** Every PROGRESS_EVERY_MS until `done` aborts. */
async function tellProgress(clock, done, tell) {
    for (;;) {
        await clock.sleep(PROGRESS_EVERY_MS, done);
        if (done.aborted)
            return;
        tell();
    }
}
/** Polls one branch until its awaited jobs are final or the deadline passes; a failure for good is returned. */
async function pollBranch(poller, branch, indices, pages) {
    const { amplify, deadline, schedule, clock } = poller;
    let step = 0;
    for (;;) {
        const awaited = indices.filter(i => (0,_jobs_js__WEBPACK_IMPORTED_MODULE_2__/* .needsWaiting */ .l)(poller.current(i)));
        const remaining = deadline - clock.now();
        if (awaited.length === 0 || remaining <= 0)
            return undefined;
        const jittered = baseDelay(step, schedule) * (1 - schedule.jitter + 2 * schedule.jitter * clock.random());
        await clock.sleep(Math.min(jittered, remaining));
        // A poll may take the time left, so that it cannot hold the wait past wait-timeout.
        const signal = AbortSignal.timeout(Math.ceil(Math.max(deadline - clock.now(), LAST_POLL_MS)));
        const by = pollBy(awaited.length, pages);
        try {
            let unseen = awaited;
            if (by === 'ListJobs') {
                const wanted = new Set(awaited.map(i => poller.current(i).job.jobId));
                const { jobs } = await amplify.listJobs(branch, {
                    seen: listed => [...wanted].every(id => listed.some(job => job.jobId === id)),
                    signal
                });
                const byId = new Map(jobs.map(job => [job.jobId, job]));
                for (const i of awaited) {
                    const job = byId.get(poller.current(i).job.jobId);
                    if (job)
                        poller.update(i, job);
                }
                unseen = awaited.filter(i => !byId.has(poller.current(i).job.jobId));
            }
            // GetJob for each awaited job, or for those a ListJobs did not show.
            await Promise.all(unseen.map(async (i) => poller.update(i, await amplify.getJob(branch, poller.current(i).job.jobId, signal))));
            step++;
        }
        catch (error) {
            if (!isPassing(error))
                return (0,_plan_js__WEBPACK_IMPORTED_MODULE_3__/* .failureOf */ .g5)(error, branch, by);
            step += 2; // throttled or failing after the SDK's own retries: back off one step further
        }
    }
}
/** Failures that another poll may not meet: throttling, Amplify's own errors, the network. */
function isPassing(error) {
    return (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ &&
        (error.kind === 'throttled' || error.kind === 'service' || error.kind === 'network'));
}


/***/ })

};
