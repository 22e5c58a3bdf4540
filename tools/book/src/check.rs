//! Checks on the built site: every internal link and anchor resolves; every page loads in a
//! headless browser without a script error, every Mermaid block became an SVG, and no page
//! holds a `javascript:` URL, an inline event handler or an element a run's output put there.

use anyhow::{Context, Result, bail};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// All `.html` files under `site`, sorted, relative to it.
pub(crate) fn pages(site: &Path) -> Result<Vec<PathBuf>> {
    Ok(crate::project::files_with_extension(site, "html")?
        .into_iter()
        .map(|p| {
            p.strip_prefix(site)
                .expect("listed under site")
                .to_path_buf()
        })
        .collect())
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).expect("the link pattern is valid")
});
static ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s(?:id|name)\s*=\s*"([^"]*)""#).expect("the id pattern is valid")
});

/// Checks every relative `href` and `src` of every page: the file exists inside the site, and a
/// `#fragment` names an element of the target page. Returns the number of links checked.
pub(crate) fn links(site: &Path) -> Result<usize> {
    let pages = pages(site)?;
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut texts = BTreeMap::new();
    for page in &pages {
        let text = std::fs::read_to_string(site.join(page))
            .with_context(|| format!("cannot read {}", page.display()))?;
        ids.insert(
            page.clone(),
            ID.captures_iter(&text).map(|c| c[1].to_string()).collect(),
        );
        texts.insert(page.clone(), text);
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, text) in &texts {
        for caps in LINK.captures_iter(text) {
            let link = html_unescape(&caps[1]);
            if is_external(&link) {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or_default();
            let joined = match path.strip_prefix('/') {
                _ if path.is_empty() => page.clone(),
                Some(from_root) => PathBuf::from(percent_decode(from_root)),
                None => page
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(percent_decode(path)),
            };
            let Some(target) = normalize(&joined) else {
                broken.push(format!(
                    "{}: {link:?} points outside the site",
                    page.display()
                ));
                continue;
            };
            let target = if path.ends_with('/') || site.join(&target).is_dir() {
                target.join("index.html")
            } else {
                target
            };
            if !site.join(&target).is_file() {
                broken.push(format!(
                    "{}: {link:?}: there is no {}",
                    page.display(),
                    target.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let fragment = percent_decode(fragment);
                match ids.get(&target) {
                    Some(known) if known.contains(&fragment) => {}
                    Some(_) => broken.push(format!(
                        "{}: {link:?}: {} has no element with id {fragment:?}",
                        page.display(),
                        target.display()
                    )),
                    None => {}
                }
            }
        }
    }
    if !broken.is_empty() {
        bail!(
            "{} broken link(s) in the built site {} (each page is built from the chapter of the same path under book/):\n  {}",
            broken.len(),
            site.display(),
            broken.join("\n  ")
        );
    }
    Ok(checked)
}

fn is_external(link: &str) -> bool {
    link.starts_with("//")
        || link.starts_with('{')
        || link.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::Normal(p) => out.push(p),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// What the browser saw on one page.
#[derive(Debug)]
pub(crate) struct PageReport {
    /// The page, relative to the site.
    pub page: PathBuf,
    /// Mermaid blocks on the page.
    pub diagrams: usize,
    /// Of those, how many became an SVG.
    pub rendered: usize,
}

/// Finds Chromium: `$CHROMIUM`, then the usual names on `PATH`.
pub(crate) fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Whether we may install packages ourselves: running as root on a system with apt-get.
fn may_apt_install() -> bool {
    // SAFETY: geteuid has no preconditions and no side effects.
    let root = unsafe { libc::geteuid() } == 0;
    root && Path::new("/usr/bin/apt-get").is_file()
}

/// Installs one Debian package with apt-get (the callers have checked [`may_apt_install`]), saying so first, since it takes a while.
fn apt_install(package: &str) -> Result<()> {
    eprintln!(
        "sysdesign-book: {package} is missing; installing Debian's package (apt-get install {package})"
    );
    for args in [
        &["update", "-qq"][..],
        &["install", "-y", "-qq", "--no-install-recommends", package][..],
    ] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get")?;
        if !status.success() {
            bail!(
                "apt-get {} failed ({status}); install {package} by hand and run again",
                args.join(" ")
            );
        }
    }
    Ok(())
}

/// Finds Chromium, installing Debian's package when it is missing and we may (root with apt-get).
pub(crate) fn chromium_or_install() -> Result<PathBuf> {
    if let Some(found) = find_chromium() {
        return Ok(found);
    }
    if !may_apt_install() {
        bail!(
            "the browser check needs Chromium, which is not installed.\n\
             Install it (Debian/Ubuntu: `sudo apt-get install chromium`), or set CHROMIUM=/path/to/chrome, \
             then run `cargo book test` again."
        );
    }
    apt_install("chromium")?;
    find_chromium().context("apt-get installed chromium, but no chromium is on PATH")
}

/// Finds `redis-server` (as `sysdesign::redis_server` does: `$REDIS_SERVER`, else `PATH`),
/// installing Debian's package when it is missing and we may (root with apt-get).
///
/// Installing the package may also start a system service on port 6379; nothing relies on it:
/// every test and snippet starts its own private server on a free port.
pub(crate) fn redis_server_or_install() -> Result<PathBuf> {
    if let Some(found) = sysdesign::redis_server::program() {
        return Ok(found);
    }
    if !may_apt_install() {
        bail!(
            "the Redis tests need redis-server, which is not installed.\n\
             Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`), \
             or set REDIS_SERVER=/path/to/redis-server, then run `cargo book test` again."
        );
    }
    apt_install("redis-server")?;
    sysdesign::redis_server::program()
        .context("apt-get installed redis-server, but no redis-server is on PATH")
}

static CONSOLE_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"CONSOLE.*"((?:Uncaught|Failed to load resource|Refused to)[^"]*)""#)
        .expect("the console pattern is valid")
});

/// Loads every page of `site` in headless Chromium, served over HTTP on loopback as a reader
/// would see it; fails on any script error, failed load or Mermaid block that did not become
/// an SVG.
pub(crate) fn browser(chromium: &Path, site: &Path, scratch: &Path) -> Result<Vec<PageReport>> {
    let server = crate::serve::Background::start(site.to_path_buf())?;
    // toc.html is the sidebar for readers without scripts: a fragment, not a page.
    let pages: Vec<PathBuf> = pages(site)?
        .into_iter()
        .filter(|p| p != Path::new("toc.html"))
        .collect();
    // One Chromium per core (two at most: each renders with several threads of its own), each
    // with a profile folder of its own, taking the next page as it finishes one.
    let lanes = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut checked: Vec<(usize, Result<PageCheck>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..lanes)
            .map(|lane| {
                let (next, pages, addr) = (&next, &pages, server.addr);
                let profile = scratch.join(format!("chromium-profile-{lane}"));
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(page) = pages.get(i) else {
                            return done;
                        };
                        done.push((i, check_page(chromium, addr, page, &profile)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a page check does not panic"))
            .collect()
    });
    checked.sort_by_key(|(i, _)| *i);
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    for (_, result) in checked {
        let (found, report) = result?;
        problems.extend(found);
        reports.extend(report);
    }
    if !problems.is_empty() {
        bail!("the browser check failed:\n  {}", problems.join("\n  "));
    }
    Ok(reports)
}

/// What is wrong with one page, and its report when it loaded.
type PageCheck = (Vec<String>, Option<PageReport>);

/// Loads one page of the site served at `addr` in headless Chromium (with `profile` as its
/// profile folder) and returns what is wrong with it, and its diagrams' count when it loaded.
fn check_page(
    chromium: &Path,
    addr: std::net::SocketAddr,
    page: &Path,
    profile: &Path,
) -> Result<PageCheck> {
    let mut problems = Vec::new();
    let _ = std::fs::remove_dir_all(profile);
    let url = format!("http://{addr}/{}", page.display());
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=15000",
            "--window-size=1280,1000",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&url)
        .output()
        .with_context(|| format!("cannot run {}", chromium.display()))?;
    if !output.status.success() {
        problems.push(format!(
            "{}: Chromium exited with {}",
            page.display(),
            output.status
        ));
        return Ok((problems, None));
    }
    let dom = String::from_utf8_lossy(&output.stdout);
    let log = String::from_utf8_lossy(&output.stderr);
    for caps in CONSOLE_ERROR.captures_iter(&log) {
        problems.push(format!("{}: {}", page.display(), &caps[1]));
    }
    for found in injected(&dom) {
        problems.push(format!("{}: {found}", page.display()));
    }
    let (diagrams, rendered, errors) = mermaid_blocks(&dom);
    if rendered < diagrams {
        problems.push(format!(
            "{}: {} of {diagrams} Mermaid diagram(s) did not become an SVG",
            page.display(),
            diagrams - rendered
        ));
    }
    if errors > 0 {
        problems.push(format!(
            "{}: {errors} Mermaid diagram(s) rendered as a syntax error",
            page.display()
        ));
    }
    for (i, px) in diagram_text_sizes(&dom).into_iter().enumerate() {
        match px {
            Some(px) if px < MIN_DIAGRAM_TEXT_PX => problems.push(format!(
                "{}: Mermaid diagram {} renders its smallest text at {px:.1} px, below {MIN_DIAGRAM_TEXT_PX} px at 1280 px wide; make it narrower (top-down, shorter labels) or split it",
                page.display(),
                i + 1
            )),
            Some(_) => {}
            None => problems.push(format!(
                "{}: Mermaid diagram {} was not measured (theme/mermaid-init.js sets data-min-text-px after drawing)",
                page.display(),
                i + 1
            )),
        }
    }
    Ok((
        problems,
        Some(PageReport {
            page: page.to_path_buf(),
            diagrams,
            rendered,
        }),
    ))
}

/// One start tag in a DOM dump: its name and its attributes, lower-cased names.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>"#)
        .expect("the tag pattern is valid")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([^\s=>"'/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"#)
        .expect("the attribute pattern is valid")
});

/// What a page's DOM holds that a run's output must never put there: any `javascript:` URL
/// or inline event handler anywhere (the book writes neither), and, inside the blocks that
/// show a run's output, any element but the ones the tool writes (a `<pre>`'s code holds only
/// text, a table only its rows and cells, a figure only its picture, as a data URI, and its
/// caption).
fn injected(dom: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in TAG.captures_iter(dom) {
        let name = tag[1].to_ascii_lowercase();
        for attr in ATTRIBUTE.captures_iter(&tag[2]) {
            let key = attr[1].to_ascii_lowercase();
            let value = attr
                .get(2)
                .or(attr.get(3))
                .or(attr.get(4))
                .map_or("", |m| m.as_str());
            let url = html_unescape(value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if url.starts_with("javascript:") {
                found.push(format!(
                    "<{name}> has a javascript: URL in {key}: {value:?}"
                ));
            }
            if key.starts_with("on") && key.len() > 2 {
                found.push(format!(
                    "<{name}> has an inline event handler, {key}={value:?}"
                ));
            }
        }
    }
    // The blocks a run's output becomes, and the elements each may hold.
    let blocks: [(&str, &str, &[&str]); 3] = [
        ("<pre class=\"snippet-output\"><code>", "</code>", &[]),
        (
            "<table class=\"sysdesign-table\">",
            "</table>",
            &["caption", "thead", "tbody", "tr", "th", "td", "br"],
        ),
        (
            "<figure class=\"sysdesign-figure\">",
            "</figure>",
            &["img", "figcaption"],
        ),
    ];
    for (open, close, allowed) in blocks {
        let mut rest = dom;
        while let Some(start) = rest.find(open) {
            let inner = &rest[start + open.len()..];
            let end = inner.find(close).unwrap_or(inner.len());
            for tag in TAG.captures_iter(&inner[..end]) {
                let name = tag[1].to_ascii_lowercase();
                if !allowed.contains(&name.as_str()) {
                    found.push(format!(
                        "an element <{name}> inside {open}, where a run's output is only text"
                    ));
                }
                if name == "img" && !tag[2].contains("src=\"data:image/svg+xml;base64,") {
                    found.push(format!(
                        "a figure whose image is not the run's SVG: {}",
                        &tag[0]
                    ));
                }
            }
            rest = &inner[end..];
        }
    }
    found
}

/// The smallest text a diagram may render at in a 1280 px wide window, in CSS pixels.
pub(crate) const MIN_DIAGRAM_TEXT_PX: f64 = 11.0;

/// For each `<pre class="mermaid">` block, the size its smallest text rendered at, as the
/// page's script measured it (`data-min-text-px`), or `None` if it was not measured.
fn diagram_text_sizes(dom: &str) -> Vec<Option<f64>> {
    let mut sizes = Vec::new();
    let mut rest = dom;
    while let Some(start) = rest.find("<pre class=\"mermaid\"") {
        let block = &rest[start..];
        let tag_end = block.find('>').unwrap_or(block.len());
        let tag = &block[..tag_end];
        sizes.push(
            tag.split_once("data-min-text-px=\"")
                .and_then(|(_, v)| v.split('"').next())
                .and_then(|v| v.parse().ok()),
        );
        rest = &block[tag_end..];
    }
    sizes
}

/// Counts `<pre class="mermaid">` blocks, those that hold an `<svg`, and those whose SVG is
/// Mermaid's error picture.
fn mermaid_blocks(dom: &str) -> (usize, usize, usize) {
    let mut total = 0;
    let mut rendered = 0;
    let mut errors = 0;
    let mut rest = dom;
    while let Some(start) = rest.find("<pre class=\"mermaid\"") {
        let block = &rest[start..];
        let end = block.find("</pre>").unwrap_or(block.len());
        let inner = &block[..end];
        total += 1;
        if inner.contains("<svg") {
            rendered += 1;
        }
        if inner.contains("aria-roledescription=\"error\"") {
            errors += 1;
        }
        rest = &block[end..];
    }
    (total, rendered, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_outside_the_site_or_to_missing_anchors_are_reported() {
        let site = std::env::temp_dir().join(format!("sysdesign-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("part")).unwrap();
        std::fs::write(
            site.join("index.html"),
            r#"<a href="part/a.html#there">ok</a> <a href="https://example.com">ext</a>"#,
        )
        .unwrap();
        std::fs::write(site.join("part/a.html"), r#"<h2 id="there">x</h2> <a href="../index.html#nowhere">bad</a> <a href="../../etc/passwd">out</a> <img src="missing.svg">"#).unwrap();
        let err = links(&site).unwrap_err().to_string();
        std::fs::remove_dir_all(&site).unwrap();
        assert!(err.contains("3 broken link(s)"), "{err}");
        assert!(err.contains("part/a.html: \"../index.html#nowhere\": index.html has no element with id \"nowhere\""), "{err}");
        assert!(err.contains("points outside the site"), "{err}");
        assert!(err.contains("there is no part/missing.svg"), "{err}");
    }

    #[test]
    fn elements_or_urls_a_run_could_inject_are_found() {
        let clean = r#"<p><a href="other.html">x</a></p><pre class="snippet-output"><code>&lt;b&gt; [a](javascript:x)</code></pre><table class="sysdesign-table"><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>a<br>b</td></tr></tbody></table><figure class="sysdesign-figure"><img src="data:image/svg+xml;base64,PHN2Zy8+" alt="a &quot;b&quot; onerror=x"><figcaption>a</figcaption></figure>"#;
        assert_eq!(injected(clean), Vec::<String>::new());
        for (dom, what) in [
            (r#"<a href="javascript:alert(1)">x</a>"#, "javascript: URL"),
            (r#"<a href=" JaVaScRiPt:alert(1)">x</a>"#, "javascript: URL"),
            ("<a href=\"java\n\tscript:x\">x</a>", "javascript: URL"),
            (r#"<iframe src='javascript:x'></iframe>"#, "javascript: URL"),
            (r#"<img src=x onerror=alert(1)>"#, "inline event handler"),
            (r#"<div onclick="x">d</div>"#, "inline event handler"),
            (
                r#"<pre class="snippet-output"><code>a<h1>b</h1></code></pre>"#,
                "<h1> inside",
            ),
            (
                r#"<table class="sysdesign-table"><tbody><tr><td><a href="x">x</a></td></tr></tbody></table>"#,
                "<a> inside",
            ),
            (
                r#"<figure class="sysdesign-figure"><img src="https://example.com/x.png"><figcaption>a</figcaption></figure>"#,
                "not the run's SVG",
            ),
        ] {
            let found = injected(dom);
            assert!(found.iter().any(|f| f.contains(what)), "{dom}: {found:?}");
        }
    }

    #[test]
    fn mermaid_blocks_are_counted() {
        let dom = r#"<pre class="mermaid"><svg></svg></pre><pre class="mermaid">graph</pre><pre class="mermaid"><svg aria-roledescription="error"></svg></pre>"#;
        assert_eq!(mermaid_blocks(dom), (3, 2, 1));
    }

    #[test]
    fn diagram_text_sizes_are_read_from_the_measured_attribute() {
        let dom = r#"<pre class="mermaid" data-processed="true" data-min-text-px="7.5"><svg></svg></pre><pre class="mermaid">graph</pre><pre class="mermaid" data-min-text-px="16.0">"#;
        assert_eq!(diagram_text_sizes(dom), [Some(7.5), None, Some(16.0)]);
    }
}
