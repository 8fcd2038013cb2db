
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pipectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pipectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pipectl' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('enqueue', 'enqueue', [CompletionResultType]::ParameterValue, 'Add items to a queue (LPUSH: consumers take them in FIFO order)')
            [CompletionResult]::new('pop', 'pop', [CompletionResultType]::ParameterValue, 'Take items from a queue (like RPOP), or claim them under a lease')
            [CompletionResult]::new('ack', 'ack', [CompletionResultType]::ParameterValue, 'Finish leased items: they leave the queue for good')
            [CompletionResult]::new('nack', 'nack', [CompletionResultType]::ParameterValue, 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters')
            [CompletionResult]::new('peek', 'peek', [CompletionResultType]::ParameterValue, 'Show the next items a consumer would take, without taking them')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a queue''s items in the order they will be taken')
            [CompletionResult]::new('len', 'len', [CompletionResultType]::ParameterValue, 'Count the items waiting in queues (LLEN)')
            [CompletionResult]::new('seen', 'seen', [CompletionResultType]::ParameterValue, 'Ask whether values were seen before (SISMEMBER on the pipeline''s dedup set)')
            [CompletionResult]::new('count', 'count', [CompletionResultType]::ParameterValue, 'Add to today''s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Return every expired lease (and due delayed retry) to its queue now')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a stage: claim items, call the stage''s handler, move each where its answer says')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused stage')
            [CompletionResult]::new('ratelimit', 'ratelimit', [CompletionResultType]::ParameterValue, 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)')
            [CompletionResult]::new('dead', 'dead', [CompletionResultType]::ParameterValue, 'Look at, retry, purge and trim dead letters')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the whole pipeline on one screen')
            [CompletionResult]::new('saturation', 'saturation', [CompletionResultType]::ParameterValue, 'Say whether the search is saturated: new vs already-seen prospects per day')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check that Redis and the pipeline are fit to run unattended')
            [CompletionResult]::new('stage', 'stage', [CompletionResultType]::ParameterValue, 'Put items straight into the review stage''s staging list (e.g. prospect:staged)')
            [CompletionResult]::new('staged', 'staged', [CompletionResultType]::ParameterValue, 'List the items waiting for review, in the order `pipectl review` shows them')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve staged items: move them on to the output queue (e.g. prospect:ready)')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Review staged items one at a time at a terminal: approve, reject or skip each')
            [CompletionResult]::new('send-back', 'send-back', [CompletionResultType]::ParameterValue, 'Send escalated items back to the stage that asked, with a note for its handler')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit stream: who decided or changed what, and when, newest first')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the pipeline as tools for AI agents: an MCP server on stdin/stdout')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the web review desk and the JSON API over HTTP')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Print the pipeline''s metrics in the Prometheus text format')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Send notifications: check the watched conditions, deliver what the outbox holds')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Search a list: a queue, a staging list, ready, rejected, the dead letters')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move items from any list to any other, each in one atomic step, exact bytes kept')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete items from a list, each kept, exact bytes and all, in its audit record')
            [CompletionResult]::new('unreject', 'unreject', [CompletionResultType]::ParameterValue, 'Send rejected items back to review: out of their envelopes, into the staging list')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter pipectl.toml (the prospect pipeline)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect the effective configuration')
            [CompletionResult]::new('exit-codes', 'exit-codes', [CompletionResultType]::ParameterValue, 'Print the table of exit codes scripts can rely on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;enqueue' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read NDJSON items from this file')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read NDJSON items from this file')
            [CompletionResult]::new('--dedup-by', '--dedup-by', [CompletionResultType]::ParameterName, 'Skip items whose JSON field (dotted path, e.g. url or site.url) was seen before; marks it seen in the same atomic step as the push')
            [CompletionResult]::new('--seen-set', '--seen-set', [CompletionResultType]::ParameterName, 'The dedup set [default: the pipeline''s, e.g. prospect:seen]')
            [CompletionResult]::new('--max-item-bytes', '--max-item-bytes', [CompletionResultType]::ParameterName, 'Refuse items larger than this many bytes [default: the config''s max_item_bytes, 1 MiB]')
            [CompletionResult]::new('--skip-lines', '--skip-lines', [CompletionResultType]::ParameterName, 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000')
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'Delay the items: into <queue>:delayed, due after DURATION (500ms, 30s, 5m, 1h30m, 7d) by the Redis server''s clock')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Delay the items until TIME: RFC 3339 (2026-12-02T09:00:00Z, or with an offset) or a local YYYY-MM-DD HH:MM; a time already past is due at once')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Enqueue the valid items and report the invalid ones on stderr, instead of refusing all')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;pop' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Take up to this many items')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Take up to this many items')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Block up to this long for an item when the queue is empty (e.g. 30s)')
            [CompletionResult]::new('--lease', '--lease', [CompletionResultType]::ParameterName, 'Claim under a lease of this length instead of removing (e.g. 5m)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ack' {
            [CompletionResult]::new('--cost', '--cost', [CompletionResultType]::ParameterName, 'What each item cost, as a handler''s control reports it (e.g. ''{"usd": 0.02}''): added to its stage''s daily cost counters and budget in the same step')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;nack' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: stored as the dead letter''s "error"')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Retry after this long instead of right away (e.g. 10m)')
            [CompletionResult]::new('--cost', '--cost', [CompletionResultType]::ParameterName, 'What the item cost, as a handler''s control reports it (e.g. ''{"sms": 1}''): added to its stage''s daily cost counters and budget in the same step')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--dead', '--dead', [CompletionResultType]::ParameterName, 'Dead-letter the item now instead of returning it')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;peek' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many items to show')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many items to show')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ls' {
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip this many items first')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many items [default: all; 50 in a table]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--delayed', '--delayed', [CompletionResultType]::ParameterName, 'List the queue''s delayed set (<queue>:delayed) with each entry''s due time, soonest first')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;len' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;seen' {
            [CompletionResult]::new('--seen-set', '--seen-set', [CompletionResultType]::ParameterName, 'The dedup set [default: the pipeline''s, e.g. prospect:seen]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;count' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Add this much (may be negative)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;stats' {
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'How many days, ending today')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;recover' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;run' {
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Process up to this many items [default: 1]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Run this many handlers in parallel')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Run this many handlers in parallel')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the queue is empty, wait up to this long for work before giving up')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'On SIGINT/SIGTERM, let running handlers finish this long before they are stopped and their items released to the queue')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--drain', '--drain', [CompletionResultType]::ParameterName, 'Process until the queue is empty')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be claimed, and whether the stage is paused or rate-limited; change nothing')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;pause' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: shown by `run`, `status` and `doctor`, and kept as the audit record''s note (--note is the same) [default: "paused by pipectl pause"]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;resume' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ratelimit' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show uses, remaining and when the window reopens')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'Take uses (default 1); exit 5 and take nothing when not enough remain')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Delete the window: the full limit is available again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;ratelimit;show' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]')
            [CompletionResult]::new('--per', '--per', [CompletionResultType]::ParameterName, 'Window length [default: from the config]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ratelimit;take' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]')
            [CompletionResult]::new('--per', '--per', [CompletionResultType]::ParameterName, 'Window length [default: from the config]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many uses to take')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many uses to take')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ratelimit;reset' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Uses allowed per window [default: from the stage whose rate_limit uses KEY]')
            [CompletionResult]::new('--per', '--per', [CompletionResultType]::ParameterName, 'Window length [default: from the config]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;ratelimit;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show uses, remaining and when the window reopens')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'Take uses (default 1); exit 5 and take nothing when not enough remain')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Delete the window: the full limit is available again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;ratelimit;help;show' {
            break
        }
        'pipectl;ratelimit;help;take' {
            break
        }
        'pipectl;ratelimit;help;reset' {
            break
        }
        'pipectl;ratelimit;help;help' {
            break
        }
        'pipectl;dead' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List dead letters, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dead letter in full, as pretty JSON')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send dead letters back to their stage''s input queue, attempt count reset')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete dead letters for good: all of them, or those that failed long enough ago')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;dead;ls' {
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Only dead letters of this stage')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many [default: all; 50 in a table]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;dead;show' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;dead;retry' {
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Only dead letters of this stage')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only those that failed within this long (e.g. 1d); bare items have no date and are left out')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted path into the envelope: stage, error, attempts, item.url, bare (true for entries pushed by hand). Repeat to require several')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where entries naming no stage or queue go (bare items pushed by hand) [default: the input of the first stage that has one]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every dead letter')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;dead;purge' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete those that failed more than this long ago (e.g. 30d)')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'First write the letters to this new file (NDJSON, each entry''s exact bytes in the lossless form), synced to disk before they are deleted')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every dead letter')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (needed when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (needed when stdin is not a terminal)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;dead;trim' {
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'First write the letters to this new file (NDJSON, exact bytes), synced to disk')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;dead;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List dead letters, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dead letter in full, as pretty JSON')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send dead letters back to their stage''s input queue, attempt count reset')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete dead letters for good: all of them, or those that failed long enough ago')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;dead;help;ls' {
            break
        }
        'pipectl;dead;help;show' {
            break
        }
        'pipectl;dead;help;retry' {
            break
        }
        'pipectl;dead;help;purge' {
            break
        }
        'pipectl;dead;help;trim' {
            break
        }
        'pipectl;dead;help;help' {
            break
        }
        'pipectl;status' {
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every SECONDS (or a duration: 500ms, 2s, 1m) until Ctrl-C')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;saturation' {
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'How many days, ending today (1 = today only)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;doctor' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;stage' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read NDJSON items from this file')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read NDJSON items from this file')
            [CompletionResult]::new('--max-item-bytes', '--max-item-bytes', [CompletionResultType]::ParameterName, 'Refuse items larger than this many bytes [default: the config''s max_item_bytes, 1 MiB]')
            [CompletionResult]::new('--skip-lines', '--skip-lines', [CompletionResultType]::ParameterName, 'Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a batch cut short; also ranges: 1-2000,4001-6000')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Stage the valid items and report the invalid ones on stderr, instead of refusing all')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;staged' {
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Fields to show in the table, as dotted paths (e.g. name,site.url,links.0)')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip this many items first')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many items [default: all; 50 in a table]')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;approve' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Move at most this many items')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every staged item (with --where: every matching one), read in pages')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Decide items another reviewer holds a claim on, too (the audit record says so)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;reject' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Move at most this many items')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: stored as the envelope''s "reason"')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every staged item (with --where: every matching one), read in pages')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Decide items another reviewer holds a claim on, too (the audit record says so)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;review' {
            [CompletionResult]::new('--preview-field', '--preview-field', [CompletionResultType]::ParameterName, 'The field holding the preview link, shown highlighted (a dotted path)')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;send-back' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT. Repeat to require several. Without positions, every staged item is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Move at most this many items')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The manual stage (one without a handler) to work on, when the pipeline has several [default: the only one, e.g. review]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'What the handler is told when it takes the item again (also kept in the audit record); up to 4096 bytes, line breaks allowed')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who sends back, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every staged item (with --where: every matching one), read in pages')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Send back items another reviewer holds a claim on, too (the audit record says so)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;audit' {
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Only records of this stage (repeat for several)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Only records by this actor, as --by named it (repeat for several)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only records of this action: approve, reject, pause, resume, dead_retry, dead_purge, ratelimit_reset, … (repeat for several)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records from the last DURATION (e.g. 24h), by the Redis server''s clock')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many records [default: all; 50 in a table]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;mcp' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which tools exist: reader (read only), worker (read and work), operator (and operate)')
            [CompletionResult]::new('--stages', '--stages', [CompletionResultType]::ParameterName, 'Limit stage-taking tools to these stages (others are refused)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The agent''s name: the `by` of every audit record its calls write')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--list-tools', '--list-tools', [CompletionResultType]::ParameterName, 'Print the tools this session would offer (names, groups, annotations, schemas) and exit')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The address to listen on')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'A file holding the bearer token every request must carry [default: $PIPECTL_SERVE_TOKEN]')
            [CompletionResult]::new('--tokens', '--tokens', [CompletionResultType]::ParameterName, 'A file of `PERSON ROLE TOKEN` lines (roles: viewer, reviewer, operator), not readable by all')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'The public URL behind a reverse proxy (e.g. https://desk.example.com): its Host is answered and browsers'' POSTs may come from it; https makes the cookie Secure')
            [CompletionResult]::new('--preview-field', '--preview-field', [CompletionResultType]::ParameterName, 'The item field holding the preview URL (a dotted path)')
            [CompletionResult]::new('--preview-dir', '--preview-dir', [CompletionResultType]::ParameterName, 'Serve the files under DIR at /preview/…: a preview field naming a file there (its path, absolute or relative to DIR, or a file:// URL) is framed from it, sandboxed')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--mcp-profile', '--mcp-profile', [CompletionResultType]::ParameterName, 'Which MCP tools /mcp offers: reader, worker (read and work) or operator')
            [CompletionResult]::new('--mcp-as', '--mcp-as', [CompletionResultType]::ParameterName, 'The agent''s name for /mcp calls: the `by` of the audit records they write')
            [CompletionResult]::new('--mcp-stages', '--mcp-stages', [CompletionResultType]::ParameterName, 'Limit /mcp''s stage-taking tools to these stages')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Serve pages and GET requests only: every state-changing request is refused')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;metrics' {
            [CompletionResult]::new('--textfile', '--textfile', [CompletionResultType]::ParameterName, 'Write to this file (atomically: a temporary file, then rename) instead of stdout')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;notify' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('deliver', 'deliver', [CompletionResultType]::ParameterValue, 'Check the watched conditions, then deliver every event that is due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;notify;deliver' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;notify;help' {
            [CompletionResult]::new('deliver', 'deliver', [CompletionResultType]::ParameterValue, 'Check the watched conditions, then deliver every event that is due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;notify;help;deliver' {
            break
        }
        'pipectl;notify;help;help' {
            break
        }
        'pipectl;find' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <); repeat to require several')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many [default: all; 50 in a table]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;move' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Act on at most this many')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every entry (with --where: every matching one), read in pages')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;rm' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Act on at most this many')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every entry (with --where: every matching one), read in pages')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;unreject' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=, <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url, error, reason, stage, bare. Repeat to require several. Without positions, every entry is looked at')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Act on at most this many')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who acts, as the audit stream records it [default: $PIPECTL_REVIEWER, else the login name]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note kept with the action in the audit stream (`pipectl audit` shows it)')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Only rejections by this manual stage (and those naming none, which go back to it) [default: each to the stage that rejected it]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every entry (with --where: every matching one), read in pages')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask first (without a terminal, needed to change more than one position''s item)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;init' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Where to write it')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'url')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'tls-ca')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'tls-cert')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'tls-key')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'sentinel')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'sentinel-master')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'connect-timeout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'timeout')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'failover-timeout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;config' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective config (file, defaults and flags merged; secrets redacted)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use ("built-in" when none)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;config;show' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path. The password may also come from REDISCLI_AUTH, as with redis-cli')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'rediss:// only: trust the server certificate signed by this CA (PEM) instead of the system''s roots (REDISCLI_CACERT also works, as with redis-cli)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'rediss:// only: the client certificate''s private key (PEM)')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated or repeated; port 26379 by default), with --sentinel-master. --url then says only how to talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for Redis to answer a connection attempt')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one reply from Redis before giving up (exit 69)')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'Redis Cluster: how long one step keeps trying through a failover before exit 69; set it above cluster-node-timeout plus a few seconds [default: --timeout]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;config;path' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'url')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'tls-ca')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'tls-cert')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'tls-key')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'sentinel')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'sentinel-master')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'connect-timeout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'timeout')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'failover-timeout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective config (file, defaults and flags merged; secrets redacted)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use ("built-in" when none)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;config;help;show' {
            break
        }
        'pipectl;config;help;path' {
            break
        }
        'pipectl;config;help;help' {
            break
        }
        'pipectl;exit-codes' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'url')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'tls-ca')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'tls-cert')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'tls-key')
            [CompletionResult]::new('--sentinel', '--sentinel', [CompletionResultType]::ParameterName, 'sentinel')
            [CompletionResult]::new('--sentinel-master', '--sentinel-master', [CompletionResultType]::ParameterName, 'sentinel-master')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'connect-timeout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'timeout')
            [CompletionResult]::new('--failover-timeout', '--failover-timeout', [CompletionResultType]::ParameterName, 'failover-timeout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml, else the built-in prospect pipeline]')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated. PIPECTL_CLUSTER=1 (or true/yes/on) does the same')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document (or NDJSON for streams) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what pipectl is doing on stderr (-vv for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pipectl;help' {
            [CompletionResult]::new('enqueue', 'enqueue', [CompletionResultType]::ParameterValue, 'Add items to a queue (LPUSH: consumers take them in FIFO order)')
            [CompletionResult]::new('pop', 'pop', [CompletionResultType]::ParameterValue, 'Take items from a queue (like RPOP), or claim them under a lease')
            [CompletionResult]::new('ack', 'ack', [CompletionResultType]::ParameterValue, 'Finish leased items: they leave the queue for good')
            [CompletionResult]::new('nack', 'nack', [CompletionResultType]::ParameterValue, 'Hand a leased item back: to the queue, to a delayed retry, or to the dead letters')
            [CompletionResult]::new('peek', 'peek', [CompletionResultType]::ParameterValue, 'Show the next items a consumer would take, without taking them')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a queue''s items in the order they will be taken')
            [CompletionResult]::new('len', 'len', [CompletionResultType]::ParameterValue, 'Count the items waiting in queues (LLEN)')
            [CompletionResult]::new('seen', 'seen', [CompletionResultType]::ParameterValue, 'Ask whether values were seen before (SISMEMBER on the pipeline''s dedup set)')
            [CompletionResult]::new('count', 'count', [CompletionResultType]::ParameterValue, 'Add to today''s counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Return every expired lease (and due delayed retry) to its queue now')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a stage: claim items, call the stage''s handler, move each where its answer says')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a stage: `run` claims nothing more and exits 4 (the kill switch)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused stage')
            [CompletionResult]::new('ratelimit', 'ratelimit', [CompletionResultType]::ParameterValue, 'Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)')
            [CompletionResult]::new('dead', 'dead', [CompletionResultType]::ParameterValue, 'Look at, retry, purge and trim dead letters')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the whole pipeline on one screen')
            [CompletionResult]::new('saturation', 'saturation', [CompletionResultType]::ParameterValue, 'Say whether the search is saturated: new vs already-seen prospects per day')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check that Redis and the pipeline are fit to run unattended')
            [CompletionResult]::new('stage', 'stage', [CompletionResultType]::ParameterValue, 'Put items straight into the review stage''s staging list (e.g. prospect:staged)')
            [CompletionResult]::new('staged', 'staged', [CompletionResultType]::ParameterValue, 'List the items waiting for review, in the order `pipectl review` shows them')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve staged items: move them on to the output queue (e.g. prospect:ready)')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Review staged items one at a time at a terminal: approve, reject or skip each')
            [CompletionResult]::new('send-back', 'send-back', [CompletionResultType]::ParameterValue, 'Send escalated items back to the stage that asked, with a note for its handler')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit stream: who decided or changed what, and when, newest first')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve the pipeline as tools for AI agents: an MCP server on stdin/stdout')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the web review desk and the JSON API over HTTP')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Print the pipeline''s metrics in the Prometheus text format')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Send notifications: check the watched conditions, deliver what the outbox holds')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Search a list: a queue, a staging list, ready, rejected, the dead letters')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move items from any list to any other, each in one atomic step, exact bytes kept')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete items from a list, each kept, exact bytes and all, in its audit record')
            [CompletionResult]::new('unreject', 'unreject', [CompletionResultType]::ParameterValue, 'Send rejected items back to review: out of their envelopes, into the staging list')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter pipectl.toml (the prospect pipeline)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect the effective configuration')
            [CompletionResult]::new('exit-codes', 'exit-codes', [CompletionResultType]::ParameterValue, 'Print the table of exit codes scripts can rely on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pipectl;help;enqueue' {
            break
        }
        'pipectl;help;pop' {
            break
        }
        'pipectl;help;ack' {
            break
        }
        'pipectl;help;nack' {
            break
        }
        'pipectl;help;peek' {
            break
        }
        'pipectl;help;ls' {
            break
        }
        'pipectl;help;len' {
            break
        }
        'pipectl;help;seen' {
            break
        }
        'pipectl;help;count' {
            break
        }
        'pipectl;help;stats' {
            break
        }
        'pipectl;help;recover' {
            break
        }
        'pipectl;help;run' {
            break
        }
        'pipectl;help;pause' {
            break
        }
        'pipectl;help;resume' {
            break
        }
        'pipectl;help;ratelimit' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show uses, remaining and when the window reopens')
            [CompletionResult]::new('take', 'take', [CompletionResultType]::ParameterValue, 'Take uses (default 1); exit 5 and take nothing when not enough remain')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Delete the window: the full limit is available again')
            break
        }
        'pipectl;help;ratelimit;show' {
            break
        }
        'pipectl;help;ratelimit;take' {
            break
        }
        'pipectl;help;ratelimit;reset' {
            break
        }
        'pipectl;help;dead' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List dead letters, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dead letter in full, as pretty JSON')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send dead letters back to their stage''s input queue, attempt count reset')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete dead letters for good: all of them, or those that failed long enough ago')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)')
            break
        }
        'pipectl;help;dead;ls' {
            break
        }
        'pipectl;help;dead;show' {
            break
        }
        'pipectl;help;dead;retry' {
            break
        }
        'pipectl;help;dead;purge' {
            break
        }
        'pipectl;help;dead;trim' {
            break
        }
        'pipectl;help;status' {
            break
        }
        'pipectl;help;saturation' {
            break
        }
        'pipectl;help;doctor' {
            break
        }
        'pipectl;help;stage' {
            break
        }
        'pipectl;help;staged' {
            break
        }
        'pipectl;help;approve' {
            break
        }
        'pipectl;help;reject' {
            break
        }
        'pipectl;help;review' {
            break
        }
        'pipectl;help;send-back' {
            break
        }
        'pipectl;help;audit' {
            break
        }
        'pipectl;help;mcp' {
            break
        }
        'pipectl;help;serve' {
            break
        }
        'pipectl;help;metrics' {
            break
        }
        'pipectl;help;notify' {
            [CompletionResult]::new('deliver', 'deliver', [CompletionResultType]::ParameterValue, 'Check the watched conditions, then deliver every event that is due')
            break
        }
        'pipectl;help;notify;deliver' {
            break
        }
        'pipectl;help;find' {
            break
        }
        'pipectl;help;move' {
            break
        }
        'pipectl;help;rm' {
            break
        }
        'pipectl;help;unreject' {
            break
        }
        'pipectl;help;init' {
            break
        }
        'pipectl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective config (file, defaults and flags merged; secrets redacted)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file in use ("built-in" when none)')
            break
        }
        'pipectl;help;config;show' {
            break
        }
        'pipectl;help;config;path' {
            break
        }
        'pipectl;help;exit-codes' {
            break
        }
        'pipectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
