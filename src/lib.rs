//! clientele: a command-line tool over a sales team's customer book. The binary is a thin
//! shell over this library; tests and benchmarks use the same modules.

pub mod cli;
pub mod cmd;
pub mod error;
pub mod lang;
pub mod lines;
pub mod model;
pub mod parallel;
pub mod render;
pub mod rules;
pub mod stdin;
pub mod store;
pub mod timing;
pub mod visible;
pub mod workspace;
