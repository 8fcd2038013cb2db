//! Which keys may share a name and which may not: a layout that feeds dead letters, rejected
//! items or a stage's output back into a stage is refused (exit 78), and in a cluster the
//! keys of one atomic step must share a hash slot.

use super::*;

/// What a key is used for in a pipeline, for the layout check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Input(String),
    Output(String),
    DeadLetters,
    Rejected,
    SeenSet,
    /// A companion key pipectl keeps beside a stage's input queue: (stage, queue, what).
    Companion(String, String, &'static str),
    Paused(String),
    RateLimit(String),
}

impl Role {
    /// The role in words, naming the config field that sets it.
    fn describe(&self) -> String {
        match self {
            Role::Input(s) => format!("the input of stage '{s}' ([stages.{s}] input)"),
            Role::Output(s) => format!("the output of stage '{s}' ([stages.{s}] output)"),
            Role::DeadLetters => "the dead-letter list ([pipeline] dead_letters)".into(),
            Role::Rejected => "the rejected list ([pipeline] rejected)".into(),
            Role::SeenSet => "the seen set ([pipeline] seen_set)".into(),
            Role::Companion(s, q, what) => {
                format!("where pipectl keeps the {what} of stage '{s}' (beside its input '{q}')")
            }
            Role::Paused(s) => format!("the pause flag of stage '{s}'"),
            Role::RateLimit(s) => {
                format!("the rate-limit counter of stage '{s}' ([stages.{s}] rate_limit.key)")
            }
        }
    }

    /// The config field to change, when the user sets this key.
    fn field(&self) -> Option<String> {
        match self {
            Role::Input(s) => Some(format!("[stages.{s}] input")),
            Role::Output(s) => Some(format!("[stages.{s}] output")),
            Role::DeadLetters => Some("[pipeline] dead_letters".into()),
            Role::Rejected => Some("[pipeline] rejected".into()),
            Role::SeenSet => Some("[pipeline] seen_set".into()),
            Role::RateLimit(s) => Some(format!("[stages.{s}] rate_limit.key")),
            Role::Companion(..) | Role::Paused(_) => None,
        }
    }
}

/// Whether one key may legitimately play both roles: the chain (one stage's output is
/// another's input), fan-in (several stages write one output), one rate limit shared by
/// several stages.
pub(super) fn may_share(a: &Role, b: &Role) -> bool {
    match (a, b) {
        (Role::Output(x), Role::Input(y)) | (Role::Input(y), Role::Output(x)) => x != y,
        (Role::Output(_), Role::Output(_)) | (Role::RateLimit(_), Role::RateLimit(_)) => true,
        _ => false,
    }
}

/// Why two roles on one key go wrong.
pub(super) fn clash_reason(a: &Role, b: &Role) -> String {
    use Role::*;
    match (a, b) {
        (Input(x), Output(y)) | (Output(y), Input(x)) if x == y => format!(
            "stage '{x}' would take its own results again, forever"
        ),
        (Input(x), Input(y)) => format!(
            "each queue feeds one stage: a claim cannot tell whether '{x}' or '{y}' should handle an item; if both need the items, give each its own input and have the producer push to both"
        ),
        (DeadLetters, Input(s)) | (Input(s), DeadLetters) => format!(
            "every failure would be fed back to stage '{s}', wrapped one envelope deeper each time"
        ),
        (DeadLetters, Output(s)) | (Output(s), DeadLetters) => format!(
            "the results of stage '{s}' would land among the dead letters, and `pipectl dead retry` would take them for envelopes"
        ),
        (Rejected, Input(s)) | (Input(s), Rejected) => format!(
            "every item rejected at review would be fed back to stage '{s}' as an envelope"
        ),
        (Rejected, Output(s)) | (Output(s), Rejected) => format!(
            "the results of stage '{s}' would land among the rejected items"
        ),
        (DeadLetters, Rejected) | (Rejected, DeadLetters) => {
            "`pipectl dead retry` would send items a reviewer rejected back to their stage".into()
        }
        (SeenSet, _) | (_, SeenSet) => {
            "the seen set is a Redis set and the other a list or counter: every write to one of them would fail with WRONGTYPE".into()
        }
        (Companion(s, _, _), _) | (_, Companion(s, _, _)) => format!(
            "pipectl's bookkeeping for stage '{s}' would be overwritten, or fail with WRONGTYPE"
        ),
        (Paused(s), _) | (_, Paused(s)) => format!(
            "writing there would pause stage '{s}', or pausing it would overwrite the other"
        ),
        (RateLimit(s), _) | (_, RateLimit(s)) => format!(
            "the rate limit of stage '{s}' is a string counter: it would clash with the other's type"
        ),
        _ => "one key cannot serve both".into(),
    }
}

/// Refuses a layout in which keys meant for one purpose are used for another, so that
/// items are fed back where they should not be (dead letters or rejected items into a
/// stage, a stage into itself, a loop of stages) or pipectl's own keys collide with a queue.
pub(super) fn validate_queues(config: &Config) -> Result<(), Fail> {
    let mut roles: Vec<(String, Role)> = vec![
        (config.dead_letters.clone(), Role::DeadLetters),
        (config.rejected.clone(), Role::Rejected),
        (config.seen_set.clone(), Role::SeenSet),
    ];
    for stage in &config.stages {
        let name = &stage.name;
        if let Some(input) = &stage.input {
            roles.push((input.clone(), Role::Input(name.clone())));
            let q = keys::QueueKeys::new(input);
            for (key, what) in [
                (q.leases, "lease deadlines"),
                (q.leased, "leased items"),
                (q.attempts, "attempt counts"),
                (q.delayed, "delayed retries"),
            ] {
                roles.push((key, Role::Companion(name.clone(), input.clone(), what)));
            }
        }
        if let Some(output) = &stage.output {
            roles.push((output.clone(), Role::Output(name.clone())));
        }
        roles.push((keys::paused(&config.name, name), Role::Paused(name.clone())));
        if let Some(rl) = &stage.rate_limit {
            roles.push((rl.key.clone(), Role::RateLimit(name.clone())));
        }
    }
    for (i, (key, a)) in roles.iter().enumerate() {
        for (other, b) in &roles[i + 1..] {
            if key != other || may_share(a, b) {
                continue;
            }
            let own_loop = match (a, b) {
                (Role::Input(x), Role::Output(y)) | (Role::Output(y), Role::Input(x)) if x == y => {
                    Some(x)
                }
                _ => None,
            };
            let fix = match (own_loop, a.field(), b.field()) {
                (Some(s), _, _) => format!(
                    "point [stages.{s}] output at another queue (the next stage's input), or leave it out in the last stage"
                ),
                (None, Some(f), Some(g)) => format!("give {f} or {g} a key of its own"),
                (None, Some(f), None) | (None, None, Some(f)) => {
                    format!("give {f} a key of its own")
                }
                (None, None, None) => "rename a stage or a queue".into(),
            };
            let defaults = [
                (Role::DeadLetters, keys::default_dead_letters(&config.name)),
                (Role::Rejected, keys::default_rejected(&config.name)),
                (Role::SeenSet, keys::default_seen_set(&config.name)),
            ];
            let example = defaults
                .iter()
                .find(|(role, default)| (role == a || role == b) && default != key)
                .map(|(role, default)| {
                    format!(
                        " (e.g. {} = \"{default}\", the default)",
                        role.field().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            return Err(Fail::config(format!(
                "'{key}' is both {} and {}: {}",
                a.describe(),
                b.describe(),
                clash_reason(a, b)
            ))
            .hint(format!("{fix}{example}")));
        }
    }
    if let Some(cycle) = stage_cycle(config) {
        let path = cycle
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(" -> ");
        return Err(Fail::config(format!(
            "stages {path} form a loop (each one's output is the next one's input): items would go round forever"
        ))
        .hint(format!(
            "point [stages.{}] output at a queue that does not lead back to stage '{}'; to look at an item again later, a handler writes `defer <DURATION>` to $PIPECTL_CONTROL (http: a Pipectl-Control header)",
            cycle[cycle.len() - 2],
            cycle[0]
        )));
    }
    Ok(())
}

/// A loop of two or more stages, each one's output the next one's input: the stage names,
/// the first repeated at the end. (A stage feeding itself is refused as a key clash.)
pub(super) fn stage_cycle(config: &Config) -> Option<Vec<String>> {
    let next = |stage: &Stage| {
        stage
            .output
            .as_deref()
            .and_then(|out| config.stage_for_input(out))
    };
    for start in &config.stages {
        let mut path = vec![start.name.clone()];
        let mut at = start;
        // Each stage has at most one successor, so a walk of n steps finds any loop.
        for _ in 0..config.stages.len() {
            let Some(following) = next(at) else { break };
            if following.name == start.name {
                path.push(start.name.clone());
                return (path.len() > 2).then_some(path);
            }
            if path.contains(&following.name) {
                break;
            }
            path.push(following.name.clone());
            at = following;
        }
    }
    None
}

/// In a Redis Cluster, every atomic step of a stage must touch keys of one hash slot: its
/// input queue with its companions and pause flag, its output and seen set, the dead
/// letters and its daily counters. Refuses any other layout, naming the fix.
pub fn check_cluster_slots(config: &Config) -> Result<(), Fail> {
    let day = "2000-01-01";
    for stage in &config.stages {
        let mut steps: Vec<String> = Vec::new();
        if let Some(input) = &stage.input {
            let q = keys::QueueKeys::new(input);
            steps.extend([q.queue, q.leases, q.leased, q.attempts, q.delayed]);
            steps.push(keys::paused(&config.name, &stage.name));
            // A guarded stage's claim and settle steps touch its breaker, budget and costs.
            steps.extend([
                keys::breaker(&config.name, &stage.name),
                keys::breaker_failures(&config.name, &stage.name),
                keys::budget(&config.name, &stage.name),
                keys::counter(&keys::cost_counter(&config.name, &stage.name, "usd"), day),
            ]);
            // Pausing, deciding, escalating and sending back write an audit record in the step.
            steps.push(config.audit.key.clone());
            steps.push(keys::notes(input));
            if matches!(stage.handler, Handler::Manual) {
                let s = keys::StagedKeys::new(input);
                steps.extend([
                    s.claims,
                    s.asks,
                    s.since,
                    s.sampled,
                    config.rejected.clone(),
                ]);
            }
            if let Some(target) = stage.escalate_to.as_deref().and_then(|t| config.stage(t))
                && let Some(staged) = &target.input
            {
                let s = keys::StagedKeys::new(staged);
                steps.extend([s.list, s.asks, s.since]);
            }
            if !matches!(stage.handler, Handler::Manual) {
                steps.push(config.dead_letters.clone());
                for event in keys::STAGE_EVENTS {
                    steps.push(keys::counter(
                        &keys::stage_counter(&config.name, &stage.name, event),
                        day,
                    ));
                }
            }
        }
        if let Some(output) = &stage.output
            && stage.input.is_some()
        {
            steps.push(output.clone());
            if config
                .stage_for_input(output)
                .is_some_and(|s| matches!(s.handler, Handler::Manual))
            {
                steps.push(keys::StagedKeys::new(output).since);
            }
        }
        if stage.dedup_by.is_some() && stage.input.is_some() {
            steps.push(config.seen_set.clone());
            steps.push(keys::counter(&keys::counter_new(&config.name), day));
            steps.push(keys::counter(&keys::counter_dup(&config.name), day));
        }
        if stage.input.is_none() {
            // A source stage's enqueue with dedup: its output and the seen set.
            steps.extend(stage.output.clone());
            if stage.dedup_by.is_some() {
                steps.push(config.seen_set.clone());
            }
        }
        let refs: Vec<&str> = steps.iter().map(String::as_str).collect();
        if let Some(fail) = crate::store::cross_slot(&refs) {
            return Err(Fail {
                message: format!("stage '{}': {}", stage.name, fail.message),
                ..fail
            });
        }
    }
    Ok(())
}
