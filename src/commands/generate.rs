//! `pipectl generate` (hidden): shell completions and man pages from the clap definitions.
//!
//! The files are committed (`completions/`, `man/`) and `tests/it/generated.rs` fails while
//! they differ from what this writes, so after changing any command's arguments or help,
//! run [`REGENERATE`].
//!
//! Stage names are completed dynamically where the shell allows it: every argument whose id
//! is `stage` (the `<STAGE>` of `run`, `pause`, `resume`; `--stage` of `dead ls`/`retry`; and
//! any a later subcommand names so) completes with the output of `pipectl complete-stages`
//! in bash, zsh and fish. clap's static generators know only fixed value lists, so those
//! arguments are given a placeholder value list for generation, and the placeholder is then
//! replaced in each script by a call to a small helper function appended to it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::builder::PossibleValuesParser;
use clap::{Command, ValueHint};
use clap_complete::Shell;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// The one command that brings `completions/` and `man/` up to date.
pub const REGENERATE: &str = "cargo run -- generate --out-dir .";

/// Where completions, man pages and JSON Schemas go, relative to `--out-dir`.
pub const COMPLETIONS_DIR: &str = "completions";
pub const MAN_DIR: &str = "man";
pub const SCHEMA_DIR: &str = "docs/schema";

/// Stands for "the configured stage names" in the scripts until it is replaced.
const STAGES: &str = "__PIPECTL_STAGE_NAMES__";

/// Write shell completions and man pages generated from pipectl's command-line definitions
///
/// Writes completions/ (pipectl.bash, _pipectl for zsh, pipectl.fish, pipectl.elv,
/// _pipectl.ps1) and man/ (pipectl.1 and one page per subcommand, nested ones too, e.g.
/// pipectl-dead-retry.1) under --out-dir, replacing stale pipectl pages there. The files are
/// committed; a test fails while they differ from what this writes, so run it after changing
/// any command's arguments or help text. Stage arguments (`pipectl run <TAB>`) complete in
/// bash, zsh and fish by calling `pipectl complete-stages`. Prints each file written; with
/// --json: {"out_dir","written":[…],"removed":[…]}, paths under --out-dir.
///
/// Examples:
///   cargo run -- generate --out-dir .
///   pipectl generate --out-dir /tmp/pipectl && sudo cp /tmp/pipectl/man/*.1 /usr/local/share/man/man1/
///
/// Exit codes: 0 written, 1 a file could not be written.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory to write completions/ and man/ into
    #[arg(long, default_value = ".", value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub out_dir: PathBuf,
}

/// `pipectl generate`: the files written and the stale ones removed.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Generated {
    /// The directory given to --out-dir.
    pub out_dir: String,
    /// Every file written, relative to `out_dir`, in sorted order.
    pub written: Vec<String>,
    /// Stale generated files removed (a man page or schema no longer generated).
    pub removed: Vec<String>,
}

impl Report for Generated {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        let dir = Path::new(&self.out_dir);
        for name in &self.written {
            out.line(dir.join(name).display())?;
        }
        for name in &self.removed {
            out.line(format_args!("removed {}", dir.join(name).display()))?;
        }
        Ok(())
    }
}

/// Renders every generated file and writes them under `out_dir`.
pub fn execute(out_dir: &Path, tree: &Command) -> Result<Generated> {
    let files = render(tree)?;
    let removed = write(out_dir, &files)?;
    let show = |p: &Path| p.display().to_string();
    Ok(Generated {
        out_dir: show(out_dir),
        written: files.keys().map(|p| show(p)).collect(),
        removed: removed.iter().map(|p| show(p)).collect(),
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let result = execute(&args.out_dir, &(ctx.command_tree)())?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

/// Every generated file: its path under the output directory and its contents. `tree` is
/// pipectl's whole command line (`Ctx::command_tree`).
pub fn render(tree: &Command) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let completion = completion_command(tree);
    let marked = mark_stage_args(completion.clone());
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let cmd = match shell {
            Shell::Bash | Shell::Zsh | Shell::Fish => marked.clone(),
            _ => completion.clone(),
        };
        let mut cmd = cmd;
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "pipectl", &mut buf);
        let script = String::from_utf8(buf).context("a completion script is not UTF-8")?;
        let script = with_stage_names(shell, script, &stage_positionals(&completion, &[]))?;
        let name = clap_complete::Generator::file_name(&shell, "pipectl");
        files.insert(Path::new(COMPLETIONS_DIR).join(name), script.into_bytes());
    }

    let mut cmd = tree.clone();
    cmd.build();
    man_pages(&cmd, &mut files)?;
    for entry in crate::commands::schema::all() {
        let mut text = serde_json::to_string_pretty(&entry.schema)?;
        text.push('\n');
        files.insert(
            Path::new(SCHEMA_DIR).join(format!("{}.json", entry.name)),
            text.into_bytes(),
        );
    }
    Ok(files)
}

/// Writes the files, and removes pipectl man pages and schemas that are no longer generated
/// (a subcommand that was removed or renamed). Returns what it removed, under `out_dir`.
fn write(out_dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for dir in [COMPLETIONS_DIR, MAN_DIR, SCHEMA_DIR] {
        let dir = out_dir.join(dir);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let man_dir = out_dir.join(MAN_DIR);
    for entry in
        std::fs::read_dir(&man_dir).with_context(|| format!("cannot read {}", man_dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stale = (name == "pipectl.1" || name.starts_with("pipectl-") && name.ends_with(".1"))
            && !files.contains_key(&Path::new(MAN_DIR).join(name));
        if stale {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove stale {}", path.display()))?;
            removed.push(Path::new(MAN_DIR).join(name));
        }
    }
    let schema_dir = out_dir.join(SCHEMA_DIR);
    for entry in std::fs::read_dir(&schema_dir)
        .with_context(|| format!("cannot read {}", schema_dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(".json") && !files.contains_key(&Path::new(SCHEMA_DIR).join(name)) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove stale {}", path.display()))?;
            removed.push(Path::new(SCHEMA_DIR).join(name));
        }
    }
    for (name, bytes) in files {
        let path = out_dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(removed)
}

/// One page per visible command, named by its path: pipectl.1, pipectl-run.1,
/// pipectl-dead-retry.1, … (clap names built subcommands `pipectl-dead-retry`).
fn man_pages(cmd: &Command, files: &mut BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("pipectl {}", env!("CARGO_PKG_VERSION")))
        .manual("pipectl manual");
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    files.insert(Path::new(MAN_DIR).join(man.get_filename()), buf);
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        man_pages(sub, files)?;
    }
    Ok(())
}

/// The command tree completions are generated from: pipectl without its hidden
/// subcommands (`generate`, `complete-stages`), which clap's generators would offer.
fn completion_command(full: &Command) -> Command {
    let mut cmd = Command::new("pipectl")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    cmd
}

/// Gives every argument with the id `stage`, at any depth, the placeholder value list.
fn mark_stage_args(cmd: Command) -> Command {
    cmd.mut_args(|arg| {
        if arg.get_id() == "stage" {
            arg.value_parser(PossibleValuesParser::new([STAGES]))
        } else {
            arg
        }
    })
    .mut_subcommands(mark_stage_args)
}

/// The subcommand paths (e.g. `["run"]`) whose positional arguments include `stage`.
fn stage_positionals(cmd: &Command, path: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    if !path.is_empty() && cmd.get_positionals().any(|a| a.get_id() == "stage") {
        found.push(path.to_vec());
    }
    for sub in cmd.get_subcommands() {
        let mut path = path.to_vec();
        path.push(sub.get_name().to_owned());
        found.extend(stage_positionals(sub, &path));
    }
    found
}

/// Replaces the placeholder with a call to the shell's helper, and adds the helper.
/// `positionals` are the subcommands with a `<STAGE>` positional (fish's generator leaves
/// positionals out, so its lines for them are added here).
fn with_stage_names(shell: Shell, script: String, positionals: &[Vec<String>]) -> Result<String> {
    let (placeholder, call, helper) = match shell {
        Shell::Bash => (STAGES.to_owned(), "$(_pipectl_stages)", BASH_STAGES),
        Shell::Zsh => (format!("({STAGES})"), "_pipectl_stages", ZSH_STAGES),
        Shell::Fish => (format!("{STAGES}\\t''"), "(__pipectl_stages)", FISH_STAGES),
        _ => return Ok(script),
    };
    if !script.contains(&placeholder) {
        bail!(
            "the {shell} completion script has no stage placeholder {placeholder:?}: clap_complete's output changed; update src/commands/generate.rs"
        );
    }
    let script = script.replace(&placeholder, call);
    if script.contains(STAGES) {
        bail!(
            "the {shell} completion script still holds {STAGES} after replacing {placeholder:?}: update src/commands/generate.rs"
        );
    }
    Ok(match shell {
        // zsh runs the file as the body of `_pipectl` when it is autoloaded from $fpath: the
        // helper must be defined before the closing dispatch.
        Shell::Zsh => {
            let dispatch = "if [ \"$funcstack[1]\" = \"_pipectl\" ]; then";
            let Some(at) = script.rfind(dispatch) else {
                bail!(
                    "the zsh completion script has no closing dispatch {dispatch:?}: update src/commands/generate.rs"
                );
            };
            format!("{}{helper}\n{}", &script[..at], &script[at..])
        }
        Shell::Fish => {
            let mut out = format!("{script}\n{helper}");
            for path in positionals {
                let mut condition = format!("__fish_pipectl_using_subcommand {}", path[0]);
                for name in &path[1..] {
                    condition.push_str(&format!("; and __fish_seen_subcommand_from {name}"));
                }
                out.push_str(&format!(
                    "complete -c pipectl -n \"{condition}\" -f -a \"(__pipectl_stages)\"\n"
                ));
            }
            out
        }
        _ => format!("{script}\n{helper}"),
    })
}

const BASH_STAGES: &str = r#"# Added by `pipectl generate`: stage arguments (`pipectl run <TAB>`, `--stage <TAB>`)
# complete with the configured stage names; a --config on the command line is honoured.
_pipectl_stages() {
    local i config=()
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        case "${COMP_WORDS[i]}" in
            --config)
                if [[ "${COMP_WORDS[i+1]}" == "=" ]]; then
                    config=(--config "${COMP_WORDS[i+2]}")
                else
                    config=(--config "${COMP_WORDS[i+1]}")
                fi
                ;;
            --config=*) config=("${COMP_WORDS[i]}") ;;
        esac
    done
    command pipectl "${config[@]}" complete-stages 2>/dev/null
}
"#;

const ZSH_STAGES: &str = r#"# Added by `pipectl generate`: stage arguments (`pipectl run <TAB>`, `--stage <TAB>`)
# complete with the configured stage names; a --config on the command line is honoured.
(( $+functions[_pipectl_stages] )) ||
_pipectl_stages() {
    local -a stages config words_
    local i
    words_=(${(z)BUFFER})
    for ((i = 1; i <= ${#words_}; i++)); do
        case ${words_[i]} in
            --config) config=(--config ${(Q)words_[i+1]}) ;;
            --config=*) config=(${(Q)words_[i]}) ;;
        esac
    done
    stages=(${(f)"$(_call_program stages pipectl ${(q)config} complete-stages 2>/dev/null)"})
    _wanted stages expl 'stage' compadd -a stages
}
"#;

const FISH_STAGES: &str = r#"# Added by `pipectl generate`: stage arguments (`pipectl run <TAB>`, `--stage <TAB>`)
# complete with the configured stage names; a --config on the command line is honoured.
function __pipectl_stages
    set -l tokens (commandline -opc)
    set -l config
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --config
                if test $i -lt (count $tokens)
                    set config --config $tokens[(math $i + 1)]
                end
            case '--config=*'
                set config $tokens[$i]
        end
    end
    command pipectl $config complete-stages 2>/dev/null
end
"#;
