// What training does while the page's tab is hidden, as the `background` attribute says:
// "pause" (the default: a tab out of sight should not keep a laptop's fan and battery busy)
// pauses and trains on when the tab is shown again; "throttle" asks the worker to slow down
// until then; "run" changes nothing. A module of its own because it keeps state that must be
// undone when the tab comes back (a pause it made is not the visitor's, and is lifted).

export class Background {
  /** `el`: the element (its `running`, `background`, `pause()`, `train()`, `status`, `rpc`). */
  constructor(el) {
    this.el = el;
    this.resumeOnShow = false; // training was paused because the tab was hidden
    this.throttled = false;
    this.listener = () => this.visibilityChanged();
  }

  attach() { document.addEventListener('visibilitychange', this.listener); }

  detach() { document.removeEventListener('visibilitychange', this.listener); }

  visibilityChanged() {
    const el = this.el;
    const hidden = document.visibilityState === 'hidden';
    const how = el.background;
    if (hidden && el.running && how === 'pause') {
      this.resumeOnShow = true;
      el.pause();
      el.status.message('Training paused while this tab is hidden; it goes on when you come back.');
    } else if (hidden && el.running && how === 'throttle') {
      this.throttled = true;
      el.rpc.call('throttle', { on: true }).catch(() => {});
    } else if (!hidden) {
      if (this.throttled) { this.throttled = false; el.rpc.call('throttle', { on: false }).catch(() => {}); }
      if (this.resumeOnShow) { this.resumeOnShow = false; el.status.message('Training resumed.'); el.train(); }
    }
  }
}
