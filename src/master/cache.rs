//! The local cache built by `master import`, and the `master info` / `master lookup` texts.
//!
//! The cache lives in the platform cache directory (`directories`: e.g.
//! `~/.cache/shohosen/masters` on Linux) or in `$SHOHOSEN_CACHE_DIR` when set (tests use a
//! temporary directory and never touch the real one). It holds one file per imported master
//! version in the project's CSV format ([`super::custom`]), with its source kind and date, so
//! later runs load it without the official files. `master import` replaces the whole cache.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::record::Version;
use super::{Master, MasterError, custom, load};
use crate::fees::rules::RULES;

/// The environment variable that overrides the cache directory.
pub const CACHE_ENV: &str = "SHOHOSEN_CACHE_DIR";

/// What `master import` did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Where the cache was written (print it).
    pub cache_path: PathBuf,
    /// A readable summary: one line per imported version.
    pub summary: String,
    /// The cache files written.
    pub files: Vec<PathBuf>,
    /// One line per imported version: source, kind, date, product count.
    pub versions: Vec<String>,
}

/// The cache directory: `$SHOHOSEN_CACHE_DIR`, else the platform cache dir.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(CACHE_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "shohosen").map(|p| p.cache_dir().join("masters"))
}

fn cache_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy())
                        .is_some_and(|n| n.starts_with("master-") && n.ends_with(".csv"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads the given official files (each must load, or nothing is written) and replaces the
/// cache with them.
pub fn import(files: &[PathBuf]) -> Result<ImportReport, MasterError> {
    let dir = cache_dir()
        .ok_or_else(|| MasterError::load("cache", "no cache directory (set SHOHOSEN_CACHE_DIR)"))?;
    let mut versions: Vec<Version> = Vec::new();
    for f in files {
        versions.extend(load::load_path(f)?);
    }
    let io = |e| MasterError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    for old in cache_files(&dir) {
        std::fs::remove_file(&old).map_err(|e| MasterError::Io {
            path: old.display().to_string(),
            source: e,
        })?;
    }
    let mut report = ImportReport {
        cache_path: dir.clone(),
        summary: String::new(),
        files: Vec::new(),
        versions: Vec::new(),
    };
    for (i, v) in versions.iter().enumerate() {
        let file = dir.join(format!(
            "master-{i:03}-{}-{}.csv",
            v.kind.label(),
            v.valid_from
        ));
        let text = custom::write(v.kind, &v.records, v.valid_from, &v.label);
        std::fs::write(&file, text).map_err(|e| MasterError::Io {
            path: file.display().to_string(),
            source: e,
        })?;
        report.versions.push(format!(
            "{} [{}] in force from {}: {} products",
            v.label,
            v.kind.label(),
            v.valid_from,
            v.records.len()
        ));
        report.files.push(file);
    }
    report.summary = format!(
        "imported {} master version(s):\n  {}",
        report.versions.len(),
        report.versions.join("\n  ")
    );
    Ok(report)
}

/// Loads the cache (empty when there is none).
pub fn load_cache() -> Result<Vec<Version>, MasterError> {
    let Some(dir) = cache_dir() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for f in cache_files(&dir) {
        let text = std::fs::read_to_string(&f).map_err(|e| MasterError::Io {
            path: f.display().to_string(),
            source: e,
        })?;
        out.extend(custom::parse(&text, &f.display().to_string(), None)?);
    }
    Ok(out)
}

/// `master info`: every loaded version with its kind, date and counts, and the rule table.
pub fn info(m: &Master) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "masters (a date uses the newest version in force; later files win on the same date):"
    );
    for v in m.versions() {
        let targets = v.records.iter().filter(|r| r.target == Some(true)).count();
        let _ = writeln!(
            s,
            "  {:<16} from {}  {:>6} products  {:>5} targets  {}",
            v.kind.label(),
            v.valid_from,
            v.records.len(),
            targets,
            v.label
        );
    }
    if let Some(d) = cache_dir() {
        let _ = writeln!(s, "cache: {}", d.display());
    }
    let _ = writeln!(s, "rules:");
    for r in RULES {
        let _ = writeln!(
            s,
            "  {} from {}: {} of the gap, tax {}%  ({})",
            r.id,
            r.start(),
            r.fraction_text(),
            r.tax_percent,
            r.source
        );
    }
    s
}

/// `master lookup NAME|CODE`: one product with its \[a\]/\[b\] on `date`.
pub fn lookup(m: &Master, query: &str, date: NaiveDate) -> String {
    let Some(r) = m.find_detail(query, date) else {
        return format!(
            "not found: {query} (on {date}; names are matched after normalization, never guessed)\n"
        );
    };
    let p = &r.product;
    let opt =
        |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", p.code, p.name);
    let _ = writeln!(s, "  price       {} / {}", p.price, p.unit);
    let _ = writeln!(
        s,
        "  kind        {}",
        if p.generic {
            "generic"
        } else if p.target {
            "long-listed brand, 選定療養 target"
        } else {
            "not a target"
        }
    );
    let _ = writeln!(s, "  G (highest generic) {}", opt(p.generic_max_price));
    let rule = crate::fees::rules::rule_on(date);
    let _ = writeln!(
        s,
        "  [a] {}  [b] {}  ({}, rule {})",
        opt(p.a),
        opt(p.b),
        match r.published {
            Some(true) => "published",
            Some(false) => "computed",
            None => "-",
        },
        rule.map_or("none", |r| r.id)
    );
    if let Some(g) = &r.general_name {
        let _ = writeln!(s, "  一般名      {g}");
    }
    let _ = writeln!(s, "  source      {}", r.source);
    if let Some(n) = &r.note {
        let _ = writeln!(s, "  note        {n}");
    }
    s
}
