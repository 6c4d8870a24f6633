// Test helper for capture-keepalived-oracle.sh, preloaded into keepalived: it answers
// keepalived's IPVS socket options (IP_VS_SO_*) so that its checker process starts and dumps
// its configuration on a kernel without IPVS. Nothing reaches a kernel IPVS table.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

enum { IPVS_BASE = 64 + 1024 + 64, IPVS_LAST = IPVS_BASE + 32 };

static int ipvs_opt(int level, int optname) { return level == IPPROTO_IP && optname >= IPVS_BASE && optname <= IPVS_LAST; }

int setsockopt(int fd, int level, int optname, const void* val, socklen_t len)
{
    if (ipvs_opt(level, optname))
        return 0;
    int (*real)(int, int, int, const void*, socklen_t) = dlsym(RTLD_NEXT, "setsockopt");
    return real(fd, level, optname, val, len);
}

int getsockopt(int fd, int level, int optname, void* val, socklen_t* len)
{
    if (ipvs_opt(level, optname)) {
        memset(val, 0, *len);
        if (optname == IPVS_BASE + 1 && *len >= 12) { /* GET_INFO: version, table size, services */
            unsigned int* u = val;
            u[0] = (1u << 16) | (2u << 8) | 1u;
            u[1] = 4096;
        }
        return 0;
    }
    int (*real)(int, int, int, void*, socklen_t*) = dlsym(RTLD_NEXT, "getsockopt");
    return real(fd, level, optname, val, len);
}
