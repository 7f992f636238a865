//! An exponential moving average of the generator's weights, used for sampling.
//!
//! A GAN's generator keeps circling around a good solution as D moves; the average of its
//! recent weights sits nearer the middle and draws cleaner digits than any one step's weights.
//! Measured for the shipped weights in BENCHMARKS.md.

use crate::model::Generator;
use crate::params;
use burn::module::Module;

/// The running average of a generator.
#[derive(Clone, Debug)]
pub struct Ema {
    decay: f32,
    updates: u64,
    average: Generator,
}

impl Ema {
    /// Starts the average at `generator`'s current weights.
    pub fn new(generator: &Generator, decay: f32) -> Self {
        // The average lives off the autodiff graph (`valid()`): tracked, each update would
        // chain onto the last and training would slow down step after step.
        Self {
            decay,
            updates: 0,
            average: generator.valid(),
        }
    }

    /// Restores an average (from a checkpoint), `updates` steps in.
    pub fn restore(average: Generator, decay: f32, updates: u64) -> Self {
        Self {
            decay,
            updates,
            average: average.valid(),
        }
    }

    /// Moves the average towards `generator`: `average ← decay·average + (1 − decay)·current`,
    /// parameter by parameter. Early on the decay is lowered ((1+t)/(10+t)) so the average is
    /// not dominated by the random initial weights.
    pub fn update(&mut self, generator: &Generator) {
        let t = self.updates as f32;
        let decay = self.decay.min((1.0 + t) / (10.0 + t)) as f64;
        let blended = params::flat(&self.average)
            .into_iter()
            .zip(params::flat(generator))
            .map(|(avg, current)| avg.mul_scalar(decay) + current.mul_scalar(1.0 - decay));
        self.average = params::replace(self.average.clone(), blended);
        self.updates += 1;
    }

    /// The averaged generator.
    pub fn generator(&self) -> &Generator {
        &self.average
    }

    /// Number of updates so far.
    pub fn updates(&self) -> u64 {
        self.updates
    }

    /// The decay.
    pub fn decay(&self) -> f32 {
        self.decay
    }
}
