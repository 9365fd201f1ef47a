# SPDX-License-Identifier: MIT
# fish completion for httpstatus(1)
# Codes are offered from `httpstatus list`, so they follow the catalog.

function __httpstatus_codes
    httpstatus list --color=never 2>/dev/null | string replace -r '^(\d+) (.*?) - .*$' '$1\t$2'
end

complete -c httpstatus -f
complete -c httpstatus -n __fish_use_subcommand -a list -d 'the whole catalog'
complete -c httpstatus -n __fish_use_subcommand -a search -d 'search phrases, summaries and origins'
complete -c httpstatus -n __fish_use_subcommand -a explain -d 'what a code means, when to send it, what clients do'
complete -c httpstatus -n __fish_use_subcommand -a site -d 'write the reference as static files into DIR'
complete -c httpstatus -n __fish_use_subcommand -a serve -d 'run the status-code test server'
complete -c httpstatus -n __fish_use_subcommand -a - -d 'annotate status lines from standard input'
complete -c httpstatus -n 'not __fish_seen_subcommand_from serve list search' -a '(__httpstatus_codes)'
complete -c httpstatus -n 'not __httpstatus_serve' -s v -l verbose -d 'also print reference, status, headers, content, caching, aliases'
complete -c httpstatus -n 'not __httpstatus_serve' -s j -l json -d 'print one JSON array of entries'
complete -c httpstatus -n 'not __httpstatus_serve' -l color -a 'auto always never' -d 'colour by class'
complete -c httpstatus -n 'not __httpstatus_serve' -l standard -d 'only entries whose status is standard'
complete -c httpstatus -n 'not __httpstatus_serve' -l unofficial -d 'only unofficial entries'
complete -c httpstatus -n 'not __httpstatus_serve' -l status -x -a 'standard temporary unused obsolete unofficial' -d 'only entries with this status'
complete -c httpstatus -n 'not __httpstatus_serve' -l class -x -a '1 2 3 4 5' -d 'only codes of this class'
complete -c httpstatus -n 'not __httpstatus_serve' -l origin -x -d 'only entries whose origin contains NAME'
complete -c httpstatus -n 'not __httpstatus_serve' -s h -l help -d 'print help and exit'
complete -c httpstatus -n 'not __httpstatus_serve' -s V -l version -d 'print the version and exit'

# httpstatus serve --help
function __httpstatus_serve
    __fish_seen_subcommand_from serve
end
complete -c httpstatus -n __httpstatus_serve -l host -x -a '(__fish_print_hostnames)' -d 'address to listen on'
complete -c httpstatus -n __httpstatus_serve -l port -x -d 'port (0 picks a free one)'
complete -c httpstatus -n __httpstatus_serve -l tls-port -x -d 'also serve HTTPS on this port (0 picks a free one)'
complete -c httpstatus -n __httpstatus_serve -l tls-cert -r -F -d 'certificate, then its chain (PEM)'
complete -c httpstatus -n __httpstatus_serve -l tls-key -r -F -d 'private key of --tls-cert (PEM)'
complete -c httpstatus -n __httpstatus_serve -l tls-name -x -a '(__fish_print_hostnames)' -d 'a name the self-signed certificate also covers'
complete -c httpstatus -n __httpstatus_serve -l tls-cert-out -r -F -d 'write the certificate served (PEM) to FILE'
complete -c httpstatus -n __httpstatus_serve -l workers -x -d 'worker threads, one event loop each'
complete -c httpstatus -n __httpstatus_serve -l max-sleep -x -d 'longest sleep or dribble a request may ask for (ms)'
complete -c httpstatus -n __httpstatus_serve -l max-body -x -d 'largest request content read and discarded (bytes)'
complete -c httpstatus -n __httpstatus_serve -l max-connections -x -d 'open connections at most; more get 503'
complete -c httpstatus -n __httpstatus_serve -l header-timeout -x -d '408 when a request is not complete in time (ms)'
complete -c httpstatus -n __httpstatus_serve -l idle-timeout -x -d 'close a keep-alive connection idle this long (ms)'
complete -c httpstatus -n __httpstatus_serve -l send-timeout -x -d 'close a connection reading none of its answer this long (ms)'
complete -c httpstatus -n __httpstatus_serve -l drain-timeout -x -d 'on SIGINT/SIGTERM, wait this long for answers underway (ms)'
complete -c httpstatus -n __httpstatus_serve -l access-log -d 'one line per request on stdout'
complete -c httpstatus -n __httpstatus_serve -l log-format -x -a 'common combined json' -d 'access log lines (turns it on)'
complete -c httpstatus -n __httpstatus_serve -l log-file -r -F -d 'access log into PATH, not stdout (SIGHUP reopens it)'
complete -c httpstatus -n __httpstatus_serve -l no-metrics -d 'do not serve /metrics'
complete -c httpstatus -n __httpstatus_serve -l allow-redirect-host -x -a '(__fish_print_hostnames)' -d 'allow ?location= URLs on HOST'
complete -c httpstatus -n __httpstatus_serve -l version -d 'print the version and exit'
complete -c httpstatus -n __httpstatus_serve -l help -d 'print this help and exit'
