// Vector datagram reads and writes for MeshTransportNIO's POSIX driver: one system call for a
// batch of datagrams instead of one per datagram.
#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "CMeshUDP.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#if defined(__linux__)
#include <netinet/in.h>
#include <netinet/udp.h>
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103  // linux/udp.h; older C libraries lack the name, not the kernel the option
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#endif

enum { most = 64 };

#if defined(__linux__)
int cmeshudp_recvmmsg(int fd, void *headers, unsigned int *lengths, unsigned int count, int flags) {
    struct msghdr *plain = headers;
    struct mmsghdr vector[most];
    if (count > most) count = most;
    for (unsigned int i = 0; i < count; i++) {
        vector[i].msg_hdr = plain[i];
        vector[i].msg_len = 0;
    }
    int done = recvmmsg(fd, vector, count, flags, NULL);
    for (int i = 0; i < done; i++) {
        lengths[i] = vector[i].msg_len;
        plain[i].msg_namelen = vector[i].msg_hdr.msg_namelen;
        plain[i].msg_controllen = vector[i].msg_hdr.msg_controllen;
        plain[i].msg_flags = vector[i].msg_hdr.msg_flags;
    }
    return done;
}

int cmeshudp_sendmmsg(int fd, const void *headers, unsigned int count, int flags) {
    const struct msghdr *plain = headers;
    struct mmsghdr vector[most];
    if (count > most) count = most;
    for (unsigned int i = 0; i < count; i++) {
        vector[i].msg_hdr = plain[i];
        vector[i].msg_len = 0;
    }
    return sendmmsg(fd, vector, count, flags);
}

unsigned int cmeshudp_segment_control(void *control, unsigned short segment) {
    struct cmsghdr *header = control;
    memset(control, 0, CMSG_SPACE(sizeof(uint16_t)));
    header->cmsg_level = SOL_UDP;
    header->cmsg_type = UDP_SEGMENT;
    header->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    uint16_t size = segment;
    memcpy(CMSG_DATA(header), &size, sizeof size);
    return CMSG_SPACE(sizeof(uint16_t));
}

unsigned int cmeshudp_segment_control_space(void) { return CMSG_SPACE(sizeof(uint16_t)); }

int cmeshudp_enable_coalesced_reads(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof on) == 0 ? 0 : -1;
}

unsigned int cmeshudp_coalesced_control_space(void) { return CMSG_SPACE(sizeof(int)); }

unsigned int cmeshudp_coalesced_segment(void *control, unsigned long length) {
    struct msghdr header;
    memset(&header, 0, sizeof header);
    header.msg_control = control;
    header.msg_controllen = length;
    for (struct cmsghdr *message = CMSG_FIRSTHDR(&header); message != NULL; message = CMSG_NXTHDR(&header, message)) {
        if (message->cmsg_level == SOL_UDP && message->cmsg_type == UDP_GRO && message->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int size;
            memcpy(&size, CMSG_DATA(message), sizeof size);
            return size > 0 ? (unsigned int)size : 0;
        }
    }
    return 0;
}
#else
unsigned int cmeshudp_segment_control(void *control, unsigned short segment) {
    (void)control;
    (void)segment;
    return 0;
}

unsigned int cmeshudp_segment_control_space(void) { return 0; }

int cmeshudp_enable_coalesced_reads(int fd) {
    (void)fd;
    return -1;
}

unsigned int cmeshudp_coalesced_control_space(void) { return 0; }

unsigned int cmeshudp_coalesced_segment(void *control, unsigned long length) {
    (void)control;
    (void)length;
    return 0;
}

int cmeshudp_recvmmsg(int fd, void *headers, unsigned int *lengths, unsigned int count, int flags) {
    struct msghdr *plain = headers;
    unsigned int done = 0;
    while (done < count) {
        // After the first datagram, never wait for more.
        ssize_t length = recvmsg(fd, &plain[done], done == 0 ? flags : flags | MSG_DONTWAIT);
        if (length < 0) return done > 0 ? (int)done : -1;
        lengths[done++] = (unsigned int)length;
    }
    return (int)done;
}

int cmeshudp_sendmmsg(int fd, const void *headers, unsigned int count, int flags) {
    const struct msghdr *plain = headers;
    unsigned int done = 0;
    while (done < count) {
        if (sendmsg(fd, &plain[done], flags) < 0) return done > 0 ? (int)done : -1;
        done++;
    }
    return (int)done;
}
#endif
