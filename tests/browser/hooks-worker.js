// The test build's worker: the shipped worker (imported under another URL, as served by
// `serve(port, { hooks: true })`) plus failures and switches on demand, asked for by a test through
// `new BroadcastChannel('ganvas-test-hooks').postMessage({type, ...})`:
//   poison      → the generator's weights become NaN (the next step diverges)
//   panic       → a Rust panic (a wasm trap): the page must recover from the last checkpoint
//   lose-device → the WebGPU device is destroyed: the page must go on on the CPU
//   measure-switches {allowFallback, cpuSlowdown} → "auto" times a software WebGPU adapter
//                 too, and sees the CPU that many times slower (takes effect at the next
//                 chooseDevice: a new model or batch size)
// Each runs through the shipped worker's queue and failure path, like any request. The wasm
// methods debugPoison/debugPanic/debugMeasureSwitches exist only in the test build (www/pkg-test/).
import { dispatch, gpuDevice, handlers, model } from './worker.js?shipped';

Object.assign(handlers, {
  async poison() { model().debugPoison(); },
  async panic() { model().debugPanic(); },
  async 'measure-switches'({ allowFallback, cpuSlowdown }) {
    model().debugMeasureSwitches(!!allowFallback, cpuSlowdown ?? 1);
  },
  async 'lose-device'() {
    const device = gpuDevice();
    if (!device) throw new Error('no WebGPU device to lose: this model runs on the CPU');
    device.destroy();
    await device.lost; // the page hears of it before the next chunk would run
  },
});

const HOOKS = new Set(['poison', 'panic', 'lose-device', 'measure-switches']);
new BroadcastChannel('ganvas-test-hooks').onmessage = ({ data }) => {
  // No id: a failure comes back as an `error` event.
  if (HOOKS.has(data?.type)) dispatch({ ...data, id: undefined });
};
