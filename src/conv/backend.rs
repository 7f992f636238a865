//! The operations as a burn backend extension: Flex runs [`super::kernels`]; the cubecl
//! backend (WebGPU) keeps burn's own ops through the trait's default bodies; `Autodiff` gets
//! a backward step of its own that calls the inner backend's gradient operations.
//!
//! Bias is not part of these ops: the caller adds it as an ordinary (differentiable) tensor
//! sum, so each op has two inputs and burn's autodiff derives the bias gradient.

use burn::backend::TensorMetadata;
use burn::backend::autodiff::NodeId;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::{FlexTensor, Layout};
use burn::backend::ops::{ConvOptions, ConvTransposeOptions, ModuleOps};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Flex, backend_extension};
use burn::tensor::{Bytes, DType, Shape};

use super::kernels::{self, Geometry};

/// A convolution and a transposed convolution without bias, with their gradients.
#[backend_extension(Flex, Autodiff, Cube: cfg(feature = "webgpu"))]
pub trait ConvBackend: Backend {
    /// `conv2d(x, w)`, no bias.
    fn conv2d_no_bias(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d(x, weight, None, options)
    }

    /// The gradient of [`Self::conv2d_no_bias`] for `x`.
    fn conv2d_no_bias_x_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d_x_backward(x, weight, grad, options)
    }

    /// The gradient of [`Self::conv2d_no_bias`] for `weight`.
    fn conv2d_no_bias_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d_weight_backward(x, weight, grad, options)
    }

    /// `conv_transpose2d(x, w)`, no bias.
    fn conv_transpose2d_no_bias(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvTransposeOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv_transpose2d(x, weight, None, options)
    }

    /// The gradient of [`Self::conv_transpose2d_no_bias`] for `x`.
    fn conv_transpose2d_no_bias_x_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvTransposeOptions<2>,
    ) -> FloatTensor<Self> {
        let _ = x;
        Self::conv_transpose2d_x_backward(weight, grad, options)
    }

    /// The gradient of [`Self::conv_transpose2d_no_bias`] for `weight`.
    fn conv_transpose2d_no_bias_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvTransposeOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv_transpose2d_weight_backward(x, weight, grad, options)
    }
}

#[cfg(feature = "webgpu")]
impl ConvBackend for burn::backend::Cube {}

/// The geometry of `conv2d(x, w)` when the kernels can run it: f32, one group, no dilation.
fn conv_geometry(x: &FlexTensor, w: &FlexTensor, options: &ConvOptions<2>) -> Option<Geometry> {
    let (xs, ws) = (x.shape(), w.shape());
    let supported = x.dtype() == DType::F32
        && w.dtype() == DType::F32
        && xs.num_dims() == 4
        && ws.num_dims() == 4
        && xs[1] == ws[1]
        && options.groups == 1
        && options.dilation == [1, 1];
    let g = Geometry {
        batch: xs[0],
        in_channels: xs[1],
        in_size: [xs[2], xs[3]],
        out_channels: ws[0],
        kernel: [ws[2], ws[3]],
        stride: options.stride,
        padding: options.padding,
    };
    (supported && g.out_size().is_some()).then_some(g)
}

/// The convolution whose input gradient is `conv_transpose2d(x, w)`: its input is the
/// transposed conv's output, its output the transposed conv's input, and `w`'s layout
/// `[in, out, kh, kw]` is that convolution's `[out, in, kh, kw]`.
fn conv_transpose_geometry(
    x: &FlexTensor,
    w: &FlexTensor,
    options: &ConvTransposeOptions<2>,
) -> Option<Geometry> {
    let (xs, ws) = (x.shape(), w.shape());
    let supported = x.dtype() == DType::F32
        && w.dtype() == DType::F32
        && xs.num_dims() == 4
        && ws.num_dims() == 4
        && xs[1] == ws[0]
        && options.groups == 1
        && options.dilation == [1, 1];
    if !supported {
        return None;
    }
    let side = |d: usize| {
        ((xs[2 + d] - 1) * options.stride[d] + ws[2 + d] + options.padding_out[d])
            .checked_sub(2 * options.padding[d])
    };
    let g = Geometry {
        batch: xs[0],
        in_channels: ws[1],
        in_size: [side(0)?, side(1)?],
        out_channels: ws[0],
        kernel: [ws[2], ws[3]],
        stride: options.stride,
        padding: options.padding.map(|p| (p, p)),
    };
    (options
        .padding_out
        .iter()
        .zip(options.stride)
        .all(|(o, s)| *o < s)
        && g.out_size() == Some([xs[2], xs[3]]))
    .then_some(g)
}

/// A contiguous f32 view of `t` (copied only if it is strided or offset).
fn values(t: &FlexTensor) -> std::borrow::Cow<'_, [f32]> {
    match t.as_slice::<f32>() {
        Some(v) => v.into(),
        None => t
            .to_contiguous()
            .as_slice::<f32>()
            .expect("contiguous f32")
            .to_vec()
            .into(),
    }
}

/// Which of a convolution's three tensors a kernel writes: its input (or input gradient), its
/// weight (gradient) or its output (gradient), as NCHW / `[out, in, kh, kw]` shapes.
#[derive(Clone, Copy)]
enum Writes {
    Input,
    Weight,
    Output,
}

/// `kernel(g, a, b, out)` on `a`'s and `b`'s values, into a new tensor shaped as `writes`.
fn run(
    g: &Geometry,
    a: &FlexTensor,
    b: &FlexTensor,
    writes: Writes,
    kernel: fn(&Geometry, &[f32], &[f32], &mut [f32]),
) -> FlexTensor {
    let [oh, ow] = g.out_size().expect("a checked geometry");
    let shape = match writes {
        Writes::Input => [g.batch, g.in_channels, g.in_size[0], g.in_size[1]],
        Writes::Weight => [g.out_channels, g.in_channels, g.kernel[0], g.kernel[1]],
        Writes::Output => [g.batch, g.out_channels, oh, ow],
    };
    let (a, b) = (values(a), values(b));
    let mut out = vec![0.0f32; shape.iter().product()];
    kernel(g, &a, &b, &mut out);
    FlexTensor::new(
        Bytes::from_elems(out),
        Layout::contiguous(Shape::from(shape)),
        DType::F32,
    )
}

/// Each op is one of the three kernels on the geometry of a convolution (for a transposed
/// conv, the convolution it is the input gradient of), or burn's own op where the kernels do
/// not apply.
impl ConvBackend for Flex {
    fn conv2d_no_bias(x: FlexTensor, weight: FlexTensor, options: ConvOptions<2>) -> FlexTensor {
        match conv_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &x, &weight, Writes::Output, kernels::forward),
            None => Self::conv2d(x, weight, None, options),
        }
    }

    fn conv2d_no_bias_x_grad(
        x: FlexTensor,
        weight: FlexTensor,
        grad: FlexTensor,
        options: ConvOptions<2>,
    ) -> FlexTensor {
        match conv_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &weight, &grad, Writes::Input, kernels::input_grad),
            None => Self::conv2d_x_backward(x, weight, grad, options),
        }
    }

    fn conv2d_no_bias_weight_grad(
        x: FlexTensor,
        weight: FlexTensor,
        grad: FlexTensor,
        options: ConvOptions<2>,
    ) -> FlexTensor {
        match conv_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &x, &grad, Writes::Weight, kernels::weight_grad),
            None => Self::conv2d_weight_backward(x, weight, grad, options),
        }
    }

    fn conv_transpose2d_no_bias(
        x: FlexTensor,
        weight: FlexTensor,
        options: ConvTransposeOptions<2>,
    ) -> FlexTensor {
        match conv_transpose_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &weight, &x, Writes::Input, kernels::input_grad),
            None => Self::conv_transpose2d(x, weight, None, options),
        }
    }

    fn conv_transpose2d_no_bias_x_grad(
        x: FlexTensor,
        weight: FlexTensor,
        grad: FlexTensor,
        options: ConvTransposeOptions<2>,
    ) -> FlexTensor {
        match conv_transpose_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &grad, &weight, Writes::Output, kernels::forward),
            None => Self::conv_transpose2d_x_backward(weight, grad, options),
        }
    }

    fn conv_transpose2d_no_bias_weight_grad(
        x: FlexTensor,
        weight: FlexTensor,
        grad: FlexTensor,
        options: ConvTransposeOptions<2>,
    ) -> FlexTensor {
        match conv_transpose_geometry(&x, &weight, &options) {
            Some(g) => run(&g, &grad, &x, Writes::Weight, kernels::weight_grad),
            None => Self::conv_transpose2d_weight_backward(x, weight, grad, options),
        }
    }
}

/// Which of the two ops a backward step differentiates, with its options.
#[derive(Debug, Clone)]
enum Op {
    Conv(ConvOptions<2>),
    Transposed(ConvTransposeOptions<2>),
}

/// The backward step of both ops: each gradient is the inner backend's own op, so Flex's
/// kernels run the backward pass too.
#[derive(Debug)]
struct ConvBackward;

impl<B: Backend + ConvBackend> Backward<B, 2> for ConvBackward {
    type State = (NodeId, NodeId, Op);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_weight] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, weight_state, op) = ops.state;
        let x = checkpointer.retrieve_node_output::<FloatTensor<B>>(x_state);
        let weight = checkpointer.retrieve_node_output::<FloatTensor<B>>(weight_state);
        if let Some(node) = node_x {
            let dx = match &op {
                Op::Conv(o) => {
                    B::conv2d_no_bias_x_grad(x.clone(), weight.clone(), grad.clone(), o.clone())
                }
                Op::Transposed(o) => B::conv_transpose2d_no_bias_x_grad(
                    x.clone(),
                    weight.clone(),
                    grad.clone(),
                    o.clone(),
                ),
            };
            grads.register::<B>(node.id, dx);
        }
        if let Some(node) = node_weight {
            let dw = match op {
                Op::Conv(o) => B::conv2d_no_bias_weight_grad(x, weight, grad, o),
                Op::Transposed(o) => B::conv_transpose2d_no_bias_weight_grad(x, weight, grad, o),
            };
            grads.register::<B>(node.id, dw);
        }
    }
}

/// Records `op` on the tape with [`ConvBackward`], its forward computed by `forward` on the
/// inner backend's tensors.
fn record<B: Backend + ConvBackend, C: CheckpointStrategy>(
    x: FloatTensor<Autodiff<B, C>>,
    weight: FloatTensor<Autodiff<B, C>>,
    op: Op,
    forward: impl FnOnce(FloatTensor<B>, FloatTensor<B>) -> FloatTensor<B>,
) -> FloatTensor<Autodiff<B, C>> {
    match ConvBackward
        .prepare::<C>([x.node(), weight.node()])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(mut prep) => {
            let x_state = prep.checkpoint(&x);
            let weight_state = prep.checkpoint(&weight);
            let y = forward(x.into_primitive(), weight.into_primitive());
            prep.finish((x_state, weight_state, op), y)
        }
        OpsKind::UnTracked(prep) => {
            prep.finish(forward(x.into_primitive(), weight.into_primitive()))
        }
    }
}

impl<B: Backend + ConvBackend, C: CheckpointStrategy> ConvBackend for Autodiff<B, C> {
    fn conv2d_no_bias(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        record::<B, C>(x, weight, Op::Conv(options.clone()), |x, w| {
            B::conv2d_no_bias(x, w, options)
        })
    }

    fn conv_transpose2d_no_bias(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvTransposeOptions<2>,
    ) -> FloatTensor<Self> {
        record::<B, C>(x, weight, Op::Transposed(options.clone()), |x, w| {
            B::conv_transpose2d_no_bias(x, w, options)
        })
    }
}
