/*
 * The Windows side of the client: payclient.ini beside the DLL, setinfo in the
 * user's profile behind an owner-only DACL, HTTP(S) through WinHTTP with the
 * system's proxy, the clock, and the cashier desk in the default browser.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "host.h"
#include "json.h"

/* The Node client's figures (src/protocol/timeouts.ts, checked by src/server/timeouts.test.ts):
 * connecting 5 s; an answer 80 s, above the platform server's 70 s, itself above the longest
 * bounded call behind the API (a barcode payment: pay, 15 × 2 s of polls, cancel, HIS credit). */
#define DEFAULT_CONNECT_TIMEOUT_MS 5000
#define DEFAULT_ANSWER_TIMEOUT_MS 80000
#define DEFAULT_DESK_TIMEOUT_MS 600000
#define MAX_ANSWER_BYTES (1024 * 1024)
#define MAX_SETTINGS_BYTES (64 * 1024)

extern HMODULE payclient_module; /* payclient.c: this DLL, to find payclient.ini beside it */

/* ---- text ---------------------------------------------------------------------------------- */

static WCHAR *to_wide(const char *utf8, int len) {
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, len, NULL, 0);
    WCHAR *wide = (WCHAR *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, ((size_t)n + 1) * sizeof(WCHAR));
    if (wide != NULL && n > 0) MultiByteToWideChar(CP_UTF8, 0, utf8, len, wide, n);
    return wide;
}

static void append_wide(strbuf *out, const WCHAR *wide) {
    int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
    char *utf8;
    if (n <= 1) return;
    utf8 = (char *)HeapAlloc(GetProcessHeap(), 0, (size_t)n);
    if (utf8 == NULL) return;
    WideCharToMultiByte(CP_UTF8, 0, wide, -1, utf8, n, NULL, NULL);
    sb_append(out, utf8, (size_t)n - 1);
    HeapFree(GetProcessHeap(), 0, utf8);
}

static void free_wide(WCHAR *wide) {
    if (wide != NULL) HeapFree(GetProcessHeap(), 0, wide);
}

void host_log(const char *line) {
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD written;
    WCHAR *wide = to_wide(line, -1);
    /* A HIS has no console; a debugger or DebugView still shows the line. */
    if (wide != NULL) OutputDebugStringW(wide);
    free_wide(wide);
    if (err != NULL && err != INVALID_HANDLE_VALUE) {
        WriteFile(err, line, (DWORD)strlen(line), &written, NULL);
        WriteFile(err, "\n", 1, &written, NULL);
    }
}

/* ---- payclient.ini ------------------------------------------------------------------------- */

static int ini_path(WCHAR *path, DWORD size) {
    DWORD n = GetModuleFileNameW(payclient_module, path, size);
    WCHAR *slash;
    if (n == 0 || n >= size - 16) return 0;
    slash = wcsrchr(path, L'\\');
    if (slash == NULL) return 0;
    lstrcpyW(slash + 1, L"payclient.ini");
    return 1;
}

static unsigned ini_ms(const WCHAR *ini, const WCHAR *key, unsigned fallback) {
    UINT value = GetPrivateProfileIntW(L"payclient", key, (INT)fallback, ini);
    /* WinHTTP reads 0 as "wait forever": a bound of 0 keeps the default instead. */
    return value >= 1 && value <= 0x7fffffff ? value : fallback;
}

int host_gbk(void) {
    WCHAR ini[MAX_PATH + 32], encoding[16];
    if (!ini_path(ini, MAX_PATH + 16)) return 1;
    GetPrivateProfileStringW(L"payclient", L"encoding", L"gbk", encoding, 16, ini);
    return !(lstrcmpiW(encoding, L"utf8") == 0 || lstrcmpiW(encoding, L"utf-8") == 0);
}

static desk_mode desk_from(const WCHAR *text, desk_mode fallback) {
    if (lstrcmpiW(text, L"open") == 0) return DESK_OPEN;
    if (lstrcmpiW(text, L"print") == 0) return DESK_PRINT;
    if (lstrcmpiW(text, L"none") == 0) return DESK_NONE;
    return fallback;
}

/* The ini first; PAYCLIENT_DESK and PAYCLIENT_DESK_TIMEOUT_MS override, as for the Node client. */
void host_options(client_options *o) {
    WCHAR ini[MAX_PATH + 32], text[32];
    o->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    o->answer_timeout_ms = DEFAULT_ANSWER_TIMEOUT_MS;
    o->desk_timeout_ms = DEFAULT_DESK_TIMEOUT_MS;
    o->desk = DESK_OPEN;
    if (ini_path(ini, MAX_PATH + 16)) {
        o->connect_timeout_ms = ini_ms(ini, L"connect_timeout_ms", o->connect_timeout_ms);
        o->answer_timeout_ms = ini_ms(ini, L"answer_timeout_ms", o->answer_timeout_ms);
        o->desk_timeout_ms = ini_ms(ini, L"desk_timeout_ms", o->desk_timeout_ms);
        GetPrivateProfileStringW(L"payclient", L"desk", L"open", text, 32, ini);
        o->desk = desk_from(text, DESK_OPEN);
    }
    if (GetEnvironmentVariableW(L"PAYCLIENT_DESK", text, 32) > 0) o->desk = desk_from(text, o->desk);
    if (GetEnvironmentVariableW(L"PAYCLIENT_DESK_TIMEOUT_MS", text, 32) > 0) {
        WCHAR *end;
        unsigned long v = wcstoul(text, &end, 10);
        if (*end == 0 && end != text && v <= 0x7fffffff) o->desk_timeout_ms = (unsigned)v;
    }
}

/* ---- setinfo in the user's profile --------------------------------------------------------- */

/* %PAYCLIENT_HOME% or %USERPROFILE%\.payclient: the Node client's place, so both read one file. */
static int settings_dir(WCHAR *dir, DWORD size) {
    DWORD n = GetEnvironmentVariableW(L"PAYCLIENT_HOME", dir, size);
    if (n > 0 && n < size) return 1;
    n = GetEnvironmentVariableW(L"USERPROFILE", dir, size);
    if (n == 0 || n + 12 >= size) return 0;
    lstrcatW(dir, L"\\.payclient");
    return 1;
}

/* A DACL with one entry, full access for the user running the HIS, inheritance from the parent off:
 * the appsecret in config.json is readable by that user alone. */
typedef struct {
    SECURITY_DESCRIPTOR sd;
    BYTE acl[256];
    BYTE user[SECURITY_MAX_SID_SIZE + 64];
} owner_only;

static int owner_only_init(owner_only *o) {
    HANDLE token;
    DWORD size = 0;
    PSID sid;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return 0;
    if (!GetTokenInformation(token, TokenUser, o->user, sizeof o->user, &size)) {
        CloseHandle(token);
        return 0;
    }
    CloseHandle(token);
    sid = ((TOKEN_USER *)o->user)->User.Sid;
    return InitializeAcl((PACL)o->acl, sizeof o->acl, ACL_REVISION) &&
           AddAccessAllowedAceEx((PACL)o->acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, GENERIC_ALL,
                                 sid) &&
           InitializeSecurityDescriptor(&o->sd, SECURITY_DESCRIPTOR_REVISION) &&
           SetSecurityDescriptorDacl(&o->sd, TRUE, (PACL)o->acl, FALSE) &&
           SetSecurityDescriptorControl(&o->sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED);
}

static void error_text(strbuf *error, const char *what, const WCHAR *path) {
    char code[32];
    sb_puts(error, what);
    sb_puts(error, " ");
    append_wide(error, path);
    snprintf(code, sizeof code, " (Windows %lu)", (unsigned long)GetLastError());
    sb_puts(error, code);
}

static void json_field(strbuf *out, const char *name, const char *value, int last) {
    sb_puts(out, "  \"");
    sb_puts(out, name);
    sb_puts(out, "\": ");
    sb_json_string(out, value, strlen(value));
    sb_puts(out, last ? "\n" : ",\n");
}

int host_save_settings(const client_settings *s, strbuf *error) {
    WCHAR dir[MAX_PATH], file[MAX_PATH + 32], tmp[MAX_PATH + 48];
    owner_only guard;
    SECURITY_ATTRIBUTES sa;
    strbuf text;
    HANDLE h;
    DWORD written = 0;
    int ok;
    if (!settings_dir(dir, MAX_PATH - 32)) {
        sb_puts(error, "找不到用户目录 (USERPROFILE)");
        return 0;
    }
    if (!owner_only_init(&guard)) {
        error_text(error, "无法建立仅本用户可读的权限", dir);
        return 0;
    }
    sa.nLength = sizeof sa;
    sa.lpSecurityDescriptor = &guard.sd;
    sa.bInheritHandle = FALSE;
    if (!CreateDirectoryW(dir, &sa)) {
        if (GetLastError() != ERROR_ALREADY_EXISTS) {
            error_text(error, "无法创建", dir);
            return 0;
        }
        SetFileSecurityW(dir, DACL_SECURITY_INFORMATION, &guard.sd);
    }
    lstrcpyW(file, dir);
    lstrcatW(file, L"\\config.json");
    _snwprintf(tmp, sizeof tmp / sizeof tmp[0] - 1, L"%ls.%lu.tmp", file, (unsigned long)GetCurrentProcessId());
    tmp[sizeof tmp / sizeof tmp[0] - 1] = 0;

    sb_init(&text);
    sb_puts(&text, "{\n");
    json_field(&text, "serveraddr", s->serveraddr, 0);
    json_field(&text, "appid", s->appid, 0);
    json_field(&text, "appsecret", s->appsecret, s->suite != SUITE_AES);
    if (s->suite == SUITE_AES) json_field(&text, "suite", "AES", 1);
    sb_puts(&text, "}\n");
    if (text.failed) {
        sb_free(&text);
        sb_puts(error, "内存不足");
        return 0;
    }
    /* Written whole to a file that is owner-only from its first byte, then moved over the old one. */
    h = CreateFileW(tmp, GENERIC_WRITE, 0, &sa, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        sb_free(&text);
        error_text(error, "无法写入", tmp);
        return 0;
    }
    ok = WriteFile(h, text.data, (DWORD)text.len, &written, NULL) && written == text.len && FlushFileBuffers(h);
    CloseHandle(h);
    sb_free(&text);
    if (!ok || !MoveFileExW(tmp, file, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        error_text(error, "无法写入", file);
        DeleteFileW(tmp);
        return 0;
    }
    SetFileSecurityW(file, DACL_SECURITY_INFORMATION, &guard.sd);
    return 1;
}

static int copy_member(span object, const char *name, char out[SETTING_SIZE]) {
    span value;
    strbuf text;
    int ok;
    sb_init(&text);
    ok = json_member(object, name, &value) && json_string_value(value, &text) && !text.failed &&
         text.len < SETTING_SIZE;
    if (ok) memcpy(out, text.data != NULL ? text.data : "", text.len + 1);
    sb_free(&text);
    return ok;
}

int host_load_settings(client_settings *s, strbuf *error) {
    WCHAR dir[MAX_PATH], file[MAX_PATH + 32];
    HANDLE h;
    DWORD size, got = 0;
    char *data;
    span object;
    char suite[SETTING_SIZE];
    int ok;
    memset(s, 0, sizeof *s);
    if (!settings_dir(dir, MAX_PATH - 32)) return 0;
    lstrcpyW(file, dir);
    lstrcatW(file, L"\\config.json");
    h = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND || GetLastError() == ERROR_PATH_NOT_FOUND) return 0;
        error_text(error, "无法读取", file);
        return -1;
    }
    size = GetFileSize(h, NULL);
    if (size == INVALID_FILE_SIZE || size > MAX_SETTINGS_BYTES) {
        CloseHandle(h);
        error_text(error, "不是 payclient 设置文件", file);
        return -1;
    }
    data = (char *)HeapAlloc(GetProcessHeap(), 0, (size_t)size + 1);
    ok = data != NULL && ReadFile(h, data, size, &got, NULL) && got == size;
    CloseHandle(h);
    if (ok) {
        /* Node may write a UTF-8 BOM on some editors' behalf; skip it. */
        size_t skip = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
        ok = json_parse(data + skip, size - skip, &object) == JSON_OBJECT && copy_member(object, "serveraddr", s->serveraddr) &&
             copy_member(object, "appid", s->appid) && copy_member(object, "appsecret", s->appsecret);
        s->suite = ok && copy_member(object, "suite", suite) && strcmp(suite, "AES") == 0 ? SUITE_AES : SUITE_SM;
        SecureZeroMemory(data, size);
    }
    if (data != NULL) HeapFree(GetProcessHeap(), 0, data);
    if (!ok) {
        error_text(error, "不是 payclient 设置文件", file);
        return -1;
    }
    return 1;
}

/* ---- HTTP ---------------------------------------------------------------------------------- */

/* Set by WinHTTP's callback once the request's bytes start to leave: before that nothing was sent. */
static void CALLBACK on_status(HINTERNET handle, DWORD_PTR context, DWORD status, LPVOID info, DWORD length) {
    (void)handle, (void)info, (void)length;
    if (context != 0 && (status == WINHTTP_CALLBACK_STATUS_SENDING_REQUEST || status == WINHTTP_CALLBACK_STATUS_REQUEST_SENT))
        *(volatile LONG *)context = 1;
}

/* Winsock's WSAETIMEDOUT: some WinHTTP implementations (Wine's) pass the socket's own error through. */
#define SOCKET_TIMED_OUT 10060

static int is_timeout(DWORD error) {
    return error == ERROR_WINHTTP_TIMEOUT || error == SOCKET_TIMED_OUT;
}

static void failed(post_result *out, post_kind kind, const char *what, DWORD error) {
    out->kind = kind;
    snprintf(out->reason, sizeof out->reason, "%s, WinHTTP %lu", what, (unsigned long)error);
}

/* The proxy as the system has it: WinHTTP's automatic mode (Windows 8.1+), else the user's IE settings. */
static HINTERNET open_session(void) {
    WINHTTP_CURRENT_USER_IE_PROXY_CONFIG ie;
    HINTERNET session = WinHttpOpen(L"onepay-payclient/2", 4 /* WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY */,
                                    WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (session != NULL) return session;
    memset(&ie, 0, sizeof ie);
    if (WinHttpGetIEProxyConfigForCurrentUser(&ie) && ie.lpszProxy != NULL)
        session = WinHttpOpen(L"onepay-payclient/2", WINHTTP_ACCESS_TYPE_NAMED_PROXY, ie.lpszProxy,
                              ie.lpszProxyBypass != NULL ? ie.lpszProxyBypass : WINHTTP_NO_PROXY_BYPASS, 0);
    if (ie.lpszProxy != NULL) GlobalFree(ie.lpszProxy);
    if (ie.lpszProxyBypass != NULL) GlobalFree(ie.lpszProxyBypass);
    if (ie.lpszAutoConfigUrl != NULL) GlobalFree(ie.lpszAutoConfigUrl);
    if (session != NULL) return session;
    return WinHttpOpen(L"onepay-payclient/2", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                       WINHTTP_NO_PROXY_BYPASS, 0);
}

static void read_body(HINTERNET request, post_result *out) {
    for (;;) {
        DWORD available = 0, got = 0;
        char chunk[8192];
        if (!WinHttpQueryDataAvailable(request, &available)) {
            DWORD e = GetLastError();
            failed(out, is_timeout(e) ? POST_TIMEOUT : POST_BROKEN, "reading the answer", e);
            return;
        }
        if (available == 0) break;
        if (available > sizeof chunk) available = sizeof chunk;
        if (!WinHttpReadData(request, chunk, available, &got)) {
            DWORD e = GetLastError();
            failed(out, is_timeout(e) ? POST_TIMEOUT : POST_BROKEN, "reading the answer", e);
            return;
        }
        if (got == 0) break;
        if (out->body.len + got > MAX_ANSWER_BYTES) {
            failed(out, POST_BROKEN, "answer too large", 0);
            return;
        }
        sb_append(&out->body, chunk, got);
    }
    out->kind = out->body.failed ? POST_BROKEN : POST_ANSWER;
    if (out->body.failed) snprintf(out->reason, sizeof out->reason, "out of memory");
}

void host_post(const client_settings *s, const client_options *o, const char *body, size_t len, post_result *out) {
    HINTERNET session = NULL, connection = NULL, request = NULL;
    URL_COMPONENTS url;
    WCHAR host[256], path[2048];
    WCHAR *address = to_wide(s->serveraddr, -1);
    volatile LONG sent = 0;
    DWORD redirects = WINHTTP_DISABLE_REDIRECTS, status = 0, size = sizeof status, error;
    DWORD answer_ms = o->answer_timeout_ms;
    DWORD_PTR context = (DWORD_PTR)&sent;

    sb_init(&out->body);
    out->status = 0;
    out->reason[0] = 0;
    memset(&url, 0, sizeof url);
    url.dwStructSize = sizeof url;
    url.lpszHostName = host;
    url.dwHostNameLength = sizeof host / sizeof host[0];
    url.lpszUrlPath = path;
    url.dwUrlPathLength = sizeof path / sizeof path[0];
    if (address == NULL || !WinHttpCrackUrl(address, 0, 0, &url) ||
        (url.nScheme != INTERNET_SCHEME_HTTP && url.nScheme != INTERNET_SCHEME_HTTPS)) {
        failed(out, POST_NOT_SENT, "serveraddr is not an http(s) URL", GetLastError());
        free_wide(address);
        return;
    }
    free_wide(address);
    if (path[0] == 0) lstrcpyW(path, L"/");

    session = open_session();
    if (session == NULL) goto not_sent;
    if (!WinHttpSetTimeouts(session, (int)o->connect_timeout_ms, (int)o->connect_timeout_ms, (int)answer_ms, (int)answer_ms))
        goto not_sent;
    connection = WinHttpConnect(session, host, url.nPort, 0);
    if (connection == NULL) goto not_sent;
    request = WinHttpOpenRequest(connection, L"POST", path, NULL, WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES,
                                 url.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0);
    if (request == NULL) goto not_sent;
    /* A redirect is not followed (the Node client does not either): its body is no answer of ours. */
    WinHttpSetOption(request, WINHTTP_OPTION_DISABLE_FEATURE, &redirects, sizeof redirects);
    /* Waiting for the answer's headers has its own bound (90 s by default): the answer bound instead. */
    WinHttpSetOption(request, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, &answer_ms, sizeof answer_ms);
    WinHttpSetOption(request, WINHTTP_OPTION_CONTEXT_VALUE, &context, sizeof context);
    WinHttpSetStatusCallback(request, on_status, WINHTTP_CALLBACK_FLAG_SEND_REQUEST, 0);

    if (!WinHttpSendRequest(request, L"Content-Type: application/json; charset=utf-8", (DWORD)-1L, (LPVOID)body,
                            (DWORD)len, (DWORD)len, context)) {
        error = GetLastError();
        switch (error) {
        case ERROR_WINHTTP_CANNOT_CONNECT:
        case ERROR_WINHTTP_NAME_NOT_RESOLVED:
        case ERROR_NOT_ENOUGH_MEMORY:
            failed(out, POST_NOT_SENT, "no connection to the platform", error);
            break;
        /* TLS is settled before a byte of the request is written. */
        case ERROR_WINHTTP_SECURE_FAILURE:
        case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
        case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
        case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
        case ERROR_WINHTTP_SECURE_INVALID_CA:
        case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
        case ERROR_WINHTTP_SECURE_CERT_REVOKED:
        case ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED:
            failed(out, POST_NOT_SENT, "TLS handshake failed (is the platform's certificate trusted?)", error);
            break;
        default:
            /* Connect timeouts and resets before the request left said nothing to the platform. */
            if (!sent) failed(out, POST_NOT_SENT, is_timeout(error) ? "connect timeout" : "connection failed", error);
            else failed(out, is_timeout(error) ? POST_TIMEOUT : POST_BROKEN, "sending", error);
        }
        goto done;
    }
    if (!WinHttpReceiveResponse(request, NULL)) {
        error = GetLastError();
        failed(out, is_timeout(error) ? POST_TIMEOUT : POST_BROKEN, is_timeout(error) ? "no answer in time" : "no answer", error);
        goto done;
    }
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_HEADER_NAME_BY_INDEX,
                        &status, &size, WINHTTP_NO_HEADER_INDEX);
    out->status = (int)status;
    read_body(request, out);
    goto done;

not_sent:
    failed(out, POST_NOT_SENT, "WinHTTP setup", GetLastError());
done:
    if (request) {
        WinHttpSetStatusCallback(request, NULL, 0, 0);
        WinHttpCloseHandle(request);
    }
    if (connection) WinHttpCloseHandle(connection);
    if (session) WinHttpCloseHandle(session);
}

/* ---- clock and desk ------------------------------------------------------------------------ */

long long host_now(void) {
    FILETIME ft;
    ULARGE_INTEGER t;
    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    return (long long)((t.QuadPart - 116444736000000000ULL) / 10000000ULL);
}

unsigned long long host_ticks_ms(void) {
    return GetTickCount64();
}

void host_sleep_ms(unsigned ms) {
    Sleep(ms);
}

/* Only http(s), and only characters a URL needs: the URL comes from the network and becomes a
 * command line argument, so no quote, space or control character may reach it. */
static int safe_url(const char *url) {
    const char *p;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) return 0;
    for (p = url; *p != 0; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '^' || c == '`' || c == '|') return 0;
    }
    return p - url < 2000;
}

void host_show_desk(const char *url, desk_mode mode) {
    WCHAR system[MAX_PATH], *wide, *command;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    strbuf line;
    size_t n;
    if (mode == DESK_NONE) return;
    sb_init(&line);
    if (!safe_url(url)) {
        sb_puts(&line, "payclient: 收银台地址无效, 未打开: ");
        sb_append(&line, url, strlen(url) > 200 ? 200 : strlen(url));
        host_log(line.data);
        sb_free(&line);
        return;
    }
    sb_puts(&line, mode == DESK_PRINT ? "payclient: 请在浏览器中打开收银台 " : "payclient: 正在打开收银台 ");
    sb_puts(&line, url);
    host_log(line.data);
    sb_free(&line);
    if (mode == DESK_PRINT) return;
    /* The default browser, as the Node client opens it: url.dll's handler, through rundll32 from the
     * system directory (never a search path), with no shell in between. */
    n = GetSystemDirectoryW(system, MAX_PATH - 16);
    if (n == 0 || n >= MAX_PATH - 16) return;
    lstrcatW(system, L"\\rundll32.exe");
    wide = to_wide(url, -1);
    command = wide == NULL ? NULL
                           : (WCHAR *)HeapAlloc(GetProcessHeap(), 0, (lstrlenW(wide) + 64) * sizeof(WCHAR));
    if (command != NULL) {
        lstrcpyW(command, L"rundll32.exe url.dll,FileProtocolHandler ");
        lstrcatW(command, wide);
        memset(&si, 0, sizeof si);
        si.cb = sizeof si;
        if (CreateProcessW(system, command, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL, &si, &pi)) {
            CloseHandle(pi.hThread);
            CloseHandle(pi.hProcess);
        } else {
            sb_init(&line);
            sb_puts(&line, "payclient: 无法打开浏览器, 请手动打开收银台 ");
            sb_puts(&line, url);
            host_log(line.data);
            sb_free(&line);
        }
        HeapFree(GetProcessHeap(), 0, command);
    }
    free_wide(wide);
}
