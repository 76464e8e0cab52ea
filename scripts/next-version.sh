#!/usr/bin/env bash
# `make next-version`: print the version the release job would tag if HEAD were pushed to main, changing nothing.
# semantic-release reads the history and tags of a throw-away clone of this repository (so a worktree, another
# branch name or a local `origin` path makes no difference), on a branch named main, with a GitHub-style origin
# URL (semantic-release parses it; nothing is fetched from or pushed to it). No v* tag yet: the first release.
set -euo pipefail
cd "$(dirname "$0")/.."
semantic_release="$PWD/.venv/bin/semantic-release"
head=$(git rev-parse HEAD)
common=$(git rev-parse --path-format=absolute --git-common-dir)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git clone --quiet --no-checkout "$common" "$tmp/repo"
cd "$tmp/repo"
git checkout --quiet -B main "$head"
git remote set-url origin "https://github.com/${GITHUB_REPOSITORY:-fibernode/fibernode}.git"
# --noop: no commit, tag, changelog or push even if --print were dropped; GH_TOKEN is not needed to compute it.
log="$tmp/semantic-release.log"
if ! version=$(GH_TOKEN="" "$semantic_release" --noop version --print 2>"$log"); then
    cat "$log" >&2
    exit 1
fi
last=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || echo "none (first release)")
echo "last release tag: $last"
echo "next version:     $version (tag v$version)"
