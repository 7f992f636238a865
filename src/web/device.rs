//! Picking the device in the browser. "auto" starts on the CPU (the first grid needs no
//! shader compilation) and, once asked ([`Chooser::choose`]), times a burst of training on
//! the CPU and on WebGPU and moves the run to the faster: a real GPU is not always faster for
//! nets this small. A software adapter (SwiftShader) is not timed: it is ~50× slower.

use super::types::{AdapterInfo, BackendInfo, Measured};
use crate::backend::{Backend, Choice, start_gpu};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::speed::{self, Speed};
use burn::prelude::*;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_string(target: &JsValue, key: &str) -> String {
    get(target, key).as_string().unwrap_or_default()
}

/// Asks the browser for a WebGPU adapter and describes it, or says why there is none.
async fn probe_webgpu() -> std::result::Result<AdapterInfo, String> {
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser does not expose WebGPU (navigator.gpu is missing)".into());
    }
    let request: Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "navigator.gpu.requestAdapter is not a function".to_string())?;
    let promise: Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into()
        .map_err(|_| "requestAdapter did not return a promise".to_string())?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser has WebGPU but offers no adapter (no usable GPU)".into());
    }
    let info = get(&adapter, "info");
    // `isFallbackAdapter` moved from the adapter to its info in recent Chrome; read both.
    let fallback = get(&info, "isFallbackAdapter")
        .as_bool()
        .or_else(|| get(&adapter, "isFallbackAdapter").as_bool());
    Ok(AdapterInfo {
        vendor: get_string(&info, "vendor"),
        architecture: get_string(&info, "architecture"),
        description: get_string(&info, "description"),
        is_fallback_adapter: fallback.unwrap_or(false),
    })
}

/// The CPU backend `choice` names ([`Backend::CPU`] unless a CPU backend was named), with why.
fn on_cpu(
    choice: Choice,
    reason: String,
    adapter: Option<AdapterInfo>,
) -> (Backend, Device, BackendInfo) {
    let backend = choice
        .backend()
        .filter(|_| choice.is_cpu())
        .unwrap_or(Backend::CPU);
    let device = backend.cpu_device().expect("a CPU backend has a device");
    let info = BackendInfo {
        backend: "cpu",
        burn_backend: backend.name(),
        adapter,
        reason,
        measured: None,
    };
    (backend, device, info)
}

/// Milliseconds a timed burst lasts on each device: long enough to even out a step's jitter,
/// short enough that choosing takes well under a second on the CPU.
const BURST_MS: f64 = 300.0;

/// The device choice of one `Ganvas`: what was asked for, and for "auto" the WebGPU adapter
/// and device it may move to.
pub struct Chooser {
    choice: Choice,
    adapter: Option<AdapterInfo>,
    /// The WebGPU device, once started.
    webgpu: Option<Device>,
    /// Test switch (`debugMeasureSwitches`): time a software adapter too.
    pub allow_fallback: bool,
    /// Test switch (`debugMeasureSwitches`): the CPU's measured speed is divided by this, as
    /// if the CPU were that much slower.
    pub cpu_slowdown: f64,
}

/// Picks and initialises the device to start on. "auto" starts on the CPU; `Chooser::choose`
/// later measures whether WebGPU trains faster.
pub async fn start(choice: Choice) -> Result<(Backend, Device, BackendInfo, Chooser)> {
    let mut chooser = Chooser {
        choice,
        adapter: None,
        webgpu: None,
        allow_fallback: false,
        cpu_slowdown: 1.0,
    };
    if choice.is_cpu() {
        let (backend, device, info) = on_cpu(choice, "the CPU backend was requested".into(), None);
        return Ok((backend, device, info, chooser));
    }
    if choice == Choice::Auto {
        let reason = match probe_webgpu().await {
            Ok(adapter) => {
                let why = if adapter.is_fallback_adapter {
                    format!("running on the CPU: {SOFTWARE}")
                } else {
                    "on the CPU until training speed is measured on the CPU and on WebGPU".into()
                };
                chooser.adapter = Some(adapter);
                why
            }
            Err(why) => format!("running on the CPU: {why}"),
        };
        let (backend, device, info) = on_cpu(choice, reason, chooser.adapter.clone());
        return Ok((backend, device, info, chooser));
    }
    let adapter = probe_webgpu()
        .await
        .map_err(|why| Error::Device(format!("WebGPU was requested but {why}")))?;
    let device = start_gpu()
        .await
        .map_err(|e| Error::Device(format!("WebGPU was requested but failed to start: {e}")))?;
    let reason = if adapter.is_fallback_adapter {
        "WebGPU was requested; note this adapter is a software fallback and slow"
    } else {
        "WebGPU was requested"
    };
    chooser.webgpu = Some(device.clone());
    let info = BackendInfo {
        backend: "webgpu",
        burn_backend: Backend::Wgpu.name(),
        adapter: Some(adapter),
        reason: reason.into(),
        measured: None,
    };
    Ok((Backend::Wgpu, device, info, chooser))
}

/// Why a software adapter is not used by "auto".
const SOFTWARE: &str = "the only WebGPU adapter is a software fallback (no GPU), where a \
                        training step compiles for minutes and runs ~50× slower than the CPU \
                        backend";

impl Chooser {
    /// Whether [`choose`](Self::choose) times the devices: "auto" with an adapter worth it.
    pub fn measures(&self) -> bool {
        self.choice == Choice::Auto
            && self
                .adapter
                .as_ref()
                .is_some_and(|a| !a.is_fallback_adapter || self.allow_fallback)
    }

    /// For "auto" with a WebGPU adapter worth timing: times `session`'s network and settings
    /// on the CPU and on WebGPU, moves the run to the faster, and returns what now runs and
    /// why, with both figures. Otherwise returns `None` and changes nothing.
    pub async fn choose(&mut self, session: &mut Session) -> Result<Option<BackendInfo>> {
        if !self.measures() {
            return Ok(None);
        }
        let adapter = self.adapter.clone().expect("measures() saw an adapter");
        let webgpu = match &self.webgpu {
            Some(device) => device.clone(),
            None => match start_gpu().await {
                Ok(device) => self.webgpu.insert(device).clone(),
                Err(e) => {
                    // No second try: "auto" stays on the CPU and says why.
                    self.adapter = None;
                    let why = format!("running on the CPU: WebGPU failed to start ({e})");
                    let (.., info) = on_cpu(self.choice, why, Some(adapter));
                    return Ok(Some(info));
                }
            },
        };
        let (gan, config) = (&session.trainer().gan, &session.trainer().config);
        let cpu_device = Backend::CPU
            .cpu_device()
            .expect("a CPU backend has a device");
        let mut cpu = speed::measure(gan, config, &cpu_device, BURST_MS, now).await?;
        cpu.steps_per_second /= self.cpu_slowdown;
        let gpu = speed::measure(gan, config, &webgpu, BURST_MS, now).await?;
        let on_gpu = gpu.steps_per_second > cpu.steps_per_second;
        let reason = describe(&cpu, &gpu, config.batch_size);
        let (backend, device, mut info) = if on_gpu {
            let info = BackendInfo {
                backend: "webgpu",
                burn_backend: Backend::Wgpu.name(),
                adapter: Some(adapter),
                reason,
                measured: None,
            };
            (Backend::Wgpu, webgpu, info)
        } else {
            on_cpu(self.choice, reason, Some(adapter))
        };
        if session.backend() != backend {
            session.move_to(backend, &device).await?;
        }
        info.measured = Some(Measured { cpu, webgpu: gpu });
        Ok(Some(info))
    }
}

/// "WebGPU 240 steps/s vs CPU 55 → WebGPU (measured at batch 64; WebGPU's first step, with
/// any shader compilation, took 3.1 s)".
fn describe(cpu: &Speed, gpu: &Speed, batch: usize) -> String {
    let rate = |s: &Speed| match s.steps_per_second {
        r if r >= 10.0 => format!("{r:.0}"),
        r if r >= 1.0 => format!("{r:.1}"),
        r => format!("{r:.2}"),
    };
    let winner = if gpu.steps_per_second > cpu.steps_per_second {
        "WebGPU"
    } else {
        "CPU"
    };
    format!(
        "WebGPU {} steps/s vs CPU {} → {winner} (measured at batch {batch}; WebGPU's first \
         step, with any shader compilation, took {:.1} s)",
        rate(gpu),
        rate(cpu),
        gpu.first_step_ms / 1000.0
    )
}

/// The page's clock in ms: `performance.now()`, else the date.
fn now() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    get(&performance, "now")
        .dyn_into::<Function>()
        .ok()
        .and_then(|f| f.call0(&performance).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or_else(js_sys::Date::now)
}
