//! Capture as a pipeline of stages, each saying what it did as an [`event::Event`] that printers turn into lines (ripgrep's printers): the sources (`sources`), fetched behind the per-host gate (`gate`) and cleaned on worker threads (`pipeline`), filed and committed in the order named (`record`); a text, a JSON and a progress printer (`printers`). `snapshot`, its bulk runs (`--from`) and `--history` share it.

pub(crate) mod event;
pub(crate) mod gate;
pub(crate) mod pipeline;
pub(crate) mod printers;
pub(crate) mod record;
pub(crate) mod sources;
