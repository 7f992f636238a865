//! ganvas's conv kernels (src/conv/) against burn's own ops on the same inputs: the outputs and
//! every gradient (input, weight, bias), for the shapes and with the tolerances of
//! `ganvas::conv::check` (which the browser tests run in the wasm too).
//!
//! The margin is on no trained or sampled number: the inputs are fixed values and both sides
//! run in the same binary, so it bounds only the order of the float sums. Measured spread of
//! the worst case, as a fraction of the tolerance (printed by the test): natively on this
//! AVX-512 Xeon, where gemm runs its AVX2/FMA kernels, the ones an AVX2-only CPU runs too, and
//! in the wasm (SIMD128, no FMA: another order again), 0.115 and 0.112 (the browser test), so
//! the tolerance holds with ~9× to spare.

use burn::backend::ops::{ConvOptions, ConvTransposeOptions};
use burn::tensor::{Device, Distribution, Tensor};
use ganvas::conv::check::{CASES, against_burn, has_output};

#[test]
fn conv_kernels_match_burns_ops_in_outputs_and_every_gradient() {
    let mut largest = 0f32;
    for case in CASES {
        let worst = against_burn(case);
        largest = worst.iter().fold(largest, |m, w| m.max(*w));
        for (what, w) in [
            "output",
            "input gradient",
            "weight gradient",
            "bias gradient",
        ]
        .iter()
        .zip(worst)
        {
            assert!(w <= 1.0, "{what}: {w} times its tolerance, {case:?}");
        }
        assert!(
            has_output(case),
            "an all-zero output proves nothing: {case:?}"
        );
    }
    eprintln!(
        "worst of the tolerance over {} shapes: {largest:.3}",
        CASES.len()
    );
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_into_vec::<f32>().unwrap()
}

fn assert_close(what: &str, ours: Vec<f32>, burn: Vec<f32>) {
    let scale = burn.iter().fold(0f32, |m, v| m.max(v.abs()));
    let worst = ours
        .iter()
        .zip(&burn)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(
        ours.len() == burn.len() && worst <= 1e-5 * scale,
        "{what}: off by {worst} of {scale}"
    );
}

/// Outside autodiff (sampling, the page's grid), the op runs on Flex directly.
#[test]
fn conv_kernels_match_burns_ops_without_autodiff() {
    let device = Device::flex();
    let normal = Distribution::Normal(0.0, 1.0);
    let x = Tensor::<4>::random([3, 8, 14, 14], normal, &device);
    let w = Tensor::<4>::random([16, 8, 4, 4], normal, &device);
    let o = ConvOptions::new([2, 2], [1, 1], [1, 1], 1);
    let ours = read(ganvas::conv::conv2d(x.clone(), w.clone(), None, o.clone()));
    assert_close(
        "output",
        ours,
        read(burn::tensor::module::conv2d(x, w, None, o)),
    );
    let x = Tensor::<4>::random([3, 16, 7, 7], normal, &device);
    let w = Tensor::<4>::random([16, 8, 4, 4], normal, &device);
    let o = ConvTransposeOptions::new([2, 2], [1, 1], [0, 0], [1, 1], 1);
    let ours = read(ganvas::conv::conv_transpose2d(
        x.clone(),
        w.clone(),
        None,
        o.clone(),
    ));
    let burn = read(burn::tensor::module::conv_transpose2d(x, w, None, o));
    assert_close("transposed output", ours, burn);
}
