//! Fuzzing the parsers of user files, with proptest: MNIST IDX bundles, and `.ganvas` files
//! (generator in f32, 8 and 4 bits, checkpoint, judge) through every loader the page and the CLI call. Inputs are
//! valid files with random edits — bit flips, cuts, insertions, overwritten words, and header
//! JSON values swapped for hostile ones with the checksum fixed so that the edit gets past it —
//! plus pure noise. Each must load or give an error; any panic fails, even one a loader
//! catches (in wasm a panic aborts, so a caught one natively is a crash in the browser).

use crate::common;

use ganvas::data::Mnist;
use ganvas::judge;
use ganvas::model::{GanConfig, IMAGE_PIXELS, Preset};
use ganvas::quant::Storage;
use ganvas::train::{TrainConfig, Trainer};
use ganvas::weights::{self, WeightsFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Panics seen anywhere in this test binary, caught or not.
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Word(usize, u32),
    Remove(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let word = prop_oneof![
        Just(0u32),
        Just(1),
        Just(u32::MAX),
        Just(0x0803),
        Just(0x0801),
        Just(28),
        any::<u32>()
    ];
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(i, b)| Edit::Flip(i, b)),
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, v)| Edit::Insert(i, v)),
        (any::<usize>(), word).prop_map(|(i, w)| Edit::Word(i, w)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Remove(i, n)),
    ]
}

/// Applies an edit; half of the positions fall in the first `head` bytes, where the headers are.
fn apply(bytes: &mut Vec<u8>, edit: &Edit, head: usize) {
    let at = |i: usize, len: usize| {
        let span = if i.is_multiple_of(2) {
            head.min(len)
        } else {
            len
        };
        if span == 0 { 0 } else { (i / 2) % span }
    };
    let len = bytes.len();
    match edit {
        Edit::Flip(i, bit) if len > 0 => {
            let p = at(*i, len);
            bytes[p] ^= 1 << bit;
        }
        Edit::Cut(i) => bytes.truncate(at(*i, len + 1)),
        Edit::Insert(i, v) => {
            let p = at(*i, len + 1);
            bytes.splice(p..p, v.iter().copied());
        }
        Edit::Word(i, w) if len >= 4 => {
            // Big-endian words at 4-byte boundaries: IDX counts and sizes.
            let p = (at(*i, len - 3) / 4) * 4;
            bytes[p..p + 4].copy_from_slice(&w.to_be_bytes());
        }
        Edit::Remove(i, n) if len > 0 => {
            let p = at(*i, len);
            bytes.drain(p..(p + n).min(len));
        }
        _ => {}
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// A small bundle of real digits: images IDX then labels IDX.
fn idx_bundle(n: usize) -> Vec<u8> {
    let data = common::mnist_train();
    let mut out = Vec::new();
    for v in [0x0803u32, n as u32, 28, 28] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&data.images()[..n * IMAGE_PIXELS]);
    for v in [0x0801u32, n as u32] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&data.labels()[..n]);
    out
}

#[test]
fn idx_parser_refuses_edited_and_random_bundles_without_panicking() {
    count_panics();
    let valid = idx_bundle(3);
    assert_eq!(Mnist::from_bundle(&valid).unwrap().len(), 3);
    let tried = AtomicUsize::new(0);
    let inputs = prop_oneof![
        3 => prop::collection::vec(edit(), 1..5).prop_map({
            let valid = valid.clone();
            move |edits| {
                let mut b = valid.clone();
                for e in &edits { apply(&mut b, e, 24); }
                b
            }
        }),
        1 => prop::collection::vec(any::<u8>(), 0..4000),
    ];
    runner(100_000)
        .run(&inputs, |bytes| {
            tried.fetch_add(1, Ordering::Relaxed);
            if let Ok(data) = Mnist::from_bundle(&bytes) {
                prop_assert!(!data.is_empty() && data.images().len() == data.len() * IMAGE_PIXELS);
                prop_assert!(data.labels().iter().all(|&l| l <= 9));
            }
            let split = bytes.len() / 2;
            let _ = Mnist::from_idx(&bytes[..split], &bytes[split..]);
            Ok(())
        })
        .unwrap();
    println!("fuzzed the IDX parser with {} inputs", tried.into_inner());
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a parser panicked");
}

/// Every loader a weights file can meet; errors are fine, panics are not. Returns how the
/// checkpoint loader answered (for a generator file, the generator loader: the quantized reader),
/// the deepest path, to show how far the inputs reached.
fn load_everything(bytes: &[u8], gan: &GanConfig) -> String {
    let device = common::cpu();
    if let Ok(file) = WeightsFile::decode(bytes)
        && let Ok(gan) = file.gan()
    {
        let _ = Preset::of(gan);
    }
    let generator = weights::load_generator(bytes, gan, &device);
    if let Ok(g) = &generator {
        // What loaded must run: a sample of the right size.
        assert_eq!(g.sample(2, 0).dims(), [2, IMAGE_PIXELS]);
    }
    let judged = judge::load_judge(bytes, &device).is_ok();
    let only_generator = |e: &ganvas::Error| e.to_string().contains("generator-only");
    match (weights::load_checkpoint(bytes, &device), generator) {
        (Ok(_), _) => "checkpoint loaded".into(),
        (Err(_), _) if judged => "judge loaded".into(),
        (Err(e), Ok(_)) if only_generator(&e) => "generator loaded".into(),
        // A generator file: how its own loader answered (the quantized reader's errors).
        (Err(e), Err(g)) if only_generator(&e) => summary(&g),
        (Err(e), _) => summary(&e),
    }
}

/// An error without its numbers or details: "bad weights file: the file is truncated…".
fn summary(e: &ganvas::Error) -> String {
    e.to_string()
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(56)
        .collect()
}

/// The file with one header value (a number or a string of its JSON) replaced, and its
/// length and checksum rewritten so that the change reaches the loaders.
fn swap_header_value(valid: &[u8], which: usize, replacement: &str) -> Vec<u8> {
    let len = u32::from_le_bytes(valid[8..12].try_into().unwrap()) as usize;
    let json = std::str::from_utf8(&valid[12..12 + len]).unwrap();
    // Token spans of numbers and strings.
    let mut spans = Vec::new();
    let b = json.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            spans.push(start..i + 1);
        } else if b[i] == b'-' || b[i].is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i] == b'-' || b[i] == b'.' || b[i] == b'e' || b[i].is_ascii_digit())
            {
                i += 1;
            }
            spans.push(start..i);
            continue;
        }
        i += 1;
    }
    let span = spans[which % spans.len()].clone();
    let new_json = format!(
        "{}{}{}",
        &json[..span.start],
        replacement,
        &json[span.end..]
    );
    let mut out = valid[..8].to_vec();
    out.extend_from_slice(&(new_json.len() as u32).to_le_bytes());
    out.extend_from_slice(new_json.as_bytes());
    out.extend_from_slice(&valid[12 + len..valid.len() - 4]);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn fix_crc(bytes: &mut [u8]) {
    if bytes.len() >= 4 {
        let n = bytes.len() - 4;
        let crc = crc32fast::hash(&bytes[..n]);
        bytes[n..].copy_from_slice(&crc.to_le_bytes());
    }
}

#[test]
fn weights_loaders_refuse_edited_and_random_files_without_panicking() {
    count_panics();
    let device = common::cpu();
    // A small GAN keeps each case cheap; the parsers and loaders are the page's own.
    let gan = GanConfig {
        latent: 8,
        ..GanConfig::new(vec![16], vec![16])
    };
    let mut trainer = Trainer::new(gan.clone(), TrainConfig::default(), 1, &device).unwrap();
    let _ = trainer.train_step(common::mnist_train());
    let generator = weights::save_generator(&gan, trainer.generator(), 1, 1).unwrap();
    let checkpoint = weights::save_checkpoint(&trainer).unwrap();
    let judge = std::fs::read(common::root().join("weights/judge.ganvas")).unwrap();
    // Generators in 8 and 4 bits: edits with the checksum fixed reach the quantized reader.
    let [int8, int4] = [Storage::Int8, Storage::Int4]
        .map(|s| weights::save_generator_as(&gan, trainer.generator(), 1, 1, s).unwrap());
    let files = [generator, checkpoint, judge, int8, int4];
    for f in &files[1..3] {
        assert!(load_everything(f, &gan).ends_with("loaded")); // the valid ones load
    }
    for f in &files[3..] {
        assert!(weights::load_generator(f, &gan, &device).is_ok());
    }
    let values = [
        "0",
        "1",
        "-1",
        "3",
        "17",
        "16384",
        "99999999",
        "4294967296",
        "18446744073709551615",
        "1e308",
        "0.5",
        "null",
        "\"\"",
        "\"generator\"",
        "\"checkpoint\"",
        "\"judge\"",
        "\"adam-g-m1\"",
        "\"ema\"",
        "[]",
        "{}",
        "[1,2]",
    ];
    let tried = AtomicUsize::new(0);
    let outcomes = std::sync::Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let inputs = prop_oneof![
        // Byte edits, checksum fixed half of the time (else the checksum catches them).
        4 => (0..files.len(), prop::collection::vec(edit(), 1..4), any::<bool>()).prop_map({
            let files = files.clone();
            move |(f, edits, fix)| {
                let mut b = files[f].clone();
                let head = 12 + u32::from_le_bytes(b[8..12].try_into().unwrap()) as usize;
                for e in &edits { apply(&mut b, e, head); }
                if fix { fix_crc(&mut b); }
                b
            }
        }),
        // A header value replaced by a hostile one, consistently re-sealed.
        4 => (0..files.len(), any::<usize>(), 0..values.len()).prop_map({
            let files = files.clone();
            move |(f, which, v)| swap_header_value(&files[f], which, values[v])
        }),
        1 => prop::collection::vec(any::<u8>(), 0..2000),
    ];
    runner(20_000)
        .run(&inputs, |bytes| {
            tried.fetch_add(1, Ordering::Relaxed);
            *outcomes
                .lock()
                .unwrap()
                .entry(load_everything(&bytes, &gan))
                .or_default() += 1;
            if PANICS.load(Ordering::SeqCst) > 0 {
                return Err(TestCaseError::fail("a loader panicked"));
            }
            Ok(())
        })
        .unwrap();
    println!(
        "fuzzed the weights loaders with {} inputs",
        tried.into_inner()
    );
    for (outcome, n) in outcomes.into_inner().unwrap() {
        println!("  {n:6}  {outcome}");
    }
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a loader panicked");
}
