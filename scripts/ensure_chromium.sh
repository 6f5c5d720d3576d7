#!/bin/sh
# Make sure Debian's headless-capable Chromium is at /usr/bin/chromium (the docs-site test
# opens the generated dbt docs in it). Installs it from Debian's repositories only when it is
# missing; does nothing otherwise. Needs root (or sudo without a password) to install.
# Exit status: 0 when /usr/bin/chromium is there afterwards, 1 when it could not be installed.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure_chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and there is no apt-get to install it" >&2
    exit 1
fi
echo "ensure_chromium: installing Debian's chromium (apt-get update && apt-get install -y chromium)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q --no-install-recommends chromium >&2
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get did not install $CHROMIUM" >&2
    exit 1
fi
