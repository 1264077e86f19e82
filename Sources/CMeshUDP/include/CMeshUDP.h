#ifndef CMESHUDP_H
#define CMESHUDP_H

// No system header here: the Glibc module owns <sys/socket.h>, and including it a second time
// from this module hides its declarations from Swift. Headers travel as `void *`.

/// recvmmsg(2) without a timeout: reads up to `count` (at most 64) datagrams into `headers`, an
/// array of `count` `struct msghdr`. Sets `lengths[i]` to datagram i's length and each header's
/// `msg_flags`. Where there is no recvmmsg, reads them one recvmsg(2) at a time. Returns how
/// many were read, or -1 with errno set.
int cmeshudp_recvmmsg(int fd, void *headers, unsigned int *lengths, unsigned int count, int flags);

/// sendmmsg(2): writes up to `count` (at most 64) datagrams from `headers`, an array of `count`
/// `struct msghdr`. Where there is no sendmmsg, writes them one sendmsg(2) at a time. Returns
/// how many were written, or -1 with errno set.
int cmeshudp_sendmmsg(int fd, const void *headers, unsigned int count, int flags);

/// Writes into `control` a control message that asks the kernel to cut a write into datagrams
/// of `segment` bytes each (the last may be shorter): Linux UDP generic segmentation offload
/// (UDP_SEGMENT, 4.18 and later). Returns the bytes written for `msg_controllen`, at most
/// `cmeshudp_segment_control_space()`, or 0 where the system has no such offload.
unsigned int cmeshudp_segment_control(void *control, unsigned short segment);

/// The bytes `cmeshudp_segment_control` writes (0 where it writes none).
unsigned int cmeshudp_segment_control_space(void);

/// Asks the kernel to hand `fd` a run of datagrams from one sender as one read, with their size
/// in a control message (Linux UDP generic receive offload, UDP_GRO, 5.0 and later). Returns 0
/// when it will, -1 where the system has no such offload.
int cmeshudp_enable_coalesced_reads(int fd);

/// Bytes of control buffer a read needs for `cmeshudp_coalesced_segment` (0 without the offload).
unsigned int cmeshudp_coalesced_control_space(void);

/// The size of each datagram in a coalesced read whose control messages are `control`
/// (`length` bytes, as the read left `msg_controllen`), or 0 when the read is one datagram.
unsigned int cmeshudp_coalesced_segment(void *control, unsigned long length);

#endif
