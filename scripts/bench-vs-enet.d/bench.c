/*
 * The reference side of scripts/bench-vs-enet: ENet 1.3 (Debian's libenet-dev) and bare UDP on
 * loopback, measured the way `meshplay bench transport` measures Meshplay.
 *
 *   bench enet-rtt PINGS      reliable 64 B ping-pong: prints p50 and p99 round trip in µs
 *   bench enet-flood SECONDS [WINDOW_KIB]
 *                             reliable 64 B one way, as fast as the sender can, keeping at most
 *                             WINDOW_KIB (default 64) of reliable data in transit: prints messages/s
 *   bench udp-rtt PINGS       bare UDP 64 B ping-pong (the floor): prints p50 and p99 in µs
 *
 * Each runs a server in a child process and the client in the parent. Output: one line of
 * `key=value` pairs.
 */
#include <arpa/inet.h>
#include <enet/enet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_percentiles(const char *name, uint64_t *samples, int count) {
    qsort(samples, (size_t)count, sizeof samples[0], compare_u64);
    printf("%s_p50_us=%.1f %s_p99_us=%.1f\n", name, samples[count / 2] / 1000.0, name, samples[count * 99 / 100] / 1000.0);
}

/* A free loopback port: bind port 0, read it, close. */
static int free_port(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &size);
    close(fd);
    return ntohs(a.sin_port);
}

/* ENet server: echoes every packet on channel 0 when `echo`, else counts them; on a packet of
   length 1 it answers with the count so far (8 bytes). Runs until killed. */
static void enet_server(int port, int echo) {
    ENetAddress address = {.host = 0, .port = (enet_uint16)port};
    enet_address_set_host(&address, "127.0.0.1");
    ENetHost *host = enet_host_create(&address, 4, 1, 0, 0);
    if (!host) exit(3);
    uint64_t received = 0;
    for (;;) {
        ENetEvent event;
        while (enet_host_service(host, &event, 1) > 0) {
            if (event.type != ENET_EVENT_TYPE_RECEIVE) continue;
            if (event.packet->dataLength == 1) {
                ENetPacket *answer = enet_packet_create(&received, sizeof received, ENET_PACKET_FLAG_RELIABLE);
                enet_peer_send(event.peer, 0, answer);
            } else if (echo) {
                ENetPacket *back = enet_packet_create(event.packet->data, event.packet->dataLength, ENET_PACKET_FLAG_RELIABLE);
                enet_peer_send(event.peer, 0, back);
            } else {
                received++;
            }
            enet_packet_destroy(event.packet);
            enet_host_flush(host);
        }
    }
}

static ENetPeer *enet_client(ENetHost **client, int port) {
    *client = enet_host_create(NULL, 1, 1, 0, 0);
    ENetAddress address = {.port = (enet_uint16)port};
    enet_address_set_host(&address, "127.0.0.1");
    ENetPeer *peer = enet_host_connect(*client, &address, 1, 0);
    ENetEvent event;
    uint64_t deadline = now_ns() + 5000000000u;
    while (now_ns() < deadline) {
        if (enet_host_service(*client, &event, 10) > 0 && event.type == ENET_EVENT_TYPE_CONNECT) return peer;
    }
    fprintf(stderr, "enet: no connection\n");
    exit(2);
}

static pid_t spawn(void (*server)(int, int), int port, int echo) {
    pid_t child = fork();
    if (child == 0) {
        server(port, echo);
        _exit(0);
    }
    usleep(100000);
    return child;
}

static void end(pid_t child) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

static int enet_rtt(int pings) {
    int port = free_port();
    pid_t child = spawn(enet_server, port, 1);
    ENetHost *client;
    ENetPeer *peer = enet_client(&client, port);
    uint64_t *samples = calloc((size_t)pings, sizeof(uint64_t));
    unsigned char payload[64] = {0};
    for (int i = 0; i < pings + 1000; i++) {
        uint64_t start = now_ns();
        enet_peer_send(peer, 0, enet_packet_create(payload, sizeof payload, ENET_PACKET_FLAG_RELIABLE));
        enet_host_flush(client);
        ENetEvent event;
        for (;;) {
            if (enet_host_service(client, &event, 0) > 0 && event.type == ENET_EVENT_TYPE_RECEIVE) {
                enet_packet_destroy(event.packet);
                break;
            }
        }
        if (i >= 1000) samples[i - 1000] = now_ns() - start;  /* the first 1000 warm up */
    }
    print_percentiles("enet_reliable_rtt", samples, pings);
    end(child);
    return 0;
}

static int enet_flood(double seconds, int window_kib) {
    int port = free_port();
    pid_t child = spawn(enet_server, port, 0);
    ENetHost *client;
    ENetPeer *peer = enet_client(&client, port);
    unsigned char payload[64] = {0};
    uint64_t start = now_ns(), stop = start + (uint64_t)(seconds * 1e9);
    ENetEvent event;
    while (now_ns() < stop) {
        /* Keep ENet's reliable window busy without growing its queue without bound. */
        for (int i = 0; i < 64; i++) {
            if (peer->reliableDataInTransit > (enet_uint32)window_kib * 1024) break;
            enet_peer_send(peer, 0, enet_packet_create(payload, sizeof payload, ENET_PACKET_FLAG_RELIABLE));
        }
        while (enet_host_service(client, &event, 0) > 0) {
            if (event.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(event.packet);
        }
    }
    double elapsed = (now_ns() - start) / 1e9;
    unsigned char ask = 1;
    enet_peer_send(peer, 0, enet_packet_create(&ask, 1, ENET_PACKET_FLAG_RELIABLE));
    uint64_t received = 0;
    uint64_t deadline = now_ns() + 10000000000u;
    while (now_ns() < deadline) {
        if (enet_host_service(client, &event, 10) > 0 && event.type == ENET_EVENT_TYPE_RECEIVE) {
            memcpy(&received, event.packet->data, sizeof received);
            enet_packet_destroy(event.packet);
            break;
        }
    }
    printf("enet_reliable_messages_per_second_64=%.0f enet_window_kib=%d\n", received / elapsed, window_kib);
    end(child);
    return 0;
}

static void udp_server(int port, int unused) {
    (void)unused;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) exit(3);
    unsigned char buffer[2048];
    for (;;) {
        struct sockaddr_in from;
        socklen_t size = sizeof from;
        ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &size);
        if (n > 0) sendto(fd, buffer, (size_t)n, 0, (struct sockaddr *)&from, size);
    }
}

static int udp_rtt(int pings) {
    int port = free_port();
    pid_t child = spawn(udp_server, port, 0);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    connect(fd, (struct sockaddr *)&to, sizeof to);
    uint64_t *samples = calloc((size_t)pings, sizeof(uint64_t));
    unsigned char payload[64] = {0}, buffer[2048];
    int kept = 0;
    for (int i = 0; i < pings + 1000; i++) {
        uint64_t start = now_ns();
        send(fd, payload, sizeof payload, 0);
        /* Spin on a non-blocking receive, as the ENet client spins on enet_host_service(0). */
        ssize_t got = -1;
        uint64_t give_up = start + 1000000000u;
        while (got <= 0 && now_ns() < give_up) got = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got <= 0) continue;  /* a lost datagram: not a sample */
        if (i >= 1000) samples[kept++] = now_ns() - start;
    }
    print_percentiles("udp_rtt", samples, kept > 0 ? kept : 1);
    end(child);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3 && !(argc == 4 && strcmp(argv[1], "enet-flood") == 0)) {
        fprintf(stderr, "usage: bench enet-rtt PINGS | enet-flood SECONDS [WINDOW_KIB] | udp-rtt PINGS\n");
        return 64;
    }
    if (enet_initialize() != 0) return 3;
    if (strcmp(argv[1], "enet-rtt") == 0) return enet_rtt(atoi(argv[2]));
    if (strcmp(argv[1], "enet-flood") == 0) return enet_flood(atof(argv[2]), argc == 4 ? atoi(argv[3]) : 64);
    if (strcmp(argv[1], "udp-rtt") == 0) return udp_rtt(atoi(argv[2]));
    fprintf(stderr, "unknown bench %s\n", argv[1]);
    return 64;
}
