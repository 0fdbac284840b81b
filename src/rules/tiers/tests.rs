//! Unit tests of the parent module, with hand-worked expectations.
