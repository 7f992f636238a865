// The element's two read-outs of training: the loss chart (every step's four losses, kept as
// the run's history) and the quality meter (the judge's readings: text, two charts over steps
// and the digit histogram). Each owns its data; the element feeds them events.
import { drawChart, drawHistogram, drawQuality } from './draw.js';

const MAX_HISTORY = 4000; // past it, every other point goes: the chart keeps its shape, memory stays flat

export class LossChart {
  constructor($) {
    this.$ = $;
    this.history = []; // {step, dLoss, gLoss, dReal, dFake}, frozen
    $('.smooth').addEventListener('input', () => this.draw());
  }

  /** A new run's history (a resumed one brings its own, up to its step). */
  reset(history = [], upTo = Infinity) {
    this.history = history.filter((s) => s.step <= upTo).map((s) => Object.freeze({ ...s }));
    this.draw();
  }

  add(stats) {
    for (const s of stats) this.history.push(Object.freeze(s));
    if (this.history.length > MAX_HISTORY) this.history = this.history.filter((_, i) => i % 2 === 0);
    this.draw();
  }

  /** What is kept with a checkpoint, so that a resumed run shows its past. */
  saved() { return this.history.slice(-MAX_HISTORY); }

  /** Draws the chart; until the first step, a line says what it will show instead (no empty box). */
  draw() {
    this.$('.chart-box').toggleAttribute('data-empty', this.history.length === 0);
    drawChart(this.$('.chart'), this.history, Number(this.$('.smooth').value));
  }
}

export class QualityMeter {
  constructor($) {
    this.$ = $;
    this.scores = []; // {step, view, n, digitScore, classShares, frechet, ink}, frozen
    this.reference = null; // what real MNIST scores, from the judge file
    this.cost = null; // share of training time the last score took
  }

  /** A new model, or new data (`own`: the visitor's images): its scores start afresh. */
  reset(own = false) {
    this.scores = []; this.cost = null; this.own = own;
    if (own) this.$('.quality-text').textContent = 'Measuring the images against yours…';
    this.label(own);
    this.draw();
  }

  /** The charts' names for a reader, for MNIST's judge or for own data. */
  label(own) {
    this.$('.score-chart').setAttribute('aria-label', own ? 'Share of images drawn as asked (or distance to the nearest training image) over training steps' : 'Digit score over training steps');
    this.$('.frechet-chart').setAttribute('aria-label', own ? 'Fréchet distance in 7×7 average-pooled pixels over training steps' : 'Fréchet distance over training steps');
  }

  judge(reference) { this.reference = reference; this.draw(); }

  add(score, cost) {
    // A score at or before the last one's step belongs to a model that went back (restore).
    if (this.scores.length && score.step <= this.scores[this.scores.length - 1].step) this.scores = [];
    this.scores.push(Object.freeze(score));
    if (cost != null) this.cost = cost; // a score asked for out of turn has no share of its own
    this.draw();
  }

  /** On own data, how far its images typically are from another (the meter's last reading), else null. */
  ownTypical() { return this.scores.at(-1)?.data?.nearest ?? null; }

  unavailable(message) { this.$('.quality-text').textContent = `${this.own ? 'Measures of your images' : 'Digit quality'} unavailable: ${message}`; }

  /** Digit score and Fréchet distance over steps, and the class histogram (no empty charts before the first score). */
  draw() {
    this.$('.quality').toggleAttribute('data-empty', this.scores.length === 0);
    const last = this.scores[this.scores.length - 1];
    this.$('.histogram').hidden = !!last?.samples;
    if (last?.samples) return this.drawLikeness(last);
    const ref = this.reference;
    const base = ref && last ? ref.baselines.find((b) => b.n >= last.n) ?? ref.baselines[ref.baselines.length - 1] : null;
    if (ref && last) {
      const cost = this.cost != null ? ` Scoring takes ${(this.cost * 100).toFixed(1)}% of training time.` : '';
      const of = last.view === 'average' ? 'the average of G' : 'live G';
      this.$('.quality-text').textContent = `Step ${last.step.toLocaleString('en')}, ${last.n} digits of ${of} judged: digit score ${last.digitScore.toFixed(2)} ` +
        `(real MNIST ${ref.testDigitScore.toFixed(2)}), Fréchet distance ${last.frechet.toFixed(1)} (real digits ${base.frechet.toFixed(1)}), ` +
        `ink ${(last.ink * 100).toFixed(1)}% (real ${(ref.testInk * 100).toFixed(1)}%).${cost}`;
    } else if (ref) {
      this.$('.quality-text').textContent = `Judge loaded (${(ref.testAccuracy * 100).toFixed(2)}% accurate on the MNIST test set); scoring…`;
    }
    drawQuality(this.$('.score-chart'), this.scores.map((s) => ({ step: s.step, value: s.digitScore })),
      { label: 'Digit score', color: '#29a8ab', ref: ref?.testDigitScore, refLabel: 'real MNIST', max: 10 });
    drawQuality(this.$('.frechet-chart'), this.scores.map((s) => ({ step: s.step, value: s.frechet })),
      { label: 'Fréchet distance', color: '#f3a712', ref: base?.frechet, refLabel: 'real digits', log: true });
    drawHistogram(this.$('.histogram'), last?.classShares, ref?.testClassShares);
  }

  /**
   * Own data: the digit judge knows only MNIST, so the meter says what the crate measures
   * without a classifier (`likeness`), each beside the data's own images, and names it.
   */
  drawLikeness(last) {
    const { samples: s, data: d, featureSpace } = last;
    const of = last.view === 'average' ? 'the average of G' : 'live G';
    const cost = this.cost != null ? ` Measuring takes ${(this.cost * 100).toFixed(1)}% of training time.` : '';
    const match = s.classMatch != null ? `, drawn as asked ${(s.classMatch * 100).toFixed(0)}% (your images ${(d.classMatch * 100).toFixed(0)}%: nearest their class's mean)` : '';
    this.$('.quality-text').textContent = `Step ${last.step.toLocaleString('en')}, ${s.n} images of ${of} measured against your images (no classifier of them exists; the digit judge knows only MNIST): ` +
      `Fréchet distance in ${featureSpace} ${s.frechet.toFixed(3)} (your images' own ${d.frechet.toFixed(3)}), ink ${(s.ink * 100).toFixed(1)}% (yours ${(d.ink * 100).toFixed(1)}%), ` +
      `nearest training image ${s.nearest.toFixed(2)} (yours, to another: ${d.nearest.toFixed(2)})${match}.${cost}`;
    const series = (key) => this.scores.filter((x) => x.samples).map((x) => ({ step: x.step, value: x.samples[key] }));
    if (s.classMatch != null) {
      drawQuality(this.$('.score-chart'), series('classMatch'), { label: 'Drawn as asked', color: '#29a8ab', ref: d.classMatch, refLabel: 'your images', max: 1 });
    } else {
      drawQuality(this.$('.score-chart'), series('nearest'), { label: 'Nearest training image', color: '#29a8ab', ref: d.nearest, refLabel: 'your images', log: true });
    }
    drawQuality(this.$('.frechet-chart'), series('frechet'), { label: 'Fréchet (7×7 pixels)', color: '#f3a712', ref: d.frechet, refLabel: 'your images', log: true });
  }
}
