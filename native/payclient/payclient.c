/*
 * payclient.dll: the vendor's export, forwarded to onepay's local bridge.
 *
 * Everything a transaction means lives in TypeScript (`npx payclient bridge`);
 * this file only carries bytes between the HIS's buffers and the bridge over
 * loopback HTTP, and speaks for itself only when the bridge cannot: the DLL
 * family of negative codes (-7 not sent, -28 timeout, -3 no valid answer) and
 * the replacement for an answer too long for the caller's buffer.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <string.h>

#include "payclient.h"

#define RESP_CODE_SIZE 33 /* Char(32) in the spec, plus the NUL */
/* hop.face.query answers carry base64 photographs; anything beyond this is not an answer. */
#define MAX_ANSWER_BYTES (16 * 1024 * 1024)
#define DEFAULT_PORT 1302
#define DEFAULT_CONNECT_TIMEOUT_MS 2000
/* Longer than the bridge's own bound (15 min by default) so the bridge, which knows more, answers first. */
#define DEFAULT_RECEIVE_TIMEOUT_MS 960000

typedef struct {
    WCHAR host[256];
    INTERNET_PORT port;
    int gbk; /* 1: the HIS passes GBK (code page 936); 0: UTF-8 */
    DWORD connect_timeout_ms;
    DWORD receive_timeout_ms;
    WCHAR token[256];
} settings;

typedef enum { ANSWERED, NOT_SENT, TIMED_OUT, BROKEN } outcome;

typedef struct {
    char *data; /* NUL-terminated; the heap for the bridge's answers, `own` for the DLL's */
    size_t len;
    char code[RESP_CODE_SIZE];
    /* The DLL's own answers need no allocation, so running out of memory still yields an answer. */
    char own[768];
} answer;

static void release(answer *a) {
    if (a->data != NULL && a->data != a->own) HeapFree(GetProcessHeap(), 0, a->data);
    a->data = NULL;
}

static HMODULE self;
static DWORD code_slot = TLS_OUT_OF_INDEXES;
/* Only used when Windows has no TLS slot left: shared, but still never unterminated. */
static char shared_code[RESP_CODE_SIZE];

/* The returned respCode must outlive the call, and two HIS threads must not share it. */
static char *thread_code_buffer(void) {
    char *buffer;
    if (code_slot == TLS_OUT_OF_INDEXES) return shared_code;
    buffer = (char *)TlsGetValue(code_slot);
    if (buffer == NULL) {
        buffer = (char *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, RESP_CODE_SIZE);
        if (buffer == NULL || !TlsSetValue(code_slot, buffer)) return shared_code;
    }
    return buffer;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)reserved;
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        self = instance;
        code_slot = TlsAlloc();
        break;
    case DLL_THREAD_DETACH:
        if (code_slot != TLS_OUT_OF_INDEXES) {
            void *buffer = TlsGetValue(code_slot);
            if (buffer != NULL) HeapFree(GetProcessHeap(), 0, buffer);
        }
        break;
    case DLL_PROCESS_DETACH:
        if (code_slot != TLS_OUT_OF_INDEXES) TlsFree(code_slot);
        break;
    }
    return TRUE;
}

/* payclient.ini beside this DLL (not the HIS's executable): one HIS may load several copies. */
static void load_settings(settings *s) {
    WCHAR ini[1024];
    WCHAR encoding[16];
    WCHAR *slash;
    DWORD n;
    UINT value;

    lstrcpyW(s->host, L"127.0.0.1");
    s->port = DEFAULT_PORT;
    s->gbk = 1;
    s->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    s->receive_timeout_ms = DEFAULT_RECEIVE_TIMEOUT_MS;
    s->token[0] = 0;

    n = GetModuleFileNameW(self, ini, (DWORD)(sizeof ini / sizeof ini[0]));
    if (n == 0 || n >= sizeof ini / sizeof ini[0] - 16) return; /* path too long: defaults */
    slash = wcsrchr(ini, L'\\');
    if (slash == NULL) return;
    lstrcpyW(slash + 1, L"payclient.ini");

    GetPrivateProfileStringW(L"bridge", L"host", L"127.0.0.1", s->host, 256, ini);
    if (s->host[0] == 0) lstrcpyW(s->host, L"127.0.0.1");
    value = GetPrivateProfileIntW(L"bridge", L"port", DEFAULT_PORT, ini);
    if (value >= 1 && value <= 65535) s->port = (INTERNET_PORT)value;
    GetPrivateProfileStringW(L"bridge", L"encoding", L"gbk", encoding, 16, ini);
    s->gbk = !(lstrcmpiW(encoding, L"utf8") == 0 || lstrcmpiW(encoding, L"utf-8") == 0);
    /* WinHTTP reads 0 as "wait forever": a bound of 0 keeps the default instead. */
    value = GetPrivateProfileIntW(L"bridge", L"connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS, ini);
    if (value >= 1 && value <= 0x7fffffff) s->connect_timeout_ms = value;
    value = GetPrivateProfileIntW(L"bridge", L"receive_timeout_ms", DEFAULT_RECEIVE_TIMEOUT_MS, ini);
    if (value >= 1 && value <= 0x7fffffff) s->receive_timeout_ms = value;
    GetPrivateProfileStringW(L"bridge", L"token", L"", s->token, 256, ini);
}

/* A respCode is copied into JSON and into the caller's return buffer: letters, digits and '-' only. */
static int valid_code(const char *code) {
    size_t i;
    for (i = 0; code[i] != 0; i++) {
        char c = code[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) return 0;
    }
    return i > 0 && i < RESP_CODE_SIZE;
}

/* The bridge marks its answers with X-Payclient-RespCode; without it the peer is not the bridge. */
static int read_code_header(HINTERNET request, char *code) {
    WCHAR wide[RESP_CODE_SIZE + 1];
    DWORD size = sizeof wide;
    DWORD i;
    if (!WinHttpQueryHeaders(request, WINHTTP_QUERY_CUSTOM, L"X-Payclient-RespCode", wide, &size,
                             WINHTTP_NO_HEADER_INDEX))
        return 0;
    for (i = 0; wide[i] != 0 && i < RESP_CODE_SIZE - 1; i++) {
        if (wide[i] > 0x7e) return 0;
        code[i] = (char)wide[i];
    }
    code[i] = 0;
    return wide[i] == 0 && valid_code(code);
}

/* Winsock's WSAETIMEDOUT: some WinHTTP implementations (Wine's) pass the socket's own error through. */
#define SOCKET_TIMED_OUT 10060

static int is_timeout(DWORD error) {
    return error == ERROR_WINHTTP_TIMEOUT || error == SOCKET_TIMED_OUT;
}

static outcome read_failure(DWORD error) {
    return is_timeout(error) ? TIMED_OUT : BROKEN;
}

static outcome read_body(HINTERNET request, answer *out, DWORD *error) {
    size_t capacity = 4096;
    out->data = (char *)HeapAlloc(GetProcessHeap(), 0, capacity);
    out->len = 0;
    if (out->data == NULL) return BROKEN;
    for (;;) {
        DWORD available = 0;
        DWORD got = 0;
        if (!WinHttpQueryDataAvailable(request, &available)) {
            *error = GetLastError();
            return read_failure(*error);
        }
        if (available == 0) break;
        if (out->len + available + 1 > MAX_ANSWER_BYTES) return BROKEN;
        if (out->len + available + 1 > capacity) {
            char *bigger;
            while (out->len + available + 1 > capacity) capacity *= 2;
            bigger = (char *)HeapReAlloc(GetProcessHeap(), 0, out->data, capacity);
            if (bigger == NULL) return BROKEN;
            out->data = bigger;
        }
        if (!WinHttpReadData(request, out->data + out->len, available, &got)) {
            *error = GetLastError();
            return read_failure(*error);
        }
        if (got == 0) break;
        out->len += got;
    }
    out->data[out->len] = 0;
    /* An empty body, or one with a NUL inside, would reach the HIS as something else than what was sent. */
    if (out->len == 0 || strlen(out->data) != out->len) return BROKEN;
    return ANSWERED;
}

/* One POST /payTrans. A fresh session per call: a payment every few seconds does not need a pool. */
static outcome exchange(const settings *s, const char *pindata, answer *out, DWORD *error) {
    HINTERNET session = NULL, connection = NULL, request = NULL;
    WCHAR headers[400];
    DWORD length = (DWORD)strlen(pindata);
    DWORD redirects = WINHTTP_DISABLE_REDIRECTS;
    outcome result = NOT_SENT;

    *error = 0;
    session = WinHttpOpen(L"onepay-payclient/1", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                          WINHTTP_NO_PROXY_BYPASS, 0);
    if (session == NULL) goto failed_before_sending;
    /* Sending a few KB over loopback is bounded by the receive bound too: the bridge reads it at once. */
    if (!WinHttpSetTimeouts(session, (int)s->connect_timeout_ms, (int)s->connect_timeout_ms,
                            (int)s->receive_timeout_ms, (int)s->receive_timeout_ms))
        goto failed_before_sending;
    connection = WinHttpConnect(session, s->host, s->port, 0);
    if (connection == NULL) goto failed_before_sending;
    request = WinHttpOpenRequest(connection, L"POST", L"/payTrans", NULL, WINHTTP_NO_REFERER,
                                 WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
    if (request == NULL) goto failed_before_sending;
    WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &redirects, sizeof redirects);
    /* Waiting for the answer's headers has its own bound (90 s by default on Windows), shorter
     * than a cashier desk wait: it is set to the receive bound, or the DLL would answer -28 early. */
    if (!WinHttpSetOption(request, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, (LPVOID)&s->receive_timeout_ms,
                          sizeof s->receive_timeout_ms))
        goto failed_before_sending;
    if (s->token[0] != 0)
        _snwprintf(headers, sizeof headers / sizeof headers[0] - 1,
                   L"Content-Type: application/json; charset=%ls\r\nX-Payclient-Token: %ls",
                   s->gbk ? L"gbk" : L"utf-8", s->token);
    else
        _snwprintf(headers, sizeof headers / sizeof headers[0] - 1, L"Content-Type: application/json; charset=%ls",
                   s->gbk ? L"gbk" : L"utf-8");
    headers[sizeof headers / sizeof headers[0] - 1] = 0;
    if (!WinHttpAddRequestHeaders(request, headers, (DWORD)-1L, WINHTTP_ADDREQ_FLAG_ADD | WINHTTP_ADDREQ_FLAG_REPLACE))
        goto failed_before_sending;

    if (!WinHttpSendRequest(request, WINHTTP_NO_ADDITIONAL_HEADERS, 0, (LPVOID)pindata, length, length, 0)) {
        *error = GetLastError();
        switch (*error) {
        case ERROR_WINHTTP_CANNOT_CONNECT:
        case ERROR_WINHTTP_NAME_NOT_RESOLVED:
        case ERROR_WINHTTP_INVALID_URL:
        case ERROR_WINHTTP_UNRECOGNIZED_SCHEME:
        case ERROR_NOT_ENOUGH_MEMORY:
            result = NOT_SENT;
            break;
        default:
            /* A timeout here may be the connect's or the send's: the bytes may have left, so unknown. */
            result = is_timeout(*error) ? TIMED_OUT : BROKEN;
        }
        goto done;
    }
    if (!WinHttpReceiveResponse(request, NULL)) {
        *error = GetLastError();
        result = read_failure(*error);
        goto done;
    }
    if (!read_code_header(request, out->code)) {
        result = BROKEN;
        goto done;
    }
    result = read_body(request, out, error);
    goto done;

failed_before_sending:
    *error = GetLastError();
    result = NOT_SENT;
done:
    if (request) WinHttpCloseHandle(request);
    if (connection) WinHttpCloseHandle(connection);
    if (session) WinHttpCloseHandle(session);
    return result;
}

/*
 * The DLL's own messages, in the two encodings a HIS may read. The texts are
 * the client library's (src/protocol/codes.ts LOCAL_CODES) so an operator
 * sees the same words whichever side answered.
 */
enum { MSG_NOT_SENT, MSG_TIMED_OUT, MSG_BROKEN, MSG_TOO_LONG };
static const char *const MESSAGES[][2] = {
    /* 无法连接支付平台, 交易未发送: 本机桥接服务未响应, 请启动 payclient bridge */
    {"\xe6\x97\xa0\xe6\xb3\x95\xe8\xbf\x9e\xe6\x8e\xa5\xe6\x94\xaf\xe4\xbb\x98\xe5\xb9\xb3\xe5\x8f\xb0, "
     "\xe4\xba\xa4\xe6\x98\x93\xe6\x9c\xaa\xe5\x8f\x91\xe9\x80\x81: \xe6\x9c\xac\xe6\x9c\xba\xe6\xa1\xa5\xe6\x8e\xa5"
     "\xe6\x9c\x8d\xe5\x8a\xa1\xe6\x9c\xaa\xe5\x93\x8d\xe5\xba\x94, \xe8\xaf\xb7\xe5\x90\xaf\xe5\x8a\xa8 payclient bridge",
     "\xce\xde\xb7\xa8\xc1\xac\xbd\xd3\xd6\xa7\xb8\xb6\xc6\xbd\xcc\xa8, \xbd\xbb\xd2\xd7\xce\xb4\xb7\xa2\xcb\xcd: "
     "\xb1\xbe\xbb\xfa\xc7\xc5\xbd\xd3\xb7\xfe\xce\xf1\xce\xb4\xcf\xec\xd3\xa6, \xc7\xeb\xc6\xf4\xb6\xaf payclient bridge"},
    /* 等待支付平台应答超时, 结果未知, 请先查询交易结果 */
    {"\xe7\xad\x89\xe5\xbe\x85\xe6\x94\xaf\xe4\xbb\x98\xe5\xb9\xb3\xe5\x8f\xb0\xe5\xba\x94\xe7\xad\x94\xe8\xb6\x85"
     "\xe6\x97\xb6, \xe7\xbb\x93\xe6\x9e\x9c\xe6\x9c\xaa\xe7\x9f\xa5, \xe8\xaf\xb7\xe5\x85\x88\xe6\x9f\xa5\xe8\xaf\xa2"
     "\xe4\xba\xa4\xe6\x98\x93\xe7\xbb\x93\xe6\x9e\x9c",
     "\xb5\xc8\xb4\xfd\xd6\xa7\xb8\xb6\xc6\xbd\xcc\xa8\xd3\xa6\xb4\xf0\xb3\xac\xca\xb1, \xbd\xe1\xb9\xfb\xce\xb4\xd6\xaa, "
     "\xc7\xeb\xcf\xc8\xb2\xe9\xd1\xaf\xbd\xbb\xd2\xd7\xbd\xe1\xb9\xfb"},
    /* 交易已发送但未收到有效应答, 结果未知, 请先查询交易结果 */
    {"\xe4\xba\xa4\xe6\x98\x93\xe5\xb7\xb2\xe5\x8f\x91\xe9\x80\x81\xe4\xbd\x86\xe6\x9c\xaa\xe6\x94\xb6\xe5\x88\xb0"
     "\xe6\x9c\x89\xe6\x95\x88\xe5\xba\x94\xe7\xad\x94, \xe7\xbb\x93\xe6\x9e\x9c\xe6\x9c\xaa\xe7\x9f\xa5, "
     "\xe8\xaf\xb7\xe5\x85\x88\xe6\x9f\xa5\xe8\xaf\xa2\xe4\xba\xa4\xe6\x98\x93\xe7\xbb\x93\xe6\x9e\x9c",
     "\xbd\xbb\xd2\xd7\xd2\xd1\xb7\xa2\xcb\xcd\xb5\xab\xce\xb4\xca\xd5\xb5\xbd\xd3\xd0\xd0\xa7\xd3\xa6\xb4\xf0, "
     "\xbd\xe1\xb9\xfb\xce\xb4\xd6\xaa, \xc7\xeb\xcf\xc8\xb2\xe9\xd1\xaf\xbd\xbb\xd2\xd7\xbd\xe1\xb9\xfb"},
    /* 应答超过 poutdata 缓冲区, 完整应答请改用 payTransEx */
    {"\xe5\xba\x94\xe7\xad\x94\xe8\xb6\x85\xe8\xbf\x87 poutdata \xe7\xbc\x93\xe5\x86\xb2\xe5\x8c\xba, "
     "\xe5\xae\x8c\xe6\x95\xb4\xe5\xba\x94\xe7\xad\x94\xe8\xaf\xb7\xe6\x94\xb9\xe7\x94\xa8 payTransEx",
     "\xd3\xa6\xb4\xf0\xb3\xac\xb9\xfd poutdata \xbb\xba\xb3\xe5\xc7\xf8, \xcd\xea\xd5\xfb\xd3\xa6\xb4\xf0\xc7\xeb"
     "\xb8\xc4\xd3\xc3 payTransEx"},
};

/* The host goes into JSON: anything but a plain host name character becomes '?'. */
static void ascii_host(const WCHAR *host, char *out, size_t size) {
    size_t i;
    for (i = 0; host[i] != 0 && i + 1 < size; i++) {
        WCHAR c = host[i];
        int plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
                    c == '-' || c == ':';
        out[i] = plain ? (char)c : '?';
    }
    out[i] = 0;
}

/* A JSON answer of the DLL's own: the code, the message, and a detail for whoever reads the HIS log. */
static void local_answer(const settings *s, outcome what, DWORD error, answer *out) {
    const char *code = what == NOT_SENT ? "-7" : what == TIMED_OUT ? "-28" : "-3";
    int message = what == NOT_SENT ? MSG_NOT_SENT : what == TIMED_OUT ? MSG_TIMED_OUT : MSG_BROKEN;
    char host[64];
    ascii_host(s->host, host, sizeof host);
    release(out);
    _snprintf(out->own, sizeof out->own - 1, "{\"respCode\":\"%s\",\"respMsg\":\"%s (bridge %s:%u, WinHTTP %lu)\"}",
                  code, MESSAGES[message][s->gbk], host, (unsigned)s->port, (unsigned long)error);
    out->own[sizeof out->own - 1] = 0;
    out->data = out->own;
    out->len = strlen(out->own);
    lstrcpynA(out->code, code, RESP_CODE_SIZE);
}

/* The whole answer, from the bridge or, when the bridge could not give one, from the DLL itself. */
static void call_bridge(const char *pindata, answer *out, settings *s) {
    DWORD error = 0;
    outcome result;
    out->data = NULL;
    out->len = 0;
    out->code[0] = 0;
    load_settings(s);
    result = exchange(s, pindata == NULL ? "" : pindata, out, &error);
    if (result != ANSWERED) local_answer(s, result, error, out);
}

/*
 * What the caller gets when the answer does not fit: the answer's own respCode,
 * so a recharge that succeeded is never reported as failed (the HIS would
 * charge again), a message naming payTransEx, and the size it would need.
 */
static int overflow_answer(const settings *s, const answer *full, char *poutdata, size_t size) {
    char text[512];
    int n = _snprintf(text, sizeof text - 1, "{\"respCode\":\"%s\",\"respMsg\":\"%s\",\"needSize\":\"%lu\"}",
                      full->code, MESSAGES[MSG_TOO_LONG][s->gbk], (unsigned long)(full->len + 1));
    text[sizeof text - 1] = 0;
    if (n < 0 || (size_t)n >= size) return 0;
    memcpy(poutdata, text, (size_t)n + 1);
    return 1;
}

char *__stdcall payTrans(char *pindata, char *poutdata) {
    char *code = thread_code_buffer();
    answer full;
    settings s;

    if (poutdata == NULL) {
        /* Nowhere to put the answer: sending would move money the HIS could not learn about. */
        lstrcpynA(code, "-7", RESP_CODE_SIZE);
        return code;
    }
    call_bridge(pindata, &full, &s);
    if (full.len < PAYCLIENT_POUTDATA_SIZE)
        memcpy(poutdata, full.data, full.len + 1);
    else if (!overflow_answer(&s, &full, poutdata, PAYCLIENT_POUTDATA_SIZE))
        poutdata[0] = 0;
    lstrcpynA(code, full.code, RESP_CODE_SIZE);
    release(&full);
    return code;
}

int __stdcall payTransEx(const char *pindata, char *poutdata, int outSize) {
    answer full;
    settings s;
    int needed;

    if (poutdata == NULL || outSize < 1) return -1;
    call_bridge(pindata, &full, &s);
    if (full.len < (size_t)outSize) {
        memcpy(poutdata, full.data, full.len + 1);
        needed = 0;
    } else {
        if (!overflow_answer(&s, &full, poutdata, (size_t)outSize)) poutdata[0] = 0;
        needed = (int)(full.len + 1);
    }
    release(&full);
    return needed;
}
