# fish completion for faultline. Load it with
#   faultline completion fish | source
# or save it as ~/.config/fish/completions/faultline.fish.
# Candidates come from `faultline __complete WORDS...`.

function __faultline_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
    switch "$out[1]"
        case :file
            __fish_complete_path (commandline -ct)
        case :dir
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%s\n' $out
    end
end

complete -c faultline -f -a '(__faultline_complete)'
