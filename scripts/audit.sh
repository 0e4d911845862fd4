#!/usr/bin/env bash
# `npm run audit` (#12): known vulnerabilities of high severity or worse in the installed packages
# fail the run. When the registry does not serve the advisory endpoint (this machine's mirror
# answers 405), that is said plainly and the run does not pretend it checked anything.
set -uo pipefail
out=$(npm audit --audit-level=high --loglevel=warn 2>&1)
code=$?
if [ $code -eq 0 ]; then echo "$out" | tail -3; exit 0; fi
if grep -q "audit endpoint returned an error" <<<"$out"; then
  echo "npm audit: the registry's advisory endpoint is not available here: NOT CHECKED" >&2
  grep -m1 "npm warn audit" <<<"$out" >&2
  exit 0
fi
echo "$out"
exit $code
