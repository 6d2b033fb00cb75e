#!/usr/bin/env bash
# Installs the Debian packages abctl needs, only those missing. As root it uses apt-get
# directly (apt-get update first); otherwise sudo when available, else it says what to run.
# `scripts/deps.sh --tests` adds chromium, which only the dashboard's browser test uses, so
# `make demo` does not install a browser.
set -euo pipefail

# libhnswlib-dev: the header-only HNSW library behind the embedding strategies (Sources/CHNSW).
packages=(postgresql postgresql-contrib libpq-dev pkg-config ca-certificates libhnswlib-dev)
if [ "${1:-}" = "--tests" ]; then
    packages+=(chromium)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all system packages present (${packages[*]})"
    exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
else
    echo "deps: missing packages: ${missing[*]}. Install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}"
# The Debian package may start its own cluster on 5432; abctl does not need it.
