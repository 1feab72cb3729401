//! Parsing `${...}` expressions as `fluxcd/pkg/envsubst` does (`parse/parse.go`): the operator
//! after a variable's name decides how the rest up to the closing brace reads; defaults may nest
//! expressions; `$$` is one `$`.

/// A parse error: its byte offset in the text, and Flux's words.
pub(super) type Failure = (usize, String);

/// A parsed piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Expr {
    Text(String),
    Func {
        /// The expression as written, for when it is kept.
        source: String,
        var: String,
        /// `""` (plain), `:=`, `:-`, `=`, `:?`, `:+`, `:`, `/`, `//`, `/#`, `/%`, `#`, `##`,
        /// `%`, `%%`, `,`, `,,`, `^`, `^^`, `len`.
        op: String,
        args: Vec<Vec<Expr>>,
    },
}

pub(super) struct Parser {
    pub(super) chars: Vec<(usize, char)>,
    pub(super) at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).map(|&(_, c)| c)
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.at + 1).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.at).map_or_else(
            || self.chars.last().map_or(0, |&(i, c)| i + c.len_utf8()),
            |&(i, _)| i,
        )
    }

    fn fail<T>(&self, message: &str) -> Result<T, Failure> {
        Err((self.offset(), message.to_string()))
    }

    /// Top level: text with `${...}` expressions; `$$` is one `$`.
    pub(super) fn any(&mut self) -> Result<Vec<Expr>, Failure> {
        let mut out = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match (c, self.peek2()) {
                ('$', Some('{')) => {
                    if !text.is_empty() {
                        out.push(Expr::Text(std::mem::take(&mut text)));
                    }
                    out.push(self.func()?);
                }
                ('$', Some('$')) => {
                    // envsubst's escape: one `$`, and what follows is text (`$${x}` is `${x}`).
                    text.push('$');
                    self.at += 2;
                }
                _ => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
        if !text.is_empty() {
            out.push(Expr::Text(text));
        }
        Ok(out)
    }

    /// `${...}`, from its `$`.
    fn func(&mut self) -> Result<Expr, Failure> {
        let start = self.at;
        self.at += 2;
        let (var, op, args) = if self.peek() == Some('#') {
            self.at += 1;
            let var = self.ident();
            if var.is_empty() {
                return self.fail("bad substitution");
            }
            (var, "len".to_string(), Vec::new())
        } else {
            let var = self.ident();
            if var.is_empty() {
                return self.fail("unable to parse variable name");
            }
            let (op, args) = self.operation()?;
            (var, op, args)
        };
        if self.peek() != Some('}') {
            return self.fail("missing closing brace");
        }
        self.at += 1;
        let source = self
            .chars
            .get(start..self.at)
            .map(|s| s.iter().map(|&(_, c)| c).collect())
            .unwrap_or_default();
        Ok(Expr::Func {
            source,
            var,
            op,
            args,
        })
    }

    fn ident(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            name.push(c);
            self.at += 1;
        }
        name
    }

    /// What follows the variable's name, up to (not including) the closing brace.
    fn operation(&mut self) -> Result<(String, Vec<Vec<Expr>>), Failure> {
        let Some(c) = self.peek() else {
            return self.fail("missing closing brace");
        };
        Ok(match c {
            '}' => (String::new(), Vec::new()),
            ':' if matches!(self.peek2(), Some('=' | '-' | '?' | '+')) => {
                let op: String = [c, self.peek2().unwrap_or('=')].iter().collect();
                self.at += 2;
                (op, self.default_args()?)
            }
            '=' => {
                self.at += 1;
                ("=".to_string(), self.default_args()?)
            }
            ':' => {
                self.at += 1;
                let first = self.param(|c| c != ':' && c != '}', false)?;
                let mut args = vec![first];
                if self.peek() == Some(':') {
                    self.at += 1;
                    args.push(self.param(|c| c != '}', false)?);
                }
                (":".to_string(), args)
            }
            ',' | '^' => {
                let mut op = c.to_string();
                self.at += 1;
                if self.peek() == Some(c) {
                    op.push(c);
                    self.at += 1;
                }
                (op, Vec::new())
            }
            '/' => {
                let mut op = "/".to_string();
                self.at += 1;
                if let Some(second @ ('/' | '#' | '%')) = self.peek() {
                    op.push(second);
                    self.at += 1;
                }
                let pattern = if self.peek() == Some('/') {
                    Vec::new()
                } else {
                    self.param(|c| c != '/' && c != '}', true)?
                };
                if self.peek() != Some('/') {
                    return self.fail("bad substitution");
                }
                self.at += 1;
                let mut args = vec![pattern];
                if self.peek() != Some('}') {
                    args.push(self.param(|c| c != '}', true)?);
                }
                (op, args)
            }
            '#' | '%' => {
                let mut op = c.to_string();
                self.at += 1;
                if self.peek() == Some(c) {
                    op.push(c);
                    self.at += 1;
                }
                (op, vec![self.param(|c| c != '}', false)?])
            }
            _ => return self.fail("missing closing brace"),
        })
    }

    /// The words of a default, up to the closing brace (nested expressions allowed).
    fn default_args(&mut self) -> Result<Vec<Vec<Expr>>, Failure> {
        Ok(vec![self.param(|c| c != '}', false)?])
    }

    /// Text accepted by `accept`, with nested `${...}`; `escapes`: `\/` and `\\` are literal.
    fn param(
        &mut self,
        accept: impl Fn(char) -> bool,
        escapes: bool,
    ) -> Result<Vec<Expr>, Failure> {
        let mut out = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == '$' && self.peek2() == Some('{') {
                if !text.is_empty() {
                    out.push(Expr::Text(std::mem::take(&mut text)));
                }
                out.push(self.func()?);
                continue;
            }
            if escapes && c == '\\' && matches!(self.peek2(), Some('/' | '\\')) {
                self.at += 1;
                text.push(self.peek().unwrap_or('\\'));
                self.at += 1;
                continue;
            }
            if !accept(c) {
                break;
            }
            text.push(c);
            self.at += 1;
        }
        if self.peek().is_none() {
            return self.fail("missing closing brace");
        }
        if !text.is_empty() {
            out.push(Expr::Text(text));
        }
        Ok(out)
    }
}
