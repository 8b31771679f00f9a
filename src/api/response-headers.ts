/**
 * Sent on every API response, the task function's and API Gateway's own errors alike: task data must not
 * stay in a browser or proxy cache after sign-out (`no-store`), and no browser may sniff a body into a type
 * it would run (`nosniff`). The docs assets override `Cache-Control`: they hold no task data.
 */
export const API_RESPONSE_HEADERS = Object.freeze({
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});
