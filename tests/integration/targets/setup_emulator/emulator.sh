# shellcheck shell=bash
# Sourced by a target's runme.sh: start the collection's Genesys Cloud emulator (tests/emulator) on 127.0.0.1 for
# this target, stopped when the script exits. Sets EMULATOR_URL.
#
# ansible-test runs a target from a copy of tests/integration under the collection's tests/output, so the
# collection (and its emulator) is found by walking up from here; the Python is the one ansible-test runs with.

_emulator_collection_root() {
    local dir
    dir="$(pwd -P)"
    while [ "${dir}" != "/" ]; do
        if [ -f "${dir}/galaxy.yml" ] && [ -f "${dir}/tests/emulator/__main__.py" ]; then
            echo "${dir}"
            return 0
        fi
        dir="$(dirname "${dir}")"
    done
    echo "setup_emulator: no collection root holding tests/emulator above $(pwd -P)" >&2
    return 1
}

_emulator_stop() {
    if [ -n "${EMULATOR_PID:-}" ]; then
        kill "${EMULATOR_PID}" 2>/dev/null || true
        wait "${EMULATOR_PID}" 2>/dev/null || true
    fi
}

# start_emulator [emulator options...]: the seed of setup_emulator/files/seed.json, a free port.
start_emulator() {
    local root python out line
    root="$(_emulator_collection_root)"
    python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
    out="${OUTPUT_DIR:-$(mktemp -d)}/emulator.out"
    (cd "${root}" && exec "${python}" -m tests.emulator --port 0 --random-seed 11 \
        --seed "${EMULATOR_SETUP_DIR}/files/seed.json" "$@") > "${out}" 2> "${out}.err" &
    EMULATOR_PID=$!
    trap _emulator_stop EXIT
    # It prints one line, "listening on http://127.0.0.1:PORT", once it accepts requests.
    for _ in $(seq 1 300); do
        line="$(head -n 1 "${out}")"
        if [ -n "${line}" ]; then
            break
        fi
        if ! kill -0 "${EMULATOR_PID}" 2>/dev/null; then
            cat "${out}.err" >&2
            echo "setup_emulator: the emulator did not start" >&2
            return 1
        fi
        sleep 0.1
    done
    case "${line}" in
        "listening on "*) EMULATOR_URL="${line#listening on }" ;;
        *) cat "${out}.err" >&2; echo "setup_emulator: the emulator said '${line}'" >&2; return 1 ;;
    esac
    export EMULATOR_URL
}

EMULATOR_SETUP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
