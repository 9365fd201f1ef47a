# SPDX-License-Identifier: MIT
# bash completion for httpstatus(1)
# Codes are offered from `httpstatus list`, so they follow the catalog.

_httpstatus() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}

    # `httpstatus serve` has options of its own (httpstatus serve --help).
    if [[ ${COMP_WORDS[1]} == serve && $COMP_CWORD -gt 1 ]]; then
        case $prev in
            --host|--allow-redirect-host|--tls-name)
                COMPREPLY=($(compgen -A hostname -- "$cur")); return ;;
            --log-format)
                COMPREPLY=($(compgen -W 'common combined json' -- "$cur")); return ;;
            --log-file|--tls-cert|--tls-key|--tls-cert-out)
                COMPREPLY=($(compgen -f -- "$cur")); return ;;
            --port|--tls-port|--workers|--max-sleep|--max-body|--max-connections|--header-timeout|\
            --idle-timeout|--send-timeout|--drain-timeout)
                return ;;
        esac
        COMPREPLY=($(compgen -W '--host --port --tls-port --tls-cert --tls-key --tls-name
            --tls-cert-out --workers --max-sleep --max-body
            --max-connections --header-timeout --idle-timeout --send-timeout
            --drain-timeout --access-log --log-format --log-file --no-metrics
            --allow-redirect-host --version --help' -- "$cur"))
        return
    fi

    case $prev in
        --color)  COMPREPLY=($(compgen -W 'auto always never' -- "$cur")); return ;;
        --status) COMPREPLY=($(compgen -W 'standard temporary unused obsolete unofficial' -- "$cur")); return ;;
        --class)  COMPREPLY=($(compgen -W '1 2 3 4 5' -- "$cur")); return ;;
        --origin) return ;;
    esac

    case $cur in
        --color=*)
            COMPREPLY=($(compgen -W 'auto always never' -- "${cur#--color=}")); return ;;
        -*)
            COMPREPLY=($(compgen -W '--verbose --json --color --color= --standard
                --unofficial --status --class --origin --help --version -v -j -h -V -' -- "$cur"))
            return ;;
    esac

    local words='list search explain site serve'
    [[ $COMP_CWORD -gt 1 ]] && words=''
    local codes
    codes=$("${COMP_WORDS[0]}" list --color=never 2>/dev/null | cut -d' ' -f1 | uniq)
    COMPREPLY=($(compgen -W "$words $codes" -- "$cur"))
}
complete -F _httpstatus httpstatus
