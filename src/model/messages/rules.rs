//! What the rule files' checks and the rule language say: problems in `rules/*.toml` and
//! in the conditions written there.
//! English and Chinese side by side (see the module above).
