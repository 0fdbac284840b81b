//! The fast paths against their plain twins.
