//! The command line: argument parsing, dispatch, and turning errors into one sentence and an exit code.
