# Splits `jfr print --events jdk.ExecutionSample --stack-depth 64` output of the analyzer CLI into
# where the time went: thread, then phase (first matching frame, innermost first). Used by
# analyzer-bench.sh; prints "samples<TAB>phase" lines.
/sampledThread/ { thread = ($0 ~ /lockdep4j-parser/) ? "parser thread" : ($0 ~ /"main"/ ? "main thread" : "other threads") }
/stackTrace = \[/ { inst = 1; phase = ""; next }
inst && /^ *\]/ {
    if (phase == "") phase = (thread == "parser thread") ? "JDK parser (RecordingFile)" : "other (startup, JIT-ed glue)"
    n[thread ": " phase]++; inst = 0; next
}
inst && phase == "" {
    if ($0 ~ /ModelBuilder\.prepare|EventDecoders\.decode/) phase = "decoding events into records (EventDecoders)"
    else if ($0 ~ /rules\.[A-Za-z]+Rule\.check/) { match($0, /rules\.[A-Za-z]+Rule/); phase = "rule " substr($0, RSTART + 6, RLENGTH - 6) }
    else if ($0 ~ /ModelBuilder\.build/) phase = "model: finishing (ModelBuilder.build)"
    else if ($0 ~ /ModelBuilder\.visitPrepared/) phase = "model: aggregating events (ModelBuilder)"
    else if ($0 ~ /\.report\./) phase = "writing the report"
    else if ($0 ~ /RecordingReader\.validate/) phase = "checking chunk headers"
}
END { for (p in n) printf "%d\t%s\n", n[p], p }
