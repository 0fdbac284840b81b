//! `csvpass FILE...`: reads each CSV file once with the csv crate (headers on, records into
//! one reused `ByteRecord`, no UTF-8 check, no field parsing) and prints the record counts.
//! The floor any tool that reads these files has to stand on: bench/compare.sh compares
//! clientele's wall time with this pass over the same files.

use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: csvpass FILE...");
        return ExitCode::from(2);
    }
    for path in &files {
        let mut rdr = match csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_path(path)
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("csvpass: {path}: {e}");
                return ExitCode::from(2);
            }
        };
        let mut record = csv::ByteRecord::new();
        let (mut records, mut fields) = (0u64, 0u64);
        loop {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {
                    records += 1;
                    fields += record.len() as u64;
                }
                Ok(false) => break,
                Err(e) => {
                    eprintln!("csvpass: {path}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        println!("{path}\t{records} records\t{fields} fields");
    }
    ExitCode::SUCCESS
}
