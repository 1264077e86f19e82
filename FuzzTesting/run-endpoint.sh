#!/bin/sh
# Runs the stateful endpoint fuzzer for SECONDS (default 60). Crashes go to .build/crash-*;
# copy them into Tests/MeshTransportTests/FailCases/endpoint-* so the unit test replays them.
set -eu
cd "$(dirname "$0")"
SECONDS_TO_RUN="${1:-60}"
./build-endpoint.sh
mkdir -p .build/endpoint-corpus
SWIFT_BACKTRACE=enable=no .build/fuzz-endpoint \
    -max_total_time="$SECONDS_TO_RUN" -max_len=512 -print_final_stats=1 \
    -artifact_prefix=.build/ \
    .build/endpoint-corpus
