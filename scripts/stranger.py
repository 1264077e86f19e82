#!/usr/bin/env python3
"""A stranger on loopback: sends random and replayed datagrams at the UDP ports of some processes.

Usage: stranger.py SECONDS RATE PID...
Every round it finds the processes' UDP ports (from /proc), captures datagrams sent to them
on `lo` (AF_PACKET, root) and, RATE times a second, sends one of:
  - random bytes (1-1400) to a random port,
  - a captured datagram replayed verbatim to its own port, from the stranger's socket,
  - a captured datagram replayed to its own port with its original source address spoofed (raw IP, root),
  - a captured datagram with one bit flipped.
Loopback only. Prints counts at the end."""
import os, random, signal, socket, struct, sys, time

def udp_ports(pids):
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            pass
    ports = set()
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            parts = line.split()
            if parts[9] in inodes:
                ports.add(int(parts[1].split(":")[1], 16))
    return sorted(ports)

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data)//2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

def spoofed(src_port, dst_port, payload):
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, random.randrange(65536), 0, 64, 17, 0,
                     socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1"))
    udp = struct.pack("!HHHH", src_port, dst_port, udp_len, 0) + payload
    return ip + udp

def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    seconds, rate = float(sys.argv[1]), float(sys.argv[2])
    pids = [int(p) for p in sys.argv[3:]]
    rng = random.Random(0x57A9)
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    sniff.bind(("lo", 0))
    sniff.setblocking(False)
    captured = []
    counts = {"random": 0, "replayed": 0, "spoofed": 0, "flipped": 0, "captured": 0}
    end = time.monotonic() + seconds
    try:
        run(seconds, rate, pids, rng, out, raw, sniff, captured, counts, end)
    finally:
        print("stranger:", " ".join(f"{k}={v}" for k, v in counts.items()), flush=True)

def run(seconds, rate, pids, rng, out, raw, sniff, captured, counts, end):
    next_scan = 0
    ports = []
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_scan:
            ports = udp_ports([p for p in pids if os.path.exists(f"/proc/{p}")])
            next_scan = now + 2
            if not any(os.path.exists(f"/proc/{p}") for p in pids):
                break
        # Capture what the bots send each other (IPv4/UDP between their ports).
        for _ in range(200):
            try:
                frame = sniff.recv(65535)
            except BlockingIOError:
                break
            ip = frame[14:]
            if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            ihl = (ip[0] & 15) * 4
            src, dst = struct.unpack("!HH", ip[ihl:ihl + 4])
            if dst in ports and src in ports:
                counts["captured"] += 1
                if len(captured) < 4096:
                    captured.append((src, dst, ip[ihl + 8:]))
                else:
                    captured[rng.randrange(len(captured))] = (src, dst, ip[ihl + 8:])
        if ports:
            kind = rng.randrange(4)
            try:
                if kind == 0 or not captured:
                    out.sendto(rng.randbytes(rng.randint(1, 1400)), ("127.0.0.1", rng.choice(ports)))
                    counts["random"] += 1
                else:
                    src, dst, payload = rng.choice(captured)
                    if kind == 1:
                        out.sendto(payload, ("127.0.0.1", dst))
                        counts["replayed"] += 1
                    elif kind == 2:
                        raw.sendto(spoofed(src, dst, payload), ("127.0.0.1", 0))
                        counts["spoofed"] += 1
                    else:
                        b = bytearray(payload)
                        if b:
                            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
                        out.sendto(bytes(b), ("127.0.0.1", dst))
                        counts["flipped"] += 1
            except OSError:
                pass
        time.sleep(1.0 / rate)

main()
