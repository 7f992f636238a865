//! Weights files round-trip exactly, and every kind of bad file is refused with a reason while
//! the model in memory stays as it was.

use crate::common;

use burn::prelude::*;
use ganvas::quant::Storage;
use ganvas::{Generator, Preset, latent, weights};

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
    let half = weights::save_generator_as(&config, &g, 1, 3, Storage::F16).unwrap();
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

/// The pretrained generator (its f16 source, weights/standard-f16.ganvas) stored in 8 and 4
/// bits: a quarter and about a seventh of the f32 bytes, and the judge reads the same digit
/// from (almost) every sample as from the f16 file.
#[test]
fn quantized_generators_draw_the_digits_of_the_shipped_one() {
    let root = common::root();
    let device = common::cpu();
    let config = Preset::Standard.config();
    let source = std::fs::read(root.join("weights/standard-f16.ganvas")).unwrap();
    let g = weights::load_generator(&source, &config, &device).unwrap();
    let (judge, _) = ganvas::judge::load_judge(
        &std::fs::read(root.join("weights/judge.ganvas")).unwrap(),
        &device,
    )
    .unwrap();
    let f32_bytes = weights::save_generator(&config, &g, 1, 1).unwrap().len();
    let reference = judge.judge(g.sample(500, 7)).unwrap().predictions();
    let pixels = latent::images_to_u8(g.sample(100, 7)).unwrap();
    for (storage, size, agree, grey) in [
        (Storage::Int8, 0.26, 0.98, 2.0),
        (Storage::Int4, 0.16, 0.95, 8.0),
    ] {
        let bytes = weights::save_generator_as(&config, &g, 1, 1, storage).unwrap();
        let ratio = bytes.len() as f64 / f32_bytes as f64;
        assert!(ratio < size, "{storage:?}: {ratio:.3} of the f32 file");
        let q = weights::load_generator(&bytes, &config, &device).unwrap();
        let same = judge.judge(q.sample(500, 7)).unwrap().predictions();
        let agreed = same.iter().zip(&reference).filter(|(a, b)| a == b).count();
        assert!(
            agreed as f64 >= agree * 500.0,
            "{storage:?}: the judge reads the same digit in {agreed} of 500"
        );
        let mean =
            common::mean_difference(&latent::images_to_u8(q.sample(100, 7)).unwrap(), &pixels);
        assert!(
            mean < grey,
            "{storage:?}: mean pixel difference {mean:.2} grey levels"
        );
        // Saved and loaded again: the same digits, bit for bit.
        let again = weights::load_generator(&bytes, &config, &device).unwrap();
        assert_eq!(samples(&q), samples(&again));
    }
}

/// A quantized section whose tensors do not fit the network its header names is refused with
/// the shapes, and nothing is built.
#[test]
fn quantized_section_of_another_shape_is_refused() {
    let tiny = Preset::Tiny.config();
    let g = tiny.init_generator(1, &common::cpu());
    let bytes = weights::save_generator_as(&tiny, &g, 1, 1, Storage::Int8).unwrap();
    let file = weights::WeightsFile::decode(&bytes).unwrap();
    let mut header = file.header.clone();
    let (name, len) = header.sections[0].clone();
    header.gan.as_mut().unwrap().g_hidden = vec![128];
    let section = bytes[bytes.len() - 4 - len as usize..bytes.len() - 4].to_vec();
    let lying = weights::WeightsFile::encode(header, vec![(name, section)]);
    let mut narrower = tiny.clone();
    narrower.g_hidden = vec![128];
    let e = weights::load_generator(&lying, &narrower, &common::cpu())
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("has shape [100, 256], the network needs [100, 128]"),
        "{e}"
    );
}
