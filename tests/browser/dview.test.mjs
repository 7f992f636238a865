// D's view in train mode: as training goes, eight real training digits and eight generated
// ones are drawn with D's probability "real" (a number and the border's colour), and a `dview`
// event carries the numbers; D's opinion moves as it trains. The standard preset's D judges
// pairs (PacGAN): each pair is one group with one probability. Explore mode has none of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, open, start, waitReady } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/**
 * Trains #demo until `n` dview events of different steps came, then pauses: their details, and
 * what D's view showed as the last one came (`dviewShown`, read in the event).
 */
const trainForViews = (page, n, timeout = 300_000) => page.evaluate(({ n, timeout }) => new Promise((ok, fail) => {
  const el = document.querySelector('#demo');
  const seen = [];
  const onView = (e) => {
    if (seen.length && seen.at(-1).step === e.detail.step) return;
    seen.push(e.detail);
    if (seen.length === n) { el.removeEventListener('dview', onView); el.pause(); ok({ views: seen, shown: dviewShown() }); }
  };
  el.addEventListener('dview', onView);
  el.addEventListener('error', (e) => fail(new Error(e.detail.message)), { once: true });
  setTimeout(() => fail(new Error(`${seen.length} of ${n} dview events in time`)), timeout);
  el.train();
}), { n, timeout });

/** Defines `dviewShown()` in the page: what D's view shows, per row each group's canvas size and ink, caption and border colour. */
const helpers = (page) => page.evaluate(() => { window.dviewShown = () => {
  const root = document.querySelector('#demo').shadowRoot;
  const row = (sel) => [...root.querySelectorAll(`${sel} figure`)].map((f) => {
    const c = f.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) ink += (d[i] - 16) / 239;
    return { width: c.width, height: c.height, ink: ink / (d.length / 4), caption: f.querySelector('figcaption').textContent, border: getComputedStyle(f).borderTopColor };
  });
  return { real: row('.dview-real'), fake: row('.dview-fake'), caption: root.querySelector('.dview-caption').textContent, visible: root.querySelector('.dview').checkVisibility() };
}; });
const shown = (page) => page.evaluate(() => dviewShown());

const inUnit = (ps) => ps.every((p) => Number.isFinite(p) && p >= 0 && p <= 1);

test('conditional: D\'s view of 8 real and 8 generated digits, drawn and updated as D trains', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { preset: 'conditional', weights: 'none', recipe: 'fast', seed: '2', backend: 'cpu' });
  await helpers(page);
  const empty = await shown(page);
  assert.equal(empty.visible, true);
  assert.match(empty.caption, /D's view: how real D thinks each digit is.*0 fake · 0\.5 unsure · 1 real.*Appears once training starts/);
  assert.doesNotMatch(empty.caption, /pairs/, 'a conditional D judges digits one by one');
  assert.deepEqual([empty.real.length, empty.fake.length], [0, 0], 'no empty boxes before training: the line says what will come');

  const { views: [first, second], shown: view } = await trainForViews(page, 2);
  for (const v of [first, second]) {
    assert.equal(v.pack, 1);
    assert.deepEqual([v.real.length, v.fake.length], [8, 8]);
    assert.ok(inUnit(v.real) && inUnit(v.fake), JSON.stringify(v));
  }
  assert.ok(second.step > first.step);
  assert.notDeepEqual([...second.real, ...second.fake], [...first.real, ...first.fake], 'D\'s opinion moved as it trained');

  // As the event came, D's view showed its numbers: each digit with ink, its number and its colour.
  const last = second;
  for (const [row, ps] of [['real', last.real], ['fake', last.fake]]) {
    view[row].forEach((g, i) => {
      assert.deepEqual([g.width, g.height], [28, 28]);
      assert.ok(g.ink > 0.03, `${row} digit ${i} drawn (ink ${g.ink.toFixed(3)})`);
      assert.equal(g.caption, ps[i].toFixed(2));
    });
  }
  const borders = new Set([...view.real, ...view.fake].map((g) => g.border));
  assert.ok(borders.size > 1 || [...last.real, ...last.fake].every((p) => p.toFixed(2) === last.real[0].toFixed(2)), 'the border colour follows the probability');
  assert.match(view.caption, new RegExp(`Step ${last.step.toLocaleString('en')}\\.`));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('standard (D judges pairs): each pair is one group sharing one probability; hidden in explore mode', async () => {
  const page = await open(env.browser, `${env.base}/`);
  await waitReady(page, '#demo');
  await mount(page, { preset: 'standard', backend: 'cpu', batch: '8' });
  await helpers(page);
  assert.match((await shown(page)).caption, /D judges digits in pairs: each pair has one probability/);
  const { views: [first, second], shown: view } = await trainForViews(page, 2);
  for (const v of [first, second]) {
    assert.equal(v.pack, 2);
    assert.ok(inUnit(v.real) && inUnit(v.fake));
    for (const ps of [v.real, v.fake]) for (let i = 0; i < 8; i += 2) assert.equal(ps[i], ps[i + 1], `pair ${i / 2} shares its probability`);
  }
  assert.notDeepEqual([...second.real, ...second.fake], [...first.real, ...first.fake]);
  assert.deepEqual([view.real.length, view.fake.length], [4, 4], 'four pairs a row');
  for (const g of [...view.real, ...view.fake]) {
    assert.deepEqual([g.width, g.height], [56, 28], 'a pair drawn side by side');
    assert.ok(g.ink > 0.03);
  }

  await page.evaluate(() => { document.querySelector('#demo').mode = 'explore'; });
  assert.equal((await shown(page)).visible, false, 'no training, no D\'s view in explore mode');
  assert.deepEqual(page.errors, []);
  await page.close();
});
