// "Latest request wins", for every view that asks the worker for something to draw (the grid,
// the explore view, D's view, the nearest training digits). Training asks for redraws many
// times a second and a slider asks on every move; the worker answers one request at a time.
// So: one request in flight per view; asks made meanwhile share the next request, which takes
// the latest ask's argument; an answer for a view that was reset meanwhile (a new model) is
// dropped; a failure is reported and the loop goes on. A request that never answers would
// stall its view: each request's promise must settle (rpc.js rejects them all when its worker
// goes, issue #12).

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Latest {
  /**
   * `request(arg)`: the request (a promise); `show(answer, arg)`: draws an answer; `failed(e)`:
   * hears a failure; `wait({first, last, ran})`: ms to wait before the next request, given when
   * the oldest and newest asks not yet served came and when the last request began
   * (performance.now() times; e.g. at most one a second, or until the asks rest).
   */
  constructor(request, { show = () => {}, failed = () => {}, wait = () => 0 } = {}) {
    Object.assign(this, { request, show, failed, wait });
    this.waiters = []; // resolvers of asks not yet served
    this.arg = undefined; // the latest ask's argument
    this.first = this.last = null; // when the oldest and the newest unserved ask came
    this.ran = -Infinity; // when the last request began
    this.epoch = 0; // one per reset(): answers of an older one are dropped
    this.busy = false;
  }

  /**
   * Asks for a request with `arg` (replacing an earlier ask's not yet sent); resolves once a
   * request begun after the ask has ended (shown, failed or dropped), or at a reset.
   */
  ask(arg) {
    const served = new Promise((resolve) => this.waiters.push(resolve));
    this.arg = arg;
    this.last = performance.now();
    this.first ??= this.last;
    if (!this.busy) this.loop();
    return served;
  }

  /** Forgets unserved asks (resolving them) and drops the answer in flight: a new model. */
  reset() {
    this.epoch++;
    this.first = this.last = null;
    for (const done of this.waiters.splice(0)) done();
  }

  async loop() {
    this.busy = true;
    try {
      while (this.waiters.length) {
        for (let ms; this.waiters.length && (ms = this.wait(this)) > 0;) await sleep(ms);
        if (!this.waiters.length) break; // reset while waiting
        const waiters = this.waiters.splice(0), arg = this.arg, epoch = this.epoch;
        this.first = this.last = null;
        this.ran = performance.now();
        try {
          const answer = await this.request(arg);
          if (epoch === this.epoch) await this.show(answer, arg);
        } catch (e) {
          if (epoch === this.epoch) this.failed(e);
        }
        for (const done of waiters) done();
      }
    } finally { this.busy = false; }
  }
}
