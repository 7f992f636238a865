//! 2-D convolution and transposed convolution for burn's CPU backend (Flex), forward and
//! backward, as matrix products.
//!
//! What this replaces in burn 0.22.1, and why: Flex implements the convolutions' forward only
//! (`burn-flex/src/ops/conv.rs`, `conv_transpose.rs`), with one small `gemm` per image and a
//! scalar im2col that bounds-checks every tap; every gradient goes through burn's generic
//! fallbacks (`burn-backend/src/backend/ops/modules/conv.rs`), which rebuild each gradient out
//! of further convolutions (the weight gradient is a convolution with a 14×14 "kernel"). So a
//! conv layer ran at 2–5.5× the time of a matrix product of the same FLOPs. Here all six
//! operations (forward, input gradient and weight gradient of each) are three kernels
//! ([`kernels`]) built on `gemm` (the matrix library Flex already uses, with its wasm SIMD128
//! and AVX2/AVX-512 paths), the batch folded into each product.
//!
//! It is a burn backend extension ([`backend::ConvBackend`], burn's `extension` feature), not a
//! fork: Flex runs the kernels; the cubecl backend (WebGPU) keeps burn's own ops; `Autodiff`
//! records a backward step that calls the inner backend's gradient ops. Shapes the kernels do
//! not cover (dilation, groups, other float types) fall back to burn's ops. Nothing here knows
//! about the rest of the crate, so it could be offered upstream as Flex's conv backward.

pub mod backend;
#[cfg(feature = "test-hooks")]
pub mod check;
pub mod kernels;

use burn::backend::Dispatch;
use burn::backend::ops::{ConvOptions, ConvTransposeOptions};
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::tensor::Tensor;

use backend::ConvBackend;

/// `conv2d(x, weight) + bias`, as `burn::tensor::module::conv2d`.
pub fn conv2d(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    options: ConvOptions<2>,
) -> Tensor<4> {
    let y = Tensor::from_dispatch(<Dispatch as ConvBackend>::conv2d_no_bias(
        x.into_dispatch(),
        weight.into_dispatch(),
        options,
    ));
    add_bias(y, bias)
}

/// `conv_transpose2d(x, weight) + bias`, as `burn::tensor::module::conv_transpose2d`.
pub fn conv_transpose2d(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    options: ConvTransposeOptions<2>,
) -> Tensor<4> {
    let y = Tensor::from_dispatch(<Dispatch as ConvBackend>::conv_transpose2d_no_bias(
        x.into_dispatch(),
        weight.into_dispatch(),
        options,
    ));
    add_bias(y, bias)
}

/// `y + bias` per channel: a broadcast sum, whose gradient burn's autodiff derives.
fn add_bias(y: Tensor<4>, bias: Option<Tensor<1>>) -> Tensor<4> {
    match bias {
        Some(bias) => {
            let channels = bias.dims()[0];
            y + bias.reshape([1, channels, 1, 1])
        }
        None => y,
    }
}

/// [`Conv2d::forward`] through [`conv2d`]. `Same` padding, which burn works out per input
/// size, stays with burn's module.
pub fn conv2d_layer(layer: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let padding = match layer.padding {
        PaddingConfig2d::Explicit(top, left, bottom, right) => [(top, bottom), (left, right)],
        PaddingConfig2d::Valid => [(0, 0), (0, 0)],
        PaddingConfig2d::Same => return layer.forward(x),
    };
    let options =
        ConvOptions::new_with_padding(layer.stride, padding, layer.dilation, layer.groups);
    conv2d(
        x,
        layer.weight.val(),
        layer.bias.as_ref().map(|b| b.val()),
        options,
    )
}

/// [`ConvTranspose2d::forward`] through [`conv_transpose2d`].
pub fn conv_transpose2d_layer(layer: &ConvTranspose2d, x: Tensor<4>) -> Tensor<4> {
    let options = ConvTransposeOptions::new(
        layer.stride,
        layer.padding,
        layer.padding_out,
        layer.dilation,
        layer.groups,
    );
    conv_transpose2d(
        x,
        layer.weight.val(),
        layer.bias.as_ref().map(|b| b.val()),
        options,
    )
}
