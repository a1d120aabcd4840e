export const id = 630;
export const ids = [630];
export const modules = {

/***/ 2630:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyAgent: () => (/* binding */ ProxyAgent),
/* harmony export */   fetch: () => (/* binding */ fetch)
/* harmony export */ });
/**
 * Stands in for undici inside dist/ only: the `paths` entry of tsconfig.json maps `undici` here for ncc.
 *
 * @actions/http-client imports undici at its top level for proxy support in HttpClient, which @actions/core
 * loads for getIDToken. This action calls neither, so bundling undici only added 0.93 MB that every run had
 * to parse and evaluate: about 30-50 ms of each run's start (docs/decisions/start-up.md). Drop this stub
 * once @actions/http-client loads undici lazily (actions/toolkit#1800).
 */
function notBundled() {
    throw new Error('undici is left out of the amplify-stop-job bundle because no code path of the action uses it; reaching it is a bug in amplify-stop-job: please report it.');
}
class ProxyAgent {
    constructor() {
        notBundled();
    }
}
function fetch() {
    notBundled();
}


/***/ })

};
