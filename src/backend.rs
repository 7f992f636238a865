//! Which burn device runs the work. Model and training code never look at this: they take a
//! `Device` and run the same on all of them.

use crate::error::{Error, Result};
use burn::prelude::*;

/// The backends ganvas can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The CPU through burn's Flex backend (pure Rust, `gemm` matmuls).
    Flex,
    /// The GPU through wgpu (Vulkan/Metal/DX12 natively, WebGPU in the browser).
    Wgpu,
}

impl Backend {
    /// The CPU backend used when none is named. Flex is the only one compiled in: burn 0.22
    /// deprecates NdArray, which was slower in every measurement here and cost ~0.3 MB of the
    /// page's wasm (BENCHMARKS.md).
    pub const CPU: Backend = Backend::Flex;

    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Flex => "flex",
            Self::Wgpu => "wgpu",
        }
    }

    /// A CPU device (never fails).
    pub fn cpu_device(self) -> Option<Device> {
        match self {
            Self::Flex => Some(Device::flex()),
            Self::Wgpu => None,
        }
    }

    /// The device, initialised: for wgpu this finds an adapter and says why if there is none.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn device(self) -> Result<Device> {
        match self.cpu_device() {
            Some(device) => Ok(device),
            #[cfg(feature = "webgpu")]
            None => Device::wgpu_options()
                .init()
                .map_err(|e| Error::Device(format!("no usable wgpu adapter: {e}"))),
            #[cfg(not(feature = "webgpu"))]
            None => Err(Error::Device(NO_GPU.into())),
        }
    }
}

/// Whether this build has the GPU backend: the `webgpu` feature, on by default. The page's
/// first module is built without it (its kernel compiler is most of the wasm).
pub const HAS_GPU: bool = cfg!(feature = "webgpu");

/// Why a build without the `webgpu` feature cannot start the GPU.
pub const NO_GPU: &str = "this build has no GPU backend (built without the `webgpu` feature)";

/// Starts the GPU device the browser's way (asynchronously), or says why it did not start.
#[cfg(target_arch = "wasm32")]
pub async fn start_gpu() -> std::result::Result<Device, String> {
    #[cfg(feature = "webgpu")]
    return Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| e.to_string());
    #[cfg(not(feature = "webgpu"))]
    Err(NO_GPU.into())
}

/// What a user may ask for: `--backend` on the command line, `backend` in the page. The one
/// place backend names are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum Choice {
    /// The page's default: WebGPU on a hardware adapter, else the CPU (not on the command line).
    #[cfg_attr(not(target_arch = "wasm32"), value(skip))]
    Auto,
    /// The default CPU backend (Flex).
    Cpu,
    /// The CPU through burn's Flex backend.
    Flex,
    /// The GPU: wgpu natively, WebGPU in the browser.
    #[cfg_attr(not(target_arch = "wasm32"), value(alias = "webgpu", alias = "gpu"))]
    Wgpu,
}

impl Choice {
    /// The backend asked for, or `None` for [`Choice::Auto`].
    pub fn backend(self) -> Option<Backend> {
        match self {
            Choice::Auto => None,
            Choice::Cpu => Some(Backend::CPU),
            Choice::Flex => Some(Backend::Flex),
            Choice::Wgpu => Some(Backend::Wgpu),
        }
    }

    /// Whether the CPU was asked for (by any CPU name).
    pub fn is_cpu(self) -> bool {
        self.backend().is_some_and(|b| b != Backend::Wgpu)
    }
}

impl std::str::FromStr for Choice {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(Choice::Auto),
            "cpu" => Ok(Choice::Cpu),
            "flex" => Ok(Choice::Flex),
            "wgpu" | "webgpu" | "gpu" => Ok(Choice::Wgpu),
            other => Err(Error::Config(format!(
                "unknown backend {other:?} (auto, webgpu, cpu, flex)"
            ))),
        }
    }
}
