//! The core both the CLI and the page drive: training in chunks, divergence and the last good
//! state, checkpoints, the pretrained-weights policy, scores, and errors with a kind.

use crate::common;

use futures_lite::future::block_on;
use ganvas::backend::Backend;
use ganvas::latent::Point;
use ganvas::session::{Session, Step, View};
use ganvas::train::{DISCRIMINATOR_WARMUP, Recipe};
use ganvas::{Preset, defaults};

fn session(preset: Preset, recipe: Recipe, seed: u64) -> Session {
    let mut s = Session::new(preset, recipe, seed, Backend::CPU, &common::cpu()).unwrap();
    s.set_data(common::mnist_train().clone());
    s
}

/// `steps` steps in chunks of `chunk`, as the page's worker runs them.
fn run(s: &mut Session, steps: u32, chunk: u32) -> Vec<Step> {
    let mut out = Vec::new();
    while out.len() < steps as usize {
        let n = chunk.min(steps - out.len() as u32);
        out.extend(block_on(s.run(n)).unwrap());
    }
    out
}

#[test]
fn training_without_data_is_refused_with_a_state_error() {
    let mut s = Session::new(Preset::Tiny, Recipe::Fast, 0, Backend::CPU, &common::cpu()).unwrap();
    let e = block_on(s.run(1)).unwrap_err();
    assert_eq!(e.kind(), "state", "{e}");
    assert_eq!(s.trainer().step(), 0);
}

#[test]
fn steps_are_numbered_finite_and_the_same_in_any_chunking() {
    let mut a = session(Preset::Tiny, Recipe::Fast, 5);
    let mut b = session(Preset::Tiny, Recipe::Fast, 5);
    let ones = run(&mut a, 24, 1);
    let tens = run(&mut b, 24, 10);
    assert_eq!(
        ones.iter().map(|s| s.step).collect::<Vec<_>>(),
        (1..=24).collect::<Vec<_>>()
    );
    assert!(ones.iter().all(|s| s.stats.is_finite()));
    assert_eq!(ones, tens);
}

#[test]
fn a_divergence_stops_training_and_restore_goes_back_to_the_last_good_state() {
    let mut s = session(Preset::Tiny, Recipe::Fast, 2);
    run(&mut s, 120, 10);
    // Snapshots are taken every SNAPSHOT_EVERY steps and kept once their chunk read back finite.
    assert_eq!(s.last_good_step(), Some(defaults::SNAPSHOT_EVERY));
    assert_eq!(s.diverged_at(), None);

    s.poison();
    let bad = block_on(s.run(5)).unwrap();
    assert!(bad.iter().all(|st| !st.stats.is_finite()));
    assert_eq!(s.diverged_at(), Some(121));
    let e = block_on(s.run(1)).unwrap_err();
    assert_eq!(e.kind(), "diverged", "{e}");

    assert_eq!(s.restore().unwrap(), defaults::SNAPSHOT_EVERY);
    assert_eq!(s.diverged_at(), None);
    assert!(run(&mut s, 10, 10).iter().all(|st| st.stats.is_finite()));
}

#[test]
fn restore_without_a_good_state_is_a_state_error() {
    let mut s = session(Preset::Tiny, Recipe::Fast, 2);
    assert_eq!(s.restore().unwrap_err().kind(), "state");
}

#[test]
fn a_checkpoint_resumes_bit_exact_and_a_bad_one_changes_nothing() {
    let mut a = session(Preset::Conditional, Recipe::Fast, 3);
    run(&mut a, 30, 10);
    let bytes = block_on(a.checkpoint()).unwrap();

    let mut b = session(Preset::Tiny, Recipe::Classic, 99);
    b.load_checkpoint(&bytes).unwrap();
    assert_eq!(b.preset(), Some(Preset::Conditional));
    assert_eq!(b.trainer().step(), 30);
    assert_eq!(run(&mut a, 5, 5), run(&mut b, 5, 5));

    let e = b.load_checkpoint(&bytes[..bytes.len() / 2]).unwrap_err();
    assert_eq!(e.kind(), "weights", "{e}");
    assert_eq!(
        b.trainer().step(),
        35,
        "a bad file leaves the run as it was"
    );
}

#[test]
fn pretrained_weights_train_on_behind_a_held_generator_and_a_moving_average() {
    let bytes = std::fs::read(common::root().join("weights/standard.ganvas")).unwrap();
    let file = ganvas::weights::WeightsFile::decode(&bytes).unwrap();
    let mut s = session(Preset::Standard, Recipe::Classic, 0);
    s.load_weights(&bytes).unwrap();
    assert_eq!(s.trainer().step(), file.header.step);
    assert_eq!(s.trainer().generator_hold(), DISCRIMINATOR_WARMUP);
    assert_eq!(s.trainer().config.ema, defaults::LOADED_EMA);
    assert_eq!(s.view(), View::Average);
    let before = block_on(s.generate(&s.latents(4, 1))).unwrap();
    run(&mut s, 3, 3);
    assert_eq!(s.trainer().generator_hold(), DISCRIMINATOR_WARMUP - 3);
    // G is held, so the digits are those of the loaded weights.
    assert_eq!(block_on(s.generate(&s.latents(4, 1))).unwrap(), before);

    let mut tiny = session(Preset::Tiny, Recipe::Classic, 0);
    let e = tiny.load_weights(&bytes).unwrap_err();
    assert_eq!(e.kind(), "weights", "{e}");
    assert_eq!(tiny.trainer().step(), 0);
}

#[test]
fn scores_judge_the_shown_generator_and_bad_requests_say_why() {
    let mut s = session(Preset::Conditional, Recipe::Fast, 4);
    assert_eq!(block_on(s.score(50)).unwrap_err().kind(), "state");
    s.load_judge(&std::fs::read(common::root().join("weights/judge.ganvas")).unwrap())
        .unwrap();
    run(&mut s, 20, 10);
    let average = block_on(s.score(50)).unwrap();
    assert_eq!(
        (average.step, average.view, average.score.n),
        (20, View::Average, 50)
    );
    s.set_live(true);
    let live = block_on(s.score(50)).unwrap();
    assert_eq!(live.view, View::Live);
    assert_ne!(live.score.digit_score, average.score.digit_score);
    assert_eq!(block_on(s.score(1)).unwrap_err().kind(), "config");
    assert_eq!(
        block_on(s.generate(&[0.0; 7])).unwrap_err().kind(),
        "config"
    );
    let digits = block_on(s.generate(&s.latents(3, 0))).unwrap();
    assert_eq!(digits.len(), 3 * ganvas::IMAGE_PIXELS);
}

#[test]
fn a_run_moved_to_another_device_goes_on_as_if_unbroken_with_its_judge_and_last_good_state() {
    let mut a = session(Preset::Tiny, Recipe::Fast, 4);
    let mut b = session(Preset::Tiny, Recipe::Fast, 4);
    let judge = std::fs::read(common::root().join("weights/judge.ganvas")).unwrap();
    b.load_judge(&judge).unwrap();
    run(&mut a, 25, 25);
    run(&mut b, 25, 25);
    // A second CPU device (what "auto" does between the CPU and WebGPU in the browser).
    let other = Backend::CPU.cpu_device().unwrap();
    block_on(b.move_to(Backend::CPU, &other)).unwrap();
    assert_eq!(
        b.last_good_step(),
        Some(0),
        "the last good state moved along"
    );
    assert_eq!(run(&mut a, 5, 5), run(&mut b, 5, 5));
    let scored = block_on(b.score(50)).unwrap();
    assert!(
        scored.score.digit_score.is_finite(),
        "the judge moved along"
    );
}

#[test]
fn training_speed_is_measured_with_the_first_step_apart() {
    let s = session(Preset::Tiny, Recipe::Fast, 0);
    let t = s.trainer();
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    // A budget of several steps even on a busy machine (a tiny step took 53 ms while the other
    // tests of the binary ran beside it; 6 ms alone), so that the burst doubles at least once.
    let speed = block_on(ganvas::speed::measure(
        &t.gan,
        &t.config,
        &common::cpu(),
        400.0,
        now,
    ))
    .unwrap();
    assert!(
        speed.steps >= 2 && speed.steps.is_power_of_two(),
        "{speed:?}"
    );
    assert!(
        speed.steps_per_second > 0.0 && speed.first_step_ms > 0.0,
        "{speed:?}"
    );
    // The burst lasted at least the budget: its rate times the budget covers its steps.
    assert!(
        speed.steps as f64 / speed.steps_per_second * 1000.0 >= 400.0,
        "{speed:?}"
    );
}

#[test]
fn d_gives_each_digit_a_probability_of_its_pack_and_bad_requests_say_why() {
    let data = common::mnist_train();
    let real = &data.images()[..4 * 784];
    // Standard D judges pairs: the two digits of a pair share one probability.
    let s = session(Preset::Standard, Recipe::Classic, 1);
    let p = block_on(s.discriminate(real, &[])).unwrap();
    assert_eq!(p.len(), 4);
    assert!(p.iter().all(|p| (0.0..=1.0).contains(p)), "{p:?}");
    assert_eq!((p[0], p[2]), (p[1], p[3]));
    let e = block_on(s.discriminate(&real[..3 * 784], &[])).unwrap_err();
    assert_eq!(e.kind(), "config", "{e}");
    // A conditional D needs each digit's label; with them it learns to tell real from fake.
    let mut c = session(Preset::Conditional, Recipe::Fast, 1);
    let e = block_on(c.discriminate(real, &[])).unwrap_err();
    assert!(e.to_string().contains("label"), "{e}");
    run(&mut c, 200, 50);
    let labels: Vec<u8> = (0..64).map(|i| data.label(i)).collect();
    let real_p = block_on(c.discriminate(&data.images()[..64 * 784], &labels)).unwrap();
    let fake = block_on(c.generate(&c.latents(64, 3))).unwrap();
    let fake_labels: Vec<u8> = (0..64).map(|i| (i % 10) as u8).collect();
    let fake_p = block_on(c.discriminate(&fake, &fake_labels)).unwrap();
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(
        mean(&real_p) > mean(&fake_p),
        "{} vs {}",
        mean(&real_p),
        mean(&fake_p)
    );
}

#[test]
fn the_generators_inputs_are_built_here_grid_digit_morph_and_d_view() {
    let s = session(Preset::TinyConditional, Recipe::Fast, 2);
    let latent = s.trainer().gan.latent;
    // The page's grid: rows that read 0–9; a picked digit keeps every cell's z.
    let all = s.grid(None).unwrap();
    assert_eq!(
        (all.cols, all.rows, all.digit),
        (10, defaults::GRID_ROWS, None)
    );
    assert_eq!(all.labels[..12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    let sevens = s.grid(Some(7)).unwrap();
    assert_eq!(sevens.z, all.z);
    assert!(sevens.labels.iter().all(|&l| l == 7));
    assert_eq!(s.grid(Some(10)).unwrap_err().kind(), "config");
    // It draws what `ganvas sample --seed GRID_SEED` draws.
    let n = all.cols * all.rows;
    let grid = block_on(s.generate_labelled(&all.z, &all.labels)).unwrap();
    let sampled = block_on(s.generate(&s.latents(n, defaults::GRID_SEED))).unwrap();
    assert_eq!(grid, sampled);
    // A conditional generator needs a label 0–9 per latent vector.
    for labels in [&[][..], &[10][..], &[1, 2][..]] {
        let e = block_on(s.generate_labelled(&all.z[..latent], labels)).unwrap_err();
        assert_eq!(e.kind(), "config", "{e}");
    }
    // A morph starts and ends at its two digits, and passes others.
    let a = Point {
        z: all.z[..latent].to_vec(),
        label: Some(3),
    };
    let b = Point {
        z: all.z[latent..2 * latent].to_vec(),
        label: Some(8),
    };
    let strip = block_on(s.morph(&a, &b, &[0.0, 0.5, 1.0])).unwrap();
    assert_eq!(
        strip[..784],
        block_on(s.generate_labelled(&a.z, &[3])).unwrap()
    );
    assert_eq!(
        strip[2 * 784..],
        block_on(s.generate_labelled(&b.z, &[8])).unwrap()
    );
    assert!(strip[784..2 * 784] != strip[..784] && strip[784..2 * 784] != strip[2 * 784..]);
    // D's view: fixed real digits with their labels, generated ones asking for 0–7.
    let view = block_on(s.d_view()).unwrap();
    let n = defaults::DVIEW_N;
    assert_eq!(
        (view.real.pixels.len(), view.fake.pixels.len()),
        (n * 784, n * 784)
    );
    assert_eq!(
        view.fake.labels.as_deref(),
        Some(&[0, 1, 2, 3, 4, 5, 6, 7][..])
    );
    let data = common::mnist_train();
    let picked = data.pick(n, defaults::DVIEW_SEED);
    let labels: Vec<u8> = picked.iter().map(|&i| data.label(i)).collect();
    assert_eq!(view.real.labels, Some(labels));
    assert!(
        view.real
            .p
            .iter()
            .chain(&view.fake.p)
            .all(|p| (0.0..=1.0).contains(p))
    );
    assert_eq!(
        block_on(s.d_view()).unwrap().fake.p,
        view.fake.p,
        "the same digits each time"
    );
    // Unconditional: no labels anywhere.
    let u = session(Preset::Tiny, Recipe::Fast, 2);
    assert!(u.grid(None).unwrap().labels.is_empty());
    assert_eq!(u.grid(Some(1)).unwrap_err().kind(), "config");
    assert_eq!(block_on(u.d_view()).unwrap().fake.labels, None);
}
