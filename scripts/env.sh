# Sourced by the other scripts: puts the Swift toolchain on PATH when it is installed
# under /opt/swift but not yet on PATH (a fresh login shell on these machines).
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
