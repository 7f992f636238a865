// The test build's worker: the shipped worker's service (www/service.js) plus failures and
// switches on demand, asked for by a test through
// `new BroadcastChannel('ganvas-test-hooks').postMessage({type, ...})`:
//   poison      → the generator's weights become NaN (the next step diverges)
//   panic       → a Rust panic (a wasm trap): the page must recover from the last checkpoint
//   lose-device → the WebGPU device is destroyed: the page must go on on the CPU
//   measure-switches {allowFallback, cpuSlowdown} → "auto" times a software WebGPU adapter
//                 too (so moves the run into the WebGPU module), and sees the CPU that many
//                 times slower (takes effect at the next chooseDevice: a new model or batch
//                 size)
// Each runs through the service's queue and failure path, like any request. The wasm methods
// debugPoison/debugPanic/debugMeasureSwitches exist only in the test build (target/pkg-test/,
// served as /pkg/ by `serve(port, { hooks: true })`, which serves this file as /worker.js).
import { serve } from './service.js';

// The WebGPU device burn asks for, caught here (as the service catches it) so that a test
// can destroy it.
let device = null;
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    device = await requestDevice.apply(this, args);
    return device;
  };
}

// The measure switches asked for, for any model the service makes later too (a run moved into
// the WebGPU module is a new model there).
let switches = null;
const hooks = {
  async poison(_, model) { model().debugPoison(); },
  async panic(_, model) { model().debugPanic(); },
  async 'measure-switches'({ allowFallback, cpuSlowdown }, model) {
    switches = [!!allowFallback, cpuSlowdown ?? 1];
    model().debugMeasureSwitches(...switches);
  },
  async 'lose-device'() {
    if (!device) throw new Error('no WebGPU device to lose: this model runs on the CPU');
    device.destroy();
    await device.lost; // the page hears of it before the next chunk would run
  },
};
const dispatch = serve(hooks, { created: (gan) => switches && gan.debugMeasureSwitches(...switches) });

// Without an id, a failure comes back as an `error` event; once a hook has run (or failed),
// `{done: type}` goes back on the channel (harness.mjs `hook` waits for it).
const channel = new BroadcastChannel('ganvas-test-hooks');
channel.onmessage = ({ data }) => {
  if (!Object.hasOwn(hooks, data?.type)) return;
  dispatch({ ...data, id: undefined }).then(() => channel.postMessage({ done: data.type }));
};
