// The digit picker under the grid of a conditional model, whose generator is told which digit
// to draw. The grid opens with rows that read 0–9; picking a digit d redraws it with every cell
// asking for d from its own z (the crate's `grid(d)`), and "all" goes back to the rows of 0–9.
// The picked digit is the element's `digit` attribute: the buttons set it, and the element
// asks for the grid of that digit when it changes.

export class DigitPicker {
  /**
   * `$`: the shadow root's querySelector; `pick(digit)`: a button chose `digit` (0–9, or null:
   * all); `grid(digit)`: the worker's grid for it; `failed(e)` hears a failure.
   */
  constructor($, { pick, grid, failed }) {
    Object.assign(this, { pick, grid, failed });
    this.box = $('.picker');
    this.classes = 0;
    this.digit = null; // the digit every grid cell asks for (null: all), as last shown
    this.pending = null; // the grid of the digit last shown, until the worker gave it (a promise)
  }

  /**
   * Shows `digit` on model `m` (its `classes`; none for an unconditional model, which ignores
   * it): the buttons, and the model's grid asked anew when its digit differs. Resolves with
   * whether `m.grid` changed (the caller redraws); `changed(grid)` hears it first.
   */
  follow(m, digit, changed) {
    digit = m?.classes ? digit : null;
    this.digit = digit;
    this.show(m?.classes ?? 0, digit, m?.own?.classes);
    if (!m || m.grid.digit === digit) return Promise.resolve(false);
    const ready = this.grid(digit).then((grid) => {
      if (this.digit !== digit) return false; // picked again meanwhile
      m.grid = grid;
      changed(grid);
      return true;
    }, (e) => { this.failed(e); return false; });
    this.pending = ready;
    ready.then(() => { if (this.pending === ready) this.pending = null; });
    return ready;
  }

  /**
   * Shows the buttons for a model with `classes` (hidden for 0), `digit` (or null: all)
   * pressed; `names`: own data's class names (else the digits 0–9).
   */
  show(classes, digit, names = null) {
    const key = `${classes}:${names?.join('/') ?? ''}`;
    if (key !== this.key) {
      this.key = key;
      this.classes = classes;
      const name = (d) => names?.[d] ?? String(d);
      const button = (text, digit, title) => {
        const b = document.createElement('button');
        Object.assign(b, { type: 'button', textContent: text, title });
        b.dataset.digit = digit ?? '';
        b.addEventListener('click', () => this.pick(digit));
        return b;
      };
      this.box.replaceChildren(
        ...Array.from({ length: classes }, (_, d) => button(name(d), d, `Every image of the grid a ${name(d)}, each from its own z`)),
        button('all', null, `Rows of ${name(0)} to ${name(classes - 1)}, as the grid opens`),
      );
    }
    this.box.hidden = !classes;
    for (const b of this.box.children) b.setAttribute('aria-pressed', String(b.dataset.digit === String(digit ?? '')));
  }
}
