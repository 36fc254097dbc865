//! Text primitives shared by the normalizer and the differ: a text's lines found fast, and
//! telling without table look-ups that a text is already NFC.

pub mod lines;
pub mod nfc;
pub mod tokens;
pub mod utf8;

#[cfg(test)]
use prov_testing as testing;
