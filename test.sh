#!/usr/bin/env bash
# The whole test suite, on JDK 17 and on JDK 25 (README's test command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")"
JDK17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JDK25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for jdk in "$JDK17" "$JDK25"; do
  if [ ! -x "$jdk/bin/java" ]; then echo "test.sh: no JDK at $jdk" >&2; exit 2; fi
  echo "=== lockdep4j tests on $("$jdk/bin/java" -version 2>&1 | head -1) ==="
  JAVA_HOME="$jdk" mvn -B -ntp clean verify
done
