# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pipectl_global_optspecs
    string join \n url= tls-ca= tls-cert= tls-key= cluster sentinel= sentinel-master= config= pipeline= json q/quiet v/verbose color= connect-timeout= timeout= failover-timeout= h/help V/version
end

function __fish_pipectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pipectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pipectl_using_subcommand
    set -l cmd (__fish_pipectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pipectl -n "__fish_pipectl_needs_command" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_needs_command" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_needs_command" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_needs_command" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_needs_command" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_needs_command" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_needs_command" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_needs_command" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_needs_command" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_needs_command" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_needs_command" -s V -l version -d 'Print version'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "enqueue" -d 'Add items to a queue (LPUSH: consumers take them in FIFO order)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "pop" -d 'Take items from a queue (like RPOP), or claim them under a lease'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "ack" -d 'Finish leased items: they leave the queue for good'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "nack" -d 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "peek" -d 'Show the next items a consumer would take, without taking them'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "ls" -d 'List a queue\'s items in the order they will be taken'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "len" -d 'Count the items waiting in queues (LLEN)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "seen" -d 'Ask whether values were seen before (SISMEMBER on the pipeline\'s dedup set)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "count" -d 'Add to today\'s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "stats" -d 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "recover" -d 'Return every expired lease (and due delayed retry) to its queue now'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "run" -d 'Run a stage: claim items, call the stage\'s handler, move each where its answer says'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "pause" -d 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "resume" -d 'Resume a paused stage'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "ratelimit" -d 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "dead" -d 'Look at, retry, purge and trim dead letters'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "status" -d 'Show the whole pipeline on one screen'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "saturation" -d 'Say whether the search is saturated: new vs already-seen prospects per day'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "doctor" -d 'Check that Redis and the pipeline are fit to run unattended'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "stage" -d 'Put items straight into the review stage\'s staging list (e.g. prospect:staged)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "staged" -d 'List the items waiting for review, in the order `pipectl review` shows them'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "approve" -d 'Approve staged items: move them on to the output queue (e.g. prospect:ready)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "reject" -d 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "review" -d 'Review staged items one at a time at a terminal: approve, reject or skip each'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "send-back" -d 'Send escalated items back to the stage that asked, with a note for its handler'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "audit" -d 'Show the audit stream: who decided or changed what, and when, newest first'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "mcp" -d 'Serve the pipeline as tools for AI agents: an MCP server on stdin/stdout'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "serve" -d 'Serve the web review desk and the JSON API over HTTP'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "metrics" -d 'Print the pipeline\'s metrics in the Prometheus text format'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "notify" -d 'Send notifications: check the watched conditions, deliver what the outbox holds'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "find" -d 'Search a list: a queue, a staging list, ready, rejected, the dead letters'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "move" -d 'Move items from any list to any other, each in one atomic step, exact bytes kept'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "rm" -d 'Delete items from a list, each kept, exact bytes and all, in its audit record'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "unreject" -d 'Send rejected items back to review: out of their envelopes, into the staging list'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "init" -d 'Write a commented starter pipectl.toml (the prospect pipeline)'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "config" -d 'Inspect the effective configuration'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "exit-codes" -d 'Print the table of exit codes scripts can rely on'
complete -c pipectl -n "__fish_pipectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -s f -l file -d 'Read NDJSON items from this file' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l dedup-by -d 'Skip items whose JSON field (dotted path, e.g. url or site.url) was seen before; marks it seen in the same atomic step as the push' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l seen-set -d 'The dedup set [default: the pipeline\'s, e.g. prospect:seen]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l max-item-bytes -d 'Refuse items larger than this many bytes [default: the config\'s max_item_bytes, 1 MiB]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l skip-lines -d 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l in -d 'Delay the items: into <queue>:delayed, due after DURATION (500ms, 30s, 5m, 1h30m, 7d) by the Redis server\'s clock' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l at -d 'Delay the items until TIME: RFC 3339 (2026-12-02T09:00:00Z, or with an offset) or a local YYYY-MM-DD HH:MM; a time already past is due at once' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l skip-invalid -d 'Enqueue the valid items and report the invalid ones on stderr, instead of refusing all'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand enqueue" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -s n -l count -d 'Take up to this many items' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l wait -d 'Block up to this long for an item when the queue is empty (e.g. 30s)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l lease -d 'Claim under a lease of this length instead of removing (e.g. 5m)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand pop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l cost -d 'What each item cost, as a handler\'s control reports it (e.g. \'{"usd": 0.02}\'): added to its stage\'s daily cost counters and budget in the same step' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l reason -d 'Why: stored as the dead letter\'s "error"' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l delay -d 'Retry after this long instead of right away (e.g. 10m)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l cost -d 'What the item cost, as a handler\'s control reports it (e.g. \'{"sms": 1}\'): added to its stage\'s daily cost counters and budget in the same step' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l dead -d 'Dead-letter the item now instead of returning it'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand nack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -s n -l count -d 'How many items to show' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand peek" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l offset -d 'Skip this many items first' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l limit -d 'Show at most this many items [default: all; 50 in a table]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l delayed -d 'List the queue\'s delayed set (<queue>:delayed) with each entry\'s due time, soonest first'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand len" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l seen-set -d 'The dedup set [default: the pipeline\'s, e.g. prospect:seen]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand seen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l by -d 'Add this much (may be negative)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand count" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l days -d 'How many days, ending today' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand recover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l max -d 'Process up to this many items [default: 1]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -s j -l concurrency -d 'Run this many handlers in parallel' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l wait -d 'When the queue is empty, wait up to this long for work before giving up' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l grace -d 'On SIGINT/SIGTERM, let running handlers finish this long before they are stopped and their items released to the queue' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l drain -d 'Process until the queue is empty'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l dry-run -d 'Show what would be claimed, and whether the stage is paused or rate-limited; change nothing'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l reason -d 'Why: shown by `run`, `status` and `doctor`, and kept as the audit record\'s note (--note is the same) [default: "paused by pipectl pause"]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -f -a "show" -d 'Show uses, remaining and when the window reopens'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -f -a "take" -d 'Take uses (default 1); exit 5 and take nothing when not enough remain'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -f -a "reset" -d 'Delete the window: the full limit is available again'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and not __fish_seen_subcommand_from show take reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l limit -d 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l per -d 'Window length [default: from the config]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l limit -d 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l per -d 'Window length [default: from the config]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -s n -l count -d 'How many uses to take' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from take" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l limit -d 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l per -d 'Window length [default: from the config]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show uses, remaining and when the window reopens'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from help" -f -a "take" -d 'Take uses (default 1); exit 5 and take nothing when not enough remain'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Delete the window: the full limit is available again'
complete -c pipectl -n "__fish_pipectl_using_subcommand ratelimit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "ls" -d 'List dead letters, newest first'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "show" -d 'Show one dead letter in full, as pretty JSON'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "retry" -d 'Send dead letters back to their stage\'s input queue, attempt count reset'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "purge" -d 'Delete dead letters for good: all of them, or those that failed long enough ago'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "trim" -d 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and not __fish_seen_subcommand_from ls show retry purge trim help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l stage -d 'Only dead letters of this stage' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l since -d 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l where -d 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l limit -d 'Show at most this many [default: all; 50 in a table]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l stage -d 'Only dead letters of this stage' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l since -d 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l where -d 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l to -d 'Where entries naming no stage or queue go (bare items pushed by hand) [default: the input of the first stage that has one]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l all -d 'Every dead letter'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l older-than -d 'Delete those that failed more than this long ago (e.g. 30d)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l export -d 'First write the letters to this new file (NDJSON, each entry\'s exact bytes in the lossless form), synced to disk before they are deleted' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l all -d 'Delete every dead letter'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Do not ask (needed when stdin is not a terminal)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l export -d 'First write the letters to this new file (NDJSON, exact bytes), synced to disk' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from trim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List dead letters, newest first'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one dead letter in full, as pretty JSON'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Send dead letters back to their stage\'s input queue, attempt count reset'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete dead letters for good: all of them, or those that failed long enough ago'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "trim" -d 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)'
complete -c pipectl -n "__fish_pipectl_using_subcommand dead; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l watch -d 'Refresh every SECONDS (or a duration: 500ms, 2s, 1m) until Ctrl-C' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l days -d 'How many days, ending today (1 = today only)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand saturation" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -s f -l file -d 'Read NDJSON items from this file' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l max-item-bytes -d 'Refuse items larger than this many bytes [default: the config\'s max_item_bytes, 1 MiB]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l skip-lines -d 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l skip-invalid -d 'Stage the valid items and report the invalid ones on stderr, instead of refusing all'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand stage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l columns -d 'Fields to show in the table, as dotted paths (e.g. name,site.url,links.0)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l offset -d 'Skip this many items first' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l limit -d 'Show at most this many items [default: all; 50 in a table]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand staged" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l where -d 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l limit -d 'Move at most this many items' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l all -d 'Every staged item (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l force -d 'Decide items another reviewer holds a claim on, too (the audit record says so)'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l where -d 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l limit -d 'Move at most this many items' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l reason -d 'Why: stored as the envelope\'s "reason"' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l all -d 'Every staged item (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l force -d 'Decide items another reviewer holds a claim on, too (the audit record says so)'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand reject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l preview-field -d 'The field holding the preview link, shown highlighted (a dotted path)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand review" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l where -d 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l limit -d 'Move at most this many items' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l stage -d 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l note -d 'What the handler is told when it takes the item again (also kept in the audit record); up to 4096 bytes, line breaks allowed' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l by -d 'Who sends back, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l all -d 'Every staged item (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l force -d 'Send back items another reviewer holds a claim on, too (the audit record says so)'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand send-back" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l stage -d 'Only records of this stage (repeat for several)' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l by -d 'Only records by this actor, as --by named it (repeat for several)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l action -d 'Only records of this action: approve, reject, pause, resume, dead_retry, dead_purge, ratelimit_reset, … (repeat for several)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l since -d 'Only records from the last DURATION (e.g. 24h), by the Redis server\'s clock' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l limit -d 'Show at most this many records [default: all; 50 in a table]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l profile -d 'Which tools exist: reader (read only), worker (read and work), operator (and operate)' -r -f -a "reader\t'Read tools only'
worker\t'Read and work: enqueue, claim, complete, fail, defer, escalate, count'
operator\t'Worker, and operate: pause, resume, dead_retry'"
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l stages -d 'Limit stage-taking tools to these stages (others are refused)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l as -d 'The agent\'s name: the `by` of every audit record its calls write' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l list-tools -d 'Print the tools this session would offer (names, groups, annotations, schemas) and exit'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l listen -d 'The address to listen on' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l token-file -d 'A file holding the bearer token every request must carry [default: $PIPECTL_SERVE_TOKEN]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l tokens -d 'A file of `PERSON ROLE TOKEN` lines (roles: viewer, reviewer, operator), not readable by all' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l origin -d 'The public URL behind a reverse proxy (e.g. https://desk.example.com): its Host is answered and browsers\' POSTs may come from it; https makes the cookie Secure' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l preview-field -d 'The item field holding the preview URL (a dotted path)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l preview-dir -d 'Serve the files under DIR at /preview/…: a preview field naming a file there (its path, absolute or relative to DIR, or a file:// URL) is framed from it, sandboxed' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l mcp-profile -d 'Which MCP tools /mcp offers: reader, worker (read and work) or operator' -r -f -a "reader\t'Read tools only'
worker\t'Read and work: enqueue, claim, complete, fail, defer, escalate, count'
operator\t'Worker, and operate: pause, resume, dead_retry'"
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l mcp-as -d 'The agent\'s name for /mcp calls: the `by` of the audit records they write' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l mcp-stages -d 'Limit /mcp\'s stage-taking tools to these stages' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l read-only -d 'Serve pages and GET requests only: every state-changing request is refused'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l textfile -d 'Write to this file (atomically: a temporary file, then rename) instead of stdout' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -f -a "deliver" -d 'Check the watched conditions, then deliver every event that is due'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and not __fish_seen_subcommand_from deliver help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from deliver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "deliver" -d 'Check the watched conditions, then deliver every event that is due'
complete -c pipectl -n "__fish_pipectl_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l where -d 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <); repeat to require several' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l limit -d 'Show at most this many [default: all; 50 in a table]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand find" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l where -d 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l limit -d 'Act on at most this many' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l all -d 'Every entry (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l dry-run -d 'Say what would be done, and change nothing'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -s y -l yes -d 'Do not ask first (without a terminal, needed to change more than one position\'s item)'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand move" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l where -d 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l limit -d 'Act on at most this many' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l all -d 'Every entry (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l dry-run -d 'Say what would be done, and change nothing'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -s y -l yes -d 'Do not ask first (without a terminal, needed to change more than one position\'s item)'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l where -d 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l limit -d 'Act on at most this many' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l by -d 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l note -d 'A note kept with the action in the audit stream (`pipectl audit` shows it)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l stage -d 'Only rejections by this manual stage (and those naming none, which go back to it) [default: each to the stage that rejected it]' -r -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l all -d 'Every entry (with --where: every matching one), read in pages'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l dry-run -d 'Say what would be done, and change nothing'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -s y -l yes -d 'Do not ask first (without a terminal, needed to change more than one position\'s item)'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand unreject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l path -d 'Where to write it' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l url -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l tls-ca -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l tls-cert -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l tls-key -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l sentinel -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l sentinel-master -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l connect-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l failover-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l force -d 'Overwrite an existing file'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "show" -d 'Print the effective config (file, defaults and flags merged; secrets redacted)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "path" -d 'Print the path of the config file in use ("built-in" when none)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l url -d 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l tls-ca -d 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system\'s roots (REDISCLI_CACERT also works, as with redis-cli)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l tls-cert -d 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l tls-key -d 'rediss:// only: the client certificate\'s private key (PEM)' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l sentinel -d 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l sentinel-master -d 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for Redis to answer a connection attempt' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for any one reply from Redis before giving up (exit 69)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l failover-timeout -d 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l url -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l tls-ca -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l tls-cert -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l tls-key -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l sentinel -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l sentinel-master -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l connect-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l failover-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective config (file, defaults and flags merged; secrets redacted)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file in use ("built-in" when none)'
complete -c pipectl -n "__fish_pipectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l url -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l tls-ca -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l tls-cert -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l tls-key -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l sentinel -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l sentinel-master -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l connect-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l failover-timeout -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l config -d 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]' -r -F
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l pipeline -d 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)' -r
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l cluster -d 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -l json -d 'Print one JSON document (or NDJSON for streams) instead of text'
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -s q -l quiet -d 'Print nothing but results and errors'
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -s v -l verbose -d 'Explain what pipectl is doing on stderr (-vv for more)'
complete -c pipectl -n "__fish_pipectl_using_subcommand exit-codes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "enqueue" -d 'Add items to a queue (LPUSH: consumers take them in FIFO order)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "pop" -d 'Take items from a queue (like RPOP), or claim them under a lease'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "ack" -d 'Finish leased items: they leave the queue for good'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "nack" -d 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "peek" -d 'Show the next items a consumer would take, without taking them'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "ls" -d 'List a queue\'s items in the order they will be taken'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "len" -d 'Count the items waiting in queues (LLEN)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "seen" -d 'Ask whether values were seen before (SISMEMBER on the pipeline\'s dedup set)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "count" -d 'Add to today\'s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "stats" -d 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "recover" -d 'Return every expired lease (and due delayed retry) to its queue now'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "run" -d 'Run a stage: claim items, call the stage\'s handler, move each where its answer says'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "pause" -d 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "resume" -d 'Resume a paused stage'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "ratelimit" -d 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "dead" -d 'Look at, retry, purge and trim dead letters'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "status" -d 'Show the whole pipeline on one screen'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "saturation" -d 'Say whether the search is saturated: new vs already-seen prospects per day'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "doctor" -d 'Check that Redis and the pipeline are fit to run unattended'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "stage" -d 'Put items straight into the review stage\'s staging list (e.g. prospect:staged)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "staged" -d 'List the items waiting for review, in the order `pipectl review` shows them'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "approve" -d 'Approve staged items: move them on to the output queue (e.g. prospect:ready)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "reject" -d 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "review" -d 'Review staged items one at a time at a terminal: approve, reject or skip each'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "send-back" -d 'Send escalated items back to the stage that asked, with a note for its handler'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "audit" -d 'Show the audit stream: who decided or changed what, and when, newest first'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "mcp" -d 'Serve the pipeline as tools for AI agents: an MCP server on stdin/stdout'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "serve" -d 'Serve the web review desk and the JSON API over HTTP'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "metrics" -d 'Print the pipeline\'s metrics in the Prometheus text format'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "notify" -d 'Send notifications: check the watched conditions, deliver what the outbox holds'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "find" -d 'Search a list: a queue, a staging list, ready, rejected, the dead letters'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "move" -d 'Move items from any list to any other, each in one atomic step, exact bytes kept'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "rm" -d 'Delete items from a list, each kept, exact bytes and all, in its audit record'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "unreject" -d 'Send rejected items back to review: out of their envelopes, into the staging list'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "init" -d 'Write a commented starter pipectl.toml (the prospect pipeline)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "config" -d 'Inspect the effective configuration'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "exit-codes" -d 'Print the table of exit codes scripts can rely on'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and not __fish_seen_subcommand_from enqueue pop ack nack peek ls len seen count stats recover run pause resume ratelimit dead status saturation doctor stage staged approve reject review send-back audit mcp serve metrics notify find move rm unreject init config exit-codes help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from ratelimit" -f -a "show" -d 'Show uses, remaining and when the window reopens'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from ratelimit" -f -a "take" -d 'Take uses (default 1); exit 5 and take nothing when not enough remain'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from ratelimit" -f -a "reset" -d 'Delete the window: the full limit is available again'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from dead" -f -a "ls" -d 'List dead letters, newest first'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from dead" -f -a "show" -d 'Show one dead letter in full, as pretty JSON'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from dead" -f -a "retry" -d 'Send dead letters back to their stage\'s input queue, attempt count reset'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from dead" -f -a "purge" -d 'Delete dead letters for good: all of them, or those that failed long enough ago'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from dead" -f -a "trim" -d 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "deliver" -d 'Check the watched conditions, then deliver every event that is due'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective config (file, defaults and flags merged; secrets redacted)'
complete -c pipectl -n "__fish_pipectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file in use ("built-in" when none)'

# Added by `pipectl generate`: stage arguments (`pipectl run <TAB>`, `--stage <TAB>`)
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
complete -c pipectl -n "__fish_pipectl_using_subcommand run" -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand pause" -f -a "(__pipectl_stages)"
complete -c pipectl -n "__fish_pipectl_using_subcommand resume" -f -a "(__pipectl_stages)"
