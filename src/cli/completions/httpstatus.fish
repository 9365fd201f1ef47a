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
complete -c httpstatus -s v -l verbose -d 'also print reference, status, headers, content, caching, aliases'
complete -c httpstatus -s j -l json -d 'print one JSON array of entries'
complete -c httpstatus -l color -a 'auto always never' -d 'colour by class'
complete -c httpstatus -l standard -d 'only entries whose status is standard'
complete -c httpstatus -l unofficial -d 'only unofficial entries'
complete -c httpstatus -l status -x -a 'standard temporary unused obsolete unofficial' -d 'only entries with this status'
complete -c httpstatus -l class -x -a '1 2 3 4 5' -d 'only codes of this class'
complete -c httpstatus -l origin -x -d 'only entries whose origin contains NAME'
complete -c httpstatus -s h -l help -d 'print help and exit'
complete -c httpstatus -s V -l version -d 'print the version and exit'
