// Screenshot of the tutorial features (for the README): opens index.html with a run link (the
// tiny conditional net, seed 7, paused by itself at step 600), scrubs the timelapse back to an
// early frame, clicks a digit (its nearest training digits appear) and saves
// www/screenshot-tutorial.png. Needs pkg-scripts/build first.
// Usage: node pkg-scripts/screenshot-tutorial.mjs [stop-step]
import { open, start } from '../tests/browser/harness.mjs';

const stop = Number(process.argv[2] ?? 600);
const env = await start();
try {
  const page = await open(env.browser, `${env.base}/#preset=tiny-conditional&seed=7&recipe=fast&backend=cpu&pause-at=${stop}`);
  await page.setViewportSize({ width: 1100, height: 1000 });
  await page.waitForFunction((stop) => document.querySelector('#demo').state.pausedAt === stop, stop, { timeout: 600_000, polling: 500 });
  await page.evaluate(() => document.querySelector('#demo').redraw());
  // The timeline a fifth of the way in: what the grid looked like early on.
  await page.evaluate(() => {
    const slider = document.querySelector('#demo').shadowRoot.querySelector('.timelapse-t');
    slider.value = String(Math.round(Number(slider.max) / 5));
    slider.dispatchEvent(new Event('input'));
  });
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
  await page.waitForFunction(() => document.querySelector('#demo').shadowRoot.querySelector('.nearest')?.textContent.includes('4.4'), null, { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(1500);
  const out = new URL('../www/screenshot-tutorial.png', import.meta.url);
  await page.screenshot({ path: out.pathname, fullPage: true });
  console.log(`wrote ${out.pathname}`);
  if (page.errors.length) console.log(page.errors.join('\n'));
} finally {
  await env.close();
}
