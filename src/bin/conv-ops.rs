//! `conv-ops`: how fast the CPU backend runs the convolutional nets' layers, forward and
//! forward + backward, by burn's own ops and by ganvas's kernels (src/conv/), against a matrix
//! product of the same FLOPs (what im2col + matmul would cost if building the columns were
//! free). Prints a Markdown table for BENCHMARKS.md; run by `pkg-scripts/bench --native`.
//!
//! `RAYON_NUM_THREADS` sets the threads, as for `ganvas train`.

use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use ganvas::{GanConfig, Preset};
use std::time::Instant;

/// A layer's forward: burn's module (`false`) or ganvas's kernels (`true`).
type Fwd = Box<dyn Fn(Tensor<4>, bool) -> Tensor<4>>;

/// One layer of a preset: its name, input shape `[n, c, side, side]` and output channels.
struct Layer {
    name: &'static str,
    transposed: bool,
    batch: usize,
    channels: [usize; 2],
    side_in: usize,
}

impl Layer {
    fn side_out(&self) -> usize {
        if self.transposed {
            self.side_in * 2
        } else {
            self.side_in / 2
        }
    }

    /// Multiply-adds ×2 of the forward pass.
    fn flops(&self) -> f64 {
        let [cin, cout] = self.channels;
        // Every input pixel of a transposed conv (every output pixel of a conv) meets the
        // whole 4×4 kernel.
        let pixels = if self.transposed {
            self.side_in
        } else {
            self.side_out()
        }
        .pow(2);
        2.0 * (self.batch * pixels * cin * cout * 16) as f64
    }
}

/// Median ms of `f` over `reps` runs after one warm-up.
fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut ms: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    ms[reps / 2]
}

fn sync(t: Tensor<1>) {
    let _ = t.into_data();
}

fn main() {
    flops_table();
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a thread pool");
    pool.install(run);
}

/// Forward FLOPs (2 × multiply-adds) of one digit through G, and of one pack through D.
fn forward_flops(gan: &GanConfig) -> (f64, f64) {
    let dense = |widths: Vec<usize>| -> usize { widths.windows(2).map(|w| 2 * w[0] * w[1]).sum() };
    let side = ganvas::model::CONV_SIDE;
    // 7×7 → 14×14 → 28×28: each input pixel of a transposed conv meets all 16 taps.
    let g_maps = |c: &[usize]| -> usize {
        let channels: Vec<usize> = c.iter().copied().chain([1]).collect();
        let layer = |(i, w): (usize, &[usize])| 2 * (side << i).pow(2) * w[0] * w[1] * 16;
        channels.windows(2).enumerate().map(layer).sum()
    };
    // 28×28 → 14×14 → 7×7: each output pixel of a conv meets all 16 taps.
    let d_maps = |c: &[usize], pack: usize| -> usize {
        let channels: Vec<usize> = [pack].into_iter().chain(c.iter().copied()).collect();
        let layer = |(i, w): (usize, &[usize])| 2 * ((2 * side) >> i).pow(2) * w[0] * w[1] * 16;
        channels.windows(2).enumerate().map(layer).sum()
    };
    let g_out = gan.g_conv.first().map_or(784, |c| c * side * side);
    let d_in = gan
        .d_conv
        .last()
        .map_or(784 * gan.pack, |c| c * side * side);
    let g_dense = [gan.input_width()]
        .into_iter()
        .chain(gan.g_hidden.clone())
        .chain([g_out]);
    let d_dense = [d_in].into_iter().chain(gan.d_hidden.clone()).chain([1]);
    let g = dense(g_dense.collect())
        + if gan.g_conv.is_empty() {
            0
        } else {
            g_maps(&gan.g_conv)
        };
    let d = dense(d_dense.collect())
        + if gan.d_conv.is_empty() {
            0
        } else {
            d_maps(&gan.d_conv, gan.pack)
        };
    (g as f64, d as f64)
}

/// FLOPs of one training iteration of every preset at batch 64: G forward for D's fake batch,
/// D forward and backward (×3) on the real and fake batches, then G forward and backward (×3)
/// through D's forward and input gradients (×2).
fn flops_table() {
    let batch = 64.0;
    println!(
        "| preset | G forward, MFLOP per digit | D forward, MFLOP per digit | GFLOP per iteration (batch 64) |"
    );
    println!("|---|---|---|---|");
    for preset in Preset::ALL {
        let gan = preset.config();
        let (g, d) = forward_flops(&gan);
        let d_digit = d / gan.pack as f64;
        let iteration = batch * (4.0 * g + 8.0 * d_digit);
        println!(
            "| {} | {:.2} | {:.2} | {:.3} |",
            preset.name(),
            g / 1e6,
            d_digit / 1e6,
            iteration / 1e9
        );
    }
    println!();
}

fn run() {
    let plain = Device::flex();
    let device = plain.clone().autodiff();
    let layers = |g: [usize; 2], d: [usize; 2]| {
        [
            Layer {
                name: "G convT 7→14",
                transposed: true,
                batch: 64,
                channels: [g[0], g[1]],
                side_in: 7,
            },
            Layer {
                name: "G convT 14→28",
                transposed: true,
                batch: 64,
                channels: [g[1], 1],
                side_in: 14,
            },
            Layer {
                name: "D conv 28→14",
                transposed: false,
                batch: 128,
                channels: [1, d[0]],
                side_in: 28,
            },
            Layer {
                name: "D conv 14→7",
                transposed: false,
                batch: 128,
                channels: [d[0], d[1]],
                side_in: 14,
            },
        ]
    };
    println!(
        "| preset | layer | shape (batch, channels) | MFLOP fwd | burn: fwd ms | fwd+bwd ms | ganvas: fwd ms | fwd+bwd ms | ganvas GFLOP/s fwd+bwd | matmul of the same FLOPs ×3, ms | burn vs the matmul | ganvas vs the matmul |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (preset, g, d) in [
        ("conv-conditional", [16, 8], [8, 16]),
        ("conv", [64, 32], [32, 64]),
    ] {
        for layer in layers(g, d) {
            let [cin, cout] = layer.channels;
            let x = Tensor::<4>::random(
                [layer.batch, cin, layer.side_in, layer.side_in],
                Distribution::Normal(0.0, 1.0),
                &device,
            )
            .require_grad();
            let forward: Fwd = if layer.transposed {
                let m: ConvTranspose2d = ConvTranspose2dConfig::new([cin, cout], [4, 4])
                    .with_stride([2, 2])
                    .with_padding([1, 1])
                    .init(&device);
                Box::new(move |x, ours| match ours {
                    true => ganvas::conv::conv_transpose2d_layer(&m, x),
                    false => m.forward(x),
                })
            } else {
                let m: Conv2d = Conv2dConfig::new([cin, cout], [4, 4])
                    .with_stride([2, 2])
                    .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                    .init(&device);
                Box::new(move |x, ours| match ours {
                    true => ganvas::conv::conv2d_layer(&m, x),
                    false => m.forward(x),
                })
            };
            let reps = 21;
            let [burn, ours] = [false, true].map(|ours| {
                let fwd = time(reps, || sync(forward(x.clone().detach(), ours).sum()));
                // Forward, then the gradients of the input and of the layer's weights.
                let both = time(reps, || {
                    let grads = forward(x.clone(), ours).sum().backward();
                    sync(x.grad(&grads).expect("a gradient").sum());
                });
                (fwd, both)
            });
            // A matmul of the same FLOPs as im2col would run: [positions, cin·16] × [cin·16, cout].
            let positions = layer.batch
                * if layer.transposed {
                    layer.side_in
                } else {
                    layer.side_out()
                }
                .pow(2);
            let a = Tensor::<2>::random([positions, cin * 16], Distribution::Default, &plain);
            let b = Tensor::<2>::random([cin * 16, cout], Distribution::Default, &plain);
            let mm = time(reps, || sync(a.clone().matmul(b.clone()).sum()));
            let mflop = layer.flops() / 1e6;
            println!(
                "| {preset} | {} | {}, {cin}→{cout} | {mflop:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.2} | {:.1}× | {:.2}× |",
                layer.name,
                layer.batch,
                burn.0,
                burn.1,
                ours.0,
                ours.1,
                3.0 * mflop / ours.1,
                3.0 * mm,
                burn.1 / (3.0 * mm),
                ours.1 / (3.0 * mm)
            );
        }
    }
}
