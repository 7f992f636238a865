//! ganvas: a small dense GAN on MNIST, written once with burn for every device — the CPU
//! (natively and in WebAssembly) and the GPU (wgpu natively, WebGPU in the browser).
//!
//! - [`model`]: the generator and discriminator and their presets.
//! - [`train`]: one GAN training step (one D update, one G update) and its statistics;
//!   [`adam`]: the optimizer, its moments shaped like the networks; [`ema`]: G's average.
//! - [`session`]: a training run with its data, judge and last good state: what the CLI and
//!   the page both drive.
//! - [`defaults`]: every default, in one place.
//! - [`data`]: MNIST in IDX form, checked, and batches of it; [`dataset`]: own images or IDX
//!   files as training data, made MNIST's shape by [`normalise`].
//! - [`weights`]: the `.ganvas` weights/checkpoint container; [`quant`]: weights in 8 or 4 bits.
//! - [`params`]: a module's parameters as a flat list and back.
//! - [`latent`]: seeded latent vectors and conversion of generated pixels to bytes.
//! - [`backend`]: which burn device runs the work; [`speed`]: how fast it trains there.
//! - [`judge`], [`quality`]: a digit classifier and the scores it gives generated digits;
//!   [`nearest`]: the training digits nearest a digit, and how much a generator copies;
//!   [`likeness`]: what can be measured on own data, which the judge does not know.

pub mod adam;
pub mod backend;
pub mod conv;
pub mod data;
pub mod dataset;
pub mod defaults;
pub mod ema;
pub mod error;
pub mod judge;
pub mod latent;
pub mod likeness;
pub mod model;
pub mod nearest;
pub mod normalise;
pub mod params;
pub mod quality;
pub mod quant;
pub mod session;
pub mod speed;
pub mod train;
pub mod weights;

#[cfg(not(target_arch = "wasm32"))]
pub mod grid;
#[cfg(not(target_arch = "wasm32"))]
pub mod judge_train;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
pub use model::{Discriminator, GanConfig, Generator, IMAGE_PIXELS, IMAGE_SIDE, Preset};
pub use train::{StepStats, TrainConfig, Trainer};
