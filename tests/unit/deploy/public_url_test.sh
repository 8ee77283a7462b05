#!/usr/bin/env bash
# deploy/lib/public_url.sh: which public URLs are loopback addresses, and the warning deploy/run
# prints for them (and only for them).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../deploy/lib/public_url.sh"

failures=0
check() {
  local expected=$1 url=$2 got=no
  public_url_is_loopback "$url" && got=yes
  if [[ $got != "$expected" ]]; then
    echo "FAIL: public_url_is_loopback $url: expected $expected, got $got"
    failures=$((failures + 1))
  fi
}

check yes http://127.0.0.1:8080
check yes http://127.0.0.1
check yes https://127.1.2.3:8443/qatysu
check yes http://localhost:8080
check yes http://LOCALHOST.:8080/
check yes http://app.localhost
check yes 'http://[::1]:8080'
check yes http://0.0.0.0:8080
check yes http://user@127.0.0.1:8080
check no https://qatysu.example.kz
check no http://192.168.1.20:8080
check no http://10.0.0.5
check no 'http://[2001:db8::1]:8080'
check no http://127.example.kz
check no http://localhost.example.kz:8080
check no http://1270.0.0.1

warning=$(warn_if_loopback_public_url http://127.0.0.1:8080 2>&1 >/dev/null)
if [[ $warning != *"loopback"* || $warning != *"QATYSU_PUBLIC_URL"* || $warning != *"http://127.0.0.1:8080"* ]]; then
  echo "FAIL: no warning for a loopback public URL: $warning"
  failures=$((failures + 1))
fi
quiet=$(warn_if_loopback_public_url https://qatysu.example.kz 2>&1)
if [[ -n $quiet ]] || ! warn_if_loopback_public_url https://qatysu.example.kz 2>/dev/null; then
  echo "FAIL: a warning (or a failure) for a public address: $quiet"
  failures=$((failures + 1))
fi
# deploy/run warns with it, after the public URL is known.
run_script="$(dirname "${BASH_SOURCE[0]}")/../../../deploy/run"
if ! grep -q '^warn_if_loopback_public_url "\$public_url"$' "$run_script"; then
  echo "FAIL: deploy/run does not warn about a loopback public URL"
  failures=$((failures + 1))
fi

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "public_url: all checks passed"
