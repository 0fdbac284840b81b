//! The run's language: English or Chinese, set once by the command line and read by
//! everything that speaks to a person (the message catalogues in `model::messages`, and
//! the frame of a diagnostic in `error`).

use std::sync::atomic::{AtomicU8, Ordering};

/// The language of what a person reads: messages, labels in tables, values by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every later message.
pub fn set_lang(lang: Lang) {
    LANG.store(u8::from(lang == Lang::Zh), Ordering::Relaxed);
}

/// The run's language.
pub fn lang() -> Lang {
    if LANG.load(Ordering::Relaxed) == 1 {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The English or the Chinese, by the run's language: for the few words of a frame around
/// messages (`error`, `hint`) that live below the catalogues.
pub fn pick<T>(en: T, zh: T) -> T {
    if lang() == Lang::Zh { zh } else { en }
}
