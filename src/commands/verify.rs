//! `prov verify`: fixity of the whole archive; exit 0 intact, 1 problems found.

use std::io::Write;

use crate::commands::{CliError, Ctx, Outcome};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov verify                                           re-hash everything; exit 1 on a problem
  prov verify --json")]
pub struct Args {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    // Waiting for writers means verify never sees a capture half made; taking the lock also
    // removes what a killed capture left behind.
    // An archive prov may not write to (a read-only mount, another user's folder) is still
    // verified: without the lock, and remembering nothing.
    let report = match archive.lock(&mut || ctx.waiting()) {
        Ok(lock) => {
            let report = archive.verify()?;
            drop(lock);
            report
        }
        Err(e) if e.is_read_only() => {
            eprintln!(
                "prov: {}; verifying without the lock, writing nothing (the verified HEAD is not remembered)",
                super::printable(&e.to_string())
            );
            archive.check_read_only()?
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )?;
    } else {
        for p in &report.problems {
            // Paths come from the history, which a forger may have written: printed escaped.
            let line = match &p.capture {
                Some(c) => format!("problem: capture {c}: {}: {}", p.path, p.problem),
                None => format!("problem: {}: {}", p.path, p.problem),
            };
            writeln!(out, "{}", super::printable(&line))?;
        }
        for d in &report.renormalized_differently {
            writeln!(
                out,
                "notice: capture {} ({}/{}): today's normalizer cleans it differently than recorded (v{})",
                d.capture, d.article, d.copy, d.recorded_version
            )?;
        }
        let head = report.head.as_deref().unwrap_or("(no commits)");
        let verdict = match report.problems.len() {
            0 => "intact".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        };
        writeln!(
            out,
            "verified HEAD {head}: {} captures, {} files, {} bytes re-hashed, {} commits read; {verdict}",
            report.captures, report.files, report.bytes, report.commits
        )?;
    }
    Ok(if report.intact() {
        Outcome::Ok
    } else {
        Outcome::Finding
    })
}
