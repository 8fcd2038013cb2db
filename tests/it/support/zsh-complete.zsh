# Prints, one per line, the completions zsh offers for a command line, as a person pressing
# TAB would get them: an interactive zsh in a pseudo-terminal (zpty) with compinit, the
# completion file's directory in $fpath, and compadd wrapped to print each match.
#   zsh -f tests/support/zsh-complete.zsh COMPLETIONS_DIR 'pipectl run '
zmodload zsh/zpty || { print -u2 'zsh-complete: no zsh/zpty module'; exit 3 }
fdir=$1; shift
init=$(mktemp)
cat > $init <<INIT
PROMPT=
fpath=($fdir \$fpath)
autoload -U compinit
compinit -u -d $init.dump
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
null-line () { echo -E - \$'\0' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd () {
    if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "\$@"
        return \$?
    fi
    typeset -a __hits
    builtin compadd -A __hits "\$@"
    [[ -n \$__hits ]] || return
    local h
    for h in \$__hits; do echo -E - "MATCH:\$h"; done
}
echo ok
INIT
zpty z zsh -f -i
zpty -w z "source $init"
ready=0
repeat 20; do zpty -r z line; [[ $line == ok* ]] && { ready=1; break }; done
(( ready )) || { print -u2 'zsh-complete: the interactive zsh did not start'; exit 4 }
zpty -w z "$*"$'\t'
nulls=0
while zpty -r z line; do
    [[ $line == *MATCH:* ]] && print -r -- ${${line#*MATCH:}%$'\r'}
    [[ $line == *$'\0'* ]] && (( ++nulls >= 2 )) && break
done
zpty -d z
rm -f $init $init.dump
