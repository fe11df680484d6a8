# Installs the pinned validation tools into this directory, once per lock:
#   validation/node_modules  Spectral and Prism, `npm ci` from package-lock.json
#   validation/.venv         openapi-spec-validator, from requirements.txt
# A stamp records what was installed (lock file hash and tool versions), so a
# second run in the same clone installs nothing. Sourced by .ci/validate-published,
# .ci/contract-test and .ci/generated-clients; defines `install_node_tools`,
# `install_python_tools`, the same for any tool directory (`npm_ci_once DIR`,
# `pip_install_once DIR`) and `offline`.

VALIDATION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# No telemetry, update checks, funding or audit requests from the tools.
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
export NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1

# `npm ci` in DIR from DIR/package-lock.json, unless that lock is installed
# there already for this Node.js.
npm_ci_once() {
    local dir=$1 want stamp=$1/node_modules/.installed-lock
    want=$( { cat "$dir/package-lock.json"; node --version; } | sha256sum | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        return
    fi
    echo "npm ci (pinned by ${dir#"$PWD/"}/package-lock.json)"
    (cd "$dir" && npm ci --no-fund --no-audit --ignore-scripts --loglevel=error)
    echo "$want" > "$stamp"
}

# A fresh DIR/.venv with exactly DIR/requirements.txt (every dependency pinned
# there: installed with --no-deps, then `pip check`), unless those requirements
# are installed there already for this Python.
pip_install_once() {
    local dir=$1 want stamp=$1/.venv/.installed-requirements
    want=$( { cat "$dir/requirements.txt"; python3 --version; } | sha256sum | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        return
    fi
    echo "pip install (pinned by ${dir#"$PWD/"}/requirements.txt)"
    rm -rf "$dir/.venv"
    python3 -m venv "$dir/.venv"
    "$dir/.venv/bin/pip" install --quiet --no-deps --require-virtualenv -r "$dir/requirements.txt"
    "$dir/.venv/bin/pip" check
    echo "$want" > "$stamp"
}

install_node_tools() {
    npm_ci_once "$VALIDATION_DIR"
    echo "node tools: spectral $(cd "$VALIDATION_DIR" && ./node_modules/.bin/spectral --version | tail -n1), prism $(cd "$VALIDATION_DIR" && ./node_modules/.bin/prism --version | tail -n1)"
}

install_python_tools() {
    pip_install_once "$VALIDATION_DIR"
    echo "python tools: $("$VALIDATION_DIR/.venv/bin/openapi-spec-validator" --version 2>&1 | tail -n1)"
}

# Runs a command without network access (a fresh network namespace holding
# only the loopback interface) where the system allows it, else as is, saying
# so on every call: a run cut off from the network is only claimed when it
# was. `network_state` says which, for the summary lines.
offline() {
    if [[ -z ${_OFFLINE_OK:-} ]]; then
        if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
            _OFFLINE_OK=yes
        else
            _OFFLINE_OK=no
        fi
    fi
    if [[ $_OFFLINE_OK == no ]]; then
        echo "note: no network namespace here; \`$(basename "$1")\` runs with the network as it is" >&2
    fi
    if [[ $_OFFLINE_OK == yes ]]; then
        unshare -n bash -c 'ip link set lo up && exec "$@"' offline "$@"
    else
        "$@"
    fi
}

# "without network access", or what held instead.
network_state() {
    if [[ ${_OFFLINE_OK:-} == yes ]]; then
        echo "without network access"
    else
        echo "WITH the network available (no network namespace here)"
    fi
}
