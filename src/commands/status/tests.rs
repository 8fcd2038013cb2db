use super::*;
use crate::store::WindowReading;

#[test]
fn windows_read_like_the_counter_pattern() {
    let w = Window::read(
        &WindowReading {
            value: Some("12".into()),
            pttl_ms: 2_460_500,
        },
        15,
    );
    assert_eq!((w.used, w.remaining, w.stuck), (12, 3, false));
    assert_eq!(w.resets_in_ms, Some(2_460_500));
    let w = Window::read(
        &WindowReading {
            value: None,
            pttl_ms: -2,
        },
        15,
    );
    assert_eq!((w.remaining, w.resets_in_ms, w.stuck), (15, None, false));
    let w = Window::read(
        &WindowReading {
            value: Some("99".into()),
            pttl_ms: -1,
        },
        15,
    );
    assert!(w.stuck);
    assert_eq!(w.remaining, 0);
    let w = Window::read(
        &WindowReading {
            value: Some("junk".into()),
            pttl_ms: 5,
        },
        15,
    );
    assert_eq!(w.remaining, 15);
}
