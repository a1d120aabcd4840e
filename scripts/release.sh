#!/usr/bin/env bash
# Cuts a release: npm run release -- 1.2.3
#
# Refuses unless the tree is clean, HEAD is on main, the version is semver and newer than every
# release tag, CHANGELOG.md has an entry for it, dist/ matches a fresh build and the tests pass.
# Then it sets package.json's version, commits, tags v1.2.3 and moves the major tag (v1) to it.
# It never pushes: it prints the commands that publish the release.
set -euo pipefail
cd "$(dirname "$0")/.."

refuse() {
  echo "release: refused: $*" >&2
  exit 1
}
step() { printf '\n== release: %s\n' "$*"; }

version="${1:-}"
[ -n "$version" ] || refuse "no version given. Usage: npm run release -- 1.2.3"
version="${version#v}"
# Semantic Versioning 2.0.0 (MAJOR.MINOR.PATCH with an optional pre-release); build metadata is not a tag.
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?$'
[[ "$version" =~ $semver ]] || refuse "'$version' is not a semantic version such as 1.2.3 (or 1.2.3-rc.1)."
major="${BASH_REMATCH[1]}"
prerelease="${BASH_REMATCH[4]}"
tag="v$version"

step "checking the repository"
branch="$(git symbolic-ref --quiet --short HEAD || true)"
[ "$branch" = main ] || refuse "releases are cut from main, and HEAD is on '${branch:-a detached commit}'."
if [ -n "$(git status --porcelain --untracked-files=all)" ]; then
  git status --short >&2
  refuse "the working tree is not clean: commit or remove the changes above first."
fi
if git rev-parse --quiet --verify "refs/tags/$tag" >/dev/null; then
  refuse "tag $tag already exists."
fi
latest="$(git tag --list 'v[0-9]*.[0-9]*.[0-9]*' | sed 's/^v//' | grep -E "${semver}" | sort -V | tail -n 1 || true)"
if [ -n "$latest" ] && [ "$(printf '%s\n%s\n' "$latest" "$version" | sort -V | tail -n 1)" != "$version" ]; then
  refuse "$version is not newer than the latest release, v$latest."
fi

step "checking CHANGELOG.md"
# Keep a Changelog: "## [1.2.3] - 2026-11-28"
grep -Eq "^## \[${version//./\\.}\]" CHANGELOG.md 2>/dev/null ||
  refuse "CHANGELOG.md has no entry for $version: add a '## [$version] - $(date -u +%F)' section that says what changed."

step "checking that dist/ matches a fresh build (npm run check-dist)"
npm run --silent check-dist || refuse "dist/ is stale: run 'npm run build', commit dist/, and release again."

step "running the tests (npm test)"
npm test || refuse "the tests failed."

step "tagging $tag"
npm version "$version" --no-git-tag-version --allow-same-version >/dev/null
if ! git diff --quiet -- package.json package-lock.json; then
  git commit --quiet -m "Release $version" -- package.json package-lock.json
fi
git tag -a "$tag" -m "$tag"
push_tags="git push origin $tag"
if [ -z "$prerelease" ]; then
  # The major tag is what users pin (uses: ...@v1): it moves to every release of that major version.
  git tag -f -a "v$major" -m "v$major (currently $tag)" >/dev/null
  push_tags="git push origin $tag && git push --force origin v$major"
fi

echo
echo "Tagged $tag at $(git rev-parse --short HEAD)$([ -z "$prerelease" ] && echo " and moved v$major to it"). Nothing was pushed. To publish:"
echo
echo "  git push origin main && $push_tags"
echo
echo "Then create the GitHub release from $tag with its CHANGELOG.md section as the notes."
