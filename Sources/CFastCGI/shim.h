#ifndef CFASTCGI_SHIM_H
#define CFASTCGI_SHIM_H
#include <fcgiapp.h>
/* ConnectionPoller: Swift's Glibc module leaves epoll out. */
#include <sys/epoll.h>
#endif
