// Typed wrappers around libcurl's variadic calls, which Swift cannot call directly.
// One wrapper per argument type; the option constants come from <curl/curl.h>.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

/// curl_easy_setopt for options that take a long (timeouts, flags, enums).
CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
/// curl_easy_setopt for options that take a C string (URL, CA file, POST body copy).
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
/// curl_easy_setopt for options that take a pointer (slist, user data, POSTFIELDS).
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
/// curl_easy_setopt for options that take a curl_off_t (POSTFIELDSIZE_LARGE).
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t nmemb, void *userdata);
/// curl_easy_setopt for CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION.
CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option, ccurl_write_callback callback);

/// curl_easy_getinfo for long results (CURLINFO_RESPONSE_CODE, …).
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
/// curl_easy_getinfo for double results (CURLINFO_TOTAL_TIME, …).
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
/// curl_easy_getinfo for string results (CURLINFO_EFFECTIVE_URL, …).
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);

/// curl_multi_setopt for options that take a long.
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

#endif
