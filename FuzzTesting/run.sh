#!/bin/sh
# Runs the packet-decoding fuzzer for SECONDS (default 60).
# Seeds: Tests/MeshTransportTests/FailCases (read only) and a working corpus in .build/corpus.
# A crash is written to .build/crash-*; copy it into Tests/MeshTransportTests/FailCases
# so the unit test replays it forever.
set -eu
cd "$(dirname "$0")"
SECONDS_TO_RUN="${1:-60}"
./build.sh
mkdir -p .build/corpus
SWIFT_BACKTRACE=enable=no .build/fuzz-packet-decoding \
    -max_total_time="$SECONDS_TO_RUN" -max_len=1300 -print_final_stats=1 \
    -artifact_prefix=.build/ \
    .build/corpus ../Tests/MeshTransportTests/FailCases
