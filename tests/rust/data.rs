//! The IDX reader accepts the official files and rejects everything else with a reason.

use crate::common;

use ganvas::data::Mnist;

fn idx_images(n: u32, rows: u32, cols: u32, pixels: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for x in [0x0803u32, n, rows, cols] {
        v.extend_from_slice(&x.to_be_bytes());
    }
    v.extend(std::iter::repeat_n(7u8, pixels));
    v
}

fn idx_labels(labels: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0x0801u32.to_be_bytes());
    v.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    v.extend_from_slice(labels);
    v
}

fn err(images: &[u8], labels: &[u8]) -> String {
    match Mnist::from_idx(images, labels) {
        Ok(_) => panic!("accepted bad data"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn small_valid_idx_round_trips() {
    let m = Mnist::from_idx(&idx_images(2, 28, 28, 2 * 784), &idx_labels(&[3, 9])).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m.label(1), 9);
    assert_eq!(m.image(0), &[7u8; 784][..]);
    let mut bundle = idx_images(2, 28, 28, 2 * 784);
    bundle.extend(idx_labels(&[3, 9]));
    assert_eq!(Mnist::from_bundle(&bundle).unwrap().labels(), &[3, 9]);
}

#[test]
fn bad_magic_is_rejected() {
    let mut images = idx_images(1, 28, 28, 784);
    images[3] = 0x01;
    assert!(err(&images, &idx_labels(&[1])).contains("magic number is 0x00000801"));
    // Labels where images should be, and random bytes.
    assert!(err(&idx_labels(&[1]), &idx_labels(&[1])).contains("magic"));
    assert!(err(b"PK\x03\x04 not idx at all", &idx_labels(&[1])).contains("magic"));
    assert!(
        err(&idx_images(1, 28, 28, 784), &idx_images(1, 28, 28, 784)).contains("labels: magic")
    );
}

#[test]
fn wrong_sizes_are_rejected() {
    let labels = idx_labels(&[1, 2]);
    assert!(err(&idx_images(2, 28, 28, 784), &labels).contains("truncated"));
    assert!(err(&idx_images(2, 32, 32, 2 * 1024), &labels).contains("32×32"));
    assert!(
        err(&idx_images(2, 28, 28, 2 * 784), &idx_labels(&[1])).contains("2 images but 1 labels")
    );
    assert!(err(&idx_images(1, 28, 28, 784), &idx_labels(&[12])).contains("label 12"));
    assert!(err(&idx_images(0, 28, 28, 0), &idx_labels(&[])).contains("no images"));
    assert!(err(&[0, 0, 8], &labels).contains("header"));
    let mut bundle = idx_images(1, 28, 28, 784);
    bundle.extend(idx_labels(&[4]));
    bundle.push(0);
    assert!(
        Mnist::from_bundle(&bundle)
            .unwrap_err()
            .to_string()
            .contains("unexpected bytes")
    );
}

#[test]
fn corrupt_gzip_file_is_rejected() {
    let path = std::env::temp_dir().join(format!("ganvas-bad-{}.gz", std::process::id()));
    std::fs::write(&path, b"\x1f\x8b\x08\x00 this is not deflate").unwrap();
    let e = Mnist::load_gz(&path).expect_err("rejected").to_string();
    std::fs::remove_file(&path).ok();
    assert!(e.contains("not a valid gzip file"), "{e}");
    let missing = Mnist::load_gz("/nonexistent/mnist.gz")
        .err()
        .unwrap()
        .to_string();
    assert!(missing.contains("pkg-scripts/data"), "{missing}");
}

#[test]
fn real_mnist_loads_with_known_statistics() {
    let train = common::mnist_train();
    assert_eq!(train.len(), 60_000);
    // Official first training label is 5; mean pixel of MNIST train is 0.1307.
    assert_eq!(train.label(0), 5);
    assert!(
        (train.mean_ink() - 0.1307).abs() < 0.001,
        "{}",
        train.mean_ink()
    );
    let test = Mnist::load_gz(common::root().join("www/data/mnist-test.gz")).unwrap();
    assert_eq!(test.len(), 10_000);
    assert_eq!(test.label(0), 7);
}
