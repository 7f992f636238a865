//! The convolutional presets: the page's `conv-conditional` learns digits the judge reads
//! within the steps it trains in a minute in the page, runs are reproducible and resume bit
//! for bit, the quantised export scores as its source does, and bad conv files are refused.

use crate::common;

use ganvas::judge::{Judge, load_judge};
use ganvas::latent::images_to_u8;
use ganvas::quality::{Reference, SCORE_N, SCORE_SEED, Score};
use ganvas::quant::Storage;
use ganvas::train::{Recipe, Stats, StepStats, Trainer};
use ganvas::{Generator, Preset, weights};

/// Steps `conv-conditional` trains in a minute in the page on this 2-core machine at its
/// measured ~20 steps/s (BENCHMARKS.md, "Convolutional nets").
const STEPS_IN_60_S: u64 = 1200;

fn judge() -> (Judge, Reference) {
    load_judge(
        &std::fs::read(common::root().join("weights/judge.ganvas")).unwrap(),
        &common::cpu(),
    )
    .unwrap()
}

fn score(judge: &(Judge, Reference), g: &Generator) -> Score {
    judge
        .0
        .judge(g.sample(SCORE_N, SCORE_SEED))
        .unwrap()
        .score(&judge.1.test)
}

fn trainer(preset: Preset, seed: u64) -> Trainer {
    Trainer::new(preset.config(), Recipe::Fast.config(), seed, &common::cpu()).unwrap()
}

fn train(t: &mut Trainer, steps: u64) -> Vec<Stats> {
    let data = common::mnist_train();
    let mut stats = Vec::new();
    let end = t.step() + steps;
    while t.step() < end {
        let n = (end - t.step()).min(100);
        stats.extend(StepStats::read_all((0..n).map(|_| t.train_step(data)).collect()).unwrap());
    }
    stats
}

/// The page's run link `#preset=conv-conditional&recipe=fast&backend=cpu`, a minute of it,
/// then its generator exported in 8 and 4 bits.
#[test]
fn conv_conditional_draws_readable_digits_in_a_minute_of_steps_and_exports_in_4_bits() {
    let judge = judge();
    let mut t = trainer(Preset::ConvConditional, 1);
    let stats = train(&mut t, STEPS_IN_60_S);
    assert!(stats.iter().all(Stats::is_finite), "all losses finite");
    let s = score(&judge, t.sampler());
    eprintln!(
        "step {}: digit score {:.2}, Fréchet {:.2}, shares {:?}",
        t.step(),
        s.digit_score,
        s.frechet,
        s.class_shares
    );
    // Noise scores below 2 and real MNIST 9.75; the page's target is 7 within 60 s (the
    // dense tiny-conditional scores ~6 at the same step: BENCHMARKS.md).
    assert!(s.digit_score >= 7.0, "digit score {}", s.digit_score);
    assert!(
        s.class_shares.iter().all(|&c| c >= 0.05),
        "every digit drawn: {:?}",
        s.class_shares
    );

    exports_draw_the_same_digits(&judge, &t);
}

/// Margins of the 8- and 4-bit exports against their float source, for the same latents: the
/// share of samples the judge reads as the same digit, and the mean pixel difference (grey
/// levels of 255). Measured with `conv_export_spread` below over seeds 1–4 of the run above on
/// an AVX-512 machine: int8 at least 0.994 agreeing and at most 0.41 grey, int4 at least 0.976
/// and at most 2.69 grey. The bounds leave 2.2–3× the worst seed's distance from perfect. A
/// digit score compared with the source's (what this test asserted before, within 0.05)
/// depends on where the run ended: int4 lost 0.058 on an AVX2-only CPU, whose matrix kernels
/// round differently and so end the run at other weights.
const EXPORT_MARGINS: [(Storage, f64, f64); 2] =
    [(Storage::Int8, 0.98, 1.0), (Storage::Int4, 0.94, 6.0)];

/// What each export draws against its source: (storage, agreeing share, mean grey levels).
fn export_agreement(judge: &(Judge, Reference), t: &Trainer) -> Vec<(Storage, f64, f64)> {
    let (gan, g) = (&t.gan, t.sampler());
    let reference = judge
        .0
        .judge(g.sample(SCORE_N, SCORE_SEED))
        .unwrap()
        .predictions();
    let pixels = images_to_u8(g.sample(100, SCORE_SEED)).unwrap();
    EXPORT_MARGINS
        .iter()
        .map(|&(storage, _, _)| {
            let bytes = weights::save_generator_as(gan, g, t.step(), 1, storage).unwrap();
            let q = weights::load_generator(&bytes, gan, &common::cpu()).unwrap();
            let read = judge
                .0
                .judge(q.sample(SCORE_N, SCORE_SEED))
                .unwrap()
                .predictions();
            let agreed = read.iter().zip(&reference).filter(|(a, b)| a == b).count();
            let grey =
                common::mean_difference(&images_to_u8(q.sample(100, SCORE_SEED)).unwrap(), &pixels);
            (storage, agreed as f64 / SCORE_N as f64, grey)
        })
        .collect()
}

fn exports_draw_the_same_digits(judge: &(Judge, Reference), t: &Trainer) {
    for ((storage, agreed, grey), (_, least, most)) in
        export_agreement(judge, t).into_iter().zip(EXPORT_MARGINS)
    {
        eprintln!("{storage:?}: the same digit in {agreed:.3}, mean difference {grey:.2} grey");
        assert!(
            agreed >= least,
            "{storage:?}: the judge reads the source's digit in {agreed:.3} of the samples"
        );
        assert!(
            most > grey,
            "{storage:?}: mean pixel difference {grey:.2} grey levels"
        );
    }
}

/// The spread behind `EXPORT_MARGINS`: `cargo test --release --no-default-features --
/// --ignored conv_export_spread --nocapture` (minutes: four runs of 1,200 steps).
#[test]
#[ignore]
fn conv_export_spread() {
    let judge = judge();
    for seed in 1..=4 {
        let mut t = trainer(Preset::ConvConditional, seed);
        train(&mut t, STEPS_IN_60_S);
        for (storage, agreed, grey) in export_agreement(&judge, &t) {
            eprintln!("seed {seed} {storage:?}: the same digit in {agreed:.3}, {grey:.2} grey");
        }
    }
}

#[test]
fn same_seed_same_losses() {
    for preset in [Preset::ConvConditional, Preset::Conv] {
        let run = |seed| train(&mut trainer(preset, seed), 4);
        assert_eq!(run(4), run(4), "{preset:?}");
        assert_ne!(run(4), run(5), "{preset:?}");
    }
}

/// A checkpoint at step 6, loaded, trains on exactly as the unbroken run.
#[test]
fn checkpoint_resume_is_bit_exact() {
    let mut unbroken = trainer(Preset::ConvConditional, 2);
    let mut resumed = trainer(Preset::ConvConditional, 2);
    let first = train(&mut resumed, 6);
    assert_eq!(train(&mut unbroken, 6), first);
    let bytes = weights::save_checkpoint(&resumed).unwrap();
    let mut resumed = weights::load_checkpoint(&bytes, &common::cpu()).unwrap();
    assert_eq!(train(&mut unbroken, 5), train(&mut resumed, 5));
    assert_eq!(
        unbroken.sampler().sample(8, 1).into_data(),
        resumed.sampler().sample(8, 1).into_data()
    );
}

/// A conv generator file opened as a dense preset, or whose header names other conv widths
/// than its tensors have, is refused with the reason.
#[test]
fn bad_conv_files_are_refused_with_the_reason() {
    let device = common::cpu();
    let conv = Preset::Conv.config();
    let g = conv.init_generator(1, &device);
    let bytes = weights::save_generator(&conv, &g, 1, 1).unwrap();
    let e = weights::load_generator(&bytes, &Preset::Tiny.config(), &device)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("these weights are for G 100→7·7·64→14·14·32→784"),
        "{e}"
    );

    // The header says 32 channels where the tensors have 64: refused by the record's shapes.
    let file = weights::WeightsFile::decode(&bytes).unwrap();
    let mut header = file.header.clone();
    header.gan.as_mut().unwrap().g_conv = vec![32, 32];
    let sections: Vec<(String, Vec<u8>)> = header
        .sections
        .iter()
        .map(|(name, _)| (name.clone(), file.section(name).unwrap().to_vec()))
        .collect();
    let lying = weights::WeightsFile::encode(header.clone(), sections);
    let narrower = ganvas::GanConfig::conv(vec![32, 32], vec![32, 64]);
    assert!(weights::load_generator(&lying, &narrower, &device).is_err());

    // A header with three conv layers describes no network ganvas builds.
    header.gan.as_mut().unwrap().g_conv = vec![64, 32, 16];
    let sections = vec![(
        "generator".to_string(),
        file.section("generator").unwrap().to_vec(),
    )];
    let e = weights::load_generator(
        &weights::WeightsFile::encode(header, sections),
        &conv,
        &device,
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("2 convolution layers"), "{e}");
}
