// Screenshot of the demo page mid-training (for the README): opens the page, trains on the
// CPU from the pretrained weights, explores a digit, and saves www/screenshot.png after N steps.
// Needs pkg-scripts/build first. Usage: node pkg-scripts/screenshot.mjs [steps]
import { open, start, trainSteps, waitReady } from '../tests/browser/harness.mjs';

const steps = Number(process.argv[2] ?? 150);
const env = await start();
try {
  const page = await open(env.browser, `${env.base}/`);
  await page.setViewportSize({ width: 1000, height: 1000 });
  await waitReady(page, '#demo');
  // Training continues from the pretrained generator (with a fresh discriminator), so the
  // grid shows digits while the chart fills.
  await trainSteps(page, steps);
  const grid = page.locator('#demo canvas.grid');
  const box = await grid.boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.2);
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
  await page.keyboard.up('Shift');
  await page.waitForTimeout(800);
  const out = new URL('../www/screenshot.png', import.meta.url);
  await page.screenshot({ path: out.pathname, fullPage: true });
  console.log(`wrote ${out.pathname}`);
} finally {
  await env.close();
}
