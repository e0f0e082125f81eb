//! Reports built from result rows: a bounded-memory summary, CSV for
//! spreadsheets, Markdown for people, and a self-contained HTML page with
//! inline SVG charts; and Markdown rendered for a terminal (the debrief on
//! screen).

pub mod csv;
pub mod html;
pub mod markdown;
pub mod summary;
pub mod terminal;

pub use summary::Summary;
