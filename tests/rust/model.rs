//! The networks have the shapes their presets promise.

use crate::common;

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;
use ganvas::{GanConfig, IMAGE_PIXELS, Preset};

/// Collects the shape of every float parameter, in module order.
#[derive(Default)]
struct Shapes(Vec<Vec<usize>>);

impl ModuleVisitor for Shapes {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(param.val().dims().to_vec());
    }
}

fn shapes<M: Module>(m: &M) -> Vec<Vec<usize>> {
    let mut v = Shapes::default();
    m.visit(&mut v);
    v.0
}

/// Weight [in, out] then bias [out] for each consecutive pair of widths.
fn expected(widths: &[usize]) -> Vec<Vec<usize>> {
    widths
        .windows(2)
        .flat_map(|w| [vec![w[0], w[1]], vec![w[1]]])
        .collect()
}

#[test]
fn every_layer_has_the_preset_shape() {
    let device = common::cpu();
    let cases = [
        (Preset::Tiny, vec![100, 256, 784], vec![784, 256, 1]),
        (
            Preset::Standard,
            vec![100, 256, 512, 1024, 784],
            vec![2 * 784, 1024, 512, 256, 1], // D judges pairs of digits
        ),
    ];
    // Told the digit: a one-hot label beside z; D projects it onto its last features (a
    // 10×256 matrix, no bias, after the layers).
    for (preset, g) in [
        (Preset::TinyConditional, vec![110, 256, 784]),
        (Preset::Conditional, vec![110, 256, 512, 784]),
    ] {
        let config = preset.config();
        assert_eq!(shapes(&config.init_generator(1, &device)), expected(&g));
        let mut d = expected(&[784, 256, 1]);
        d.push(vec![10, 256]);
        assert_eq!(shapes(&config.init_discriminator(1, &device)), d);
    }
    for (preset, g, d) in cases {
        let config = preset.config();
        assert_eq!(
            shapes(&config.init_generator(1, &device)),
            expected(&g),
            "{preset:?} G"
        );
        assert_eq!(
            shapes(&config.init_discriminator(1, &device)),
            expected(&d),
            "{preset:?} D"
        );
    }
}

#[test]
fn conv_layers_have_the_preset_shape() {
    let device = common::cpu();
    // G: a dense layer to a 7×7 map, then 4×4 transposed convolutions [in, out, 4, 4] to
    // 14×14 and 28×28. D: 4×4 convolutions [out, in, 4, 4] to 14×14 and 7×7, a dense logit,
    // and for a conditional D the label's projection onto the 7·7·C features.
    for (preset, input, [g0, g1], [d0, d1], pack, classes) in [
        (Preset::Conv, 100, [64, 32], [32, 64], 2, 0),
        (Preset::ConvConditional, 110, [16, 8], [8, 16], 1, 10),
    ] {
        let config = preset.config();
        let mut g = expected(&[input, 49 * g0]);
        g.extend([vec![g0, g1, 4, 4], vec![g1], vec![g1, 1, 4, 4], vec![1]]);
        assert_eq!(
            shapes(&config.init_generator(1, &device)),
            g,
            "{preset:?} G"
        );
        let mut d = vec![vec![d0, pack, 4, 4], vec![d0], vec![d1, d0, 4, 4], vec![d1]];
        d.extend(expected(&[49 * d1, 1]));
        if classes > 0 {
            d.push(vec![classes, 49 * d1]);
        }
        assert_eq!(
            shapes(&config.init_discriminator(1, &device)),
            d,
            "{preset:?} D"
        );
    }
}

#[test]
fn conv_shapes_are_checked() {
    let three = GanConfig::conv(vec![8, 8, 8], vec![8, 8]);
    assert!(
        three
            .validate()
            .unwrap_err()
            .to_string()
            .contains("2 convolution layers")
    );
    assert!(GanConfig::conv(vec![8, 0], vec![8, 8]).validate().is_err());
    assert!(
        GanConfig::conv(vec![8, 8], vec![8, 4096])
            .validate()
            .is_err()
    );
    // A conv D judges packs as channels.
    let packed = GanConfig::conv(vec![8, 4], vec![4, 8]).with_pack(2);
    let d = packed.init_discriminator(0, &common::cpu());
    assert_eq!(d.pack(), 2);
    let g = packed.init_generator(0, &common::cpu());
    assert_eq!(d.forward(g.sample(6, 0), None).dims(), [3, 1]);
}

#[test]
fn standard_generator_has_1_48_million_parameters() {
    let g = Preset::Standard.config().init_generator(0, &common::cpu());
    assert_eq!(g.num_params(), 1_486_352);
}

#[test]
fn forward_shapes_and_ranges() {
    let device = common::cpu();
    for preset in Preset::ALL {
        let config = preset.config();
        let g = config.init_generator(3, &device);
        let d = config.init_discriminator(3, &device);
        let images = g.sample(6, 9);
        assert_eq!(images.dims(), [6, IMAGE_PIXELS]);
        let px = images.clone().into_data().try_into_vec::<f32>().unwrap();
        assert!(
            px.iter().all(|p| (-1.0..=1.0).contains(p)),
            "tanh output in [-1, 1]"
        );
        let labels = (config.classes > 0)
            .then(|| ganvas::latent::one_hot(&[0, 1, 2, 3, 4, 5], config.classes, &device));
        assert_eq!(d.forward(images, labels).dims(), [6 / config.pack, 1]);
    }
}

#[test]
fn same_seed_same_network_different_seed_different() {
    let device = common::cpu();
    let config = Preset::Tiny.config();
    let a = config.init_generator(5, &device).sample(4, 1).into_data();
    let b = config.init_generator(5, &device).sample(4, 1).into_data();
    let c = config.init_generator(6, &device).sample(4, 1).into_data();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn presets_parse_and_describe() {
    assert_eq!("tiny".parse::<Preset>().unwrap(), Preset::Tiny);
    assert!("huge".parse::<Preset>().is_err());
    assert_eq!(
        Preset::Tiny.config().describe(),
        "G 100→256→784, D 784→256→1 (tiny)"
    );
    assert_eq!(
        Preset::Standard.config().describe(),
        "G 100→256→512→1024→784, D 1568→1024→512→256→1 on packs of 2 (standard)"
    );
    assert_eq!(
        Preset::TinyConditional.config().describe(),
        "G 100+10→256→784, D 784→256→1, labels projected onto D's last layer (tiny-conditional)"
    );
    assert_eq!(
        Preset::Conditional.config().describe(),
        "G 100+10→256→512→784, D 784→256→1, labels projected onto D's last layer (conditional)"
    );
    assert_eq!(
        Preset::Conv.config().describe(),
        "G 100→7·7·64→14·14·32→784, D 28·28·2→14·14·32→7·7·64→1 on packs of 2, 4×4 stride-2 \
         (transposed) convolutions (conv)"
    );
    assert_eq!(
        Preset::ConvConditional.config().describe(),
        "G 100+10→7·7·16→14·14·8→784, D 784→14·14·8→7·7·16→1, labels projected onto D's \
         last layer, 4×4 stride-2 (transposed) convolutions (conv-conditional)"
    );
    for preset in Preset::ALL {
        assert_eq!(preset.name().parse::<Preset>().unwrap(), preset);
    }
    assert!(GanConfig::new(vec![0], vec![4]).validate().is_err());
    assert!(Preset::Tiny.config().with_classes(3).validate().is_err());
    assert!(Preset::Tiny.config().with_pack(9).validate().is_err());
}
