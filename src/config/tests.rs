use super::*;

#[test]
fn builtin_is_the_prospect_pipeline() {
    let c = builtin("prospect").unwrap();
    assert_eq!(c.seen_set, "prospect:seen");
    assert_eq!(c.dead_letters, "prospect:failed");
    let names: Vec<_> = c.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["discover", "build", "review", "outreach", "followup"]
    );
    assert!(matches!(
        c.stage("review").unwrap().handler,
        Handler::Manual
    ));
    assert_eq!(c.stage_for_input("prospect:queue").unwrap().name, "build");
}

#[test]
fn errors_carry_line_and_column() {
    let err = parse(
        "[pipeline]\nname = 3\n",
        Source::File("x.toml".into()),
        None,
    )
    .unwrap_err();
    assert!(err.message.starts_with("x.toml:2:8:"), "{}", err.message);
    let err = parse(
        "[pipeline]\nnope = 1\n",
        Source::File("x.toml".into()),
        None,
    )
    .unwrap_err();
    assert!(
        err.message.contains("x.toml:2:1") && err.message.contains("nope"),
        "{}",
        err.message
    );
    let err = parse(
        "[stages.a]\ninput='q'\nbackoff='-5m'\n",
        Source::Builtin,
        None,
    )
    .unwrap_err();
    assert!(
        err.message.contains(":3:") && err.message.contains("negative"),
        "{}",
        err.message
    );
}

#[test]
fn rejects_shared_inputs_and_missing_handlers() {
    let err = parse(
        "[stages.a]\ninput='q'\n[stages.b]\ninput='q'\n",
        Source::Builtin,
        None,
    )
    .unwrap_err();
    assert!(
        err.message.contains("'q' is both the input of stage 'a'")
            && err.message.contains("each queue feeds one stage"),
        "{}",
        err.message
    );
    let err = parse("[stages.a]\noutput='q'\n", Source::Builtin, None).unwrap_err();
    assert!(
        err.message.contains("no input and no handler"),
        "{}",
        err.message
    );
    let err = parse("[pipeline]\nname='x'\n", Source::Builtin, None).unwrap_err();
    assert!(err.message.contains("no stages"), "{}", err.message);
}

#[test]
fn header_secrets_are_redacted_unless_references() {
    assert_eq!(redact_header("Bearer ${TOKEN}"), "Bearer ${TOKEN}");
    assert_eq!(redact_header("${TOKEN}"), "${TOKEN}");
    assert_eq!(redact_header("Bearer s3cret"), "<redacted>");
}
