// The ganvas GAN written in TF.js, for a side-by-side speed comparison in the same browser:
// same layers, activations, initial-weight scheme, losses, Adam settings and batch; one
// iteration = one D step on a real and a fake batch + one G step. Real digits come from a
// fixed on-device pool of random images (speed does not depend on pixel values).
/* global tf */
const PRESETS = {
  tiny: { g: [256], d: [256], pack: 1 },
  standard: { g: [256, 512, 1024], d: [1024, 512, 256], pack: 2 },
  // DCGAN: G z→7·7·64→(4×4 stride-2 transposed conv)14·14·32→28·28, D 28·28·2→14·14·32→7·7·64→1.
  conv: { gConv: [64, 32], dConv: [32, 64], pack: 2 },
};
const LATENT = 100, PIXELS = 784;

function mlp(widths, slope, out) {
  const layers = widths.slice(1).map((w, i) => {
    const bound = 1 / Math.sqrt(widths[i]);
    return {
      w: tf.variable(tf.randomUniform([widths[i], w], -bound, bound)),
      b: tf.variable(tf.randomUniform([w], -bound, bound)),
    };
  });
  const forward = (x) => layers.reduce((h, l, i) => {
    const y = tf.add(tf.matMul(h, l.w), l.b);
    return i < layers.length - 1 ? tf.leakyRelu(y, slope) : out(y);
  }, x);
  return { forward, vars: layers.flatMap((l) => [l.w, l.b]) };
}

/** ganvas's conv preset in TF.js layers' ops: 4×4 stride-2 (transposed) convolutions with
 * 'same' padding (1 on each side, as ganvas's), NHWC, PyTorch's init bounds (a transposed
 * convolution's fan-in counts its output channels, as ganvas's does). */
function convNets({ gConv: [g0, g1], dConv: [d0, d1], pack }) {
  const v = (shape, fanIn) => { const b = 1 / Math.sqrt(fanIn); return tf.variable(tf.randomUniform(shape, -b, b)); };
  const layer = (shape, fanIn, out) => ({ w: v(shape, fanIn), b: v([out], fanIn) });
  const dense = layer([LATENT, 49 * g0], LATENT, 49 * g0);
  const up1 = layer([4, 4, g1, g0], 16 * g1, g1), up2 = layer([4, 4, 1, g1], 16, 1);
  const down1 = layer([4, 4, pack, d0], 16 * pack, d0), down2 = layer([4, 4, d0, d1], 16 * d0, d1);
  const logit = layer([49 * d1, 1], 49 * d1, 1);
  const leaky = (x) => tf.leakyRelu(x, 0.2);
  const G = {
    forward: (z) => {
      const n = z.shape[0];
      const h = tf.transpose(tf.reshape(leaky(tf.add(tf.matMul(z, dense.w), dense.b)), [n, g0, 7, 7]), [0, 2, 3, 1]);
      const h2 = leaky(tf.add(tf.conv2dTranspose(h, up1.w, [n, 14, 14, g1], 2, 'same'), up1.b));
      return tf.reshape(tf.tanh(tf.add(tf.conv2dTranspose(h2, up2.w, [n, 28, 28, 1], 2, 'same'), up2.b)), [n, PIXELS]);
    },
    vars: [dense, up1, up2].flatMap((l) => [l.w, l.b]),
  };
  const D = {
    forward: (x) => {
      const m = x.shape[0];
      const maps = tf.transpose(tf.reshape(x, [m, pack, 28, 28]), [0, 2, 3, 1]);
      const h = leaky(tf.add(tf.conv2d(maps, down1.w, 2, 'same'), down1.b));
      const h2 = leaky(tf.add(tf.conv2d(h, down2.w, 2, 'same'), down2.b));
      return tf.add(tf.matMul(tf.reshape(h2, [m, 49 * d1]), logit.w), logit.b);
    },
    vars: [down1, down2, logit].flatMap((l) => [l.w, l.b]),
  };
  return { G, D };
}

const bce = (logits, target) => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, target), logits);

/** Trains `preset` on TF.js `backend` for up to `steps` iterations or `seconds`; returns it/s. */
window.benchTfjs = async ({ backend, preset, steps, seconds, warmup }) => {
  if (backend === 'wasm') tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
  await tf.ready();
  const p = PRESETS[preset], batch = 64;
  const { G, D } = p.gConv ? convNets(p) : {
    G: mlp([LATENT, ...p.g, PIXELS], 0.2, tf.tanh),
    D: mlp([PIXELS * p.pack, ...p.d, 1], 0.2, (y) => y),
  };
  const optG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8), optD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
  const pool = tf.randomUniform([1024, PIXELS], -1, 1);
  const packed = (x) => tf.reshape(x, [x.shape[0] / p.pack, PIXELS * p.pack]);
  const step = () => {
    const idx = tf.randomUniform([batch], 0, 1024, 'int32');
    const real = tf.gather(pool, idx);
    const fake = tf.tidy(() => G.forward(tf.randomNormal([batch, LATENT])));
    const dLoss = optD.minimize(() => {
      const logits = D.forward(packed(tf.concat([real, fake], 0)));
      const n = batch / p.pack;
      return tf.add(bce(tf.slice(logits, [0, 0], [n, 1]), 1), bce(tf.slice(logits, [n, 0], [n, 1]), 0));
    }, true, D.vars);
    const gLoss = optG.minimize(() => bce(D.forward(packed(G.forward(tf.randomNormal([batch, LATENT])))), 1), true, G.vars);
    const losses = tf.stack([dLoss, gLoss]);
    tf.dispose([idx, real, fake, dLoss, gLoss]);
    return losses;
  };
  // Like the ganvas worker: many steps per readback (10), the losses read back together.
  const chunk = async (n) => {
    const losses = [];
    for (let i = 0; i < n; i++) losses.push(step());
    const all = tf.stack(losses);
    const values = await all.data();
    tf.dispose([...losses, all]);
    if (!values.every(Number.isFinite)) throw new Error('non-finite loss');
  };
  for (let done = 0; done < warmup; done += 1) await chunk(1);
  const t0 = performance.now();
  let done = 0;
  while (done < steps && performance.now() - t0 < seconds * 1000) { await chunk(Math.min(10, steps - done)); done += Math.min(10, steps - done); }
  const rate = done / ((performance.now() - t0) / 1000);
  tf.dispose([pool, ...G.vars, ...D.vars]);
  optG.dispose(); optD.dispose();
  const adapter = backend === 'webgpu' ? await navigator.gpu.requestAdapter().then((a) => a?.info ? `${a.info.vendor} ${a.info.architecture}${a.info.isFallbackAdapter ? ' (software fallback)' : ''}` : 'unknown') : null;
  return { backend, preset, steps: done, rate, adapter, webglRenderer: backend === 'webgl' ? renderer() : null };
};

function renderer() {
  const gl = document.createElement('canvas').getContext('webgl2');
  const ext = gl?.getExtension('WEBGL_debug_renderer_info');
  return ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : 'unknown';
}
window.tfjsReady = true;
