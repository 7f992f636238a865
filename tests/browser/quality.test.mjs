// The live digit-quality meter: the pretrained weights are scored on load (digit score,
// Fréchet distance, class histogram against real MNIST), and scores keep coming while training.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/** The scores #demo has shown (its quality chart's points), once there are at least `count`. */
async function scores(page, count, timeout = 300_000) {
  await page.waitForFunction((count) => document.querySelector('#demo')?.state?.scores.length >= count, count, { timeout, polling: 200 });
  return page.evaluate(() => document.querySelector('#demo').state.scores);
}

/** Share of a quality canvas's pixels that are not its background: something was drawn. */
function inked(page, selector) {
  return page.evaluate((selector) => {
    const c = document.querySelector('#demo').shadowRoot.querySelector(selector);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) drawn++;
    return drawn / (d.length / 4);
  }, selector);
}

test('the pretrained weights show their digit score, Fréchet distance and histogram on load', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  const [score] = await scores(page, 1);
  assert.equal(score.n, 500);
  assert.ok(score.step > 0);
  assert.ok(score.digitScore > 2 && score.digitScore <= 10, `digit score ${score.digitScore}`);
  assert.ok(Number.isFinite(score.frechet) && score.frechet > 0);
  assert.equal(score.classShares.length, 10);
  assert.ok(Math.abs(score.classShares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const text = await page.evaluate(() => document.querySelector('#demo').shadowRoot.querySelector('.quality-text').textContent);
  assert.match(text, new RegExp(`digit score ${score.digitScore.toFixed(2)} \\(real MNIST 9\\.\\d\\d\\)`));
  assert.match(text, /Fréchet distance [\d.]+ \(real digits [\d.]+\)/);
  for (const canvas of ['.score-chart', '.frechet-chart', '.histogram']) {
    const share = await inked(page, canvas);
    assert.ok(share > 0.01, `${canvas} has ${share} drawn`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('while training from scratch the meter updates every N steps', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { backend: 'cpu', preset: 'tiny', weights: 'none', 'score-every': '100' });
  await page.evaluate(() => document.querySelector('#demo').train());
  const seen = await scores(page, 3);
  await page.evaluate(() => document.querySelector('#demo').pause());
  assert.equal(seen[0].step, 0, 'fresh weights are scored before training');
  assert.ok(seen[1].step >= 100 && seen[2].step >= seen[1].step + 100, seen.map((s) => s.step).join(', '));
  assert.notDeepEqual(seen[2].classShares, seen[0].classShares, 'the histogram follows the digits');
  for (const s of seen) assert.ok(Number.isFinite(s.digitScore) && Number.isFinite(s.frechet));
  // The worker spaces the scores so that judging stays a small share of the training time.
  const { cost, text } = await page.evaluate(() => {
    const el = document.querySelector('#demo');
    return { cost: el.state.scoreCost, text: el.shadowRoot.querySelector('.quality-text').textContent };
  });
  assert.ok(cost > 0 && cost < 0.15, `scoring took ${cost} of the time`);
  assert.match(text, /Scoring takes \d+\.\d% of training time/);
  console.log(`# scoring 500 digits: ${(cost * 100).toFixed(1)}% of tiny CPU training time (score-every 100)`);
  assert.ok((await inked(page, '.score-chart')) > 0.01);
  assert.deepEqual(page.errors, []);
  await page.close();
});
