//! Which burn device runs the work. Model and training code never look at this: they take a
//! `Device` and run the same on all of them.

use crate::error::{Error, Result};
use burn::prelude::*;

/// The backends ganvas can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The CPU through burn's NdArray backend.
    NdArray,
    /// The CPU through burn's Flex backend (pure Rust, `gemm` matmuls).
    Flex,
    /// The GPU through wgpu (Vulkan/Metal/DX12 natively, WebGPU in the browser).
    Wgpu,
}

impl Backend {
    /// The CPU backend used when none is named; chosen by measurement, see BENCHMARKS.md.
    pub const CPU: Backend = Backend::Flex;

    /// Parses `cpu`, `ndarray`, `flex` or `wgpu`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "cpu" => Ok(Self::CPU),
            "ndarray" => Ok(Self::NdArray),
            "flex" => Ok(Self::Flex),
            "wgpu" | "gpu" | "webgpu" => Ok(Self::Wgpu),
            other => Err(Error::Config(format!(
                "unknown backend {other:?} (cpu, ndarray, flex, wgpu)"
            ))),
        }
    }

    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Self::NdArray => "ndarray",
            Self::Flex => "flex",
            Self::Wgpu => "wgpu",
        }
    }

    /// A CPU device (never fails).
    pub fn cpu_device(self) -> Option<Device> {
        match self {
            #[allow(deprecated)] // kept to measure against Flex
            Self::NdArray => Some(Device::ndarray()),
            Self::Flex => Some(Device::flex()),
            Self::Wgpu => None,
        }
    }

    /// The device, initialised: for wgpu this finds an adapter and says why if there is none.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn device(self) -> Result<Device> {
        match self.cpu_device() {
            Some(device) => Ok(device),
            None => Device::wgpu_options()
                .init()
                .map_err(|e| Error::Device(format!("no usable wgpu adapter: {e}"))),
        }
    }
}
