//! Plain twins of the fast paths, written the obvious way, for the property tests to hold
//! the fast code to.
