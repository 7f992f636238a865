//! Adam (Kingma & Ba, 2014), written here instead of taken from burn-optim.
//!
//! Its first and second moments come and go as modules shaped like the one it optimizes (a
//! `Generator`'s moments are two `Generator`s, off the autodiff graph), so they are saved,
//! loaded and read back asynchronously by the same code as the networks themselves, on any
//! device: burn's `ModuleOptimizer` restored its state onto `Device::default()` and could only
//! be read back synchronously, which WebGPU in the browser cannot do. Between steps they are
//! held as one flat tensor per parameter, owned by nothing else, so that the CPU backend
//! updates them in place instead of allocating a copy for each of the step's operations.

use crate::params;
use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;
use burn::tensor::Gradients;
use std::marker::PhantomData;

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
    /// The first and second moment of each float parameter, flat, in module order.
    moments: Vec<(Tensor<1>, Tensor<1>)>,
    time: u64,
    module: PhantomData<M>,
}

impl<M: Module> Adam<M> {
    /// Fresh state for `module`: both moments zero, no step taken.
    pub fn new(module: &M) -> Self {
        let zeros = |t: &Tensor<1>| t.zeros_like();
        Self {
            moments: params::flat(module)
                .iter()
                .map(|t| (zeros(t), zeros(t)))
                .collect(),
            time: 0,
            module: PhantomData,
        }
    }

    /// State saved earlier ([`moments`](Self::moments), [`time`](Self::time)).
    pub fn restore(moment_1: M, moment_2: M, time: u64) -> Self {
        Self {
            moments: params::flat(&moment_1)
                .into_iter()
                .zip(params::flat(&moment_2))
                .collect(),
            time,
            module: PhantomData,
        }
    }

    /// The first and second moments as modules shaped like `like` (the optimized module), on
    /// its plain device, for saving. They share the moments' storage: no copy is made.
    pub fn moments(&self, like: &M) -> (M, M) {
        let (m, v): (Vec<_>, Vec<_>) = self.moments.iter().cloned().unzip();
        let plain = like.valid();
        (params::replace(plain.clone(), m), params::replace(plain, v))
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
            moments: std::mem::take(&mut self.moments).into_iter(),
            updated: Vec::new(),
        };
        let module = module.map(&mut update);
        self.moments = update.updated;
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
            // Ordered so that each operation's left operand is owned by nothing else and is
            // updated in place: m and v, g once its square is taken, and each new result.
            let g2 = g.clone().square();
            let m = m.mul_scalar(self.beta_1) + g.mul_scalar(1.0 - self.beta_1);
            let v = v.mul_scalar(self.beta_2) + g2.mul_scalar(1.0 - self.beta_2);
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
