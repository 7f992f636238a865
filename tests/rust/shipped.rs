//! The pretrained generators in weights/ load and draw digits with MNIST's amount of ink, score
//! as recorded and meet their targets; the standard one is what `ganvas export --store int4`
//! makes of its f16 source.

use crate::common;

use ganvas::judge::{Judge, load_judge};
use ganvas::quality::Reference;
use ganvas::quant::Storage;
use ganvas::{Generator, Preset, data::mean_ink, latent, weights};

/// The judge with real MNIST's reference scores, and the shipped `weights/<name>.ganvas`.
fn judged(name: &str, preset: Preset) -> (Judge, Reference, Generator) {
    let root = common::root();
    let device = common::cpu();
    let (judge, reference) = load_judge(
        &std::fs::read(root.join("weights/judge.ganvas")).unwrap(),
        &device,
    )
    .unwrap();
    let bytes = std::fs::read(root.join(format!("weights/{name}.ganvas"))).unwrap();
    let g = weights::load_generator(&bytes, &preset.config(), &device).unwrap();
    (judge, reference, g)
}

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

#[test]
fn shipped_standard_weights_score_as_recorded() {
    let (judge, reference, g) = judged("standard", Preset::Standard);
    // What `ganvas eval --n 10000 --seed 0` records in weights/README.md: digit score 8.875,
    // every digit 7.1–12.4% of samples, Fréchet distance 6.4× real digits'.
    let score = judge
        .judge(g.sample(10_000, 0))
        .unwrap()
        .score(&reference.test);
    let baseline = reference.baseline(10_000).unwrap().frechet;
    assert!(score.digit_score > 8.8, "digit score {}", score.digit_score);
    assert!(
        score
            .class_shares
            .iter()
            .all(|&s| (0.07..0.13).contains(&s)),
        "class shares {:?}",
        score.class_shares
    );
    assert!(
        score.frechet < 7.0 * baseline,
        "Fréchet {} vs real {baseline}",
        score.frechet
    );
}

/// weights/standard.ganvas (what the page downloads) is the 4-bit export of the f16 file beside
/// it, byte for byte: `ganvas export --weights weights/standard-f16.ganvas --store int4`.
#[test]
fn shipped_standard_weights_are_the_int4_export_of_their_source() {
    let root = common::root();
    let source = std::fs::read(root.join("weights/standard-f16.ganvas")).unwrap();
    let file = weights::WeightsFile::decode(&source).unwrap();
    let g = file.sampler(&common::cpu()).unwrap();
    let (step, seed) = (file.header.step, file.header.seed);
    let exported =
        weights::save_generator_as(file.gan().unwrap(), &g, step, seed, Storage::Int4).unwrap();
    let shipped = std::fs::read(root.join("weights/standard.ganvas")).unwrap();
    assert!(
        exported == shipped,
        "weights/standard.ganvas is not the int4 export of its source"
    );
}

/// weights/conditional.ganvas meets the targets weights/README.md records (`ganvas eval --n
/// 10000 --seed 0`): every digit asked for is read as itself ≥ 97% of 1,000 times; the 10,000
/// digits (rows of 0–9) score ≥ 9.3 with a Fréchet distance ≤ 3× real digits'; and they are
/// no nearer the training digits than unseen real ones (no memorised digits).
#[test]
fn shipped_conditional_weights_meet_their_targets() {
    let device = common::cpu();
    let (judge, reference, g) = judged("conditional", Preset::Conditional);
    for digit in 0..10u8 {
        let z = latent::normal_latents(1000, g.latent(), 0);
        let inputs = latent::with_labels(&z, &[digit; 1000], g.latent(), 10);
        let images = g.forward(latent::latents_from(&inputs, g.input_width(), &device));
        let read = judge.judge(images).unwrap().predictions();
        let hits = read.iter().filter(|&&p| p == digit as usize).count();
        assert!(hits >= 970, "{digit} read as asked {hits} times in 1,000");
    }
    let samples = g.sample(10_000, 0);
    let score = judge.judge(samples).unwrap().score(&reference.test);
    let baseline = reference.baseline(10_000).unwrap().frechet;
    assert!(
        score.digit_score >= 9.3,
        "digit score {}",
        score.digit_score
    );
    assert!(
        score.frechet <= 3.0 * baseline,
        "Fréchet {} vs real {baseline}",
        score.frechet
    );
    assert_memorises_nothing(&g);
}

/// weights/conv.ganvas scores as weights/README.md records (`ganvas eval --n 10000 --seed 0`:
/// digit score 7.473, Fréchet 26.4× real, classes 6.4–13.8%, 0.1% memorised): below its issue's
/// targets, recorded as the best reached, so that a replacement is known to be better.
#[test]
fn shipped_conv_weights_score_as_recorded() {
    let (judge, reference, g) = judged("conv", Preset::Conv);
    let score = judge
        .judge(g.sample(10_000, 0))
        .unwrap()
        .score(&reference.test);
    let baseline = reference.baseline(10_000).unwrap().frechet;
    assert!(
        score.digit_score > 7.45,
        "digit score {}",
        score.digit_score
    );
    assert!(
        score.frechet < 27.0 * baseline,
        "Fréchet {} vs real {baseline}",
        score.frechet
    );
    assert!(
        score
            .class_shares
            .iter()
            .all(|&s| (0.06..0.14).contains(&s)),
        "class shares {:?}",
        score.class_shares
    );
    assert_memorises_nothing(&g);
}

/// The first 1,000 digits of latent seed 0, as `ganvas eval` checks them: at most 1% nearer a
/// training digit than the closest 1% of real test digits are (real digits: 1%).
fn assert_memorises_nothing(g: &Generator) {
    let first = latent::images_to_u8(g.sample(1000, 0)).unwrap();
    let test = ganvas::data::Mnist::load_gz(common::root().join("www/data/mnist-test.gz")).unwrap();
    let copying =
        ganvas::nearest::copy_report(&first, &test.images()[..1000 * 784], common::mnist_train())
            .unwrap();
    assert!(copying.memorised <= 0.01, "{copying:?}");
}
