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

  /** A new model: its scores start afresh. */
  reset() { this.scores = []; this.cost = null; this.draw(); }

  judge(reference) { this.reference = reference; this.draw(); }

  add(score, cost) {
    // A score at or before the last one's step belongs to a model that went back (restore).
    if (this.scores.length && score.step <= this.scores[this.scores.length - 1].step) this.scores = [];
    this.scores.push(Object.freeze(score));
    if (cost != null) this.cost = cost; // a score asked for out of turn has no share of its own
    this.draw();
  }

  unavailable(message) { this.$('.quality-text').textContent = `Digit quality unavailable: ${message}`; }

  /** Digit score and Fréchet distance over steps, and the class histogram (no empty charts before the first score). */
  draw() {
    this.$('.quality').toggleAttribute('data-empty', this.scores.length === 0);
    const ref = this.reference, last = this.scores[this.scores.length - 1];
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
}
