#!/usr/bin/env bash
# Runs every test of the repository (README's second command; .ci/run calls it too).
# First installs what the tests need and is missing: headless Chromium (Debian's package `chromium`) for the report
# test in tests/RL3.Cli.Tests/ReportBrowserTests.cs, with apt-get, as root or through passwordless sudo. When it cannot
# be installed, RL3_CHROMIUM_UNAVAILABLE carries the reason and that test is skipped with it; every other case runs it.
# Likewise redis-server (Debian's package `redis-server`) for the multi-process cluster test in
# tests/RL3.Cli.Tests/DistributedTrainingTests.cs, which starts its own redis-server on a free loopback port and stops it
# (the package's service is not used); when it cannot be installed, RL3_REDIS_UNAVAILABLE carries the reason.
set -uo pipefail
cd "$(dirname "$0")"

have_chromium() {
  [ -n "${RL3_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

if ! have_chromium; then
  reason=""
  if ! command -v apt-get >/dev/null 2>&1; then
    reason="apt-get is not available on this system"
  else
    if [ "$(id -u)" -eq 0 ]; then
      as_root=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
      as_root=(sudo -n)
    else
      as_root=(none)
    fi

    if [ "${as_root[0]:-}" = none ]; then
      reason="installing chromium needs root or passwordless sudo"
    else
      echo "test.sh: installing chromium (headless browser for the report test)…" >&2
      if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium; } >&2; then
        reason="apt-get install chromium failed (see the output above)"
      elif ! have_chromium; then
        reason="apt-get installed chromium but no chromium executable is on PATH"
      fi
    fi
  fi

  if [ -n "$reason" ]; then
    echo "test.sh: $reason; the browser test will be skipped" >&2
    export RL3_CHROMIUM_UNAVAILABLE="$reason"
  fi
fi

have_redis() {
  [ -n "${RL3_REDIS_SERVER:-}" ] || command -v redis-server >/dev/null 2>&1
}

if ! have_redis; then
  reason=""
  if ! command -v apt-get >/dev/null 2>&1; then
    reason="apt-get is not available on this system"
  elif [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    reason="installing redis-server needs root or passwordless sudo"
  fi

  if [ -z "$reason" ]; then
    echo "test.sh: installing redis-server (membership store of the multi-process cluster test)…" >&2
    if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends redis-server; } >&2; then
      reason="apt-get install redis-server failed (see the output above)"
    elif ! have_redis; then
      reason="apt-get installed redis-server but no redis-server executable is on PATH"
    fi
  fi

  if [ -n "$reason" ]; then
    echo "test.sh: $reason; the multi-process cluster test will be skipped" >&2
    export RL3_REDIS_UNAVAILABLE="$reason"
  fi
fi

dotnet test RL3.Core.sln -c Release --results-directory artifacts/test-results
