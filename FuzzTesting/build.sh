#!/bin/sh
# Builds the libFuzzer target for MeshTransport packet decoding into FuzzTesting/.build/.
# The decoding sources are compiled into one module with the fuzzer and AddressSanitizer;
# `import MeshplayCore` and `import MeshTransport` are dropped because those files are compiled in.
set -eu
cd "$(dirname "$0")"
mkdir -p .build/src
rm -f .build/src/*.swift
for file in \
    ../Sources/MeshplayCore/ByteReader.swift \
    ../Sources/MeshplayCore/ByteWriter.swift \
    ../Sources/MeshplayCore/CanonicalEncoder.swift \
    ../Sources/MeshTransport/PacketHeader.swift \
    ../Sources/MeshTransport/Frames.swift \
    ../Sources/MeshTransport/HandshakeMessages.swift \
    ../Sources/MeshTransport/ReplayWindow.swift \
    ../Sources/MeshTransport/ReliableReceiver.swift \
    ../Sources/MeshTransport/ReliableWindow.swift \
    ../Sources/MeshTransportFuzzing/PacketFuzzing.swift
do
    sed -e '/^import MeshplayCore$/d' -e '/^import MeshTransport$/d' "$file" > ".build/src/$(basename "$file")"
done
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name MeshTransportFuzz -package-name Meshplay \
    .build/src/*.swift FuzzPacketDecoding.swift \
    -o .build/fuzz-packet-decoding
echo "built FuzzTesting/.build/fuzz-packet-decoding"
