//! Recursive-descent parser from tokens to the query AST.
//!
//! Hand-written so that each error can name the exact token that broke the grammar, and so that the
//! nesting depth is bounded: hostile input such as ten thousand `(` is rejected with an error rather
//! than overflowing the stack.
//!
//! Precedence, loosest first: `OR`, `AND`, `NOT`, comparisons and `IN`/`NIN`, `+ -`, `* / %`, unary
//! `-`. The service documentation gives no table; this is the SQL order its syntax follows.

use super::ast::{AggFn, Expr, Literal, Path, Projection, ProjectionKind, Select};
use super::lexer::{Tok, Token};
use super::value::{ArithOp, CmpOp};
use super::{MAX_DEPTH, QueryError, Source};

/// Words that cannot be used as bare property names. The documentation warns that `group` fails as
/// a property name and must be written `[[group]]`; the same holds for the other clause keywords.
const KEYWORDS: [&str; 12] = [
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "AS", "TOP", "AND", "OR", "NOT", "IN", "NIN",
];

/// The pieces of a parsed `SELECT … FROM … [WHERE …] [GROUP BY …]`.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) source: Source,
    pub(super) top: Option<u64>,
    pub(super) select: Select,
    pub(super) condition: Option<Expr>,
    pub(super) group_by: Vec<Path>,
}

pub(super) struct Parser<'a> {
    chars: &'a [char],
    tokens: Vec<Token>,
    index: usize,
    depth: usize,
    /// The collection being queried, which decides the `devices.jobs.` style prefixes paths may carry.
    source: Source,
}

impl<'a> Parser<'a> {
    pub(super) fn new(chars: &'a [char], tokens: Vec<Token>, source: Source) -> Self {
        Parser {
            chars,
            tokens,
            index: 0,
            depth: 0,
            source,
        }
    }

    // ---- token helpers -------------------------------------------------------------------------

    fn current(&self) -> &Token {
        // The token list always ends with Eof and `advance` never moves past it.
        &self.tokens[self.index.min(self.tokens.len() - 1)]
    }

    fn peek(&self, offset: usize) -> &Tok {
        let i = (self.index + offset).min(self.tokens.len() - 1);
        &self.tokens[i].tok
    }

    fn pos(&self) -> usize {
        self.current().pos
    }

    fn advance(&mut self) -> Token {
        let token = self.current().clone();
        if !matches!(token.tok, Tok::Eof) {
            self.index += 1;
        }
        token
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.current().tok, Tok::Ident(word) if word.eq_ignore_ascii_case(keyword))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.is_keyword(keyword);
        if found {
            self.advance();
        }
        found
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let found = &self.current().tok == tok;
        if found {
            self.advance();
        }
        found
    }

    /// The current token as it appears in the query, for "but found …" messages.
    fn found(&self) -> String {
        let token = self.current();
        if matches!(token.tok, Tok::Eof) {
            return "end of query".to_owned();
        }
        let text: String = self.chars[token.pos..token.pos + token.len]
            .iter()
            .take(40)
            .collect();
        let ellipsis = if token.len > 40 { "…" } else { "" };
        format!("'{text}{ellipsis}'")
    }

    fn expected(&self, what: &str) -> QueryError {
        QueryError::new(
            self.pos(),
            format!("expected {what} but found {}", self.found()),
        )
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), QueryError> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), QueryError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.expected(keyword))
        }
    }

    fn enter(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::new(
                self.pos(),
                format!("expression nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- query -----------------------------------------------------------------------------------

    pub(super) fn query(mut self) -> Result<Parsed, QueryError> {
        self.expect_keyword("SELECT")?;
        let top = if self.eat_keyword("TOP") {
            Some(self.top_count()?)
        } else {
            None
        };
        let (select, positions) = self.select_list()?;
        self.expect_keyword("FROM")?;
        self.source = self.collection()?;
        let select = self.rebase_select(select);

        if self.source == Source::Jobs
            && let (Select::Items(_), Some(first)) = (&select, positions.first())
        {
            return Err(QueryError::new(
                *first,
                "devices.jobs supports only SELECT *: projections and aggregates are not available",
            ));
        }

        let condition = if self.eat_keyword("WHERE") {
            Some(self.expr()?)
        } else {
            None
        };

        let mut group_by = Vec::new();
        if self.is_keyword("GROUP") {
            let group_pos = self.pos();
            self.advance();
            self.expect_keyword("BY")?;
            if self.source == Source::Jobs {
                return Err(QueryError::new(
                    group_pos,
                    "GROUP BY is not supported on devices.jobs",
                ));
            }
            loop {
                let path = self.path()?;
                group_by.push(path);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        if !matches!(self.current().tok, Tok::Eof) {
            return Err(self.expected("end of query"));
        }
        validate_grouping(&select, &positions, &group_by)?;
        Ok(Parsed {
            source: self.source,
            top,
            select,
            condition,
            group_by,
        })
    }

    /// Parses a whole text as one condition (a job's `queryCondition`).
    pub(super) fn standalone_condition(mut self) -> Result<Expr, QueryError> {
        let expr = self.expr()?;
        if !matches!(self.current().tok, Tok::Eof) {
            return Err(self.expected("end of condition"));
        }
        Ok(expr)
    }

    fn top_count(&mut self) -> Result<u64, QueryError> {
        let pos = self.pos();
        match self.current().tok.clone() {
            Tok::Num(super::value::Num::Int(n)) => {
                self.advance();
                u64::try_from(n).map_err(|_| {
                    QueryError::new(
                        pos,
                        "TOP needs a whole number of at most 18446744073709551615",
                    )
                })
            }
            _ => Err(self.expected("a whole number after TOP")),
        }
    }

    fn collection(&mut self) -> Result<Source, QueryError> {
        let pos = self.pos();
        let what = "'devices', 'devices.modules' or 'devices.jobs'";
        if !self.eat_keyword("devices") {
            return Err(self.expected(what));
        }
        if !self.eat(&Tok::Dot) {
            return Ok(Source::Devices);
        }
        if self.eat_keyword("modules") {
            Ok(Source::Modules)
        } else if self.eat_keyword("jobs") {
            Ok(Source::Jobs)
        } else {
            let found = self.found();
            Err(QueryError::new(
                pos,
                format!("expected {what} but found 'devices.' followed by {found}"),
            ))
        }
    }

    fn select_list(&mut self) -> Result<(Select, Vec<usize>), QueryError> {
        let star_pos = self.pos();
        if self.eat(&Tok::Star) {
            return Ok((Select::Star, vec![star_pos]));
        }
        let mut items = Vec::new();
        let mut positions = Vec::new();
        let mut unnamed = 0;
        loop {
            let pos = self.pos();
            let mut item = self.projection()?;
            if item.alias.is_none() && matches!(item.kind, ProjectionKind::Aggregate(..)) {
                unnamed += 1;
                item.alias = Some(format!("${unnamed}"));
            }
            items.push(item);
            positions.push(pos);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        // Two items with one output name would silently overwrite each other in the result row.
        for (i, item) in items.iter().enumerate() {
            let name = output_name(item);
            if items[..i]
                .iter()
                .any(|earlier| super::ast::eq_ignore_case(&output_name(earlier), &name))
            {
                return Err(QueryError::new(
                    positions[i],
                    format!("two SELECT items are both named '{name}'; rename one with AS"),
                ));
            }
        }
        Ok((Select::Items(items), positions))
    }

    fn projection(&mut self) -> Result<Projection, QueryError> {
        let pos = self.pos();
        if let (Tok::Ident(name), Tok::LParen) = (&self.current().tok, self.peek(1)) {
            let name = name.clone();
            let Some(function) = AggFn::from_name(&name) else {
                return Err(QueryError::new(
                    pos,
                    format!(
                        "only property paths and the aggregates COUNT, AVG, SUM, MIN and MAX can be selected, not {name}()"
                    ),
                ));
            };
            self.advance();
            self.advance();
            let argument = if function == AggFn::Count {
                None
            } else {
                Some(self.path()?)
            };
            if function == AggFn::Count && !matches!(self.current().tok, Tok::RParen) {
                return Err(self.expected("')' (COUNT takes no argument)"));
            }
            self.expect(&Tok::RParen, "')'")?;
            // Without AS the select list numbers it `$1`, `$2`… as the hub's DocumentDB-style
            // engine does (`SELECT COUNT() FROM devices` answers `[{"$1": n}]`).
            let alias = if self.eat_keyword("AS") {
                Some(self.alias()?)
            } else {
                None
            };
            return Ok(Projection {
                kind: ProjectionKind::Aggregate(function, argument),
                alias,
            });
        }
        let path = self.path()?;
        let alias = if self.eat_keyword("AS") {
            Some(self.alias()?)
        } else {
            None
        };
        Ok(Projection {
            kind: ProjectionKind::Path(path),
            alias,
        })
    }

    fn alias(&mut self) -> Result<String, QueryError> {
        match self.current().tok.clone() {
            Tok::Ident(name) if !is_reserved(&name) => {
                self.advance();
                Ok(name)
            }
            Tok::Escaped(name) => {
                self.advance();
                Ok(name)
            }
            _ => Err(self.expected("a name after AS")),
        }
    }

    /// Drops the `devices.jobs.` / `devices.modules.` prefix the documentation writes in conditions
    /// over those collections (`WHERE devices.jobs.jobId = 'x'`); the documents themselves are the
    /// bare rows.
    fn rebase(&self, mut path: Path) -> Path {
        let collection = match self.source {
            Source::Devices => return path,
            Source::Modules => "modules",
            Source::Jobs => "jobs",
        };
        if path.segments.len() > 2
            && path.segments[0].eq_ignore_ascii_case("devices")
            && path.segments[1].eq_ignore_ascii_case(collection)
        {
            path.segments.drain(..2);
        }
        path
    }

    fn rebase_select(&self, select: Select) -> Select {
        match select {
            Select::Star => Select::Star,
            Select::Items(items) => Select::Items(
                items
                    .into_iter()
                    .map(|item| Projection {
                        kind: match item.kind {
                            ProjectionKind::Path(p) => ProjectionKind::Path(self.rebase(p)),
                            ProjectionKind::Aggregate(f, p) => {
                                ProjectionKind::Aggregate(f, p.map(|p| self.rebase(p)))
                            }
                        },
                        alias: item.alias,
                    })
                    .collect(),
            ),
        }
    }

    fn path(&mut self) -> Result<Path, QueryError> {
        let mut segments = vec![self.path_segment("a property name")?];
        while self.eat(&Tok::Dot) {
            segments.push(self.path_segment("a property name after '.'")?);
        }
        Ok(self.rebase(Path { segments }))
    }

    fn path_segment(&mut self, what: &str) -> Result<String, QueryError> {
        match self.current().tok.clone() {
            Tok::Ident(name) => {
                if is_reserved(&name) {
                    return Err(QueryError::new(
                        self.pos(),
                        format!(
                            "'{name}' is a keyword; write [[{name}]] to use it as a property name"
                        ),
                    ));
                }
                self.advance();
                Ok(name)
            }
            Tok::Escaped(name) => {
                self.advance();
                Ok(name)
            }
            _ => Err(self.expected(what)),
        }
    }

    // ---- expressions -----------------------------------------------------------------------------

    fn expr(&mut self) -> Result<Expr, QueryError> {
        self.enter()?;
        let result = self.or_expr();
        self.leave();
        result
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        let mut operands = vec![self.and_expr()?];
        while self.eat_keyword("OR") {
            operands.push(self.and_expr()?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expr::Or(operands)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut operands = vec![self.not_expr()?];
        while self.eat_keyword("AND") {
            operands.push(self.not_expr()?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expr::And(operands)
        })
    }

    fn not_expr(&mut self) -> Result<Expr, QueryError> {
        if self.eat_keyword("NOT") {
            self.enter()?;
            let inner = self.not_expr();
            self.leave();
            return Ok(Expr::Not(Box::new(inner?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let left = self.additive()?;
        let expr = if let Some(op) = cmp_op(&self.current().tok) {
            self.advance();
            let right = self.additive()?;
            Expr::Compare {
                op,
                left: Box::new(left),
                right: Box::new(right),
            }
        } else if self.is_keyword("IN") || self.is_keyword("NIN") {
            let negated = self.is_keyword("NIN");
            self.advance();
            let items = self.array_constant()?;
            Expr::In {
                negated,
                needle: Box::new(left),
                items,
            }
        } else if self.is_keyword("NOT")
            && matches!(self.peek(1), Tok::Ident(w) if w.eq_ignore_ascii_case("IN"))
        {
            return Err(QueryError::new(
                self.pos(),
                "NOT IN is not supported; use NIN",
            ));
        } else {
            return Ok(left);
        };
        if cmp_op(&self.current().tok).is_some() || self.is_keyword("IN") || self.is_keyword("NIN")
        {
            return Err(QueryError::new(
                self.pos(),
                format!(
                    "comparisons cannot be chained; found {} after a comparison",
                    self.found()
                ),
            ));
        }
        Ok(expr)
    }

    fn array_constant(&mut self) -> Result<Vec<Expr>, QueryError> {
        self.expect(&Tok::LBracket, "'[' to start the list")?;
        let mut items = Vec::new();
        if self.eat(&Tok::RBracket) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat(&Tok::RBracket) {
                return Ok(items);
            }
            self.expect(&Tok::Comma, "',' or ']'")?;
        }
    }

    fn additive(&mut self) -> Result<Expr, QueryError> {
        let first = self.multiplicative()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.current().tok {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => break,
            };
            self.advance();
            rest.push((op, self.multiplicative()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Arith {
                first: Box::new(first),
                rest,
            }
        })
    }

    fn multiplicative(&mut self) -> Result<Expr, QueryError> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.current().tok {
                Tok::Star => ArithOp::Mul,
                Tok::Slash => ArithOp::Div,
                Tok::Percent => ArithOp::Rem,
                _ => break,
            };
            self.advance();
            rest.push((op, self.unary()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Arith {
                first: Box::new(first),
                rest,
            }
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.eat(&Tok::Minus) {
            self.enter()?;
            let inner = self.unary();
            self.leave();
            return Ok(Expr::Neg(Box::new(inner?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let pos = self.pos();
        match self.current().tok.clone() {
            Tok::Num(n) => {
                self.advance();
                Ok(Expr::Literal(Literal::Num(n)))
            }
            Tok::Str(s) => {
                self.advance();
                Ok(Expr::Literal(Literal::Str(s)))
            }
            Tok::LParen => {
                self.advance();
                let inner = self.expr()?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(inner)
            }
            Tok::LBracket => Err(QueryError::new(
                pos,
                "a list in [ ] is only allowed after IN or NIN",
            )),
            Tok::Escaped(_) => Ok(Expr::Path(self.path()?)),
            Tok::Ident(word) => {
                if matches!(self.peek(1), Tok::LParen) {
                    return self.function_call(&word, pos);
                }
                let literal = match word.to_ascii_lowercase().as_str() {
                    "true" => Some(Literal::Bool(true)),
                    "false" => Some(Literal::Bool(false)),
                    "null" => Some(Literal::Null),
                    "undefined" => Some(Literal::Undefined),
                    _ => None,
                };
                if let Some(literal) = literal {
                    self.advance();
                    return Ok(Expr::Literal(literal));
                }
                if is_reserved(&word) {
                    return Err(self.expected("an expression"));
                }
                Ok(Expr::Path(self.path()?))
            }
            _ => Err(self.expected("an expression")),
        }
    }

    fn function_call(&mut self, name: &str, pos: usize) -> Result<Expr, QueryError> {
        let upper = name.to_ascii_uppercase();
        let arity = match upper.as_str() {
            "IS_DEFINED" => 1,
            "STARTSWITH" | "ENDSWITH" | "ARRAY_CONTAINS" => 2,
            _ if AggFn::from_name(name).is_some() => {
                return Err(QueryError::new(
                    pos,
                    format!("aggregate {upper}() is only allowed in the SELECT list"),
                ));
            }
            _ => {
                return Err(QueryError::new(
                    pos,
                    format!(
                        "unknown function '{name}'; twin and job queries support IS_DEFINED, STARTSWITH, ENDSWITH and ARRAY_CONTAINS"
                    ),
                ));
            }
        };
        self.advance();
        self.advance();
        let mut args = Vec::new();
        if !self.eat(&Tok::RParen) {
            loop {
                args.push(self.expr()?);
                if self.eat(&Tok::RParen) {
                    break;
                }
                self.expect(&Tok::Comma, "',' or ')'")?;
            }
        }
        if args.len() != arity {
            let plural = if arity == 1 { "" } else { "s" };
            return Err(QueryError::new(
                pos,
                format!(
                    "{upper} takes {arity} argument{plural} but {} were given",
                    args.len()
                ),
            ));
        }
        let mut args = args.into_iter().map(Box::new);
        // The arity check above guarantees the arguments are present.
        Ok(match (upper.as_str(), args.next(), args.next()) {
            ("STARTSWITH", Some(text), Some(prefix)) => Expr::StartsWith(text, prefix),
            ("ENDSWITH", Some(text), Some(suffix)) => Expr::EndsWith(text, suffix),
            ("IS_DEFINED", Some(inner), None) => Expr::IsDefined(inner),
            ("ARRAY_CONTAINS", Some(array), Some(needle)) => match *array {
                Expr::Path(path) => Expr::ArrayContains(path, needle),
                _ => {
                    return Err(QueryError::new(
                        pos,
                        "ARRAY_CONTAINS takes a property path as its first argument".to_string(),
                    ));
                }
            },
            _ => {
                return Err(QueryError::new(
                    pos,
                    format!("{upper} has the wrong number of arguments"),
                ));
            }
        })
    }
}

fn is_reserved(word: &str) -> bool {
    KEYWORDS.iter().any(|k| word.eq_ignore_ascii_case(k))
}

fn cmp_op(tok: &Tok) -> Option<CmpOp> {
    Some(match tok {
        Tok::Eq => CmpOp::Eq,
        Tok::Ne => CmpOp::Ne,
        Tok::Lt => CmpOp::Lt,
        Tok::Le => CmpOp::Le,
        Tok::Gt => CmpOp::Gt,
        Tok::Ge => CmpOp::Ge,
        _ => return None,
    })
}

/// The key a SELECT item gets in result rows when the document does not say otherwise: the alias,
/// or the last segment of the path (the Cosmos-style rule the service's projections follow:
/// `SELECT properties.reported.status` yields `{"status": …}`).
pub(super) fn output_name(item: &Projection) -> String {
    if let Some(alias) = &item.alias {
        return alias.clone();
    }
    match &item.kind {
        ProjectionKind::Path(path) => path.segments.last().cloned().unwrap_or_default(),
        // The parser names every aggregate (AS, or `$1`, `$2`…).
        ProjectionKind::Aggregate(..) => String::new(),
    }
}

/// In a query with aggregates or GROUP BY, every plain path in SELECT must be a GROUP BY key,
/// otherwise its value within a group is not well defined.
fn validate_grouping(
    select: &Select,
    positions: &[usize],
    group_by: &[Path],
) -> Result<(), QueryError> {
    let items = match select {
        Select::Star if group_by.is_empty() => return Ok(()),
        Select::Star => {
            let pos = positions.first().copied().unwrap_or_default();
            return Err(QueryError::new(
                pos,
                "SELECT * cannot be combined with GROUP BY",
            ));
        }
        Select::Items(items) => items,
    };
    let aggregated = !group_by.is_empty()
        || items
            .iter()
            .any(|i| matches!(i.kind, ProjectionKind::Aggregate(..)));
    if !aggregated {
        return Ok(());
    }
    for (item, pos) in items.iter().zip(positions) {
        if let ProjectionKind::Path(path) = &item.kind
            && !group_by.contains(path)
        {
            return Err(QueryError::new(
                *pos,
                format!(
                    "'{}' must be listed in GROUP BY or used inside an aggregate",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}
