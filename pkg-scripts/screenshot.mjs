// Screenshots for the README. Needs pkg-scripts/build first.
//   node pkg-scripts/screenshot.mjs [steps]   www/screenshot.png: the demo page mid-training
//     (trains on the CPU from the pretrained weights, explores a digit and morphs to another)
//   node pkg-scripts/screenshot.mjs visitor   www/screenshot-light.png and screenshot-phone.png:
//     the page as it opens, a digit clicked, at 1280×800 in the light theme and tapped at
//     390×844 (a phone) in the dark one
import { open, start, trainSteps, waitReady } from '../tests/browser/harness.mjs';

const what = process.argv[2] ?? '150';
const env = await start();
const out = (name) => new URL(`../www/${name}`, import.meta.url).pathname;
/** Waits for the explored digit's sliders (measured for it) and its nearest training digits. */
const explored = (page) => page.waitForFunction(() => {
  const root = document.querySelector('#demo').shadowRoot;
  return root.querySelectorAll('.sliders input').length === 8 && root.querySelector('.nearest-digits figure');
}, null, { timeout: 60_000 });
try {
  if (what === 'visitor') {
    for (const [name, context, how] of [
      ['screenshot-light.png', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }, 'click'],
      ['screenshot-phone.png', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true, isMobile: true }, 'tap'],
    ]) {
      const page = await open(env.browser, `${env.base}/`, context);
      await waitReady(page, '#demo');
      const grid = page.locator('#demo canvas.grid');
      const box = await grid.boundingBox();
      await grid[how]({ position: { x: box.width * 0.56, y: box.height * 0.3 } });
      await explored(page);
      await page.screenshot({ path: out(name) });
      console.log(`wrote ${out(name)}`);
      await page.close();
    }
  } else {
    const page = await open(env.browser, `${env.base}/`);
    await page.setViewportSize({ width: 1000, height: 1000 });
    await waitReady(page, '#demo');
    // Training continues from the pretrained generator (with a fresh discriminator), so the
    // grid shows digits while the chart fills.
    await trainSteps(page, Number(what));
    const grid = page.locator('#demo canvas.grid');
    const box = await grid.boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await page.keyboard.up('Shift');
    await explored(page);
    await page.evaluate(() => document.querySelector('#demo').redraw());
    await page.screenshot({ path: out('screenshot.png'), fullPage: true });
    console.log(`wrote ${out('screenshot.png')}`);
  }
} finally {
  await env.close();
}
