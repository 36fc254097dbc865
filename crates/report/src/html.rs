//! `index.html`: one self-contained page per article, and the list of articles, rendered from
//! the model by the templates in `templates/*.html`. Their names end in `.html`, so minijinja
//! escapes every value for HTML: no page-derived text can become markup.

use std::io::{self, Write};

use minijinja::value::Serde;
use minijinja::{Environment, context};

use super::{Index, Report, templates};

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = templates::base()?;
    env.add_template("style.css.html", include_str!("templates/style.css.html"))?;
    env.add_template("report.html", include_str!("templates/report.html"))?;
    env.add_template("index.html", include_str!("templates/index.html"))?;
    env.add_filter("when", |t: &str| templates::when(t));
    env.add_filter("pct", |x: f64| templates::pct(x));
    env.add_filter("words", |t: &str| t.split_whitespace().count());
    env.add_filter("blocks", |t: &str| {
        minijinja::Value::from(Serde(templates::blocks(t)))
    });
    Ok(env)
}

/// One article's `index.html`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let env = environment().map_err(templates::io_error)?;
    let page = templates::render(&env, "report.html", context! { r => Serde(report) })?;
    out.write_all(page.as_bytes())
}

/// `reports/index.html`, listing every article.
pub fn write_index(index: &Index, out: &mut dyn Write) -> io::Result<()> {
    let env = environment().map_err(templates::io_error)?;
    let page = templates::render(&env, "index.html", context! { index => Serde(index) })?;
    out.write_all(page.as_bytes())
}
