//! The condition language's syntax: a CEL subset tokenised and parsed (Pratt) into an AST
//! with byte spans, and printed back with the fewest parentheses that keep its meaning.

use std::fmt;
use std::ops::Range;

use crate::model::messages::rules::{RuleMsg, Token};

/// A syntax or type error at a byte range of the expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub span: Range<usize>,
    pub message: String,
}

impl ExprError {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        ExprError {
            span,
            message: message.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }

    /// Binding power: higher binds tighter. The conditional `?:` is below all of these.
    fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In => 3,
            BinOp::Add | BinOp::Sub => 4,
            BinOp::Mul | BinOp::Div | BinOp::Rem => 5,
        }
    }
}

const PREC_COND: u8 = 0;
const PREC_UNARY: u8 = 6;
const PREC_ATOM: u8 = 7;

/// How deep a condition may nest (parentheses, lists, calls, `!`, `-`, and each operator of
/// a chain): far beyond any rule a person writes, and shallow enough that checking and
/// evaluating it, which recurse, never run out of stack.
pub const MAX_DEPTH: usize = 64;

/// How many parsing calls may be open at once: parentheses nest the parser without deepening
/// the tree, so the parser takes twice the tree's depth.
const MAX_NESTING: usize = 2 * MAX_DEPTH;

/// An expression and the bytes of the source it came from.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Range<usize>,
}

/// Spans are where an expression came from, not what it means: they do not take part in equality.
impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    Dec(f64),
    Str(String),
    List(Vec<Expr>),
    Ident(String),
    Call(String, Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(i64),
    Dec(f64),
    Str(String),
    Ident(String),
    Punct(&'static str),
    End,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

const PUNCTS: [&str; 21] = [
    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", "[", "]",
    ",", "?", ":",
];

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Result<(Tok, Range<usize>), ExprError> {
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
        let start = self.pos;
        let Some(c) = trimmed.chars().next() else {
            return Ok((Tok::End, start..start));
        };
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c == '"' || c == '\'' {
            return self.string(start, c);
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let len = trimmed
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(trimmed.len());
            self.pos += len;
            return Ok((Tok::Ident(trimmed[..len].to_string()), start..self.pos));
        }
        for p in PUNCTS {
            if trimmed.starts_with(p) {
                self.pos += p.len();
                return Ok((Tok::Punct(p), start..self.pos));
            }
        }
        Err(ExprError::new(
            start..start + c.len_utf8(),
            RuleMsg::UnexpectedChar { c }.to_string(),
        ))
    }

    fn number(&mut self, start: usize) -> Result<(Tok, Range<usize>), ExprError> {
        let bytes = self.src.as_bytes();
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let mut decimal = false;
        if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
            decimal = true;
            end += 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
        if end + 1 < bytes.len()
            && (bytes[end] == b'e' || bytes[end] == b'E')
            && (bytes[end + 1].is_ascii_digit()
                || (matches!(bytes[end + 1], b'+' | b'-')
                    && bytes.get(end + 2).is_some_and(u8::is_ascii_digit)))
        {
            decimal = true;
            end += 2;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
        let text = &self.src[start..end];
        self.pos = end;
        let tok = if decimal {
            Tok::Dec(text.parse().map_err(|_| {
                ExprError::new(start..end, RuleMsg::CannotReadNumber { text }.to_string())
            })?)
        } else {
            Tok::Int(text.parse().map_err(|_| {
                ExprError::new(start..end, RuleMsg::NumberTooLarge { text }.to_string())
            })?)
        };
        Ok((tok, start..end))
    }

    fn string(&mut self, start: usize, quote: char) -> Result<(Tok, Range<usize>), ExprError> {
        let mut out = String::new();
        let mut chars = self.src[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.pos = start + 1 + i + 1;
                    return Ok((Tok::Str(out), start..self.pos));
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, e @ ('\\' | '"' | '\''))) => out.push(e),
                    Some((j, e)) => {
                        let at = start + 1 + j;
                        return Err(ExprError::new(
                            at - 1..at + e.len_utf8(),
                            RuleMsg::UnknownEscape { c: e }.to_string(),
                        ));
                    }
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(ExprError::new(
            start..self.src.len(),
            RuleMsg::UnterminatedString.to_string(),
        ))
    }
}

/// Parses a whole expression; anything left over is an error.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut p = Parser {
        lexer: Lexer { src, pos: 0 },
        tok: Tok::End,
        span: 0..0,
        nesting: 0,
        depth: 0,
    };
    p.advance()?;
    if p.tok == Tok::End {
        return Err(ExprError::new(
            0..src.len(),
            RuleMsg::EmptyExpression.to_string(),
        ));
    }
    let e = p.expr(PREC_COND)?;
    if p.tok != Tok::End {
        return Err(ExprError::new(
            p.span.clone(),
            RuleMsg::Unexpected {
                found: describe(&p.tok),
            }
            .to_string(),
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Tok,
    span: Range<usize>,
    /// How many parsing calls are open: the parser's own recursion.
    nesting: usize,
    /// The depth of the tree last returned (a leaf is 1).
    depth: usize,
}

/// How a syntax error names a token.
fn describe(tok: &Tok) -> Token<'_> {
    match tok {
        Tok::Int(n) => Token::Int(*n),
        Tok::Dec(n) => Token::Dec(*n),
        Tok::Str(s) => Token::Str(s),
        Tok::Ident(s) => Token::Code(s),
        Tok::Punct(p) => Token::Code(p),
        Tok::End => Token::End,
    }
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<(Tok, Range<usize>), ExprError> {
        let (tok, span) = self.lexer.next()?;
        let prev_tok = std::mem::replace(&mut self.tok, tok);
        let prev_span = std::mem::replace(&mut self.span, span);
        Ok((prev_tok, prev_span))
    }

    fn expect(&mut self, p: &'static str) -> Result<Range<usize>, ExprError> {
        if self.tok == Tok::Punct(p) {
            Ok(self.advance()?.1)
        } else {
            Err(ExprError::new(
                self.span.clone(),
                RuleMsg::ExpectedPunct {
                    punct: p,
                    found: describe(&self.tok),
                }
                .to_string(),
            ))
        }
    }

    fn binop(&self) -> Option<BinOp> {
        Some(match &self.tok {
            Tok::Punct("||") => BinOp::Or,
            Tok::Punct("&&") => BinOp::And,
            Tok::Punct("==") => BinOp::Eq,
            Tok::Punct("!=") => BinOp::Ne,
            Tok::Punct("<") => BinOp::Lt,
            Tok::Punct("<=") => BinOp::Le,
            Tok::Punct(">") => BinOp::Gt,
            Tok::Punct(">=") => BinOp::Ge,
            Tok::Ident(s) if s == "in" => BinOp::In,
            Tok::Punct("+") => BinOp::Add,
            Tok::Punct("-") => BinOp::Sub,
            Tok::Punct("*") => BinOp::Mul,
            Tok::Punct("/") => BinOp::Div,
            Tok::Punct("%") => BinOp::Rem,
            _ => return None,
        })
    }

    /// Counts one more level of nesting at `span`; too many is an error.
    fn nest(&mut self, span: &Range<usize>) -> Result<(), ExprError> {
        self.nesting += 1;
        self.check(self.nesting, MAX_NESTING, span)
    }

    /// A tree `depth` deep is an error past [`MAX_DEPTH`].
    fn check_depth(&self, depth: usize, span: &Range<usize>) -> Result<(), ExprError> {
        self.check(depth, MAX_DEPTH, span)
    }

    fn check(&self, depth: usize, max: usize, span: &Range<usize>) -> Result<(), ExprError> {
        if depth > max {
            let message = RuleMsg::TooDeep { max: MAX_DEPTH };
            return Err(ExprError::new(span.clone(), message.to_string()));
        }
        Ok(())
    }

    /// Parses an expression whose binary operators bind at least as tight as `min`;
    /// the conditional `?:` is taken only at the lowest level.
    fn expr(&mut self, min: u8) -> Result<Expr, ExprError> {
        self.nest(&self.span.clone())?;
        let e = self.chain(min);
        self.nesting -= 1;
        e
    }

    /// [`Parser::expr`] within one level of nesting; `self.depth` is the tree's depth.
    fn chain(&mut self, min: u8) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        let mut depth = self.depth;
        loop {
            if self.tok == Tok::Punct("?") {
                if min > PREC_COND {
                    break;
                }
                self.advance()?;
                let then = self.expr(PREC_COND)?;
                let then_depth = self.depth;
                self.expect(":")?;
                let other = self.expr(PREC_COND)?;
                let span = lhs.span.start..other.span.end;
                depth = 1 + depth.max(then_depth).max(self.depth);
                self.check_depth(depth, &span)?;
                lhs = Expr {
                    kind: ExprKind::Cond(Box::new(lhs), Box::new(then), Box::new(other)),
                    span,
                };
                continue;
            }
            let Some(op) = self.binop() else { break };
            let prec = op.precedence();
            if prec < min {
                break;
            }
            self.advance()?;
            let rhs = self.expr(prec + 1)?;
            let span = lhs.span.start..rhs.span.end;
            depth = 1 + depth.max(self.depth);
            self.check_depth(depth, &span)?;
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                span,
            };
        }
        self.depth = depth;
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        let op = match self.tok {
            Tok::Punct("!") => UnOp::Not,
            Tok::Punct("-") => UnOp::Neg,
            _ => return self.atom(),
        };
        let (_, span) = self.advance()?;
        self.nest(&span)?;
        let inner = self.unary();
        self.nesting -= 1;
        let inner = inner?;
        let span = span.start..inner.span.end;
        self.depth += 1;
        self.check_depth(self.depth, &span)?;
        Ok(Expr {
            kind: ExprKind::Unary(op, Box::new(inner)),
            span,
        })
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let (tok, span) = self.advance()?;
        self.depth = 1;
        let kind = match tok {
            Tok::Int(n) => ExprKind::Int(n),
            Tok::Dec(n) => ExprKind::Dec(n),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Ident(s) => match s.as_str() {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                "null" => ExprKind::Null,
                "in" => {
                    let found = Token::Code("in");
                    return Err(ExprError::new(
                        span,
                        RuleMsg::ExpectedValue { found }.to_string(),
                    ));
                }
                _ if self.tok == Tok::Punct("(") => {
                    self.advance()?;
                    let args = self.list_items(")")?;
                    let end = self.expect(")")?.end;
                    return Ok(Expr {
                        kind: ExprKind::Call(s, args),
                        span: span.start..end,
                    });
                }
                _ => ExprKind::Ident(s),
            },
            Tok::Punct("(") => {
                let inner = self.expr(PREC_COND)?;
                let end = self.expect(")")?.end;
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.start..end,
                });
            }
            Tok::Punct("[") => {
                let items = self.list_items("]")?;
                let end = self.expect("]")?.end;
                return Ok(Expr {
                    kind: ExprKind::List(items),
                    span: span.start..end,
                });
            }
            other => {
                return Err(ExprError::new(
                    span,
                    RuleMsg::ExpectedValue {
                        found: describe(&other),
                    }
                    .to_string(),
                ));
            }
        };
        Ok(Expr { kind, span })
    }

    /// The items of a list or a call's arguments; `self.depth` is one more than the
    /// deepest item's.
    fn list_items(&mut self, close: &'static str) -> Result<Vec<Expr>, ExprError> {
        let mut items = Vec::new();
        let mut deepest = 0;
        while self.tok != Tok::Punct(close) {
            items.push(self.expr(PREC_COND)?);
            deepest = deepest.max(self.depth);
            if self.tok == Tok::Punct(",") {
                self.advance()?;
            } else {
                break;
            }
        }
        self.depth = deepest + 1;
        self.check_depth(self.depth, &self.span.clone())?;
        Ok(items)
    }
}

impl Expr {
    fn precedence(&self) -> u8 {
        match &self.kind {
            ExprKind::Cond(..) => PREC_COND,
            ExprKind::Binary(op, ..) => op.precedence(),
            ExprKind::Unary(..) => PREC_UNARY,
            _ => PREC_ATOM,
        }
    }
}

/// Writes `e`, in parentheses when it binds looser than its place needs.
fn child(f: &mut fmt::Formatter<'_>, e: &Expr, at_least: u8) -> fmt::Result {
    if e.precedence() < at_least {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Null => f.write_str("null"),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Int(n) => write!(f, "{n}"),
            ExprKind::Dec(n) => {
                let s = format!("{n:?}");
                f.write_str(&s)
            }
            ExprKind::Str(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\t' => f.write_str("\\t")?,
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("\"")
            }
            ExprKind::List(items) => {
                f.write_str("[")?;
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str("]")
            }
            ExprKind::Ident(s) => f.write_str(s),
            ExprKind::Call(name, args) => {
                write!(f, "{name}(")?;
                for (i, e) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str(")")
            }
            ExprKind::Unary(op, inner) => {
                f.write_str(match op {
                    UnOp::Not => "!",
                    UnOp::Neg => "-",
                })?;
                child(f, inner, PREC_UNARY)
            }
            ExprKind::Binary(op, l, r) => {
                let p = op.precedence();
                // Left-associative: only the right operand needs parentheses at equal binding.
                child(f, l, p)?;
                write!(f, " {} ", op.symbol())?;
                child(f, r, p + 1)
            }
            ExprKind::Cond(c, t, e) => {
                child(f, c, 1)?;
                f.write_str(" ? ")?;
                child(f, t, PREC_COND)?;
                f.write_str(" : ")?;
                child(f, e, PREC_COND)
            }
        }
    }
}
