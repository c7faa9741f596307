//! Loading a library — the vocabulary, every ruleset and the jurisdictions
//! file — from a rules directory or from documents in memory.
//! Each loader collects every error it finds and returns either a complete,
//! validated result or all the errors — never half of one.

use std::path::{Path, PathBuf};

use super::bibliography::{bibliography_from, check_citations};
use super::context::FileCtx;
use super::error::{LoadError, LoadErrorKind, LoadErrors};
#[cfg(feature = "fs")]
use super::files::{check_links, yaml_files};
use super::jurisdictions::jurisdictions_from;
use super::ruleset::ruleset_from;
#[cfg(feature = "fs")]
use super::vocabulary::load_vocabulary;
use super::vocabulary::vocabulary_from;
use super::yaml::Pos;
use crate::model::bibliography::Bibliography;
use crate::model::{Library, RulesOrigin, Vocabulary};

/// The vocabulary file's name inside a rules directory.
pub const VOCABULARY_FILE: &str = "facts.yaml";
/// The jurisdictions file's name inside a rules directory (optional).
pub const JURISDICTIONS_FILE: &str = "jurisdictions.yaml";
/// The bibliography file's name inside a rules directory (optional): the
/// works cited in prose by key (`[KEY]`), and the legend of the tags.
pub const BIBLIOGRAPHY_FILE: &str = "bibliography.yaml";
/// Most rulesets one directory may hold.
pub const MAX_RULESETS: usize = 200;

/// Loads `dir/facts.yaml` and every other `dir/*.yaml` as a ruleset.
#[cfg(feature = "fs")]
pub fn load_library(dir: &Path) -> Result<Library, LoadErrors> {
    // The files read by name are links no more than those the walk lists.
    let named: Vec<PathBuf> = [VOCABULARY_FILE, JURISDICTIONS_FILE, BIBLIOGRAPHY_FILE]
        .iter()
        .map(|name| dir.join(name))
        .collect();
    let links = check_links(dir, &named);
    if !links.0.is_empty() {
        return Err(links);
    }
    let vocabulary = load_vocabulary(&dir.join(VOCABULARY_FILE))?;
    let rulesets = ruleset_files(dir)?
        .iter()
        .map(|f| FileCtx::read(f))
        .collect();
    let optional = |name: &str| {
        let path = dir.join(name);
        path.exists().then(|| FileCtx::read(&path))
    };
    let jurisdictions = optional(JURISDICTIONS_FILE);
    let bibliography = optional(BIBLIOGRAPHY_FILE);
    assemble(
        RulesOrigin::Directory {
            path: dir.to_path_buf(),
        },
        vocabulary,
        rulesets,
        jurisdictions,
        bibliography,
    )
}

impl Library {
    /// Loads a library from documents in memory, each a name and its YAML
    /// text, as a rules directory would hold them: `facts.yaml` (required),
    /// `jurisdictions.yaml` (optional) and one ruleset per other name.
    /// Names are what diagnostics show, and a ruleset's id must match its
    /// name as it must match its file name. Reads no file. The library's
    /// [`origin`](Library::origin) is [`RulesOrigin::Memory`].
    ///
    /// ```
    /// use authorship::Library;
    ///
    /// let facts = r#"
    /// facts:
    ///   made_by_person: {type: bool, description: A person made it., question: Did a person make it?}
    /// elements:
    ///   work: {description: The whole work.}
    /// parties:
    ///   person: {description: The person.}
    /// "#;
    /// let library = Library::from_sources([("facts.yaml", facts)]).unwrap();
    /// assert!(library.vocabulary.fact("made_by_person").is_some());
    /// assert!(library.rulesets.is_empty());
    ///
    /// // A document that does not load is refused with its name and position.
    /// let errors = Library::from_sources([("facts.yaml", "facts: [")]).unwrap_err();
    /// let first = errors.iter().next().unwrap();
    /// assert!(first.to_string().starts_with("facts.yaml:1:"));
    /// ```
    pub fn from_sources<N, T>(
        sources: impl IntoIterator<Item = (N, T)>,
    ) -> Result<Library, LoadErrors>
    where
        N: AsRef<Path>,
        T: Into<String>,
    {
        let mut vocabulary = None;
        let mut jurisdictions = None;
        let mut bibliography = None;
        let mut rulesets = Vec::new();
        for (name, text) in sources {
            let ctx = FileCtx::new(name.as_ref(), text.into());
            match name.as_ref().file_name().and_then(|n| n.to_str()) {
                Some(VOCABULARY_FILE) => vocabulary = Some(ctx),
                Some(JURISDICTIONS_FILE) => jurisdictions = Some(Ok(ctx)),
                Some(BIBLIOGRAPHY_FILE) => bibliography = Some(Ok(ctx)),
                _ => rulesets.push(Ok(ctx)),
            }
        }
        let Some(vocabulary) = vocabulary else {
            return Err(LoadErrors(vec![LoadError::at(
                PathBuf::from(VOCABULARY_FILE),
                Pos::default(),
                LoadErrorKind::Io(format!("no `{VOCABULARY_FILE}` among the sources")),
            )]));
        };
        // No directory to name: the error names the sources as a whole.
        check_count(Path::new("the sources"), rulesets.len())?;
        assemble(
            RulesOrigin::Memory,
            vocabulary_from(vocabulary)?,
            rulesets,
            jurisdictions,
            bibliography,
        )
    }
}

/// A library of its loaded vocabulary and its ruleset and jurisdictions
/// documents: every error of every document, or the whole library.
fn assemble(
    origin: RulesOrigin,
    vocabulary: Vocabulary,
    documents: Vec<Result<FileCtx, LoadErrors>>,
    jurisdictions: Option<Result<FileCtx, LoadErrors>>,
    bibliography: Option<Result<FileCtx, LoadErrors>>,
) -> Result<Library, LoadErrors> {
    let mut errors = Vec::new();
    // First, so that every other document's citations can be checked.
    let bibliography = match bibliography.map(|d| d.and_then(bibliography_from)) {
        None => Bibliography::default(),
        Some(Ok(b)) => b,
        Some(Err(LoadErrors(mut e))) => {
            errors.append(&mut e);
            Bibliography::default()
        }
    };
    let cited = |mut ctx: FileCtx| {
        check_citations(&mut ctx, &bibliography);
        ctx
    };
    let mut rulesets = Vec::new();
    for document in documents {
        match document
            .map(cited)
            .and_then(|ctx| ruleset_from(ctx, &vocabulary))
        {
            Ok(ruleset) => rulesets.push(ruleset),
            Err(LoadErrors(mut e)) => errors.append(&mut e),
        }
    }
    // In id order before the jurisdictions are checked, so their messages
    // list the known ids in order (Library::new sorts for other callers).
    rulesets.sort_by(|a, b| a.id.cmp(&b.id));
    let mut composed = Vec::new();
    if let Some(document) = jurisdictions {
        match document
            .map(cited)
            .and_then(|ctx| jurisdictions_from(ctx, &rulesets))
        {
            Ok(j) => composed = j,
            Err(LoadErrors(mut e)) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    let mut library = Library::new(origin, vocabulary, rulesets, composed);
    library.bibliography = bibliography;
    Ok(library)
}

#[cfg(feature = "fs")]
fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    yaml_files(
        dir,
        &[VOCABULARY_FILE, JURISDICTIONS_FILE, BIBLIOGRAPHY_FILE],
        MAX_RULESETS,
        "rulesets",
    )
}

/// More than [`MAX_RULESETS`] documents is an error, as in a directory.
fn check_count(dir: &Path, count: usize) -> Result<(), LoadErrors> {
    if count <= MAX_RULESETS {
        return Ok(());
    }
    let kind = LoadErrorKind::Invalid(format!("{count} rulesets; the limit is {MAX_RULESETS}"));
    Err(LoadErrors(vec![LoadError::at(
        dir.to_path_buf(),
        Pos::default(),
        kind,
    )]))
}
