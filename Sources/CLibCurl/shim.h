#ifndef CLIBCURL_SHIM_H
#define CLIBCURL_SHIM_H
#include <curl/curl.h>

// CURL_GLOBAL_DEFAULT is a macro of an expression, which Swift does not import.
static const long CLibCurl_GLOBAL_DEFAULT = CURL_GLOBAL_DEFAULT;

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed helper
// per kind of argument libcurl documents (long, char *, a pointer, a callback).
static inline CURLcode CLibCurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode CLibCurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode CLibCurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode CLibCurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

// The answer's body is not wanted (a webhook's 2xx is all that counts), and libcurl otherwise
// writes it to stdout: a write callback that takes and drops it.
static size_t CLibCurl_discard(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return size * count;
}
static inline CURLcode CLibCurl_discard_body(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, CLibCurl_discard);
}
#endif
