//! The two glob dialects GitOps objects are written in:
//!
//! - Argo CD's `directory.include`/`exclude` and the git files generator's paths (without the
//!   controller's new globbing flag) are gobwas globs with no separator: `*` matches any run of
//!   characters, `/` included; `{a,b}` is an alternation (`Glob::new`).
//! - The git directories generator's paths are Go's `path.Match`: `*` and `?` never match `/`,
//!   and there is no alternation (`Glob::path`).
//!
//! Both know `?` and `[...]` classes (`[!...]` and `[^...]` negate, `a-z` ranges). Matching is
//! a table over (pattern, text) positions: no pattern, however many stars it holds, takes more
//! than their product.

/// A compiled glob: one or more alternatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    alternatives: Vec<Vec<Token>>,
    /// `*` and `?` stop at `/`.
    separator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    Star,
    One,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// How many alternatives `{a,b}{c,d}...` may expand to.
const MAX_ALTERNATIVES: usize = 256;

impl Glob {
    /// A gobwas glob (Argo CD's include/exclude): `*` crosses `/`, `{a,b}` alternates.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let alternatives = expand_braces(pattern)?
            .iter()
            .map(|p| tokens(p))
            .collect::<Result<_, _>>()?;
        Ok(Glob {
            alternatives,
            separator: false,
        })
    }

    /// Go's `path.Match`: `*` and `?` stop at `/`; braces are literal.
    pub fn path(pattern: &str) -> Result<Glob, String> {
        Ok(Glob {
            alternatives: vec![tokens(pattern)?],
            separator: true,
        })
    }

    pub fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        self.alternatives
            .iter()
            .any(|tokens| match_tokens(tokens, &text, self.separator))
    }
}

fn tokens(pattern: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => {
                // `**` is `*` in both dialects.
                if out.last() != Some(&Token::Star) {
                    out.push(Token::Star);
                }
            }
            '?' => out.push(Token::One),
            '\\' => out.push(Token::Char(chars.next().unwrap_or('\\'))),
            '[' => {
                let negated = matches!(chars.peek(), Some('!' | '^'));
                if negated {
                    chars.next();
                }
                let mut ranges = Vec::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    if c == ']' && !ranges.is_empty() {
                        closed = true;
                        break;
                    }
                    let low = if c == '\\' {
                        chars.next().unwrap_or('\\')
                    } else {
                        c
                    };
                    let mut high = low;
                    if chars.peek() == Some(&'-') {
                        let mut ahead = chars.clone();
                        ahead.next();
                        if let Some(&h) = ahead.peek().filter(|h| **h != ']') {
                            chars.next();
                            chars.next();
                            high = h;
                        }
                    }
                    ranges.push((low, high));
                }
                if !closed {
                    return Err(format!("unclosed `[` in the glob \"{pattern}\""));
                }
                out.push(Token::Class { negated, ranges });
            }
            c => out.push(Token::Char(c)),
        }
    }
    Ok(out)
}

/// `{a,b}c` → `ac`, `bc` (nested and several groups too), at most [`MAX_ALTERNATIVES`].
fn expand_braces(pattern: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let Some(open) = chars.iter().position(|&c| c == '{') else {
        return Ok(vec![pattern.to_string()]);
    };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return Err(format!("unclosed `{{` in the glob \"{pattern}\""));
    };
    let text = |from: usize, to: usize| -> String {
        chars
            .get(from..to)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    };
    let (head, tail) = (text(0, open), text(close + 1, chars.len()));
    let mut bounds = vec![open];
    bounds.extend(&commas);
    bounds.push(close);
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let (Some(&from), Some(&to)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        for expanded in expand_braces(&format!("{head}{}{tail}", text(from + 1, to)))? {
            out.push(expanded);
            if out.len() > MAX_ALTERNATIVES {
                return Err(format!(
                    "the glob \"{pattern}\" has more than {MAX_ALTERNATIVES} alternatives"
                ));
            }
        }
    }
    Ok(out)
}

fn match_tokens(tokens: &[Token], text: &[char], separator: bool) -> bool {
    // done[i][j]: tokens[i..] against text[j..] is known not to match.
    let width = text.len() + 1;
    let mut failed = vec![false; (tokens.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    // Depth-first over states, each visited once.
    while let Some((i, j)) = stack.pop() {
        let Some(seen) = failed.get_mut(i * width + j) else {
            continue;
        };
        if *seen {
            continue;
        }
        *seen = true;
        let Some(token) = tokens.get(i) else {
            if j == text.len() {
                return true;
            }
            continue;
        };
        let here = text.get(j).copied();
        match token {
            Token::Star => {
                stack.push((i + 1, j));
                if here.is_some_and(|c| !(separator && c == '/')) {
                    stack.push((i, j + 1));
                }
            }
            Token::One => {
                if here.is_some_and(|c| !(separator && c == '/')) {
                    stack.push((i + 1, j + 1));
                }
            }
            Token::Char(c) => {
                if here == Some(*c) {
                    stack.push((i + 1, j + 1));
                }
            }
            Token::Class { negated, ranges } => {
                if let Some(c) = here {
                    let inside = ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                    if inside != *negated && !(separator && c == '/') {
                        stack.push((i + 1, j + 1));
                    }
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(p: &str) -> Glob {
        Glob::new(p).expect(p)
    }

    #[test]
    fn argo_globs_cross_slashes_and_alternate() {
        assert!(glob("*.yaml").matches("a/b.yaml"));
        assert!(glob("{config.json,env-usw2/*}").matches("env-usw2/configmap.yaml"));
        assert!(glob("{config.json,env-usw2/*}").matches("config.json"));
        assert!(!glob("{config.json,env-usw2/*}").matches("env-use2/configmap.yaml"));
        assert!(glob("{*.yml,*.yaml}").matches("x.yml"));
        assert!(glob("a{b,{c,d}}e").matches("ade"));
        assert!(glob("[!a]?").matches("bc"));
        assert!(!glob("[!a]?").matches("ac"));
        assert!(glob("x[0-9]").matches("x7"));
        assert!(
            glob("cluster-config/**/config.json").matches("cluster-config/eng/dev/config.json")
        );
    }

    #[test]
    fn go_path_match_stops_at_slashes() {
        let g = Glob::path("apps/*").expect("glob");
        assert!(g.matches("apps/web"));
        assert!(!g.matches("apps/web/sub"));
        assert!(Glob::path("/d/[f|g]").expect("glob").matches("/d/g"));
        assert!(Glob::path("*").expect("glob").matches("top"));
        assert!(!Glob::path("*").expect("glob").matches("a/b"));
    }

    #[test]
    fn bad_globs_are_refused_and_stars_stay_cheap() {
        assert!(Glob::new("[abc").is_err());
        assert!(Glob::new("{a,b").is_err());
        assert!(Glob::new(&"{a,b}".repeat(10)).is_err());
        let many = "*a".repeat(200);
        assert!(!glob(&many).matches(&"a".repeat(150)));
    }
}
