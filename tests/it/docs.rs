//! The authoring guide is executable: every `console` block's command is
//! run and its output must match what the guide shows (including the exit
//! status), every YAML example must be the file it names, and every error
//! code has an example.

use crate::common;

const GUIDE: &str = "docs/authoring.md";

/// (info string, body) of every fenced block.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push((info.to_string(), body.join("\n")));
    }
    out
}

/// Runs the binary; what a console shows (standard output, then standard
/// error, without trailing blanks) and the exit status.
fn run(args: &[&str]) -> (String, i32) {
    let o = common::run(args);
    let text = format!("{}{}", common::stdout(&o), common::stderr(&o));
    let text: Vec<&str> = text.trim_end().lines().map(str::trim_end).collect();
    (text.join("\n"), o.status.code().unwrap_or(-1))
}

#[test]
fn every_command_in_the_guide_gives_the_output_shown() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let mut ran = 0;
    for (info, body) in blocks(&guide).into_iter().filter(|(i, _)| i == "console") {
        let mut lines: Vec<&str> = body.lines().collect();
        let command = lines
            .remove(0)
            .strip_prefix("$ authorship ")
            .expect("a console block starts with `$ authorship`");
        let expected_exit = match lines.last().and_then(|l| l.strip_prefix("[exit ")) {
            Some(code) => {
                let code = code.trim_end_matches(']').parse().unwrap();
                lines.pop();
                code
            }
            None => 0,
        };
        let args: Vec<&str> = command.split_whitespace().collect();
        let (out, code) = run(&args);
        assert_eq!(
            out,
            lines.join("\n"),
            "output of `authorship {command}` ({info}) differs from the guide"
        );
        assert_eq!(code, expected_exit, "exit status of `authorship {command}`");
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} commands in the guide");
}

#[test]
fn every_yaml_example_is_the_file_it_names() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let mut checked = 0;
    for (_, body) in blocks(&guide).into_iter().filter(|(i, _)| i == "yaml") {
        let Some(path) = body.lines().next().and_then(|l| l.strip_prefix("# file: ")) else {
            continue;
        };
        let file = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            file.trim_end(),
            body.trim_end(),
            "{path} differs from its copy in the guide"
        );
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn every_error_code_has_an_example() {
    let guide = std::fs::read_to_string(GUIDE).unwrap();
    let shown: String = blocks(&guide)
        .into_iter()
        .filter(|(i, _)| i == "console")
        .map(|(_, b)| b)
        .collect();
    for n in 1..=11 {
        let code = format!("E{n:03}");
        assert!(
            shown.contains(&format!("error[{code}]")),
            "no example of {code}"
        );
    }
    for n in 1..=5 {
        let code = format!("S{n:03}");
        assert!(
            shown.contains(&format!(": {code}:")),
            "no example of {code}"
        );
    }
}
