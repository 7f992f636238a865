//! An exponential moving average of the generator's weights, used for sampling.
//!
//! A GAN's generator keeps circling around a good solution as D moves; the average of its
//! recent weights sits nearer the middle and draws cleaner digits than any one step's weights.
//! Measured for the shipped weights in BENCHMARKS.md.

use crate::model::Generator;
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

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

    /// Moves the average towards `generator`. Early on the decay is lowered ((1+t)/(10+t)) so
    /// the average is not dominated by the random initial weights.
    pub fn update(&mut self, generator: &Generator) {
        let t = self.updates as f32;
        let decay = self.decay.min((1.0 + t) / (10.0 + t));
        let mut current = Collect(Vec::new());
        generator.visit(&mut current);
        let mut blend = Blend {
            sources: current.0.into_iter(),
            decay,
        };
        self.average = self.average.clone().map(&mut blend);
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

/// Every float parameter, flattened, as a plain (non-autodiff) tensor, in module order.
struct Collect(Vec<Tensor<1>>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(param.val().inner().flatten(0, D - 1));
    }
}

/// `average ← decay·average + (1 − decay)·current`, parameter by parameter in module order.
struct Blend<I: Iterator<Item = Tensor<1>>> {
    sources: I,
    decay: f32,
}

impl<I: Iterator<Item = Tensor<1>>> ModuleMapper for Blend<I> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let source = self.sources.next().expect("same module shape");
        let decay = self.decay as f64;
        param.map(|avg| {
            let dims = avg.dims();
            avg.mul_scalar(decay) + source.reshape(dims).mul_scalar(1.0 - decay)
        })
    }
}
