//! Turns query text into tokens.
//!
//! A separate pass keeps the parser free of character-level concerns and lets every token carry the
//! 0-based *character* offset the error messages promise (byte offsets would be wrong for non-ASCII
//! queries).

use super::QueryError;
use super::value::Num;

/// One lexical element of a query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// A bare word: keyword, function name, collection name or property name.
    Ident(String),
    /// A property name written as `[[name]]`, the documented escape for names that clash with keywords.
    Escaped(String),
    /// A string literal with its escapes already decoded.
    Str(String),
    /// A number literal (decimal or `0x` hexadecimal).
    Num(Num),
    Comma,
    Dot,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Star,
    Plus,
    Minus,
    Slash,
    Percent,
    Eq,
    /// `!=` or `<>`.
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// End of the query text.
    Eof,
}

/// A token and where it sits in the query, in characters.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) pos: usize,
    pub(super) len: usize,
}

/// Splits `chars` into tokens, ending with [`Tok::Eof`].
pub(super) fn tokenize(chars: &[char]) -> Result<Vec<Token>, QueryError> {
    let mut lexer = Lexer {
        chars,
        i: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

struct Lexer<'a> {
    chars: &'a [char],
    i: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.i + offset).copied()
    }

    fn push(&mut self, tok: Tok, pos: usize) {
        self.tokens.push(Token {
            tok,
            pos,
            len: self.i - pos,
        });
    }

    fn after_dot(&self) -> bool {
        matches!(self.tokens.last(), Some(Token { tok: Tok::Dot, .. }))
    }

    fn run(&mut self) -> Result<(), QueryError> {
        while let Some(c) = self.peek_at(0) {
            let start = self.i;
            if c.is_whitespace() {
                self.i += 1;
                continue;
            }
            // Right after a dot only a property name can follow, so names such as `2ndFloor`
            // (legal twin keys) are read as names rather than as a malformed number.
            if self.after_dot() && is_ident_continue(c) {
                self.ident(start);
                continue;
            }
            if is_ident_start(c) {
                self.ident(start);
                continue;
            }
            if c.is_ascii_digit() {
                let num = self.number(start)?;
                self.push(Tok::Num(num), start);
                continue;
            }
            if c == '\'' || c == '"' {
                let s = self.string(start, c)?;
                self.push(Tok::Str(s), start);
                continue;
            }
            if c == '[' && self.peek_at(1) == Some('[') {
                let name = self.escaped_name(start)?;
                self.push(Tok::Escaped(name), start);
                continue;
            }
            let two = self.peek_at(1);
            let (tok, width) = match (c, two) {
                ('!', Some('=')) | ('<', Some('>')) => (Tok::Ne, 2),
                ('<', Some('=')) => (Tok::Le, 2),
                ('>', Some('=')) => (Tok::Ge, 2),
                ('<', _) => (Tok::Lt, 1),
                ('>', _) => (Tok::Gt, 1),
                ('=', _) => (Tok::Eq, 1),
                (',', _) => (Tok::Comma, 1),
                ('.', _) => (Tok::Dot, 1),
                ('(', _) => (Tok::LParen, 1),
                (')', _) => (Tok::RParen, 1),
                ('[', _) => (Tok::LBracket, 1),
                (']', _) => (Tok::RBracket, 1),
                ('*', _) => (Tok::Star, 1),
                ('+', _) => (Tok::Plus, 1),
                ('-', _) => (Tok::Minus, 1),
                ('/', _) => (Tok::Slash, 1),
                ('%', _) => (Tok::Percent, 1),
                _ => {
                    return Err(QueryError::new(
                        start,
                        format!("unexpected character {c:?}"),
                    ));
                }
            };
            self.i += width;
            self.push(tok, start);
        }
        let end = self.i;
        self.tokens.push(Token {
            tok: Tok::Eof,
            pos: end,
            len: 0,
        });
        Ok(())
    }

    fn ident(&mut self, start: usize) {
        while self.peek_at(0).is_some_and(is_ident_continue) {
            self.i += 1;
        }
        let text: String = self.chars[start..self.i].iter().collect();
        self.push(Tok::Ident(text), start);
    }

    fn escaped_name(&mut self, start: usize) -> Result<String, QueryError> {
        self.i += 2;
        let name_start = self.i;
        loop {
            match self.peek_at(0) {
                None => {
                    return Err(QueryError::new(
                        start,
                        "unterminated property name: '[[' without a closing ']]'",
                    ));
                }
                // In a run of more than two `]` the last two close the name, so `[[a]]]` names `a]`.
                Some(']') if self.peek_at(1) == Some(']') && self.peek_at(2) != Some(']') => break,
                Some(_) => self.i += 1,
            }
        }
        let name: String = self.chars[name_start..self.i].iter().collect();
        self.i += 2;
        if name.is_empty() {
            return Err(QueryError::new(start, "empty property name '[[]]'"));
        }
        Ok(name)
    }

    fn number(&mut self, start: usize) -> Result<Num, QueryError> {
        let num = if self.peek_at(0) == Some('0') && matches!(self.peek_at(1), Some('x' | 'X')) {
            self.i += 2;
            let digits_start = self.i;
            while self.peek_at(0).is_some_and(|c| c.is_ascii_hexdigit()) {
                self.i += 1;
            }
            let digits: String = self.chars[digits_start..self.i].iter().collect();
            if digits.is_empty() {
                return Err(QueryError::new(
                    start,
                    "hexadecimal number '0x' has no digits",
                ));
            }
            // u64 is the widest integer a JSON document can hold; anything larger is a typo.
            let value = u64::from_str_radix(&digits, 16).map_err(|_| {
                QueryError::new(start, format!("hexadecimal number 0x{digits} is too large"))
            })?;
            Num::Int(i128::from(value))
        } else {
            self.digits();
            let mut is_float = false;
            if self.peek_at(0) == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                self.i += 1;
                self.digits();
            }
            if matches!(self.peek_at(0), Some('e' | 'E')) {
                let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
                if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                    is_float = true;
                    self.i += 1 + sign;
                    self.digits();
                }
            }
            let text: String = self.chars[start..self.i].iter().collect();
            let as_int = if is_float {
                None
            } else {
                text.parse::<i128>().ok()
            };
            match as_int {
                Some(n) => Num::Int(n),
                None => match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => Num::Float(f),
                    _ => {
                        return Err(QueryError::new(
                            start,
                            format!("number {text} is out of range"),
                        ));
                    }
                },
            }
        };
        if self.peek_at(0).is_some_and(is_ident_continue) {
            while self.peek_at(0).is_some_and(is_ident_continue) {
                self.i += 1;
            }
            let text: String = self.chars[start..self.i].iter().take(40).collect();
            return Err(QueryError::new(start, format!("malformed number '{text}'")));
        }
        Ok(num)
    }

    fn digits(&mut self) {
        while self.peek_at(0).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }

    fn string(&mut self, start: usize, quote: char) -> Result<String, QueryError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_at(0) else {
                return Err(QueryError::new(start, "unterminated string literal"));
            };
            if c == quote {
                self.i += 1;
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                self.i += 1;
                continue;
            }
            let escape_pos = self.i;
            match self.peek_at(1) {
                Some(e @ ('\'' | '"' | '\\')) => {
                    out.push(e);
                    self.i += 2;
                }
                Some('u') => {
                    self.i += 2;
                    let high = self.hex4(escape_pos)?;
                    let code = if (0xD800..0xDC00).contains(&high) {
                        // A UTF-16 high surrogate only makes sense followed by `\uDC00`-`\uDFFF`.
                        if self.peek_at(0) != Some('\\') || self.peek_at(1) != Some('u') {
                            return Err(QueryError::new(
                                escape_pos,
                                "unpaired UTF-16 surrogate in \\u escape",
                            ));
                        }
                        let low_pos = self.i;
                        self.i += 2;
                        let low = self.hex4(low_pos)?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(QueryError::new(
                                escape_pos,
                                "unpaired UTF-16 surrogate in \\u escape",
                            ));
                        }
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        high
                    };
                    let ch = char::from_u32(code).ok_or_else(|| {
                        QueryError::new(escape_pos, "unpaired UTF-16 surrogate in \\u escape")
                    })?;
                    out.push(ch);
                }
                Some(other) => {
                    return Err(QueryError::new(
                        escape_pos,
                        format!(
                            "invalid escape '\\{other}' in string literal; allowed escapes are \\' \\\" \\\\ and \\uXXXX"
                        ),
                    ));
                }
                None => return Err(QueryError::new(start, "unterminated string literal")),
            }
        }
    }

    /// Reads the four hex digits of a `\uXXXX` escape (the `\u` is already consumed).
    fn hex4(&mut self, escape_pos: usize) -> Result<u32, QueryError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self
                .peek_at(0)
                .and_then(|c| c.to_digit(16))
                .ok_or_else(|| {
                    QueryError::new(
                        escape_pos,
                        "\\u escape needs exactly four hexadecimal digits",
                    )
                })?;
            code = code * 16 + digit;
            self.i += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(&chars)
    }

    fn kinds(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn positions_are_character_offsets() {
        let tokens = lex("'é' <> x").unwrap();
        let positions: Vec<_> = tokens.iter().map(|t| (t.pos, t.len)).collect();
        assert_eq!(positions, [(0, 3), (4, 2), (7, 1), (8, 0)]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("0x1f 42 1.5e3 2E-1"),
            [
                Tok::Num(Num::Int(31)),
                Tok::Num(Num::Int(42)),
                Tok::Num(Num::Float(1500.0)),
                Tok::Num(Num::Float(0.2)),
                Tok::Eof,
            ]
        );
        assert_eq!(lex("x = 12abc").unwrap_err().position, 4);
        assert_eq!(lex("x = 7e").unwrap_err().position, 4);
        assert_eq!(lex("0x10000000000000000").unwrap_err().position, 0);
        assert!(lex("1e999").unwrap_err().message.contains("out of range"));
    }

    #[test]
    fn names_after_a_dot_may_start_with_a_digit() {
        assert_eq!(
            kinds("tags.2ndFloor"),
            [
                Tok::Ident("tags".into()),
                Tok::Dot,
                Tok::Ident("2ndFloor".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn escaped_names() {
        assert_eq!(kinds("[[group]]"), [Tok::Escaped("group".into()), Tok::Eof]);
        assert_eq!(kinds("[[a]]]"), [Tok::Escaped("a]".into()), Tok::Eof]);
        assert_eq!(lex("x.[[open").unwrap_err().position, 2);
        assert_eq!(lex("[[]]").unwrap_err().position, 0);
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            kinds(r#"'it\'s' "q\"" '\\' '\u00e9\uD83D\uDE00'"#),
            [
                Tok::Str("it's".into()),
                Tok::Str("q\"".into()),
                Tok::Str("\\".into()),
                Tok::Str("é😀".into()),
                Tok::Eof
            ]
        );
        assert_eq!(lex(r"'\uD83D'").unwrap_err().position, 1);
        assert_eq!(lex(r"'\uDE00'").unwrap_err().position, 1);
        assert_eq!(lex(r"'\u12'").unwrap_err().position, 1);
        assert_eq!(lex(r"'ab\t'").unwrap_err().position, 3);
        assert_eq!(lex("x = 'abc").unwrap_err().position, 4);
        assert_eq!(lex("'abc\\").unwrap_err().position, 0);
    }

    #[test]
    fn operators() {
        assert_eq!(
            kinds("!= <> <= >= < > = + - * / %"),
            [
                Tok::Ne,
                Tok::Ne,
                Tok::Le,
                Tok::Ge,
                Tok::Lt,
                Tok::Gt,
                Tok::Eq,
                Tok::Plus,
                Tok::Minus,
                Tok::Star,
                Tok::Slash,
                Tok::Percent,
                Tok::Eof
            ]
        );
        assert_eq!(lex("a ! b").unwrap_err().position, 2);
        assert_eq!(lex("a; b").unwrap_err().position, 1);
    }
}
