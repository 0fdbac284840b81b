//! What the commands say: usage errors on the command line, refusals to write, and
//! warnings about what the book lacks.
//! English and Chinese side by side (see the module above).
