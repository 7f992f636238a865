//! Picking the device in the browser: WebGPU on a hardware adapter, else the CPU.

use super::types::{AdapterInfo, BackendInfo};
use crate::backend::{Backend, Choice};
use crate::error::{Error, Result};
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
    };
    (backend, device, info)
}

/// Picks and initialises the device. `auto` takes WebGPU only on a hardware adapter.
pub async fn choose(choice: Choice) -> Result<(Backend, Device, BackendInfo)> {
    if choice.is_cpu() {
        return Ok(on_cpu(choice, "the CPU backend was requested".into(), None));
    }
    let auto = choice == Choice::Auto;
    let adapter = match probe_webgpu().await {
        Ok(adapter) => adapter,
        Err(why) if auto => return Ok(on_cpu(choice, format!("running on the CPU: {why}"), None)),
        Err(why) => return Err(Error::Device(format!("WebGPU was requested but {why}"))),
    };
    if adapter.is_fallback_adapter && auto {
        let why = "running on the CPU: the only WebGPU adapter is a software fallback (no GPU), \
                   where a training step compiles for minutes and runs ~50× slower than the CPU \
                   backend";
        return Ok(on_cpu(choice, why.into(), Some(adapter)));
    }
    match Device::wgpu_options().init_async().await {
        Ok(device) => {
            let reason = match (auto, adapter.is_fallback_adapter) {
                (false, true) => {
                    "WebGPU was requested; note this adapter is a software fallback and slow"
                }
                (false, false) => "WebGPU was requested",
                _ => "running on WebGPU: the browser offers a hardware GPU adapter",
            };
            let info = BackendInfo {
                backend: "webgpu",
                burn_backend: Backend::Wgpu.name(),
                adapter: Some(adapter),
                reason: reason.into(),
            };
            Ok((Backend::Wgpu, device, info))
        }
        Err(e) if auto => Ok(on_cpu(
            choice,
            format!("running on the CPU: WebGPU failed to start ({e})"),
            Some(adapter),
        )),
        Err(e) => Err(Error::Device(format!(
            "WebGPU was requested but failed to start: {e}"
        ))),
    }
}
