// Markdown rows from `ganvas train --judge` quality logs (<preset>-quality.jsonl): one row per
// scored checkpoint. Usage: node pkg-scripts/quality-table.mjs LABEL=path.jsonl ... [--every N]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const everyAt = args.indexOf('--every');
const every = everyAt >= 0 ? Number(args.splice(everyAt, 2)[1]) : 1;
console.log('| run | iterations | digit score | Fréchet (× real) | class shares % 0–9 |');
console.log('|---|---|---|---|---|');
for (const arg of args) {
  const [label, path] = arg.split('=');
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const { step, score, real_frechet: real } = JSON.parse(line);
    if (step % every !== 0) continue;
    const shares = score.class_shares.map((s) => (s * 100).toFixed(0)).join(' ');
    console.log(`| ${label} | ${step.toLocaleString('en')} | ${score.digit_score.toFixed(2)} | ${score.frechet.toFixed(0)} (${(score.frechet / real).toFixed(0)}×) | ${shares} |`);
  }
}
