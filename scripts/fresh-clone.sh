#!/usr/bin/env bash
# A clone at an unusual path, on a machine where nothing exists beside the repository, passes the README's
# test command. `npm run test:fresh-clone` or:
#
#   scripts/fresh-clone.sh [command ...]      (default: npm test)
#
# Clones the committed HEAD of this repository (uncommitted changes are not part of it) into a new temp
# folder whose only entry is a folder with spaces and non-ASCII letters in its name, and runs the command
# in the clone. As root, where `unshare` can make a private mount namespace, the folder holding this
# repository is also hidden (an empty tmpfs over it) while the command runs, so nothing beside the
# repository (provider documents, a sibling checkout, an earlier node_modules) can be reached by any path.
# The n8n cache in ~/.cache and npm's download cache stay: they are what a second `npm test` on a real
# machine has too, and the tests fill them themselves when missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -eq 0 ]; then set -- npm test; fi

base="$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone.XXXXXX")"
cleanup() { rm -rf "$base"; }
trap cleanup EXIT

clone="$base/an unusual path (ünïcode, spaces) #15/n8n-nodes-email-marketing"
mkdir -p "$(dirname "$clone")"
git clone --quiet --no-hardlinks "$repo" "$clone"
echo "[fresh-clone] $(git -C "$clone" log -1 --format='%h %s') cloned into: $clone"
echo "[fresh-clone] beside it: $(ls -A "$(dirname "$clone")" | tr '\n' ' ')"

hidden="$(dirname "$repo")"
case "$clone" in "$hidden"/*) hidden="" ;; esac # never hide the folder the clone is in
if [ -n "$hidden" ] && [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null; then
	echo "[fresh-clone] hiding $hidden while it runs: $*"
	quoted="$(printf '%q ' "$@")"
	exec_in_clone="cd $(printf '%q' "$clone") && exec $quoted"
	unshare --mount --propagation private bash -c "mount -t tmpfs tmpfs $(printf '%q' "$hidden") && $exec_in_clone"
else
	echo "[fresh-clone] running: $*"
	cd "$clone"
	"$@"
fi
echo "[fresh-clone] passed: $* in a fresh clone"
