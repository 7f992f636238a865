// The ganvas GAN written in TF.js, for a side-by-side speed comparison in the same browser:
// same layers, activations, initial-weight scheme, losses, Adam settings and batch; one
// iteration = one D step on a real and a fake batch + one G step. Real digits come from a
// fixed on-device pool of random images (speed does not depend on pixel values).
/* global tf */
const PRESETS = {
  tiny: { g: [256], d: [256], pack: 1 },
  standard: { g: [256, 512, 1024], d: [1024, 512, 256], pack: 2 },
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

const bce = (logits, target) => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, target), logits);

/** Trains `preset` on TF.js `backend` for up to `steps` iterations or `seconds`; returns it/s. */
window.benchTfjs = async ({ backend, preset, steps, seconds, warmup }) => {
  if (backend === 'wasm') tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
  await tf.ready();
  const p = PRESETS[preset], batch = 64;
  const G = mlp([LATENT, ...p.g, PIXELS], 0.2, tf.tanh);
  const D = mlp([PIXELS * p.pack, ...p.d, 1], 0.2, (y) => y);
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
