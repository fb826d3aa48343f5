#!/usr/bin/env bash
# Debian packages the test suite drives (installed only when missing; needs root, as CI has).
set -euo pipefail
need=()
for pair in "rapper:raptor2-utils" "roqet:rasqal-utils" "virtuoso-t:virtuoso-opensource" "isql-vt:virtuoso-opensource" "chromium:chromium" "java:default-jre-headless"; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi
