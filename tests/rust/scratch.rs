//! "Train from scratch": the page's default network and recipe draw digits the judge can read
//! within the steps that take ~20 s in the page, and the CLI trains the very same run.

use crate::common;

use futures_lite::future::block_on;
use ganvas::backend::Backend;
use ganvas::defaults;
use ganvas::judge::load_judge;
use ganvas::quality::{SCORE_N, SCORE_SEED};
use ganvas::session::{Session, Step};
use ganvas::train::{StepStats, Trainer};
use ganvas::weights;

/// Steps the from-scratch default (conv-conditional) trains in 20 s in the page on a 2-core
/// machine (33.8 steps/s with scoring, BENCHMARKS.md, "ganvas's own conv kernels").
const STEPS_IN_20_S: u64 = 600;

fn scratch(seed: u64) -> Trainer {
    Trainer::new(
        defaults::SCRATCH_PRESET.config(),
        defaults::SCRATCH_RECIPE.config(),
        seed,
        &common::cpu(),
    )
    .unwrap()
}

#[test]
fn the_scratch_default_draws_readable_digits_of_every_class_in_20_s_of_steps() {
    let device = common::cpu();
    let (judge, reference) = load_judge(
        &std::fs::read(common::root().join("weights/judge.ganvas")).unwrap(),
        &device,
    )
    .unwrap();
    let data = common::mnist_train();
    let mut trainer = scratch(1);
    let mut stats = Vec::new();
    while trainer.step() < STEPS_IN_20_S {
        let chunk = (0..100).map(|_| trainer.train_step(data)).collect();
        stats.extend(StepStats::read_all(chunk).unwrap());
    }
    assert!(stats.iter().all(|s| s.is_finite()), "all losses finite");
    // What the page's meter judges: 500 digits of the generator the grid shows (the moving
    // average of G under this recipe), from the meter's fixed latent vectors.
    assert!(
        trainer.ema().is_some(),
        "the fast recipe samples from an average"
    );
    let score = judge
        .judge(trainer.sampler().sample(SCORE_N, SCORE_SEED))
        .unwrap()
        .score(&reference.test);
    eprintln!(
        "step {}: digit score {:.2}, Fréchet {:.1}, shares {:?}",
        trainer.step(),
        score.digit_score,
        score.frechet,
        score.class_shares
    );
    // Noise scores below 2 and real MNIST 9.75 under this judge; 4.5 is digits a reader
    // recognises. Measured spread at step 600, seeds 1–5 on this machine: 6.73–8.23 (seed 1:
    // 7.82), so 4.5 leaves 2.2 below the worst seed for another CPU's rounding.
    assert!(
        score.digit_score >= 4.5,
        "digit score {}",
        score.digit_score
    );
    assert!(
        score.class_shares.iter().all(|&s| s >= 0.03),
        "every digit drawn: {:?}",
        score.class_shares
    );
}

#[test]
fn the_scratch_default_is_reproducible_from_its_seed() {
    let data = common::mnist_train();
    let run = |seed| {
        let mut t = scratch(seed);
        StepStats::read_all((0..5).map(|_| t.train_step(data)).collect()).unwrap()
    };
    assert_eq!(run(4), run(4));
    assert_ne!(run(4), run(5));
}

/// The CLI and a caller shaped like the page's worker (the same `Session`, chunks of 10 steps)
/// train the same run: the same losses at every step, bit for bit, and the same digits.
#[test]
fn the_cli_trains_the_same_run_as_the_page_s_core() {
    let dir = std::env::temp_dir().join(format!("ganvas-scratch-{}", std::process::id()));
    let stats = dir.join("stats.jsonl");
    std::fs::create_dir_all(&dir).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ganvas"))
        .args(["train", "--preset", defaults::SCRATCH_PRESET.name()])
        .args(["--recipe", defaults::SCRATCH_RECIPE.name()])
        .args([
            "--iters",
            "30",
            "--seed",
            "9",
            "--checkpoint-every",
            "0",
            "--log-every",
            "7",
        ])
        .arg("--out")
        .arg(&dir)
        .arg("--stats")
        .arg(&stats)
        .arg("--data")
        .arg(common::root().join("www/data/mnist-train.gz"))
        .status()
        .unwrap();
    assert!(status.success());
    let cli = weights::load_checkpoint(
        &std::fs::read(dir.join(format!("{}.ckpt", defaults::SCRATCH_PRESET.name()))).unwrap(),
        &common::cpu(),
    )
    .unwrap();
    let cli_steps: Vec<Step> = std::fs::read_to_string(&stats)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);

    let mut page = Session::new(
        defaults::SCRATCH_PRESET,
        defaults::SCRATCH_RECIPE,
        9,
        Backend::CPU,
        &common::cpu(),
    )
    .unwrap();
    page.set_data(common::mnist_train().clone());
    let mut page_steps = Vec::new();
    for _ in 0..3 {
        page_steps.extend(block_on(page.run(10)).unwrap());
    }
    assert_eq!(cli_steps.len(), 30);
    assert_eq!(cli_steps, page_steps, "the same losses at every step");
    assert_eq!(cli.config, defaults::SCRATCH_RECIPE.config());
    assert_eq!(cli.gan, defaults::SCRATCH_PRESET.config());
    assert_eq!(
        cli.sampler().sample(20, 3).into_data(),
        page.trainer().sampler().sample(20, 3).into_data()
    );
}
