//! The one integration-test binary: each module drives one part of clientele through the real
//! binary in a temporary workspace, or through the library where a test reads files directly.

mod classify;
mod commands;
mod concurrency;
mod due;
mod edited_meanwhile;
mod engines;
mod errors;
mod examples;
mod export_sql;
mod guards;
mod hostile;
mod hostile_output;
mod journal;
mod kills;
mod layers;
mod log;
mod paths;
mod promote;
mod reading;
mod report;
mod robustness;
mod sheets;
mod show;
mod systems;
mod terminal;
mod tier;
mod util;
mod workbooks;
mod working_day;
mod writeback;
mod writeback_faults;
mod writeback_props;
mod zh_commands;
mod zh_rules;
