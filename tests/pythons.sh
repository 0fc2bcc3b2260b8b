#!/usr/bin/env bash
# The suite on every Python the project supports. `make test` runs the whole suite with .venv;
# this runs the unit, lifecycle and CLI tests and one engine end-to-end test on each other
# supported Python, from the wheel built from the tree (a non-editable install) in
# .venv-<version>, reused between runs (dependencies are reinstalled when pyproject.toml
# changes, the wheel every run).
#
# Usage: tests/pythons.sh find VERSION...   print each interpreter, or fail naming the missing one
#        tests/pythons.sh test VERSION...   find, build the wheel, install it, run the tests
#
# An interpreter is $PYTHON<XY> when set (PYTHON312=/opt/python/bin/python3.12), else the first
# that runs and is that version of: python<X.Y> on PATH, pyenv's versions, /usr/local/bin,
# /usr/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

MAIN=.venv/bin/python
ENGINE_TEST=tests/engine/test_e2e.py::test_root_project_whole_lifecycle
# tests/cli without its engine tests (explain on real previews): one engine test is enough here.
TESTS=(tests/unit tests/lifecycle tests/cli --ignore=tests/cli/test_explain_e2e.py "$ENGINE_TEST")

say() { printf '[pythons] %s\n' "$*" >&2; }

is_version() {  # is_version PYTHON X.Y: it runs, and it is that version
  "$1" -c "import sys; sys.exit(f'{sys.version_info[0]}.{sys.version_info[1]}' != '$2')" \
    >/dev/null 2>&1
}

find_python() {  # find_python X.Y: the interpreter's real path on stdout
  local version=$1 var="PYTHON${1//./}" root candidate
  local -a candidates
  if [[ -n ${!var:-} ]]; then
    candidates=("${!var}")
  else
    root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
    candidates=("$(command -v "python$version" || true)")
    mapfile -t -O 1 candidates < <(ls -d "$root/versions/$version".*/bin/"python$version" \
      2>/dev/null | sort -V -r)
    candidates+=("/usr/local/bin/python$version" "/usr/bin/python$version")
  fi
  for candidate in "${candidates[@]}"; do
    if [[ -n $candidate ]] && is_version "$candidate" "$version"; then
      "$candidate" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'
      return 0
    fi
  done
  local tried="python$version on PATH, pyenv, /usr/local/bin, /usr/bin"
  [[ -n ${!var:-} ]] && tried="$var=${!var}"
  say "no Python $version interpreter (tried $tried); install it or set $var"
  return 1
}

find_all() {  # one line per interpreter; exits at the first missing one, naming it
  local version found
  for version; do
    found=$(find_python "$version") || exit 1
    say "Python $version: $found"
  done
}

install() {  # install X.Y WHEEL: .venv-X.Y holding the wheel (not editable) and the test extras
  local version=$1 wheel=$2 venv=".venv-$1" python deps
  python=$(find_python "$version")
  deps=$(sha256sum pyproject.toml | cut -c1-16)
  if ! is_version "$venv/bin/python" "$version"; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
  fi
  if [[ $(cat "$venv/.installed" 2>/dev/null) != "$deps" ]]; then
    say "Python $version: installing the dependencies into $venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet "$wheel[test]"
    echo "$deps" >"$venv/.installed"
  fi
  "$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$wheel"
  "$venv/bin/python" -c 'import pulumi_stripe_portal as p, sys
assert "site-packages" in p.__file__, f"not the installed wheel: {p.__file__}"'
}

run_tests() {
  local main version wheel out
  local -a others=()
  find_all "$@"
  main=$("$MAIN" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  for version; do [[ $version == "$main" ]] || others+=("$version"); done
  say "the whole suite runs on $main (.venv); here: ${others[*]:-nothing}"
  [[ ${#others[@]} -gt 0 ]] || return 0
  out=$(mktemp -d)
  trap "rm -rf '$out'" EXIT
  wheel=$("$MAIN" tests/pkg/wheel_build.py "$out")
  for version in "${others[@]}"; do
    SECONDS=0
    install "$version" "$wheel"
    say "Python $version: ${TESTS[*]}"
    PULUMI_HARNESS_VENV="$PWD/.venv-$version" "$PWD/.venv-$version/bin/python" -m pytest -q \
      -p no:cacheprovider "${TESTS[@]}"
    say "Python $version: passed in ${SECONDS}s"
  done
}

case ${1:-} in
  find) shift; find_all "$@" ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: $0 find|test VERSION..." >&2; exit 2 ;;
esac
