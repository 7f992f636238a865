// The parts of <ganvas-demo> (ganvas-demo.js), made and wired to each other: each helper gets
// callbacks to the element `el` and to the other parts, never the element itself; `$` finds in
// its shadow root. The element keeps its API, its lifecycle and what a new model changes.
import { Background } from './background.js';
import { LossChart, QualityMeter } from './charts.js';
import { DeviceChoice } from './device-choice.js';
import { DView } from './dview.js';
import { ExploreView } from './explore.js';
import { GridView } from './grid.js';
import { NearestView } from './nearest.js';
import { OwnData } from './own-data.js';
import { Panel } from './panel.js';
import { DigitPicker } from './picker.js';
import { Recovery } from './recovery.js';
import { quiet, RpcClient } from './rpc.js';
import { Rescue } from './rescue.js';
import { SavedRuns } from './runs.js';
import { RunSettings } from './settings.js';
import { StatusLine } from './status.js';
import { followTheme } from './theme.js';
import { TimelapseView } from './timelapse.js';
import { Training } from './training.js';

/** Makes `el`'s helpers (`el.rpc`, `el.status`, `el.panel` … `el.tab`) and wires their callbacks. */
export function makeParts(el, $) {
  const call = (type, args, transfer) => el.rpc.call(type, args, transfer);
  const report = (during) => (e) => quiet(e) || el.fail(e, during);
  const announce = (name, detail) => el.dispatchEvent(new CustomEvent(name, { detail }));
  el.rpc = new RpcClient((msg) => el.onEvent(msg));
  el.status = new StatusLine($);
  el.panel = new Panel($);
  el.losses = new LossChart($);
  el.meter = new QualityMeter($);
  el.recovery = new Recovery();
  el.training = new Training({
    call, pauseAt: () => el.pauseAt, failed: report('train'),
    changed: (on) => { el.panel.running(on); if (on) el.runs.withdraw(); }, // training this model: an offer to resume another is stale
    paused: (step, atStop) => atStop && el.status.message(`Paused at step ${step.toLocaleString('en')}, where this run was set to stop (pause-at); press Train to go on.`),
  });
  el.runs = new SavedRuns(el.status, {
    id: () => el.id, enabled: () => el.checkpointEvery !== 0, kept: (detail) => announce('checkpoint', detail),
    load: (bytes) => call('loadCheckpoint', { bytes }), fail: (e) => el.fail(e, 'loadCheckpoint'),
    extras: (step) => ({ history: el.losses.saved(), timelapse: el.timeline.saved(step), run: el.model?.run ?? null, backend: el.model?.info.backend }),
    resumed: (model, resuming, run) => { el.forgetRun(); el.recovery.kept(run); el.onModel(model, resuming); },
  });
  el.rescue = new Rescue(el.recovery, el.status, {
    announce, stopped: () => el.training.stopped(), stale: (on) => el.grid.stale(on), fail: (e, during) => el.fail(e, during),
    call, restored: (step) => el.newState(step), afresh: () => el.trainFromScratch(), backend: () => el.$('.backend-select').value,
    onWebGpu: () => el.model?.info.backend === 'webgpu', running: () => el.running,
    restart: ({ backend, checkpoint: from }, resuming) => el.start(
      { backend, preset: from?.preset ?? el.model?.preset ?? el.preset, seed: el.seedOrFail(), weights: from ? null : el.weightsChoice(), checkpoint: from?.bytes },
      resuming && { ...resuming, history: el.losses.history, timelapse: el.timeline.saved(from.step), run: el.model?.run },
    ),
  });
  el.nearest = new NearestView($, {
    find: (pixels) => call('nearest', { pixels }), defaults: () => el.model?.defaults,
    own: () => (el.model?.own ? { classes: el.model.own.classes, typical: el.meter.ownTypical() } : null),
    found: (detail) => announce('nearest', detail), failed: (e) => quiet(e) || el.nearest.unavailable(e.message),
  });
  el.explore = new ExploreView($, {
    generate: ({ z, labels }) => call('generate', { z, labels }), morph: (path) => call('morph', path),
    failed: report('generate'), zoomed: (pixels) => { // drawn (null: none explored): its nearest training digits, and `explore`
      el.nearest.show(pixels);
      if (pixels) announce('explore', { index: el.explore.selected, target: el.explore.target, dims: [...el.explore.dims] });
    },
  });
  el.timeline = new TimelapseView($, { said: (text) => el.status.message(text), failed: (e) => el.fail(e, 'timelapse') });
  el.grid = new GridView($('.grid'), {
    generate: ({ z, labels }) => call('generate', { z, labels }), model: () => el.model,
    after: () => el.explore.draw(), failed: report('generate'),
    // The timelapse is of the grid as it opens (rows of 0–9): not of a picked digit's.
    drawn: (pixels, model, grid) => { if (grid.digit == null) el.timeline.capture(model.step, pixels, grid.cols); },
  });
  el.dview = new DView($, { request: () => call('dview'), shown: (detail) => announce('dview', detail), failed: (e) => quiet(e) || el.dview.unavailable(e.message) });
  el.data = new OwnData($, {
    call, key: () => el.runs.key, defaults: () => el.model?.defaults, used: (m) => el.dataChanged(m), fail: report('data'),
  });
  el.picker = new DigitPicker($, { pick: (digit) => { el.digit = digit; }, grid: (digit) => call('grid', { digit }), failed: report('grid') });
  el.device = new DeviceChoice({
    model: () => el.model, choose: () => call('chooseDevice'), failed: report('chooseDevice'),
    wanted: () => el.mode === 'train' && el.$('.backend-select').value === 'auto' && el.readyInfo != null,
    chosen: (info) => {
      el.status.backend(info, el.rescue.note);
      el.status.message(info.measured ? `Training on ${info.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}, measured the faster here.` : 'Training stays on the CPU.');
      announce('device', info);
    },
  });
  el.settings = new RunSettings({
    call, model: () => el.model, shown: (s) => el.panel.settings(s), fail: (e, during) => quiet(e) || el.fail(e, during),
    batchChanged: () => el.device.ask({ again: true }), redrawn: () => el.redraw().then(() => el.score()),
  });
  el.showTheme = followTheme(() => el.theme, $('.ganvas'));
  el.tab = new Background({ // what a hidden tab does to training
    how: () => el.background, running: () => el.running, pause: () => el.pause(), train: () => el.train(),
    throttle: (on) => call('throttle', { on }).catch(() => {}), say: (text) => el.status.message(text),
  });
}
