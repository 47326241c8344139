// Node 20 lacks Promise.withResolvers (ES2024, Node >= 22). One transitive dependency (it-queue, used by
// mortice) calls it; this standard-conformant fallback is all that is missing. Imported first by daemon.mjs.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve, reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
