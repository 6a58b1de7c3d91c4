//! The detector: which recognisable values must never be observed, and where they were.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What kind of value a forbidden value is, which decides how it is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A secret (password, key, token): matched as a substring.
    Secret,
    /// A card number: matched as a substring, as digits and in its 4-digit groups separated by
    /// a space or a dash.
    Pan,
    /// A CVV/CVC: matched only as a standalone token (see [`standalone_tokens`]).
    Cvv,
}

/// A value that must not appear in anything observed.
#[derive(Debug, Clone)]
pub(crate) struct Forbidden {
    /// Whose value it is (`flitt`, `demo/pivot`).
    pub(crate) owner: String,
    /// What it is (`payment key`, `PAN for 3-D Secure`).
    pub(crate) what: String,
    /// The value as given.
    pub(crate) value: String,
    /// How it is matched.
    pub(crate) kind: Kind,
}

impl Forbidden {
    pub(crate) fn secret(owner: &str, what: &str, value: &str) -> Self {
        Self::new(owner, what, value, Kind::Secret)
    }

    pub(crate) fn pan(owner: &str, what: &str, value: &str) -> Self {
        Self::new(owner, what, value, Kind::Pan)
    }

    pub(crate) fn cvv(owner: &str, what: &str, value: &str) -> Self {
        Self::new(owner, what, value, Kind::Cvv)
    }

    fn new(owner: &str, what: &str, value: &str, kind: Kind) -> Self {
        Self {
            owner: owner.to_owned(),
            what: what.to_owned(),
            value: value.to_owned(),
            kind,
        }
    }

    /// The name used in reports and in scrubbed contexts, never the value itself.
    pub(crate) fn name(&self) -> String {
        let kind = match self.kind {
            Kind::Secret => "secret",
            Kind::Pan => "PAN",
            Kind::Cvv => "CVV",
        };
        format!("{} {kind} ({})", self.owner, self.what)
    }

    /// The spellings that count as this value appearing. A card number counts as its bare
    /// digits and in 4-digit groups separated by spaces or dashes, whichever way it was given.
    pub(crate) fn spellings(&self) -> Vec<String> {
        match self.kind {
            Kind::Secret | Kind::Cvv => vec![self.value.clone()],
            Kind::Pan => {
                let digits: String = self.value.chars().filter(char::is_ascii_digit).collect();
                let groups: Vec<String> = digits
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                let mut spellings = vec![digits, groups.join(" "), groups.join("-")];
                if !spellings.contains(&self.value) {
                    spellings.push(self.value.clone());
                }
                spellings
            }
        }
    }

    /// Byte offsets at which this value appears in `text`, with the matched length.
    pub(crate) fn find_in(&self, text: &str) -> Vec<(usize, usize)> {
        match self.kind {
            Kind::Secret | Kind::Pan => {
                let mut found = Vec::new();
                for spelling in self.spellings() {
                    found.extend(
                        text.match_indices(spelling.as_str())
                            .map(|(at, s)| (at, s.len())),
                    );
                }
                found.sort_unstable();
                found.dedup();
                found
            }
            Kind::Cvv => standalone_tokens(text)
                .filter(|(_, token)| *token == self.value)
                .map(|(at, token)| (at, token.len()))
                .collect(),
        }
    }
}

/// A character that continues an identifier: letters and digits (of any script, so `123µs`
/// is one token), and `-` and `_`, so that a group of a UUID (`…-8397-…`) or an id such as
/// `pay_mock8397` is part of a longer run, not a standalone token.
fn continues_token(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The maximal runs of identifier characters of `text`, with their byte offsets. A CVV is
/// reported only when one of these runs is exactly the CVV: `"cvv":"8397"`, `cvv2=8397&` and
/// `Cvv(8397)` are, `a8397`, `83971` and `id-8397-x` are not.
pub(crate) fn standalone_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = rest.peek() {
            if continues_token(c) {
                break;
            }
            rest.next();
        }
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !continues_token(c) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// Everything observed, each text with a description of where it came from.
#[derive(Default)]
pub(crate) struct Observed {
    entries: Vec<(String, String)>,
}

impl Observed {
    pub(crate) fn push(&mut self, place: impl Into<String>, text: impl Into<String>) {
        self.entries.push((place.into(), text.into()));
    }

    pub(crate) fn extend(&mut self, other: Observed) {
        self.entries.extend(other.entries);
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn total_bytes(&self) -> usize {
        self.entries.iter().map(|(_, t)| t.len()).sum()
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

/// One appearance of a forbidden value.
#[derive(Debug, Clone)]
pub(crate) struct Leak {
    /// [`Forbidden::name`] of the value.
    pub(crate) value: String,
    /// Where it appeared.
    pub(crate) place: String,
    /// The text around it, with every forbidden value replaced by its name.
    pub(crate) context: String,
}

impl fmt::Display for Leak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} appeared in {}: …{}…",
            self.value, self.place, self.context
        )
    }
}

/// How many characters of context are shown on each side of a leak.
const CONTEXT: usize = 60;

/// Every appearance of every forbidden value in everything observed, in order of the
/// observations.
pub(crate) fn find_leaks(observed: &Observed, forbidden: &[Forbidden]) -> Vec<Leak> {
    let mut leaks = Vec::new();
    for (place, text) in observed.entries() {
        for value in forbidden {
            for (at, len) in value.find_in(text) {
                leaks.push(Leak {
                    value: value.name(),
                    place: place.to_owned(),
                    context: context(text, at, len, &value.name(), forbidden),
                });
            }
        }
    }
    leaks
}

/// The text around `text[at..at + len]`, on one line: the leaked value itself shown as
/// `«its name»`, and every other forbidden value near it replaced the same way.
fn context(text: &str, at: usize, len: usize, name: &str, forbidden: &[Forbidden]) -> String {
    // Scrub a wider window than is shown, so that no value cut by the window's edge shows.
    let mut start = at.saturating_sub(CONTEXT * 8);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + CONTEXT * 8).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let before = scrub(&text[start..at], forbidden);
    let after = scrub(&text[at + len..end], forbidden);
    let before: Vec<char> = before.chars().collect();
    let before: String = before[before.len().saturating_sub(CONTEXT)..]
        .iter()
        .collect();
    let after: String = after.chars().take(CONTEXT).collect();
    format!("{before}«{name}»{after}")
        .chars()
        .map(|c| if c.is_control() { '⏎' } else { c })
        .collect()
}

/// `text` with every forbidden value replaced by `«its name»`.
fn scrub(text: &str, forbidden: &[Forbidden]) -> String {
    // Longest first, so that a value containing another is replaced whole.
    let mut replacements: Vec<(String, Kind, String)> = forbidden
        .iter()
        .flat_map(|f| {
            let name = format!("«{}»", f.name());
            f.spellings()
                .into_iter()
                .map(move |s| (s, f.kind, name.clone()))
        })
        .collect();
    replacements.sort_by_key(|(s, _, _)| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for (spelling, kind, name) in &replacements {
        out = match kind {
            Kind::Cvv => replace_tokens(&out, spelling, name),
            Kind::Secret | Kind::Pan => out.replace(spelling.as_str(), name),
        };
    }
    out
}

/// `text` with every standalone token equal to `token` replaced by `with`.
fn replace_tokens(text: &str, token: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, t) in standalone_tokens(text) {
        if t == token {
            out.push_str(&text[last..at]);
            out.push_str(with);
            last = at + t.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The verdict: every observation checked against its forbidden values; `Err` with the
/// report (see [`report`]) when any value appeared anywhere.
pub(crate) fn check(checks: &[(&Observed, &[Forbidden])]) -> Result<(), String> {
    let leaks: Vec<Leak> = checks
        .iter()
        .flat_map(|(observed, forbidden)| find_leaks(observed, forbidden))
        .collect();
    if leaks.is_empty() {
        Ok(())
    } else {
        Err(report(&leaks))
    }
}

/// The failure message for `leaks`: each value once per place, at most a few places each.
pub(crate) fn report(leaks: &[Leak]) -> String {
    const PER_VALUE: usize = 6;
    let mut seen = BTreeSet::new();
    let mut shown_per_value: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut hidden = 0;
    for leak in leaks {
        if !seen.insert((leak.value.as_str(), leak.place.as_str())) {
            continue;
        }
        let shown = shown_per_value.entry(leak.value.as_str()).or_default();
        if *shown >= PER_VALUE {
            hidden += 1;
            continue;
        }
        *shown += 1;
        lines.push(format!("  - {leak}"));
    }
    let values: BTreeSet<&str> = leaks.iter().map(|l| l.value.as_str()).collect();
    let mut message = format!(
        "{} forbidden value(s) appeared in what the crates print ({} appearance(s)):\n{}",
        values.len(),
        leaks.len(),
        lines.join("\n")
    );
    if hidden > 0 {
        message.push_str(&format!("\n  … and {hidden} more place(s)"));
    }
    message
}
