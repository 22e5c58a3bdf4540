//! What a piece of Rust names: the one resolver behind the output cache's key, the notebooks'
//! `:dep` lines and anything else that asks which library modules, features or crates a
//! program uses.
//!
//! It reads the code with a real parser (`syn`), so comments, doc comments and string literals
//! are never mistaken for paths. It follows `use` trees (groups, `self`, renames) and remembers
//! what each imported name stands for, so `use sysdesign::relational_acid as acid;` followed by
//! `acid::sqlite::transfer` is the path `relational_acid::sqlite::transfer`. Paths inside macro
//! calls (`println!("{}", sysdesign::caching::Lru::<u8, u8>::new(2).len())`) are read from the
//! macro's tokens. A glob under the crate (`use sysdesign::caching::*`), a rename of the crate
//! itself (`use sysdesign as sd`, `extern crate sysdesign as sd`), or code that does not parse
//! makes the answer "everything", which is always safe.
//!
//! The same resolver reads the library's own files with `crate` as the root name, to follow
//! one module's use of another ([`Library::modules_used_by`]), and finds which paths sit behind
//! a cargo feature (`#[cfg(feature = "sqlite")]` on a `mod`, a `use` or an item), so a notebook
//! asks for just the features its chapter needs ([`Library::features_used_by`]).

use anyhow::{Context, Result};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

use crate::project::files_with_extension;

/// Names that never denote another crate in a path's first segment.
const NOT_CRATES: [&str; 6] = ["std", "core", "alloc", "crate", "self", "super"];

/// What one piece of code names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Uses {
    /// Paths under the root crate, as segments after it (`["caching", "Lru"]`), aliases
    /// resolved.
    pub(crate) paths: BTreeSet<Vec<String>>,
    /// The set of paths cannot be known: a glob, a rename of the crate, or unparsable code.
    pub(crate) everything: bool,
    /// First segments of other paths, which may name crates (`lru`, `rand`); the caller
    /// keeps the names it knows as crates.
    pub(crate) crates: BTreeSet<String>,
}

impl Uses {
    /// What `source` names under the crate called `root` (`sysdesign` in a program, `crate`
    /// inside the library).
    pub(crate) fn of(source: &str, root: &str) -> Uses {
        let Ok(file) = syn::parse_file(source) else {
            return Uses {
                everything: true,
                ..Uses::default()
            };
        };
        let mut walker = Walker {
            root,
            bindings: BTreeMap::new(),
            uses: Uses::default(),
        };
        // Imports first, wherever they are, so a name used above its `use` still resolves.
        ImportsOnly(&mut walker).visit_file(&file);
        walker.visit_file(&file);
        walker.uses
    }

    /// Like [`Uses::of`], for code that may be a function body rather than a file (a chapter's
    /// example, a notebook cell): read as a file first, else as the body of a function.
    pub(crate) fn of_code(source: &str, root: &str) -> Uses {
        if syn::parse_file(source).is_ok() {
            return Uses::of(source, root);
        }
        Uses::of(&format!("fn __body() {{\n{source}\n}}"), root)
    }

    /// Adds what `other` names.
    pub(crate) fn merge(&mut self, other: Uses) {
        self.paths.extend(other.paths);
        self.crates.extend(other.crates);
        self.everything |= other.everything;
    }

    /// The first segments of the paths: the top-level modules named (or root items).
    pub(crate) fn top_level(&self) -> BTreeSet<String> {
        self.paths
            .iter()
            .filter_map(|p| p.first().cloned())
            .collect()
    }
}

struct Walker<'a> {
    root: &'a str,
    /// A local name and the path under the root it stands for.
    bindings: BTreeMap<String, Vec<String>>,
    uses: Uses,
}

impl Walker<'_> {
    /// Records a path given by its segments, as written.
    fn path(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        if first == self.root {
            if segments.len() > 1 {
                self.uses.paths.insert(segments[1..].to_vec());
            }
        } else if let Some(bound) = self.bindings.get(first) {
            let mut full = bound.clone();
            full.extend_from_slice(&segments[1..]);
            self.uses.paths.insert(full);
        } else if segments.len() > 1 && !NOT_CRATES.contains(&first.as_str()) {
            self.uses.crates.insert(first.clone());
        }
    }

    /// Walks a `use` tree under `prefix` (segments as written), recording paths and bindings.
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let full = if name == "self" {
                    prefix.clone()
                } else {
                    let mut full = prefix.clone();
                    full.push(name);
                    full
                };
                let local = full.last().cloned().unwrap_or_default();
                self.import(full, local);
            }
            syn::UseTree::Rename(r) => {
                let name = r.ident.to_string();
                let mut full = prefix.clone();
                if name != "self" {
                    full.push(name);
                }
                self.import(full, r.rename.to_string());
            }
            syn::UseTree::Glob(_) => {
                if self.resolves_to_root(prefix) {
                    self.uses.everything = true;
                } else if let Some(first) = prefix.first() {
                    self.path(&[first.clone(), "*".into()]);
                }
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }

    fn resolves_to_root(&self, segments: &[String]) -> bool {
        segments
            .first()
            .is_some_and(|f| f == self.root || self.bindings.contains_key(f))
    }

    /// `use FULL as LOCAL;`
    fn import(&mut self, full: Vec<String>, local: String) {
        let Some(first) = full.first() else {
            return;
        };
        let resolved: Option<Vec<String>> = if first == self.root {
            Some(full[1..].to_vec())
        } else {
            self.bindings.get(first).map(|bound| {
                let mut path = bound.clone();
                path.extend_from_slice(&full[1..]);
                path
            })
        };
        match resolved {
            Some(path) if path.is_empty() => {
                // The crate itself under another name: anything may follow.
                if local != self.root {
                    self.uses.everything = true;
                }
            }
            Some(path) => {
                self.uses.paths.insert(path.clone());
                if local != "_" {
                    self.bindings.insert(local, path);
                }
            }
            None => {
                if full.len() > 1 && !NOT_CRATES.contains(&first.as_str()) {
                    self.uses.crates.insert(first.clone());
                } else if full.len() == 1 && !NOT_CRATES.contains(&first.as_str()) {
                    // `use lru;` names the crate itself.
                    self.uses.crates.insert(first.clone());
                }
            }
        }
    }

    /// Paths in a macro's tokens: runs of `ident :: ident (:: ident)*`.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            if let TokenTree::Group(g) = &trees[i] {
                self.tokens(g.stream());
                i += 1;
                continue;
            }
            let TokenTree::Ident(first) = &trees[i] else {
                i += 1;
                continue;
            };
            let mut segments = vec![first.to_string()];
            let mut j = i + 1;
            while j + 1 < trees.len() && is_path_sep(&trees[j..]) {
                match trees.get(j + 2) {
                    Some(TokenTree::Ident(next)) => {
                        segments.push(next.to_string());
                        j += 3;
                    }
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        // `path::{...}` (a `use` inside a macro): cannot be followed.
                        if self.resolves_to_root(&segments) {
                            self.uses.everything = true;
                        }
                        break;
                    }
                    Some(TokenTree::Punct(p)) if p.as_char() == '*' => {
                        if self.resolves_to_root(&segments) {
                            self.uses.everything = true;
                        }
                        break;
                    }
                    // `Lru::<u8, u8>::new`: the path so far is what matters.
                    _ => break,
                }
            }
            if segments.len() > 1 {
                self.path(&segments);
            } else if segments[0] == self.root {
                // The bare crate name passed around in a macro.
                self.uses.everything = true;
            }
            i = j.max(i + 1);
        }
    }
}

fn is_path_sep(trees: &[TokenTree]) -> bool {
    matches!(
        (trees.first(), trees.get(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

fn segments_of(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {
        // Read by the imports pass.
    }

    fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
        if item.ident == self.root && item.rename.is_some() {
            self.uses.everything = true;
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.path(&segments_of(path));
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }
}

/// The first pass: only `use` items, so bindings exist before the paths that need them.
struct ImportsOnly<'w, 'a>(&'w mut Walker<'a>);

impl<'ast> Visit<'ast> for ImportsOnly<'_, '_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.0.use_tree(&mut prefix, &item.tree);
    }
}

/// The library's sources, read once per build: its modules, which modules each uses, and which
/// paths sit behind a feature.
pub(crate) struct Library {
    /// Top-level module name to its files (relative to the root) and their bytes.
    modules: BTreeMap<String, Vec<(PathBuf, Vec<u8>)>>,
    /// Top-level module name to the top-level modules it names through `crate::`; `None`
    /// when it names everything.
    module_deps: BTreeMap<String, Option<BTreeSet<String>>>,
    /// A path under the crate and the features it needs.
    gates: Vec<(Vec<String>, BTreeSet<String>)>,
}

impl Library {
    /// Reads every `.rs` file under `src/` (but `src/bin/`).
    pub(crate) fn read(root: &Path) -> Result<Library> {
        let src = root.join("src");
        let mut modules: BTreeMap<String, Vec<(PathBuf, Vec<u8>)>> = BTreeMap::new();
        let mut gates = Vec::new();
        for path in files_with_extension(&src, "rs")? {
            let rel = path.strip_prefix(&src).expect("listed under src");
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.first().is_some_and(|p| p == "bin") {
                continue;
            }
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            gates.extend(feature_gates(&parts, &String::from_utf8_lossy(&bytes)));
            let Some(top) = parts.first() else {
                continue; // lib.rs: part of every key already
            };
            modules.entry(top.clone()).or_default().push((
                path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
                bytes,
            ));
        }
        let module_deps = modules
            .iter()
            .map(|(name, files)| {
                let mut deps = BTreeSet::new();
                for (_, bytes) in files {
                    let uses = Uses::of(&String::from_utf8_lossy(bytes), "crate");
                    if uses.everything {
                        return (name.clone(), None);
                    }
                    deps.extend(uses.top_level());
                }
                (name.clone(), Some(deps))
            })
            .collect();
        Ok(Library {
            modules,
            module_deps,
            gates,
        })
    }

    /// The library's top-level modules that `uses` needs, directly or through other modules;
    /// all of them when it names something we cannot follow.
    pub(crate) fn modules_used_by(&self, uses: &Uses) -> BTreeSet<String> {
        let all = || self.modules.keys().cloned().collect();
        if uses.everything {
            return all();
        }
        let mut found = BTreeSet::new();
        let mut todo: Vec<String> = Vec::new();
        for top in uses.top_level() {
            if self.modules.contains_key(&top) {
                todo.push(top);
            } else if !self.is_root_item(&top) {
                return all();
            }
        }
        while let Some(m) = todo.pop() {
            if !found.insert(m.clone()) {
                continue;
            }
            match &self.module_deps[&m] {
                None => return all(),
                // `crate::` paths may also name items at the root; only modules count.
                Some(deps) => todo.extend(
                    deps.iter()
                        .filter(|d| self.modules.contains_key(*d))
                        .cloned(),
                ),
            }
        }
        found
    }

    /// Root items other than modules are defined in `lib.rs`, which every key covers.
    fn is_root_item(&self, name: &str) -> bool {
        !self.modules.contains_key(name)
            && !self
                .gates
                .iter()
                .any(|(path, _)| path.len() == 1 && path[0] == name)
            && name.chars().next().is_some_and(|c| c.is_uppercase())
    }

    /// The files of the given modules with their bytes, in a stable order.
    pub(crate) fn files_of<'a>(
        &'a self,
        modules: &'a BTreeSet<String>,
    ) -> impl Iterator<Item = &'a (PathBuf, Vec<u8>)> + 'a {
        modules.iter().filter_map(|m| self.modules.get(m)).flatten()
    }

    /// The cargo features `uses` needs: those gating a path it names or anything under one of
    /// its paths' gated prefixes; every feature when it names everything.
    pub(crate) fn features_used_by(&self, uses: &Uses) -> BTreeSet<String> {
        if uses.everything {
            return self.gates.iter().flat_map(|(_, f)| f.clone()).collect();
        }
        let mut features = BTreeSet::new();
        for path in &uses.paths {
            for (gate, needs) in &self.gates {
                // `caching::*` (a glob in a macro) reaches everything under `caching`.
                let globbed = path.last().is_some_and(|s| s == "*")
                    && gate.starts_with(&path[..path.len() - 1]);
                if path.starts_with(gate) || globbed {
                    features.extend(needs.iter().cloned());
                }
            }
        }
        features
    }
}

/// The library's modules every chapter shares, compiled in every notebook: the only top-level
/// modules not behind a feature of their own name.
pub(crate) const CORE_MODULES: [&str; 2] = ["chart", "show"];

impl Library {
    /// Checks the rule that keeps a notebook light: each top-level module but the core
    /// ([`CORE_MODULES`]) is behind a cargo feature of its own name, which `features` (the
    /// `[features]` table of the root `Cargo.toml`) declares, turning on every gated module the
    /// module's code names, and which the `chapters` feature lists. The error names each
    /// missing line.
    pub(crate) fn check_module_features(&self, features: &toml::Table) -> Result<()> {
        let listed = |feature: &str| -> Option<BTreeSet<String>> {
            let list = features.get(feature)?.as_array()?;
            Some(
                list.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_string)
                    .collect(),
            )
        };
        let gated_by_own_name = |module: &str| {
            self.gates
                .iter()
                .any(|(path, needs)| path == &[module.to_string()] && needs.contains(module))
        };
        let chapters = listed("chapters").unwrap_or_default();
        let mut problems = Vec::new();
        for (module, deps) in &self.module_deps {
            if CORE_MODULES.contains(&module.as_str()) {
                continue;
            }
            if !gated_by_own_name(module) {
                problems.push(format!(
                    "src/lib.rs: `pub mod {module};` needs `#[cfg(feature = \"{module}\")]` above it"
                ));
            }
            let Some(turns_on) = listed(module) else {
                problems.push(format!(
                    "Cargo.toml: [features] has no `{module} = [...]` line (the modules `{module}` uses)"
                ));
                continue;
            };
            if !chapters.contains(module) {
                problems.push(format!(
                    "Cargo.toml: the `chapters` feature does not list \"{module}\""
                ));
            }
            let names: Vec<&String> = match deps {
                Some(deps) => deps.iter().collect(),
                None => self.modules.keys().collect(),
            };
            for dep in names {
                if dep != module
                    && self.modules.contains_key(dep)
                    && !CORE_MODULES.contains(&dep.as_str())
                    && !turns_on.contains(dep)
                {
                    problems.push(format!(
                        "Cargo.toml: feature `{module}` must turn on \"{dep}\" (src/{module} names crate::{dep})"
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            anyhow::bail!(
                "each library module needs a feature of its own name:\n  {}",
                problems.join("\n  ")
            )
        }
    }
}

/// The paths that `source` (the file of module `module`) puts behind `#[cfg(feature = ...)]`:
/// a `mod`, the names a `use` brings in, an item, or an enum's variant.
fn feature_gates(module: &[String], source: &str) -> Vec<(Vec<String>, BTreeSet<String>)> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut gates = Vec::new();
    let at = |name: String| {
        let mut path = module.to_vec();
        path.push(name);
        path
    };
    for item in &file.items {
        let (attrs, names): (&[syn::Attribute], Vec<String>) = match item {
            syn::Item::Mod(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Use(i) => (&i.attrs, use_names(&i.tree)),
            syn::Item::Fn(i) => (&i.attrs, vec![i.sig.ident.to_string()]),
            syn::Item::Struct(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Trait(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Type(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Const(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Static(i) => (&i.attrs, vec![i.ident.to_string()]),
            syn::Item::Enum(i) => {
                for v in &i.variants {
                    let needs = features_of(&v.attrs);
                    if !needs.is_empty() {
                        gates.push((
                            at(i.ident.to_string())
                                .into_iter()
                                .chain([v.ident.to_string()])
                                .collect(),
                            needs,
                        ));
                    }
                }
                (&i.attrs, vec![i.ident.to_string()])
            }
            _ => continue,
        };
        let needs = features_of(attrs);
        if !needs.is_empty() {
            gates.extend(names.into_iter().map(|n| (at(n), needs.clone())));
        }
    }
    gates
}

/// The local names a `use` tree brings in.
fn use_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree),
        syn::UseTree::Name(n) => vec![n.ident.to_string()],
        syn::UseTree::Rename(r) => vec![r.rename.to_string()],
        syn::UseTree::Glob(_) => Vec::new(),
        syn::UseTree::Group(g) => g.items.iter().flat_map(use_names).collect(),
    }
}

/// The features named in `#[cfg(...)]` attributes (`feature = "x"`, also inside `all`/`any`):
/// asking for all of them is always enough.
fn features_of(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        if let syn::Meta::List(list) = &attr.meta {
            collect_features(list.tokens.clone(), &mut found);
        }
    }
    found
}

fn collect_features(tokens: TokenStream, found: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(g) => collect_features(g.stream(), found),
            TokenTree::Ident(id) if id == "feature" => {
                if let (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(lit))) =
                    (trees.get(i + 1), trees.get(i + 2))
                    && eq.as_char() == '='
                    && let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&lit.to_string())
                {
                    found.insert(s.value());
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(uses: &Uses) -> Vec<String> {
        uses.paths.iter().map(|p| p.join("::")).collect()
    }

    #[test]
    fn plain_grouped_and_nested_imports_are_read() {
        let uses = Uses::of(
            "use sysdesign::{show::{self, Table}, chart};\nuse sysdesign::caching::Lru;\n\
             fn main() { let _ = Lru::<u8, u8>::new(2); }",
            "sysdesign",
        );
        assert!(!uses.everything);
        assert_eq!(
            uses.top_level(),
            BTreeSet::from(["caching".into(), "chart".into(), "show".into()])
        );
        assert!(paths(&uses).contains(&"caching::Lru::new".to_string()));
    }

    #[test]
    fn comments_and_strings_are_not_paths() {
        let uses = Uses::of(
            "// sysdesign::hashing::HashRing\n/// see [`sysdesign::bloom_filters`]\n\
             fn main() { let url = \"http://x\"; println!(\"{url} sysdesign::indexes\"); \
             let _ = sysdesign::caching::Lru::<u8, u8>::new(1); }",
            "sysdesign",
        );
        assert_eq!(uses.top_level(), BTreeSet::from(["caching".into()]));
    }

    #[test]
    fn an_alias_of_the_crate_or_a_glob_means_everything() {
        for source in [
            "use sysdesign as sd;\nfn main() { sd::caching::Lru::<u8, u8>::new(1); }",
            "extern crate sysdesign as sd;\nfn main() {}",
            "use sysdesign::*;\nfn main() {}",
            "use sysdesign::caching::*;\nfn main() {}",
            "use sysdesign::{caching, show::*};\nfn main() {}",
            "fn main() { this does not parse",
        ] {
            assert!(Uses::of(source, "sysdesign").everything, "{source}");
        }
    }

    #[test]
    fn module_aliases_resolve_to_full_paths() {
        let uses = Uses::of(
            "use sysdesign::relational_acid as acid;\nuse sysdesign::key_value_stores;\n\
             fn main() { acid::sqlite::transfer(); key_value_stores::LogStore::open(); }",
            "sysdesign",
        );
        let p = paths(&uses);
        assert!(
            p.contains(&"relational_acid::sqlite::transfer".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"key_value_stores::LogStore::open".to_string()),
            "{p:?}"
        );
    }

    #[test]
    fn paths_inside_macros_count() {
        let uses = Uses::of(
            "fn main() { println!(\"{}\", sysdesign::hashing::HashRing::new()); \
             assert!(lru::LruCache::<u8, u8>::unbounded().is_empty()); }",
            "sysdesign",
        );
        assert_eq!(uses.top_level(), BTreeSet::from(["hashing".into()]));
        assert!(uses.crates.contains("lru"));
    }

    #[test]
    fn crates_are_first_segments_of_other_paths() {
        let uses = Uses::of(
            "use rand::SeedableRng;\nuse std::fmt;\nfn main() { let _ = tempfile::tempdir(); }",
            "sysdesign",
        );
        assert_eq!(
            uses.crates,
            BTreeSet::from(["rand".into(), "tempfile".into()])
        );
    }

    fn library(files: &[(&str, &str)]) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let lib = Library::read(dir.path()).unwrap();
        (dir, lib)
    }

    fn features_table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_module_with_its_own_feature_listing_what_it_uses_passes() {
        let (_dir, lib) = library(&[
            (
                "src/lib.rs",
                "#[cfg(feature = \"quorum\")]\npub mod quorum;\n\
                 #[cfg(feature = \"replicated\")]\npub mod replicated;\npub mod show;\n",
            ),
            (
                "src/quorum.rs",
                "use crate::replicated::Sim;\nuse crate::show;\n",
            ),
            ("src/replicated.rs", "pub struct Sim;\n"),
            ("src/show.rs", "pub fn table() {}\n"),
        ]);
        let ok = features_table(
            "chapters = [\"quorum\", \"replicated\"]\nquorum = [\"replicated\"]\nreplicated = []\n",
        );
        lib.check_module_features(&ok).unwrap();
        let missing_dep = features_table(
            "chapters = [\"quorum\", \"replicated\"]\nquorum = []\nreplicated = []\n",
        );
        let err = lib
            .check_module_features(&missing_dep)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "feature `quorum` must turn on \"replicated\" (src/quorum names crate::replicated)"
            ),
            "{err}"
        );
        let unlisted = features_table(
            "chapters = [\"replicated\"]\nquorum = [\"replicated\"]\nreplicated = []\n",
        );
        let err = lib
            .check_module_features(&unlisted)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the `chapters` feature does not list \"quorum\""),
            "{err}"
        );
    }

    #[test]
    fn an_ungated_module_or_a_missing_feature_line_is_named() {
        let (_dir, lib) = library(&[
            ("src/lib.rs", "pub mod hashing;\npub mod chart;\n"),
            ("src/hashing.rs", "pub struct Ring;\n"),
            ("src/chart.rs", "pub struct LineChart;\n"),
        ]);
        let err = lib
            .check_module_features(&features_table("chapters = []\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`pub mod hashing;` needs `#[cfg(feature = \"hashing\")]` above it"),
            "{err}"
        );
        assert!(err.contains("has no `hashing = [...]` line"), "{err}");
        assert!(!err.contains("chart"), "the core needs no feature: {err}");
    }

    #[test]
    fn features_follow_gated_modules_items_and_variants() {
        let (_dir, lib) = library(&[
            (
                "src/lib.rs",
                "pub mod acid;\npub mod kv;\n#[cfg(feature = \"linalg\")]\npub mod fit;\n",
            ),
            (
                "src/acid/mod.rs",
                "pub mod wal;\n#[cfg(feature = \"sqlite\")]\npub mod sqlite;\n",
            ),
            ("src/acid/wal.rs", "pub struct Wal;\n"),
            ("src/acid/sqlite.rs", "pub fn transfer() {}\n"),
            (
                "src/kv.rs",
                "use crate::acid::wal::Wal;\n#[cfg(feature = \"sqlite\")]\npub use crate::acid::sqlite::transfer;\n\
                 pub enum Any { Mem, #[cfg(feature = \"redis\")] Redis }\n",
            ),
            ("src/fit.rs", "pub struct Poly;\n"),
        ]);
        let features = |source: &str| {
            let f = lib.features_used_by(&Uses::of(source, "sysdesign"));
            f.into_iter().collect::<Vec<_>>()
        };
        assert!(features("use sysdesign::acid::wal::Wal;\nfn main() {}").is_empty());
        assert_eq!(
            features("use sysdesign::acid;\nfn main() { acid::sqlite::transfer(); }"),
            ["sqlite"]
        );
        assert_eq!(
            features("use sysdesign::kv::transfer;\nfn main() {}"),
            ["sqlite"]
        );
        assert_eq!(
            features("fn main() { let _ = sysdesign::kv::Any::Redis; }"),
            ["redis"]
        );
        assert!(features("fn main() { let _ = sysdesign::kv::Any::Mem; }").is_empty());
        assert_eq!(
            features("use sysdesign::fit::Poly;\nfn main() {}"),
            ["linalg"]
        );
        assert_eq!(
            features("use sysdesign as sd;\nfn main() {}"),
            ["linalg", "redis", "sqlite"]
        );
        // kv uses acid, so a program using kv depends on both modules' sources.
        let modules = lib.modules_used_by(&Uses::of(
            "use sysdesign::kv::Any;\nfn main() {}",
            "sysdesign",
        ));
        assert_eq!(modules, BTreeSet::from(["acid".into(), "kv".into()]));
    }
}
