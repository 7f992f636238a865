// Drawing on 2D canvases: digits with putImageData (a WebGPU canvas screenshots blank in
// headless Chromium, and 2D is all a 28×28 digit needs) and the training chart.

/** Pixels across a digit. */
export const SIDE = 28;
/** Bytes of one digit. */
export const PIXELS = SIDE * SIDE;

/** Saves `blob` as a file named `name`, as the browser downloads one (weights, timelapse exports, drawings as IDX). */
export function saveFile(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A figure of a canvas `digits` digits wide and a caption (D's view, the nearest digits). */
export function digitFigure(digits = 1, caption = '–') {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  Object.assign(canvas, { width: digits * SIDE, height: SIDE });
  const text = document.createElement('figcaption');
  text.textContent = caption;
  figure.append(canvas, text);
  return { figure, canvas, caption: text };
}

/**
 * Draws `n` digits (n×784 bytes, 0 = background) in a grid `cols` wide, white ink on near-black;
 * `side`: the digits' side in pixels (14: the timelapse's downscaled frames).
 */
export function drawDigits(canvas, pixels, cols, side = SIDE) {
  const n = pixels.length / (side * side);
  const rows = Math.ceil(n / cols);
  if (canvas.width !== cols * side || canvas.height !== rows * side) {
    canvas.width = cols * side;
    canvas.height = rows * side;
  }
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols * side, rows * side);
  const out = image.data;
  for (let i = 0; i < n; i++) {
    const ox = (i % cols) * side, oy = Math.floor(i / cols) * side;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = pixels[i * side * side + y * side + x];
        const o = ((oy + y) * cols * side + ox + x) * 4;
        out[o] = 16 + (v * 239) / 255; out[o + 1] = 18 + (v * 237) / 255; out[o + 2] = 27 + (v * 228) / 255; out[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

export const SERIES = [
  { key: 'dLoss', label: 'D loss', color: '#e4572e' },
  { key: 'gLoss', label: 'G loss', color: '#29a8ab' },
  { key: 'dReal', label: 'D(x)', color: '#f3a712' },
  { key: 'dFake', label: 'D(G(z))', color: '#a06cd5' },
];

/** Exponential moving average of a series, as TensorBoard smooths (0 = raw). */
export function smooth(values, weight) {
  let last = values[0] ?? 0;
  return values.map((v) => (last = last * weight + (1 - weight) * v));
}

/** Draws the four series of `history` ({step, dLoss, ...}[]) with axes, ticks and a legend. */
export function drawChart(canvas, history, smoothing) {
  const { ctx, w, h } = setup(canvas, 480, 220);
  const pad = { l: 36, r: 10, t: 24, b: 22 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  ctx.strokeStyle = '#8884'; ctx.fillStyle = '#888';
  if (history.length === 0) {
    ctx.fillText('Losses appear here once training starts.', pad.l + 8, pad.t + ph / 2);
    return;
  }
  const x0 = history[0].step, x1 = Math.max(history[history.length - 1].step, x0 + 1);
  const series = SERIES.map((s) => ({ ...s, values: smooth(history.map((h) => h[s.key]), smoothing) }));
  const ymax = Math.max(1, Math.ceil(Math.max(...series.flatMap((s) => s.values.filter(Number.isFinite))) * 2) / 2);
  const X = (step) => pad.l + ((step - x0) / (x1 - x0)) * pw;
  const Y = (v) => pad.t + ph - (Math.min(v, ymax) / ymax) * ph;
  // Axes and ticks.
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, pad.t + ph); ctx.lineTo(pad.l + pw, pad.t + ph); ctx.stroke();
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const v = (ymax * i) / 4;
    ctx.fillText(v.toFixed(ymax >= 4 ? 0 : 1), pad.l - 4, Y(v));
    ctx.beginPath(); ctx.moveTo(pad.l, Y(v)); ctx.lineTo(pad.l + pw, Y(v)); ctx.strokeStyle = '#8882'; ctx.stroke();
  }
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  for (let i = 0; i <= 4; i++) {
    const step = Math.round(x0 + ((x1 - x0) * i) / 4);
    ctx.fillText(step.toLocaleString('en'), X(step), pad.t + ph + 4);
  }
  // Lines.
  for (const s of series) {
    ctx.beginPath(); ctx.strokeStyle = s.color; ctx.lineWidth = 1.5;
    s.values.forEach((v, i) => { const x = X(history[i].step), y = Y(v); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
    ctx.stroke();
  }
  // Legend.
  ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  let lx = pad.l;
  for (const s of series) {
    ctx.fillStyle = s.color; ctx.fillRect(lx, 8, 10, 3);
    ctx.fillStyle = '#888'; ctx.fillText(`${s.label} ${s.values[s.values.length - 1].toFixed(3)}`, lx + 14, 10);
    lx += ctx.measureText(`${s.label} 0.000`).width + 28;
  }
}

/** Sizes a chart canvas for the device's pixel ratio and clears it; `w`, `h`: CSS pixels if unlaid-out. */
function setup(canvas, fallbackW, fallbackH) {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth || fallbackW, h = canvas.clientHeight || fallbackH;
  if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  return { ctx, w, h };
}

/**
 * One quality series over training steps (`points`: {step, value}[]) with a dashed reference
 * line (what real MNIST scores). `log` plots on a log scale (Fréchet distances span decades).
 */
export function drawQuality(canvas, points, { label, color, ref, refLabel, log = false, max }) {
  const { ctx, w, h } = setup(canvas, 240, 140);
  const pad = { l: 36, r: 8, t: 20, b: 18 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const last = points[points.length - 1];
  ctx.fillStyle = '#888'; ctx.textBaseline = 'middle'; ctx.textAlign = 'left';
  ctx.fillText(`${label}${last ? ` ${last.value.toFixed(last.value >= 100 ? 0 : 2)}` : ''}`, pad.l, 9);
  if (!points.length) return;
  const values = points.map((p) => p.value).concat(ref ?? []).filter((v) => Number.isFinite(v) && (!log || v > 0));
  const f = log ? Math.log10 : (v) => v;
  let lo = log ? Math.floor(f(Math.min(...values))) : 0;
  let hi = max ?? (log ? Math.ceil(f(Math.max(...values))) : Math.max(...values));
  if (hi <= lo) hi = lo + 1;
  const x0 = points[0].step, x1 = Math.max(last.step, x0 + 1);
  const X = (s) => pad.l + (points.length === 1 ? pw / 2 : ((s - x0) / (x1 - x0)) * pw);
  const Y = (v) => pad.t + ph - ((f(Math.max(v, log ? 10 ** lo : lo)) - lo) / (hi - lo)) * ph;
  ctx.strokeStyle = '#8884';
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, pad.t + ph); ctx.lineTo(pad.l + pw, pad.t + ph); ctx.stroke();
  ctx.textAlign = 'right';
  const ticks = log ? Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i)) : [0, hi / 2, hi];
  for (const t of ticks) ctx.fillText(t >= 1000 ? `${t / 1000}k` : String(+t.toFixed(1)), pad.l - 4, Y(t));
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  ctx.fillText(x0.toLocaleString('en'), X(x0), pad.t + ph + 3);
  if (points.length > 1) ctx.fillText(x1.toLocaleString('en'), X(x1) - 12, pad.t + ph + 3);
  if (ref != null) {
    ctx.setLineDash([4, 3]); ctx.strokeStyle = '#888';
    ctx.beginPath(); ctx.moveTo(pad.l, Y(ref)); ctx.lineTo(pad.l + pw, Y(ref)); ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
    ctx.fillText(refLabel, pad.l + pw, Y(ref) - 1);
  }
  ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 1.5;
  ctx.beginPath();
  points.forEach((p, i) => (i ? ctx.lineTo(X(p.step), Y(p.value)) : ctx.moveTo(X(p.step), Y(p.value))));
  ctx.stroke();
  for (const p of points.slice(-1)) { ctx.beginPath(); ctx.arc(X(p.step), Y(p.value), 2.5, 0, 2 * Math.PI); ctx.fill(); }
}

/** Ten bars: the share of samples the judge calls each digit, against real MNIST's share (ticks). */
export function drawHistogram(canvas, shares, real) {
  const { ctx, w, h } = setup(canvas, 240, 140);
  const pad = { l: 30, r: 6, t: 20, b: 16 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  ctx.fillStyle = '#888'; ctx.textBaseline = 'middle'; ctx.textAlign = 'left';
  ctx.fillText('Digits drawn (judge\'s class, %)', pad.l, 9);
  if (!shares) return;
  const top = Math.max(0.2, ...shares);
  const Y = (v) => pad.t + ph - (v / top) * ph;
  const bw = pw / 10;
  ctx.textAlign = 'right';
  for (const t of [0, 0.1, 0.2].filter((t) => t <= top)) ctx.fillText(`${t * 100}`, pad.l - 4, Y(t));
  shares.forEach((s, d) => {
    const x = pad.l + d * bw;
    const off = s < 0.07 || s > 0.13; // outside 7–13%: a digit drawn too rarely or too often
    ctx.fillStyle = off ? '#e4572e' : '#29a8ab';
    ctx.fillRect(x + 2, Y(s), bw - 4, pad.t + ph - Y(s));
    if (real) { ctx.fillStyle = '#888'; ctx.fillRect(x + 1, Y(real[d]) - 1, bw - 2, 2); }
    ctx.fillStyle = '#888'; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    ctx.fillText(String(d), x + bw / 2, pad.t + ph + 2);
  });
}
