//! The quality scores against cases small enough to work out by hand.

use ganvas::quality::{CLASSES, Gaussian, class_shares, digit_score, sym_eigen};

fn one_hot(class: usize) -> Vec<f32> {
    let mut row = vec![0.0; CLASSES];
    row[class] = 1.0;
    row
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn digit_score_is_ten_for_confident_balanced_digits_and_one_for_a_single_class() {
    let balanced: Vec<f32> = (0..CLASSES).flat_map(one_hot).collect();
    assert!(close(digit_score(&balanced), 10.0, 1e-9));
    let collapsed: Vec<f32> = (0..20).flat_map(|_| one_hot(3)).collect();
    assert!(close(digit_score(&collapsed), 1.0, 1e-9));
    let unsure = vec![0.1f32; CLASSES * 5];
    assert!(close(digit_score(&unsure), 1.0, 1e-6));
}

#[test]
fn digit_score_matches_a_hand_computed_case() {
    // p(y|x₁) = (1, 0), p(y|x₂) = (½, ½) → p(y) = (¾, ¼);
    // KL₁ = ln(4/3), KL₂ = ½ln(⅔) + ½ln 2; exp(mean) = 1.2408064788.
    let mut probs = one_hot(0);
    let mut half = vec![0.0f32; CLASSES];
    half[0] = 0.5;
    half[1] = 0.5;
    probs.extend(half);
    assert!(close(digit_score(&probs), 1.240_806_478_8, 1e-6));
}

#[test]
fn class_shares_count_top_classes() {
    let probs: Vec<f32> = [1, 1, 1, 7].iter().flat_map(|&c| one_hot(c)).collect();
    let shares = class_shares(&probs);
    assert_eq!(shares[1], 0.75);
    assert_eq!(shares[7], 0.25);
    assert_eq!(shares.iter().sum::<f64>(), 1.0);
}

#[test]
fn frechet_distance_of_one_dimensional_gaussians_is_mean_and_std_gap() {
    // {0, 2}: μ 1, σ² 2; {1, 5}: μ 3, σ² 8. d = (1−3)² + (√2 − √8)² = 4 + 2 = 6.
    let a = Gaussian::fit(&[0.0, 2.0], 1);
    let b = Gaussian::fit(&[1.0, 5.0], 1);
    assert_eq!(a.mean, vec![1.0]);
    assert_eq!(a.cov, vec![2.0]);
    assert!(close(a.frechet(&b), 6.0, 1e-9), "{}", a.frechet(&b));
    assert!(close(a.frechet(&a), 0.0, 1e-9));
}

#[test]
fn frechet_distance_with_correlated_features_matches_the_hand_value() {
    // Σ₁ = [[2, 1], [1, 2]] (eigenvalues 3 and 1), Σ₂ = I, same means:
    // tr Σ₁ + tr Σ₂ − 2 tr √Σ₁ = 4 + 2 − 2(√3 + 1) = 4 − 2√3.
    let a = Gaussian {
        dim: 2,
        mean: vec![0.5, -1.0],
        cov: vec![2.0, 1.0, 1.0, 2.0],
    };
    let b = Gaussian {
        dim: 2,
        mean: vec![0.5, -1.0],
        cov: vec![1.0, 0.0, 0.0, 1.0],
    };
    let want = 4.0 - 2.0 * 3f64.sqrt();
    assert!(close(a.frechet(&b), want, 1e-9), "{}", a.frechet(&b));
    assert!(close(b.frechet(&a), want, 1e-9), "{}", b.frechet(&a));
}

#[test]
fn frechet_distance_is_symmetric_for_matrices_that_do_not_commute() {
    let a = Gaussian {
        dim: 3,
        mean: vec![0.0, 1.0, 2.0],
        cov: vec![4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.0],
    };
    let b = Gaussian {
        dim: 3,
        mean: vec![1.0, 1.0, 0.0],
        cov: vec![1.0, -0.3, 0.0, -0.3, 2.0, 0.7, 0.0, 0.7, 5.0],
    };
    let (ab, ba) = (a.frechet(&b), b.frechet(&a));
    assert!(ab > 0.0 && close(ab, ba, 1e-9), "{ab} vs {ba}");
}

#[test]
fn eigen_decomposition_rebuilds_the_matrix() {
    let m = vec![4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.0];
    let (values, vectors) = sym_eigen(&m, 3);
    for i in 0..3 {
        for j in 0..3 {
            let rebuilt: f64 = (0..3)
                .map(|k| vectors[i * 3 + k] * values[k] * vectors[j * 3 + k])
                .sum();
            assert!(close(rebuilt, m[i * 3 + j], 1e-12));
        }
    }
}
