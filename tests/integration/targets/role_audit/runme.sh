#!/usr/bin/env bash
# The audit playbook over two emulated orgs: it sends no write, and its reports plan what is low.
set -eux
set -o pipefail

source ../setup_emulator/emulator.sh
source ../setup_emulator/dry_run.sh
start_emulator

dry_run audit audit-1 "$@"
verify_dry_run audit audit-1 "$@"
