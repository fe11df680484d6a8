# Installs the pinned validation tools into this directory, once per lock:
#   validation/node_modules  Spectral and Prism, `npm ci` from package-lock.json
#   validation/.venv         openapi-spec-validator, from requirements.txt
# A stamp records what was installed (lock file hash and tool versions), so a
# second run in the same clone installs nothing. Sourced by .ci/validate-published
# and .ci/contract-test; defines `install_node_tools`, `install_python_tools` and
# `offline`.

VALIDATION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# No telemetry, update checks, funding or audit requests from the tools.
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
export NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1

install_node_tools() {
    local dir=$VALIDATION_DIR want stamp=$VALIDATION_DIR/node_modules/.installed-lock
    want=$( { cat "$dir/package-lock.json"; node --version; } | sha256sum | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        echo "node tools: cached ($(cd "$dir" && ./node_modules/.bin/spectral --version | tail -n1) spectral, $(cd "$dir" && ./node_modules/.bin/prism --version | tail -n1) prism)"
        return
    fi
    echo "node tools: npm ci (pinned by validation/package-lock.json)"
    (cd "$dir" && npm ci --no-fund --no-audit --ignore-scripts --loglevel=error)
    echo "$want" > "$stamp"
}

install_python_tools() {
    local dir=$VALIDATION_DIR want stamp=$VALIDATION_DIR/.venv/.installed-requirements
    want=$( { cat "$dir/requirements.txt"; python3 --version; } | sha256sum | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        echo "python tools: cached ($("$dir/.venv/bin/openapi-spec-validator" --version 2>&1 | tail -n1))"
        return
    fi
    echo "python tools: pip install (pinned by validation/requirements.txt)"
    rm -rf "$dir/.venv"
    python3 -m venv "$dir/.venv"
    "$dir/.venv/bin/pip" install --quiet --no-deps --require-virtualenv -r "$dir/requirements.txt"
    "$dir/.venv/bin/pip" check
    echo "$want" > "$stamp"
}

# Runs a command without network access (a fresh network namespace holding
# only the loopback interface) where the system allows it, else as is.
offline() {
    if [[ -z ${_OFFLINE_OK:-} ]]; then
        if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
            _OFFLINE_OK=yes
        else
            _OFFLINE_OK=no
            echo "note: cannot create a network namespace here; running the tools with the network as it is" >&2
        fi
    fi
    if [[ $_OFFLINE_OK == yes ]]; then
        unshare -n bash -c 'ip link set lo up && exec "$@"' offline "$@"
    else
        "$@"
    fi
}
