# bash completion for faultline. Load it with
#   source <(faultline completion bash)
# or save it as /usr/share/bash-completion/completions/faultline.
# Candidates come from `faultline __complete WORDS...`.

_faultline() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local IFS=$'\n'
    local -a out
    out=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
    case ${out[0]} in
    :file)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    :dir)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        ;;
    *)
        COMPREPLY=("${out[@]}")
        if [[ ${#out[@]} -eq 1 && ${out[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
        ;;
    esac
}

complete -F _faultline faultline
