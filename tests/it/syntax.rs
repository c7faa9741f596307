//! Tests of the condition parser (`authorship::syntax`).

use std::time::{Duration, Instant};

use authorship::syntax::{
    CmpOp, Date, Expr, Literal, MAX_DEPTH, MAX_LENGTH, MAX_NODES, ParseError, Span, parse_condition,
};

// ---------------------------------------------------------------- helpers

/// Parses `text`, panicking with the error if it fails.
fn parse(text: &str) -> Expr {
    match parse_condition(text) {
        Ok(expr) => expr,
        Err(e) => panic!("{text:?} failed: {e} at {:?}", e.span()),
    }
}

/// The error of `text`, panicking if it parses.
fn fail(text: &str) -> ParseError {
    match parse_condition(text) {
        Ok(expr) => panic!("{text:?} parsed as {expr:?}"),
        Err(e) => e,
    }
}

/// The tree's shape without spans, e.g. `Or[a, And[b, c]]`.
fn tree(text: &str) -> String {
    shape(&parse(text))
}

fn shape(expr: &Expr) -> String {
    let join = |items: &[Expr]| items.iter().map(shape).collect::<Vec<_>>().join(", ");
    match expr {
        Expr::Literal { value, .. } => format!("{value}"),
        Expr::Fact { name, .. } => name.clone(),
        Expr::Conclusion { name, .. } => format!("@{name}"),
        Expr::Not { operand, .. } => format!("Not({})", shape(operand)),
        Expr::And { operands, .. } => format!("And[{}]", join(operands)),
        Expr::Or { operands, .. } => format!("Or[{}]", join(operands)),
        Expr::Compare { op, lhs, rhs, .. } => {
            format!("Cmp({} {} {})", shape(lhs), op.symbol(), shape(rhs))
        }
        Expr::In {
            negated,
            operand,
            list,
            ..
        } => {
            let items: Vec<String> = list.iter().map(|l| l.value.to_string()).collect();
            let name = if *negated { "NotIn" } else { "In" };
            format!("{name}({}, [{}])", shape(operand), items.join(", "))
        }
    }
}

/// Every node's kind and span, pre-order, one per line.
fn spans(text: &str) -> String {
    let mut out = Vec::new();
    collect_spans(&parse(text), &mut out);
    out.join("\n")
}

fn collect_spans(expr: &Expr, out: &mut Vec<String>) {
    let Span { start, end } = expr.span();
    let kind = match expr {
        Expr::Literal { .. } => "Literal",
        Expr::Fact { .. } => "Fact",
        Expr::Conclusion { .. } => "Conclusion",
        Expr::Not { .. } => "Not",
        Expr::And { .. } => "And",
        Expr::Or { .. } => "Or",
        Expr::Compare { .. } => "Compare",
        Expr::In { .. } => "In",
    };
    out.push(format!("{kind} {start}..{end}"));
    match expr {
        Expr::Not { operand, .. } => collect_spans(operand, out),
        Expr::And { operands, .. } | Expr::Or { operands, .. } => {
            for operand in operands {
                collect_spans(operand, out);
            }
        }
        Expr::Compare { lhs, rhs, .. } => {
            collect_spans(lhs, out);
            collect_spans(rhs, out);
        }
        Expr::In { operand, list, .. } => {
            collect_spans(operand, out);
            for item in list {
                out.push(format!("item {}..{}", item.span.start, item.span.end));
            }
        }
        _ => {}
    }
}

/// The error of `text` as a diagnostic: the text, then carets under the span
/// (at least one) followed by the message. Columns count chars, not bytes.
fn caret(text: &str) -> String {
    let error = fail(text);
    let Span { start, end } = error.span();
    let pad = text[..start].chars().count();
    let width = text[start..end].chars().count().max(1);
    format!("{text}\n{}{} {error}", " ".repeat(pad), "^".repeat(width))
}

/// Runs `f` on a thread with a 2 MiB stack, like a default spawned thread.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

// ---------------------------------------------------------------- literals

#[test]
fn literal_bools() {
    assert_eq!(tree("true"), "true");
    assert_eq!(tree("false"), "false");
    assert!(matches!(
        parse("true"),
        Expr::Literal {
            value: Literal::Bool(true),
            ..
        }
    ));
}

#[test]
fn literal_integers() {
    assert!(matches!(
        parse("42"),
        Expr::Literal {
            value: Literal::Int(42),
            ..
        }
    ));
    assert!(matches!(
        parse("-1"),
        Expr::Literal {
            value: Literal::Int(-1),
            ..
        }
    ));
    assert!(matches!(
        parse("007"),
        Expr::Literal {
            value: Literal::Int(7),
            ..
        }
    ));
    let min = parse("-9223372036854775808");
    assert!(matches!(
        min,
        Expr::Literal {
            value: Literal::Int(i64::MIN),
            ..
        }
    ));
    let max = parse("9223372036854775807");
    assert!(matches!(
        max,
        Expr::Literal {
            value: Literal::Int(i64::MAX),
            ..
        }
    ));
}

#[test]
fn literal_dates() {
    let expected = Literal::Date(Date::new(2023, 2, 21).unwrap());
    assert!(matches!(parse("2023-02-21"), Expr::Literal { value, .. } if value == expected));
    assert_eq!(tree("2024-02-29"), "2024-02-29");
}

#[test]
fn literal_strings_double_quoted() {
    let Expr::Literal {
        value: Literal::Str(s),
        ..
    } = parse(r#""say \"hi\" \\ ok""#)
    else {
        panic!("not a string")
    };
    assert_eq!(s, r#"say "hi" \ ok"#);
}

#[test]
fn literal_strings_single_quoted() {
    let Expr::Literal {
        value: Literal::Str(s),
        ..
    } = parse(r#"'it\'s \"x\" \\'"#)
    else {
        panic!("not a string")
    };
    assert_eq!(s, r#"it's "x" \"#);
    assert_eq!(tree(r#"'say "hi"'"#), r#""say \"hi\"""#);
}

#[test]
fn literal_strings_unicode_and_empty() {
    assert_eq!(tree(r#""prompt_wörds ✓""#), r#""prompt_wörds ✓""#);
    assert_eq!(tree(r#""""#), r#""""#);
    assert_eq!(tree("''"), r#""""#);
}

// ---------------------------------------------------------------- references

#[test]
fn fact() {
    let Expr::Fact { name, span } = parse("selected_among_outputs") else {
        panic!("not a fact")
    };
    assert_eq!(name, "selected_among_outputs");
    assert_eq!(span, Span::new(0, 22));
    assert_eq!(tree("_x9"), "_x9");
}

#[test]
fn conclusion() {
    let Expr::Conclusion { name, span } = parse("@originality") else {
        panic!("not a conclusion")
    };
    assert_eq!(name, "originality");
    assert_eq!(span, Span::new(0, 12), "the span includes the `@`");
}

#[test]
fn keyword_prefixed_identifiers_are_facts() {
    for name in [
        "android",
        "order",
        "notable",
        "inbox",
        "true_value",
        "falsey",
        "in_",
        "or2",
    ] {
        assert_eq!(tree(name), name);
    }
    assert_eq!(tree("android or order"), "Or[android, order]");
    assert_eq!(tree("notable in [1]"), "In(notable, [1])");
}

// ---------------------------------------------------------------- operators

#[test]
fn not() {
    assert_eq!(tree("not a"), "Not(a)");
    assert_eq!(tree("not not a"), "Not(Not(a))");
    assert_eq!(tree("not(a)"), "Not(a)");
}

#[test]
fn not_binds_looser_than_comparison() {
    assert_eq!(tree("not x == 1"), "Not(Cmp(x == 1))");
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(tree("a or b and c"), "Or[a, And[b, c]]");
    assert_eq!(tree("a and b or c"), "Or[And[a, b], c]");
    assert_eq!(tree("not a and b"), "And[Not(a), b]");
}

#[test]
fn chains_are_flat() {
    assert_eq!(tree("a and b and c"), "And[a, b, c]");
    assert_eq!(tree("a or b or c or d"), "Or[a, b, c, d]");
    let Expr::And { operands, .. } = parse("a and b and c") else {
        panic!("not an and")
    };
    assert_eq!(operands.len(), 3);
}

#[test]
fn single_operand_is_not_wrapped() {
    assert!(matches!(parse("a"), Expr::Fact { .. }));
    assert!(matches!(parse("(a)"), Expr::Fact { .. }));
}

#[test]
fn parentheses_nest() {
    assert_eq!(tree("(a and b) and c"), "And[And[a, b], c]");
    assert_eq!(tree("a and (b and c)"), "And[a, And[b, c]]");
    assert_eq!(tree("(a or b) and c"), "And[Or[a, b], c]");
    assert_eq!(tree("((a))"), "a");
    assert_eq!(tree("not (a or b)"), "Not(Or[a, b])");
}

#[test]
fn comparison_operators() {
    let ops = [
        ("==", CmpOp::Eq),
        ("!=", CmpOp::Ne),
        ("<", CmpOp::Lt),
        ("<=", CmpOp::Le),
        (">", CmpOp::Gt),
        (">=", CmpOp::Ge),
    ];
    for (symbol, expected) in ops {
        let Expr::Compare { op, .. } = parse(&format!("rounds {symbol} 2")) else {
            panic!("{symbol} is not a comparison")
        };
        assert_eq!(op, expected);
        assert_eq!(
            tree(&format!("rounds{symbol}2")),
            format!("Cmp(rounds {symbol} 2)")
        );
    }
}

#[test]
fn comparison_operands() {
    assert_eq!(tree("@a == true"), "Cmp(@a == true)");
    assert_eq!(tree("date >= 2023-02-21"), "Cmp(date >= 2023-02-21)");
    assert_eq!(tree("1 < x"), "Cmp(1 < x)");
    assert_eq!(tree("(a or b) == false"), "Cmp(Or[a, b] == false)");
}

#[test]
fn membership_in() {
    assert_eq!(
        tree(r#"kind in ["human", 'ai']"#),
        r#"In(kind, ["human", "ai"])"#
    );
    assert_eq!(
        tree("x in [1, 2023-01-01, true, \"s\",]"),
        r#"In(x, [1, 2023-01-01, true, "s"])"#
    );
    assert_eq!(tree("x in[1]"), "In(x, [1])");
}

#[test]
fn membership_not_in() {
    assert_eq!(tree("kind not in [\"human\"]"), r#"NotIn(kind, ["human"])"#);
    assert_eq!(tree("not kind in [1]"), "Not(In(kind, [1]))");
    assert_eq!(tree("a not in [1] and b"), "And[NotIn(a, [1]), b]");
}

#[test]
fn whitespace_and_newlines() {
    let text = "\n  selected\n\tand\r\n   rounds\n>=\n2  \n";
    assert_eq!(tree(text), "And[selected, Cmp(rounds >= 2)]");
    assert_eq!(tree("a\u{a0}and\u{2003}b\u{3000}"), "And[a, b]");
    assert_eq!(tree("x in [\n  1,\n  2,\n]"), "In(x, [1, 2])");
}

// ---------------------------------------------------------------- spans

#[test]
fn spans_of_a_comparison() {
    let Expr::Compare { span, rhs, .. } = parse(r#"x == "human""#) else {
        panic!("not a comparison")
    };
    assert_eq!(span, Span::new(0, 12));
    assert_eq!(rhs.span(), Span::new(5, 12));
}

#[test]
fn spans_of_a_tree() {
    insta::assert_snapshot!(spans("  not @a or (b and c == 1) "), @r"
    Or 2..26
    Not 2..8
    Conclusion 6..8
    And 13..25
    Fact 13..14
    Compare 19..25
    Fact 19..20
    Literal 24..25
    ");
}

#[test]
fn spans_of_list_items() {
    insta::assert_snapshot!(spans(r"k not in ['a', -3 , 2023-01-01]"), @r"
    In 0..31
    Fact 0..1
    item 10..13
    item 15..17
    item 20..30
    ");
}

#[test]
fn spans_outside_parentheses_cover_them() {
    insta::assert_snapshot!(spans("(a) == (1)"), @r"
    Compare 0..10
    Fact 1..2
    Literal 8..9
    ");
}

#[test]
fn spans_count_bytes() {
    // `é` is two bytes: the fact after it starts at byte 9, not 8.
    insta::assert_snapshot!(spans("\"é\" == x"), @r"
    Compare 0..9
    Literal 0..4
    Fact 8..9
    ");
}

// ---------------------------------------------------------------- printer

#[test]
fn printer_round_trip() {
    let conditions = [
        "a",
        "@originality",
        "true",
        "-42",
        "2023-02-21",
        r#""quote \" and backslash \\""#,
        r"'it\'s'",
        "a and b and c",
        "a or b and c",
        "(a or b) and c",
        "(a and b) and c",
        "a and (b and c)",
        "(a or b) or c",
        "not not a",
        "not (a and b)",
        "not a == 1",
        "(not a) == false",
        "(a or b) == (c and d)",
        "x in [1, 2,]",
        "x not in ['a', 2023-01-01, true]",
        "\n selected_among_outputs\n and generation_rounds >= 2\n",
        "not (x in [1]) or @y != -1 and z < 2",
    ];
    for text in conditions {
        let first = parse(text);
        let printed = first.to_string();
        let second = parse(&printed);
        assert_eq!(
            shape(&first),
            shape(&second),
            "{text:?} printed as {printed:?}"
        );
        assert_eq!(printed, second.to_string(), "{text:?}");
    }
}

#[test]
fn printer_is_canonical() {
    assert_eq!(parse("(a  and\nb)and c").to_string(), "(a and b) and c");
    assert_eq!(parse("((a or b))").to_string(), "a or b");
    assert_eq!(parse("x in['a',1,]").to_string(), r#"x in ["a", 1]"#);
}

// ---------------------------------------------------------------- errors

#[test]
fn error_expected_operand() {
    let error = fail("a and");
    let expected = "a fact, a literal, `@conclusion` or `(`";
    assert_eq!(
        error,
        ParseError::Expected {
            span: Span::new(5, 5),
            expected
        }
    );
    assert_eq!(
        error.to_string(),
        "expected a fact, a literal, `@conclusion` or `(`"
    );
    assert_eq!(fail("a ==").span(), Span::new(4, 4));
    assert_eq!(fail("not").span(), Span::new(3, 3));
}

#[test]
fn error_expected_closing_parenthesis() {
    let error = fail("(a");
    assert_eq!(
        error,
        ParseError::Expected {
            span: Span::new(2, 2),
            expected: "`)`"
        }
    );
    assert_eq!(error.to_string(), "expected `)`");
    assert_eq!(fail("(a b)").span(), Span::new(3, 4));
}

#[test]
fn error_expected_for_keyword_as_fact() {
    let error = fail("and == 1");
    assert!(matches!(error, ParseError::Expected { span, .. } if span == Span::new(0, 3)));
    assert!(
        matches!(fail("a or in"), ParseError::Expected { span, .. } if span == Span::new(5, 7))
    );
}

#[test]
fn error_expected_a_condition_when_empty() {
    let expected = "a condition";
    assert_eq!(
        fail(""),
        ParseError::Expected {
            span: Span::new(0, 0),
            expected
        }
    );
    assert_eq!(
        fail(" \n\t"),
        ParseError::Expected {
            span: Span::new(3, 3),
            expected
        }
    );
    assert_eq!(fail("").to_string(), "expected a condition");
}

#[test]
fn error_expected_in_lists() {
    let expected = |text| match fail(text) {
        ParseError::Expected { span, expected } => (span.start, span.end, expected),
        other => panic!("{text:?}: {other:?}"),
    };
    assert_eq!(expected("x in 1"), (5, 6, "`[`"));
    assert_eq!(expected("x in []"), (6, 7, "a literal"));
    assert_eq!(expected("x in [a]"), (6, 7, "a literal"));
    assert_eq!(expected("x in [1 2]"), (8, 9, "`,` or `]`"));
    assert_eq!(expected("x in [1,,]"), (8, 9, "a literal or `]`"));
    assert_eq!(expected("x in [1"), (7, 7, "`,` or `]`"));
}

#[test]
fn error_expected_conclusion_name() {
    let expected = "a conclusion name after `@`";
    assert_eq!(
        fail("@"),
        ParseError::Expected {
            span: Span::new(1, 1),
            expected
        }
    );
    assert_eq!(
        fail("@ a"),
        ParseError::Expected {
            span: Span::new(1, 1),
            expected
        }
    );
    assert_eq!(
        fail("@1"),
        ParseError::Expected {
            span: Span::new(1, 2),
            expected
        }
    );
}

#[test]
fn error_invalid_escape() {
    let error = fail(r#"x == "a\nb""#);
    let expected = "a valid escape (\\\" \\' or \\\\)";
    assert_eq!(
        error,
        ParseError::Expected {
            span: Span::new(7, 9),
            expected
        }
    );
    assert_eq!(
        error.to_string(),
        r#"expected a valid escape (\" \' or \\)"#
    );
    // A multi-byte escaped char keeps char boundaries.
    assert_eq!(fail(r#""\é""#).span(), Span::new(1, 4));
}

#[test]
fn error_unknown_operator() {
    let cases = [
        ("a && b", "&&", "and", 2),
        ("a || b", "||", "or", 2),
        ("!a", "!", "not", 0),
        ("a and !b", "!", "not", 6),
        ("a = 1", "=", "==", 2),
        ("a <> 1", "<>", "!=", 2),
        ("a === 1", "===", "==", 2),
        ("a !== 1", "!==", "!=", 2),
        ("(a = 1)", "=", "==", 3),
    ];
    for (text, found, instead, start) in cases {
        let span = Span::new(start, start + found.len());
        let expected = ParseError::UnknownOperator {
            span,
            found: found.to_owned(),
            instead,
        };
        assert_eq!(fail(text), expected, "{text:?}");
    }
    assert_eq!(
        fail("a && b").to_string(),
        "unknown operator `&&`; use `and`"
    );
}

#[test]
fn error_trailing_input() {
    let error = fail("a == 1 == 2");
    let expected = ParseError::TrailingInput {
        span: Span::new(7, 11),
        found: "==".into(),
    };
    assert_eq!(error, expected);
    assert_eq!(
        error.to_string(),
        "unexpected `==` after a complete condition"
    );
    let error = fail("a b  ");
    assert_eq!(
        error,
        ParseError::TrailingInput {
            span: Span::new(2, 3),
            found: "b".into()
        }
    );
    let error = fail("a)");
    assert_eq!(
        error,
        ParseError::TrailingInput {
            span: Span::new(1, 2),
            found: ")".into()
        }
    );
    let error = fail("a order");
    let found = "order".to_owned();
    assert_eq!(
        error,
        ParseError::TrailingInput {
            span: Span::new(2, 7),
            found
        }
    );
    let error = fail(r#"a "x y""#);
    let found = r#""x y""#.to_owned();
    assert_eq!(
        error,
        ParseError::TrailingInput {
            span: Span::new(2, 7),
            found
        }
    );
}

#[test]
fn error_unterminated_string() {
    let error = fail(r#"x == "human"#);
    assert_eq!(
        error,
        ParseError::UnterminatedString {
            span: Span::new(5, 11)
        }
    );
    assert_eq!(error.to_string(), "unterminated string literal");
    assert_eq!(fail(r"x == 'it\'s").span(), Span::new(5, 11));
    assert_eq!(fail(r#"x == "ab\"#).span(), Span::new(5, 9));
    assert_eq!(fail("x in ['a', 'b]").span(), Span::new(11, 14));
}

#[test]
fn error_invalid_date() {
    let error = fail("x == 2023-02-30");
    let text = "2023-02-30".to_owned();
    assert_eq!(
        error,
        ParseError::InvalidDate {
            span: Span::new(5, 15),
            text
        }
    );
    assert_eq!(
        error.to_string(),
        "`2023-02-30` is not a valid date (YYYY-MM-DD, a day that exists)"
    );
    assert!(matches!(fail("2023-13-01"), ParseError::InvalidDate { .. }));
    assert!(matches!(fail("2023-2-1"), ParseError::InvalidDate { .. }));
    assert!(matches!(fail("2023-02-29"), ParseError::InvalidDate { .. }));
    assert!(matches!(
        fail("x in [2023-04-31]"),
        ParseError::InvalidDate { .. }
    ));
}

#[test]
fn error_integer_out_of_range() {
    let error = fail("x > 99999999999999999999");
    let text = "99999999999999999999".to_owned();
    assert_eq!(
        error,
        ParseError::IntegerOutOfRange {
            span: Span::new(4, 24),
            text
        }
    );
    assert_eq!(
        error.to_string(),
        "integer `99999999999999999999` is out of range"
    );
    let text = "-9223372036854775809".to_owned();
    assert_eq!(
        fail(&text),
        ParseError::IntegerOutOfRange {
            span: Span::new(0, 20),
            text
        }
    );
}

#[test]
fn error_unexpected_char() {
    let error = fail("prompt_wörds");
    assert_eq!(
        error,
        ParseError::UnexpectedChar {
            span: Span::new(8, 10),
            found: 'ö'
        }
    );
    assert_eq!(error.to_string(), "unexpected character `ö`");
    let error = fail("a # b");
    assert_eq!(
        error,
        ParseError::UnexpectedChar {
            span: Span::new(2, 3),
            found: '#'
        }
    );
    let error = fail("$x");
    assert_eq!(
        error,
        ParseError::UnexpectedChar {
            span: Span::new(0, 1),
            found: '$'
        }
    );
    let error = fail("x == 🦀");
    assert_eq!(
        error,
        ParseError::UnexpectedChar {
            span: Span::new(5, 9),
            found: '🦀'
        }
    );
}

#[test]
fn error_too_deep() {
    let text = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let error = fail(&text);
    let (span, limit) = (Span::new(MAX_DEPTH, MAX_DEPTH + 1), MAX_DEPTH);
    assert_eq!(error, ParseError::TooDeep { span, limit });
    assert_eq!(error.to_string(), "condition nested deeper than 64 levels");
}

#[test]
fn error_too_many_nodes() {
    // 12,000 terms is under MAX_LENGTH bytes but over MAX_NODES nodes.
    let text = format!("{}a", "a or ".repeat(11_999));
    assert!(text.len() <= MAX_LENGTH);
    let error = fail(&text);
    // The 10,001st term is the first node over the limit.
    let start = 5 * MAX_NODES;
    let limit = MAX_NODES;
    assert_eq!(
        error,
        ParseError::TooManyNodes {
            span: Span::new(start, start + 1),
            limit
        }
    );
    assert_eq!(error.to_string(), "condition has more than 10000 terms");
}

#[test]
fn error_too_long() {
    let text = format!("{}a", "a or ".repeat(100_000));
    let error = fail(&text);
    let len = text.len();
    assert_eq!(
        error,
        ParseError::TooLong {
            span: Span::new(0, len),
            len,
            limit: MAX_LENGTH
        }
    );
    assert_eq!(
        error.to_string(),
        "condition is 500001 bytes long; the limit is 65536"
    );
}

// ---------------------------------------------------------------- carets

#[test]
fn caret_unknown_operator() {
    insta::assert_snapshot!(caret("selected && rounds >= 2"), @r"
    selected && rounds >= 2
             ^^ unknown operator `&&`; use `and`
    ");
}

#[test]
fn caret_trailing_comparison() {
    insta::assert_snapshot!(caret("a == 1 == 2"), @r"
    a == 1 == 2
           ^^^^ unexpected `==` after a complete condition
    ");
}

#[test]
fn caret_non_ascii_identifier() {
    insta::assert_snapshot!(caret("prompt_wörds > 3"), @r"
    prompt_wörds > 3
            ^ unexpected character `ö`
    ");
}

#[test]
fn caret_unterminated_string() {
    insta::assert_snapshot!(caret(r#"kind == "human"#), @r#"
    kind == "human
            ^^^^^^ unterminated string literal
    "#);
}

#[test]
fn caret_missing_parenthesis() {
    insta::assert_snapshot!(caret("(a or b and c"), @r"
    (a or b and c
                 ^ expected `)`
    ");
}

#[test]
fn caret_keyword_as_fact() {
    insta::assert_snapshot!(caret("a and or"), @r"
    a and or
          ^^ expected a fact, a literal, `@conclusion` or `(`
    ");
}

#[test]
fn caret_invalid_date_in_list() {
    insta::assert_snapshot!(caret("day in [2023-02-28, 2023-02-30]"), @r"
    day in [2023-02-28, 2023-02-30]
                        ^^^^^^^^^^ `2023-02-30` is not a valid date (YYYY-MM-DD, a day that exists)
    ");
}

#[test]
fn caret_inside_parentheses() {
    insta::assert_snapshot!(caret("(a and (b or c) d)"), @r"
    (a and (b or c) d)
                    ^ expected `)`
    ");
}

#[test]
fn caret_too_deep_not() {
    let text = format!("{}a", "not ".repeat(MAX_DEPTH + 1));
    let error = fail(&text);
    let start = 4 * MAX_DEPTH;
    assert_eq!(error.span(), Span::new(start, start + 3));
    assert_eq!(&text[start..start + 3], "not");
}

// ---------------------------------------------------------------- limits

#[test]
fn limit_depth_at_maximum_parses() {
    let text = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(tree(&text), "a");
    let text = format!("{}a", "not ".repeat(MAX_DEPTH));
    assert!(matches!(parse(&text), Expr::Not { .. }));
}

#[test]
fn limit_depth_counts_parentheses_and_not_together() {
    let half = MAX_DEPTH / 2;
    let ok = format!("{}a{}", "not (".repeat(half), ")".repeat(half));
    assert!(matches!(parse(&ok), Expr::Not { .. }));
    let deep = format!("{}a{}", "not (".repeat(half + 1), ")".repeat(half + 1));
    assert!(matches!(fail(&deep), ParseError::TooDeep { .. }));
}

#[test]
fn limit_depth_at_maximum_fits_a_small_stack() {
    let text = format!("{}a == 1{}", "not (".repeat(32), ")".repeat(32));
    let expr = on_small_stack(move || parse_condition(&text).map(|e| e.to_string()));
    assert!(expr.is_ok());
}

#[test]
fn limit_ten_thousand_parentheses_on_a_small_stack() {
    let text = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    let started = Instant::now();
    let result = on_small_stack(move || parse_condition(&text));
    assert!(started.elapsed() < Duration::from_secs(5));
    let (span, limit) = (Span::new(MAX_DEPTH, MAX_DEPTH + 1), MAX_DEPTH);
    assert_eq!(result, Err(ParseError::TooDeep { span, limit }));
}

#[test]
fn limit_ten_thousand_nots_on_a_small_stack() {
    let text = format!("{}a", "not ".repeat(10_000));
    let result = on_small_stack(move || parse_condition(&text));
    let start = 4 * MAX_DEPTH;
    let (span, limit) = (Span::new(start, start + 3), MAX_DEPTH);
    assert_eq!(result, Err(ParseError::TooDeep { span, limit }));
}

#[test]
fn limit_long_flat_chain_parses() {
    let text = format!("{}a", "a or ".repeat(4_999));
    let Expr::Or { operands, span } = parse(&text) else {
        panic!("not an or")
    };
    assert_eq!(operands.len(), 5_000);
    assert_eq!(span, Span::new(0, text.len()));
    assert!(operands.iter().all(|o| matches!(o, Expr::Fact { .. })));
}

#[test]
fn limit_hundred_thousand_terms() {
    let text = format!("{}a", "a or ".repeat(100_000));
    assert!(matches!(fail(&text), ParseError::TooLong { .. }));
}

#[test]
fn limit_list_items_count_as_nodes() {
    let text = format!("x in [{}]", "1,".repeat(MAX_NODES + 1));
    assert!(matches!(fail(&text), ParseError::TooManyNodes { .. }));
}

#[test]
fn limit_length_boundary() {
    let name = "a".repeat(MAX_LENGTH);
    assert!(matches!(parse(&name), Expr::Fact { .. }));
    let name = "a".repeat(MAX_LENGTH + 1);
    let len = MAX_LENGTH + 1;
    let expected = ParseError::TooLong {
        span: Span::new(0, len),
        len,
        limit: MAX_LENGTH,
    };
    assert_eq!(fail(&name), expected);
}

// ---------------------------------------------------------------- robustness

#[test]
fn no_panic_on_odd_input() {
    let inputs = [
        "\"",
        "'",
        "\\",
        "@",
        "(",
        ")",
        "[",
        "]",
        ",",
        "-",
        "--1",
        "- 1",
        "x in",
        "x not",
        "x not in",
        "not in [1]",
        "é",
        "aé",
        "\"é",
        "x == 'é",
        "1-",
        "1-2",
        "1-2-",
        "2023-01-01x",
        "123abc",
        "a\u{0}",
        "A",
        "a == True",
        "\u{feff}a",
        "x in [1,",
        "🦀🦀",
        "a ! b",
        "<",
        "a <",
    ];
    for text in inputs {
        let _ = parse_condition(text);
        // Every prefix and suffix at a char boundary, too.
        for (i, _) in text.char_indices() {
            let _ = parse_condition(&text[..i]);
            let _ = parse_condition(&text[i..]);
        }
    }
}

#[test]
fn error_spans_are_char_boundaries() {
    let inputs = [
        "é",
        "aé == 1",
        "x == \"é",
        "x in [é]",
        "@é",
        "(é",
        "\"\\é\"",
        "a é",
        "ü == 1",
    ];
    for text in inputs {
        let Span { start, end } = fail(text).span();
        assert!(start <= end && end <= text.len(), "{text:?}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{text:?}"
        );
    }
}
