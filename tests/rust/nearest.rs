//! The nearest training digits and the copy check: a training digit finds itself at distance
//! 0, and digits copied from the training set read as copies where unseen ones do not.

use crate::common;

use ganvas::IMAGE_PIXELS;
use ganvas::data::Mnist;
use ganvas::nearest::{copy_report, nearest};

fn test_digits() -> Mnist {
    Mnist::load_gz(common::root().join("www/data/mnist-test.gz")).expect("run pkg-scripts/data")
}

#[test]
fn a_training_digit_is_its_own_nearest_and_the_rest_come_in_order() {
    let train = common::mnist_train();
    for i in [0, 12_345, 59_999] {
        let found = nearest(train.image(i), train, 3);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].distance, 0.0, "{found:?}");
        // MNIST has a few exact duplicates: the digit itself or one identical to it.
        assert_eq!(train.image(found[0].index), train.image(i));
        assert!(found[0].distance <= found[1].distance && found[1].distance <= found[2].distance);
        assert!(
            found[2].distance > 0.0 && found[2].distance < 15.0,
            "{found:?}"
        );
    }
    // A blank digit's nearest ones are the thinnest strokes, not blanks: MNIST has none.
    let blank = nearest(&[0; IMAGE_PIXELS], train, 1);
    assert!(blank[0].distance > 3.0, "{blank:?}");
}

#[test]
fn copies_of_training_digits_read_as_memorised_and_unseen_digits_do_not() {
    let train = common::mnist_train();
    let test = test_digits();
    let real = &test.images()[..200 * IMAGE_PIXELS];
    // Unseen real digits against themselves as the yardstick: about half nearer than the median.
    let unseen = &test.images()[200 * IMAGE_PIXELS..400 * IMAGE_PIXELS];
    let r = copy_report(unseen, real, train).unwrap();
    assert_eq!((r.samples, r.real), (200, 200));
    assert!((0.35..0.65).contains(&r.copy_rate), "{r:?}");
    assert!(r.memorised < 0.05, "{r:?}");
    assert!(0.0 < r.real_p1 && r.real_p1 < r.real_median, "{r:?}");
    // Training digits themselves: every one a copy.
    let copies = &train.images()[..200 * IMAGE_PIXELS];
    let c = copy_report(copies, real, train).unwrap();
    assert_eq!(copy_report(&[], real, train).unwrap_err().kind(), "config");
    assert_eq!(
        (c.copy_rate, c.memorised, c.closest),
        (1.0, 1.0, 0.0),
        "{c:?}"
    );
}
