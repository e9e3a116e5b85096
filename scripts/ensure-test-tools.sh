#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing: espeak-ng (real speech) and sox for the
# audio tests (required); chromium and chromium-driver for the web demo's browser test (optional: where they cannot
# be installed, that test is skipped and says so).
set -euo pipefail
required=()
optional=()
command -v espeak-ng >/dev/null 2>&1 || required+=(espeak-ng)
command -v sox >/dev/null 2>&1 || required+=(sox)
command -v chromium >/dev/null 2>&1 || optional+=(chromium)
command -v chromedriver >/dev/null 2>&1 || optional+=(chromium-driver)
[ ${#required[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: please install: ${required[*]} ${optional[*]}" >&2
  [ ${#required[@]} -eq 0 ] && exit 0
  exit 1
fi
echo "ensure-test-tools: installing ${required[*]} ${optional[*]}" >&2
apt-get update -qq >/dev/null
if [ ${#required[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${required[@]}" >/dev/null
fi
if [ ${#optional[@]} -gt 0 ] && ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${optional[@]}" >/dev/null; then
  echo "ensure-test-tools: could not install ${optional[*]}: the browser test will be skipped" >&2
fi
