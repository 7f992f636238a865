//! Adam (Kingma & Ba, 2014), written here instead of taken from burn-optim.
//!
//! Its first and second moments are modules shaped like the one it optimizes (a `Generator`'s
//! moments are two `Generator`s), off the autodiff graph. So they are saved, loaded and read
//! back asynchronously by the same code as the networks themselves, on any device: burn's
//! `ModuleOptimizer` restored its state onto `Device::default()` and could only be read back
//! synchronously, which WebGPU in the browser cannot do.

use crate::params;
use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;
use burn::tensor::Gradients;

/// Adam's settings for one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConfig {
    /// Learning rate.
    pub lr: f64,
    /// Decay of the first moment (the mean of the gradients).
    pub beta_1: f64,
    /// Decay of the second moment (the mean of the squared gradients).
    pub beta_2: f64,
    /// Added to the root of the second moment, so that a parameter whose gradients are all
    /// near zero does not take huge steps.
    pub epsilon: f64,
}

impl AdamConfig {
    /// The paper's β1 0.9, β2 0.999, ε 1e-8, at `lr`.
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-8,
        }
    }
}

/// Adam's state for one module `M`.
#[derive(Clone, Debug)]
pub struct Adam<M> {
    moment_1: M,
    moment_2: M,
    time: u64,
}

impl<M: Module> Adam<M> {
    /// Fresh state for `module`: both moments zero, no step taken.
    pub fn new(module: &M) -> Self {
        let zeros = params::flat(module).into_iter().map(|t| t.zeros_like());
        let moment_1 = params::replace(module.valid(), zeros);
        Self {
            moment_2: moment_1.clone(),
            moment_1,
            time: 0,
        }
    }

    /// State saved earlier ([`moments`](Self::moments), [`time`](Self::time)).
    pub fn restore(moment_1: M, moment_2: M, time: u64) -> Self {
        Self {
            moment_1: moment_1.valid(),
            moment_2: moment_2.valid(),
            time,
        }
    }

    /// The first and second moments, shaped like the optimized module.
    pub fn moments(&self) -> (&M, &M) {
        (&self.moment_1, &self.moment_2)
    }

    /// Steps taken.
    pub fn time(&self) -> u64 {
        self.time
    }

    /// One update of every parameter of `module` that has a gradient in `grads` (taken out of
    /// it); parameters without one (frozen, or unused by the loss) keep their value and
    /// moments.
    ///
    /// Per parameter: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², then
    /// θ ← θ − m·α_t / (√v + ε_t), with the bias corrections folded into the two scalars
    /// α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ) and ε_t = ε·√(1−β2ᵗ) (the paper's "efficient version",
    /// as burn-optim computes it): 12 tensor operations, none of them a readback.
    pub fn step(&mut self, config: &AdamConfig, module: M, grads: &mut Gradients) -> M {
        self.time += 1;
        let t = self.time.min(i32::MAX as u64) as i32;
        let root = (1.0 - config.beta_2.powi(t)).sqrt();
        let mut update = Update {
            beta_1: config.beta_1,
            beta_2: config.beta_2,
            scale: config.lr * root / (1.0 - config.beta_1.powi(t)),
            epsilon: config.epsilon * root,
            grads,
            moments: params::flat(&self.moment_1)
                .into_iter()
                .zip(params::flat(&self.moment_2))
                .collect::<Vec<_>>()
                .into_iter(),
            updated: Vec::new(),
        };
        let module = module.map(&mut update);
        let (m, v): (Vec<_>, Vec<_>) = update.updated.into_iter().unzip();
        self.moment_1 = params::replace(self.moment_1.clone(), m);
        self.moment_2 = params::replace(self.moment_2.clone(), v);
        module
    }
}

/// The mapper behind [`Adam::step`]: walks the module's parameters with their moments.
struct Update<'a, I> {
    beta_1: f64,
    beta_2: f64,
    scale: f64,
    epsilon: f64,
    grads: &'a mut Gradients,
    moments: I,
    updated: Vec<(Tensor<1>, Tensor<1>)>,
}

impl<I: Iterator<Item = (Tensor<1>, Tensor<1>)>> ModuleMapper for Update<'_, I> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (m, v) = self.moments.next().expect("moments shaped like the module");
        param.map(|theta| {
            // `grad_remove` on a tensor that does not require gradients panics.
            let grad = theta
                .is_require_grad()
                .then(|| theta.grad_remove(self.grads))
                .flatten();
            let Some(grad) = grad else {
                self.updated.push((m, v));
                return theta;
            };
            let dims = theta.dims();
            let g = grad.flatten::<1>(0, D - 1);
            let m = m.mul_scalar(self.beta_1) + g.clone().mul_scalar(1.0 - self.beta_1);
            let v = v.mul_scalar(self.beta_2) + g.square().mul_scalar(1.0 - self.beta_2);
            let delta = m
                .clone()
                .mul_scalar(self.scale)
                .div(v.clone().sqrt().add_scalar(self.epsilon));
            self.updated.push((m, v));
            // A fresh leaf on the autodiff device, with the old one's checkpointing strategy.
            let strategy = theta.gradient_checkpointing_strategy();
            let mut next = Tensor::from_inner(theta.inner() - delta.reshape(dims));
            if let Some(strategy) = strategy {
                next = next.with_gradient_checkpointing_strategy(strategy);
            }
            next.require_grad()
        })
    }
}
