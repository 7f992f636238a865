//! The shipped judge (weights/judge.ganvas): accurate on real MNIST, scores real digits near
//! the ceiling and noise far from it, and its file round-trips and refuses the wrong kind.

use crate::common;

use ganvas::data::Mnist;
use ganvas::judge::{Judge, digits_tensor, load_judge, save_judge};
use ganvas::judge_train;
use ganvas::quality::Reference;
use ganvas::weights;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::sync::OnceLock;

fn test_set() -> &'static Mnist {
    static DATA: OnceLock<Mnist> = OnceLock::new();
    DATA.get_or_init(|| {
        Mnist::load_gz(common::root().join("www/data/mnist-test.gz"))
            .expect("MNIST missing: run pkg-scripts/data")
    })
}

fn shipped() -> (Judge, Reference) {
    let bytes = std::fs::read(common::root().join("weights/judge.ganvas")).expect("judge file");
    load_judge(&bytes, &common::cpu()).expect("judge loads")
}

#[test]
fn judge_is_accurate_on_the_official_test_set_and_its_stored_reference_is_true() {
    let (judge, stored) = shipped();
    let fresh = judge_train::reference(&judge, common::mnist_train(), test_set(), &[500]).unwrap();
    assert!(
        fresh.test_accuracy >= 0.985,
        "accuracy {}",
        fresh.test_accuracy
    );
    // The judge's weights are fixed, but the stored figures were computed on another CPU, whose
    // matrix kernels round differently (AVX-512, AVX2): a test digit whose two likeliest
    // classes are all but tied may be read the other way. Two digits of the 10,000 may flip.
    assert!(
        (fresh.test_accuracy - stored.test_accuracy).abs() <= 2.5e-4,
        "accuracy {} here, {} stored",
        fresh.test_accuracy,
        stored.test_accuracy
    );
    assert!((fresh.test_digit_score - stored.test_digit_score).abs() < 1e-3);
    let (f, s) = (&fresh.baselines[0], stored.baseline(500).unwrap());
    assert_eq!(s.n, 500);
    assert!((f.frechet - s.frechet).abs() < 1e-3 * s.frechet.max(1.0));
}

#[test]
fn real_digits_score_near_the_ceiling_and_noise_scores_poorly() {
    let (judge, reference) = shipped();
    let device = common::cpu();
    // Real test digits (every 5th: the official file is ordered by writer population):
    // confident, balanced, and close to the test set's features.
    let spread: Vec<u8> = (0..2000)
        .flat_map(|i| test_set().image(i * 5).iter().copied())
        .collect();
    let real = judge
        .judge(digits_tensor(&spread, &device))
        .unwrap()
        .score(&reference.test);
    assert!(
        real.digit_score > 9.0,
        "real digit score {}",
        real.digit_score
    );
    assert!(
        real.class_shares.iter().all(|&s| (0.07..0.13).contains(&s)),
        "{:?}",
        real.class_shares
    );
    let baseline = reference.baseline(2000).unwrap();
    assert!(
        real.frechet < 2.0 * baseline.frechet,
        "real {} vs baseline {}",
        real.frechet,
        baseline.frechet
    );
    // Uniform noise: not digits, and nothing like MNIST's features.
    let mut rng = StdRng::seed_from_u64(5);
    let noise: Vec<u8> = (0..2000 * 784).map(|_| rng.random()).collect();
    let noise = judge
        .judge(digits_tensor(&noise, &device))
        .unwrap()
        .score(&reference.test);
    assert!(
        noise.digit_score < 2.0,
        "noise digit score {}",
        noise.digit_score
    );
    assert!(
        noise.frechet > 20.0 * baseline.frechet,
        "noise {} vs baseline {}",
        noise.frechet,
        baseline.frechet
    );
}

#[test]
fn judge_file_round_trips_and_refuses_the_wrong_kind() {
    let (judge, reference) = shipped();
    let device = common::cpu();
    let images = digits_tensor(&test_set().images()[..50 * 784], &device);
    let before = judge.judge(images.clone()).unwrap();
    let bytes = save_judge(&judge, &reference, 1, 0).unwrap();
    let (again, reference_again) = load_judge(&bytes, &device).unwrap();
    assert_eq!(reference_again, reference);
    let after = again.judge(images).unwrap();
    assert_eq!(before.probs, after.probs);
    assert_eq!(before.features, after.features);

    let gan = std::fs::read(common::root().join("weights/standard.ganvas")).unwrap();
    let err = load_judge(&gan, &device).unwrap_err().to_string();
    assert!(err.contains("not the judge"), "{err}");
    let err = weights::load_generator(&bytes, &ganvas::Preset::Standard.config(), &device)
        .unwrap_err()
        .to_string();
    assert!(err.contains("judge"), "{err}");
    let err = load_judge(&bytes[..bytes.len() / 2], &device)
        .unwrap_err()
        .to_string();
    assert!(err.contains("truncated"), "{err}");
}
