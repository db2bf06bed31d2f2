#!/usr/bin/env bash
# Print the path of a working pythonX.Y interpreter (PATH first, then pyenv's versions), or nothing.
version=$1
candidates=("$(command -v "python$version" 2>/dev/null)")
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin; do
    candidates+=("$dir/python$version")
done
for candidate in "${candidates[@]}"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -V >/dev/null 2>&1; then
        # A pyenv shim answers only for the active version: resolve to the real binary's folder.
        "$candidate" -c 'import sys; print(sys.executable)'
        exit 0
    fi
done
exit 0
