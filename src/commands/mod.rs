//! One module per subcommand; each owns its clap `Args` and a `run(args, ctx)`.

pub mod ack;
pub mod actor;
pub mod audit;
pub mod complete_stages;
pub mod config;
pub mod count;
pub mod dead;
pub mod doctor;
pub mod enqueue;
pub mod exit_codes;
pub mod generate;
pub mod init;
pub mod len;
pub mod ls;
pub mod mcp;
pub mod metrics;
pub mod nack;
pub mod notify;
pub mod pause;
pub mod peek;
pub mod pop;
pub mod ratelimit;
pub mod recover;
pub mod review;
pub mod run;
pub mod saturation;
pub mod schema;
pub mod seen;
pub mod serve;
pub mod stats;
pub mod status;
pub mod surgery;

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;

/// Every subcommand: its `Args` live in its module, `run` beside it in `dispatch`.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    Enqueue(enqueue::Args),
    Pop(pop::Args),
    Ack(ack::Args),
    Nack(nack::Args),
    Peek(peek::Args),
    Ls(ls::Command),
    Len(len::Args),
    Seen(seen::Args),
    Count(count::Args),
    Stats(stats::Args),
    Recover(recover::Args),
    Run(run::Args),
    Pause(pause::Args),
    Resume(pause::ResumeArgs),
    Ratelimit(ratelimit::Args),
    Dead(dead::Args),
    Status(status::Args),
    Saturation(saturation::Args),
    Doctor(doctor::Args),
    Stage(review::stage::Args),
    Staged(review::staged::Args),
    Approve(review::approve::Args),
    Reject(review::reject::Args),
    Review(review::session::Args),
    SendBack(review::send_back::Args),
    Audit(audit::Args),
    Mcp(mcp::Args),
    Serve(serve::Args),
    Metrics(metrics::Args),
    Notify(notify::Args),
    Find(surgery::find::Args),
    Move(surgery::move_items::Args),
    Rm(surgery::rm::Args),
    Unreject(surgery::unreject::Args),
    Init(init::Args),
    Config(config::Args),
    ExitCodes(exit_codes::Args),
    #[command(hide = true)]
    Generate(generate::Args),
    #[command(hide = true)]
    CompleteStages(complete_stages::Args),
}

pub fn dispatch(command: Command, ctx: &mut Ctx) -> Result<Exit> {
    match command {
        Command::Enqueue(args) => enqueue::run(args, ctx),
        Command::Pop(args) => pop::run(args, ctx),
        Command::Ack(args) => ack::run(args, ctx),
        Command::Nack(args) => nack::run(args, ctx),
        Command::Peek(args) => peek::run(args, ctx),
        Command::Ls(args) => ls::run_command(args, ctx),
        Command::Len(args) => len::run(args, ctx),
        Command::Seen(args) => seen::run(args, ctx),
        Command::Count(args) => count::run(args, ctx),
        Command::Stats(args) => stats::run(args, ctx),
        Command::Recover(args) => recover::run(args, ctx),
        Command::Run(args) => run::run(args, ctx),
        Command::Pause(args) => pause::run(args, ctx),
        Command::Resume(args) => pause::resume(args, ctx),
        Command::Ratelimit(args) => ratelimit::run(args, ctx),
        Command::Dead(args) => dead::run(args, ctx),
        Command::Status(args) => status::run(args, ctx),
        Command::Saturation(args) => saturation::run(args, ctx),
        Command::Doctor(args) => doctor::run(args, ctx),
        Command::Stage(args) => review::stage::run(args, ctx),
        Command::Staged(args) => review::staged::run(args, ctx),
        Command::Approve(args) => review::approve::run(args, ctx),
        Command::Reject(args) => review::reject::run(args, ctx),
        Command::Review(args) => review::session::run(args, ctx),
        Command::SendBack(args) => review::send_back::run(args, ctx),
        Command::Audit(args) => audit::run(args, ctx),
        Command::Mcp(args) => mcp::run(args, ctx),
        Command::Serve(args) => serve::run(args, ctx),
        Command::Metrics(args) => metrics::run(args, ctx),
        Command::Notify(args) => notify::run(args, ctx),
        Command::Find(args) => surgery::find::run(args, ctx),
        Command::Move(args) => surgery::move_items::run(args, ctx),
        Command::Rm(args) => surgery::rm::run(args, ctx),
        Command::Unreject(args) => surgery::unreject::run(args, ctx),
        Command::Init(args) => init::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::ExitCodes(args) => exit_codes::run(args, ctx),
        Command::Generate(args) => generate::run(args, ctx),
        Command::CompleteStages(args) => complete_stages::run(args, ctx),
    }
}
