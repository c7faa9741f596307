//! The condition parser: text in, [`Expr`] out.
//!
//! This is the only place that knows the concrete syntax of a condition. It
//! turns one string into a syntax tree whose nodes carry byte spans, or into
//! one [`ParseError`] pointing at the offending text. It knows nothing about
//! facts, conclusions, YAML or rulesets: whether a name exists or types match
//! is decided by later stages.
//!
//! Built with nom 8 over `&str`; a span offset is `full.len() - rest.len()`.
//! Every production of the grammar in [`super`] is one function of the same
//! name. A recoverable miss is a `nom::Err::Error` without payload, so `alt`
//! and `opt` can try something else. Once a production has committed (after
//! `(`, `not`, `and`, `or`, an operator, `in`, `[`, `@` or a quote) a miss
//! becomes a `nom::Err::Failure` carrying the final [`ParseError`]. The
//! nesting depth of parentheses and `not` is threaded through the recursive
//! productions; the node count lives in [`Ctx`].

use std::cell::Cell;

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_while, take_while1};
use nom::character::complete::{anychar, char, digit1, one_of, satisfy};
use nom::combinator::{not, opt, recognize, value, verify};
use nom::error::ErrorKind;
use nom::multi::fold_many0;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use super::ast::{CmpOp, Date, Expr, Literal, Span, SpannedLiteral};
use super::error::ParseError;
use super::{MAX_DEPTH, MAX_LENGTH, MAX_NODES};

/// What may start an operand, for "expected …" messages.
const OPERAND: &str = "a fact, a literal, `@conclusion` or `(`";
/// What may follow a backslash inside a string.
const ESCAPE: &str = "a valid escape (\\\" \\' or \\\\)";
/// Words that are never fact names.
const KEYWORDS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

/// The nom error type. `error` is `None` for a recoverable miss and holds the
/// final diagnostic once a production has committed.
#[derive(Debug)]
struct Error<'a> {
    input: &'a str,
    error: Option<Box<ParseError>>,
}

impl<'a> nom::error::ParseError<&'a str> for Error<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        Error { input, error: None }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, O> = IResult<&'a str, O, Error<'a>>;

/// A committed failure carrying its diagnostic.
fn failure(input: &str, error: ParseError) -> nom::Err<Error<'_>> {
    nom::Err::Failure(Error {
        input,
        error: Some(Box::new(error)),
    })
}

/// Parsing state shared by all productions: the whole input (for spans) and
/// the number of nodes built so far.
struct Ctx<'a> {
    full: &'a str,
    nodes: Cell<usize>,
}

impl<'a> Ctx<'a> {
    /// Byte offset of `rest`, a suffix of the input.
    fn offset(&self, rest: &str) -> usize {
        self.full.len().saturating_sub(rest.len())
    }

    /// The span between two suffixes of the input.
    fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.offset(from), self.offset(to))
    }

    /// Counts one node, failing once there are more than [`MAX_NODES`].
    fn count(&self, span: Span) -> Result<(), nom::Err<Error<'a>>> {
        let nodes = self.nodes.get().saturating_add(1);
        self.nodes.set(nodes);
        if nodes > MAX_NODES {
            let limit = MAX_NODES;
            return Err(failure(self.full, ParseError::TooManyNodes { span, limit }));
        }
        Ok(())
    }

    /// Counts `expr` as a node and hands it back.
    fn node(&self, expr: Expr) -> Result<Expr, nom::Err<Error<'a>>> {
        self.count(expr.span())?;
        Ok(expr)
    }

    /// Enters one more level of `(` or `not` (the token spans `from..to`).
    fn deeper(&self, depth: usize, from: &'a str, to: &str) -> Result<usize, nom::Err<Error<'a>>> {
        if depth >= MAX_DEPTH {
            let (span, limit) = (self.span(from, to), MAX_DEPTH);
            return Err(failure(from, ParseError::TooDeep { span, limit }));
        }
        Ok(depth.saturating_add(1))
    }

    /// The error for "`expected` was wanted at the next token after `at`".
    fn expected(&self, at: &'a str, expected: &'static str) -> ParseError {
        self.expected_exact(at.trim_start(), expected)
    }

    /// Like [`Ctx::expected`], but without skipping whitespace first.
    fn expected_exact(&self, at: &'a str, expected: &'static str) -> ParseError {
        if at.starts_with(char::is_whitespace) {
            let span = self.span(at, at);
            return ParseError::Expected { span, expected };
        }
        let span = self.token_span(at);
        self.misfit(at)
            .unwrap_or(ParseError::Expected { span, expected })
    }

    /// The error for text left over after a complete condition.
    fn trailing(&self, at: &'a str) -> ParseError {
        self.misfit(at).unwrap_or_else(|| {
            let start = self.offset(at);
            ParseError::TrailingInput {
                span: Span::new(start, start.saturating_add(at.trim_end().len())),
                found: self.first_token(at).to_owned(),
            }
        })
    }

    /// A more telling error than "expected" when `at` starts with a wrong
    /// operator or with a character no token starts with.
    fn misfit(&self, at: &'a str) -> Option<ParseError> {
        if let Some(error) = self.unknown_operator(at) {
            return Some(error);
        }
        let mut stray = satisfy::<_, _, Error>(|c| !can_start_token(c));
        let (rest, found) = stray.parse(at).ok()?;
        let span = self.span(at, rest);
        Some(ParseError::UnexpectedChar { span, found })
    }

    /// [`ParseError::UnknownOperator`] if `at` starts with one.
    fn unknown_operator(&self, at: &'a str) -> Option<ParseError> {
        let (rest, (found, instead)) = wrong_operator(at).ok()?;
        let span = self.span(at, rest);
        let found = found.to_owned();
        Some(ParseError::UnknownOperator {
            span,
            found,
            instead,
        })
    }

    /// The span of the first token of `at` (empty at the end of input).
    fn token_span(&self, at: &'a str) -> Span {
        let start = self.offset(at);
        Span::new(start, start.saturating_add(self.first_token(at).len()))
    }

    /// The first token of `at`, for diagnostics (empty at the end of input).
    fn first_token(&self, at: &'a str) -> &'a str {
        let mut token = alt((
            date_shape,
            take_while1(is_ident_char),
            recognize((char('-'), digit1)),
            alt((tag("=="), tag("!="), tag("<="), tag(">="))),
            recognize(|i| string(self, i)),
        ));
        let found = token
            .parse(at)
            .or_else(|_| recognize(anychar::<_, Error>).parse(at));
        found.map_or("", |(_, text)| text)
    }
}

/// Parses one condition; see [`super::parse_condition`].
pub(crate) fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.len() > MAX_LENGTH {
        let (span, len) = (Span::new(0, text.len()), text.len());
        return Err(ParseError::TooLong {
            span,
            len,
            limit: MAX_LENGTH,
        });
    }
    let cx = Ctx {
        full: text,
        nodes: Cell::new(0),
    };
    match condition(&cx, text) {
        Ok((_, expr)) => Ok(expr),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e
            .error
            .map_or_else(|| cx.expected(e.input, OPERAND), |e| *e)),
        Err(nom::Err::Incomplete(_)) => Err(cx.expected("", "a condition")),
    }
}

/// `condition = ws or_expr ws EOF ;`
fn condition<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    if start.is_empty() {
        return Err(failure(start, cx.expected(start, "a condition")));
    }
    let (rest, expr) = commit(cx, start, OPERAND, or_expr(cx, 0, start))?;
    let (rest, _) = ws(rest)?;
    if !rest.is_empty() {
        return Err(failure(rest, cx.trailing(rest)));
    }
    Ok((rest, expr))
}

/// A recursive production: context, nesting depth, input.
type Production<'a> = fn(&Ctx<'a>, usize, &'a str) -> PResult<'a, Expr>;

// The productions from `or_expr` down to `parenthesised` recurse, once per
// nesting level. They call each other directly and keep nom combinators in
// non-recursive helpers, so that each level costs little stack even in a
// debug build.

/// `or_expr = and_expr { "or" and_expr } ;`
fn or_expr<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    let build = |span, operands| Expr::Or { span, operands };
    chain(cx, depth, i, "or", and_expr, build)
}

/// `and_expr = not_expr { "and" not_expr } ;`
fn and_expr<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    let build = |span, operands| Expr::And { span, operands };
    chain(cx, depth, i, "and", not_expr, build)
}

/// `item { word item }` as one flat node made by `build` (a loop, so a long
/// chain costs no recursion); a lone item is returned unwrapped.
fn chain<'a>(
    cx: &Ctx<'a>,
    depth: usize,
    i: &'a str,
    word: &'static str,
    item: Production<'a>,
    build: fn(Span, Vec<Expr>) -> Expr,
) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    let (rest, first) = item(cx, depth, start)?;
    match after_keyword(word, rest) {
        None => Ok((rest, first)),
        Some(_) => chain_rest(cx, depth, (start, rest), word, item, first, build),
    }
}

/// The `{ word item }` loop of [`chain`], entered after its first item
/// (which spans `start..rest`).
fn chain_rest<'a>(
    cx: &Ctx<'a>,
    depth: usize,
    (start, mut rest): (&'a str, &'a str),
    word: &'static str,
    item: Production<'a>,
    first: Expr,
    build: fn(Span, Vec<Expr>) -> Expr,
) -> PResult<'a, Expr> {
    let mut operands = vec![first];
    while let Some(after) = after_keyword(word, rest) {
        let (after, next) = commit(cx, after, OPERAND, item(cx, depth, after))?;
        operands.push(next);
        rest = after;
    }
    Ok((rest, cx.node(build(cx.span(start, rest), operands))?))
}

/// `not_expr = "not" not_expr | comparison ;`
fn not_expr<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    match after_keyword("not", start) {
        None => comparison(cx, depth, start),
        Some(after) => negation(cx, depth, start, after),
    }
}

/// The `"not" not_expr` alternative of [`not_expr`]; `not` spans
/// `start..after`.
fn negation<'a>(cx: &Ctx<'a>, depth: usize, start: &'a str, after: &'a str) -> PResult<'a, Expr> {
    let depth = cx.deeper(depth, start, after)?;
    let (rest, operand) = commit(cx, after, OPERAND, not_expr(cx, depth, after))?;
    let span = cx.span(start, rest);
    let operand = Box::new(operand);
    Ok((rest, cx.node(Expr::Not { span, operand })?))
}

/// `comparison = operand [ cmp_op operand | "in" list | "not" "in" list ] ;`
fn comparison<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    let (rest, lhs) = operand(cx, depth, start)?;
    match opt(|i| cmp_op(cx, i)).parse(rest)? {
        (after, Some(op)) => compare(cx, depth, (start, after), op, lhs),
        (_, None) => membership(cx, (start, rest), lhs),
    }
}

/// The `cmp_op operand` part of [`comparison`]: the comparison starts at
/// `start` and continues after the operator at `after`.
fn compare<'a>(
    cx: &Ctx<'a>,
    depth: usize,
    (start, after): (&'a str, &'a str),
    op: CmpOp,
    lhs: Expr,
) -> PResult<'a, Expr> {
    let (rest, rhs) = commit(cx, after, OPERAND, operand(cx, depth, after))?;
    let (span, lhs, rhs) = (cx.span(start, rest), Box::new(lhs), Box::new(rhs));
    Ok((rest, cx.node(Expr::Compare { span, op, lhs, rhs })?))
}

/// The optional `"in" list | "not" "in" list` part of [`comparison`]: the
/// comparison starts at `start`, its operand `lhs` ends at `rest`.
fn membership<'a>(cx: &Ctx<'a>, (start, rest): (&'a str, &'a str), lhs: Expr) -> PResult<'a, Expr> {
    let list = || expect(cx, "`[`", |i| list(cx, i));
    let (rest, tail) = opt(alt((
        preceded(keyword("in"), list()).map(|l| (false, l)),
        preceded((keyword("not"), keyword("in")), list()).map(|l| (true, l)),
    )))
    .parse(rest)?;
    let Some((negated, list)) = tail else {
        return Ok((rest, lhs));
    };
    let (span, operand) = (cx.span(start, rest), Box::new(lhs));
    Ok((
        rest,
        cx.node(Expr::In {
            span,
            negated,
            operand,
            list,
        })?,
    ))
}

/// `cmp_op = "==" | "!=" | "<=" | ">=" | "<" | ">" ;`
///
/// An operator this language lacks (`=`, `<>`, `&&`, …) fails with a hint.
fn cmp_op<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, CmpOp> {
    let (start, _) = ws(i)?;
    if let Some(error) = cx.unknown_operator(start) {
        return Err(failure(start, error));
    }
    alt((
        value(CmpOp::Eq, tag("==")),
        value(CmpOp::Ne, tag("!=")),
        value(CmpOp::Le, tag("<=")),
        value(CmpOp::Ge, tag(">=")),
        value(CmpOp::Lt, tag("<")),
        value(CmpOp::Gt, tag(">")),
    ))
    .parse(start)
}

/// Operators people write out of habit, with what to write instead.
fn wrong_operator(i: &str) -> PResult<'_, (&str, &'static str)> {
    alt((
        tag("===").map(|t| (t, "==")),
        tag("!==").map(|t| (t, "!=")),
        tag("&&").map(|t| (t, "and")),
        tag("||").map(|t| (t, "or")),
        tag("<>").map(|t| (t, "!=")),
        terminated(tag("!"), not(char('='))).map(|t| (t, "not")),
        terminated(tag("="), not(char('='))).map(|t| (t, "==")),
    ))
    .parse(i)
}

/// `operand = literal | conclusion | fact | "(" or_expr ")" ;`
fn operand<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    match atom(cx, i) {
        Err(nom::Err::Error(_)) => parenthesised(cx, depth, i),
        atom => atom,
    }
}

/// `literal | conclusion | fact`: the alternatives of [`operand`] that do
/// not recurse.
fn atom<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Expr> {
    alt((
        (|i| literal(cx, i)).map(|lit| Expr::Literal {
            span: lit.span,
            value: lit.value,
        }),
        |i| conclusion(cx, i),
        |i| fact(cx, i),
    ))
    .parse(i)
}

/// `"(" or_expr ")"`, the last alternative of [`operand`]. Gives the inner
/// node as is: its span excludes the parentheses.
fn parenthesised<'a>(cx: &Ctx<'a>, depth: usize, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    let (after, _) = char('(').parse(start)?;
    let depth = cx.deeper(depth, start, after)?;
    let (rest, inner) = commit(cx, after, OPERAND, or_expr(cx, depth, after))?;
    let (rest, _) = close_parenthesis(cx, rest)?;
    Ok((rest, inner))
}

/// The `")"` ending [`parenthesised`].
fn close_parenthesis<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, char> {
    expect(cx, "`)`", preceded(ws, char(')'))).parse(i)
}

/// `list = "[" literal { "," literal } [ "," ] "]" ;`
fn list<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Vec<SpannedLiteral>> {
    let close = || preceded(ws, char(']'));
    let (rest, _) = preceded(ws, char('[')).parse(i)?;
    let (mut rest, first) = expect(cx, "a literal", |i| literal(cx, i)).parse(rest)?;
    let mut items = vec![first];
    loop {
        if let Ok((rest, _)) = close().parse(rest) {
            return Ok((rest, items));
        }
        let (after, _) = expect(cx, "`,` or `]`", preceded(ws, char(','))).parse(rest)?;
        if let Ok((rest, _)) = close().parse(after) {
            return Ok((rest, items));
        }
        let (after, item) = expect(cx, "a literal or `]`", |i| literal(cx, i)).parse(after)?;
        items.push(item);
        rest = after;
    }
}

/// `literal = "true" | "false" | date | integer | string ;`
fn literal<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, SpannedLiteral> {
    let (start, _) = ws(i)?;
    let (rest, lit) = alt((
        value(Literal::Bool(true), keyword("true")),
        value(Literal::Bool(false), keyword("false")),
        |i| date(cx, i),
        |i| integer(cx, i),
        |i| string(cx, i),
    ))
    .parse(start)?;
    let span = cx.span(start, rest);
    cx.count(span)?;
    Ok((rest, SpannedLiteral { span, value: lit }))
}

/// `date = digit4 "-" digit2 "-" digit2 ;` (a day that exists)
///
/// Anything shaped `digits-digits-…` commits, so `2023-2-30` is reported as
/// an invalid date rather than as the integer `2023` followed by junk.
fn date<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Literal> {
    let (rest, text) = date_shape(i)?;
    match Date::parse(text) {
        Some(date) => Ok((rest, Literal::Date(date))),
        None => {
            let (span, text) = (cx.span(i, rest), text.to_owned());
            Err(failure(i, ParseError::InvalidDate { span, text }))
        }
    }
}

/// Text that can only be meant as a date: `digits "-" digits "-" word`.
fn date_shape(i: &str) -> PResult<'_, &str> {
    recognize((
        digit1,
        char('-'),
        digit1,
        char('-'),
        take_while1(is_ident_char),
    ))
    .parse(i)
}

/// `integer = [ "-" ] digit { digit } ;` (fits in 64 bits)
fn integer<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Literal> {
    let digits = recognize((opt(char('-')), digit1));
    let (rest, text) = terminated(digits, not(satisfy(is_ident_char))).parse(i)?;
    match text.parse::<i64>() {
        Ok(int) => Ok((rest, Literal::Int(int))),
        Err(_) => {
            let (span, text) = (cx.span(i, rest), text.to_owned());
            Err(failure(i, ParseError::IntegerOutOfRange { span, text }))
        }
    }
}

/// `string = '"' { char | '\"' | '\\' } '"' | "'" { char | "\'" | '\\' } "'" ;`
fn string<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Literal> {
    let (body, quote) = one_of("\"'").parse(i)?;
    let plain = is_not(if quote == '"' { "\"\\" } else { "'\\" });
    let piece = alt((plain, |i| escape(cx, i)));
    let (rest, text) = fold_many0(piece, String::new, |mut text, piece| {
        text.push_str(piece);
        text
    })
    .parse(body)?;
    match char::<_, Error>(quote).parse(rest) {
        Ok((rest, _)) => Ok((rest, Literal::Str(text))),
        Err(_) => {
            let span = cx.span(i, "");
            Err(failure(i, ParseError::UnterminatedString { span }))
        }
    }
}

/// An escape inside a string: `\"`, `\'` or `\\`. A backslash at the very
/// end is left to [`string`] to report as unterminated.
fn escape<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, &'static str> {
    let (after, _) = char('\\').parse(i)?;
    let known = alt((
        value("\"", char('"')),
        value("'", char('\'')),
        value("\\", char('\\')),
    ))
    .parse(after);
    match (known, anychar::<_, Error>(after)) {
        (Err(nom::Err::Error(_)), Ok((end, _))) => {
            let span = cx.span(i, end);
            Err(failure(
                i,
                ParseError::Expected {
                    span,
                    expected: ESCAPE,
                },
            ))
        }
        (known, _) => known,
    }
}

/// `conclusion = "@" ident ;`
fn conclusion<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    let (after, _) = char('@').parse(start)?;
    let (rest, name) = ident(after).map_err(|_| {
        failure(
            after,
            cx.expected_exact(after, "a conclusion name after `@`"),
        )
    })?;
    let (span, name) = (cx.span(start, rest), name.to_owned());
    Ok((rest, cx.node(Expr::Conclusion { span, name })?))
}

/// `fact = ident ;` (not a keyword)
fn fact<'a>(cx: &Ctx<'a>, i: &'a str) -> PResult<'a, Expr> {
    let (start, _) = ws(i)?;
    let (rest, name) = verify(ident, |name: &str| !KEYWORDS.contains(&name)).parse(start)?;
    let (span, name) = (cx.span(start, rest), name.to_owned());
    Ok((rest, cx.node(Expr::Fact { span, name })?))
}

/// `ident = ( "a".."z" | "_" ) { "a".."z" | "0".."9" | "_" } ;`
fn ident(i: &str) -> PResult<'_, &str> {
    let first = satisfy(|c| c.is_ascii_lowercase() || c == '_');
    recognize((first, take_while(is_ident_char))).parse(i)
}

/// The rest after `word` (see [`keyword`]), if `i` starts with it.
fn after_keyword<'a>(word: &'static str, i: &'a str) -> Option<&'a str> {
    keyword(word).parse(i).ok().map(|(rest, _)| rest)
}

/// `keyword = "and" | "or" | "not" | "in" | "true" | "false" ;` — one given
/// keyword, after optional whitespace, standing alone (`android` is no `and`).
fn keyword<'a>(word: &'static str) -> impl Parser<&'a str, Output = &'a str, Error = Error<'a>> {
    preceded(ws, terminated(tag(word), not(satisfy(is_ident_char))))
}

/// `ws`: any (Unicode) whitespace, newlines included.
fn ws(i: &str) -> PResult<'_, &str> {
    take_while(char::is_whitespace).parse(i)
}

/// Turns a recoverable miss of `parser` into a committed failure saying what
/// was `expected` at that point.
fn expect<'a, O>(
    cx: &Ctx<'a>,
    expected: &'static str,
    mut parser: impl Parser<&'a str, Output = O, Error = Error<'a>>,
) -> impl FnMut(&'a str) -> PResult<'a, O> {
    move |i| commit(cx, i, expected, parser.parse(i))
}

/// [`expect`] for a `result` already computed from input `i`.
fn commit<'a, O>(
    cx: &Ctx<'a>,
    i: &'a str,
    expected: &'static str,
    result: PResult<'a, O>,
) -> PResult<'a, O> {
    match result {
        Err(nom::Err::Error(e)) => {
            let error = e.error.map_or_else(|| cx.expected(i, expected), |e| *e);
            Err(failure(i, error))
        }
        other => other,
    }
}

/// Whether `c` may continue an identifier.
fn is_ident_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
}

/// Whether some token may start with `c`.
fn can_start_token(c: char) -> bool {
    is_ident_char(c) || "-\"'@()[],=!<>".contains(c)
}
