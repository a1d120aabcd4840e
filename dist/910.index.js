export const id = 910;
export const ids = [910];
export const modules = {

/***/ 910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   waitUntilEnded: () => (/* binding */ waitUntilEnded)
/* harmony export */ });
/* unused harmony exports DEFAULT_SCHEDULE, PROGRESS_EVERY_MS, baseDelay */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _jobs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5995);


const DEFAULT_SCHEDULE = { firstDelayMs: 500, maxDelayMs: 10_000, jitter: 0.2 };
/** While any job is still waited for, a progress line at least this often. */
const PROGRESS_EVERY_MS = 30_000;
/**
 * A poll may take the time left before the deadline, and no less than this, so that the poll made at the
 * deadline can still answer. Without a bound, a GetJob that never answers would hold the wait for every
 * request timeout and retry (about a minute) past wait-timeout.
 */
const LAST_POLL_MS = 2_000;
const realClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise(resolve => {
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    }),
    random: Math.random
};
const silent = { statusChanged() { }, stillWaiting() { } };
/** The delay before poll number `attempt` (0-based), before jitter. */
function baseDelay(attempt, schedule) {
    return Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** attempt);
}
async function waitUntilEnded(amplify, outcomes, options) {
    const { timeoutMs, progress = silent, schedule = DEFAULT_SCHEDULE, clock = realClock } = options;
    const started = clock.now();
    const deadline = started + timeoutMs;
    // A job's poll that fails for good ends every other job's polling too, so no timer outlives the step.
    const failed = new AbortController();
    const finished = new AbortController();
    const latest = [...outcomes];
    const poll = (outcome, i) => pollUntilFinal(amplify, outcome, { deadline, schedule, clock, failed }, (current, was) => {
        latest[i] = current;
        progress.statusChanged(current.job, was);
    });
    if (outcomes.some(_jobs_js__WEBPACK_IMPORTED_MODULE_1__/* .needsWaiting */ .l))
        void tellProgress(clock, finished.signal, () => {
            const waiting = latest.filter(_jobs_js__WEBPACK_IMPORTED_MODULE_1__/* .needsWaiting */ .l).map(o => o.job);
            if (waiting.length > 0)
                progress.stillWaiting(waiting, clock.now() - started);
        });
    try {
        const waited = await Promise.all(outcomes.map((o, i) => ((0,_jobs_js__WEBPACK_IMPORTED_MODULE_1__/* .needsWaiting */ .l)(o) ? poll(o, i) : o)));
        return { outcomes: waited, unfinished: waited.filter(_jobs_js__WEBPACK_IMPORTED_MODULE_1__/* .needsWaiting */ .l), waitedMs: clock.now() - started };
    }
    finally {
        finished.abort();
    }
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
async function pollUntilFinal(amplify, outcome, { deadline, schedule, clock, failed }, changed) {
    let current = outcome;
    let step = 0;
    for (;;) {
        const remaining = deadline - clock.now();
        if (remaining <= 0 || failed.signal.aborted)
            return current;
        const jittered = baseDelay(step, schedule) * (1 - schedule.jitter + 2 * schedule.jitter * clock.random());
        await clock.sleep(Math.min(jittered, remaining), failed.signal);
        if (failed.signal.aborted)
            return current;
        try {
            const budget = Math.ceil(Math.max(deadline - clock.now(), LAST_POLL_MS)); // AbortSignal.timeout takes whole ms
            const job = await amplify.getJob(current.job, current.job.jobId, AbortSignal.any([AbortSignal.timeout(budget), failed.signal]));
            const was = current.job.status;
            current = { ...current, job: { ...current.job, status: job.status } };
            if (job.status !== was)
                changed(current, was);
            if ((0,_jobs_js__WEBPACK_IMPORTED_MODULE_1__/* .isFinal */ .dR)(job.status))
                return current;
            step++;
        }
        catch (error) {
            if (failed.signal.aborted)
                return current;
            if (!isPassing(error)) {
                failed.abort(error);
                throw error;
            }
            step += 2; // throttled or failing after the SDK's own retries: back off one step further
        }
    }
}
/** Failures that another poll may not meet: throttling, Amplify's own errors, the network. */
function isPassing(error) {
    return (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ &&
        (error.kind === 'throttled' || error.kind === 'service' || error.kind === 'network'));
}


/***/ })

};
