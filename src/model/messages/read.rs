//! What the readers say about the user's files: the customer book (CSV, TOML, a folder,
//! a workbook), the activity log, clientele.toml, and their encodings.
//! English and Chinese side by side (see the module above).
