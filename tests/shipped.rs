//! The pretrained generator in weights/ loads and draws digits with MNIST's amount of ink.

mod common;

use ganvas::{Preset, data::mean_ink, latent, weights};

#[test]
fn shipped_standard_weights_make_mnist_like_ink() {
    let bytes =
        std::fs::read(common::root().join("weights/standard.ganvas")).expect("shipped weights");
    let g = weights::load_generator(&bytes, &Preset::Standard.config(), &common::cpu()).unwrap();
    let digits = latent::images_to_u8(g.sample(1000, 2024)).unwrap();
    let ink = mean_ink(&digits);
    let real = common::mnist_train().mean_ink();
    assert!(
        (ink - real).abs() / real < 0.2,
        "mean ink {ink:.4} vs MNIST {real:.4}"
    );
    // Digits differ from one another (no total collapse onto one image).
    assert_ne!(digits[..784], digits[784..1568]);
}
