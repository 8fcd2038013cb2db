
use builtin;
use str;

set edit:completion:arg-completer[pipectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pipectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pipectl'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enqueue 'Add items to a queue (LPUSH: consumers take them in FIFO order)'
            cand pop 'Take items from a queue (like RPOP), or claim them under a lease'
            cand ack 'Finish leased items: they leave the queue for good'
            cand nack 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters'
            cand peek 'Show the next items a consumer would take, without taking them'
            cand ls 'List a queue''s items in the order they will be taken'
            cand len 'Count the items waiting in queues (LLEN)'
            cand seen 'Ask whether values were seen before (SISMEMBER on the pipeline''s dedup set)'
            cand count 'Add to today''s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention'
            cand stats 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days'
            cand recover 'Return every expired lease (and due delayed retry) to its queue now'
            cand run 'Run a stage: claim items, call the stage''s handler, move each where its answer says'
            cand pause 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)'
            cand resume 'Resume a paused stage'
            cand ratelimit 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)'
            cand dead 'Look at, retry and purge dead letters'
            cand status 'Show the whole pipeline on one screen'
            cand saturation 'Say whether the search is saturated: new vs already-seen prospects per day'
            cand doctor 'Check that Redis and the pipeline are fit to run unattended'
            cand stage 'Put items straight into the review stage''s staging list (e.g. prospect:staged)'
            cand staged 'List the items waiting for review, in the order `pipectl review` shows them'
            cand approve 'Approve staged items: move them on to the output queue (e.g. prospect:ready)'
            cand reject 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)'
            cand review 'Review staged items one at a time at a terminal: approve, reject or skip each'
            cand init 'Write a commented starter pipectl.toml (the prospect pipeline)'
            cand config 'Inspect the effective configuration'
            cand exit-codes 'Print the table of exit codes scripts can rely on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;enqueue'= {
            cand -f 'Read NDJSON items from this file'
            cand --file 'Read NDJSON items from this file'
            cand --dedup-by 'Skip items whose JSON field (dotted path, e.g. url or site.url) was seen before; marks it seen in the same atomic step as the push'
            cand --seen-set 'The dedup set [default: the pipeline''s, e.g. prospect:seen]'
            cand --max-item-bytes 'Refuse items larger than this many bytes [default: the config''s max_item_bytes, 1 MiB]'
            cand --skip-lines 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000'
            cand --in 'Delay the items: into <queue>:delayed, due after DURATION (500ms, 30s, 5m, 1h30m, 7d) by the Redis server''s clock'
            cand --at 'Delay the items until TIME: RFC 3339 (2026-12-02T09:00:00Z, or with an offset) or a local YYYY-MM-DD HH:MM; a time already past is due at once'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --skip-invalid 'Enqueue the valid items and report the invalid ones on stderr, instead of refusing all'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;pop'= {
            cand -n 'Take up to this many items'
            cand --count 'Take up to this many items'
            cand --wait 'Block up to this long for an item when the queue is empty (e.g. 30s)'
            cand --lease 'Claim under a lease of this length instead of removing (e.g. 5m)'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ack'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;nack'= {
            cand --reason 'Why: stored as the dead letter''s "error"'
            cand --delay 'Retry after this long instead of right away (e.g. 10m)'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --dead 'Dead-letter the item now instead of returning it'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;peek'= {
            cand -n 'How many items to show'
            cand --count 'How many items to show'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ls'= {
            cand --offset 'Skip this many items first'
            cand --limit 'Show at most this many items [default: all; 50 in a table]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --delayed 'List the queue''s delayed set (<queue>:delayed) with each entry''s due time, soonest first'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;len'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;seen'= {
            cand --seen-set 'The dedup set [default: the pipeline''s, e.g. prospect:seen]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;count'= {
            cand --by 'Add this much (may be negative)'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;stats'= {
            cand --days 'How many days, ending today'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;recover'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;run'= {
            cand --max 'Process up to this many items [default: 1]'
            cand -j 'Run this many handlers in parallel'
            cand --concurrency 'Run this many handlers in parallel'
            cand --wait 'When the queue is empty, wait up to this long for work before giving up'
            cand --grace 'On SIGINT/SIGTERM, let running handlers finish this long before they are stopped and their items released to the queue'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --drain 'Process until the queue is empty'
            cand --dry-run 'Show what would be claimed, and whether the stage is paused or rate-limited; change nothing'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;pause'= {
            cand --reason 'Why: shown by `run`, `status` and `doctor`'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;resume'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ratelimit'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Show uses, remaining and when the window reopens'
            cand take 'Take uses (default 1); exit 5 and take nothing when not enough remain'
            cand reset 'Delete the window: the full limit is available again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;ratelimit;show'= {
            cand --limit 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]'
            cand --per 'Window length [default: from the config]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ratelimit;take'= {
            cand --limit 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]'
            cand --per 'Window length [default: from the config]'
            cand -n 'How many uses to take'
            cand --count 'How many uses to take'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ratelimit;reset'= {
            cand --limit 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]'
            cand --per 'Window length [default: from the config]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;ratelimit;help'= {
            cand show 'Show uses, remaining and when the window reopens'
            cand take 'Take uses (default 1); exit 5 and take nothing when not enough remain'
            cand reset 'Delete the window: the full limit is available again'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;ratelimit;help;show'= {
        }
        &'pipectl;ratelimit;help;take'= {
        }
        &'pipectl;ratelimit;help;reset'= {
        }
        &'pipectl;ratelimit;help;help'= {
        }
        &'pipectl;dead'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List dead letters, newest first'
            cand show 'Show one dead letter in full, as pretty JSON'
            cand retry 'Send dead letters back to their stage''s input queue, attempt count reset'
            cand purge 'Delete dead letters for good: all of them, or those that failed long enough ago'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;dead;ls'= {
            cand --stage 'Only dead letters of this stage'
            cand --since 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out'
            cand --where 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several'
            cand --limit 'Show at most this many [default: all; 50 in a table]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;dead;show'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;dead;retry'= {
            cand --stage 'Only dead letters of this stage'
            cand --since 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out'
            cand --where 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several'
            cand --to 'Where entries naming no stage or queue go (bare items pushed by hand) [default: the input of the first stage that has one]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --all 'Every dead letter'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;dead;purge'= {
            cand --older-than 'Delete those that failed more than this long ago (e.g. 30d)'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --all 'Delete every dead letter'
            cand -y 'Do not ask (needed when stdin is not a terminal)'
            cand --yes 'Do not ask (needed when stdin is not a terminal)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;dead;help'= {
            cand ls 'List dead letters, newest first'
            cand show 'Show one dead letter in full, as pretty JSON'
            cand retry 'Send dead letters back to their stage''s input queue, attempt count reset'
            cand purge 'Delete dead letters for good: all of them, or those that failed long enough ago'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;dead;help;ls'= {
        }
        &'pipectl;dead;help;show'= {
        }
        &'pipectl;dead;help;retry'= {
        }
        &'pipectl;dead;help;purge'= {
        }
        &'pipectl;dead;help;help'= {
        }
        &'pipectl;status'= {
            cand --watch 'Refresh every SECONDS (or a duration: 500ms, 2s, 1m) until Ctrl-C'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;saturation'= {
            cand --days 'How many days, ending today (1 = today only)'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;doctor'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;stage'= {
            cand -f 'Read NDJSON items from this file'
            cand --file 'Read NDJSON items from this file'
            cand --max-item-bytes 'Refuse items larger than this many bytes [default: the config''s max_item_bytes, 1 MiB]'
            cand --skip-lines 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000'
            cand --stage 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --skip-invalid 'Stage the valid items and report the invalid ones on stderr, instead of refusing all'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;staged'= {
            cand --columns 'Fields to show in the table, as dotted paths (e.g. name,site.url,links.0)'
            cand --offset 'Skip this many items first'
            cand --limit 'Show at most this many items [default: all; 50 in a table]'
            cand --stage 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;approve'= {
            cand --where 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at'
            cand --limit 'Move at most this many items'
            cand --stage 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --all 'Every staged item (with --where: every matching one), read in pages'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;reject'= {
            cand --where 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at'
            cand --limit 'Move at most this many items'
            cand --stage 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]'
            cand --reason 'Why: stored as the envelope''s "reason"'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --all 'Every staged item (with --where: every matching one), read in pages'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;review'= {
            cand --preview-field 'The field holding the preview link, shown highlighted (a dotted path)'
            cand --stage 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]'
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;init'= {
            cand --path 'Where to write it'
            cand --url 'url'
            cand --tls-ca 'tls-ca'
            cand --tls-cert 'tls-cert'
            cand --tls-key 'tls-key'
            cand --connect-timeout 'connect-timeout'
            cand --timeout 'timeout'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --force 'Overwrite an existing file'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;config'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Print the effective config (file, defaults and flags merged; secrets redacted)'
            cand path 'Print the path of the config file in use ("built-in" when none)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;config;show'= {
            cand --url 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli'
            cand --tls-ca 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)'
            cand --tls-cert 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key'
            cand --tls-key 'rediss:// only: the client certificate''s private key (PEM)'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --connect-timeout 'How long to wait for Redis to answer a connection attempt'
            cand --timeout 'How long to wait for any one reply from Redis before giving up (exit 69)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;config;path'= {
            cand --url 'url'
            cand --tls-ca 'tls-ca'
            cand --tls-cert 'tls-cert'
            cand --tls-key 'tls-key'
            cand --connect-timeout 'connect-timeout'
            cand --timeout 'timeout'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;config;help'= {
            cand show 'Print the effective config (file, defaults and flags merged; secrets redacted)'
            cand path 'Print the path of the config file in use ("built-in" when none)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;config;help;show'= {
        }
        &'pipectl;config;help;path'= {
        }
        &'pipectl;config;help;help'= {
        }
        &'pipectl;exit-codes'= {
            cand --url 'url'
            cand --tls-ca 'tls-ca'
            cand --tls-cert 'tls-cert'
            cand --tls-key 'tls-key'
            cand --connect-timeout 'connect-timeout'
            cand --timeout 'timeout'
            cand --config 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]'
            cand --pipeline 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same'
            cand --json 'Print one JSON document (or NDJSON for streams) instead of text'
            cand -q 'Print nothing but results and errors'
            cand --quiet 'Print nothing but results and errors'
            cand -v 'Explain what pipectl is doing on stderr (-vv for more)'
            cand --verbose 'Explain what pipectl is doing on stderr (-vv for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pipectl;help'= {
            cand enqueue 'Add items to a queue (LPUSH: consumers take them in FIFO order)'
            cand pop 'Take items from a queue (like RPOP), or claim them under a lease'
            cand ack 'Finish leased items: they leave the queue for good'
            cand nack 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters'
            cand peek 'Show the next items a consumer would take, without taking them'
            cand ls 'List a queue''s items in the order they will be taken'
            cand len 'Count the items waiting in queues (LLEN)'
            cand seen 'Ask whether values were seen before (SISMEMBER on the pipeline''s dedup set)'
            cand count 'Add to today''s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention'
            cand stats 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days'
            cand recover 'Return every expired lease (and due delayed retry) to its queue now'
            cand run 'Run a stage: claim items, call the stage''s handler, move each where its answer says'
            cand pause 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)'
            cand resume 'Resume a paused stage'
            cand ratelimit 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)'
            cand dead 'Look at, retry and purge dead letters'
            cand status 'Show the whole pipeline on one screen'
            cand saturation 'Say whether the search is saturated: new vs already-seen prospects per day'
            cand doctor 'Check that Redis and the pipeline are fit to run unattended'
            cand stage 'Put items straight into the review stage''s staging list (e.g. prospect:staged)'
            cand staged 'List the items waiting for review, in the order `pipectl review` shows them'
            cand approve 'Approve staged items: move them on to the output queue (e.g. prospect:ready)'
            cand reject 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)'
            cand review 'Review staged items one at a time at a terminal: approve, reject or skip each'
            cand init 'Write a commented starter pipectl.toml (the prospect pipeline)'
            cand config 'Inspect the effective configuration'
            cand exit-codes 'Print the table of exit codes scripts can rely on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pipectl;help;enqueue'= {
        }
        &'pipectl;help;pop'= {
        }
        &'pipectl;help;ack'= {
        }
        &'pipectl;help;nack'= {
        }
        &'pipectl;help;peek'= {
        }
        &'pipectl;help;ls'= {
        }
        &'pipectl;help;len'= {
        }
        &'pipectl;help;seen'= {
        }
        &'pipectl;help;count'= {
        }
        &'pipectl;help;stats'= {
        }
        &'pipectl;help;recover'= {
        }
        &'pipectl;help;run'= {
        }
        &'pipectl;help;pause'= {
        }
        &'pipectl;help;resume'= {
        }
        &'pipectl;help;ratelimit'= {
            cand show 'Show uses, remaining and when the window reopens'
            cand take 'Take uses (default 1); exit 5 and take nothing when not enough remain'
            cand reset 'Delete the window: the full limit is available again'
        }
        &'pipectl;help;ratelimit;show'= {
        }
        &'pipectl;help;ratelimit;take'= {
        }
        &'pipectl;help;ratelimit;reset'= {
        }
        &'pipectl;help;dead'= {
            cand ls 'List dead letters, newest first'
            cand show 'Show one dead letter in full, as pretty JSON'
            cand retry 'Send dead letters back to their stage''s input queue, attempt count reset'
            cand purge 'Delete dead letters for good: all of them, or those that failed long enough ago'
        }
        &'pipectl;help;dead;ls'= {
        }
        &'pipectl;help;dead;show'= {
        }
        &'pipectl;help;dead;retry'= {
        }
        &'pipectl;help;dead;purge'= {
        }
        &'pipectl;help;status'= {
        }
        &'pipectl;help;saturation'= {
        }
        &'pipectl;help;doctor'= {
        }
        &'pipectl;help;stage'= {
        }
        &'pipectl;help;staged'= {
        }
        &'pipectl;help;approve'= {
        }
        &'pipectl;help;reject'= {
        }
        &'pipectl;help;review'= {
        }
        &'pipectl;help;init'= {
        }
        &'pipectl;help;config'= {
            cand show 'Print the effective config (file, defaults and flags merged; secrets redacted)'
            cand path 'Print the path of the config file in use ("built-in" when none)'
        }
        &'pipectl;help;config;show'= {
        }
        &'pipectl;help;config;path'= {
        }
        &'pipectl;help;exit-codes'= {
        }
        &'pipectl;help;help'= {
        }
    ]
    $completions[$command]
}
