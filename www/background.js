// What training does while the page's tab is hidden, as the `background` attribute says:
// "pause" (the default: a tab out of sight should not keep a laptop's fan and battery busy)
// pauses and trains on when the tab is shown again; "throttle" asks the worker to slow down
// until then; "run" changes nothing. A module of its own because it keeps state that must be
// undone when the tab comes back (a pause it made is not the visitor's, and is lifted).

export class Background {
  /**
   * Callbacks: `how()` the `background` attribute; `running()`; `pause()` and `train()`;
   * `throttle(on)` asks the worker; `say(text)` the status line.
   */
  constructor(callbacks) {
    Object.assign(this, callbacks);
    this.resumeOnShow = false; // training was paused because the tab was hidden
    this.throttled = false;
    this.listener = () => this.visibilityChanged();
  }

  attach() { document.addEventListener('visibilitychange', this.listener); }

  detach() { document.removeEventListener('visibilitychange', this.listener); }

  visibilityChanged() {
    const hidden = document.visibilityState === 'hidden';
    const how = this.how();
    if (hidden && this.running() && how === 'pause') {
      this.resumeOnShow = true;
      this.pause();
      this.say('Training paused while this tab is hidden; it goes on when you come back.');
    } else if (hidden && this.running() && how === 'throttle') {
      this.throttled = true;
      this.throttle(true);
    } else if (!hidden) {
      if (this.throttled) { this.throttled = false; this.throttle(false); }
      if (this.resumeOnShow) { this.resumeOnShow = false; this.say('Training resumed.'); this.train(); }
    }
  }
}
