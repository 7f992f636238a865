// The digit picker under the grid of a conditional model, whose generator is told which digit
// to draw: its input is z followed by a one-hot label (`latent` values in all, the last
// `classes` of them the label). The worker's grid latents put label i % classes on cell i, so
// that the rows read 0–9; picking a digit d redraws the grid with every cell asking for d from
// its own z, and "all" goes back to the rows of 0–9. The picked digit is the element's `digit`
// attribute: the buttons set it, and the element relabels the grid (`relabel`) when it changes.

/**
 * `inputs` (rows of `latent` values: z, then a one-hot label of `classes` values) with every
 * row's label set to `digit`; as given (the same array) when `digit` is null or the net is
 * unconditional.
 */
export function relabel(inputs, latent, classes, digit) {
  if (digit == null || !classes) return inputs;
  const out = Float32Array.from(inputs);
  const zDims = latent - classes;
  for (let at = zDims; at < out.length; at += latent) {
    out.fill(0, at, at + classes);
    out[at + digit] = 1;
  }
  return out;
}

/** The label of each row of `inputs` (the largest value of its one-hot part); null for an unconditional net. */
export function labelsOf(inputs, latent, classes) {
  if (!classes) return null;
  const labels = [];
  for (let at = latent - classes; at < inputs.length; at += latent) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (inputs[at + c] > inputs[at + best]) best = c;
    labels.push(best);
  }
  return labels;
}

export class DigitPicker {
  /** `$`: the shadow root's querySelector; `pick(digit)`: a button chose `digit` (0–9, or null: all). */
  constructor($, pick) {
    this.box = $('.picker');
    this.pick = pick;
    this.classes = 0;
  }

  /** Shows the buttons for a model with `classes` (hidden for 0), `digit` (or null: all) pressed. */
  show(classes, digit) {
    if (classes !== this.classes) {
      this.classes = classes;
      const button = (text, digit, title) => {
        const b = document.createElement('button');
        Object.assign(b, { type: 'button', textContent: text, title });
        b.dataset.digit = digit ?? '';
        b.addEventListener('click', () => this.pick(digit));
        return b;
      };
      this.box.replaceChildren(
        ...Array.from({ length: classes }, (_, d) => button(String(d), d, `Every digit of the grid a ${d}, each from its own z`)),
        button('all', null, 'Rows of 0 to 9, as the grid opens'),
      );
    }
    this.box.hidden = !classes;
    for (const b of this.box.children) b.setAttribute('aria-pressed', String(b.dataset.digit === String(digit ?? '')));
  }
}
