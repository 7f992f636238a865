//! How fast a network trains on a device, measured: what "auto" chooses the device by in the
//! browser. For nets this small at batch 64 a real GPU can lose to the CPU's SIMD (each step
//! is dozens of tiny kernel dispatches), so the choice is made on measured steps per second,
//! not on whether a GPU exists.
//!
//! A step's cost depends on the shapes, not on the pixels: the burst trains on a few blank
//! digits, so measuring needs no download and leaves the real run's batches untouched.

use crate::data::Mnist;
use crate::error::Result;
use crate::model::GanConfig;
use crate::train::{StepStats, TrainConfig, Trainer};
use burn::prelude::Device;
use serde::Serialize;

/// Training speed on one device.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Speed {
    /// Steps per second once warm (one D and one G update each, read back once per burst).
    pub steps_per_second: f64,
    /// The first step alone, in ms: on a GPU it includes compiling the kernels' shaders,
    /// a one-off cost kept apart from the speed.
    pub first_step_ms: f64,
    /// Steps in the burst the speed was measured on.
    pub steps: u32,
}

/// Most steps one burst may take, however fast the device.
const MAX_BURST: u32 = 1024;

/// Times `gan` training with `config` on `device`: one first step, then bursts of doubling
/// length until one lasts `budget_ms`. `now` is a clock in ms (`performance.now()` in the
/// browser, an `Instant` natively).
pub async fn measure(
    gan: &GanConfig,
    config: &TrainConfig,
    device: &Device,
    budget_ms: f64,
    now: impl Fn() -> f64,
) -> Result<Speed> {
    let data = Mnist::blank(64)?;
    let mut trainer = Trainer::new(gan.clone(), config.clone(), 0, device)?;
    let start = now();
    StepStats::read_all_async(vec![trainer.train_step(&data)]).await?;
    let first_step_ms = now() - start;
    let mut steps = 1;
    loop {
        let start = now();
        let pending = (0..steps).map(|_| trainer.train_step(&data)).collect();
        StepStats::read_all_async(pending).await?;
        let ms = (now() - start).max(1e-3);
        if ms >= budget_ms || steps >= MAX_BURST {
            return Ok(Speed {
                steps_per_second: steps as f64 * 1000.0 / ms,
                first_step_ms,
                steps,
            });
        }
        steps *= 2;
    }
}
