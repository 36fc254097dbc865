//! prov's data model: the types a capture records (meta.json's), which every stage reads and
//! none owns. Pure data: no I/O, no git, no HTTP.

pub mod page;
