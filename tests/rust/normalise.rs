//! MNIST's normalisation of any image (src/normalise.rs), against worked examples: the ink's
//! bounding box fitted into 20×20 keeping its aspect ratio, centred by its centre of mass in
//! the 28×28 field, dark ink on a light background inverted.

use ganvas::normalise::{Grey, Polarity, normalise, polarity};
use ganvas::{IMAGE_PIXELS, IMAGE_SIDE};

/// A `w × h` image of `background` with a `rw × rh` rectangle of `ink` at `(x, y)`.
fn rectangle(
    w: usize,
    h: usize,
    background: u8,
    ink: u8,
    (x, y, rw, rh): (usize, usize, usize, usize),
) -> Grey {
    let mut pixels = vec![background; w * h];
    for row in y..y + rh {
        pixels[row * w + x..row * w + x + rw].fill(ink);
    }
    Grey::new(w, h, pixels).unwrap()
}

/// The ink's box `(x0, y0, x1, y1)` and centre of mass of a 28×28 image.
fn ink_box_and_centre(pixels: &[u8]) -> ((usize, usize, usize, usize), (f64, f64)) {
    let (mut b, mut mass, mut mx, mut my) = ((usize::MAX, usize::MAX, 0, 0), 0.0, 0.0, 0.0);
    for (i, &p) in pixels.iter().enumerate().filter(|(_, p)| **p > 0) {
        let (x, y) = (i % IMAGE_SIDE, i / IMAGE_SIDE);
        b = (b.0.min(x), b.1.min(y), b.2.max(x + 1), b.3.max(y + 1));
        mass += p as f64;
        mx += p as f64 * (x as f64 + 0.5);
        my += p as f64 * (y as f64 + 0.5);
    }
    (b, (mx / mass, my / mass))
}

#[test]
fn a_dark_bar_on_white_is_inverted_fitted_to_20_wide_and_centred() {
    // A 40×10 black bar on a 100×60 white page: scaled by ½ to 20×5, every target pixel the
    // mean of 2×2 black ones (255 after inversion); its centre of mass (10, 2.5) moves to
    // (14, 14): 4 columns right, 11.5 rows down, rounded to 12.
    let out = normalise(&rectangle(100, 60, 255, 0, (10, 20, 40, 10))).unwrap();
    assert_eq!(out.polarity, Polarity::DarkOnLight);
    assert_eq!(out.pixels.len(), IMAGE_PIXELS);
    for (i, &p) in out.pixels.iter().enumerate() {
        let (x, y) = (i % IMAGE_SIDE, i / IMAGE_SIDE);
        let inside = (4..24).contains(&x) && (12..17).contains(&y);
        assert_eq!(p, if inside { 255 } else { 0 }, "pixel ({x}, {y})");
    }
}

#[test]
fn light_ink_on_black_is_kept_and_gives_the_same_image() {
    let dark = normalise(&rectangle(100, 60, 255, 0, (10, 20, 40, 10))).unwrap();
    let light = normalise(&rectangle(100, 60, 0, 255, (10, 20, 40, 10))).unwrap();
    assert_eq!(light.polarity, Polarity::LightOnDark);
    assert_eq!(light.pixels, dark.pixels);
}

#[test]
fn the_longer_side_becomes_20_pixels_and_the_aspect_ratio_is_kept() {
    // A tall 6×30 stroke on grey paper (200): 4×20 after scaling by 2/3.
    let out = normalise(&rectangle(64, 48, 200, 30, (20, 9, 6, 30))).unwrap();
    let ((x0, y0, x1, y1), (cx, cy)) = ink_box_and_centre(&out.pixels);
    assert_eq!((x1 - x0, y1 - y0), (4, 20));
    assert!(
        (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
        "centre of mass ({cx}, {cy})"
    );
    // The paper's grey is the background: no ink outside the stroke.
    assert_eq!(out.pixels.iter().filter(|&&p| p > 0).count(), 4 * 20);
}

#[test]
fn the_centre_of_mass_not_the_box_is_centred() {
    // An L: a 4×40 upright and a 30×4 foot. Its box is centred at (15, 20) of the 30×40 box,
    // its mass lies left and low: after centring, the mass is at the middle, the box is not.
    let mut pixels = vec![0u8; 80 * 80];
    for y in 10..50 {
        pixels[y * 80 + 10..y * 80 + 14].fill(255);
    }
    for y in 46..50 {
        pixels[y * 80 + 10..y * 80 + 40].fill(255);
    }
    let out = normalise(&Grey::new(80, 80, pixels).unwrap()).unwrap();
    let ((x0, y0, x1, y1), (cx, cy)) = ink_box_and_centre(&out.pixels);
    assert!(
        (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
        "centre of mass ({cx}, {cy})"
    );
    assert_eq!(y1 - y0, 20, "the longer side");
    let box_centre = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
    assert!(
        box_centre.0 > 15.0 && box_centre.1 < 13.0,
        "the box sits right and high: {box_centre:?}"
    );
}

#[test]
fn a_single_ink_pixel_becomes_a_20_by_20_block() {
    let out = normalise(&rectangle(5, 5, 0, 255, (1, 3, 1, 1))).unwrap();
    let ((x0, y0, x1, y1), _) = ink_box_and_centre(&out.pixels);
    assert_eq!((x0, y0, x1, y1), (4, 4, 24, 24));
    assert!(out.pixels.iter().all(|&p| p == 0 || p == 255));
}

#[test]
fn an_image_without_ink_is_refused_with_the_reason() {
    for tone in [0, 128, 255] {
        let e = normalise(&Grey::new(10, 10, vec![tone; 100]).unwrap()).unwrap_err();
        assert!(e.to_string().contains("no ink"), "{e}");
    }
}

#[test]
fn rgba_reads_transparency_as_a_white_page() {
    // A drawing on a transparent canvas: black strokes, alpha 0 elsewhere.
    let (w, h) = (30, 30);
    let mut rgba = vec![0u8; w * h * 4];
    for y in 5..25 {
        let at = (y * w + 15) * 4;
        rgba[at..at + 4].copy_from_slice(&[0, 0, 0, 255]);
    }
    let grey = Grey::from_rgba(w, h, &rgba).unwrap();
    assert_eq!(grey.pixels[0], 255);
    assert_eq!(polarity(&grey), Polarity::DarkOnLight);
    let out = normalise(&grey).unwrap();
    let ((x0, y0, x1, y1), _) = ink_box_and_centre(&out.pixels);
    assert_eq!((x1 - x0, y1 - y0), (1, 20));
}

#[test]
fn sizes_that_do_not_match_their_pixels_are_refused() {
    assert!(
        Grey::new(0, 4, vec![])
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
    assert!(
        Grey::new(3, 3, vec![0; 8])
            .unwrap_err()
            .to_string()
            .contains("3×3")
    );
    assert!(
        Grey::from_rgba(2, 2, &[0; 15])
            .unwrap_err()
            .to_string()
            .contains("RGBA")
    );
}
