#!/bin/sh
# Wrapper installed as `pulumi-language-python` by build-engine.sh, in front of the Go
# language host built from sdk/v3@v3.52.0 (installed beside it as pulumi-language-python-v3.52).
# That host predates the engine passing Pulumi.yaml's runtime options to it, so it would
# ignore `runtime.options.virtualenv`; this reads the option from the project's Pulumi.yaml
# (the engine starts the host in the project directory) and passes it as the host's own
# -virtualenv flag, resolved against the project directory as Pulumi does.
here="$(dirname "$(readlink -f "$0")")"
dir="$PWD"
while [ "$dir" != "/" ] && [ ! -f "$dir/Pulumi.yaml" ] && [ ! -f "$dir/Pulumi.yml" ]; do
    dir="$(dirname "$dir")"
done
file="$dir/Pulumi.yaml"
[ -f "$file" ] || file="$dir/Pulumi.yml"
venv=""
if [ -f "$file" ]; then
    venv="$(sed -n 's/^[[:space:]][[:space:]]*virtualenv:[[:space:]]*//p' "$file" | head -n1 \
        | sed 's/[[:space:]]*#.*$//; s/^["'\'']//; s/["'\'']$//')"
fi
if [ -n "$venv" ]; then
    case "$venv" in
        /*) ;;
        *) venv="$dir/$venv" ;;
    esac
    # The virtualenv decides the interpreter, as with current hosts; this host would
    # otherwise join an absolute PULUMI_PYTHON_CMD onto the venv's bin directory.
    unset PULUMI_PYTHON_CMD
    exec "$here/pulumi-language-python-v3.52" "-virtualenv=$venv" "$@"
fi
exec "$here/pulumi-language-python-v3.52" "$@"
