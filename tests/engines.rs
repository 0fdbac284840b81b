//! The rules compiled to SQL, run on real engines: for DuckDB, PostgreSQL and Spark SQL, each
//! book and each job (`due` with and without its filters, `classify` for each type set, `tier`
//! for every scheme of the book's `tiers.toml`, `report` for every section), the rows of the
//! script `clientele sql JOB` prints, run over the tables `clientele export --raw` wrote,
//! must be exactly the records of `clientele JOB --format csv`: the same header, the same
//! cells, in the same order. The books are the small ones in `tests/engines/books/`, each
//! built by hand to exercise rule kinds and calendar edges (its `README.md` says which, its
//! `today` file the days it is run on), and a generated one of 10,000 customers and 100,000
//! log rows (`bench/gen.py`).
//!
//! The engines run through `tests/engines/run.py` (see its docstring): DuckDB and pyspark
//! from the Python of `CLIENTELE_PYTHON`, else `bench/.venv/bin/python`; PostgreSQL through
//! `psql`, on the server that `PGHOST`, `PGPORT` and `PGUSER` name
//! (`tests/engines/postgres.sh` starts a throwaway one). So every test here is `#[ignore]`d:
//! `.ci/run` installs DuckDB and PostgreSQL, starts the server and runs `engines::duckdb::`
//! and `engines::postgres::`; `.ci/spark` (a JVM, minutes) runs `engines::spark::`.
//!
//! Each engine's `stand_in` test checks the driver alone, on a hand-written export
//! (`tests/engines/stand_in/`) and a small script with its expected rows written by hand;
//! `compare`'s own tests (not ignored) check how a difference is reported.

mod compare;
mod driver;
mod suite;

use driver::Engine;

/// The three tests of one engine, ignored for the reason given.
macro_rules! engine_tests {
    ($module:ident, $engine:expr, $why:literal) => {
        mod $module {
            use super::*;

            /// The driver loads a hand-written export and runs a hand-written script.
            #[test]
            #[ignore = $why]
            fn stand_in() {
                driver::stand_in($engine);
            }

            /// Every job on every small book of tests/engines/books/, on each of its days.
            #[test]
            #[ignore = $why]
            fn small_books() {
                suite::small_books($engine);
            }

            /// Every job on a generated book: 10,000 customers, 100,000 log rows.
            #[test]
            #[ignore = $why]
            fn generated_book() {
                suite::generated_book($engine);
            }
        }
    };
}

engine_tests!(
    duckdb,
    Engine::Duckdb,
    "needs DuckDB's Python package (bench/.venv or CLIENTELE_PYTHON); .ci/run installs it"
);
engine_tests!(
    postgres,
    Engine::Postgres,
    "needs a PostgreSQL server at PGHOST (tests/engines/postgres.sh); .ci/run starts one"
);
engine_tests!(
    spark,
    Engine::Spark,
    "needs pyspark and a JRE (bench/.venv or CLIENTELE_PYTHON); .ci/spark installs them"
);
