//! Own training data (src/dataset.rs) on data this test makes itself, not MNIST: circles,
//! squares and triangles drawn in dark ink on white at random sizes and places, written as a
//! folder of PNGs (a subfolder per class) and as IDX files. They load with their classes, each
//! bad input is refused with its reason, and a conditional net trained on them draws each
//! class it is asked for.

use crate::common;

use crate::common::{SHAPES, save_png, shape, shapes, tempdir, write_folder};
use futures_lite::future::block_on;
use ganvas::dataset::{self, Dataset};
use ganvas::defaults;
use ganvas::normalise::Grey;
use ganvas::session::Session;
use ganvas::train::{Recipe, Trainer};
use ganvas::{IMAGE_PIXELS, Preset};
use rand::{SeedableRng, rngs::StdRng};
use std::io::Write;
use std::path::Path;

fn idx_images(images: &[Vec<u8>], side: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [0x0803, images.len() as u32, side as u32, side as u32] {
        out.extend_from_slice(&u32::to_be_bytes(v));
    }
    images.iter().for_each(|i| out.extend_from_slice(i));
    out
}

fn idx_labels(labels: &[u8]) -> Vec<u8> {
    let mut out = [0x0801u32, labels.len() as u32]
        .map(u32::to_be_bytes)
        .concat();
    out.extend_from_slice(labels);
    out
}

fn gzip(path: &Path, bytes: &[u8]) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap();
}

fn error(path: &Path) -> String {
    dataset::load(path)
        .map(|d| d.describe())
        .unwrap_err()
        .to_string()
}

#[test]
fn a_folder_of_pngs_loads_with_its_subfolders_as_classes_inverted_and_counted() {
    let dir = tempdir("folder");
    write_folder(&dir, &shapes(20, 64, 1), 64);
    std::fs::write(dir.join("circle/notes.txt"), "not an image, passed over").unwrap();
    let d = dataset::load(&dir).unwrap();
    assert_eq!(d.classes, SHAPES);
    assert_eq!(d.report.per_class, [20, 20, 20]);
    assert_eq!(d.report.inverted, 60, "dark ink on white, every one");
    assert_eq!(d.data.len(), 60);
    assert_eq!(
        d.describe(),
        "60 images in 3 classes (circle 20, square 20, triangle 20); 60 inverted (dark ink on a light background)"
    );
    // MNIST's shape: ink light on black, the background 0, the ink's box 20 pixels on its
    // longer side (squares and circles: both).
    for i in 0..d.data.len() {
        let img = d.data.image(i);
        assert_eq!((img[0], img[IMAGE_PIXELS - 1]), (0, 0));
        assert!(img.iter().any(|&p| p > 200), "image {i} has ink");
    }
    // Without subfolders: one set without classes.
    let flat = tempdir("flat");
    for (i, (_, px)) in shapes(6, 40, 2).iter().enumerate() {
        save_png(&flat.join(format!("{i}.png")), 40, px);
    }
    let d = dataset::load(&flat).unwrap();
    assert!(!d.has_classes());
    assert_eq!(
        d.describe(),
        "18 images without classes; 18 inverted (dark ink on a light background)"
    );
}

#[test]
fn an_idx_gz_with_its_labels_beside_it_loads_as_fashion_mnist_is_distributed() {
    let dir = tempdir("idx");
    let set = shapes(10, 28, 3);
    let (labels, images): (Vec<u8>, Vec<Vec<u8>>) =
        set.into_iter().map(|(c, p)| (c as u8 + 4, p)).unzip();
    // 28×28: taken as is (these files are made MNIST's way already), classes from the labels.
    gzip(
        &dir.join("train-images-idx3-ubyte.gz"),
        &idx_images(&images, 28),
    );
    gzip(
        &dir.join("train-labels-idx1-ubyte.gz"),
        &idx_labels(&labels),
    );
    let d = dataset::load(&dir.join("train-images-idx3-ubyte.gz")).unwrap();
    assert_eq!(d.classes, ["4", "5", "6"]);
    assert_eq!(d.report.per_class, [10, 10, 10]);
    assert_eq!((d.report.inverted, d.report.resized_from), (0, None));
    assert_eq!(d.data.image(0), &images[0][..]);
    assert_eq!(&d.data.labels()[..3], &[0, 1, 2]);
    // Another size: fitted like any image, and said.
    std::fs::write(
        dir.join("big-images-idx3-ubyte"),
        idx_images(
            &shapes(10, 40, 4)
                .into_iter()
                .map(|(_, p)| p)
                .collect::<Vec<_>>(),
            40,
        ),
    )
    .unwrap();
    let d = dataset::load(&dir.join("big-images-idx3-ubyte")).unwrap();
    assert_eq!(d.report.resized_from, Some((40, 40)));
    assert!(!d.has_classes(), "no labels file beside it");
    assert!(
        d.describe().contains("fitted from 40×40 to 28×28"),
        "{}",
        d.describe()
    );
}

#[test]
fn bad_input_is_refused_with_the_reason() {
    let dir = tempdir("bad");
    let empty = dir.join("empty");
    std::fs::create_dir_all(empty.join("a")).unwrap();
    assert!(error(&empty).contains("no images"), "{}", error(&empty));

    let one = dir.join("one");
    std::fs::create_dir_all(&one).unwrap();
    save_png(
        &one.join("a.png"),
        28,
        &shape(0, 28, &mut StdRng::seed_from_u64(0)),
    );
    assert!(
        error(&one).contains("1 image: a GAN needs at least 16"),
        "{}",
        error(&one)
    );

    let fake = dir.join("fake");
    write_folder(&fake, &shapes(6, 28, 5), 28);
    std::fs::write(fake.join("square/0001.png"), "this is text, not a PNG").unwrap();
    let e = error(&fake);
    assert!(
        e.contains("square/0001.png") && e.contains("not an image"),
        "{e}"
    );

    let blank = dir.join("blank");
    write_folder(&blank, &shapes(6, 28, 6), 28);
    save_png(&blank.join("circle/0000.png"), 28, &vec![255; 784]);
    assert!(
        error(&blank).contains("circle/0000.png: the image has no ink"),
        "{}",
        error(&blank)
    );

    let many = dir.join("many");
    for c in 0..11 {
        let sub = many.join(format!("class{c:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        for (i, (_, px)) in shapes(1, 28, c).iter().enumerate() {
            save_png(&sub.join(format!("{i}.png")), 28, px);
        }
    }
    // 11 class folders: more than a conditional net draws; said, and the images load without
    // classes (an unconditional net trains on them).
    let d = dataset::load(&many).unwrap();
    assert!(
        !d.has_classes()
            && d.describe()
                .contains("(11 classes: more classes than the 10 a conditional net draws"),
        "{}",
        d.describe()
    );

    let images: Vec<Vec<u8>> = shapes(6, 28, 7).into_iter().map(|(_, p)| p).collect();
    std::fs::write(dir.join("x-images-idx3-ubyte"), idx_images(&images, 28)).unwrap();
    std::fs::write(dir.join("x-labels-idx1-ubyte"), idx_labels(&[0; 17])).unwrap();
    let e = error(&dir.join("x-images-idx3-ubyte"));
    assert!(e.contains("17 labels for 18 images"), "{e}");
    // 11 label values: the labels cannot be classes; said, and the images still load.
    let eleven: Vec<u8> = (0..18).map(|i| (i % 11) as u8).collect();
    std::fs::write(dir.join("x-labels-idx1-ubyte"), idx_labels(&eleven)).unwrap();
    let d = dataset::load(&dir.join("x-images-idx3-ubyte")).unwrap();
    assert!(
        !d.has_classes()
            && d.describe()
                .contains("(11 label values: more classes than the 10 a conditional net draws"),
        "{}",
        d.describe()
    );

    let mut colour = idx_images(&images, 28);
    colour[3] = 0x04;
    std::fs::write(dir.join("c-images-idx3-ubyte"), colour).unwrap();
    assert!(error(&dir.join("c-images-idx3-ubyte")).contains("colour channels"));
    std::fs::write(dir.join("text.idx"), "hello").unwrap();
    assert!(error(&dir.join("text.idx")).contains("neither an IDX images file nor a folder"));

    // A 500 MB file: refused from its size, before a byte is read (a sparse file).
    let huge = dir.join("huge-images-idx3-ubyte");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(500 << 20)
        .unwrap();
    assert!(
        error(&huge).contains("500 MB of files; at most 200 MB"),
        "{}",
        error(&huge)
    );
    assert!(error(&dir.join("nothing-here")).contains("cannot open"));
}

/// Mean image of `n` images (784 bytes each), as floats.
fn mean(images: &[u8]) -> Vec<f32> {
    let n = (images.len() / IMAGE_PIXELS) as f32;
    (0..IMAGE_PIXELS)
        .map(|p| {
            images
                .iter()
                .skip(p)
                .step_by(IMAGE_PIXELS)
                .map(|&v| v as f32)
                .sum::<f32>()
                / n
        })
        .collect()
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f32>()
        .sqrt()
}

#[test]
fn a_conditional_net_trained_on_three_shapes_draws_each_shape_asked_for() {
    let dir = tempdir("learn");
    write_folder(&dir, &shapes(100, 48, 8), 48);
    let set = dataset::load(&dir).unwrap();
    let (data, classes) = (set.data.clone(), set.classes.clone());
    let means: Vec<Vec<f32>> = (0..3)
        .map(|c| {
            let idx: Vec<usize> = (0..data.len())
                .filter(|&i| data.label(i) == c as u8)
                .collect();
            mean(&data.gather(&idx).0)
        })
        .collect();
    let device = common::cpu();
    let trainer = Trainer::new(
        Preset::TinyConditional.config(),
        Recipe::Fast.config(),
        1,
        &device,
    )
    .unwrap();
    let mut session = Session::from_trainer(trainer, ganvas::backend::Backend::CPU, &device);
    session.set_dataset(set).unwrap();
    // The grid and the meter ask for the data's 3 classes, not the net's 10.
    assert_eq!(session.drawn_classes(), 3);
    let grid = session.grid(None).unwrap();
    assert_eq!((grid.cols, &grid.labels[..4]), (9, &[0u8, 1, 2, 0][..]));
    let before = block_on(session.likeness()).unwrap();
    const STEPS: u32 = 600;
    let stats = block_on(session.run(STEPS)).unwrap();
    assert!(stats.iter().all(|s| s.stats.is_finite()));
    // The meter for data the judge does not know: nearer the data than fresh weights were, in
    // reach of the data's own figures, and each class drawn as asked.
    let after = block_on(session.likeness()).unwrap();
    eprintln!("likeness before {before:?}\nafter {after:?}");
    let (s, d) = (&after.samples, &after.data);
    assert!(
        s.frechet < before.samples.frechet / 4.0,
        "{s:?} vs fresh {before:?}"
    );
    assert!(s.frechet < d.frechet + 0.5, "{s:?} vs the data's {d:?}");
    assert!(
        (s.ink - d.ink).abs() < 0.5 * d.ink,
        "{s:?} vs the data's {d:?}"
    );
    assert!(d.class_match.unwrap() > 0.95, "{d:?}");
    assert!(s.class_match.unwrap() > 0.8, "{s:?}");
    let z =
        ganvas::latent::normal_latents(50 * 3, session.trainer().gan.latent, defaults::GRID_SEED);
    let labels: Vec<u8> = (0..150).map(|i| (i / 50) as u8).collect();
    let drawn = block_on(session.generate_labelled(&z, &labels)).unwrap();
    for (c, name) in classes.iter().enumerate() {
        let m = mean(&drawn[c * 50 * IMAGE_PIXELS..(c + 1) * 50 * IMAGE_PIXELS]);
        let d: Vec<f32> = means.iter().map(|r| distance(&m, r)).collect();
        eprintln!("asked for {name}: distance to each class's mean {d:?}");
        let nearest = (0..3).min_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap();
        assert_eq!(
            classes[nearest], *name,
            "step {STEPS}: asked for {name}, drew nearest {}: {d:?}",
            classes[nearest]
        );
    }
}

#[test]
fn own_data_goes_through_its_bundle_and_images_one_at_a_time_as_the_page_hands_them_over() {
    let drawn = shapes(6, 40, 4);
    let images: Vec<Grey> = drawn
        .iter()
        .map(|(_, p)| Grey::new(40, 40, p.clone()).unwrap())
        .collect();
    let classes: Vec<String> = SHAPES.iter().map(|s| s.to_string()).collect();
    let class_of: Vec<usize> = drawn.iter().map(|(c, _)| *c).collect();
    let names: Vec<String> = (0..images.len()).map(|i| format!("{i}.png")).collect();
    let whole = dataset::from_images(&images, &class_of, classes.clone(), &names).unwrap();
    let mut set = dataset::ImageSet::new(classes.clone());
    for (i, image) in images.iter().enumerate() {
        set.add(image, class_of[i], &names[i]).unwrap();
    }
    assert_eq!(set.len(), images.len());
    let one_by_one = set.finish().unwrap();
    assert_eq!(one_by_one.data.images(), whole.data.images());
    assert_eq!(one_by_one.describe(), whole.describe());
    // The bundle the page keeps and stores gives the same data back.
    let bundle = whole.data.to_bundle();
    let back = Dataset::own(ganvas::data::Mnist::from_bundle(&bundle).unwrap(), classes).unwrap();
    assert_eq!(back.data.images(), whole.data.images());
    assert_eq!(back.data.labels(), whole.data.labels());
    assert_eq!(back.report.per_class, whole.report.per_class);
    // A label with no class name, a class out of range, too few: refused with the reason.
    let two = vec!["a".to_string(), "b".to_string()];
    let e = Dataset::own(
        ganvas::data::Mnist::from_bundle(&bundle).unwrap(),
        two.clone(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("label 2, but there are 2 classes"),
        "{e}"
    );
    let mut set = dataset::ImageSet::new(two);
    let e = set.add(&images[0], 2, "x.png").unwrap_err();
    assert!(e.to_string().contains("x.png: class 2"), "{e}");
    assert!(set.is_empty(), "nothing added");
    let e = set.finish().unwrap_err();
    assert!(
        e.to_string().contains("0 images: a GAN needs at least 16"),
        "{e}"
    );
}
