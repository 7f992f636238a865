//! A module's float parameters as a flat list, and back: what the moving average, Adam and
//! the asynchronous checkpoint writer each walk in step with another module of the same shape.
//!
//! burn visits and maps a module's parameters in one fixed order, so the n-th tensor of one
//! `Generator` lines up with the n-th of any other `Generator`.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

/// Every float parameter of `module`, flattened, off the autodiff graph, in module order.
pub fn flat<M: Module>(module: &M) -> Vec<Tensor<1>> {
    struct Collect(Vec<Tensor<1>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.push(param.val().inner().flatten(0, D - 1));
        }
    }
    let mut collect = Collect(Vec::new());
    module.visit(&mut collect);
    collect.0
}

/// `module` with its float parameters replaced, in module order, by `values` (each reshaped
/// to its parameter's shape; on its device already). Panics if `values` runs out: callers
/// build it from a module of the same shape.
pub fn replace<M: Module>(module: M, values: impl IntoIterator<Item = Tensor<1>>) -> M {
    struct Fill<I>(I);
    impl<I: Iterator<Item = Tensor<1>>> ModuleMapper for Fill<I> {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let value = self.0.next().expect("a value for every parameter");
            param.map(|t| value.reshape(t.dims()))
        }
    }
    module.map(&mut Fill(values.into_iter()))
}
