//! Weights files round-trip exactly, and every kind of bad file is refused with a reason while
//! the model in memory stays as it was.

mod common;

use burn::prelude::*;
use ganvas::{Generator, Preset, weights};

fn samples(g: &Generator) -> TensorData {
    g.sample(16, 42).into_data()
}

fn saved(preset: Preset, seed: u64) -> (Generator, Vec<u8>) {
    let config = preset.config();
    let g = config.init_generator(seed, &common::cpu());
    let bytes = weights::save_generator(&config, &g, 123, seed).unwrap();
    (g, bytes)
}

#[test]
fn save_load_sample_is_bit_identical() {
    for preset in Preset::ALL {
        let (g, bytes) = saved(preset, 11);
        let loaded = weights::load_generator(&bytes, &preset.config(), &common::cpu()).unwrap();
        assert_eq!(samples(&g), samples(&loaded), "{preset:?}");
        let header = weights::WeightsFile::decode(&bytes).unwrap().header;
        assert_eq!((header.step, header.seed), (123, 11));
    }
}

/// Loads `bytes` into the tiny model, expects an error containing `why`, and checks that the
/// model in memory still produces exactly what it did.
fn refused(bytes: &[u8], why: &str) {
    let config = Preset::Tiny.config();
    let model = config.init_generator(5, &common::cpu());
    let before = samples(&model);
    let e = weights::load_generator(bytes, &config, &common::cpu()).expect_err("refused");
    assert!(e.to_string().contains(why), "{e} should mention {why:?}");
    assert_eq!(
        samples(&model),
        before,
        "model unchanged after a failed load"
    );
}

#[test]
fn other_preset_is_refused() {
    let (_, standard) = saved(Preset::Standard, 1);
    refused(&standard, "are for G 100→256→512→1024→784");
}

#[test]
fn truncated_file_is_refused() {
    let (_, bytes) = saved(Preset::Tiny, 1);
    for cut in [bytes.len() - 1, bytes.len() / 2, 40, 10] {
        refused(&bytes[..cut], "truncated");
    }
}

#[test]
fn random_and_empty_bytes_are_refused() {
    let noise: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    refused(&noise, "not a ganvas weights file");
    refused(&[], "empty");
    refused(b"\x89GANVAS\n\x05\x00\x00\x00{oops", "header");
}

#[test]
fn corrupted_byte_is_caught_by_checksum() {
    let (_, mut bytes) = saved(Preset::Tiny, 1);
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    refused(&bytes, "checksum");
    let (_, mut longer) = saved(Preset::Tiny, 1);
    longer.push(0);
    refused(&longer, "unexpected bytes");
}

#[test]
fn checkpoint_is_refused_by_shape_and_generator_file_cannot_resume() {
    let (_, bytes) = saved(Preset::Tiny, 1);
    let e = weights::load_checkpoint(&bytes, &common::cpu())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("generator-only"), "{e}");
}

#[test]
fn f16_file_is_half_the_size_and_draws_the_same_digits() {
    let config = Preset::Standard.config();
    let device = common::cpu();
    let g = config.init_generator(3, &device);
    let full = weights::save_generator(&config, &g, 1, 3).unwrap();
    let half = weights::save_generator_as(&config, &g, 1, 3, burn::tensor::DType::F16).unwrap();
    assert!(
        (half.len() as f64) < 0.51 * full.len() as f64,
        "{} vs {}",
        half.len(),
        full.len()
    );
    let loaded = weights::load_generator(&half, &config, &device).unwrap();
    // Loaded as f32, and the same digits to within a grey level or two.
    let a = ganvas::latent::images_to_u8(g.sample(64, 1)).unwrap();
    let b = ganvas::latent::images_to_u8(loaded.sample(64, 1)).unwrap();
    let worst = a.iter().zip(&b).map(|(x, y)| x.abs_diff(*y)).max().unwrap();
    assert!(worst <= 2, "largest pixel difference {worst}");
    let again = weights::load_generator(&half, &config, &device).unwrap();
    assert_eq!(samples(&loaded), samples(&again));
}
