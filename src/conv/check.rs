//! A check of the kernels against burn's own ops on the same inputs, in whatever build runs it:
//! the Rust tests natively (tests/rust/conv_kernels.rs) and the browser tests in the wasm
//! (`Ganvas.debugConvCheck`, tests/browser/conv.test.mjs). Compiled only with the `test-hooks`
//! feature. The shapes: the presets' layers and shapes they do not use (batch 1, odd sizes, one
//! channel, no padding, stride 1 and 3, 3×3 and 5×5 kernels, uneven padding, a transposed conv's
//! output padding), plus a dilated conv that falls back to burn.
//!
//! Tolerance: each value within 1e-5 of the largest value of burn's tensor (the two sum the
//! same products in different orders, so a value near zero can differ by more than 1e-5 of
//! itself while being as exact as the rest). The bias gradient, a sum of up to 50,176 terms
//! (burn's broadcast sum here, burn's conv bias backward there), is held to the error bound of
//! such a sum instead: 1e-6 of the sum of its terms' magnitudes (16 halvings × f32's 6e-8).

use burn::backend::ops::{ConvOptions, ConvTransposeOptions};
use burn::tensor::{Device, Tensor, TensorData};

/// One layer to compare: NCHW input, `[out, in]` channels, square kernel.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    batch: usize,
    in_channels: usize,
    size: [usize; 2],
    out_channels: usize,
    kernel: usize,
    stride: usize,
    /// `(before, after)` for height and width (a transposed conv takes `.0` of each).
    padding: [(usize, usize); 2],
    transposed: bool,
    padding_out: usize,
    dilation: usize,
}

const fn layer(
    batch: usize,
    [c, h]: [usize; 2],
    out: usize,
    [k, s, p]: [usize; 3],
    t: bool,
) -> Case {
    Case {
        batch,
        in_channels: c,
        size: [h, h],
        out_channels: out,
        kernel: k,
        stride: s,
        padding: [(p, p), (p, p)],
        transposed: t,
        padding_out: 0,
        dilation: 1,
    }
}

/// The presets' layers (`conv`: G 64→32→1, D 2→32→64 on pairs; `conv-conditional`: G 16→8→1,
/// D 1→8→16) at batch 64, and the other shapes.
pub const CASES: [Case; 14] = [
    layer(64, [64, 7], 32, [4, 2, 1], true),
    layer(64, [32, 14], 1, [4, 2, 1], true),
    layer(32, [2, 28], 32, [4, 2, 1], false),
    layer(32, [32, 14], 64, [4, 2, 1], false),
    layer(64, [16, 7], 8, [4, 2, 1], true),
    layer(64, [8, 14], 1, [4, 2, 1], true),
    layer(64, [1, 28], 8, [4, 2, 1], false),
    layer(64, [8, 14], 16, [4, 2, 1], false),
    layer(1, [3, 9], 5, [3, 1, 0], false),
    layer(1, [1, 11], 1, [3, 1, 1], true),
    layer(3, [2, 13], 4, [5, 3, 2], false),
    Case {
        size: [9, 7],
        padding: [(2, 0), (1, 3)],
        ..layer(2, [3, 0], 2, [3, 2, 0], false)
    },
    Case {
        padding_out: 1,
        size: [5, 6],
        ..layer(2, [3, 0], 4, [3, 2, 1], true)
    },
    Case {
        dilation: 2,
        ..layer(2, [2, 10], 3, [3, 1, 1], false)
    },
];

/// Deterministic values in [-1, 1).
fn values(n: usize, seed: u64) -> Vec<f32> {
    (0..n as u64)
        .map(|i| {
            let h =
                (i ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            ((h >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

fn tensor<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
    let n = shape.iter().product();
    Tensor::from_data(TensorData::new(values(n, seed), shape), device)
}

struct Run {
    y: Vec<f32>,
    dx: Vec<f32>,
    dw: Vec<f32>,
    db: Vec<f32>,
    /// The largest Σ|r| over one output channel: the magnitude the bias gradient sums.
    db_terms: f32,
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_into_vec::<f32>().unwrap()
}

/// The layer's output and the gradients of `Σ y · r` (a fixed random `r`), by burn's ops or
/// by ganvas's.
fn run(case: Case, ours: bool) -> Run {
    let device = Device::flex().autodiff();
    let c = case;
    let x = tensor([c.batch, c.in_channels, c.size[0], c.size[1]], 1, &device).require_grad();
    let w_shape = match c.transposed {
        true => [c.in_channels, c.out_channels, c.kernel, c.kernel],
        false => [c.out_channels, c.in_channels, c.kernel, c.kernel],
    };
    let w = tensor(w_shape, 2, &device).require_grad();
    let b = tensor([c.out_channels], 3, &device).require_grad();
    let y = match c.transposed {
        true => {
            let o = ConvTransposeOptions::new(
                [c.stride; 2],
                [c.padding[0].0, c.padding[1].0],
                [c.padding_out; 2],
                [c.dilation; 2],
                1,
            );
            match ours {
                true => super::conv_transpose2d(x.clone(), w.clone(), Some(b.clone()), o),
                false => {
                    burn::tensor::module::conv_transpose2d(x.clone(), w.clone(), Some(b.clone()), o)
                }
            }
        }
        false => {
            let o = ConvOptions::new_with_padding([c.stride; 2], c.padding, [c.dilation; 2], 1);
            match ours {
                true => super::conv2d(x.clone(), w.clone(), Some(b.clone()), o),
                false => burn::tensor::module::conv2d(x.clone(), w.clone(), Some(b.clone()), o),
            }
        }
    };
    let r = tensor(y.dims(), 4, &device);
    let db_terms = read(r.clone().abs().sum_dim(3).sum_dim(2).sum_dim(0))
        .into_iter()
        .fold(0f32, f32::max);
    let grads = (y.clone() * r).sum().backward();
    Run {
        y: read(y),
        dx: read(x.grad(&grads).unwrap()),
        dw: read(w.grad(&grads).unwrap()),
        db: read(b.grad(&grads).unwrap()),
        db_terms,
    }
}

/// How far ganvas's output, input, weight and bias gradients are from burn's for `case`, each
/// as a fraction of its tolerance (see the module's header): at most 1 where they agree.
pub fn against_burn(case: Case) -> [f32; 4] {
    let (ours, burn) = (run(case, true), run(case, false));
    let largest = |v: &[f32]| v.iter().fold(0f32, |m, v| m.max(v.abs()));
    let worst = |a: &[f32], b: &[f32], scale: f32, tolerance: f32| {
        if a.len() != b.len() {
            return f32::INFINITY;
        }
        a.iter()
            .zip(b)
            .map(|(a, b)| (a - b).abs() / scale.max(1e-30) / tolerance)
            .fold(0f32, f32::max)
    };
    [
        worst(&ours.y, &burn.y, largest(&burn.y), 1e-5),
        worst(&ours.dx, &burn.dx, largest(&burn.dx), 1e-5),
        worst(&ours.dw, &burn.dw, largest(&burn.dw), 1e-5),
        worst(&ours.db, &burn.db, burn.db_terms, 1e-6),
    ]
}

/// Whether `case`'s output has a value that is not 0: an all-zero comparison proves nothing.
pub fn has_output(case: Case) -> bool {
    run(case, true).y.iter().any(|v| *v != 0.0)
}
