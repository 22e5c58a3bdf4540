//! The book's chapters as doctests.
//!
//! `cargo test` compiles and runs every ```` ```rust ```` block of every chapter listed in
//! `book/SUMMARY.md` as a doctest of this crate. It is a crate of its own, not part of the
//! library, so that editing a chapter's prose recompiles only this crate: the library, the
//! snippets and the notebooks never see the chapters.
//!
//! The build script writes one empty module per chapter whose doc comment is the chapter itself
//! (`#[doc = include_str!(...)]`); a new chapter is tested as soon as `SUMMARY.md` lists it.

/// Every chapter of the book, in `SUMMARY.md` order.
#[cfg(doctest)]
pub mod chapters {
    include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
}
