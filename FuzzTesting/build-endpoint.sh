#!/bin/sh
# Builds the stateful endpoint fuzzer (MeshEndpoint with real ChaCha20-Poly1305, X25519, Ed25519)
# with libFuzzer and AddressSanitizer into FuzzTesting/.build/. First build: several minutes (swift-crypto).
set -eu
cd "$(dirname "$0")"
swift build -c release --product FuzzEndpoint \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
cp "$(swift build -c release --show-bin-path)/FuzzEndpoint" .build/fuzz-endpoint
echo "built FuzzTesting/.build/fuzz-endpoint"
