// The status block at the top of <ganvas-demo>: which backend runs and why, one message line
// (an error in red), and a notice with up to two buttons (resume a saved run, restore after a
// divergence). Text only: attributes and messages are shown, never parsed as markup.

export class StatusLine {
  constructor($) {
    this.$ = $;
    this.noticeKind = null; // what the open notice asks about ("resume"), or null
    this.notes = new Set(); // attribute problems to say again with the next opening line
    this.holding = false; // the last chunk said G is held
  }

  /** `hold`: steps left in which D learns alone (after loaded weights); said while it lasts, and when it ends. */
  hold(hold) {
    if (hold > 0) this.message(`The discriminator learns alone for ${hold} more steps, so that it can judge the loaded generator before the generator follows it.`);
    else if (this.holding) this.message('Both networks are training.');
    this.holding = hold > 0;
  }

  /** An attribute problem (malformed, or refused by the crate): said again with the next model's opening line. */
  remember(text) { this.notes.add(text); }

  /** A model's opening line, after the attribute problems read since the last one (then an error). */
  opened(text) {
    const notes = [...this.notes];
    this.notes.clear();
    if (notes.length) this.error(`${notes.join('. ')}. ${text}`);
    else this.message(text);
  }

  /** The backend line: "CPU — running on the CPU: …", or the adapter for WebGPU. */
  backend(info, note) {
    const a = info.adapter;
    const adapter = a ? ` (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter'}${a.isFallbackAdapter ? ', software fallback' : ''})` : '';
    this.$('.backend').textContent = `${info.backend === 'webgpu' ? 'WebGPU' : 'CPU'}${adapter}`;
    // After a lost GPU or a crash, the line says why training moved, not just what runs.
    this.$('.reason').textContent = `— ${note ?? info.reason}.`;
  }

  message(text) {
    const m = this.$('.message');
    m.textContent = text;
    m.classList.remove('error');
  }

  error(text) {
    const m = this.$('.message');
    m.textContent = `⚠ ${text}`;
    m.classList.add('error');
  }

  /** A one-line question with up to two buttons, `{yes: [label, fn], no: [label, fn]}`; null text hides it. */
  notice(text, { yes, no } = {}, kind = null) {
    this.noticeKind = text ? kind : null;
    const box = this.$('.notice');
    box.hidden = !text;
    this.$('.notice-text').textContent = text ?? '';
    for (const [sel, choice] of [['.notice-yes', yes], ['.notice-no', no]]) {
      const b = this.$(sel);
      b.hidden = !choice;
      b.textContent = choice?.[0] ?? '';
      b.onclick = choice ? () => { box.hidden = true; this.noticeKind = null; choice[1](); } : null;
    }
  }
}
